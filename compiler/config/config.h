// The typed configuration: what the checker produces from the AST and what
// the graph, the compiler and the planner read. Plain data, no behaviour.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "compiler/config/value.h"

namespace nest {

struct Resource {
  ResourceKind kind = ResourceKind::kService;
  // The address, unique in the stack: "service.app", "module.db.service.postgres".
  std::string address;
  // The name Docker objects are derived from: "app", or "db-postgres" for a
  // resource declared in module "db" (module path joined with '-').
  std::string name;
  Span span;       // the block header
  std::string base_dir;  // folder of the declaring file: relative `file` paths start here
  Value body;      // kObject: every attribute and nested block, checked against the schema
  // Addresses this resource depends on: references in its body (including
  // those inside interpolated strings and module outputs) and depends_on.
  std::vector<std::string> depends_on;
  // Those of them named in a `depends_on` attribute (sorted): the graph
  // draws them as explicit edges.
  std::vector<std::string> explicit_depends_on;
};

// The name Docker objects are derived from, for an address:
// "service.app" -> "app", "module.db.service.postgres" -> "db-postgres".
std::string ResourceNameFromAddress(std::string_view address);

struct VariableValue {
  std::string name;
  Value value;
  bool sensitive = false;
  std::string source;  // "default", "--var", "--var-file FILE", "NEST_VAR_name"
};

struct Config {
  std::string stack_name;
  Span stack_span;
  Value stack_body;                       // the stack block: description, labels
  std::vector<Resource> resources;        // declaration order; modules inline at their call
  std::vector<VariableValue> variables;   // the root module's variables
  std::vector<std::string> source_files;  // every .nest file read, root first
  // Whether any value is sensitive: sensitivity starts only at a variable
  // declared `sensitive` (root or module) and flows into what uses it, so
  // without one no value needs a look.
  bool has_sensitive_values = false;

  const Resource* Find(std::string_view address) const;
};

}  // namespace nest
