// One compose service as a nest `service` block.
#include <fmt/format.h>

#include <fstream>

#include "compiler/import/importer_internal.h"

namespace nest::import {
namespace {

namespace fs = std::filesystem;
using Entries = std::vector<std::pair<std::string, std::string>>;

// Keys `docker stack deploy` and nest give no meaning to: dropped with a note.
bool WithoutMeaning(std::string_view key) { return key == "expose"; }

class ServiceImporter {
 public:
  ServiceImporter(Importer& im, const std::string& name, const YAML::Node& node) : im_(im), name_(name), node_(node) {
    block_.type = "service";
    block_.labels = {name};
  }

  NestBlock Run() {
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
      else im_.UnknownKey(e, fmt::format("service `{}`", name_));
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

 private:
  void Set(const std::string& name, std::optional<std::string> expr) {
    if (expr) block_.Set(name, *expr);
  }
  std::optional<std::string> Str(const YAML::Node& node, const std::string& what) {
    return im_.Expr(node, Kind::kString, "`" + what + "`");
  }
  std::optional<std::string> List(const YAML::Node& node, const std::string& what) {
    auto items = im_.StringItems(node, "`" + what + "`");
    if (!items) return std::nullopt;
    return ListExpr(*items);
  }

  void Environment(const YAML::Node& node) {
    auto map = im_.StringMap(node, "`environment`", /*environment=*/true);
    if (!map) return;
    for (auto& [k, v] : *map) PutEnv(k, v);
  }

  void PutEnv(const std::string& key, const std::string& value) {
    for (auto& [k, v] : env_) {
      if (k == key) {
        v = value;
        return;
      }
    }
    env_.emplace_back(key, value);
  }

  // env_file: read now, like `docker stack deploy` does; `environment` wins.
  void EnvFile(const YAML::Node& node) {
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

  void SecurityOpt(const YAML::Node& node) {
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

  void Ulimits(const YAML::Node& node) {
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

  void Logging(const YAML::Node& node) {
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

  void Healthcheck(const YAML::Node& key, const YAML::Node& node) {
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

  // "[published:]target[/protocol]" where published and target are literal
  // numbers or whole `${VAR}` interpolations.
  void ShortPort(const YAML::Node& item) {
    auto text = im_.Scalar(item, "a port");
    if (!text) return;
    std::string spec = *text, protocol;
    std::size_t slash = spec.rfind('/');
    if (slash != std::string::npos && spec.find('}', slash) == std::string::npos) {
      protocol = spec.substr(slash + 1);
      spec = spec.substr(0, slash);
    }
    if (!protocol.empty() && protocol != "tcp" && protocol != "udp" && protocol != "sctp") {
      im_.Invalid(item, fmt::format("`{}` is not a port protocol", protocol));
      return;
    }
    // Split on ':' outside `${...}`.
    std::vector<std::string> parts;
    std::string current;
    int depth = 0;
    for (char c : spec) {
      if (c == '{') ++depth;
      if (c == '}') --depth;
      if (c == ':' && depth == 0) {
        parts.push_back(current);
        current.clear();
      } else {
        current += c;
      }
    }
    parts.push_back(current);
    if (parts.size() > 2) {
      im_.Unsupported(item, fmt::format("the port `{}` bound to one host address", *text),
                      "nest publishes on every address of the node");
      return;
    }
    for (const auto& p : parts) {
      if (p.find('-') != std::string::npos && p.find("${") == std::string::npos) {
        im_.Unsupported(item, fmt::format("the port range `{}`", *text), "write one port per entry");
        return;
      }
    }
    auto literal = [&](const std::string& s) { return Importer::Literal(Kind::kPortNumber, s); };
    bool has_var = text->find('$') != std::string::npos;
    if (!has_var) {
      auto target = literal(parts.back());
      auto published = parts.size() == 2 ? literal(parts[0]) : std::optional<std::string>("");
      if (!target || !published) {
        im_.Invalid(item, fmt::format("`{}` is not a port mapping", *text));
        return;
      }
      std::string proto = protocol.empty() ? "" : "/" + protocol;
      if (parts.size() == 2) port_literals_.push_back(fmt::format("{}:{}{}", *published, *target, proto));
      else port_literals_.push_back(fmt::format("{}/{}", *target, protocol.empty() ? "tcp" : protocol));
      return;
    }
    // With interpolation: a port block whose numbers may be variables.
    NestBlock b;
    b.type = "port";
    auto number = [&](const std::string& s) { return im_.ExprText(s, item, Kind::kPortNumber, "a port"); };
    if (parts.size() == 2) {
      auto p = number(parts[0]);
      if (!p) return;
      b.Set("published", *p);
    }
    auto t = number(parts.back());
    if (!t) return;
    b.Set("target", *t);
    if (!protocol.empty()) b.Set("protocol", protocol);
    port_blocks_.push_back(std::move(b));
  }

  void LongPort(const YAML::Node& item) {
    auto entries = im_.Map(item, "a port");
    if (!entries) return;
    NestBlock b;
    b.type = "port";
    std::optional<std::string> target, published;
    std::string protocol = "tcp", mode = "ingress";
    for (const auto& e : *entries) {
      if (e.key == "target") target = im_.Expr(e.value, Kind::kPortNumber, "`target`");
      else if (e.key == "published") {
        if (e.value.IsScalar() && e.value.Scalar().find('-') != std::string::npos &&
            e.value.Scalar().find('$') == std::string::npos) {
          im_.Unsupported(e.value, fmt::format("the port range `{}`", e.value.Scalar()), "write one port per entry");
          return;
        }
        published = im_.Expr(e.value, Kind::kPortNumber, "`published`");
      } else if (e.key == "protocol" || e.key == "mode") {
        auto v = im_.Scalar(e.value, "`" + e.key + "`");
        if (!v) return;
        bool ok = e.key == "protocol" ? (*v == "tcp" || *v == "udp" || *v == "sctp") : (*v == "ingress" || *v == "host");
        if (!ok) {
          im_.Invalid(e.value, fmt::format("`{}` is not a port {}", *v, e.key));
          return;
        }
        (e.key == "protocol" ? protocol : mode) = *v;
      } else {
        im_.UnknownKey(e, "a port");
      }
    }
    if (!target) {
      if (!im_.failed()) im_.Invalid(item, "a port needs a `target`");
      return;
    }
    bool literal = target->find("var.") == std::string::npos &&
                   (!published || published->find("var.") == std::string::npos);
    if (literal && mode == "ingress") {
      if (published) port_literals_.push_back(fmt::format("{}:{}{}", *published, *target, protocol == "tcp" ? "" : "/" + protocol));
      else port_literals_.push_back(fmt::format("{}/{}", *target, protocol));
      return;
    }
    if (published) b.Set("published", *published);
    b.Set("target", *target);
    if (protocol != "tcp") b.Set("protocol", protocol);
    if (mode != "ingress") b.Set("mode", mode);
    port_blocks_.push_back(std::move(b));
  }

  void Ports(const YAML::Node& node) {
    auto items = im_.Seq(node, "`ports`");
    if (!items) return;
    for (const auto& item : *items) {
      if (item.IsMap()) LongPort(item);
      else ShortPort(item);
    }
  }

  void Networks(const YAML::Node& node) {
    if (node.IsSequence()) {
      for (const auto& item : node)
        if (auto ref = im_.Reference(item, "network", "a network")) networks_.push_back(*ref);
      return;
    }
    auto entries = im_.Map(node, "`networks`");
    if (!entries) return;
    for (const auto& e : *entries) {
      auto ref = im_.Reference(e.key_node, "network", "a network");
      if (!ref) continue;
      networks_.push_back(*ref);
      if (e.value.IsNull()) continue;
      auto settings = im_.Map(e.value, fmt::format("network `{}` of the service", e.key));
      if (!settings) continue;
      for (const auto& s : *settings) {
        if (s.key != "aliases") {
          im_.UnknownKey(s, fmt::format("network `{}` of service `{}`", e.key, name_));
          continue;
        }
        auto names = im_.StringItems(s.value, "`aliases`");
        if (!names || names->empty()) continue;
        NestBlock alias;
        alias.type = "alias";
        alias.Set("network", *ref);
        alias.Set("names", ListExpr(*names));
        alias_blocks_.push_back(std::move(alias));
      }
    }
  }

  // "source:target[:mode]", "target" (anonymous: unsupported), or long syntax.
  void Volumes(const YAML::Node& node) {
    auto items = im_.Seq(node, "`volumes`");
    if (!items) return;
    for (const auto& item : *items) {
      NestBlock m;
      m.type = "mount";
      if (item.IsMap()) {
        if (!LongVolume(item, m)) continue;
      } else {
        auto text = im_.Scalar(item, "a volume");
        if (!text) continue;
        std::vector<std::string> parts;
        std::size_t start = 0;
        while (true) {
          std::size_t colon = text->find(':', start);
          parts.push_back(text->substr(start, colon == std::string::npos ? std::string::npos : colon - start));
          if (colon == std::string::npos) break;
          start = colon + 1;
        }
        if (parts.size() == 1) {
          im_.Unsupported(item, fmt::format("the anonymous volume `{}`", *text),
                          "declare a named volume at the top level and mount it");
          continue;
        }
        if (parts.size() > 3) {
          im_.Invalid(item, fmt::format("`{}` is not a volume mount", *text));
          continue;
        }
        if (!Source(item, parts[0], "", m)) continue;
        auto target = im_.StringTemplate(item, parts[1]);
        if (!target) continue;
        m.Set("target", *target);
        if (parts.size() == 3) {
          if (parts[2] == "ro") m.Set("read_only", "true");
          else if (parts[2] != "rw")
            im_.Unsupported(item, fmt::format("the mount option `{}`", parts[2]), "nest mounts are read-write or read-only (`ro`)");
        }
      }
      mount_blocks_.push_back(std::move(m));
    }
  }

  // A volume name or a host path as a mount source.
  bool Source(const YAML::Node& at, const std::string& source, const std::string& type, NestBlock& m) {
    bool path = !source.empty() && (source[0] == '/' || source[0] == '.' || source[0] == '~');
    if (type == "bind" || (type.empty() && path)) {
      if (!source.empty() && source[0] == '~') {
        im_.Unsupported(at, fmt::format("the home-relative path `{}`", source), "write the absolute path");
        return false;
      }
      std::string absolute = im_.AbsolutePath(source);
      if (source[0] != '/')
        im_.Dropped(at, fmt::format("the relative bind source `{}` becomes the absolute path `{}`", source, absolute));
      auto s = im_.StringTemplate(at, absolute);
      if (!s) return false;
      m.Set("source", *s);
      return true;
    }
    auto ref = im_.volumes.count(source) ? std::optional<std::string>("volume." + source) : std::nullopt;
    if (!ref) {
      im_.Invalid(at, fmt::format("volume `{}` is not declared in the file's top-level `volumes`", source));
      return false;
    }
    m.Set("source", *ref);
    return true;
  }

  bool LongVolume(const YAML::Node& item, NestBlock& m) {
    auto entries = im_.Map(item, "a volume");
    if (!entries) return false;
    std::string type = "volume";
    std::optional<std::string> source;
    YAML::Node source_node;
    for (const auto& e : *entries)
      if (e.key == "type") {
        auto t = im_.Scalar(e.value, "`type`");
        if (!t) return false;
        if (*t != "volume" && *t != "bind" && *t != "tmpfs") {
          im_.Unsupported(e.value, fmt::format("the mount type `{}`", *t));
          return false;
        }
        type = *t;
      }
    m.Set("type", type);
    for (const auto& e : *entries) {
      if (e.key == "type") continue;
      if (e.key == "source") {
        source = im_.Scalar(e.value, "`source`");
        source_node = e.value;
        if (!source) return false;
      } else if (e.key == "target") {
        auto t = im_.Expr(e.value, Kind::kString, "`target`");
        if (!t) return false;
        m.Set("target", *t);
      } else if (e.key == "read_only") {
        auto v = im_.Expr(e.value, Kind::kBool, "`read_only`");
        if (v && *v == "true") m.Set("read_only", "true");
      } else if (e.key == "tmpfs") {
        auto opts = im_.Map(e.value, "`tmpfs`");
        if (!opts) return false;
        for (const auto& o : *opts) {
          if (o.key == "size") {
            if (auto v = im_.Expr(o.value, Kind::kSize, "`tmpfs.size`")) m.Set("size", *v);
          } else {
            im_.UnknownKey(o, "`tmpfs`");
          }
        }
      } else if (e.key == "volume" || e.key == "bind") {
        // Only the defaults are expressible: `nocopy: false`, no propagation.
        auto opts = im_.Map(e.value, "`" + e.key + "`");
        if (!opts) return false;
        for (const auto& o : *opts) {
          if (o.key == "nocopy" && o.value.IsScalar() && (o.value.Scalar() == "false")) continue;
          im_.Unsupported(o.key_node, fmt::format("`{}.{}` of a mount", e.key, o.key));
        }
      } else if (e.key == "consistency") {
        im_.Dropped(e.key_node, "`consistency` matters to Docker Desktop only; dropped");
      } else {
        im_.UnknownKey(e, "a volume");
      }
    }
    if (type == "tmpfs") {
      if (source) im_.Invalid(source_node, "a tmpfs mount has no source");
      return !im_.failed();
    }
    if (!source) {
      im_.Unsupported(item, "a volume mount without `source` (an anonymous volume)",
                      "declare a named volume at the top level and mount it");
      return false;
    }
    // `type` is implied by the source in nest; the source comes first.
    auto rest = std::vector(m.attributes.begin() + 1, m.attributes.end());
    m.attributes.clear();
    if (!Source(source_node, *source, type, m)) return false;
    m.attributes.insert(m.attributes.end(), rest.begin(), rest.end());
    return true;
  }

  void Tmpfs(const YAML::Node& node) {
    auto targets = im_.StringItems(node, "`tmpfs`");
    if (!targets) return;
    im_.Dropped(node, "docker stack deploy ignores the `tmpfs` key; nest mounts these paths as tmpfs mounts, "
                      "which Swarm honours");
    for (const auto& t : *targets) {
      NestBlock m;
      m.type = "mount";
      m.Set("type", "tmpfs");
      m.Set("target", t);
      mount_blocks_.push_back(std::move(m));
    }
  }

  void FileRefs(const std::string& key, const YAML::Node& node) {
    std::string kind = key == "secrets" ? "secret" : "config";
    auto items = im_.Seq(node, "`" + key + "`");
    if (!items) return;
    std::vector<std::string>& list = key == "secrets" ? secret_refs_ : config_refs_;
    for (const auto& item : *items) {
      if (!item.IsMap()) {
        if (auto ref = im_.Reference(item, kind, "a " + kind)) list.push_back(*ref);
        continue;
      }
      auto entries = im_.Map(item, "a " + kind);
      if (!entries) continue;
      NestBlock b;
      b.type = kind;
      for (const auto& e : *entries) {
        if (e.key == "source") {
          if (auto ref = im_.Reference(e.value, kind, "`source`")) b.attributes.insert(b.attributes.begin(), {"source", *ref});
        } else if (e.key == "target" || e.key == "uid" || e.key == "gid") {
          if (auto v = Str(e.value, e.key)) b.Set(e.key, *v);
        } else if (e.key == "mode") {
          if (auto v = im_.FileMode(e.value)) b.Set("mode", *v);
        } else {
          im_.UnknownKey(e, "a " + kind + " of a service");
        }
      }
      if (!b.Has("source")) {
        if (!im_.failed()) im_.Invalid(item, fmt::format("a {} needs a `source`", kind));
        continue;
      }
      // Only a source: the short form says the same.
      if (b.attributes.size() == 1) list.push_back(b.attributes[0].second);
      else file_blocks_.push_back(std::move(b));
    }
  }

  void DependsOn(const YAML::Node& node) {
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

  void RestartKey(const YAML::Node& node) {
    auto text = im_.Scalar(node, "`restart`");
    if (!text) return;
    NestBlock b;
    b.type = "restart";
    if (*text == "no") {
      // docker stack deploy gives such a service no restart policy: Swarm's default.
      im_.Dropped(node, "`restart: \"no\"` is a compose container's default and means nothing to docker stack "
                        "deploy; dropped");
      return;
    }
    if (*text == "always" || *text == "unless-stopped") {
      b.Set("condition", "any");
    } else if (text->rfind("on-failure", 0) == 0) {
      b.Set("condition", "on-failure");
      if (text->size() > 11 && (*text)[10] == ':') {
        auto n = Importer::Literal(Kind::kInteger, text->substr(11));
        if (!n) {
          im_.Invalid(node, fmt::format("`{}` is not a restart policy", *text));
          return;
        }
        b.Set("max_attempts", *n);
      }
    } else {
      im_.Invalid(node, fmt::format("`{}` is not a restart policy", *text));
      return;
    }
    restart_block_ = std::move(b);
  }

  void Deploy(const YAML::Node& node) {
    auto entries = im_.Map(node, "`deploy`");
    if (!entries) return;
    for (const auto& e : *entries) {
      const std::string& k = e.key;
      if (k == "mode") {
        auto m = im_.Scalar(e.value, "`deploy.mode`");
        if (!m) continue;
        if (*m == "global") Set("mode", std::string("global"));
        else if (*m != "replicated")
          im_.Unsupported(e.value, fmt::format("the service mode `{}`", *m), "nest services are replicated or global");
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

  void Resources(const YAML::Node& node) {
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

  void RestartPolicy(const YAML::Node& node) {
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

  void Placement(const YAML::Node& node) {
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

  void UpdateConfig(const std::string& key, const YAML::Node& node) {
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

  // Attributes in a fixed order, then blocks.
  void Finish() {
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

  Importer& im_;
  std::string name_;
  YAML::Node node_;
  NestBlock block_;
  Entries env_;
  std::vector<std::pair<std::string, std::optional<std::string>>> security_;
  std::vector<NestBlock> ulimit_blocks_, port_blocks_, alias_blocks_, mount_blocks_, file_blocks_, tail_blocks_;
  std::vector<std::string> port_literals_, networks_, secret_refs_, config_refs_, depends_on_;
  std::vector<std::pair<std::string, std::string>> resources_;
  std::optional<std::string> labels_, container_labels_, scale_;
  std::optional<NestBlock> restart_block_, deploy_block_, rollback_block_;
  bool has_restart_policy_ = false;
};

}  // namespace

NestBlock ImportService(Importer& im, const std::string& name, const YAML::Node& node) {
  return ServiceImporter(im, name, node).Run();
}

}  // namespace nest::import
