#include "providers/desired.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "compiler/emit/compose_document.h"
#include "providers/compose/normalize.h"
#include "providers/swarm/convert.h"
#include "providers/swarm/normalize.h"

namespace nest::plan {
namespace {

// Every text in `value` that came from something sensitive.
void SensitiveTexts(const Value& value, std::set<std::string>& out) {
  if (value.sensitive && !value.text.empty() && value.kind == ValueKind::kString) out.insert(value.text);
  for (const auto& item : value.items) SensitiveTexts(item, out);
  for (const auto& [key, field] : value.fields) SensitiveTexts(field, out);
}

// Marks every scalar that holds one of `texts` (a sensitive env value, a
// command line built from a sensitive variable): masking too much is safe,
// too little is not.
void Mark(AttributeValue& value, const std::set<std::string>& texts) {
  if (value.kind == AttributeValue::Kind::kScalar) {
    for (const auto& text : texts) {
      if (value.scalar.find(text) != std::string::npos) {
        value.sensitive = true;
        return;
      }
    }
  }
  for (auto& item : value.list) Mark(item, texts);
  for (auto& [key, item] : value.map) Mark(item, texts);
}

void MarkSensitive(const Config& config, StackState& state) {
  for (const auto& resource : config.resources) {
    std::set<std::string> texts;
    SensitiveTexts(resource.body, texts);
    if (texts.empty()) continue;
    for (auto& r : state.resources) {
      if (r.address != resource.address) continue;
      for (auto& [name, value] : r.attributes) Mark(value, texts);
    }
  }
}

}  // namespace

std::optional<StackState> BuildDesiredState(const Config& config, Platform platform, const std::string& stack,
                                            Diagnostics& diags, swarm::StackSpecs* specs) {
  EmitOptions options;
  options.target = platform == Platform::kSwarm ? Platform::kSwarm : Platform::kCompose;
  options.stack_name = stack;
  std::optional<nlohmann::ordered_json> document = BuildComposeDocument(config, options, diags);
  if (!document) return std::nullopt;
  const std::string& name = stack.empty() ? config.stack_name : stack;
  StackState state;
  if (platform == Platform::kSwarm) {
    swarm::StackSpecs converted = swarm::ConvertComposeDocument(*document, name);
    state = swarm::StateFromSpecs(converted);
    if (specs != nullptr) *specs = std::move(converted);
  } else {
    state = compose::StateFromDocument(*document, name);
  }
  MarkSensitive(config, state);
  return state;
}

}  // namespace nest::plan
