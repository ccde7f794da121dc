#include "providers/swarm/normalize.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "compiler/config/value.h"
#include "providers/attributes.h"
#include "providers/image_reference.h"
#include "providers/units.h"

namespace nest::swarm {
namespace {

using nlohmann::json;
using providers::AttributeValue;
using providers::Attributes;
using providers::ListValue;
using providers::MapValue;
using providers::Put;
using providers::PutFlag;
using providers::PutText;
using providers::StringList;
using providers::StringMap;
using providers::Text;

constexpr std::int64_t kSecond = 1000000000LL;

// nullptr when `object` is not an object or `key` is missing or null.
const json* Field(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string StringField(const json& object, const char* key) {
  const json* value = Field(object, key);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

bool BoolField(const json& object, const char* key) {
  const json* value = Field(object, key);
  return value != nullptr && value->is_boolean() && value->get<bool>();
}

std::optional<std::int64_t> IntField(const json& object, const char* key) {
  const json* value = Field(object, key);
  if (value == nullptr || !value->is_number()) return std::nullopt;
  if (value->is_number_float()) return static_cast<std::int64_t>(value->get<double>());
  return value->get<std::int64_t>();
}

std::vector<std::string> Strings(const json* value) {
  std::vector<std::string> out;
  if (value == nullptr || !value->is_array()) return out;
  for (const auto& item : *value) out.push_back(providers::ScalarText(item));
  return out;
}

std::vector<std::string> StringsField(const json& object, const char* key) {
  return Strings(Field(object, key));
}

std::map<std::string, std::string> StringMapField(const json& object, const char* key) {
  std::map<std::string, std::string> out;
  const json* value = Field(object, key);
  if (value == nullptr || !value->is_object()) return out;
  for (const auto& [k, v] : value->items()) out[k] = providers::ScalarText(v);
  return out;
}

std::vector<std::string> Sorted(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  return items;
}

std::string Duration(std::int64_t nanos) { return FormatDuration(nanos); }

// Bookkeeping labels -> address, spec hash, ownership; the rest stay labels.
std::map<std::string, std::string> ReadBookkeeping(const std::map<std::string, std::string>& labels,
                                                   plan::ResourceState& state,
                                                   const NormalizeContext& context) {
  std::map<std::string, std::string> rest;
  for (const auto& [key, value] : labels) {
    if (key == kAddressLabel && !value.empty()) {
      state.address = value;
      state.managed = true;
    } else if (key == kSpecHashLabel) {
      state.spec_hash = value;
    } else if (key == kStackLabel) {
      state.stack_label = value == context.stack;
    }
    if (!IsBookkeepingLabel(key)) rest[key] = value;
  }
  if (state.address.empty()) state.address = AddressFromName(state.kind, state.docker_name, context.stack);
  return rest;
}

// ---- services --------------------------------------------------------------

// The image in the form both sides compare (providers/image_reference.h):
// docker stack deploy sends "someorg/worker" as "someorg/worker:latest", and
// with --resolve-image always as "...:latest@sha256:...", keeping what the
// file said in the com.docker.stack.image label, which tells Docker's digest
// from the user's. nest's own specs carry the label too (convert.cc).
providers::ComparableImage ServiceImage(const json& container, const std::map<std::string, std::string>& labels) {
  auto written = labels.find(kStackImageLabel);
  return providers::CompareForm(StringField(container, "Image"),
                                written == labels.end() ? std::nullopt : std::optional<std::string_view>(written->second));
}

AttributeValue EnvironmentMap(const std::vector<std::string>& env) {
  Attributes entries;
  for (const auto& item : env) {
    auto eq = item.find('=');
    // A later duplicate wins, as in the container.
    if (eq == std::string::npos) entries[item] = Text("");
    else entries[item.substr(0, eq)] = Text(item.substr(eq + 1));
  }
  return MapValue(std::move(entries));
}

// "node.role == manager" and "node.role==manager" mean the same.
std::string CanonicalConstraint(const std::string& constraint) {
  std::string out;
  for (char c : constraint) if (c != ' ' && c != '\t') out += c;
  return out;
}

AttributeValue FileReference(const json& reference, const char* name_key) {
  Attributes entry;
  PutText(entry, "source", StringField(reference, name_key));
  if (const json* file = Field(reference, "File")) {
    PutText(entry, "target", StringField(*file, "Name"));
    std::string uid = StringField(*file, "UID");
    std::string gid = StringField(*file, "GID");
    entry["uid"] = Text(uid.empty() ? "0" : uid);
    entry["gid"] = Text(gid.empty() ? "0" : gid);
    entry["mode"] = Text(providers::FormatFileMode(static_cast<std::uint32_t>(IntField(*file, "Mode").value_or(0))));
  } else if (Field(reference, "Runtime") != nullptr) {
    entry["runtime"] = Text("true");
  }
  return MapValue(std::move(entry));
}

AttributeValue FileReferences(const json* references, const char* name_key) {
  std::vector<AttributeValue> items;
  if (references != nullptr && references->is_array()) {
    for (const auto& reference : *references) items.push_back(FileReference(reference, name_key));
  }
  providers::SortUnique(items);
  return ListValue(std::move(items));
}

AttributeValue Mount(const json& mount) {
  Attributes entry;
  std::string type = StringField(mount, "Type");
  entry["type"] = Text(type.empty() ? "volume" : type);
  PutText(entry, "source", StringField(mount, "Source"));
  PutText(entry, "target", StringField(mount, "Target"));
  PutFlag(entry, "read_only", BoolField(mount, "ReadOnly"));
  std::string consistency = StringField(mount, "Consistency");
  if (consistency != "default") PutText(entry, "consistency", consistency);
  if (const json* bind = Field(mount, "BindOptions")) {
    std::string propagation = StringField(*bind, "Propagation");
    if (propagation != "rprivate") PutText(entry, "propagation", propagation);
    PutFlag(entry, "non_recursive", BoolField(*bind, "NonRecursive"));
  }
  if (const json* volume = Field(mount, "VolumeOptions")) {
    PutFlag(entry, "nocopy", BoolField(*volume, "NoCopy"));
    if (const json* driver = Field(*volume, "DriverConfig")) {
      std::string name = StringField(*driver, "Name");
      if (name != "local") PutText(entry, "volume_driver", name);
      Put(entry, "volume_driver_opts", StringMap(StringMapField(*driver, "Options")));
    }
  }
  if (const json* tmpfs = Field(mount, "TmpfsOptions")) {
    if (auto size = IntField(*tmpfs, "SizeBytes"); size && *size != 0) entry["size"] = providers::Size(*size);
    if (auto mode = IntField(*tmpfs, "Mode"); mode && *mode != 0) {
      entry["mode"] = Text(providers::FormatFileMode(static_cast<std::uint32_t>(*mode)));
    }
  }
  return MapValue(std::move(entry));
}

AttributeValue Mounts(const json* mounts) {
  std::vector<AttributeValue> items;
  if (mounts != nullptr && mounts->is_array()) {
    for (const auto& mount : *mounts) items.push_back(Mount(mount));
  }
  // Mount order carries no meaning; targets are unique per container.
  providers::SortUnique(items);
  return ListValue(std::move(items));
}

// Docker's defaults are filled, then dropped: absent, {} and explicit
// defaults compare equal.
AttributeValue Healthcheck(const json* check) {
  Attributes entry;
  if (check == nullptr) return MapValue(std::move(entry));
  Put(entry, "test", StringList(StringsField(*check, "Test")));
  auto interval = IntField(*check, "Interval").value_or(0);
  auto timeout = IntField(*check, "Timeout").value_or(0);
  auto start = IntField(*check, "StartPeriod").value_or(0);
  auto retries = IntField(*check, "Retries").value_or(0);
  if (interval != 0 && interval != 30 * kSecond) entry["interval"] = Text(Duration(interval));
  if (timeout != 0 && timeout != 30 * kSecond) entry["timeout"] = Text(Duration(timeout));
  if (start != 0) entry["start_period"] = Text(Duration(start));
  if (retries != 0 && retries != 3) entry["retries"] = Text(std::to_string(retries));
  return MapValue(std::move(entry));
}

AttributeValue Resources(const json* resources) {
  Attributes entry;
  if (resources == nullptr) return MapValue(std::move(entry));
  // Zero means no limit, as absent does.
  enum class Unit { kCpus, kBytes, kCount };
  auto put_int = [&](const char* name, const json& object, const char* key, Unit unit) {
    std::int64_t value = IntField(object, key).value_or(0);
    if (value == 0) return;
    switch (unit) {
      case Unit::kCpus: entry[name] = Text(providers::FormatNanoCpus(value)); break;
      case Unit::kBytes: entry[name] = providers::Size(value); break;
      case Unit::kCount: entry[name] = Text(std::to_string(value)); break;
    }
  };
  if (const json* limits = Field(*resources, "Limits")) {
    put_int("cpus", *limits, "NanoCPUs", Unit::kCpus);
    put_int("memory", *limits, "MemoryBytes", Unit::kBytes);
    put_int("pids", *limits, "Pids", Unit::kCount);
  }
  if (const json* reservations = Field(*resources, "Reservations")) {
    put_int("reserve_cpus", *reservations, "NanoCPUs", Unit::kCpus);
    put_int("reserve_memory", *reservations, "MemoryBytes", Unit::kBytes);
    std::vector<std::string> generic;
    if (const json* list = Field(*reservations, "GenericResources"); list && list->is_array()) {
      for (const auto& item : *list) {
        for (const char* kind : {"DiscreteResourceSpec", "NamedResourceSpec"}) {
          if (const json* spec = Field(item, kind)) {
            generic.push_back(StringField(*spec, "Kind") + "=" + providers::ScalarText((*spec).value("Value", json())));
          }
        }
      }
    }
    Put(entry, "generic_resources", StringList(Sorted(generic)));
  }
  return MapValue(std::move(entry));
}

// No RestartPolicy = {Condition: any, Delay: 5s}: swarmkit's defaults.
AttributeValue RestartPolicy(const json* policy) {
  Attributes entry;
  if (policy == nullptr) return MapValue(std::move(entry));
  std::string condition = StringField(*policy, "Condition");
  if (!condition.empty() && condition != "any") entry["condition"] = Text(condition);
  auto delay = IntField(*policy, "Delay");
  if (delay && *delay != 5 * kSecond) entry["delay"] = Text(Duration(*delay));
  if (auto attempts = IntField(*policy, "MaxAttempts"); attempts && *attempts != 0) {
    entry["max_attempts"] = Text(std::to_string(*attempts));
  }
  if (auto window = IntField(*policy, "Window"); window && *window != 0) entry["window"] = Text(Duration(*window));
  return MapValue(std::move(entry));
}

// No UpdateConfig = {Parallelism 1, FailureAction pause, Monitor 5s,
// MaxFailureRatio 0, Order stop-first}; a present one with no Parallelism
// means 0 (all at once).
AttributeValue UpdateConfig(const json* config) {
  Attributes entry;
  if (config == nullptr) return MapValue(std::move(entry));
  auto parallelism = IntField(*config, "Parallelism").value_or(0);
  if (parallelism != 1) entry["parallelism"] = Text(std::to_string(parallelism));
  if (auto delay = IntField(*config, "Delay").value_or(0); delay != 0) entry["delay"] = Text(Duration(delay));
  std::string action = StringField(*config, "FailureAction");
  if (!action.empty() && action != "pause") entry["failure_action"] = Text(action);
  // Monitor 0 (or none) is swarmkit's default, 5s.
  if (auto monitor = IntField(*config, "Monitor").value_or(0); monitor != 0 && monitor != 5 * kSecond) {
    entry["monitor"] = Text(Duration(monitor));
  }
  if (const json* ratio = Field(*config, "MaxFailureRatio"); ratio && ratio->is_number() && ratio->get<double>() != 0) {
    entry["max_failure_ratio"] = Text(providers::ScalarText(*ratio));
  }
  std::string order = StringField(*config, "Order");
  if (!order.empty() && order != "stop-first") entry["order"] = Text(order);
  return MapValue(std::move(entry));
}

AttributeValue Placement(const json* placement) {
  Attributes entry;
  if (placement == nullptr) return MapValue(std::move(entry));
  std::vector<std::string> constraints;
  for (const auto& c : StringsField(*placement, "Constraints")) constraints.push_back(CanonicalConstraint(c));
  Put(entry, "constraints", StringList(Sorted(constraints)));
  std::vector<std::string> preferences;
  if (const json* list = Field(*placement, "Preferences"); list && list->is_array()) {
    for (const auto& item : *list) {
      if (const json* spread = Field(item, "Spread")) preferences.push_back("spread=" + StringField(*spread, "SpreadDescriptor"));
    }
  }
  Put(entry, "preferences", StringList(preferences));
  if (auto max = IntField(*placement, "MaxReplicas"); max && *max != 0) entry["max_replicas_per_node"] = Text(std::to_string(*max));
  // Platforms are filled by the CLI from the registry's manifest, not by the
  // user: not compared.
  return MapValue(std::move(entry));
}

AttributeValue Networks(const json& task, const json& spec, const NormalizeContext& context) {
  Attributes entries;
  auto add = [&](const json* list) {
    if (list == nullptr || !list->is_array()) return;
    for (const auto& attachment : *list) {
      std::string target = StringField(attachment, "Target");
      auto named = context.network_names.find(target);
      if (named != context.network_names.end()) target = named->second;
      Attributes entry;
      Put(entry, "aliases", StringList(Sorted(StringsField(attachment, "Aliases"))));
      Put(entry, "driver_opts", StringMap(StringMapField(attachment, "DriverOpts")));
      entries[target] = MapValue(std::move(entry));
    }
  };
  add(Field(task, "Networks"));
  add(Field(spec, "Networks"));  // deprecated top-level form (API < 1.29)
  return MapValue(std::move(entries));
}

AttributeValue Ports(const json* endpoint) {
  std::vector<AttributeValue> items;
  const json* ports = endpoint != nullptr ? Field(*endpoint, "Ports") : nullptr;
  if (ports != nullptr && ports->is_array()) {
    for (const auto& port : *ports) {
      Attributes entry;
      entry["target"] = Text(std::to_string(IntField(port, "TargetPort").value_or(0)));
      if (auto published = IntField(port, "PublishedPort"); published && *published != 0) {
        entry["published"] = Text(std::to_string(*published));
      }
      std::string protocol = StringField(port, "Protocol");
      entry["protocol"] = Text(protocol.empty() ? "tcp" : protocol);
      std::string mode = StringField(port, "PublishMode");
      entry["mode"] = Text(mode.empty() ? "ingress" : mode);
      PutText(entry, "name", StringField(port, "Name"));
      items.push_back(MapValue(std::move(entry)));
    }
  }
  providers::SortUnique(items);
  return ListValue(std::move(items));
}

void ServiceMode(const json& spec, Attributes& attributes) {
  const json* mode = Field(spec, "Mode");
  if (mode != nullptr && Field(*mode, "Global") != nullptr) {
    attributes["mode"] = Text("global");
  } else if (mode != nullptr && Field(*mode, "GlobalJob") != nullptr) {
    attributes["mode"] = Text("global-job");
  } else if (const json* job = mode != nullptr ? Field(*mode, "ReplicatedJob") : nullptr) {
    attributes["mode"] = Text("replicated-job");
    auto concurrent = IntField(*job, "MaxConcurrent").value_or(1);
    attributes["max_concurrent"] = Text(std::to_string(concurrent));
    attributes["total_completions"] = Text(std::to_string(IntField(*job, "TotalCompletions").value_or(concurrent)));
  } else {
    // Replicated is the default; Replicas absent or null means 1.
    const json* replicated = mode != nullptr ? Field(*mode, "Replicated") : nullptr;
    auto replicas = replicated != nullptr ? IntField(*replicated, "Replicas") : std::nullopt;
    attributes["replicas"] = Text(std::to_string(replicas.value_or(1)));
  }
}

void ContainerSpec(const json& container, Attributes& a) {
  Put(a, "entrypoint", StringList(StringsField(container, "Command")));
  Put(a, "command", StringList(StringsField(container, "Args")));
  Put(a, "environment", EnvironmentMap(StringsField(container, "Env")));
  PutText(a, "hostname", StringField(container, "Hostname"));
  PutText(a, "working_dir", StringField(container, "Dir"));
  PutText(a, "user", StringField(container, "User"));
  Put(a, "groups", StringList(Sorted(StringsField(container, "Groups"))));
  PutText(a, "stop_signal", StringField(container, "StopSignal"));
  if (auto grace = IntField(container, "StopGracePeriod"); grace && *grace != 10 * kSecond) {
    a["stop_grace_period"] = Text(Duration(*grace));
  }
  PutFlag(a, "tty", BoolField(container, "TTY"));
  PutFlag(a, "stdin_open", BoolField(container, "OpenStdin"));
  PutFlag(a, "read_only", BoolField(container, "ReadOnly"));
  PutFlag(a, "init", BoolField(container, "Init"));  // Init:false is the same as none
  std::string isolation = StringField(container, "Isolation");
  if (isolation != "default") PutText(a, "isolation", isolation);
  Put(a, "extra_hosts", StringList(StringsField(container, "Hosts")));
  if (const json* dns = Field(container, "DNSConfig")) {
    Attributes entry;
    Put(entry, "nameservers", StringList(StringsField(*dns, "Nameservers")));
    Put(entry, "search", StringList(StringsField(*dns, "Search")));
    Put(entry, "options", StringList(StringsField(*dns, "Options")));
    Put(a, "dns", MapValue(std::move(entry)));
  }
  Put(a, "healthcheck", Healthcheck(Field(container, "Healthcheck")));
  Put(a, "secrets", FileReferences(Field(container, "Secrets"), "SecretName"));
  Put(a, "configs", FileReferences(Field(container, "Configs"), "ConfigName"));
  Put(a, "mounts", Mounts(Field(container, "Mounts")));
  std::vector<std::string> add, drop;
  for (const auto& c : StringsField(container, "CapabilityAdd")) add.push_back(NormalizeCapability(c));
  for (const auto& c : StringsField(container, "CapabilityDrop")) drop.push_back(NormalizeCapability(c));
  Put(a, "cap_add", StringList(Sorted(add)));
  Put(a, "cap_drop", StringList(Sorted(drop)));
  if (const json* ulimits = Field(container, "Ulimits"); ulimits && ulimits->is_array()) {
    Attributes entries;
    for (const auto& u : *ulimits) {
      Attributes limit;
      limit["soft"] = Text(std::to_string(IntField(u, "Soft").value_or(0)));
      limit["hard"] = Text(std::to_string(IntField(u, "Hard").value_or(0)));
      entries[StringField(u, "Name")] = MapValue(std::move(limit));
    }
    Put(a, "ulimits", MapValue(std::move(entries)));
  }
  Put(a, "sysctls", StringMap(StringMapField(container, "Sysctls")));
  if (const json* privileges = Field(container, "Privileges")) {
    if (const json* credential = Field(*privileges, "CredentialSpec")) {
      Attributes entry;
      for (const char* key : {"Config", "File", "Registry"}) PutText(entry, key, StringField(*credential, key));
      Put(a, "credential_spec", MapValue(std::move(entry)));
    }
    if (const json* selinux = Field(*privileges, "SELinuxContext")) {
      Attributes entry;
      PutFlag(entry, "disable", BoolField(*selinux, "Disable"));
      for (const char* key : {"User", "Role", "Type", "Level"}) PutText(entry, key, StringField(*selinux, key));
      Put(a, "selinux", MapValue(std::move(entry)));
    }
    PutFlag(a, "no_new_privileges", BoolField(*privileges, "NoNewPrivileges"));
  }
  std::map<std::string, std::string> container_labels;
  for (const auto& [key, value] : StringMapField(container, "Labels")) {
    if (!IsBookkeepingLabel(key)) container_labels[key] = value;
  }
  Put(a, "container_labels", StringMap(container_labels));
}

// ---- networks --------------------------------------------------------------

std::optional<std::uint32_t> ParseIpv4(std::string_view text) {
  std::uint32_t address = 0;
  int parts = 0;
  std::size_t i = 0;
  while (parts < 4) {
    std::size_t j = i;
    std::uint32_t octet = 0;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) octet = octet * 10 + (text[j++] - '0');
    if (j == i || octet > 255) return std::nullopt;
    address = (address << 8) | octet;
    ++parts;
    if (parts < 4) {
      if (j >= text.size() || text[j] != '.') return std::nullopt;
      ++j;
    } else if (j != text.size()) {
      return std::nullopt;
    }
    i = j;
  }
  return address;
}

struct Cidr {
  std::uint32_t base = 0;
  int prefix = 0;
};

std::optional<Cidr> ParseCidr(std::string_view text) {
  auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto base = ParseIpv4(text.substr(0, slash));
  int prefix = 0;
  for (char c : text.substr(slash + 1)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    prefix = prefix * 10 + (c - '0');
  }
  if (!base || prefix > 32 || slash + 1 == text.size()) return std::nullopt;
  return Cidr{*base, prefix};
}

bool Contains(const Cidr& outer, const Cidr& inner) {
  if (inner.prefix < outer.prefix) return false;
  std::uint32_t mask = outer.prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - outer.prefix);
  return (outer.base & mask) == (inner.base & mask);
}

std::string FormatIpv4(std::uint32_t address) {
  return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 255) + "." +
         std::to_string((address >> 8) & 255) + "." + std::to_string(address & 255);
}

// An overlay subnet the swarm allocated from its default pool (a network
// created without one). Such subnets differ per deploy and are not compared.
bool AllocatedFromPool(const std::string& subnet, const NormalizeContext& context) {
  auto cidr = ParseCidr(subnet);
  if (!cidr || cidr->prefix != context.subnet_size) return false;
  for (const auto& pool : context.default_address_pool) {
    auto outer = ParseCidr(pool);
    if (outer && Contains(*outer, *cidr)) return true;
  }
  return false;
}

void Ipam(const json& network, const std::string& driver, const NormalizeContext& context, Attributes& a) {
  const json* ipam = Field(network, "IPAM");
  if (ipam == nullptr) return;
  std::string ipam_driver = StringField(*ipam, "Driver");
  if (ipam_driver != "default") PutText(a, "ipam_driver", ipam_driver);
  Put(a, "ipam_options", StringMap(StringMapField(*ipam, "Options")));
  const json* configs = Field(*ipam, "Config");
  if (configs == nullptr || !configs->is_array() || configs->empty()) return;
  const json& first = (*configs)[0];
  std::string subnet = StringField(first, "Subnet");
  std::string gateway = StringField(first, "Gateway");
  // The first host of the subnet is the gateway Docker picks by itself.
  if (auto cidr = ParseCidr(subnet); cidr && gateway == FormatIpv4(cidr->base + 1)) gateway.clear();
  // A chosen gateway or range is the user's (nest apply sets them), so the
  // subnet is too, wherever it lies.
  bool allocated = driver == "overlay" && gateway.empty() && StringField(first, "IPRange").empty() &&
                   AllocatedFromPool(subnet, context);
  if (allocated) return;
  PutText(a, "subnet", subnet);
  PutText(a, "gateway", gateway);
  PutText(a, "ip_range", StringField(first, "IPRange"));
  Put(a, "aux_addresses", StringMap(StringMapField(first, "AuxiliaryAddresses")));
}

plan::ResourceState FileObject(ResourceKind kind, const json& spec, const NormalizeContext& context) {
  plan::ResourceState state;
  state.kind = kind;
  state.docker_name = StringField(spec, "Name");
  auto labels = ReadBookkeeping(StringMapField(spec, "Labels"), state, context);
  Attributes& a = state.attributes;
  // The name carries a hash of the content: a new content is a new object.
  PutText(a, "name", state.docker_name);
  Put(a, "labels", StringMap(labels));
  if (const json* driver = Field(spec, "Driver")) {
    PutText(a, "driver", StringField(*driver, "Name"));
    Put(a, "driver_opts", StringMap(StringMapField(*driver, "Options")));
  }
  if (const json* templating = Field(spec, "Templating")) PutText(a, "template_driver", StringField(*templating, "Name"));
  state.force_new = {"name", "driver", "driver_opts", "template_driver"};
  return state;
}

}  // namespace

bool IsBookkeepingLabel(std::string_view key) {
  return key == kStackLabel || key == kStackImageLabel || key == kAddressLabel || key == kSpecHashLabel ||
         key.starts_with("nest.bluegreen.");
}

std::string AddressFromName(ResourceKind kind, std::string_view docker_name, std::string_view stack) {
  std::string prefix = std::string(stack) + "_";
  std::string_view name = docker_name;
  if (!stack.empty() && name.starts_with(prefix) && name.size() > prefix.size()) name.remove_prefix(prefix.size());
  return std::string(ResourceKindName(kind)) + "." + std::string(name);
}

std::string NormalizeCapability(std::string_view capability) {
  std::string out;
  for (char c : capability) {
    if (c == ' ' || c == '\t') continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (out != "ALL" && out != "RESET" && !out.starts_with("CAP_")) out = "CAP_" + out;
  return out;
}

plan::ResourceState NormalizeService(const json& spec, const NormalizeContext& context) {
  plan::ResourceState state;
  state.kind = ResourceKind::kService;
  state.docker_name = StringField(spec, "Name");
  auto all_labels = StringMapField(spec, "Labels");
  auto labels = ReadBookkeeping(all_labels, state, context);
  Attributes& a = state.attributes;
  static const json kEmpty = json::object();
  const json* task = Field(spec, "TaskTemplate");
  if (task == nullptr) task = &kEmpty;
  const json* container = Field(*task, "ContainerSpec");
  const json& container_spec = container != nullptr ? *container : kEmpty;
  providers::ComparableImage image = ServiceImage(container_spec, all_labels);
  PutText(a, "image", image.text);
  if (!image.problem.empty()) state.problems.push_back(image.problem);
  ContainerSpec(container_spec, a);
  ServiceMode(spec, a);
  const json* endpoint = Field(spec, "EndpointSpec");
  std::string endpoint_mode = endpoint != nullptr ? StringField(*endpoint, "Mode") : "";
  if (!endpoint_mode.empty() && endpoint_mode != "vip") a["endpoint_mode"] = Text(endpoint_mode);
  Put(a, "ports", Ports(endpoint));
  Put(a, "networks", Networks(*task, spec, context));
  Put(a, "resources", Resources(Field(*task, "Resources")));
  Put(a, "restart_policy", RestartPolicy(Field(*task, "RestartPolicy")));
  Put(a, "placement", Placement(Field(*task, "Placement")));
  if (const json* log = Field(*task, "LogDriver")) {
    Attributes entry;
    PutText(entry, "driver", StringField(*log, "Name"));
    Put(entry, "options", StringMap(StringMapField(*log, "Options")));
    Put(a, "logging", MapValue(std::move(entry)));
  }
  Put(a, "update_config", UpdateConfig(Field(spec, "UpdateConfig")));
  Put(a, "rollback_config", UpdateConfig(Field(spec, "RollbackConfig")));
  Put(a, "labels", StringMap(labels));
  // Docker refuses to change a service between replicated and global (501).
  state.force_new = {"mode"};
  return state;
}

plan::ResourceState NormalizeNetwork(const json& network, const NormalizeContext& context) {
  plan::ResourceState state;
  state.kind = ResourceKind::kNetwork;
  state.docker_name = StringField(network, "Name");
  auto labels = ReadBookkeeping(StringMapField(network, "Labels"), state, context);
  Attributes& a = state.attributes;
  std::string driver = StringField(network, "Driver");
  if (driver.empty()) driver = "overlay";  // what docker stack deploy sends for none
  a["driver"] = Text(driver);
  PutFlag(a, "internal", BoolField(network, "Internal"));
  PutFlag(a, "attachable", BoolField(network, "Attachable"));
  PutFlag(a, "ingress", BoolField(network, "Ingress"));
  PutFlag(a, "ipv6", BoolField(network, "EnableIPv6"));
  std::map<std::string, std::string> options;
  for (const auto& [key, value] : StringMapField(network, "Options")) {
    if (key == "encrypted") {
      a["encrypted"] = Text("true");
    } else if (key != "com.docker.network.driver.overlay.vxlanid_list") {  // set by the daemon
      options[key] = value;
    }
  }
  Put(a, "driver_opts", StringMap(options));
  Ipam(network, driver, context, a);
  Put(a, "labels", StringMap(labels));
  // Networks have no update endpoint: every change is a replacement.
  state.force_new = {"driver", "internal", "attachable", "ingress", "ipv6", "encrypted", "driver_opts",
                     "ipam_driver", "ipam_options", "subnet", "gateway", "ip_range", "aux_addresses", "labels"};
  return state;
}

plan::ResourceState NormalizeVolume(const json& volume, const NormalizeContext& context) {
  plan::ResourceState state;
  state.kind = ResourceKind::kVolume;
  state.docker_name = StringField(volume, "Name");
  // Labels are bookkeeping only: Docker cannot change a volume's labels, and
  // replacing a volume for a label would lose its data.
  ReadBookkeeping(StringMapField(volume, "Labels"), state, context);
  Attributes& a = state.attributes;
  std::string driver = StringField(volume, "Driver");
  a["driver"] = Text(driver.empty() ? "local" : driver);
  auto options = StringMapField(volume, Field(volume, "DriverOpts") != nullptr ? "DriverOpts" : "Options");
  Put(a, "driver_opts", StringMap(options));
  state.force_new = {"driver", "driver_opts"};
  return state;
}

plan::ResourceState NormalizeSecret(const json& spec, const NormalizeContext& context) {
  return FileObject(ResourceKind::kSecret, spec, context);
}

plan::ResourceState NormalizeConfig(const json& spec, const NormalizeContext& context) {
  return FileObject(ResourceKind::kConfig, spec, context);
}

plan::StackState StateFromSpecs(const StackSpecs& specs) {
  plan::StackState state;
  state.stack = specs.stack;
  NormalizeContext context;
  context.stack = specs.stack;
  for (const auto& spec : specs.services) state.resources.push_back(NormalizeService(spec, context));
  for (const auto& network : specs.networks) state.resources.push_back(NormalizeNetwork(network, context));
  for (const auto& volume : specs.volumes) state.resources.push_back(NormalizeVolume(volume, context));
  for (const auto& secret : specs.secrets) state.resources.push_back(NormalizeSecret(secret.spec, context));
  for (const auto& config : specs.configs) state.resources.push_back(NormalizeConfig(config.spec, context));
  std::sort(state.resources.begin(), state.resources.end(),
            [](const plan::ResourceState& a, const plan::ResourceState& b) { return a.address < b.address; });
  return state;
}

}  // namespace nest::swarm
