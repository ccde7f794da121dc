#include "providers/swarm/convert.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

#include "providers/swarm/normalize.h"
#include "providers/units.h"

namespace nest::swarm {
namespace {

using Doc = nlohmann::ordered_json;
using nlohmann::json;

const Doc* Field(const Doc& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string Text(const Doc& object, const char* key) {
  const Doc* value = Field(object, key);
  return value != nullptr ? providers::ScalarText(*value) : std::string();
}

bool Flag(const Doc& object, const char* key) {
  const Doc* value = Field(object, key);
  if (value == nullptr) return false;
  if (value->is_boolean()) return value->get<bool>();
  if (value->is_string()) return value->get<std::string>() == "true";
  return false;
}

std::vector<std::string> Strings(const Doc* value) {
  std::vector<std::string> out;
  if (value == nullptr) return out;
  if (value->is_array()) {
    for (const auto& item : *value) out.push_back(providers::ScalarText(item));
  } else if (!value->is_object()) {
    out.push_back(providers::ScalarText(*value));
  }
  return out;
}

// A compose mapping written as a map or as a "k=v" list.
std::map<std::string, std::string> Mapping(const Doc* value, char separator = '=') {
  std::map<std::string, std::string> out;
  if (value == nullptr) return out;
  if (value->is_object()) {
    for (const auto& [k, v] : value->items()) out[k] = providers::ScalarText(v);
  } else if (value->is_array()) {
    for (const auto& item : *value) {
      std::string text = providers::ScalarText(item);
      auto sep = text.find(separator);
      if (sep == std::string::npos) out[text] = "";
      else out[text.substr(0, sep)] = text.substr(sep + 1);
    }
  }
  return out;
}

json MapJson(const std::map<std::string, std::string>& map) {
  json out = json::object();
  for (const auto& [k, v] : map) out[k] = v;
  return out;
}

json WithStackLabel(std::map<std::string, std::string> labels, const std::string& stack) {
  labels[kStackLabel] = stack;
  return MapJson(labels);
}

std::string Scope(const std::string& stack, const std::string& name) { return stack + "_" + name; }

// `name:` of a top-level object, else the scoped key.
std::string ObjectName(const Doc& document, const char* section, const std::string& key, const std::string& stack) {
  if (const Doc* objects = Field(document, section)) {
    if (const Doc* object = Field(*objects, key.c_str())) {
      std::string name = Text(*object, "name");
      if (!name.empty()) return name;
    }
  }
  return Scope(stack, key);
}

std::optional<std::int64_t> DurationOf(const Doc& object, const char* key) {
  const Doc* value = Field(object, key);
  return value != nullptr ? providers::DurationFromJson(*value) : std::nullopt;
}

// ---- service pieces ---------------------------------------------------------

std::vector<std::string> Command(const Doc* value) {
  if (value == nullptr) return {};
  if (value->is_string()) return ShellSplit(value->get<std::string>());
  return Strings(value);
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

json Healthcheck(const Doc* check, std::vector<std::string>& warnings, const std::string& service) {
  if (check == nullptr) return nullptr;
  json out = json::object();
  if (Flag(*check, "disable")) {
    if (!Strings(Field(*check, "test")).empty()) warnings.push_back("service " + service + ": healthcheck test and disable both set");
    out["Test"] = json::array({"NONE"});
    return out;
  }
  if (const Doc* test = Field(*check, "test")) {
    if (test->is_string()) out["Test"] = json::array({"CMD-SHELL", test->get<std::string>()});
    else out["Test"] = Strings(test);
  }
  if (auto v = DurationOf(*check, "timeout")) out["Timeout"] = *v;
  if (auto v = DurationOf(*check, "interval")) out["Interval"] = *v;
  if (const Doc* retries = Field(*check, "retries"); retries && retries->is_number()) out["Retries"] = retries->get<std::int64_t>();
  if (auto v = DurationOf(*check, "start_period")) out["StartPeriod"] = *v;
  return out;
}

// deploy.restart_policy, else the legacy `restart:` (docker/cli
// convertRestartPolicy).
json RestartPolicy(const Doc& service, const Doc* deploy) {
  if (const Doc* policy = deploy ? Field(*deploy, "restart_policy") : nullptr) {
    json out = json::object();
    out["Condition"] = Text(*policy, "condition");
    if (auto v = DurationOf(*policy, "delay")) out["Delay"] = *v;
    if (const Doc* n = Field(*policy, "max_attempts"); n && n->is_number()) out["MaxAttempts"] = n->get<std::int64_t>();
    if (auto v = DurationOf(*policy, "window")) out["Window"] = *v;
    return out;
  }
  std::string restart = Text(service, "restart");
  if (restart.empty() || restart == "no") return nullptr;
  std::string name = restart.substr(0, restart.find(':'));
  std::int64_t count = 0;
  if (auto colon = restart.find(':'); colon != std::string::npos) count = std::atoll(restart.c_str() + colon + 1);
  json out = json::object();
  if (name == "always" || name == "unless-stopped") out["Condition"] = "any";
  else if (name == "on-failure") out["Condition"] = "on-failure";
  else return nullptr;
  if (count > 0) out["MaxAttempts"] = count;
  return out;
}

json UpdateConfig(const Doc* config) {
  if (config == nullptr) return nullptr;
  json out = json::object();
  const Doc* parallelism = Field(*config, "parallelism");
  out["Parallelism"] = parallelism != nullptr && parallelism->is_number() ? parallelism->get<std::int64_t>() : 1;
  if (auto v = DurationOf(*config, "delay"); v && *v != 0) out["Delay"] = *v;
  out["FailureAction"] = Text(*config, "failure_action");
  if (auto v = DurationOf(*config, "monitor"); v && *v != 0) out["Monitor"] = *v;
  if (const Doc* ratio = Field(*config, "max_failure_ratio"); ratio && ratio->is_number()) {
    out["MaxFailureRatio"] = ratio->get<double>();
  } else {
    out["MaxFailureRatio"] = 0;
  }
  out["Order"] = Text(*config, "order");
  return out;
}

json Resources(const Doc* resources) {
  json out = json::object();
  if (resources == nullptr) return out;
  if (const Doc* limits = Field(*resources, "limits")) {
    json l = json::object();
    if (const Doc* v = Field(*limits, "cpus")) l["NanoCPUs"] = providers::NanoCpusFromJson(*v).value_or(0);
    if (const Doc* v = Field(*limits, "memory")) l["MemoryBytes"] = providers::BytesFromJson(*v).value_or(0);
    if (const Doc* v = Field(*limits, "pids"); v && v->is_number()) l["Pids"] = v->get<std::int64_t>();
    out["Limits"] = l;
  }
  if (const Doc* reservations = Field(*resources, "reservations")) {
    json r = json::object();
    if (const Doc* v = Field(*reservations, "cpus")) r["NanoCPUs"] = providers::NanoCpusFromJson(*v).value_or(0);
    if (const Doc* v = Field(*reservations, "memory")) r["MemoryBytes"] = providers::BytesFromJson(*v).value_or(0);
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

json PortConfig(std::int64_t target, std::int64_t published, std::string protocol, std::string mode) {
  json p = json::object();
  p["Protocol"] = protocol;
  p["TargetPort"] = target;
  if (published != 0) p["PublishedPort"] = published;
  p["PublishMode"] = mode;
  return p;
}

// "8080:80", "127.0.0.1:8080:80/udp", "80", "8000-8001:80-81".
void ShortPort(const std::string& text, json& ports) {
  std::string spec = text, protocol = "tcp";
  if (auto slash = spec.find('/'); slash != std::string::npos) {
    protocol = spec.substr(slash + 1);
    spec = spec.substr(0, slash);
  }
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= spec.size(); ++i) {
    if (i == spec.size() || spec[i] == ':') {
      parts.push_back(spec.substr(start, i - start));
      start = i + 1;
    }
  }
  std::string target = parts.back();
  std::string published = parts.size() >= 2 ? parts[parts.size() - 2] : "";
  auto range = [](const std::string& r) {
    auto dash = r.find('-');
    std::int64_t lo = r.empty() ? 0 : std::atoll(r.c_str());
    std::int64_t hi = dash == std::string::npos ? lo : std::atoll(r.c_str() + dash + 1);
    return std::pair{lo, hi};
  };
  auto [tlo, thi] = range(target);
  auto [plo, phi] = range(published);
  for (std::int64_t t = tlo; t <= thi; ++t) {
    std::int64_t p = published.empty() ? 0 : (phi > plo ? plo + (t - tlo) : plo);
    ports.push_back(PortConfig(t, p, protocol, "ingress"));
  }
}

json EndpointSpec(const Doc& service, const Doc* deploy) {
  json ports = json::array();
  if (const Doc* list = Field(service, "ports"); list && list->is_array()) {
    for (const auto& port : *list) {
      if (port.is_object()) {
        const Doc* published = Field(port, "published");
        std::int64_t p = published == nullptr ? 0 : published->is_number() ? published->get<std::int64_t>()
                                                                            : std::atoll(providers::ScalarText(*published).c_str());
        std::string protocol = Text(port, "protocol");
        std::string mode = Text(port, "mode");
        ports.push_back(PortConfig(std::atoll(Text(port, "target").c_str()), p, protocol, mode));
      } else if (port.is_number()) {
        ports.push_back(PortConfig(port.get<std::int64_t>(), 0, "tcp", "ingress"));
      } else {
        ShortPort(providers::ScalarText(port), ports);
      }
    }
  }
  // swarm.PortConfig.Compare: by published port, then target, protocol, mode.
  std::vector<json> sorted(ports.begin(), ports.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const json& a, const json& b) {
    auto key = [](const json& p) {
      return std::tuple(p.value("PublishedPort", 0), p.value("TargetPort", 0), p.value("Protocol", ""),
                        p.value("PublishMode", ""));
    };
    return key(a) < key(b);
  });
  json out = json::object();
  std::string mode = deploy != nullptr ? Text(*deploy, "endpoint_mode") : "";
  std::transform(mode.begin(), mode.end(), mode.begin(), [](unsigned char c) { return std::tolower(c); });
  if (!mode.empty()) out["Mode"] = mode;
  if (!sorted.empty()) out["Ports"] = sorted;
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

// "name:/path[:ro]", "/host:/path[:mode]", "/path" (anonymous).
Doc ShortVolume(const std::string& text) {
  Doc v = Doc::object();
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ':') {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  if (parts.size() == 1) {
    v["type"] = "volume";
    v["target"] = parts[0];
    return v;
  }
  std::string source = parts[0];
  bool path = source.starts_with("/") || source.starts_with(".") || source.starts_with("~");
  v["type"] = path ? "bind" : "volume";
  v["source"] = source;
  v["target"] = parts[1];
  if (parts.size() >= 3) {
    std::string mode = parts[2];
    if (mode.find("ro") != std::string::npos && mode.find("rw") == std::string::npos) v["read_only"] = true;
    for (const char* propagation : {"rprivate", "private", "rshared", "shared", "rslave", "slave"}) {
      std::string p = propagation;
      auto at = mode.find(p);
      if (at != std::string::npos && (at == 0 || mode[at - 1] == ',') &&
          (at + p.size() == mode.size() || mode[at + p.size()] == ',')) {
        v["bind"] = Doc{{"propagation", p}};
        break;
      }
    }
  }
  return v;
}

json Mount(const Doc& document, const Doc& volume, const std::string& stack, std::vector<std::string>& warnings,
           const std::string& service) {
  json m = json::object();
  std::string type = Text(volume, "type");
  if (type.empty()) type = "volume";
  m["Type"] = type;
  std::string source = Text(volume, "source");
  m["Target"] = Text(volume, "target");
  if (Flag(volume, "read_only")) m["ReadOnly"] = true;
  if (std::string c = Text(volume, "consistency"); !c.empty()) m["Consistency"] = c;
  if (type == "volume") {
    if (source.empty()) return m;  // anonymous volume
    const Doc* volumes = Field(document, "volumes");
    const Doc* top = volumes != nullptr ? Field(*volumes, source.c_str()) : nullptr;
    if (top == nullptr && (volumes == nullptr || !volumes->contains(source))) {
      warnings.push_back("service " + service + ": undefined volume " + source);
    }
    static const Doc kEmpty = Doc::object();
    if (top == nullptr) top = &kEmpty;
    std::string name = Text(*top, "name");
    m["Source"] = name.empty() ? Scope(stack, source) : name;
    json options = json::object();
    if (const Doc* v = Field(volume, "volume"); v && Flag(*v, "nocopy")) options["NoCopy"] = true;
    if (!Flag(*top, "external")) {
      options["Labels"] = WithStackLabel(Mapping(Field(*top, "labels")), stack);
      std::string driver = Text(*top, "driver");
      const Doc* opts = Field(*top, "driver_opts");
      if (!driver.empty() || opts != nullptr) {
        json config = {{"Name", driver}};
        if (opts != nullptr) config["Options"] = MapJson(Mapping(opts));
        options["DriverConfig"] = config;
      }
    }
    m["VolumeOptions"] = options;
  } else if (type == "bind") {
    m["Source"] = source;
    if (const Doc* bind = Field(volume, "bind")) m["BindOptions"] = {{"Propagation", Text(*bind, "propagation")}};
  } else if (type == "tmpfs") {
    if (const Doc* tmpfs = Field(volume, "tmpfs")) {
      json t = json::object();
      if (const Doc* size = Field(*tmpfs, "size")) t["SizeBytes"] = providers::BytesFromJson(*size).value_or(0);
      m["TmpfsOptions"] = t;
    }
  } else {
    if (!source.empty()) m["Source"] = source;
  }
  return m;
}

json FileReferences(const Doc& document, const Doc* list, const char* section, const char* name_key,
                    const std::string& stack) {
  std::vector<json> refs;
  if (list == nullptr || !list->is_array()) return json::array();
  for (const auto& item : *list) {
    std::string source, target, uid, gid;
    std::uint32_t mode = 0444;
    if (item.is_object()) {
      source = Text(item, "source");
      target = Text(item, "target");
      uid = Text(item, "uid");
      gid = Text(item, "gid");
      if (const Doc* m = Field(item, "mode")) {
        if (m->is_number()) mode = m->get<std::uint32_t>();
        else if (auto parsed = providers::ParseFileMode(providers::ScalarText(*m))) mode = *parsed;
      }
    } else {
      source = providers::ScalarText(item);
    }
    json ref = json::object();
    ref["File"] = {{"Name", target.empty() ? source : target},
                   {"UID", uid.empty() ? "0" : uid},
                   {"GID", gid.empty() ? "0" : gid},
                   {"Mode", mode}};
    ref[name_key] = ObjectName(document, section, source, stack);
    refs.push_back(std::move(ref));
  }
  std::stable_sort(refs.begin(), refs.end(), [name_key](const json& a, const json& b) {
    return a[name_key].get<std::string>() < b[name_key].get<std::string>();
  });
  return refs;
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
  if (auto v = Command(Field(service, "entrypoint")); !v.empty()) container["Command"] = v;
  if (auto v = Command(Field(service, "command")); !v.empty()) container["Args"] = v;
  for (auto [from, to] : {std::pair{"hostname", "Hostname"}, {"working_dir", "Dir"}, {"user", "User"},
                          {"stop_signal", "StopSignal"}, {"isolation", "Isolation"}}) {
    if (std::string v = Text(service, from); !v.empty()) container[to] = v;
  }
  if (json env = Environment(Field(service, "environment")); !env.empty()) container["Env"] = env;
  std::vector<std::string> hosts;
  if (const Doc* extra = Field(service, "extra_hosts"); extra && extra->is_object()) {
    for (const auto& [host, ip] : extra->items()) hosts.push_back(providers::ScalarText(ip) + " " + host);
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
  if (json check = Healthcheck(Field(service, "healthcheck"), warnings, key); !check.is_null()) container["Healthcheck"] = check;
  if (auto v = DurationOf(service, "stop_grace_period")) container["StopGracePeriod"] = *v;
  if (Flag(service, "tty")) container["TTY"] = true;
  if (Flag(service, "stdin_open")) container["OpenStdin"] = true;
  if (Flag(service, "read_only")) container["ReadOnly"] = true;
  if (const Doc* init = Field(service, "init"); init && init->is_boolean()) container["Init"] = init->get<bool>();
  container["Privileges"] = {{"CredentialSpec", nullptr}, {"SELinuxContext", nullptr}};
  json mounts = json::array();
  if (const Doc* volumes = Field(service, "volumes"); volumes && volumes->is_array()) {
    for (const auto& v : *volumes) {
      mounts.push_back(Mount(document, v.is_string() ? ShortVolume(v.get<std::string>()) : v, stack, warnings, key));
    }
  }
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
  task["Resources"] = Resources(deploy != nullptr ? Field(*deploy, "resources") : nullptr);
  if (json restart = RestartPolicy(service, deploy); !restart.is_null()) task["RestartPolicy"] = restart;
  task["Placement"] = Placement(deploy != nullptr ? Field(*deploy, "placement") : nullptr);
  task["Networks"] = Networks(document, service, key, stack, used_networks);
  spec["TaskTemplate"] = task;
  spec["Mode"] = Mode(deploy, warnings, key);
  if (json u = UpdateConfig(deploy != nullptr ? Field(*deploy, "update_config") : nullptr); !u.is_null()) spec["UpdateConfig"] = u;
  if (json r = UpdateConfig(deploy != nullptr ? Field(*deploy, "rollback_config") : nullptr); !r.is_null()) spec["RollbackConfig"] = r;
  spec["EndpointSpec"] = EndpointSpec(service, deploy);

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
      // docker stack deploy passes only the subnet on.
      for (const auto& c : *list) configs.push_back({{"Subnet", Text(c, "subnet")}});
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

std::vector<std::string> ShellSplit(const std::string& command) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < command.size(); ++i) {
    char c = command[i];
    if (c == '\\' && i + 1 < command.size()) {
      word += command[++i];
      in_word = true;
    } else if (c == '\'') {
      auto end = command.find('\'', i + 1);
      if (end == std::string::npos) end = command.size();
      word += command.substr(i + 1, end - i - 1);
      i = end;
      in_word = true;
    } else if (c == '"') {
      ++i;
      while (i < command.size() && command[i] != '"') {
        if (command[i] == '\\' && i + 1 < command.size() &&
            (command[i + 1] == '"' || command[i + 1] == '\\' || command[i + 1] == '$' || command[i + 1] == '`')) {
          ++i;
        }
        word += command[i++];
      }
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

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
