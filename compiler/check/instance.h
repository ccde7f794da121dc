// Checking one module instance (the root stack is the first): collecting its
// declarations, instantiating the modules it calls, checking its resources.
#pragma once

#include "compiler/check/scope.h"

namespace nest::check {

// Collects the declarations of `instance.files`: variables (with their
// declared types and checked defaults), outputs, module calls, resources and
// (root only) the stack block. Reports unknown blocks, bad labels and
// duplicate names.
void DeclareInstance(CheckState& state, ModuleInstance& instance, bool is_root);

// Instantiates every module the instance calls, then checks each resource
// block and appends the resulting Resources to state.config.
// REQUIRES: the instance's variables are resolved.
void CheckInstanceResources(CheckState& state, ModuleInstance& instance);

}  // namespace nest::check
