#include "compiler/emit/compose_document.h"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <new>

#include "compiler/emit/builders.h"
#include "compiler/support/digest.h"
#include "compiler/emit/yaml_writer.h"
#include "compiler/support/read_file.h"

namespace nest {
namespace emit {
namespace {

namespace fs = std::filesystem;

bool IsTrue(const Value* v) { return v != nullptr && v->kind == ValueKind::kBool && v->boolean; }

// `path` relative to `dir` (both made absolute), with '/' separators and a
// leading "./" when it does not climb: "./secrets/db.txt", "../x/y.txt".
std::string RelativePath(const std::string& dir, const fs::path& path) {
  fs::path abs = fs::absolute(path).lexically_normal();
  fs::path rel = abs.lexically_relative(fs::path(dir));
  if (rel.empty()) return abs.generic_string();
  std::string text = rel.generic_string();
  if (text.rfind("../", 0) == 0 || text == "..") return text;
  return "./" + text;
}

// Fills ctx.docker_names for every network, volume, secret and config; a
// secret's or config's name carries the short hash of its content: its
// file's (each file is read once, here) or a config's inline `content`.
void NameObjects(Context& ctx) {
  DockerNames names;
  names.reserve(ctx.config.resources.size());
  for (const auto& r : ctx.config.resources) {
    if (r.kind == ResourceKind::kService) continue;
    const Value* name = r.body.Find("name");
    if (IsTrue(r.body.Find("external"))) {
      names[r.address] = name ? name->text : r.name;
      continue;
    }
    if (name != nullptr) {
      names[r.address] = name->text;
      continue;
    }
    const Value* file = r.body.Find("file");
    if ((r.kind == ResourceKind::kSecret || r.kind == ResourceKind::kConfig) && file != nullptr) {
      fs::path path = fs::path(r.base_dir) / file->text;
      std::optional<std::string> content = ReadWholeFile(path.string());
      if (!content) {
        ctx.diags.Error(DiagCode::CannotRead, file->span, fmt::format("cannot read `{}`", path.generic_string()));
        continue;
      }
      std::string hash = Sha256Hex(*content).substr(0, 10);
      names[r.address] = fmt::format("{}_{}_{}", ctx.stack, r.name, hash);
      continue;
    }
    if (const Value* content = r.body.Find("content"); r.kind == ResourceKind::kConfig && content != nullptr) {
      names[r.address] = fmt::format("{}_{}_{}", ctx.stack, r.name, Sha256Hex(content->text).substr(0, 10));
      continue;
    }
    names[r.address] = ctx.stack + "_" + r.name;
  }
  ctx.docker_names = std::make_shared<const DockerNames>(std::move(names));
}

// One step of the path to a value: a field name, or a list index.
struct PathStep {
  bool is_index = false;
  std::string_view key;  // a field
  std::size_t index = 0;  // a list item
};

// Walks `v` keeping the path as steps (views, no copies); it is joined into
// text only for a warning.
void WarnSensitiveValue(Context& ctx, const Resource& r, const Value& v, std::vector<PathStep>& path) {
  if (v.sensitive && (v.kind == ValueKind::kString || v.kind == ValueKind::kNumber)) {
    std::string joined;
    for (const auto& step : path) {
      if (step.is_index) joined += fmt::format("[{}]", step.index);
      else joined += fmt::format("{}{}", joined.empty() ? "" : ".", step.key);
    }
    Diagnostic& d = ctx.diags.Warning(
        DiagCode::SensitiveValueWritten, v.span,
        fmt::format("{}: `{}` holds a sensitive value, written in clear to the compiled file", r.address, joined));
    d.label = "sensitive";
    d.help.push_back("put the value in a `secret` and read it from /run/secrets in the container");
    return;
  }
  for (std::size_t i = 0; i < v.items.size(); ++i) {
    if (!v.items[i].sensitive && v.items[i].items.empty() && v.items[i].fields.empty()) continue;
    path.push_back({true, {}, i});
    WarnSensitiveValue(ctx, r, v.items[i], path);
    path.pop_back();
  }
  for (const auto& [key, field] : v.fields) {
    if (!field.sensitive && field.items.empty() && field.fields.empty()) continue;
    path.push_back({false, key, 0});
    WarnSensitiveValue(ctx, r, field, path);
    path.pop_back();
  }
}

}  // namespace

void WarnSensitive(Context& ctx, const Resource& r) {
  if (!ctx.config.has_sensitive_values) return;
  std::vector<PathStep> path;
  WarnSensitiveValue(ctx, r, r.body, path);
}

void OwnershipLabels(const Context& ctx, const Resource& r, Json& labels) {
  // Stack labels go on every object; the object's own labels, added after, win.
  for (const auto& [key, value] : ctx.stack_labels) Field(labels, key) = value;
  Field(labels, kAddressLabel) = r.address;
}

void AddSpecHashLabel(Context& ctx, Json& labels) {
  SortKeys(labels);
  ctx.spec_hash_label = &InsertSorted(labels, kSpecHashLabel, "");
}

namespace {

// How far in an entry is written: under its section's key.
constexpr int kEntryIndent = 2;

// The spec hash of `r`'s entry, written as `entry_yaml` with an empty hash
// label. What the entry refers to counts by Docker name: a secret whose
// content changed gets a new name, and so do the services mounting it.
// (depends_on is sorted and without duplicates.)
std::string EntrySpecHash(const Context& ctx, const Resource& r, std::string_view entry_yaml) {
  std::vector<std::pair<std::string_view, std::string_view>> refs;
  refs.reserve(r.depends_on.size());
  for (const auto& dep : r.depends_on)
    if (auto it = ctx.docker_names->find(dep); it != ctx.docker_names->end()) refs.emplace_back(dep, it->second);
  return SpecHash(entry_yaml, ctx.stack, refs);
}

// What a spec hash is taken over: the entry as written, except that on
// compose a service's replica count (`deploy.replicas`, all its deploy
// block holds there) is left out. The number of containers is compared by
// itself, so scaling is a change of `replicas` alone and nest apply adds or
// removes containers without replacing the others, whose labels stay true.
std::string HashedText(const Context& ctx, const Resource& r, const Json& entry, std::string_view written) {
  if (ctx.swarm() || r.kind != ResourceKind::kService || !entry.contains("deploy")) return std::string(written);
  Json without = entry;
  without.erase("deploy");
  std::string text;
  AppendYamlEntry(text, r.name, without, kEntryIndent);
  return text;
}

}  // namespace

void AppendEntry(Context& ctx, const Resource& r, std::string& out) {
  EntryArena arena;  // the entry's model lives and dies in it
  // Built in the arena and never destroyed: every node and string of it is
  // the arena's, forgotten at once when it closes, and destroying the model
  // first would only walk it (a tenth of writing an entry).
  void* storage = CurrentEntryArena()->allocate(sizeof(Json), alignof(Json));
  Json& entry = *new (storage) Json(BuildEntry(ctx, r));
  std::size_t start = out.size();
  YamlMark mark{ctx.spec_hash_label};
  AppendYamlEntry(out, r.name, entry, kEntryIndent, true, &mark);
  if (ctx.spec_hash_label == nullptr) return;
  std::string hash = EntrySpecHash(ctx, r, HashedText(ctx, r, entry, std::string_view(out).substr(start)));
  out.replace(mark.begin, mark.end - mark.begin, YamlScalar(hash));
}

Json BuildHashedEntry(Context& ctx, const Resource& r) {
  Json entry = BuildEntry(ctx, r);
  if (ctx.spec_hash_label != nullptr) {
    std::string written;
    AppendYamlEntry(written, r.name, entry, kEntryIndent);
    *ctx.spec_hash_label = EntrySpecHash(ctx, r, HashedText(ctx, r, entry, written));
  }
  return entry;
}

Json BuildNetwork(Context& ctx, const Resource& r) {
  const Value& b = r.body;
  Json n = Json::object();
  if (IsTrue(b.Find("external"))) {
    n["external"] = true;
    n["name"] = ctx.DockerName(r.address);
    return n;
  }
  if (const Value* v = b.Find("name")) n["name"] = v->text;
  const Value* driver = b.Find("driver");
  if (ctx.swarm()) {
    n["driver"] = driver ? driver->text : "overlay";
  } else if (driver != nullptr && driver->text == "overlay") {
    ctx.CannotExpress(r, "driver = overlay", driver->span,
                      "Compose runs on one host without a swarm; the network is a bridge there");
  } else if (driver != nullptr) {
    n["driver"] = driver->text;
  }
  Json opts = Json::object();
  if (const Value* v = b.Find("driver_opts")) opts = StringMap(*v);
  if (const Value* v = b.Find("encrypted"); IsTrue(v)) {
    if (ctx.swarm()) {
      opts["encrypted"] = "";
      SortKeys(opts);
    } else {
      ctx.CannotExpress(r, "encrypted", v->span, "only overlay networks between swarm nodes are encrypted");
    }
  }
  if (!opts.empty()) n["driver_opts"] = std::move(opts);
  // A bridge network always takes standalone containers: attachable is
  // implied on compose.
  if (ctx.swarm() && IsTrue(b.Find("attachable"))) n["attachable"] = true;
  if (IsTrue(b.Find("internal"))) n["internal"] = true;
  if (const Value* subnet = b.Find("subnet")) {
    Json pool = Json::object();
    pool["subnet"] = subnet->text;
    for (const char* key : {"gateway", "ip_range"}) {
      const Value* v = b.Find(key);
      if (v == nullptr) continue;
      if (ctx.swarm() && !ctx.engine_settings) {
        ctx.CannotExpress(r, key, v->span,
                          "the compose format of docker stack deploy takes only a subnet in `ipam.config`",
                          "with this file Docker picks the gateway and the range; `nest apply` sets them");
      } else {
        pool[key] = v->text;
      }
    }
    n["ipam"] = Json{{"config", Json::array({std::move(pool)})}};
  }
  Json labels = Json::object();
  OwnershipLabels(ctx, r, labels);
  if (const Value* v = b.Find("labels"))
    for (const auto& [key, value] : v->fields) Field(labels, key) = value.text;
  n["labels"] = std::move(labels);
  AddSpecHashLabel(ctx, n["labels"]);
  return n;
}

Json BuildVolume(Context& ctx, const Resource& r) {
  const Value& b = r.body;
  Json v = Json::object();
  if (IsTrue(b.Find("external"))) {
    v["external"] = true;
    v["name"] = ctx.DockerName(r.address);
    return v;
  }
  if (const Value* x = b.Find("name")) v["name"] = x->text;
  if (const Value* x = b.Find("driver")) v["driver"] = x->text;
  if (const Value* x = b.Find("driver_opts")) v["driver_opts"] = StringMap(*x);
  Json labels = Json::object();
  OwnershipLabels(ctx, r, labels);
  if (const Value* x = b.Find("labels"))
    for (const auto& [key, value] : x->fields) Field(labels, key) = value.text;
  v["labels"] = std::move(labels);
  AddSpecHashLabel(ctx, v["labels"]);
  return v;
}

Json BuildFileObject(Context& ctx, const Resource& r) {
  const Value& b = r.body;
  Json o = Json::object();
  if (IsTrue(b.Find("external"))) {
    o["external"] = true;
    o["name"] = ctx.DockerName(r.address);
    return o;
  }
  const Value* content = b.Find("content");
  if (content != nullptr && ctx.swarm() && ctx.engine_settings) {
    // For the Engine API: the config's data is the content itself, and its
    // name carries the content's hash (NameObjects).
    o["content"] = content->text;
    o["name"] = ctx.DockerName(r.address);
  } else if (content != nullptr) {
    Diagnostic& d = ctx.diags.Error(
        DiagCode::InlineConfigContent, content->span,
        fmt::format("{}: inline `content` cannot be written to a {} file", r.address, PlatformName(ctx.target)));
    d.label = "inline content";
    d.notes.push_back(ctx.swarm() ? "the compose format of docker stack deploy (3.x) reads configs from files only"
                                  : "docker-compose 1.x reads configs from files only");
    d.help.push_back("put the content in a file and write `file = \"...\"`");
    if (ctx.swarm()) d.help.push_back("or deploy with `nest apply`, which creates the config through the Engine API");
    return o;
  }
  if (const Value* file = b.Find("file"))
    o["file"] = RelativePath(ctx.output_dir, fs::path(r.base_dir) / file->text);
  // On swarm the object is immutable: its name carries a hash of its content.
  // Compose mounts the file directly and has no object to name.
  if (content == nullptr && (ctx.swarm() || b.Find("name") != nullptr)) o["name"] = ctx.DockerName(r.address);
  Json labels = Json::object();
  OwnershipLabels(ctx, r, labels);
  if (const Value* x = b.Find("labels"))
    for (const auto& [key, value] : x->fields) Field(labels, key) = value.text;
  o["labels"] = std::move(labels);
  AddSpecHashLabel(ctx, o["labels"]);
  return o;
}

Context MakeContext(const Config& config, const EmitOptions& options, Diagnostics& diags) {
  namespace fs = std::filesystem;
  std::string output_dir = options.output_dir.empty() ? "." : options.output_dir;
  Context ctx{config,
              options.target,
              options.stack_name.empty() ? config.stack_name : options.stack_name,
              fs::absolute(output_dir).lexically_normal().generic_string(),
              diags,
              {},
              {}};
  ctx.engine_settings = options.engine_settings;
  if (const Value* labels = config.stack_body.Find("labels"))
    for (const auto& [key, value] : labels->fields) ctx.stack_labels.emplace_back(key, value.text);
  NameObjects(ctx);
  return ctx;
}

std::vector<DocumentEntry> DocumentOrder(const Config& config) {
  // Sorted by compose key within each section.
  std::vector<const Resource*> sorted;
  sorted.reserve(config.resources.size());
  for (const auto& r : config.resources) sorted.push_back(&r);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Resource* a, const Resource* b) { return a->name < b->name; });
  auto section_of = [](ResourceKind kind) {
    switch (kind) {
      case ResourceKind::kService: return 0;
      case ResourceKind::kNetwork: return 1;
      case ResourceKind::kVolume: return 2;
      case ResourceKind::kSecret: return 3;
      case ResourceKind::kConfig: return 4;
    }
    return 0;
  };
  std::vector<DocumentEntry> order;
  order.reserve(sorted.size());
  for (int section = 0; section < static_cast<int>(kSectionNames.size()); ++section) {
    bool first = true;
    for (const Resource* r : sorted) {
      if (section_of(r->kind) != section) continue;
      order.push_back({r, section, first});
      first = false;
    }
  }
  return order;
}

Json BuildEntry(Context& ctx, const Resource& r) {
  ctx.spec_hash_label = nullptr;
  WarnSensitive(ctx, r);
  switch (r.kind) {
    case ResourceKind::kService: return BuildService(ctx, r);
    case ResourceKind::kNetwork: return BuildNetwork(ctx, r);
    case ResourceKind::kVolume: return BuildVolume(ctx, r);
    case ResourceKind::kSecret:
    case ResourceKind::kConfig: return BuildFileObject(ctx, r);
  }
  return Json::object();
}

}  // namespace emit

std::optional<nlohmann::ordered_json> BuildComposeDocument(const Config& config, const EmitOptions& options,
                                                           Diagnostics& diags) {
  int errors_before = diags.error_count();
  emit::Context ctx = emit::MakeContext(config, options, diags);
  std::vector<emit::DocumentEntry> order = emit::DocumentOrder(config);

  // Each entry is built in an arena and copied out to the document's own
  // heap-allocated model.
  using Document = nlohmann::ordered_json;
  std::size_t counts[emit::kSectionNames.size()] = {};
  for (const auto& entry : order) ++counts[entry.section];
  Document sections[emit::kSectionNames.size()];
  for (std::size_t i = 0; i < emit::kSectionNames.size(); ++i) {
    sections[i] = Document::object();
    sections[i].get_ref<Document::object_t&>().reserve(counts[i]);
  }
  for (const auto& entry : order) {
    emit::EntryArena arena;
    Document built(emit::BuildHashedEntry(ctx, *entry.resource));
    static_cast<Document::object_t::Container&>(sections[entry.section].get_ref<Document::object_t&>())
        .emplace_back(entry.resource->name, std::move(built));
  }
  if (diags.error_count() > errors_before) return std::nullopt;

  Document doc = Document::object();
  if (ctx.swarm()) doc["version"] = kSwarmComposeVersion;
  for (std::size_t i = 0; i < emit::kSectionNames.size(); ++i)
    if (!sections[i].empty()) doc[emit::kSectionNames[i]] = std::move(sections[i]);
  return doc;
}

}  // namespace nest
