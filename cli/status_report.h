// `nest status`: the live stack at a glance, as one value built from what
// was read (the plan, the services' tasks, the last revision, the last
// scale changes) and rendered as text or JSON. Pure, so each part can be
// shown in a test; status_command.cc does the reading.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "planner/autoscale/policy.h"
#include "planner/plan.h"
#include "providers/swarm/revisions.h"
#include "providers/swarm/scale_records.h"
#include "providers/swarm/service_runtime.h"

namespace nest {

struct ServiceReport {
  std::string address;  // "service.web"
  std::string name;     // "shop_web"
  bool present = false;
  swarm::ServiceRuntime runtime;  // meaningful when present
  std::optional<plan::autoscale::Policy> policy;
  std::string policy_error;  // a malformed nest.autoscale.* label
  std::optional<swarm::ScaleRecord> last_scale;

  bool Healthy() const { return present && runtime.Healthy() && policy_error.empty(); }
};

struct ResourceReport {
  std::string address;  // "network.back"
  ResourceKind kind = ResourceKind::kNetwork;
  std::string name;  // the Docker name
  bool present = false;
};

struct DriftReport {
  std::string address;
  plan::Action action = plan::Action::kNoOp;
  std::string detail;  // the plan's reason: "scaled outside nest"
};

struct StatusReport {
  std::string stack;
  std::string engine;
  std::optional<swarm::Revision> revision;  // the last apply recorded
  std::string revision_error;               // could not be read
  std::vector<DriftReport> drift;           // the plan's changes (no-ops left out)
  std::string plan_error;                   // planning failed: drift unknown
  std::vector<ServiceReport> services;
  std::vector<ResourceReport> resources;  // networks, volumes, secrets, configs

  bool InSync() const { return plan_error.empty() && drift.empty(); }
  // Every service healthy and every other resource present.
  bool Healthy() const;
  // 0 when healthy and in sync, else 1 (the command's exit code).
  int ExitCode() const { return Healthy() && InSync() ? 0 : 1; }
};

// The report from the plan (what the config wants and what exists), the
// services as they run (by Docker name), the stack's revisions (the newest
// is shown) and its scale records (by service name). Without a plan (it
// failed: `plan_error` says why) the services are the live ones.
StatusReport BuildStatusReport(const plan::Plan* plan, const std::string& stack, const std::string& engine, const std::vector<swarm::ServiceRuntime>& runtimes,
                               const std::vector<swarm::Revision>& revisions,
                               const std::map<std::string, swarm::ScaleRecord>& scale_records);

// Terminal text: a header line, the last apply, a services table (with the
// autoscale policy and last change under a service that has one), the
// other resources, the drift.
std::string RenderStatusText(const StatusReport& report);

// One JSON document (docs/status.md); `pretty` indents it, else one line.
std::string RenderStatusJson(const StatusReport& report, bool pretty);

}  // namespace nest
