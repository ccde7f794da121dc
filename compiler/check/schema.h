// The schema: which blocks exist, their labels, attributes and nested
// blocks, with types. The grammar is generic; this table gives it meaning,
// so "unknown attribute, did you mean" comes from one place.
// docs/language.md documents every entry; keep the two in step.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/check/types.h"

namespace nest {

struct AttributeSchema {
  std::string name;
  Type type;
  bool required = false;
  std::optional<double> min;  // numeric range, inclusive (numbers, integers, percents)
  std::optional<double> max;
  // Only valid in a block whose first label is this value (deploy "canary").
  std::string only_for_label;
  std::string doc;
};

struct BlockSchema {
  std::string type;
  std::vector<std::string> label_names;    // e.g. {"name"}; empty for unlabeled blocks
  std::vector<std::string> label_choices;  // when set, the first label must be one of these
  bool repeated = false;                   // may appear more than once in its parent
  bool open_attributes = false;            // accepts any attribute (module inputs)
  std::vector<AttributeSchema> attributes;
  std::vector<BlockSchema> blocks;
  std::string doc;

  const AttributeSchema* FindAttribute(std::string_view name) const;
  const BlockSchema* FindBlock(std::string_view name) const;
  std::vector<std::string> AttributeNames() const;
  std::vector<std::string> BlockNames() const;
};

// The top-level blocks of a .nest file: stack, variable, output, network,
// volume, secret, config, service, module.
const BlockSchema& FileSchema();

// The top-level block that declares resources of `kind`.
const BlockSchema& ResourceSchema(ResourceKind kind);
std::optional<ResourceKind> ResourceKindFromBlock(std::string_view block_type);

}  // namespace nest
