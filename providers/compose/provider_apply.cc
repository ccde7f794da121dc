// ComposeProvider's apply side: one step (apply.h), the wait for a service's
// containers, the project's lock (project_lock.h) and its revisions.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "compiler/compose_syntax/project_name.h"
#include "planner/plan_file.h"
#include "providers/compose/apply.h"
#include "providers/compose/lock_renewer.h"
#include "providers/compose/project_lock.h"
#include "providers/compose/read.h"
#include "providers/compose/revisions.h"

namespace nest::compose {
namespace {

// The lock while an apply runs: renewed on a thread of its own, released
// when the apply is done (or left to go stale if the process dies).
class ComposeProjectLock : public plan::StackLock {
 public:
  ComposeProjectLock(engine::Endpoint endpoint, engine::ClientOptions options, HeldProjectLock lock)
      : endpoint_(endpoint), options_(options), renewer_(endpoint, options, std::move(lock)) {}
  ~ComposeProjectLock() override {
    HeldProjectLock lock = renewer_.Stop();
    engine::EngineClient client(endpoint_, options_);
    // Nothing to do about a failed release but let the lease expire.
    for (const auto& warning : ReleaseProjectLock(client, lock)) fmt::print(stderr, "warning: {}\n", warning);
  }
  bool lost() const override { return renewer_.lost(); }

 private:
  engine::Endpoint endpoint_;
  engine::ClientOptions options_;
  ProjectLockRenewer renewer_;
};

}  // namespace

Result<engine::Endpoint> ComposeProvider::ThreadEndpoint() {
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

Status ComposeProvider::Apply(const plan::ResourceChange& change, plan::StepOp op, const plan::StepContext& context) {
  if (!desired_) return Error{"apply before the desired state was built (a bug in nest: please report it)"};
  Result<engine::Endpoint> endpoint = ThreadEndpoint();
  if (!endpoint.ok()) return endpoint.error();
  ComposeApplier applier(endpoint.value(), client().options(), *desired_);
  switch (op) {
    case plan::StepOp::kCreate: return applier.Create(change, context);
    case plan::StepOp::kUpdate: return applier.Update(change, context);
    case plan::StepOp::kDelete: return applier.Delete(change, context);
  }
  return Done{};
}

Status ComposeProvider::WaitConverged(const plan::ResourceChange& change, const plan::StepContext& context) {
  if (change.kind != ResourceKind::kService) return Done{};
  if (!desired_) return Error{"apply before the desired state was built (a bug in nest: please report it)"};
  Result<engine::Endpoint> endpoint = ThreadEndpoint();
  if (!endpoint.ok()) return endpoint.error();
  ComposeApplier applier(endpoint.value(), client().options(), *desired_);
  return applier.WaitConverged(change, context);
}

Result<std::unique_ptr<plan::StackLock>> ComposeProvider::Lock(const plan::LockRequest& request,
                                                               std::vector<std::string>& warnings) {
  swarm::LockOptions options;
  options.operation = request.operation;
  options.lease = request.lease;
  ProjectLockResult acquired = AcquireProjectLock(client(), compose_syntax::ProjectName(request.stack), options);
  warnings.insert(warnings.end(), acquired.warnings.begin(), acquired.warnings.end());
  if (!acquired.lock) return Error{acquired.error.value_or("the lock was not taken")};
  Result<engine::Endpoint> endpoint = ThreadEndpoint();
  if (!endpoint.ok()) {
    (void)ReleaseProjectLock(client(), *acquired.lock);
    return endpoint.error();
  }
  return {std::make_unique<ComposeProjectLock>(endpoint.value(), client().options(), std::move(*acquired.lock))};
}

Status ComposeProvider::ForceUnlock(const std::string& stack, const std::string& lock_id) {
  return ForceUnlockProject(client(), compose_syntax::ProjectName(stack), lock_id);
}

Result<int> ComposeProvider::RecordRevision(const plan::RevisionRecord& record) {
  ProjectRevision revision;
  revision.config_hash = record.config_hash;
  revision.summary = record.summary;
  // The saved-plan encoding: sensitive values keep only their kind.
  if (record.desired != nullptr) revision.document = nlohmann::json::parse(plan::StackStateJsonText(*record.desired));
  return RecordProjectRevision(client(), compose_syntax::ProjectName(record.stack), revision);
}

}  // namespace nest::compose
