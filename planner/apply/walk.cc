#include "planner/apply/walk.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <queue>

namespace nest::plan::apply {
namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// The steps of one change, by provisional id (before the topological order).
struct ChangeSteps {
  std::size_t forward = kNone;  // create or update; a replacement's create
  std::size_t removal = kNone;  // delete; a replacement's delete of the old object
};

struct Draft {
  std::vector<Step> steps;  // provisional ids: plan order
  std::vector<ChangeSteps> of_change;
  std::map<std::string, std::size_t> change_of_address;

  std::size_t Add(const ResourceChange& change, std::size_t index, Operation operation, Half half) {
    Step step;
    step.id = steps.size();
    step.change = index;
    step.address = change.address;
    step.kind = change.kind;
    step.operation = operation;
    step.half = half;
    steps.push_back(std::move(step));
    return steps.size() - 1;
  }

  void Edge(std::size_t from, std::size_t to) {
    if (from == kNone || to == kNone || from == to) return;
    steps[from].depends_on.push_back(to);
  }

  const ChangeSteps* StepsOf(const std::string& address) const {
    auto it = change_of_address.find(address);
    return it == change_of_address.end() ? nullptr : &of_change[it->second];
  }
};

// Provisional ids in the order a sequential apply would take: creates,
// updates and delete-then-create replacements in plan order, then deletes
// (the plan orders them services first), then the old objects of
// create-before-destroy replacements, whose consumers have moved by then.
void AddSteps(Draft& draft, const std::vector<ResourceChange>& changes) {
  draft.of_change.resize(changes.size());
  for (std::size_t i = 0; i < changes.size(); ++i) draft.change_of_address.emplace(changes[i].address, i);
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const ResourceChange& change = changes[i];
    ChangeSteps& own = draft.of_change[i];
    if (change.action == Action::kCreate) own.forward = draft.Add(change, i, Operation::kCreate, Half::kNone);
    if (change.action == Action::kUpdate) own.forward = draft.Add(change, i, Operation::kUpdate, Half::kNone);
    if (change.action == Action::kNoOp && !change.engine_in_progress.empty())
      own.forward = draft.Add(change, i, Operation::kWait, Half::kNone);
    if (change.action != Action::kReplace) continue;
    if (!change.create_before_destroy) own.removal = draft.Add(change, i, Operation::kDelete, Half::kOldObject);
    own.forward = draft.Add(change, i, Operation::kCreate, Half::kNewObject);
  }
  for (std::size_t i = 0; i < changes.size(); ++i) {
    if (changes[i].action != Action::kDelete) continue;
    draft.of_change[i].removal = draft.Add(changes[i], i, Operation::kDelete, Half::kNone);
  }
  for (std::size_t i = 0; i < changes.size(); ++i) {
    if (changes[i].action != Action::kReplace || !changes[i].create_before_destroy) continue;
    draft.of_change[i].removal = draft.Add(changes[i], i, Operation::kDelete, Half::kOldObject);
  }
}

void AddEdges(Draft& draft, const std::vector<ResourceChange>& changes) {
  // Who depends on each address, for a replacement's old object: its
  // consumers move to the new object before the old one goes.
  std::map<std::string, std::vector<std::size_t>> consumers;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    if (changes[i].action == Action::kDelete) continue;
    for (const auto& address : changes[i].depends_on) consumers[address].push_back(i);
  }
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const ResourceChange& change = changes[i];
    const ChangeSteps& own = draft.of_change[i];
    if (change.action == Action::kNoOp && own.forward == kNone) continue;
    if (change.action == Action::kDelete) {
      // depends_on: services that must let go of the object first. An
      // update lets go when it is done; a delete or replacement when its old
      // object is gone.
      for (const auto& address : change.depends_on) {
        auto it = draft.change_of_address.find(address);
        if (it == draft.change_of_address.end()) continue;
        const ChangeSteps& user = draft.of_change[it->second];
        draft.Edge(own.removal, changes[it->second].action == Action::kUpdate ? user.forward : user.removal);
      }
      continue;
    }
    for (const auto& address : change.depends_on) {
      if (const ChangeSteps* dependency = draft.StepsOf(address)) draft.Edge(own.forward, dependency->forward);
    }
    if (change.action != Action::kReplace) continue;
    if (!change.create_before_destroy) {
      draft.Edge(own.forward, own.removal);
      continue;
    }
    draft.Edge(own.removal, own.forward);
    for (std::size_t consumer : consumers[change.address]) draft.Edge(own.removal, draft.of_change[consumer].forward);
    // Deleted services still using the old object (the diff's reverse edges).
    for (const auto& address : change.depends_on) {
      auto it = draft.change_of_address.find(address);
      if (it != draft.change_of_address.end() && changes[it->second].action == Action::kDelete) {
        draft.Edge(own.removal, draft.of_change[it->second].removal);
      }
    }
  }
}

// Kahn's algorithm, the lowest provisional id first: the plan's order
// wherever the edges leave a choice. Renumbers the steps in that order.
Result<Walk> Order(Draft draft) {
  const std::size_t n = draft.steps.size();
  std::vector<std::size_t> pending(n, 0);
  std::vector<std::vector<std::size_t>> dependents(n);
  for (auto& step : draft.steps) {
    std::sort(step.depends_on.begin(), step.depends_on.end());
    step.depends_on.erase(std::unique(step.depends_on.begin(), step.depends_on.end()), step.depends_on.end());
    pending[step.id] = step.depends_on.size();
    for (std::size_t dependency : step.depends_on) dependents[dependency].push_back(step.id);
  }
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
  for (std::size_t i = 0; i < n; ++i) {
    if (pending[i] == 0) ready.push(i);
  }
  std::vector<std::size_t> new_id(n, kNone);
  std::vector<std::size_t> order;
  while (!ready.empty()) {
    std::size_t id = ready.top();
    ready.pop();
    new_id[id] = order.size();
    order.push_back(id);
    for (std::size_t dependent : dependents[id]) {
      if (--pending[dependent] == 0) ready.push(dependent);
    }
  }
  if (order.size() != n) {
    std::vector<std::string> stuck;
    for (const auto& step : draft.steps) {
      if (new_id[step.id] == kNone) stuck.push_back(DescribeStep(step));
    }
    return Error{fmt::format("the plan's dependency edges form a cycle through: {}", fmt::join(stuck, ", "))};
  }
  Walk walk;
  walk.steps.reserve(n);
  for (std::size_t id : order) {
    Step step = std::move(draft.steps[id]);
    step.id = new_id[id];
    for (auto& dependency : step.depends_on) dependency = new_id[dependency];
    std::sort(step.depends_on.begin(), step.depends_on.end());
    walk.steps.push_back(std::move(step));
  }
  return walk;
}

}  // namespace

const char* OperationName(Operation operation) {
  switch (operation) {
    case Operation::kCreate: return "create";
    case Operation::kUpdate: return "update";
    case Operation::kDelete: return "delete";
    case Operation::kWait: return "wait";
  }
  return "create";
}

std::string DescribeStep(const Step& step) {
  std::string text = fmt::format("{} {}", OperationName(step.operation), step.address);
  if (step.half == Half::kNewObject) text += " (new object)";
  if (step.half == Half::kOldObject) text += " (old object)";
  return text;
}

Result<Walk> BuildWalk(const std::vector<ResourceChange>& changes) {
  Draft draft;
  AddSteps(draft, changes);
  AddEdges(draft, changes);
  return Order(std::move(draft));
}

}  // namespace nest::plan::apply
