// Internal to compiler/import: the state of one import and the typed
// readers every part of it shares.
#pragma once

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/compose_syntax/parsed.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/import/interpolation.h"
#include "compiler/import/nest_writer.h"
#include "compiler/source/source.h"

namespace nest::import {

// What a compose value becomes in nest.
enum class Kind {
  kString,
  kInteger,     // a whole number
  kNumber,      // cpus
  kBool,
  kDuration,    // Go duration text: "1m30s"
  kSize,        // compose bytes: "512M" (MiB), "1g", 1024
  kFraction,    // 0.0-1.0 (max_failure_ratio) as a percentage
  kCidr,
  kIp,
  kPortNumber,  // 1-65535
};

// A map entry, after YAML merge keys (`<<: *anchor`) are applied.
struct Entry {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
};

// A compose `${VAR}` as a nest variable.
struct Variable {
  std::string name;
  std::optional<std::string> default_text;  // the raw default, converted at the end
  bool required = false;
  std::string message;       // of `${VAR:?message}`
  std::set<Kind> kinds;      // every typed use (kString for string uses)
  YAML::Node first_use;
};

class Importer {
 public:
  Importer(SourceManager& sources, FileId file, Diagnostics& diags, std::filesystem::path compose_dir,
           std::filesystem::path output_dir)
      : sources_(sources), file_(file), diags_(diags), compose_dir_(std::move(compose_dir)),
        output_dir_(std::move(output_dir)) {}

  // `stack_name` from --stack (empty: the file's `name:`, else `fallback_name`).
  std::optional<std::string> Run(const YAML::Node& root, std::string stack_name, const std::string& fallback_name,
                                 const std::string& compose_name);

  // --- diagnostics at a node of the YAML file ---
  Span SpanOf(const YAML::Node& node) const;
  void Unsupported(const YAML::Node& at, std::string what, std::string why = {});
  void Invalid(const YAML::Node& at, std::string message);
  // The same with a note that says why (a compose_syntax message).
  void Invalid(const YAML::Node& at, std::string message, std::string why);
  void Dropped(const YAML::Node& at, std::string message);
  bool failed() const { return failed_; }

  // --- shapes ---
  // The entries of a mapping (merge keys applied), or nullopt after an error.
  std::optional<std::vector<Entry>> Map(const YAML::Node& node, std::string_view what);
  std::optional<std::vector<YAML::Node>> Seq(const YAML::Node& node, std::string_view what);
  std::optional<std::string> Scalar(const YAML::Node& node, std::string_view what);
  // For keys nest has no place for: `x-` extensions are dropped with a
  // note; anything else is an error naming the key.
  void UnknownKey(const Entry& e, std::string_view where);
  // A top-level or service key nest does not map: the error carries
  // `reason` (compose_keys.h), or says the key is not in the compose
  // specification when there is none.
  void UnmappedKey(const Entry& e, std::string_view where, std::string_view reason);

  // --- values, as nest expression text ---
  // A scalar as a nest expression of `kind`; interpolations become variables.
  std::optional<std::string> Expr(const YAML::Node& node, Kind kind, std::string_view what);
  // The same for part of a scalar (`text`), reported at `at`.
  std::optional<std::string> ExprText(const std::string& text, const YAML::Node& at, Kind kind, std::string_view what);
  // A list of strings, or one string (`[x]`).
  std::optional<std::vector<std::string>> StringItems(const YAML::Node& node, std::string_view what);
  // A map of strings, or a list of "KEY=VALUE" (labels, sysctls, environment).
  // A bare "KEY" in list form (or KEY with a null value) is `bare_value`
  // applied to the key, or an error when `bare_value` is null.
  std::optional<std::vector<std::pair<std::string, std::string>>> StringMap(
      const YAML::Node& node, std::string_view what, bool environment = false);
  // A shell-form command as an exec-form list: compose splits a string
  // command like a shell would, without running one.
  std::optional<std::string> CommandExpr(const YAML::Node& node, std::string_view what);
  // A reference to a declared top-level object: "network.backend".
  std::optional<std::string> Reference(const YAML::Node& node, std::string_view kind, std::string_view what);
  // A path of the compose file (relative to its folder) relative to the
  // output folder.
  std::string RelocatedPath(const std::string& path) const;
  std::string AbsolutePath(const std::string& path) const;
  // A string literal with interpolations; nullopt after an error.
  std::optional<std::string> StringTemplate(const YAML::Node& at, const std::string& text);
  // The Literal conversion of `text` for `kind`, or what is wrong with it
  // (no diagnostic). Durations and sizes are read by compiler/compose_syntax,
  // as the providers read them.
  static compose_syntax::Parsed<std::string> Literal(Kind kind, const std::string& text);
  // A file mode ("0440", 288 as decimal, "0o440") as nest's octal string.
  std::optional<std::string> FileMode(const YAML::Node& node);

  std::set<std::string> networks, volumes, secrets, configs, services;
  bool uses_default_network = false;
  std::filesystem::path compose_dir() const { return compose_dir_; }

 private:
  bool CollectMerged(const YAML::Node& node, std::vector<Entry>& out, int depth);
  std::string UseVariable(const TemplatePart& part, Kind kind, const YAML::Node& at);
  std::vector<NestBlock> VariableBlocks();
  void ImportNetwork(const std::string& name, const YAML::Node& node, std::vector<NestBlock>& out);
  void ImportVolume(const std::string& name, const YAML::Node& node, std::vector<NestBlock>& out);
  void ImportFileObject(const std::string& kind, const std::string& name, const YAML::Node& node,
                        std::vector<NestBlock>& out);
  bool ExternalValue(const Entry& e, NestBlock& block);

  SourceManager& sources_;
  FileId file_;
  Diagnostics& diags_;
  std::filesystem::path compose_dir_, output_dir_;
  bool failed_ = false;
  std::vector<Variable> variables_;
  std::map<std::string, std::size_t> variable_index_;
};

// A compose service as a nest `service` block.
NestBlock ImportService(Importer& im, const std::string& name, const YAML::Node& node);

// "a duration such as 30s": what a value of `kind` must be, for messages.
const char* KindName(Kind kind);
// True for the kinds compiler/compose_syntax reads (durations, sizes): their
// errors say why in a note; for the others the message says it all.
inline bool ReadByComposeSyntax(Kind kind) { return kind == Kind::kDuration || kind == Kind::kSize; }
// The nest `variable` type a use of `kind` gives: "duration", "size", ...
const char* VariableType(Kind kind);

}  // namespace nest::import
