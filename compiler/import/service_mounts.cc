// `nest import`: a service's volumes (short and long form), tmpfs mounts,
// secrets and configs.
#include <fmt/format.h>

#include "compiler/compose_syntax/volume.h"
#include "compiler/import/service_importer.h"

namespace nest::import {

// "source:target[:mode]", "target" (anonymous: unsupported), or long syntax.
void ServiceImporter::Volumes(const YAML::Node& node) {
  auto items = im_.Seq(node, "`volumes`");
  if (!items) return;
  for (const auto& item : *items) {
    NestBlock m;
    m.type = "mount";
    if (item.IsMap()) {
      if (!LongVolume(item, m)) continue;
    } else {
      if (!ShortVolume(item, m)) continue;
    }
    mount_blocks_.push_back(std::move(m));
  }
}

// "source:target[:ro|rw]", read by compose_syntax as the providers read it.
bool ServiceImporter::ShortVolume(const YAML::Node& item, NestBlock& m) {
  auto text = im_.Scalar(item, "a volume");
  if (!text) return false;
  auto parsed = compose_syntax::ParseShortVolume(*text);
  if (!parsed) {
    im_.Invalid(item, fmt::format("`{}` is not a volume mount", *text), parsed.error().message);
    return false;
  }
  const compose_syntax::ShortVolume& v = parsed.value();
  if (v.source.empty()) {
    im_.Unsupported(item, fmt::format("the anonymous volume `{}`", *text),
                    "declare a named volume at the top level and mount it");
    return false;
  }
  if (!Source(item, v.source, "", m)) return false;
  auto target = im_.StringTemplate(item, v.target);
  if (!target) return false;
  m.Set("target", *target);
  if (v.options == "ro") {
    m.Set("read_only", "true");
  } else if (!v.options.empty() && v.options != "rw") {
    im_.Unsupported(item, fmt::format("the mount option `{}`", v.options), "nest mounts are read-write or read-only (`ro`)");
  }
  return true;
}

// A volume name or a host path as a mount source.
bool ServiceImporter::Source(const YAML::Node& at, const std::string& source, const std::string& type, NestBlock& m) {
  bool path = compose_syntax::IsHostPath(source);
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

bool ServiceImporter::LongVolume(const YAML::Node& item, NestBlock& m) {
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

void ServiceImporter::Tmpfs(const YAML::Node& node) {
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

void ServiceImporter::FileRefs(const std::string& key, const YAML::Node& node) {
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

}  // namespace nest::import
