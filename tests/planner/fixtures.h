// Small states and plans the planner tests share: built by hand, no engine.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "planner/diff.h"
#include "planner/plan.h"
#include "planner/state/state.h"

namespace nest::plan::testing {

inline AttributeValue S(std::string text) { return AttributeValue::Scalar(std::move(text)); }
inline AttributeValue Secret(std::string text) { return AttributeValue::Scalar(std::move(text), true); }
inline AttributeValue L(std::vector<AttributeValue> items) { return AttributeValue::List(std::move(items)); }
inline AttributeValue M(std::map<std::string, AttributeValue> entries) {
  return AttributeValue::Map(std::move(entries));
}

inline ResourceState R(std::string address, ResourceKind kind, std::string docker_name,
                       std::map<std::string, AttributeValue> attributes) {
  ResourceState state;
  state.address = std::move(address);
  state.kind = kind;
  state.docker_name = std::move(docker_name);
  state.attributes = std::move(attributes);
  return state;
}

// A live copy of a desired resource, as nest would have left it.
inline ResourceState Live(ResourceState state, std::string id, std::uint64_t index) {
  state.managed = true;
  state.stack_label = true;
  state.version = LiveVersion{std::move(id), index};
  state.force_new.clear();
  return state;
}

inline StackState Stack(std::string name, std::vector<ResourceState> resources) {
  std::sort(resources.begin(), resources.end(),
            [](const ResourceState& a, const ResourceState& b) { return a.address < b.address; });
  return StackState{std::move(name), std::move(resources)};
}

// The password every test plants so it can grep for it.
inline constexpr const char* kPassword = "hunter2-very-secret-password";

// A small MediaNest: network, secret, app (changed image, rotated secret),
// worker (new), cache (unchanged), old (gone from the config).
inline ResourceState DesiredApp() {
  ResourceState app = R("service.app", ResourceKind::kService, "medianest_app",
                        {{"image", S("medianest/app:1.3.0")},
                         {"replicas", S("3")},
                         {"mode", S("replicated")},
                         {"env", M({{"NODE_ENV", S("production")},
                                    {"DATABASE_URL", Secret(std::string("postgresql://app:") + kPassword + "@db/app")}})},
                         {"networks", L({S("backend")})},
                         {"secrets", L({S("medianest_db_password_9c1e")})}});
  app.force_new = {"mode"};
  app.spec_hash = "hash-app-2";
  return app;
}

inline StackState DesiredMedianest() {
  // Secret content cannot be read back: the name carries its hash.
  ResourceState secret = R("secret.db_password", ResourceKind::kSecret, "medianest_db_password_9c1e", {});
  ResourceState cache = R("service.cache", ResourceKind::kService, "medianest_cache",
                          {{"image", S("redis:7")}, {"replicas", S("1")}, {"mode", S("replicated")}});
  cache.spec_hash = "hash-cache-1";
  ResourceState worker = R("service.worker", ResourceKind::kService, "medianest_worker",
                           {{"image", S("medianest/worker:1.3.0")}, {"replicas", S("2")},
                            {"command", L({S("node"), S("worker.js")})}});
  return Stack("medianest", {R("network.backend", ResourceKind::kNetwork, "medianest_backend",
                               {{"driver", S("overlay")}, {"internal", S("true")}}),
                             secret, DesiredApp(), cache, worker});
}

inline StackState LiveMedianest() {
  ResourceState app = DesiredApp();
  app.attributes["image"] = S("medianest/app:1.2.3");
  app.attributes["secrets"] = L({S("medianest_db_password_3f2a")});
  // The live side does not know this came from a secret.
  app.attributes["env"].map["DATABASE_URL"] = S(std::string("postgresql://app:") + kPassword + "@db/app");
  app.spec_hash = "hash-app-1";
  ResourceState secret = R("secret.db_password", ResourceKind::kSecret, "medianest_db_password_3f2a", {});
  ResourceState cache = R("service.cache", ResourceKind::kService, "medianest_cache",
                          {{"image", S("redis:7")}, {"replicas", S("1")}, {"mode", S("replicated")}});
  cache.spec_hash = "hash-cache-1";
  ResourceState old = R("service.old", ResourceKind::kService, "medianest_old",
                        {{"image", S("medianest/old:0.9")}, {"replicas", S("1")}});
  return Stack("medianest", {Live(R("network.backend", ResourceKind::kNetwork, "medianest_backend",
                                    {{"driver", S("overlay")}, {"internal", S("true")}}),
                                  "net1", 0),
                             Live(secret, "sec1", 11), Live(app, "svc-app", 42), Live(cache, "svc-cache", 17),
                             Live(old, "svc-old", 5)});
}

inline DiffOptions MedianestOptions() {
  DiffOptions options;
  options.order = {"network.backend", "secret.db_password", "service.app", "service.cache", "service.worker"};
  options.depends_on["service.app"] = {"network.backend", "secret.db_password"};
  options.depends_on["service.worker"] = {"network.backend"};
  return options;
}

inline Plan MedianestPlan() {
  Plan plan = Diff(DesiredMedianest(), LiveMedianest(), MedianestOptions());
  plan.target = "swarm";
  plan.engine = "unix:///var/run/docker.sock";
  return plan;
}

// MedianestPlan() as `nest plan` prints it: the text renderer's golden, and
// the body of the markdown renderer's (which moves each change symbol to
// column 0).
inline constexpr std::string_view kMedianestPlanText = R"(Warning: this plan destroys or replaces 2 resources: secret.db_password, service.old

Resource actions are indicated with the following symbols:
  + create
  ~ update in place
  - destroy
+/- create replacement and then destroy

nest will perform the following actions:

  # secret.db_password must be replaced
  # (because its content changed: `medianest_db_password_9c1e` is created, its users move to it, then `medianest_db_password_3f2a` is removed)
+/- secret "db_password" {
      ~ name = "medianest_db_password_3f2a" -> "medianest_db_password_9c1e" # forces replacement
    }

  # service.app will be updated in place
  ~ service "app" {
      ~ image   = "medianest/app:1.2.3" -> "medianest/app:1.3.0"
      ~ secrets = [
          - "medianest_db_password_3f2a",
          + "medianest_db_password_9c1e",
        ]
        # (4 unchanged attributes hidden)
    }

  # service.worker will be created
  + service "worker" {
      + command  = [
          + "node",
          + "worker.js",
        ]
      + image    = "medianest/worker:1.3.0"
      + replicas = 2
    }

  # service.old will be destroyed
  # (because it is not in the configuration)
  - service "old" {
      - image    = "medianest/old:0.9" -> null
      - replicas = 1 -> null
    }

Plan: 2 to add, 1 to change, 2 to destroy.
)";

}  // namespace nest::plan::testing
