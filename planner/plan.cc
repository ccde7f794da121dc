#include "planner/plan.h"

namespace nest::plan {

const char* ActionName(Action action) {
  switch (action) {
    case Action::kNoOp: return "no-op";
    case Action::kCreate: return "create";
    case Action::kUpdate: return "update";
    case Action::kReplace: return "replace";
    case Action::kDelete: return "delete";
  }
  return "no-op";
}

const char* ReasonName(Reason reason) {
  switch (reason) {
    case Reason::kNone: return "none";
    case Reason::kNew: return "create_because_missing";
    case Reason::kChanged: return "update_because_config_changed";
    case Reason::kDrift: return "update_because_changed_outside";
    case Reason::kForcedReplacement: return "replace_because_cannot_update";
    case Reason::kNotInConfig: return "delete_because_no_resource_config";
    case Reason::kDependencyChanged: return "update_because_dependency_replaced";
  }
  return "none";
}

const char* TerraformActionReason(Reason reason) {
  switch (reason) {
    case Reason::kForcedReplacement: return "replace_because_cannot_update";
    case Reason::kNotInConfig: return "delete_because_no_resource_config";
    default: return nullptr;
  }
}

std::string AddressModule(const std::string& address) {
  std::size_t last = address.rfind('.');
  if (last == std::string::npos || last == 0) return "";
  std::size_t type = address.rfind('.', last - 1);
  return type == std::string::npos ? "" : address.substr(0, type);
}

std::string AddressName(const std::string& address) {
  std::size_t last = address.rfind('.');
  return last == std::string::npos ? address : address.substr(last + 1);
}

int Plan::Count(Action action) const {
  int n = 0;
  for (const auto& change : changes) n += change.action == action ? 1 : 0;
  return n;
}

bool Plan::HasChanges() const {
  for (const auto& change : changes) {
    if (change.action != Action::kNoOp) return true;
  }
  return false;
}

bool Plan::HasWork() const {
  for (const auto& change : changes) {
    if (change.action != Action::kNoOp || !change.engine_in_progress.empty()) return true;
  }
  return false;
}

PlanSummary Plan::Summary() const {
  PlanSummary summary;
  summary.add = Count(Action::kCreate) + Count(Action::kReplace);
  summary.change = Count(Action::kUpdate);
  summary.destroy = Count(Action::kDelete) + Count(Action::kReplace);
  return summary;
}

}  // namespace nest::plan
