#include "providers/compose/container_spec.h"

#include <filesystem>

#include <fmt/format.h>

#include "compiler/compose_syntax/shell_words.h"
#include "compiler/support/digest.h"
#include "compiler/support/read_file.h"
#include "providers/compose/labels.h"
#include "providers/compose/normalize.h"
#include "providers/units.h"

namespace nest::compose {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

const ordered_json& Section(const ordered_json& document, const char* name) {
  static const ordered_json kEmpty = ordered_json::object();
  auto it = document.find(name);
  return it != document.end() && it->is_object() ? *it : kEmpty;
}

const ordered_json* Field(const ordered_json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string Text(const ordered_json& object, const char* key) {
  const ordered_json* v = Field(object, key);
  return v == nullptr ? std::string() : providers::ScalarText(*v);
}

// A command or entrypoint: a list as it is, a string split into words as
// Compose splits it (no shell).
Result<json> Words(const ordered_json& value) {
  if (value.is_array()) {
    json out = json::array();
    for (const auto& word : value) out.push_back(providers::ScalarText(word));
    return out;
  }
  auto words = compose_syntax::SplitShellWords(providers::ScalarText(value));
  if (!words.ok()) return words.error();
  return json(words.value());
}

// The Docker name of a top-level network, volume, secret or config key.
std::string ObjectName(const ordered_json& section, const std::string& project, const std::string& key) {
  auto it = section.find(key);
  if (it != section.end() && it->is_object()) {
    if (std::string name = Text(*it, "name"); !name.empty()) return name;
  }
  return project + "_" + key;
}

// What is being built, for errors: "service web: ...".
struct Builder {
  const ordered_json& document;
  const std::string& project;
  const std::string& service;
  const ordered_json& entry;
  ContainerSpec spec;
  std::string file_digests;  // the mounted files' content hashes, in mount order

  Error Fail(const std::string& what) const { return Error{fmt::format("service {}: {}", service, what)}; }

  Status Durations(json& health, const ordered_json& source) {
    for (auto [from, to] : {std::pair{"interval", "Interval"}, {"timeout", "Timeout"}, {"start_period", "StartPeriod"}}) {
      const ordered_json* v = Field(source, from);
      if (v == nullptr) continue;
      auto nanos = providers::DurationFromJson(*v);
      if (!nanos.ok()) return Fail(fmt::format("healthcheck.{}: {}", from, nanos.error().message));
      health[to] = nanos.value();
    }
    return Done{};
  }

  Status Healthcheck(json& config) {
    const ordered_json* h = Field(entry, "healthcheck");
    if (h == nullptr) return Done{};
    json health = json::object();
    if (const ordered_json* disable = Field(*h, "disable"); disable != nullptr && disable->is_boolean() && disable->get<bool>()) {
      config["Healthcheck"] = json{{"Test", json::array({"NONE"})}};
      return Done{};
    }
    if (const ordered_json* test = Field(*h, "test")) {
      if (test->is_array()) {
        json words = json::array();
        for (const auto& w : *test) words.push_back(providers::ScalarText(w));
        health["Test"] = std::move(words);
      } else {
        health["Test"] = json::array({"CMD-SHELL", providers::ScalarText(*test)});
      }
    }
    if (Status d = Durations(health, *h); !d.ok()) return d;
    if (const ordered_json* retries = Field(*h, "retries"); retries != nullptr && retries->is_number()) {
      health["Retries"] = retries->get<std::int64_t>();
    }
    spec.has_healthcheck = health.contains("Test") && health["Test"] != json::array({"NONE"});
    config["Healthcheck"] = std::move(health);
    return Done{};
  }

  void Ports(json& config, json& host) {
    const ordered_json* ports = Field(entry, "ports");
    if (ports == nullptr || !ports->is_array()) return;
    json exposed = json::object(), bindings = json::object();
    for (const auto& port : *ports) {
      std::string key = fmt::format("{}/{}", Text(port, "target"), Text(port, "protocol").empty() ? "tcp" : Text(port, "protocol"));
      exposed[key] = json::object();
      std::string published = Text(port, "published");
      // A port without a published number is published on an ephemeral
      // host port, as `ports: ["8080"]` is by Compose.
      bindings[key].push_back(json{{"HostIp", ""}, {"HostPort", published == "0" ? "" : published}});
    }
    config["ExposedPorts"] = std::move(exposed);
    host["PortBindings"] = std::move(bindings);
  }

  Status Mounts(json& host) {
    json mounts = json::array();
    if (const ordered_json* volumes = Field(entry, "volumes"); volumes != nullptr && volumes->is_array()) {
      for (const auto& v : *volumes) {
        std::string type = Text(v, "type");
        json mount{{"Type", type}, {"Target", Text(v, "target")}};
        if (type == "volume") {
          mount["Source"] = ObjectName(Section(document, "volumes"), project, Text(v, "source"));
        } else if (type == "bind") {
          mount["Source"] = fs::absolute(Text(v, "source")).lexically_normal().string();
        }
        if (const ordered_json* ro = Field(v, "read_only"); ro != nullptr && ro->is_boolean() && ro->get<bool>()) {
          mount["ReadOnly"] = true;
        }
        if (const ordered_json* tmpfs = Field(v, "tmpfs")) {
          if (const ordered_json* size = Field(*tmpfs, "size")) {
            auto bytes = providers::BytesFromJson(*size);
            if (!bytes.ok()) return Fail("tmpfs size: " + bytes.error().message);
            mount["TmpfsOptions"] = json{{"SizeBytes", bytes.value()}};
          }
        }
        mounts.push_back(std::move(mount));
      }
    }
    for (auto [list, section, kind] : {std::tuple{"secrets", "secrets", "secret"}, {"configs", "configs", "config"}}) {
      const ordered_json* refs = Field(entry, list);
      if (refs == nullptr || !refs->is_array()) continue;
      for (const auto& ref : *refs) {
        std::string key = Text(ref, "source");
        auto object = Section(document, section).find(key);
        if (object == Section(document, section).end() || Text(*object, "file").empty()) {
          return Fail(fmt::format("{} `{}` has no file: Compose mounts secrets and configs from files", kind, key));
        }
        std::string file = fs::absolute(Text(*object, "file")).lexically_normal().string();
        std::string content;
        std::string why;
        if (!ReadWholeFile(file, content, &why)) return Fail(fmt::format("cannot read the {} file `{}`", kind, file));
        file_digests += key + ":" + Sha256Hex(content) + "\n";
        std::string target = Text(ref, "target");
        if (std::string(kind) == "secret") {
          if (target.empty()) target = key;
          if (target.front() != '/') target = "/run/secrets/" + target;
        } else if (target.empty()) {
          target = "/" + key;
        }
        mounts.push_back(json{{"Type", "bind"}, {"Source", file}, {"Target", target}, {"ReadOnly", true}});
      }
    }
    if (!mounts.empty()) host["Mounts"] = std::move(mounts);
    return Done{};
  }

  Status Resources(json& host) {
    if (const ordered_json* v = Field(entry, "cpus")) {
      auto nanos = providers::NanoCpusFromJson(*v);
      if (!nanos.ok()) return Fail("cpus: " + nanos.error().message);
      host["NanoCpus"] = nanos.value();
    }
    for (auto [from, to] : {std::pair{"mem_limit", "Memory"}, {"mem_reservation", "MemoryReservation"}}) {
      const ordered_json* v = Field(entry, from);
      if (v == nullptr) continue;
      auto bytes = providers::BytesFromJson(*v);
      if (!bytes.ok()) return Fail(fmt::format("{}: {}", from, bytes.error().message));
      host[to] = bytes.value();
    }
    if (const ordered_json* v = Field(entry, "pids_limit"); v != nullptr && v->is_number()) {
      host["PidsLimit"] = v->get<std::int64_t>();
    }
    return Done{};
  }

  Status Restart(json& host) {
    std::string restart = Text(entry, "restart");
    if (restart.empty() || restart == "no") return Done{};
    json policy = json::object();
    if (restart.rfind("on-failure", 0) == 0) {
      policy["Name"] = "on-failure";
      if (auto colon = restart.find(':'); colon != std::string::npos) {
        try {
          policy["MaximumRetryCount"] = std::stoi(restart.substr(colon + 1));
        } catch (const std::logic_error&) {
          return Fail(fmt::format("restart `{}`: the retry count is not a number", restart));
        }
      }
    } else {
      policy["Name"] = restart;
    }
    host["RestartPolicy"] = std::move(policy);
    return Done{};
  }

  void Networks() {
    const ordered_json& section = Section(document, "networks");
    const ordered_json* networks = Field(entry, "networks");
    auto attach = [&](const std::string& key, const ordered_json* settings) {
      json aliases = json::array({service});
      if (settings != nullptr) {
        if (const ordered_json* more = Field(*settings, "aliases"); more != nullptr && more->is_array()) {
          for (const auto& alias : *more) aliases.push_back(providers::ScalarText(alias));
        }
      }
      spec.networks.push_back({ObjectName(section, project, key), json{{"Aliases", std::move(aliases)}}});
    };
    if (networks == nullptr || !networks->is_object() || networks->empty()) {
      attach("default", nullptr);
      return;
    }
    for (const auto& [key, settings] : networks->items()) attach(key, &settings);
  }

  Result<ContainerSpec> Build() {
    spec.service = service;
    json config = json::object();
    json host = json::object();
    config["Image"] = Text(entry, "image");
    for (auto [from, to] : {std::pair{"command", "Cmd"}, {"entrypoint", "Entrypoint"}}) {
      const ordered_json* v = Field(entry, from);
      if (v == nullptr) continue;
      auto words = Words(*v);
      if (!words.ok()) return Fail(fmt::format("{}: {}", from, words.error().message));
      config[to] = words.value();
    }
    if (const ordered_json* env = Field(entry, "environment"); env != nullptr && env->is_object()) {
      json list = json::array();
      for (const auto& [k, v] : env->items()) list.push_back(k + "=" + providers::ScalarText(v));
      config["Env"] = std::move(list);
    }
    for (auto [from, to] : {std::pair{"working_dir", "WorkingDir"}, {"hostname", "Hostname"}, {"user", "User"},
                            {"stop_signal", "StopSignal"}}) {
      if (std::string v = Text(entry, from); !v.empty()) config[to] = v;
    }
    if (const ordered_json* grace = Field(entry, "stop_grace_period")) {
      auto nanos = providers::DurationFromJson(*grace);
      if (!nanos.ok()) return Fail("stop_grace_period: " + nanos.error().message);
      // Whole seconds, rounded up, as the Engine takes them.
      spec.stop_grace_seconds = static_cast<int>((nanos.value() + 999'999'999) / 1'000'000'000);
      config["StopTimeout"] = spec.stop_grace_seconds;
    }
    if (Status s = Healthcheck(config); !s.ok()) return s.error();
    json labels = json::object();
    if (const ordered_json* l = Field(entry, "labels"); l != nullptr && l->is_object()) {
      for (const auto& [k, v] : l->items()) labels[k] = providers::ScalarText(v);
    }
    labels[kProjectLabel] = project;
    labels[kServiceLabel] = service;
    labels[kOneoffLabel] = "False";
    labels[kComposeVersionLabel] = kComposeVersion;
    config["Labels"] = std::move(labels);
    Ports(config, host);
    if (Status s = Mounts(host); !s.ok()) return s.error();
    if (Status s = Resources(host); !s.ok()) return s.error();
    if (Status s = Restart(host); !s.ok()) return s.error();
    if (const ordered_json* v = Field(entry, "init"); v != nullptr && v->is_boolean()) host["Init"] = v->get<bool>();
    if (const ordered_json* v = Field(entry, "read_only"); v != nullptr && v->is_boolean()) {
      host["ReadonlyRootfs"] = v->get<bool>();
    }
    for (auto [from, to] : {std::pair{"cap_add", "CapAdd"}, {"cap_drop", "CapDrop"}, {"security_opt", "SecurityOpt"},
                            {"extra_hosts", "ExtraHosts"}, {"dns", "Dns"}, {"dns_search", "DnsSearch"},
                            {"dns_opt", "DnsOptions"}}) {
      const ordered_json* v = Field(entry, from);
      if (v == nullptr || !v->is_array()) continue;
      json list = json::array();
      for (const auto& item : *v) list.push_back(providers::ScalarText(item));
      host[to] = std::move(list);
    }
    if (const ordered_json* v = Field(entry, "sysctls"); v != nullptr && v->is_object()) {
      json map = json::object();
      for (const auto& [k, value] : v->items()) map[k] = providers::ScalarText(value);
      host["Sysctls"] = std::move(map);
    }
    if (const ordered_json* v = Field(entry, "ulimits"); v != nullptr && v->is_object()) {
      json list = json::array();
      for (const auto& [name, limit] : v->items()) {
        if (limit.is_object()) {
          list.push_back(json{{"Name", name}, {"Soft", limit.value("soft", 0)}, {"Hard", limit.value("hard", 0)}});
        } else if (limit.is_number()) {
          list.push_back(json{{"Name", name}, {"Soft", limit.get<std::int64_t>()}, {"Hard", limit.get<std::int64_t>()}});
        }
      }
      host["Ulimits"] = std::move(list);
    }
    if (const ordered_json* v = Field(entry, "logging")) {
      json log{{"Type", Text(*v, "driver")}, {"Config", json::object()}};
      if (const ordered_json* options = Field(*v, "options"); options != nullptr && options->is_object()) {
        for (const auto& [k, value] : options->items()) log["Config"][k] = providers::ScalarText(value);
      }
      host["LogConfig"] = std::move(log);
    }
    Networks();
    host["NetworkMode"] = spec.networks.front().network;
    config["HostConfig"] = std::move(host);
    config["NetworkingConfig"] = json{{"EndpointsConfig", {{spec.networks.front().network, spec.networks.front().endpoint}}}};
    if (const ordered_json* deploy = Field(entry, "deploy")) {
      if (const ordered_json* n = Field(*deploy, "replicas"); n != nullptr && n->is_number_integer()) {
        spec.replicas = n->get<int>();
      }
    }
    // Every attachment is part of the hash (the later ones are connected
    // after create), as is the content of every mounted file.
    json hashed = config;
    for (const auto& attachment : spec.networks) hashed["nest.networks"][attachment.network] = attachment.endpoint;
    spec.config_hash = Sha256Hex({hashed.dump(), file_digests});
    spec.create = std::move(config);
    return std::move(spec);
  }
};

}  // namespace

Result<ContainerSpec> BuildContainerSpec(const ordered_json& document, const std::string& project,
                                         const std::string& service) {
  const ordered_json& services = Section(document, "services");
  auto entry = services.find(service);
  if (entry == services.end()) {
    return Error{fmt::format("service {}: not in the compiled document (a bug in nest: please report it)", service)};
  }
  Builder builder{document, project, service, *entry, {}, {}};
  return builder.Build();
}

std::string ContainerName(const std::string& project, const std::string& service, int number) {
  return fmt::format("{}_{}_{}", project, service, number);
}

json ContainerCreateBody(const ContainerSpec& spec, int number) {
  json body = spec.create;
  body["Labels"][kContainerNumberLabel] = std::to_string(number);
  body["Labels"][kConfigHashLabel] = spec.config_hash;
  return body;
}

}  // namespace nest::compose
