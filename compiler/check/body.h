// Checking a block against its schema: labels, attributes, nested blocks.
#pragma once

#include <optional>

#include "compiler/check/schema.h"
#include "compiler/check/scope.h"

namespace nest::check {

// Reports NEST-E025/E028 when the labels do not fit the schema.
bool CheckLabels(const ast::Block& block, const BlockSchema& schema, Diagnostics& diags);

// Evaluates a block's body into a kObject value: each attribute (type- and
// range-checked) and each nested block (repeated ones as a list), plus the
// block's labels under their schema names when `keep_labels` (nested blocks:
// deploy "canary" gives strategy = "canary"; a resource's name label lives in
// Resource::name instead). Reports unknown, repeated and missing attributes.
// Returns nullopt if anything in it was wrong.
std::optional<Value> CheckBlock(const ast::Block& block, const BlockSchema& schema, EvalContext& ctx,
                                bool keep_labels);

}  // namespace nest::check
