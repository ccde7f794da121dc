// The Mounts of a service and its secret and config references.
#include <algorithm>

#include "compiler/compose_syntax/volume.h"
#include "providers/swarm/convert_internal.h"
#include "providers/units.h"

namespace nest::swarm::convert_parts {
namespace {

// "name:/path[:ro]", "/host:/path[:options]", "/path" (anonymous) as the
// long form.
std::optional<Doc> ShortVolume(const std::string& text, const Refusals& refusals) {
  auto parsed = compose_syntax::ParseShortVolume(text);
  if (!parsed) {
    refusals.Refuse("volumes", parsed.error().message);
    return std::nullopt;
  }
  const compose_syntax::ShortVolume& short_volume = parsed.value();
  Doc v = Doc::object();
  if (short_volume.source.empty()) {
    v["type"] = "volume";
    v["target"] = short_volume.target;
    return v;
  }
  v["type"] = compose_syntax::IsHostPath(short_volume.source) ? "bind" : "volume";
  v["source"] = short_volume.source;
  v["target"] = short_volume.target;
  if (short_volume.read_only) v["read_only"] = true;
  if (short_volume.nocopy) v["volume"] = Doc{{"nocopy", true}};
  if (!short_volume.propagation.empty()) v["bind"] = Doc{{"propagation", short_volume.propagation}};
  return v;
}

json Mount(const Doc& document, const Doc& volume, const std::string& stack, const Refusals& refusals) {
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
      refusals.warnings.push_back("service " + refusals.service + ": undefined volume " + source);
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
      if (const Doc* size = Field(*tmpfs, "size")) {
        auto bytes = providers::BytesFromJson(*size);
        if (bytes) t["SizeBytes"] = bytes.value();
        else refusals.Refuse("tmpfs.size", bytes.error().message);
      }
      m["TmpfsOptions"] = t;
    }
  } else {
    if (!source.empty()) m["Source"] = source;
  }
  return m;
}

}  // namespace

json Mounts(const Doc& document, const Doc& service, const std::string& stack, const Refusals& refusals) {
  json mounts = json::array();
  const Doc* volumes = Field(service, "volumes");
  if (volumes == nullptr || !volumes->is_array()) return mounts;
  for (const auto& v : *volumes) {
    if (!v.is_string()) {
      mounts.push_back(Mount(document, v, stack, refusals));
    } else if (auto long_form = ShortVolume(v.get<std::string>(), refusals)) {
      mounts.push_back(Mount(document, *long_form, stack, refusals));
    }
  }
  return mounts;
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
}  // namespace nest::swarm::convert_parts
