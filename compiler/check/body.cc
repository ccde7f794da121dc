#include "compiler/check/body.h"

#include <boost/container/small_vector.hpp>
#include <fmt/format.h>

#include "compiler/check/evaluate.h"

namespace nest::check {
namespace {

std::string Quote(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "`" : ", `") + n + "`";
  return out;
}

void ReportUnknownAttribute(const ast::Attribute& attr, const ast::Block& block,
                            const BlockSchema& schema, Diagnostics& diags) {
  Diagnostic& d = diags.Error(DiagCode::UnknownAttribute, attr.name_span,
                              fmt::format("unknown attribute `{}` in {}", attr.name, block.type));
  d.label = "unknown attribute";
  d.context = block.type_span;
  d.context_label = "in this " + block.type;
  if (schema.FindBlock(attr.name) != nullptr) {
    d.help.push_back(fmt::format("`{0}` is a block: write `{0} {{ ... }}`", attr.name));
    return;
  }
  std::string s = Suggest(attr.name, schema.AttributeNames());
  if (!s.empty()) d.help.push_back(fmt::format("did you mean `{}`?", s));
  else if (schema.attributes.size() <= 12) d.notes.push_back(fmt::format("{} takes {}", block.type, Quote(schema.AttributeNames())));
}

void ReportUnknownBlock(const ast::Block& nested, const ast::Block& parent, const BlockSchema& schema,
                        Diagnostics& diags) {
  Diagnostic& d = diags.Error(DiagCode::UnknownBlockType, nested.type_span,
                              fmt::format("unknown block `{}` in {}", nested.type, parent.type));
  d.label = "unknown block type";
  d.context = parent.type_span;
  d.context_label = "in this " + parent.type;
  if (schema.FindAttribute(nested.type) != nullptr) {
    d.help.push_back(fmt::format("`{0}` is an attribute: write `{0} = ...`", nested.type));
    return;
  }
  std::string s = Suggest(nested.type, schema.BlockNames());
  if (!s.empty()) d.help.push_back(fmt::format("did you mean `{}`?", s));
  else if (!schema.blocks.empty()) d.notes.push_back(fmt::format("{} takes the blocks {}", parent.type, Quote(schema.BlockNames())));
}

bool CheckRange(const Value& v, const AttributeSchema& attr, Diagnostics& diags) {
  bool duration = v.kind == ValueKind::kDuration;  // its range is in nanoseconds
  if (v.kind != ValueKind::kNumber && v.kind != ValueKind::kPercent && !duration) return true;
  double value = duration ? static_cast<double>(v.integer) : v.number;
  auto shown = [&](double x) {
    if (duration) return FormatDuration(static_cast<std::int64_t>(x));
    return v.kind == ValueKind::kPercent ? fmt::format("{}%", x) : fmt::format("{}", x);
  };
  if (attr.min && value < *attr.min) {
    diags.Error(DiagCode::OutOfRange, v.span,
                fmt::format("`{}` must be at least {}, found {}", attr.name, shown(*attr.min), shown(value)))
        .label = "too small";
    return false;
  }
  if (attr.max && value > *attr.max) {
    diags.Error(DiagCode::OutOfRange, v.span,
                fmt::format("`{}` must be at most {}, found {}", attr.name, shown(*attr.max), shown(value)))
        .label = "too large";
    return false;
  }
  return true;
}

bool CheckAttribute(const ast::Attribute& attr, const AttributeSchema& schema, const ast::Block& block,
                    EvalContext& ctx, Value& object) {
  Diagnostics& diags = ctx.state.diags;
  if (!schema.only_for_label.empty() &&
      (block.labels.empty() || block.labels[0].value != schema.only_for_label)) {
    Diagnostic& d = diags.Error(
        DiagCode::Conflicting, attr.name_span,
        fmt::format("`{}` applies to `{} \"{}\"` only", attr.name, block.type, schema.only_for_label));
    d.label = "not for this strategy";
    d.context = block.type_span;
    d.context_label = "in this " + block.type;
    return false;
  }
  if (schema.type.kind == TypeKind::kTypeExpression)  // read by the variable's declaration
    return TypeFromExpression(attr.value, diags).has_value();
  auto value = Evaluate(attr.value, ctx);
  if (!value) return false;
  if (!Conforms(*value, schema.type) && !CheckType(*value, schema.type, fmt::format("`{}`", attr.name), diags))
    return false;
  if (!CheckRange(*value, schema, diags)) return false;
  object.fields.emplace_back(attr.name, std::move(*value));
  return true;
}

Value LabelValue(const ast::Label& label) {
  Value v;
  v.kind = ValueKind::kString;
  v.span = label.span;
  v.text = label.value;
  return v;
}

}  // namespace

bool CheckLabels(const ast::Block& block, const BlockSchema& schema, Diagnostics& diags) {
  if (block.labels.size() != schema.label_names.size()) {
    Span where = block.labels.empty() ? block.type_span : block.labels.back().span;
    Diagnostic& d = diags.Error(DiagCode::WrongLabels, where,
                                fmt::format("`{}` takes {} label{}, found {}", block.type,
                                            schema.label_names.size(),
                                            schema.label_names.size() == 1 ? "" : "s",
                                            block.labels.size()));
    if (schema.label_names.empty()) {
      d.help.push_back(fmt::format("write `{} {{ ... }}`", block.type));
    } else {
      std::string example = block.type;
      for (const auto& n : schema.label_names) example += fmt::format(" \"{}\"", n);
      d.help.push_back(fmt::format("write `{} {{ ... }}`", example));
    }
    return false;
  }
  if (!schema.label_choices.empty()) {
    const auto& label = block.labels[0];
    bool found = false;
    for (const auto& c : schema.label_choices) found = found || c == label.value;
    if (!found) {
      Diagnostic& d = diags.Error(DiagCode::InvalidEnum, label.span,
                                  fmt::format("`{}` is not a {} {}", label.value, block.type,
                                              schema.label_names[0]));
      std::string s = Suggest(label.value, schema.label_choices);
      if (!s.empty()) d.help.push_back(fmt::format("did you mean `\"{}\"`?", s));
      d.notes.push_back(fmt::format("choices: {}", Quote(schema.label_choices)));
      return false;
    }
  }
  for (const auto& label : block.labels) {
    if (label.value.empty()) {
      diags.Error(DiagCode::WrongLabels, label.span, fmt::format("a {} name cannot be empty", block.type));
      return false;
    }
  }
  return true;
}

std::optional<Value> CheckBlock(const ast::Block& block, const BlockSchema& schema, EvalContext& ctx,
                                bool keep_labels) {
  Diagnostics& diags = ctx.state.diags;
  Value object;
  object.kind = ValueKind::kObject;
  object.span = block.span;
  bool ok = true;
  if (keep_labels)
    for (std::size_t i = 0; i < schema.label_names.size() && i < block.labels.size(); ++i)
      object.fields.emplace_back(schema.label_names[i], LabelValue(block.labels[i]));

  // Names seen so far with where: a block has a handful, so a vector beats a
  // map, and one on the stack beats one on the heap.
  boost::container::small_vector<std::pair<std::string_view, Span>, 32> seen;
  object.fields.reserve(object.fields.size() + block.body.attributes.size() + block.body.blocks.size());
  auto find_seen = [&](std::string_view name) -> const Span* {
    for (const auto& [n, span] : seen)
      if (n == name) return &span;
    return nullptr;
  };
  for (const auto& attr : block.body.attributes) {
    if (const Span* first = find_seen(attr.name)) {
      Diagnostic& d = diags.Error(DiagCode::DuplicateAttribute, attr.name_span,
                                  fmt::format("`{}` is set twice", attr.name));
      d.label = "set again here";
      d.related.push_back(*first);
      ok = false;
      continue;
    }
    seen.emplace_back(attr.name, attr.name_span);
    const AttributeSchema* attr_schema = schema.FindAttribute(attr.name);
    if (attr_schema == nullptr) {
      ReportUnknownAttribute(attr, block, schema, diags);
      ok = false;
      continue;
    }
    ok = CheckAttribute(attr, *attr_schema, block, ctx, object) && ok;
  }

  for (const auto& nested : block.body.blocks) {
    const BlockSchema* nested_schema = schema.FindBlock(nested.type);
    if (nested_schema == nullptr) {
      ReportUnknownBlock(nested, block, schema, diags);
      ok = false;
      continue;
    }
    const Span* first = find_seen(nested.type);
    if (first == nullptr) seen.emplace_back(nested.type, nested.type_span);
    if (first != nullptr && !nested_schema->repeated) {
      Diagnostic& d = diags.Error(DiagCode::DuplicateAttribute, nested.type_span,
                                  fmt::format("block `{}` appears twice in {}", nested.type, block.type));
      d.label = "repeated block";
      d.related.push_back(*first);
      ok = false;
      continue;
    }
    if (!CheckLabels(nested, *nested_schema, diags)) {
      ok = false;
      continue;
    }
    auto value = CheckBlock(nested, *nested_schema, ctx, /*keep_labels=*/true);
    if (!value) {
      ok = false;
      continue;
    }
    if (!nested_schema->repeated) {
      object.fields.emplace_back(nested.type, std::move(*value));
      continue;
    }
    Value* list = nullptr;
    for (auto& [key, field] : object.fields)
      if (key == nested.type) list = &field;
    if (list == nullptr) {
      Value empty;
      empty.kind = ValueKind::kList;
      empty.span = nested.span;
      object.fields.emplace_back(nested.type, std::move(empty));
      list = &object.fields.back().second;
    }
    list->items.push_back(std::move(*value));
  }

  for (const auto& attr : schema.attributes) {
    if (!attr.required || find_seen(attr.name) != nullptr) continue;
    Diagnostic& d = diags.Error(DiagCode::MissingAttribute, block.type_span,
                                fmt::format("{} is missing the required attribute `{}`", block.type, attr.name));
    d.label = fmt::format("needs `{}`", attr.name);
    d.help.push_back(fmt::format("add `{} = ...` ({}: {})", attr.name, TypeName(attr.type), attr.doc));
    ok = false;
  }
  if (!ok) return std::nullopt;
  return object;
}

}  // namespace nest::check
