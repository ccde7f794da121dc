// Internal to compiler/check: the state one check run shares, and the scope
// of one module instance (the root stack is the instance with no prefix).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/check/load.h"
#include "compiler/check/types.h"
#include "compiler/config/config.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/syntax/ast.h"

namespace nest::check {

// Addresses of the resources a value was computed from, in the order met and
// possibly repeated (a resource's depends_on is the sorted, unique set).
using Dependencies = std::vector<std::string>;

// A value together with the resources it was computed from, so a reference
// that travels through a variable or a module output still becomes an edge.
struct TrackedValue {
  Value value;
  Dependencies dependencies;
};

struct DeclaredResource {
  ResourceKind kind;
  std::string address;
  std::string name;
  const ast::Block* block;
  std::string base_dir;
};

struct ModuleInstance;

struct ModuleCall {
  std::string name;
  const ast::Block* block = nullptr;
  std::string base_dir;                   // the calling file's folder
  std::unique_ptr<ModuleInstance> instance;  // set once instantiated
  bool instantiating = false;
  bool failed = false;
};

struct VariableDecl {
  std::string name;
  const ast::Block* block = nullptr;
  std::string base_dir;
  std::optional<Value> declaration;   // the checked block: default, validation, ...
  std::optional<Type> type;
  bool sensitive = false;
  std::optional<TrackedValue> value;  // resolved
  bool rejected = false;              // a value was given but was wrong (reported): no default, no E053/E063
  std::string origin;                 // where the value came from, for `nest` output
};

struct OutputDecl {
  const ast::Block* block = nullptr;
  std::optional<TrackedValue> value;  // evaluated on first use
  bool evaluating = false;
};

struct ModuleInstance {
  std::string address_prefix;  // "" or "module.db." (nested: "module.db.module.x.")
  std::string name_prefix;     // "" or "db-"
  std::string dir;             // the module's folder
  std::vector<std::string> source_chain;  // folders from the root to here (recursion check)
  const std::vector<ast::File>* files = nullptr;
  // Set for the root only, whose files are its own and checked once (a
  // module's files serve each of its instances): each resource's syntax tree
  // is released as soon as the resource is checked, so the memory its values
  // need is mostly memory the trees gave back. On a large stack that is about
  // a third less peak memory, and fewer page faults.
  bool release_checked_resources = false;
  std::map<std::string, VariableDecl> variables;
  std::map<std::string, OutputDecl> outputs;
  std::map<std::string, ModuleCall> modules;
  std::vector<std::string> module_order;    // names in declaration order
  const ast::Block* stack_block = nullptr;  // root only
  // key "service.app" (local, without prefix). Hashed: every reference looks
  // one up; messages that list them sort the keys first.
  std::unordered_map<std::string, DeclaredResource> resources;
  std::vector<std::string> resource_order;  // local keys in declaration order
  // References that a misspelt block type meant to declare ("service.db" for
  // `servce "db"`, "var.x" for `varible "x"`): the typo was reported (E020),
  // so references to them are not reported again.
  std::set<std::string> misspelt;
};

// Shared by every instance of one run.
struct CheckState {
  SourceManager& sources;
  Diagnostics& diags;
  const LoadOptions& options;
  Config& config;
  // Parsed module folders, by canonical path, so a module used twice is parsed once.
  std::map<std::string, std::vector<ast::File>> module_files;
};

// What an expression is evaluated against.
struct EvalContext {
  CheckState& state;
  ModuleInstance& module;
  Dependencies* dependencies;  // where references are recorded; may be null
};

}  // namespace nest::check
