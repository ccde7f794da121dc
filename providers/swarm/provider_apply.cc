// SwarmProvider's apply side: one step, the wait for a service to converge,
// the stack's lock and its revisions, each through the module that knows
// the Engine's rules (apply.h, converge_wait.h, stack_lock.h, revisions.h).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "planner/plan_file.h"
#include "providers/swarm/apply.h"
#include "providers/swarm/blue_green.h"
#include "providers/swarm/converge_wait.h"
#include "providers/swarm/lock_renewer.h"
#include "providers/swarm/read.h"
#include "providers/swarm/revision_specs.h"
#include "providers/swarm/revisions.h"
#include "providers/swarm/stack_lock.h"

namespace nest::swarm {
namespace {

// The lock while an apply runs: renewed on a thread of its own, released
// when the apply is done (or left to go stale if the process dies).
class SwarmStackLock : public plan::StackLock {
 public:
  SwarmStackLock(engine::Endpoint endpoint, engine::ClientOptions options, HeldLock lock)
      : endpoint_(endpoint), options_(options), renewer_(endpoint, options, std::move(lock)) {}
  ~SwarmStackLock() override {
    HeldLock lock = renewer_.Stop();
    engine::EngineClient client(endpoint_, options_);
    LockOutcome released = ReleaseStackLock(client, lock);
    // Nothing to do about a failed release but let the lease expire: the
    // next apply takes the lock over then.
    for (const auto& warning : released.warnings) fmt::print(stderr, "warning: {}\n", warning);
    if (!released.ok()) fmt::print(stderr, "warning: the lock was not released: {}\n", released.error->message);
  }
  bool lost() const override { return renewer_.lost(); }

 private:
  engine::Endpoint endpoint_;
  engine::ClientOptions options_;
  LockRenewer renewer_;
};

}  // namespace

Result<engine::Endpoint> SwarmProvider::ThreadEndpoint() {
  std::optional<engine::ApiVersion> version = client().api_version();
  if (!version) {
    auto negotiated = client().Negotiate();
    if (!negotiated.ok()) return Error{negotiated.error().Describe()};
    version = negotiated.value();
  }
  engine::Endpoint endpoint = client().endpoint();
  endpoint.pinned_version = *version;
  return endpoint;
}

Status SwarmProvider::Apply(const plan::ResourceChange& change, plan::StepOp op, const plan::StepContext& context) {
  if (!specs_) return Error{"apply before the desired state was built (a bug in nest: please report it)"};
  // Steps run on several threads; the version was negotiated before the
  // walk (Lock and ReadStack), so this only reads it.
  Result<engine::Endpoint> endpoint = ThreadEndpoint();
  if (!endpoint.ok()) return endpoint.error();
  SwarmApplier applier(endpoint.value(), client().options(), *specs_);
  switch (op) {
    case plan::StepOp::kCreate: return applier.Create(change, context);
    case plan::StepOp::kUpdate: return applier.Update(change, context);
    case plan::StepOp::kDelete: return applier.Delete(change, context);
    case plan::StepOp::kWait: return Done{};  // nothing to send: WaitConverged waits for the engine's rollout
  }
  return Done{};
}

Status SwarmProvider::WaitConverged(const plan::ResourceChange& change, const plan::StepContext& context) {
  // Networks, secrets, configs and volumes are ready once created.
  if (change.kind != ResourceKind::kService) return Done{};
  // A blue-green update waited for its colours inside its step.
  if (specs_ && RanAsBlueGreen(change, *specs_)) return Done{};
  // An update goes to the live object's ID: a blue-green service's live
  // colour may be `<name>-green` (blue_green_colours.h).
  std::string target = change.docker_name;
  if (change.action == plan::Action::kUpdate && change.live_version && !change.live_version->id.empty()) {
    target = change.live_version->id;
  }
  Result<engine::Endpoint> endpoint = ThreadEndpoint();
  if (!endpoint.ok()) return endpoint.error();
  engine::EngineClient waiter(endpoint.value(), client().options());
  WaitOptions options;
  options.cancel = context.cancel;
  options.pacer = &wait_pacer_;
  auto left = context.deadline - std::chrono::steady_clock::now();
  options.timeout = std::max(std::chrono::milliseconds(0),
                             std::chrono::duration_cast<std::chrono::milliseconds>(left));
  if (context.progress) {
    options.on_progress = [&context](const WaitProgress& progress) {
      std::string line = progress.status.Summary();
      if (!progress.event.empty()) line += "; " + progress.event;
      context.progress(line);
    };
  }
  WaitResult waited = WaitForConvergence(waiter, target, options);
  if (waited.outcome == WaitOutcome::kConverged) return Done{};
  if (waited.outcome == WaitOutcome::kCancelled) {
    // The change was sent: Swarm carries on with it without nest.
    return Error{fmt::format("interrupted: {}; Swarm carries on with the change, `nest plan` shows where it stands",
                             waited.message)};
  }
  return Error{waited.message};
}

Result<std::unique_ptr<plan::StackLock>> SwarmProvider::Lock(const plan::LockRequest& request,
                                                             std::vector<std::string>& warnings) {
  LockOptions options;
  options.operation = request.operation;
  options.lease = request.lease;
  AcquireResult acquired = AcquireStackLock(client(), request.stack, options);
  warnings.insert(warnings.end(), acquired.warnings.begin(), acquired.warnings.end());
  if (!acquired.ok()) return Error{acquired.error->message};
  Result<engine::Endpoint> endpoint = ThreadEndpoint();
  if (!endpoint.ok()) {
    (void)ReleaseStackLock(client(), *acquired.lock);
    return endpoint.error();
  }
  return {std::make_unique<SwarmStackLock>(endpoint.value(), client().options(), std::move(*acquired.lock))};
}

Status SwarmProvider::ForceUnlock(const std::string& stack, const std::string& lock_id) {
  LockOutcome outcome = swarm::ForceUnlock(client(), stack, lock_id);
  if (!outcome.ok()) return Error{outcome.error->message};
  return Done{};
}

Result<int> SwarmProvider::RecordRevision(const plan::RevisionRecord& record) {
  swarm::RevisionRecord revision;
  revision.config_hash = record.config_hash;
  revision.summary = record.summary;
  // The saved-plan encoding: sensitive values keep only their kind. Beside
  // it what apply sent, for `nest rollback`, unless that would hold a
  // sensitive value in the clear (revision_specs.h).
  if (record.desired != nullptr) {
    revision.document = nlohmann::json::parse(plan::StackStateJsonText(*record.desired));
    std::string not_restorable = WhyNotRestorable(*record.desired);
    if (!not_restorable.empty()) {
      revision.document["not_restorable"] = not_restorable;
    } else if (specs_) {
      revision.document["specs"] = RevisionSpecsJson(*specs_);
    }
  }
  auto recorded = swarm::RecordRevision(client(), record.stack, revision);
  if (!recorded.ok()) return Error{recorded.error().Describe()};
  return static_cast<int>(recorded.value().number);
}

Result<plan::StackState> SwarmProvider::RevisionDesiredState(const std::string& stack, std::int64_t number) {
  auto document = ReadRevisionDocument(client(), stack, number);
  if (!document.ok()) {
    if (document.error().http_status == 404) {
      return Error{fmt::format("stack {} has no revision {} (`nest history` lists those kept)", stack, number)};
    }
    return Error{document.error().Describe()};
  }
  const nlohmann::json& recorded = document.value();
  if (recorded.contains("not_restorable")) {
    return Error{fmt::format("revision {} of stack {} cannot be rolled back to: {}, and revisions never keep "
                             "sensitive values; apply that revision's config instead",
                             number, stack, recorded.value("not_restorable", ""))};
  }
  std::optional<StackSpecs> specs =
      recorded.contains("specs") ? RevisionSpecsFromJson(recorded["specs"]) : std::nullopt;
  if (!specs) {
    return Error{fmt::format("revision {} of stack {} keeps no specs to apply (recorded by an older nest, or "
                             "damaged); apply that revision's config instead",
                             number, stack)};
  }
  Result<plan::StackState> state = plan::StackStateFromJsonText(recorded.dump());
  if (!state.ok()) return Error{fmt::format("revision {} of stack {}: {}", number, stack, state.error().message)};
  specs_ = std::move(*specs);
  return state;
}

}  // namespace nest::swarm
