// Hand-made changes for the apply walk's tests: only what the walk reads
// (address, kind, action, depends_on, create_before_destroy).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "planner/apply/walk.h"
#include "planner/plan.h"

namespace nest::plan::apply::testing {

inline ResourceChange Change(std::string address, ResourceKind kind, Action action,
                             std::vector<std::string> depends_on = {}, bool create_before_destroy = false) {
  ResourceChange change;
  change.address = std::move(address);
  change.kind = kind;
  change.action = action;
  change.depends_on = std::move(depends_on);
  change.create_before_destroy = create_before_destroy;
  return change;
}

inline Walk MustBuild(const std::vector<ResourceChange>& changes) {
  Result<Walk> walk = BuildWalk(changes);
  if (!walk.ok()) {
    ADD_FAILURE() << walk.error().message;
    return Walk{};
  }
  return std::move(walk).value();
}

// The step described as `description` ("create service.app"), or null.
inline const Step* Find(const Walk& walk, const std::string& description) {
  for (const auto& step : walk.steps) {
    if (DescribeStep(step) == description) return &step;
  }
  return nullptr;
}

inline std::vector<std::string> Descriptions(const Walk& walk) {
  std::vector<std::string> out;
  for (const auto& step : walk.steps) out.push_back(DescribeStep(step));
  return out;
}

// What `description`'s step waits for, described.
inline std::vector<std::string> DependenciesOf(const Walk& walk, const std::string& description) {
  std::vector<std::string> out;
  const Step* step = Find(walk, description);
  if (step == nullptr) return {"<no step " + description + ">"};
  for (std::size_t id : step->depends_on) out.push_back(DescribeStep(walk.steps.at(id)));
  return out;
}

}  // namespace nest::plan::apply::testing
