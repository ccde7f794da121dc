#include "providers/swarm/convert.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

#include "compiler/compose_syntax/restart.h"
#include "compiler/compose_syntax/shell_words.h"
#include "providers/swarm/convert_internal.h"
#include "providers/swarm/normalize.h"
#include "providers/units.h"

namespace nest::swarm {
namespace {

using namespace convert_parts;  // NOLINT(google-build-using-namespace): the conversion's own helpers

// ---- service pieces ---------------------------------------------------------

std::vector<std::string> Command(const Doc& service, const char* key, const Refusals& refusals) {
  const Doc* value = Field(service, key);
  if (value == nullptr) return {};
  if (!value->is_string()) return Strings(value);
  auto words = compose_syntax::SplitShellWords(value->get<std::string>());
  if (!words) {
    refusals.Refuse(key, words.error().message);
    return {};
  }
  return words.value();
}

json Environment(const Doc* value) {
  std::vector<std::string> env;
  if (value != nullptr && value->is_object()) {
    for (const auto& [k, v] : value->items()) env.push_back(v.is_null() ? k : k + "=" + providers::ScalarText(v));
  } else {
    env = Strings(value);
  }
  std::sort(env.begin(), env.end());
  return env;
}

json Healthcheck(const Doc* check, const Refusals& refusals) {
  if (check == nullptr) return nullptr;
  json out = json::object();
  if (Flag(*check, "disable")) {
    if (!Strings(Field(*check, "test")).empty()) refusals.warnings.push_back("service " + refusals.service + ": healthcheck test and disable both set");
    out["Test"] = json::array({"NONE"});
    return out;
  }
  if (const Doc* test = Field(*check, "test")) {
    if (test->is_string()) out["Test"] = json::array({"CMD-SHELL", test->get<std::string>()});
    else out["Test"] = Strings(test);
  }
  if (auto v = DurationOf(*check, "timeout", refusals)) out["Timeout"] = *v;
  if (auto v = DurationOf(*check, "interval", refusals)) out["Interval"] = *v;
  if (const Doc* retries = Field(*check, "retries"); retries && retries->is_number()) out["Retries"] = retries->get<std::int64_t>();
  if (auto v = DurationOf(*check, "start_period", refusals)) out["StartPeriod"] = *v;
  return out;
}

// deploy.restart_policy, else the legacy `restart:` (docker/cli
// convertRestartPolicy).
json RestartPolicy(const Doc& service, const Doc* deploy, const Refusals& refusals) {
  if (const Doc* policy = deploy ? Field(*deploy, "restart_policy") : nullptr) {
    json out = json::object();
    out["Condition"] = Text(*policy, "condition");
    if (auto v = DurationOf(*policy, "delay", refusals)) out["Delay"] = *v;
    if (const Doc* n = Field(*policy, "max_attempts"); n && n->is_number()) out["MaxAttempts"] = n->get<std::int64_t>();
    if (auto v = DurationOf(*policy, "window", refusals)) out["Window"] = *v;
    return out;
  }
  auto restart = compose_syntax::ParseRestartPolicy(Text(service, "restart"));
  if (!restart) {
    refusals.Refuse("restart", restart.error().message);
    return nullptr;
  }
  using compose_syntax::RestartCondition;
  const compose_syntax::RestartPolicy& policy = restart.value();
  if (policy.condition == RestartCondition::kNo) return nullptr;
  json out = json::object();
  out["Condition"] = policy.condition == RestartCondition::kOnFailure ? "on-failure" : "any";
  if (policy.max_retries.value_or(0) > 0) out["MaxAttempts"] = *policy.max_retries;
  return out;
}

json UpdateConfig(const Doc* config, const Refusals& refusals) {
  if (config == nullptr) return nullptr;
  json out = json::object();
  const Doc* parallelism = Field(*config, "parallelism");
  out["Parallelism"] = parallelism != nullptr && parallelism->is_number() ? parallelism->get<std::int64_t>() : 1;
  if (auto v = DurationOf(*config, "delay", refusals); v && *v != 0) out["Delay"] = *v;
  out["FailureAction"] = Text(*config, "failure_action");
  if (auto v = DurationOf(*config, "monitor", refusals); v && *v != 0) out["Monitor"] = *v;
  if (const Doc* ratio = Field(*config, "max_failure_ratio"); ratio && ratio->is_number()) {
    out["MaxFailureRatio"] = ratio->get<double>();
  } else {
    out["MaxFailureRatio"] = 0;
  }
  out["Order"] = Text(*config, "order");
  return out;
}

// A number of CPUs or bytes, left out when refused.
template <typename Read>
void PutAmount(json& out, const char* name, const Doc& object, const char* key, Read read, const Refusals& refusals) {
  const Doc* value = Field(object, key);
  if (value == nullptr) return;
  auto amount = read(*value);
  if (amount) out[name] = amount.value();
  else refusals.Refuse(key, amount.error().message);
}

json Resources(const Doc* resources, const Refusals& refusals) {
  json out = json::object();
  if (resources == nullptr) return out;
  if (const Doc* limits = Field(*resources, "limits")) {
    json l = json::object();
    PutAmount(l, "NanoCPUs", *limits, "cpus", providers::NanoCpusFromJson, refusals);
    PutAmount(l, "MemoryBytes", *limits, "memory", providers::BytesFromJson, refusals);
    if (const Doc* v = Field(*limits, "pids"); v && v->is_number()) l["Pids"] = v->get<std::int64_t>();
    out["Limits"] = l;
  }
  if (const Doc* reservations = Field(*resources, "reservations")) {
    json r = json::object();
    PutAmount(r, "NanoCPUs", *reservations, "cpus", providers::NanoCpusFromJson, refusals);
    PutAmount(r, "MemoryBytes", *reservations, "memory", providers::BytesFromJson, refusals);
    if (const Doc* generic = Field(*reservations, "generic_resources"); generic && generic->is_array()) {
      json list = json::array();
      for (const auto& item : *generic) {
        if (const Doc* spec = Field(item, "discrete_resource_spec")) {
          list.push_back({{"DiscreteResourceSpec", {{"Kind", Text(*spec, "kind")}, {"Value", (*spec).value("value", 0)}}}});
        }
      }
      if (!list.empty()) r["GenericResources"] = list;
    }
    out["Reservations"] = r;
  }
  return out;
}

json Placement(const Doc* placement) {
  json out = json::object();
  if (placement == nullptr) return out;
  if (auto constraints = Strings(Field(*placement, "constraints")); !constraints.empty()) out["Constraints"] = constraints;
  if (const Doc* prefs = Field(*placement, "preferences"); prefs && prefs->is_array()) {
    json list = json::array();
    for (const auto& p : *prefs) list.push_back({{"Spread", {{"SpreadDescriptor", Text(p, "spread")}}}});
    if (!list.empty()) out["Preferences"] = list;
  }
  if (const Doc* max = Field(*placement, "max_replicas_per_node"); max && max->is_number()) {
    out["MaxReplicas"] = max->get<std::int64_t>();
  }
  return out;
}

json Mode(const Doc* deploy, std::vector<std::string>& warnings, const std::string& service) {
  std::string mode = deploy != nullptr ? Text(*deploy, "mode") : "";
  const Doc* replicas = deploy != nullptr ? Field(*deploy, "replicas") : nullptr;
  std::optional<std::int64_t> count;
  if (replicas != nullptr && replicas->is_number()) count = replicas->get<std::int64_t>();
  if (mode == "global" || mode == "global-job") {
    if (count) warnings.push_back("service " + service + ": replicas can only be used with replicated mode");
    return {{mode == "global" ? "Global" : "GlobalJob", json::object()}};
  }
  if (mode == "replicated-job") {
    json job = json::object();
    if (count) job = {{"MaxConcurrent", *count}, {"TotalCompletions", *count}};
    return {{"ReplicatedJob", job}};
  }
  json replicated = json::object();
  if (count) replicated["Replicas"] = *count;
  return {{"Replicated", replicated}};
}

json Networks(const Doc& document, const Doc& service, const std::string& key, const std::string& stack,
              std::set<std::string>& used) {
  std::map<std::string, const Doc*> attachments;
  if (const Doc* list = Field(service, "networks")) {
    if (list->is_array()) {
      for (const auto& name : *list) attachments[providers::ScalarText(name)] = nullptr;
    } else if (list->is_object()) {
      for (const auto& [name, config] : list->items()) attachments[name] = config.is_object() ? &config : nullptr;
    }
  }
  if (attachments.empty()) attachments["default"] = nullptr;
  std::vector<json> nets;
  for (const auto& [name, config] : attachments) {
    used.insert(name);
    json attachment = json::object();
    attachment["Target"] = ObjectName(document, "networks", name, stack);
    std::vector<std::string> aliases;
    if (config != nullptr) aliases = Strings(Field(*config, "aliases"));
    // Only user-defined networks take aliases (never bridge, host, none).
    std::string target = attachment["Target"];
    if (target != "bridge" && target != "host" && target != "none" && target != "default" &&
        !target.starts_with("container:")) {
      aliases.push_back(key);
    }
    if (!aliases.empty()) attachment["Aliases"] = aliases;
    if (config != nullptr) {
      if (auto opts = Mapping(Field(*config, "driver_opts")); !opts.empty()) attachment["DriverOpts"] = MapJson(opts);
    }
    nets.push_back(std::move(attachment));
  }
  std::stable_sort(nets.begin(), nets.end(),
                   [](const json& a, const json& b) { return a["Target"].get<std::string>() < b["Target"].get<std::string>(); });
  return nets;
}

std::pair<std::vector<std::string>, std::vector<std::string>> Capabilities(const Doc& service) {
  std::set<std::string> add, drop;
  for (const auto& c : Strings(Field(service, "cap_add"))) add.insert(NormalizeCapability(c));
  for (const auto& c : Strings(Field(service, "cap_drop"))) drop.insert(NormalizeCapability(c));
  if (add.count("ALL")) add = {"ALL"};
  if (drop.count("ALL")) drop = {"ALL"};
  std::vector<std::string> capadd, capdrop;
  for (const auto& c : drop) {
    if (!add.count(c) && c != "RESET") capdrop.push_back(c);
  }
  for (const auto& c : add) {
    if (c != "RESET") capadd.push_back(c);
  }
  return {capadd, capdrop};
}

json Ulimits(const Doc* ulimits) {
  json out = json::array();
  if (ulimits == nullptr || !ulimits->is_object()) return out;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> sorted;
  for (const auto& [name, value] : ulimits->items()) {
    if (value.is_number()) {
      sorted[name] = {value.get<std::int64_t>(), value.get<std::int64_t>()};
    } else if (value.is_object()) {
      sorted[name] = {value.value("soft", std::int64_t{0}), value.value("hard", std::int64_t{0})};
    }
  }
  for (const auto& [name, limits] : sorted) out.push_back({{"Name", name}, {"Soft", limits.first}, {"Hard", limits.second}});
  return out;
}

// Keys of a service docker stack deploy ignores (it prints "Ignoring
// unsupported options") or that have no ServiceSpec field.
const char* const kIgnoredServiceKeys[] = {
    "build", "cgroup_parent", "container_name", "devices", "depends_on", "external_links", "links",
    "network_mode", "security_opt", "userns_mode", "privileged", "pid", "ipc", "shm_size",
    "cpus", "mem_limit", "mem_reservation", "pids_limit", "volumes_from", "tmpfs", "env_file"};

json Service(const Doc& document, const std::string& key, const Doc& service, const std::string& stack,
             std::set<std::string>& used_networks, std::vector<std::string>& warnings) {
  const Refusals refusals{key, warnings};
  const Doc* deploy = Field(service, "deploy");
  std::string image = Text(service, "image");
  json spec = json::object();
  spec["Name"] = Scope(stack, key);
  auto labels = deploy != nullptr ? Mapping(Field(*deploy, "labels")) : std::map<std::string, std::string>();
  labels[kStackLabel] = stack;
  labels[kStackImageLabel] = image;
  spec["Labels"] = MapJson(labels);

  json container = json::object();
  container["Image"] = image;
  container["Labels"] = WithStackLabel(Mapping(Field(service, "labels")), stack);
  if (auto v = Command(service, "entrypoint", refusals); !v.empty()) container["Command"] = v;
  if (auto v = Command(service, "command", refusals); !v.empty()) container["Args"] = v;
  for (auto [from, to] : {std::pair{"hostname", "Hostname"}, {"working_dir", "Dir"}, {"user", "User"},
                          {"stop_signal", "StopSignal"}, {"isolation", "Isolation"}}) {
    if (std::string v = Text(service, from); !v.empty()) container[to] = v;
  }
  if (json env = Environment(Field(service, "environment")); !env.empty()) container["Env"] = env;
  // extra_hosts: docker/cli's loader turns the map form into "host:ip" sorted
  // by host; the list form keeps its order. Both become "ip host".
  std::vector<std::string> hosts;
  if (const Doc* extra = Field(service, "extra_hosts"); extra && extra->is_object()) {
    for (const auto& [host, ip] : Mapping(extra)) hosts.push_back(ip + " " + host);
  } else {
    for (const auto& entry : Strings(extra)) {
      auto colon = entry.find(':');
      if (colon != std::string::npos) hosts.push_back(entry.substr(colon + 1) + " " + entry.substr(0, colon));
    }
  }
  if (!hosts.empty()) container["Hosts"] = hosts;
  auto dns = Strings(Field(service, "dns"));
  auto search = Strings(Field(service, "dns_search"));
  if (!dns.empty() || !search.empty()) {
    json config = json::object();
    if (!dns.empty()) config["Nameservers"] = dns;
    if (!search.empty()) config["Search"] = search;
    container["DNSConfig"] = config;
  }
  if (json check = Healthcheck(Field(service, "healthcheck"), refusals); !check.is_null()) container["Healthcheck"] = check;
  if (auto v = DurationOf(service, "stop_grace_period", refusals)) container["StopGracePeriod"] = *v;
  if (Flag(service, "tty")) container["TTY"] = true;
  if (Flag(service, "stdin_open")) container["OpenStdin"] = true;
  if (Flag(service, "read_only")) container["ReadOnly"] = true;
  if (const Doc* init = Field(service, "init"); init && init->is_boolean()) container["Init"] = init->get<bool>();
  container["Privileges"] = {{"CredentialSpec", nullptr}, {"SELinuxContext", nullptr}};
  json mounts = Mounts(document, service, stack, refusals);
  if (!mounts.empty()) container["Mounts"] = mounts;
  if (json s = FileReferences(document, Field(service, "secrets"), "secrets", "SecretName", stack); !s.empty()) {
    container["Secrets"] = s;
  }
  if (json c = FileReferences(document, Field(service, "configs"), "configs", "ConfigName", stack); !c.empty()) {
    container["Configs"] = c;
  }
  if (auto sysctls = Mapping(Field(service, "sysctls")); !sysctls.empty()) container["Sysctls"] = MapJson(sysctls);
  auto [capadd, capdrop] = Capabilities(service);
  if (!capadd.empty()) container["CapabilityAdd"] = capadd;
  if (!capdrop.empty()) container["CapabilityDrop"] = capdrop;
  if (json u = Ulimits(Field(service, "ulimits")); !u.empty()) container["Ulimits"] = u;

  json task = json::object();
  task["ContainerSpec"] = container;
  if (const Doc* logging = Field(service, "logging")) {
    json driver = {{"Name", Text(*logging, "driver")}};
    if (auto opts = Mapping(Field(*logging, "options")); !opts.empty()) driver["Options"] = MapJson(opts);
    task["LogDriver"] = driver;
  }
  task["Resources"] = Resources(deploy != nullptr ? Field(*deploy, "resources") : nullptr, refusals);
  if (json restart = RestartPolicy(service, deploy, refusals); !restart.is_null()) task["RestartPolicy"] = restart;
  task["Placement"] = Placement(deploy != nullptr ? Field(*deploy, "placement") : nullptr);
  task["Networks"] = Networks(document, service, key, stack, used_networks);
  spec["TaskTemplate"] = task;
  spec["Mode"] = Mode(deploy, warnings, key);
  if (json u = UpdateConfig(deploy != nullptr ? Field(*deploy, "update_config") : nullptr, refusals); !u.is_null()) spec["UpdateConfig"] = u;
  if (json r = UpdateConfig(deploy != nullptr ? Field(*deploy, "rollback_config") : nullptr, refusals); !r.is_null()) spec["RollbackConfig"] = r;
  spec["EndpointSpec"] = EndpointSpec(service, deploy, refusals);

  for (const char* ignored : kIgnoredServiceKeys) {
    if (Field(service, ignored) != nullptr) {
      warnings.push_back("service " + key + ": docker stack deploy ignores `" + ignored + "`");
    }
  }
  return spec;
}

json Network(const std::string& name, const Doc& network, const std::string& stack) {
  json body = json::object();
  body["Name"] = name;
  body["CheckDuplicate"] = true;
  std::string driver = Text(network, "driver");
  body["Driver"] = driver.empty() ? "overlay" : driver;
  if (auto opts = Mapping(Field(network, "driver_opts")); !opts.empty()) body["Options"] = MapJson(opts);
  if (Flag(network, "internal")) body["Internal"] = true;
  if (Flag(network, "attachable")) body["Attachable"] = true;
  if (const Doc* ipam = Field(network, "ipam")) {
    json i = json::object();
    i["Driver"] = Text(*ipam, "driver");
    json configs = json::array();
    if (const Doc* list = Field(*ipam, "config"); list && list->is_array()) {
      // docker stack deploy passes only the subnet on; a document for the
      // Engine API has the gateway and range too (convert.h).
      for (const auto& c : *list) {
        json pool = {{"Subnet", Text(c, "subnet")}};
        if (std::string gateway = Text(c, "gateway"); !gateway.empty()) pool["Gateway"] = gateway;
        if (std::string range = Text(c, "ip_range"); !range.empty()) pool["IPRange"] = range;
        configs.push_back(std::move(pool));
      }
    }
    if (!configs.empty()) i["Config"] = configs;
    if (!i["Driver"].get<std::string>().empty() || !configs.empty()) body["IPAM"] = i;
  }
  body["Labels"] = WithStackLabel(Mapping(Field(network, "labels")), stack);
  return body;
}

FileObjectSpec FileObject(const std::string& key, const Doc& object, const std::string& stack, bool secret) {
  FileObjectSpec out;
  out.key = key;
  out.file = Text(object, "file");
  if (const Doc* content = Field(object, "content"); !secret && content != nullptr && content->is_string()) {
    out.content = content->get<std::string>();
  }
  std::string name = Text(object, "name");
  out.spec["Name"] = name.empty() ? Scope(stack, key) : name;
  out.spec["Labels"] = WithStackLabel(Mapping(Field(object, "labels")), stack);
  std::string driver = Text(object, "driver");
  if (secret && !driver.empty()) {
    json d = {{"Name", driver}};
    if (auto opts = Mapping(Field(object, "driver_opts")); !opts.empty()) d["Options"] = MapJson(opts);
    out.spec["Driver"] = d;
  }
  if (std::string templating = Text(object, "template_driver"); !templating.empty()) {
    out.spec["Templating"] = {{"Name", templating}};
  }
  return out;
}

}  // namespace

StackSpecs ConvertComposeDocument(const Doc& document, const std::string& stack) {
  StackSpecs out;
  out.stack = stack;
  std::set<std::string> used_networks;
  if (const Doc* services = Field(document, "services"); services && services->is_object()) {
    for (const auto& [key, service] : services->items()) {
      out.services.push_back(Service(document, key, service, stack, used_networks, out.warnings));
    }
  }
  std::map<std::string, json> networks;
  std::set<std::string> external;
  const Doc* declared = Field(document, "networks");
  std::set<std::string> keys = used_networks;
  if (declared != nullptr && declared->is_object()) {
    for (const auto& [key, _] : declared->items()) keys.insert(key);
  }
  static const Doc kEmpty = Doc::object();
  for (const auto& key : keys) {
    const Doc* network = declared != nullptr ? Field(*declared, key.c_str()) : nullptr;
    if (network == nullptr) network = &kEmpty;
    std::string name = ObjectName(document, "networks", key, stack);
    if (Flag(*network, "external")) {
      external.insert(name);
      continue;
    }
    networks[name] = Network(name, *network, stack);
  }
  for (auto& [_, body] : networks) out.networks.push_back(std::move(body));
  out.external_networks.assign(external.begin(), external.end());

  if (const Doc* volumes = Field(document, "volumes"); volumes && volumes->is_object()) {
    for (const auto& [key, volume] : volumes->items()) {
      const Doc& v = volume.is_object() ? volume : kEmpty;
      if (Flag(v, "external")) continue;
      json body = json::object();
      std::string name = Text(v, "name");
      body["Name"] = name.empty() ? Scope(stack, key) : name;
      body["Driver"] = Text(v, "driver");
      if (auto opts = Mapping(Field(v, "driver_opts")); !opts.empty()) body["DriverOpts"] = MapJson(opts);
      body["Labels"] = WithStackLabel(Mapping(Field(v, "labels")), stack);
      out.volumes.push_back(std::move(body));
    }
  }
  for (auto [section, secret] : {std::pair{"secrets", true}, {"configs", false}}) {
    const Doc* objects = Field(document, section);
    if (objects == nullptr || !objects->is_object()) continue;
    for (const auto& [key, object] : objects->items()) {
      if (!object.is_object() || Flag(object, "external")) continue;
      (secret ? out.secrets : out.configs).push_back(FileObject(key, object, stack, secret));
    }
  }
  auto by_name = [](const json& a, const json& b) { return a["Name"].get<std::string>() < b["Name"].get<std::string>(); };
  std::sort(out.services.begin(), out.services.end(), by_name);
  std::sort(out.volumes.begin(), out.volumes.end(), by_name);
  return out;
}

}  // namespace nest::swarm
