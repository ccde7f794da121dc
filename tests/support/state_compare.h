// Test helpers for planner states: a readable rendering of attribute values
// and of every difference between two StackStates, for failure messages.
#pragma once

#include <string>

#include "planner/state/state.h"

namespace nest::test_support {

// {"a": ["x", "y"]}-style text of a value, sensitive values included (tests
// only look at non-secret data).
std::string ValueText(const plan::AttributeValue& value);

// Every address present on one side only and every attribute that differs
// (with both values), one per line; "" when the states carry the same
// resources with the same attributes.
std::string DescribeDifferences(const plan::StackState& desired, const plan::StackState& live);

// Every resource with its attributes, for debugging output.
std::string DescribeState(const plan::StackState& state);

}  // namespace nest::test_support
