// `nest import`: one compose service as a nest `service` block: the keys
// of its container (image, command, environment, security, healthcheck,
// logging) and the order the block is written in.
#include <fmt/format.h>

#include <algorithm>
#include <fstream>

#include "compiler/import/compose_keys.h"
#include "compiler/import/service_importer.h"

namespace nest::import {

namespace {

// Keys `docker stack deploy` and nest give no meaning to: dropped with a note.
bool WithoutMeaning(std::string_view key) { return key == "expose"; }

}  // namespace

NestBlock ServiceImporter::Run() {
  auto entries = im_.Map(node_, fmt::format("service `{}`", name_));
  if (!entries) return block_;
  const YAML::Node* restart = nullptr;
  const Entry* image = nullptr;
  YAML::Node deploy;
  for (const auto& e : *entries) {
    const std::string& k = e.key;
    if (k == "image") image = &e;
    else if (k == "command") Set("command", im_.CommandExpr(e.value, "`command`"));
    else if (k == "entrypoint") Set("entrypoint", im_.CommandExpr(e.value, "`entrypoint`"));
    else if (k == "environment") Environment(e.value);
    else if (k == "env_file") EnvFile(e.value);
    else if (k == "working_dir" || k == "hostname" || k == "stop_signal") Set(k, Str(e.value, k));
    else if (k == "isolation") Isolation(e.value);
    else if (k == "shm_size") Set("shm_size", im_.Expr(e.value, Kind::kSize, "`shm_size`"));
    else if (k == "privileged") security_.emplace_back(k, im_.Expr(e.value, Kind::kBool, "`privileged`"));
    else if (k == "pid") Pid(e.value);
    else if (k == "extra_hosts") ExtraHosts(e.value);
    else if (k == "dns" || k == "dns_search" || k == "dns_opt") Set(k, List(e.value, k));
    else if (k == "user") security_.emplace_back("user", Str(e.value, k));
    else if (k == "stop_grace_period") security_.emplace_back(k, im_.Expr(e.value, Kind::kDuration, "`stop_grace_period`"));
    else if (k == "read_only" || k == "init") security_.emplace_back(k, im_.Expr(e.value, Kind::kBool, "`" + k + "`"));
    else if (k == "cap_add" || k == "cap_drop") security_.emplace_back(k, List(e.value, k));
    else if (k == "security_opt") SecurityOpt(e.value);
    else if (k == "ulimits") Ulimits(e.value);
    else if (k == "sysctls") {
      if (auto map = im_.StringMap(e.value, "`sysctls`")) security_.emplace_back("sysctls", MapExpr(*map));
    } else if (k == "labels") {
      if (auto map = im_.StringMap(e.value, "`labels`")) container_labels_ = MapExpr(*map);
    } else if (k == "logging") Logging(e.value);
    else if (k == "healthcheck") Healthcheck(e.key_node, e.value);
    else if (k == "ports") Ports(e.value);
    else if (k == "networks") Networks(e.value);
    else if (k == "volumes") Volumes(e.value);
    else if (k == "tmpfs") Tmpfs(e.value);
    else if (k == "secrets" || k == "configs") FileRefs(k, e.value);
    else if (k == "deploy") deploy = e.value;
    else if (k == "restart") restart = &e.value;
    else if (k == "depends_on") DependsOn(e.value);
    else if (k == "cpus") resources_.emplace_back("cpus", im_.Expr(e.value, Kind::kNumber, "`cpus`").value_or(""));
    else if (k == "mem_limit") resources_.emplace_back("memory", im_.Expr(e.value, Kind::kSize, "`mem_limit`").value_or(""));
    else if (k == "mem_reservation") resources_.emplace_back("reserve_memory", im_.Expr(e.value, Kind::kSize, "`mem_reservation`").value_or(""));
    else if (k == "pids_limit") resources_.emplace_back("pids", im_.Expr(e.value, Kind::kInteger, "`pids_limit`").value_or(""));
    else if (k == "scale") scale_ = im_.Expr(e.value, Kind::kInteger, "`scale`");
    else if (WithoutMeaning(k)) im_.Dropped(e.key_node, fmt::format("`{}` has no effect on a service; dropped", k));
    else if (k == "build") im_.Unsupported(e.key_node, "`build`", "nest deploys images: build and push the image, then name it in `image`");
    else im_.UnmappedKey(e, fmt::format("service `{}`", name_), UnmappedServiceKeyReason(k));
  }
  if (image == nullptr) {
    if (!im_.failed()) im_.Invalid(node_, fmt::format("service `{}` has no `image`", name_));
  } else {
    block_.attributes.insert(block_.attributes.begin(), {"image", Str(image->value, "image").value_or("\"\"")});
  }
  if (deploy.IsDefined() && !deploy.IsNull()) Deploy(deploy);
  if (restart != nullptr && !has_restart_policy_) RestartKey(*restart);
  if (scale_ && !block_.Has("replicas") && !block_.Has("mode")) Set("replicas", scale_);
  Finish();
  return std::move(block_);
}

void ServiceImporter::Environment(const YAML::Node& node) {
  auto map = im_.StringMap(node, "`environment`", /*environment=*/true);
  if (!map) return;
  for (auto& [k, v] : *map) PutEnv(k, v);
}

void ServiceImporter::PutEnv(const std::string& key, const std::string& value) {
  for (auto& [k, v] : env_) {
    if (k == key) {
      v = value;
      return;
    }
  }
  env_.emplace_back(key, value);
}

// env_file: read now, like `docker stack deploy` does; `environment` wins.
void ServiceImporter::EnvFile(const YAML::Node& node) {
  std::vector<YAML::Node> files;
  if (node.IsSequence()) {
    for (const auto& f : node) files.push_back(f.IsMap() ? f["path"] : f);
  } else {
    files.push_back(node);
  }
  Entries from_files;
  for (const auto& f : files) {
    auto path = im_.Scalar(f, "`env_file`");
    if (!path) return;
    std::ifstream in(im_.AbsolutePath(*path));
    if (!in) {
      im_.Invalid(f, fmt::format("cannot read the env_file `{}`", *path));
      return;
    }
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::size_t start = line.find_first_not_of(" \t");
      if (start == std::string::npos || line[start] == '#') continue;
      std::size_t eq = line.find('=');
      std::string key = line.substr(start, eq == std::string::npos ? std::string::npos : eq - start);
      while (!key.empty() && (key.back() == ' ' || key.back() == '\t')) key.pop_back();
      if (eq == std::string::npos) {
        im_.Dropped(f, fmt::format("`{}` in env_file `{}` has no value; dropped", key, *path));
        continue;
      }
      from_files.emplace_back(key, QuoteString(line.substr(eq + 1)));
    }
  }
  // Entries of `environment` seen so far win; the files' come first.
  Entries merged = from_files;
  for (const auto& [k, v] : env_) {
    bool replaced = false;
    for (auto& [mk, mv] : merged)
      if (mk == k) mv = v, replaced = true;
    if (!replaced) merged.emplace_back(k, v);
  }
  env_ = std::move(merged);
}

// extra_hosts: a list of "host:address" (split at the first colon, as
// docker/cli does, so "v6:::1" is host v6, address ::1) or a map, which
// docker/cli sorts by host. nest's map keeps the order it is given.
void ServiceImporter::ExtraHosts(const YAML::Node& node) {
  Entries hosts;
  auto add = [&](const YAML::Node& at, const std::string& host, const std::string& address) {
    if (host.empty() || host.find('$') != std::string::npos) {
      im_.Unsupported(at, fmt::format("the host name `{}` in `extra_hosts`", host),
                      "nest's extra_hosts are keyed by a literal host name");
      return;
    }
    for (const auto& [h, a] : hosts) {
      if (h == host) {
        im_.Unsupported(at, fmt::format("a second address for `{}` in `extra_hosts`", host),
                        "nest's extra_hosts give each host one address");
        return;
      }
    }
    if (auto v = im_.ExprText(address, at, Kind::kString, "an `extra_hosts` address")) hosts.emplace_back(host, *v);
  };
  if (node.IsMap()) {
    auto entries = im_.Map(node, "`extra_hosts`");
    if (!entries) return;
    std::vector<const Entry*> sorted;
    for (const auto& e : *entries) sorted.push_back(&e);
    std::stable_sort(sorted.begin(), sorted.end(), [](const Entry* a, const Entry* b) { return a->key < b->key; });
    for (const Entry* e : sorted) {
      if (auto address = im_.Scalar(e->value, "an `extra_hosts` address")) add(e->value, e->key, *address);
    }
  } else {
    auto items = im_.Seq(node, "`extra_hosts`");
    if (!items) return;
    for (const auto& item : *items) {
      auto text = im_.Scalar(item, "`extra_hosts`");
      if (!text) continue;
      std::size_t colon = text->find(':');
      if (colon == std::string::npos) {
        im_.Invalid(item, fmt::format("the `extra_hosts` entry `{}` is not `host:address`", *text));
        continue;
      }
      add(item, text->substr(0, colon), text->substr(colon + 1));
    }
  }
  if (!hosts.empty()) block_.Set("extra_hosts", MapExpr(hosts));
}

void ServiceImporter::Isolation(const YAML::Node& node) {
  auto v = im_.Scalar(node, "`isolation`");
  if (!v) return;
  if (*v == "default" || *v == "process" || *v == "hyperv") Set("isolation", *v);
  else im_.Invalid(node, fmt::format("`{}` is not an isolation technology", *v), "nest knows default, process and hyperv");
}

// `pid: host` is nest's `security { pid = host }` (compose target only);
// sharing another service's or container's namespace has no nest form.
void ServiceImporter::Pid(const YAML::Node& node) {
  if (node.IsNull()) return;  // `pid:` with no value is the default
  auto v = im_.Scalar(node, "`pid`");
  if (!v) return;
  if (*v == "host") security_.emplace_back("pid", std::string("host"));
  else im_.Unsupported(node, fmt::format("`pid: {}`", *v), "nest shares only the host's process namespace (`pid = host`)");
}

void ServiceImporter::SecurityOpt(const YAML::Node& node) {
  auto items = im_.Seq(node, "`security_opt`");
  if (!items) return;
  for (const auto& item : *items) {
    auto text = im_.Scalar(item, "`security_opt`");
    if (!text) continue;
    if (*text == "no-new-privileges" || *text == "no-new-privileges:true" || *text == "no-new-privileges=true")
      security_.emplace_back("no_new_privileges", "true");
    else if (*text == "no-new-privileges:false" || *text == "no-new-privileges=false")
      security_.emplace_back("no_new_privileges", "false");
    else
      im_.Unsupported(item, fmt::format("the security option `{}`", *text),
                      "nest's `security` block has no-new-privileges only");
  }
}

void ServiceImporter::Ulimits(const YAML::Node& node) {
  auto entries = im_.Map(node, "`ulimits`");
  if (!entries) return;
  Entries equal;
  for (const auto& e : *entries) {
    if (!e.value.IsMap()) {
      if (auto v = im_.Expr(e.value, Kind::kInteger, "a ulimit")) equal.emplace_back(e.key, *v);
      continue;
    }
    auto limits = im_.Map(e.value, "a ulimit");
    if (!limits) continue;
    std::optional<std::string> soft, hard;
    for (const auto& l : *limits) {
      if (l.key == "soft") soft = im_.Expr(l.value, Kind::kInteger, "`soft`");
      else if (l.key == "hard") hard = im_.Expr(l.value, Kind::kInteger, "`hard`");
      else im_.UnknownKey(l, "a ulimit");
    }
    if (!soft || !hard) {
      if (!im_.failed()) im_.Invalid(e.value, fmt::format("the ulimit `{}` needs `soft` and `hard`", e.key));
      continue;
    }
    if (*soft == *hard) {
      equal.emplace_back(e.key, *soft);
      continue;
    }
    NestBlock u;
    u.type = "ulimit";
    u.Set("name", QuoteString(e.key));
    u.Set("soft", *soft);
    u.Set("hard", *hard);
    ulimit_blocks_.push_back(std::move(u));
  }
  if (!equal.empty()) security_.emplace_back("ulimits", MapExpr(equal));
}

void ServiceImporter::Logging(const YAML::Node& node) {
  auto entries = im_.Map(node, "`logging`");
  if (!entries) return;
  NestBlock b;
  b.type = "logging";
  for (const auto& e : *entries) {
    if (e.key == "driver") {
      if (auto v = Str(e.value, "logging.driver")) b.Set("driver", *v);
    } else if (e.key == "options") {
      if (auto map = im_.StringMap(e.value, "`logging.options`")) b.Set("options", MapExpr(*map));
    } else {
      im_.UnknownKey(e, "`logging`");
    }
  }
  if (!b.Has("driver")) {
    im_.Unsupported(node, "`logging` without a `driver`", "nest needs the log driver named: add `driver: json-file`");
    return;
  }
  tail_blocks_.push_back(std::move(b));
}

void ServiceImporter::Healthcheck(const YAML::Node& key, const YAML::Node& node) {
  auto entries = im_.Map(node, "`healthcheck`");
  if (!entries) return;
  NestBlock b;
  b.type = "healthcheck";
  bool disabled = false;
  for (const auto& e : *entries) {
    if (e.key == "test") {
      if (e.value.IsScalar()) {
        // A string test runs through a shell (CMD-SHELL): nest's string form.
        if (auto v = Str(e.value, "healthcheck.test")) b.Set("test", *v);
        continue;
      }
      auto items = im_.Seq(e.value, "`healthcheck.test`");
      if (!items || items->empty()) continue;
      auto first = im_.Scalar((*items)[0], "`healthcheck.test`");
      if (!first) continue;
      if (*first == "NONE") {
        disabled = true;
      } else if (*first == "CMD-SHELL" && items->size() == 2) {
        if (auto v = Str((*items)[1], "healthcheck.test")) b.Set("test", *v);
      } else {
        if (auto v = List(e.value, "healthcheck.test")) b.Set("test", *v);
      }
    } else if (e.key == "interval" || e.key == "timeout" || e.key == "start_period") {
      if (auto v = im_.Expr(e.value, Kind::kDuration, "`" + e.key + "`")) b.Set(e.key, *v);
    } else if (e.key == "retries") {
      if (auto v = im_.Expr(e.value, Kind::kInteger, "`retries`")) b.Set("retries", *v);
    } else if (e.key == "disable") {
      auto v = im_.Expr(e.value, Kind::kBool, "`disable`");
      disabled = disabled || (v && *v == "true");
    } else {
      im_.UnknownKey(e, "`healthcheck`");
    }
  }
  if (disabled) {
    NestBlock off;
    off.type = "healthcheck";
    off.Set("disable", "true");
    tail_blocks_.push_back(std::move(off));
    return;
  }
  if (!b.Has("test")) {
    im_.Unsupported(key, "a `healthcheck` without `test`",
                    "nest writes the check out: copy the image's HEALTHCHECK command into `test`");
    return;
  }
  tail_blocks_.push_back(std::move(b));
}

// Attributes in a fixed order, then blocks.
void ServiceImporter::Finish() {
  if (!env_.empty()) block_.Set("env", MapExpr(env_));
  if (!port_literals_.empty()) block_.Set("ports", ListExpr(port_literals_));
  if (!networks_.empty()) block_.Set("networks", ListExpr(networks_));
  if (!secret_refs_.empty()) block_.Set("secrets", ListExpr(secret_refs_));
  if (!config_refs_.empty()) block_.Set("configs", ListExpr(config_refs_));
  if (labels_) block_.Set("labels", *labels_);
  if (container_labels_) block_.Set("container_labels", *container_labels_);
  if (!depends_on_.empty()) block_.Set("depends_on", ListExpr(depends_on_));
  for (auto& b : port_blocks_) block_.blocks.push_back(std::move(b));
  for (auto& b : alias_blocks_) block_.blocks.push_back(std::move(b));
  for (auto& b : mount_blocks_) block_.blocks.push_back(std::move(b));
  for (auto& b : file_blocks_) block_.blocks.push_back(std::move(b));
  // Healthcheck, logging and placement were collected in source order;
  // put them in nest's usual order around the others.
  auto take = [&](const char* type) {
    for (auto& b : tail_blocks_)
      if (b.type == type) block_.blocks.push_back(std::move(b));
  };
  take("healthcheck");
  if (!resources_.empty()) {
    NestBlock r;
    r.type = "resources";
    for (auto& [k, v] : resources_)
      if (!v.empty()) r.Set(k, v);
    block_.blocks.push_back(std::move(r));
  }
  if (restart_block_) block_.blocks.push_back(std::move(*restart_block_));
  take("placement");
  if (!security_.empty() || !ulimit_blocks_.empty()) {
    NestBlock s;
    s.type = "security";
    for (auto& [k, v] : security_)
      if (v) s.Set(k, *v);
    for (auto& u : ulimit_blocks_) s.blocks.push_back(std::move(u));
    block_.blocks.push_back(std::move(s));
  }
  take("logging");
  if (deploy_block_) block_.blocks.push_back(std::move(*deploy_block_));
  if (rollback_block_) block_.blocks.push_back(std::move(*rollback_block_));
}

NestBlock ImportService(Importer& im, const std::string& name, const YAML::Node& node) {
  return ServiceImporter(im, name, node).Run();
}

}  // namespace nest::import
