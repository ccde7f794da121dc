// Variable values: where they come from, their types and validation rules.
#pragma once

#include "compiler/check/scope.h"

namespace nest::check {

// Gives every root variable its value. Sources in increasing precedence:
// the declared default, NEST_VAR_name, each --var-file in order, each
// --var name=value in order. Reports undeclared names (E050), values that do
// not fit the type (E051), failed validation rules (E052) and variables left
// without a value (E053).
void ResolveRootVariables(CheckState& state, ModuleInstance& root);

// Type-checks `value` against the variable's declared type and runs its
// validation rules; on success stores it. A type mismatch is reported with
// `mismatch_code` (E051 for the command line, E061 for a module input).
bool AcceptVariableValue(CheckState& state, VariableDecl& decl, TrackedValue value,
                         DiagCode mismatch_code, const std::string& origin);

// Gives every variable without a value its default; reports E053 (root) or
// E063 (module input, at `call_site`) for those without one.
void ApplyDefaults(CheckState& state, ModuleInstance& instance, const ast::Block* call_site);

}  // namespace nest::check
