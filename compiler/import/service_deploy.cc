// `nest import`: a service's depends_on, restart and deploy keys.
#include <fmt/format.h>

#include "compiler/compose_syntax/restart.h"
#include "compiler/import/service_importer.h"

namespace nest::import {

void ServiceImporter::DependsOn(const YAML::Node& node) {
  if (node.IsSequence()) {
    for (const auto& item : node)
      if (auto ref = im_.Reference(item, "service", "a service")) depends_on_.push_back(*ref);
    return;
  }
  auto entries = im_.Map(node, "`depends_on`");
  if (!entries) return;
  for (const auto& e : *entries) {
    if (auto ref = im_.Reference(e.key_node, "service", "a service")) depends_on_.push_back(*ref);
    if (e.value.IsMap())
      im_.Dropped(e.value, "nest orders by `depends_on` but waits for no condition; the condition is dropped");
  }
}

void ServiceImporter::RestartKey(const YAML::Node& node) {
  auto text = im_.Scalar(node, "`restart`");
  if (!text) return;
  auto policy = compose_syntax::ParseRestartPolicy(*text);
  if (!policy) {
    im_.Invalid(node, fmt::format("`{}` is not a restart policy", *text), policy.error().message);
    return;
  }
  using compose_syntax::RestartCondition;
  const RestartCondition condition = policy.value().condition;
  if (condition == RestartCondition::kNo) {
    // docker stack deploy gives such a service no restart policy: Swarm's default.
    im_.Dropped(node, "`restart: \"no\"` is a compose container's default and means nothing to docker stack "
                      "deploy; dropped");
    return;
  }
  NestBlock b;
  b.type = "restart";
  b.Set("condition", condition == RestartCondition::kOnFailure ? "on-failure" : "any");
  if (auto retries = policy.value().max_retries) b.Set("max_attempts", std::to_string(*retries));
  restart_block_ = std::move(b);
}

void ServiceImporter::Deploy(const YAML::Node& node) {
  auto entries = im_.Map(node, "`deploy`");
  if (!entries) return;
  for (const auto& e : *entries) {
    const std::string& k = e.key;
    if (k == "mode") {
      auto m = im_.Scalar(e.value, "`deploy.mode`");
      if (!m) continue;
      if (*m == "global" || *m == "replicated-job" || *m == "global-job") Set("mode", *m);
      else if (*m != "replicated")
        im_.Invalid(e.value, fmt::format("`{}` is not a service mode", *m),
                    "a service is `replicated`, `global`, `replicated-job` or `global-job`");
    } else if (k == "replicas") {
      Set("replicas", im_.Expr(e.value, Kind::kInteger, "`replicas`"));
    } else if (k == "endpoint_mode") {
      auto m = im_.Scalar(e.value, "`endpoint_mode`");
      if (m && (*m == "vip" || *m == "dnsrr")) Set("endpoint_mode", *m);
      else if (m) im_.Invalid(e.value, fmt::format("`{}` is not an endpoint mode", *m));
    } else if (k == "labels") {
      if (auto map = im_.StringMap(e.value, "`deploy.labels`")) labels_ = MapExpr(*map);
    } else if (k == "resources") {
      Resources(e.value);
    } else if (k == "restart_policy") {
      RestartPolicy(e.value);
    } else if (k == "placement") {
      Placement(e.value);
    } else if (k == "update_config" || k == "rollback_config") {
      UpdateConfig(k, e.value);
    } else {
      im_.UnknownKey(e, "`deploy`");
    }
  }
}

void ServiceImporter::Resources(const YAML::Node& node) {
  auto entries = im_.Map(node, "`deploy.resources`");
  if (!entries) return;
  Entries from_deploy;
  for (const auto& e : *entries) {
    if (e.key != "limits" && e.key != "reservations") {
      im_.UnknownKey(e, "`deploy.resources`");
      continue;
    }
    bool limits = e.key == "limits";
    auto values = im_.Map(e.value, "`" + e.key + "`");
    if (!values) continue;
    for (const auto& v : *values) {
      if (v.key == "cpus") from_deploy.emplace_back(limits ? "cpus" : "reserve_cpus", im_.Expr(v.value, Kind::kNumber, "`cpus`").value_or(""));
      else if (v.key == "memory") from_deploy.emplace_back(limits ? "memory" : "reserve_memory", im_.Expr(v.value, Kind::kSize, "`memory`").value_or(""));
      else if (v.key == "pids" && limits) from_deploy.emplace_back("pids", im_.Expr(v.value, Kind::kInteger, "`pids`").value_or(""));
      else im_.UnknownKey(v, "`deploy.resources." + e.key + "`");
    }
  }
  // deploy.resources wins over the service-level cpus/mem_limit keys.
  for (const auto& [k, v] : from_deploy) {
    bool replaced = false;
    for (auto& [rk, rv] : resources_)
      if (rk == k) rv = v, replaced = true;
    if (!replaced) resources_.emplace_back(k, v);
  }
}

void ServiceImporter::RestartPolicy(const YAML::Node& node) {
  auto entries = im_.Map(node, "`restart_policy`");
  if (!entries) return;
  NestBlock b;
  b.type = "restart";
  for (const auto& e : *entries) {
    if (e.key == "condition") {
      auto c = im_.Scalar(e.value, "`condition`");
      if (c && (*c == "none" || *c == "on-failure" || *c == "any")) b.Set("condition", *c);
      else if (c) im_.Invalid(e.value, fmt::format("`{}` is not a restart condition", *c));
    } else if (e.key == "delay" || e.key == "window") {
      if (auto v = im_.Expr(e.value, Kind::kDuration, "`" + e.key + "`")) b.Set(e.key, *v);
    } else if (e.key == "max_attempts") {
      if (auto v = im_.Expr(e.value, Kind::kInteger, "`max_attempts`")) b.Set("max_attempts", *v);
    } else {
      im_.UnknownKey(e, "`restart_policy`");
    }
  }
  has_restart_policy_ = true;
  restart_block_ = std::move(b);
}

void ServiceImporter::Placement(const YAML::Node& node) {
  auto entries = im_.Map(node, "`placement`");
  if (!entries) return;
  NestBlock b;
  b.type = "placement";
  for (const auto& e : *entries) {
    if (e.key == "constraints") {
      if (auto v = List(e.value, "constraints")) b.Set("constraints", *v);
    } else if (e.key == "preferences") {
      auto items = im_.Seq(e.value, "`preferences`");
      if (!items) continue;
      std::vector<std::string> spreads;
      for (const auto& item : *items) {
        auto pref = im_.Map(item, "a placement preference");
        if (!pref) continue;
        for (const auto& p : *pref) {
          if (p.key != "spread") {
            im_.UnknownKey(p, "a placement preference");
            continue;
          }
          if (auto v = Str(p.value, "spread")) spreads.push_back(*v);
        }
      }
      b.Set("preferences", ListExpr(spreads));
    } else if (e.key == "max_replicas_per_node") {
      if (auto v = im_.Expr(e.value, Kind::kInteger, "`max_replicas_per_node`")) b.Set(e.key, *v);
    } else {
      im_.UnknownKey(e, "`placement`");
    }
  }
  tail_blocks_.push_back(std::move(b));
}

void ServiceImporter::UpdateConfig(const std::string& key, const YAML::Node& node) {
  auto entries = im_.Map(node, "`" + key + "`");
  if (!entries) return;
  NestBlock b;
  bool rollback = key == "rollback_config";
  b.type = rollback ? "rollback" : "deploy";
  if (!rollback) b.labels = {"rolling"};
  for (const auto& e : *entries) {
    if (e.key == "parallelism") {
      if (auto v = im_.Expr(e.value, Kind::kInteger, "`parallelism`")) b.Set(e.key, *v);
    } else if (e.key == "delay" || e.key == "monitor") {
      if (auto v = im_.Expr(e.value, Kind::kDuration, "`" + e.key + "`")) b.Set(e.key, *v);
    } else if (e.key == "failure_action" || e.key == "order") {
      auto v = im_.Scalar(e.value, "`" + e.key + "`");
      if (!v) continue;
      bool ok = e.key == "order" ? (*v == "start-first" || *v == "stop-first")
                                 : (*v == "pause" || *v == "continue" || (*v == "rollback" && !rollback));
      if (!ok) {
        im_.Invalid(e.value, fmt::format("`{}` is not a valid `{}` of {}", *v, e.key, key));
        continue;
      }
      b.Set(e.key, *v);
    } else if (e.key == "max_failure_ratio") {
      if (auto v = im_.Expr(e.value, Kind::kFraction, "`max_failure_ratio`")) b.Set(e.key, *v);
    } else {
      im_.UnknownKey(e, "`" + key + "`");
    }
  }
  (rollback ? rollback_block_ : deploy_block_) = std::move(b);
}

}  // namespace nest::import
