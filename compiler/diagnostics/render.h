// Rendering diagnostics for people (text) and for tools (JSON).
#pragma once

#include <string>

#include "compiler/diagnostics/diagnostic.h"

namespace nest {

struct TextStyle {
  bool color = false;  // ANSI colour; only on a terminal and without NO_COLOR
};

// rustc/Clang-style blocks: "error[NEST-E026]: summary", "--> file:line:col",
// the source line(s) with the subject underlined and labelled, then help and
// note lines; a blank line between diagnostics and a closing count line.
std::string RenderText(const Diagnostics& diags, const SourceManager& sources, TextStyle style);

// The shape of `terraform validate -json`, plus a "code" on each diagnostic.
std::string RenderJson(const Diagnostics& diags, const SourceManager& sources);

// True when stdout/stderr `fd` is a terminal and NO_COLOR is unset or empty.
bool ShouldColor(int fd);

}  // namespace nest
