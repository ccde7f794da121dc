#include "compiler/check/instance.h"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <iterator>
#include <map>
#include <string_view>

#include "compiler/check/body.h"
#include "compiler/check/evaluate.h"
#include "compiler/check/modules.h"
#include "compiler/check/schema.h"
#include "compiler/check/stack_rules.h"
#include "compiler/check/variables.h"
#include "compiler/support/run_parts.h"

namespace nest::check {
namespace {

std::string FileDir(const CheckState& state, FileId file) {
  return std::filesystem::path(state.sources.file(file).path()).parent_path().string();
}

template <typename Map>
bool ReportDuplicate(CheckState& state, const Map& map, const std::string& key, const ast::Block& block,
                     const char* what) {
  auto it = map.find(key);
  if (it == map.end()) return false;
  Diagnostic& d = state.diags.Error(DiagCode::DuplicateName, block.labels[0].span,
                                    fmt::format("{} `{}` is declared twice", what, block.labels[0].value));
  d.label = "declared again here";
  d.related.push_back(it->second.block->labels[0].span);
  d.help.push_back("give each one its own name");
  return true;
}

void DeclareVariable(CheckState& state, ModuleInstance& instance, const ast::Block& block,
                     const std::string& dir) {
  const std::string& name = block.labels[0].value;
  if (ReportDuplicate(state, instance.variables, name, block, "variable")) return;
  VariableDecl decl;
  decl.name = name;
  decl.block = &block;
  decl.base_dir = dir;
  for (const auto& attr : block.body.attributes) {
    if (attr.name == "type") {
      Diagnostics reported_by_check_block;  // CheckBlock reports a bad type once
      decl.type = TypeFromExpression(attr.value, reported_by_check_block);
    }
    if (attr.name == "default" && ContainsReference(attr.value)) {
      state.diags.Error(DiagCode::InvalidReference, attr.value.span,
                        "a variable's default cannot refer to other values")
          .help.push_back("give a literal default, or none and set the value when calling");
      // Declared all the same, so that its uses are not reported as undeclared.
      decl.rejected = true;
      instance.variables.emplace(name, std::move(decl));
      return;
    }
  }
  // Types were read above; CheckBlock checks the rest (and only the syntax of `type`).
  EvalContext ctx{state, instance, nullptr};
  decl.declaration = CheckBlock(block, *FileSchema().FindBlock("variable"), ctx, false);
  if (const Value* sensitive = decl.declaration ? decl.declaration->Find("sensitive") : nullptr)
    decl.sensitive = sensitive->boolean;
  instance.variables.emplace(name, std::move(decl));
}

// Reports every attribute of `block` set a second time; true when there was none.
// (CheckBlock does this for the blocks it checks; outputs and module calls are
// read attribute by attribute.)
bool CheckAttributesOnce(CheckState& state, const ast::Block& block) {
  std::map<std::string, Span> seen;
  bool ok = true;
  for (const auto& attr : block.body.attributes) {
    auto [it, inserted] = seen.emplace(attr.name, attr.name_span);
    if (inserted) continue;
    Diagnostic& d = state.diags.Error(DiagCode::DuplicateAttribute, attr.name_span,
                                      fmt::format("`{}` is set twice", attr.name));
    d.label = "set again here";
    d.related.push_back(it->second);
    ok = false;
  }
  return ok;
}

// The first attribute named `name`, or null.
const ast::Attribute* FirstAttribute(const ast::Block& block, std::string_view name) {
  for (const auto& attr : block.body.attributes)
    if (attr.name == name) return &attr;
  return nullptr;
}

// An output's value is evaluated when first used; its shape is checked now.
void CheckOutputShape(CheckState& state, const ast::Block& block, const BlockSchema& schema) {
  CheckAttributesOnce(state, block);
  for (const auto& attr : block.body.attributes) {
    if (schema.FindAttribute(attr.name) != nullptr) continue;
    Diagnostic& d = state.diags.Error(DiagCode::UnknownAttribute, attr.name_span,
                                      fmt::format("unknown attribute `{}` in output", attr.name));
    std::string s = Suggest(attr.name, schema.AttributeNames());
    if (!s.empty()) d.help.push_back(fmt::format("did you mean `{}`?", s));
  }
  for (const auto& nested : block.body.blocks)
    state.diags.Error(DiagCode::UnknownBlockType, nested.type_span,
                      fmt::format("unknown block `{}` in output", nested.type));
}

void DeclareTopLevelBlock(CheckState& state, ModuleInstance& instance, const ast::Block& block,
                          const std::string& dir, bool is_root) {
  const BlockSchema* schema = FileSchema().FindBlock(block.type);
  if (schema == nullptr) {
    Diagnostic& d = state.diags.Error(DiagCode::UnknownBlockType, block.type_span,
                                      fmt::format("unknown block type `{}`", block.type));
    d.label = "unknown block type";
    std::string s = Suggest(block.type, FileSchema().BlockNames());
    if (!s.empty() && !block.labels.empty() && s != "stack" && s != "output")
      instance.misspelt.insert(fmt::format("{}.{}", s == "variable" ? "var" : s, block.labels[0].value));
    if (!s.empty()) d.help.push_back(fmt::format("did you mean `{}`?", s));
    else d.notes.push_back(fmt::format("blocks: {}", fmt::join(FileSchema().BlockNames(), ", ")));
    return;
  }
  if (!CheckLabels(block, *schema, state.diags)) return;
  const std::string& type = block.type;
  if (type == "stack") {
    if (!is_root) {
      state.diags.Error(DiagCode::StackBlock, block.type_span, "a module cannot declare a stack")
          .help.push_back("the stack is named once, in the root folder");
      return;
    }
    if (instance.stack_block != nullptr) {
      Diagnostic& d = state.diags.Error(DiagCode::StackBlock, block.type_span, "a second stack block");
      d.label = "the stack is already named";
      d.related.push_back(instance.stack_block->type_span);
      return;
    }
    instance.stack_block = &block;
    EvalContext ctx{state, instance, nullptr};
    if (auto body = CheckBlock(block, *schema, ctx, false)) state.config.stack_body = std::move(*body);
    return;
  }
  const std::string& name = block.labels[0].value;
  if (type == "variable") return DeclareVariable(state, instance, block, dir);
  if (type == "output") {
    if (ReportDuplicate(state, instance.outputs, name, block, "output")) return;
    instance.outputs[name].block = &block;
    CheckOutputShape(state, block, *schema);
    return;
  }
  if (type == "module") {
    if (ReportDuplicate(state, instance.modules, name, block, "module")) return;
    CheckAttributesOnce(state, block);
    ModuleCall& call = instance.modules[name];
    call.name = name;
    call.block = &block;
    call.base_dir = dir;
    instance.module_order.push_back(name);
    return;
  }
  ResourceKind kind = *ResourceKindFromBlock(type);
  std::string key = type + '.' + name;
  if (ReportDuplicate(state, instance.resources, key, block, ResourceKindName(kind))) return;
  instance.resources.emplace(key, DeclaredResource{kind, instance.address_prefix + key,
                                                   instance.name_prefix + name, &block, dir});
  instance.resource_order.push_back(std::move(key));
}

// The module call's `source`, as a folder; nullopt after reporting.
std::optional<std::string> ModuleDir(CheckState& state, const ModuleCall& call) {
  const ast::Attribute* source = FirstAttribute(*call.block, "source");
  if (source == nullptr) {
    Diagnostic& d = state.diags.Error(DiagCode::MissingAttribute, call.block->type_span,
                                      "module is missing the required attribute `source`");
    d.help.push_back("add `source = \"stdlib/postgres\"` or a folder such as `\"./modules/app\"`");
    return std::nullopt;
  }
  const ast::Expr& e = source->value;
  bool literal = e.kind == ast::ExprKind::kString && e.parts().empty();
  if (!literal) {
    state.diags.Error(DiagCode::TypeMismatch, e.span, "a module `source` must be a plain string")
        .label = "expected a string without interpolation";
    return std::nullopt;
  }
  return ResolveModuleSource(state, e.text, call.base_dir, e.span);
}

void SetModuleInputs(CheckState& state, ModuleInstance& parent, ModuleCall& call, ModuleInstance& child) {
  for (const auto& attr : call.block->body.attributes) {
    if (attr.name == "source") continue;
    if (FirstAttribute(*call.block, attr.name) != &attr) continue;  // set twice: reported
    auto it = child.variables.find(attr.name);
    if (it == child.variables.end()) {
      Diagnostic& d = state.diags.Error(DiagCode::UnknownModuleInput, attr.name_span,
                                        fmt::format("module `{}` has no input `{}`", call.name, attr.name));
      d.label = "unknown input";
      d.context = call.block->type_span;
      d.context_label = "in this module call";
      std::vector<std::string> names;
      for (const auto& [n, v] : child.variables) names.push_back(n);
      std::string s = Suggest(attr.name, names);
      if (!s.empty()) d.help.push_back(fmt::format("did you mean `{}`?", s));
      else if (!names.empty()) d.notes.push_back(fmt::format("inputs: {}", fmt::join(names, ", ")));
      continue;
    }
    TrackedValue tracked;
    EvalContext ctx{state, parent, &tracked.dependencies};
    auto value = Evaluate(attr.value, ctx);
    if (!value) {
      it->second.value.reset();
      it->second.rejected = true;
      continue;
    }
    tracked.value = std::move(*value);
    AcceptVariableValue(state, it->second, std::move(tracked), DiagCode::ModuleInputType,
                        fmt::format("module `{}` input", call.name));
  }
  for (const auto& nested : call.block->body.blocks) {
    state.diags.Error(DiagCode::UnknownBlockType, nested.type_span,
                      fmt::format("a module call takes attributes only, found block `{}`", nested.type))
        .help.push_back(fmt::format("pass inputs as `name = value`"));
  }
  ApplyDefaults(state, child, call.block);
}

// Instantiates `call` once; false when it cannot be (already reported).
bool Instantiate(CheckState& state, ModuleInstance& parent, ModuleCall& call) {
  if (call.instance) return true;
  if (call.failed) return false;
  if (call.instantiating) {
    Diagnostic& d = state.diags.Error(DiagCode::DependencyCycle, call.block->labels[0].span,
                                      fmt::format("module `{}` depends on its own outputs", call.name));
    d.label = "its inputs need its outputs";
    call.failed = true;
    return false;
  }
  auto dir = ModuleDir(state, call);
  if (!dir || !CheckModuleRecursion(state, parent.source_chain, *dir, call.block->labels[0].span)) {
    call.failed = true;
    return false;
  }
  const std::vector<ast::File>* files = LoadModuleFiles(state, *dir, call.block->labels[0].span);
  if (files == nullptr) {
    call.failed = true;
    return false;
  }
  call.instantiating = true;
  auto child = std::make_unique<ModuleInstance>();
  child->address_prefix = fmt::format("{}module.{}.", parent.address_prefix, call.name);
  child->name_prefix = fmt::format("{}{}-", parent.name_prefix, call.name);
  child->dir = *dir;
  child->source_chain = parent.source_chain;
  child->source_chain.push_back(*dir);
  child->files = files;
  DeclareInstance(state, *child, false);
  SetModuleInputs(state, parent, call, *child);
  CheckInstanceResources(state, *child);
  call.instantiating = false;
  call.instance = std::move(child);
  return true;
}

void CheckResource(CheckState& state, ModuleInstance& instance, const DeclaredResource& declared) {
  Resource resource;
  resource.kind = declared.kind;
  resource.address = declared.address;
  resource.name = declared.name;
  resource.base_dir = declared.base_dir;
  const ast::Block& block = *declared.block;
  resource.span = Span::Join(block.type_span, block.labels.back().span);
  EvalContext ctx{state, instance, &resource.depends_on};
  auto body = CheckBlock(block, ResourceSchema(declared.kind), ctx, false);
  // Nothing reads a resource's tree once it is checked (references read the
  // declaration, not the block). The root's files are not const (CheckRoot
  // owns them); the instance sees them through const pointers only.
  if (instance.release_checked_resources) const_cast<ast::Block&>(block).body = {};
  if (!body) return;
  resource.body = std::move(*body);
  std::sort(resource.depends_on.begin(), resource.depends_on.end());
  resource.depends_on.erase(std::unique(resource.depends_on.begin(), resource.depends_on.end()),
                            resource.depends_on.end());
  if (const Value* listed = resource.body.Find("depends_on")) {
    if (listed->kind == ValueKind::kList) {
      for (const Value& dep : listed->items) resource.explicit_depends_on.push_back(dep.text);
    } else {
      resource.explicit_depends_on.push_back(listed->text);
    }
    std::sort(resource.explicit_depends_on.begin(), resource.explicit_depends_on.end());
  }
  CheckResourceRules(resource, state.diags);
  state.config.resources.push_back(std::move(resource));
}

}  // namespace

void DeclareInstance(CheckState& state, ModuleInstance& instance, bool is_root) {
  std::size_t blocks = 0;
  for (const auto& file : *instance.files) blocks += file.body.blocks.size();
  instance.resources.reserve(blocks);  // no rehash as a large stack is declared
  for (const auto& file : *instance.files) {
    std::string dir = FileDir(state, file.id);
    for (const auto& attr : file.body.attributes) {
      Diagnostic& d = state.diags.Error(DiagCode::UnknownAttribute, attr.name_span,
                                        fmt::format("attribute `{}` outside of any block", attr.name));
      d.label = "not inside a block";
      d.help.push_back("attributes belong inside a block such as `service \"NAME\" { ... }`");
    }
    for (const auto& block : file.body.blocks) DeclareTopLevelBlock(state, instance, block, dir, is_root);
  }
}

namespace {

// Checking a resource reads the instance (its variables, already resolved,
// and its declarations) and writes only the resource and diagnostics, except
// through `module.NAME.OUTPUT`: a module's outputs are evaluated on first use
// and remembered. So the resources of an instance without module calls can be
// checked on several threads, each part into its own Config and Diagnostics,
// joined in declaration order: the same resources and diagnostics as one
// thread's. The parts are cut by size (attributes and nested blocks).
bool CheckResourcesInParts(CheckState& state, ModuleInstance& instance) {
  if (!instance.modules.empty() || state.options.threads == 1) return false;
  std::vector<const DeclaredResource*> order;  // looked up once, here
  order.reserve(instance.resource_order.size());
  for (const auto& key : instance.resource_order) order.push_back(&instance.resources.at(key));
  std::vector<std::size_t> cost(order.size());
  std::size_t total = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const ast::Body& body = order[i]->block->body;
    cost[i] = 1 + body.attributes.size() + body.blocks.size();
    total += cost[i];
  }
  // One part a thread (PartsFor; a part is at least about
  // 100 services unless the number of threads is set).
  std::size_t parts = PartsFor(total, 2000, state.options.threads);
  if (parts < 2 || order.size() < 2) return false;
  std::vector<std::size_t> cuts = CutByCost(cost, parts);
  parts = cuts.size() - 1;

  std::vector<Config> configs(parts);
  std::vector<Diagnostics> diags(parts);
  RunParts(parts, ThreadsFor(parts, state.options.threads), [&](std::size_t part) {
    CheckState part_state{state.sources, diags[part], state.options, configs[part], {}};
    configs[part].resources.reserve(cuts[part + 1] - cuts[part]);
    for (std::size_t i = cuts[part]; i < cuts[part + 1]; ++i) CheckResource(part_state, instance, *order[i]);
  });
  for (std::size_t part = 0; part < parts; ++part) {
    std::move(configs[part].resources.begin(), configs[part].resources.end(),
              std::back_inserter(state.config.resources));
    state.diags.Append(std::move(diags[part]));
  }
  return true;
}

}  // namespace

void CheckInstanceResources(CheckState& state, ModuleInstance& instance) {
  for (const auto& name : instance.module_order) Instantiate(state, instance, instance.modules[name]);
  state.config.resources.reserve(state.config.resources.size() + instance.resource_order.size());
  if (CheckResourcesInParts(state, instance)) return;
  for (const auto& key : instance.resource_order) CheckResource(state, instance, instance.resources[key]);
}

std::optional<TrackedValue> ModuleOutput(EvalContext& ctx, const ast::Expr& expr) {
  CheckState& state = ctx.state;
  const auto& path = expr.path;
  if (path.size() != 3) {
    state.diags.Error(DiagCode::InvalidReference, expr.span,
                      "a module output reference has the form `module.NAME.OUTPUT`");
    return std::nullopt;
  }
  auto it = ctx.module.modules.find(path[1].name);
  if (it == ctx.module.modules.end()) {
    if (ctx.module.misspelt.count("module." + path[1].name)) return std::nullopt;  // E020 said why
    Diagnostic& d = state.diags.Error(DiagCode::UnresolvedReference, path[1].span,
                                      fmt::format("no module named `{}`", path[1].name));
    d.label = "not declared";
    std::string s = Suggest(path[1].name, ctx.module.module_order);
    if (!s.empty()) d.help.push_back(fmt::format("did you mean `module.{}`?", s));
    return std::nullopt;
  }
  ModuleCall& call = it->second;
  if (!Instantiate(state, ctx.module, call)) return std::nullopt;
  ModuleInstance& child = *call.instance;
  auto out = child.outputs.find(path[2].name);
  if (out == child.outputs.end()) {
    Diagnostic& d = state.diags.Error(DiagCode::UnknownModuleOutput, path[2].span,
                                      fmt::format("module `{}` has no output `{}`", call.name, path[2].name));
    d.label = "unknown output";
    std::vector<std::string> names;
    for (const auto& [n, o] : child.outputs) names.push_back(n);
    std::string s = Suggest(path[2].name, names);
    if (!s.empty()) d.help.push_back(fmt::format("did you mean `module.{}.{}`?", call.name, s));
    else if (!names.empty()) d.notes.push_back(fmt::format("outputs: {}", fmt::join(names, ", ")));
    return std::nullopt;
  }
  OutputDecl& output = out->second;
  if (output.value) return output.value;
  if (output.evaluating) {
    state.diags.Error(DiagCode::DependencyCycle, expr.span,
                      fmt::format("output `{}` of module `{}` depends on itself", path[2].name, call.name));
    return std::nullopt;
  }
  output.evaluating = true;
  const ast::Attribute* value_attr = FirstAttribute(*output.block, "value");
  std::optional<TrackedValue> result;
  if (value_attr == nullptr) {
    state.diags.Error(DiagCode::MissingAttribute, output.block->type_span,
                      "output is missing the required attribute `value`");
  } else {
    TrackedValue tracked;
    EvalContext child_ctx{state, child, &tracked.dependencies};
    auto value = Evaluate(value_attr->value, child_ctx);
    if (value) {
      tracked.value = std::move(*value);
      result = std::move(tracked);
    }
  }
  output.evaluating = false;
  output.value = result;
  return result;
}

}  // namespace nest::check
