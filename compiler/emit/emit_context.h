// Internal to compiler/emit: what every part of the compose document builder
// shares while it turns one Config into one document.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>

#include "compiler/config/config.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/emit/entry_json.h"
#include "compiler/emit/target.h"

namespace nest::emit {

// Hashes a name as a string_view, so that a map keyed by std::string is
// searched with a view without making a string.
struct NameHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
};
// Docker names by address. Hashed: every service looks up each network,
// volume, secret and config it refers to.
using DockerNames = std::unordered_map<std::string, std::string, NameHash, std::equal_to<>>;

struct Context {
  const Config& config;
  Platform target;
  std::string stack;       // the stack name Docker objects are scoped to
  std::string output_dir;  // absolute; every path in the file is relative to it
  Diagnostics& diags;
  // Docker name of every network, volume, secret and config by address:
  // "<stack>_<name>", the external name, or for secrets and configs
  // "<stack>_<name>_<content hash>".
  // Shared, not copied, by the contexts of a document's parts.
  std::shared_ptr<const DockerNames> docker_names;
  // The stack block's labels, on every object.
  std::vector<std::pair<std::string, std::string>> stack_labels;
  // While an entry is built: its spec-hash label's value, a placeholder that
  // AppendEntry or BuildHashedEntry fills in (null when the entry has no
  // labels).
  Json* spec_hash_label = nullptr;
  // EmitOptions::engine_settings: the document is for the Engine API.
  bool engine_settings = false;

  bool swarm() const { return target == Platform::kSwarm; }
  // The compose key of a resource: its nest name ("app", "db-postgres").
  static std::string Key(const Value& reference) { return ResourceNameFromAddress(reference.text); }
  std::string DockerName(std::string_view address) const;

  // NEST-W080: `setting` of `resource` cannot be expressed for the target.
  // `why` says what the target does instead; `help` what the user can do.
  void CannotExpress(const Resource& resource, std::string_view setting, Span where,
                     std::string why, std::string help = {});

  // NEST-E080 (W080's error form): `setting` asks for something the target
  // cannot run at all (a privileged Swarm service): dropping it would deploy
  // a different service, so it is an error. `help` says where it does work.
  void CannotRun(const Resource& resource, std::string_view setting, Span where, std::string why,
                 std::string help);
};

// Value renderings shared by the builders.
std::string DurationText(const Value& v);  // "30s", "1m30s", "500ms"
std::string SizeText(const Value& v);      // "512M", "1G", "1536K", "100B"
std::string CpusText(const Value& v);      // "1.0", "0.25"
Json StringMap(const Value& map);           // a map(string) as a JSON object sorted by key
Json StringList(const Value& list);
// A command attribute: a list as is, a string as ["/bin/sh", "-c", string].
Json CommandJson(const Value& v);
// Sorts an object's keys (labels, env, options): maps are canonical.
void SortKeys(Json& object);
// An empty object with room for `capacity` keys. ordered_json keeps its
// keys in a vector of pair<const string, json>, which cannot be moved: a
// vector that grows copies every value in it, deeply. Reserve first.
Json NewObject(std::size_t capacity);
// Sets key: value in an object whose keys are sorted, keeping them sorted,
// with one allocation (an ordered_json that grows copies every value).
// Returns the value as it now sits in the object.
Json& InsertSorted(Json& object, std::string_view key, Json value);
// Appends key: value to an object without the duplicate search of
// operator[] (linear in ordered_json); the caller knows the key is new.
void AppendNew(Json& object, JsonString key, Json value);
// object[name], for a name that is not a string literal (the model's keys
// are JsonStrings, which a std::string does not convert to implicitly).
inline Json& Field(Json& object, std::string_view name) { return object[JsonString(name)]; }

// The spec hash: 12 hex digits of the SHA-256 of `entry_yaml` (the entry as
// written in the file, its hash label still empty), the stack name, and the
// objects the entry refers to with their Docker names (sorted by name).
std::string SpecHash(std::string_view entry_yaml, std::string_view stack,
                     const std::vector<std::pair<std::string_view, std::string_view>>& refs);

inline constexpr std::string_view kAddressLabel = "nest.address";
inline constexpr std::string_view kSpecHashLabel = "nest.spec-hash";

}  // namespace nest::emit
