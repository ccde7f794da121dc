// Evaluating expressions to typed Values inside one module instance.
#pragma once

#include <optional>

#include "compiler/check/scope.h"

namespace nest::check {

// Evaluates `expr`. References to resources become kReference values and are
// recorded in ctx.dependencies; `var.x` and `module.m.out` are replaced by
// their values. Returns nullopt after reporting an error, so callers never
// report a second error for the same expression.
std::optional<Value> Evaluate(const ast::Expr& expr, EvalContext& ctx);

// True when the expression contains a reference of any kind (variable
// values given on the command line or in var files may not).
bool ContainsReference(const ast::Expr& expr);

// Defined in instance.cc: the value of `module.NAME.OUTPUT`, instantiating
// the module on first use. nullopt after reporting an error.
std::optional<TrackedValue> ModuleOutput(EvalContext& ctx, const ast::Expr& expr);

}  // namespace nest::check
