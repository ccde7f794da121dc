// `nest import`: the file as a whole: its sections in order, the stack
// block, and the checks the generated source goes through.
#include "compiler/import/importer.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "compiler/compose_syntax/project_name.h"
#include "compiler/format/formatter.h"
#include "compiler/import/compose_keys.h"
#include "compiler/import/importer_internal.h"
#include "compiler/syntax/parser.h"

namespace nest {
namespace import {

namespace fs = std::filesystem;

// --- the file -------------------------------------------------------------------------

std::optional<std::string> Importer::Run(const YAML::Node& root, std::string stack_name,
                                         const std::string& fallback_name, const std::string& compose_name) {
  auto top = Map(root, "a compose file");
  if (!top) return std::nullopt;
  YAML::Node services_node, networks_node, volumes_node, secrets_node, configs_node;
  for (const auto& e : *top) {
    if (e.key == "version") continue;  // the format's version, not a setting
    if (e.key == "name") {
      if (auto n = Scalar(e.value, "`name`"); n && stack_name.empty()) stack_name = *n;
    } else if (e.key == "services") {
      services_node = e.value;
    } else if (e.key == "networks") {
      networks_node = e.value;
    } else if (e.key == "volumes") {
      volumes_node = e.value;
    } else if (e.key == "secrets") {
      secrets_node = e.value;
    } else if (e.key == "configs") {
      configs_node = e.value;
    } else {
      UnmappedKey(e, "the file", UnmappedTopLevelKeyReason(e.key));
    }
  }

  // Declare every name first: services refer to them in any order.
  struct Section {
    const char* kind;
    YAML::Node node;
    std::set<std::string>* names;
    std::vector<Entry> entries;
  };
  Section sections[] = {{"network", networks_node, &networks, {}},
                        {"volume", volumes_node, &volumes, {}},
                        {"secret", secrets_node, &secrets, {}},
                        {"config", configs_node, &configs, {}},
                        {"service", services_node, &services, {}}};
  for (auto& s : sections) {
    if (!s.node.IsDefined() || s.node.IsNull()) continue;
    auto entries = Map(s.node, fmt::format("`{}s`", s.kind));
    if (!entries) continue;
    for (auto& e : *entries) {
      if (e.key.rfind("x-", 0) == 0 && std::string_view(s.kind) == "service") {
        Dropped(e.key_node, fmt::format("the extension field `{}` in `services` is dropped", e.key));
        continue;
      }
      if (!IsIdentifier(e.key)) {
        Invalid(e.key_node, fmt::format("`{}` cannot be a nest {} name: use letters, digits, `_` and `-`, "
                                        "starting with a letter or `_`",
                                        e.key, s.kind));
        continue;
      }
      s.names->insert(e.key);
      s.entries.push_back(std::move(e));
    }
  }

  std::vector<NestBlock> objects;
  for (const auto& e : sections[0].entries) ImportNetwork(e.key, e.value, objects);
  for (const auto& e : sections[1].entries) ImportVolume(e.key, e.value, objects);
  for (const auto& e : sections[2].entries) ImportFileObject("secret", e.key, e.value, objects);
  for (const auto& e : sections[3].entries) ImportFileObject("config", e.key, e.value, objects);
  std::vector<NestBlock> service_blocks;
  for (const auto& e : sections[4].entries) service_blocks.push_back(ImportService(*this, e.key, e.value));
  if (!services_node.IsDefined() || services_node.IsNull() || (services_node.IsMap() && services_node.size() == 0))
    Invalid(root, "the file has no services");

  if (stack_name.empty()) stack_name = fallback_name;
  std::vector<NestBlock> blocks;
  NestBlock stack;
  stack.type = "stack";
  stack.labels = {stack_name};
  stack.comments = {fmt::format("Imported by nest import from {}.", compose_name)};
  blocks.push_back(std::move(stack));
  for (auto& v : VariableBlocks()) blocks.push_back(std::move(v));
  if (uses_default_network) {
    NestBlock def;
    def.type = "network";
    def.labels = {"default"};
    def.comments = {"The network compose gives services that name none."};
    blocks.push_back(std::move(def));
  }
  for (auto& o : objects) blocks.push_back(std::move(o));
  for (auto& s : service_blocks) blocks.push_back(std::move(s));
  if (failed_) return std::nullopt;
  return RenderBlocks(blocks);
}

}  // namespace import

namespace {

std::string DefaultStackName(const std::filesystem::path& compose_path) {
  std::string folder = std::filesystem::absolute(compose_path).lexically_normal().parent_path().filename().string();
  std::string name = compose_syntax::ProjectName(folder);
  return name.empty() ? "stack" : name;
}

}  // namespace

std::optional<std::string> ImportComposeText(const std::string& path, std::string text, const ImportOptions& options,
                                             SourceManager& sources, Diagnostics& diags) {
  namespace fs = std::filesystem;
  FileId id = sources.Add(path, text);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    const SourceFile& f = sources.file(id);
    Span where{id, 0, 0};
    if (e.mark.line >= 0 && static_cast<std::uint32_t>(e.mark.line) < f.LineCount()) {
      std::uint32_t begin = f.LineStart(static_cast<std::uint32_t>(e.mark.line) + 1) +
                            static_cast<std::uint32_t>(std::max(e.mark.column, 0));
      where = Span{id, begin, begin + 1};
    }
    diags.Error(DiagCode::InvalidYaml, where, fmt::format("invalid YAML: {}", e.msg)).label = "here";
    return std::nullopt;
  }
  fs::path compose_dir = fs::path(path).parent_path();
  if (compose_dir.empty()) compose_dir = ".";
  import::Importer importer(sources, id, diags, compose_dir, options.output_dir.empty() ? "." : options.output_dir);
  std::optional<std::string> raw;
  try {
    raw = importer.Run(root, options.stack_name, DefaultStackName(path), fs::path(path).filename().string());
  } catch (const YAML::Exception& e) {
    // yaml-cpp reports some malformed documents only on access (a bad
    // conversion, an invalid node). Anything else thrown here is a bug in
    // nest and is not relabelled as the user's error.
    diags.Error(DiagCode::InvalidYaml, Span{id, 0, 0}, fmt::format("cannot read the compose file: {}", e.what()));
    return std::nullopt;
  }
  if (!raw) return std::nullopt;

  // The generated source goes through the project's parser and formatter:
  // the output is in `nest fmt` layout, and a generator bug shows up here.
  SourceManager generated;
  FileId gid = generated.Add("imported.nest", *raw);
  Diagnostics parse_diags;
  ast::File file = ParseFile(generated, gid, parse_diags);
  if (parse_diags.HasErrors()) {
    diags.Error(DiagCode::InvalidComposeValue, Span{id, 0, 0},
                "nest import generated source that does not parse (a bug in nest import)")
        .notes.push_back(parse_diags.list().front().summary);
    return std::nullopt;
  }
  return FormatFile(generated, file);
}

std::optional<std::string> ImportComposeFile(const std::string& compose_path, const ImportOptions& options,
                                             SourceManager& sources, Diagnostics& diags) {
  std::ifstream in(compose_path, std::ios::binary);
  if (!in) {
    diags.Error(DiagCode::CannotRead, Span{}, fmt::format("cannot read `{}`", compose_path));
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ImportComposeText(compose_path, text.str(), options, sources, diags);
}

}  // namespace nest
