// The fixture the compose document tests share: builds the document of a
// small stack for a target, and reads back its diagnostics.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "compiler/check/load.h"
#include "compiler/diagnostics/render.h"
#include "compiler/emit/compose_document.h"
#include "tests/support/run_command.h"
#include "test_paths.h"

namespace nest::testing {

using Json = nlohmann::ordered_json;

class ComposeDocumentTest : public ::testing::Test {
 protected:
  // Writes `source` as main.nest (after a stack block) plus `files`, loads
  // the stack and builds the document for `target`.
  Json Build(const std::string& source, Platform target = Platform::kSwarm, const std::string& stack = "") {
    dir_.Write("stack/main.nest", "stack \"shop\" {\n  labels = { team = \"web\" }\n}\n" + source);
    LoadOptions options;
    options.read_environment = false;
    options.stdlib_dir = std::string(NEST_SOURCE_DIR) + "/stdlib";
    options.vars = vars_;
    diags_ = Diagnostics();
    sources_ = std::make_unique<SourceManager>();
    auto config = LoadStack(dir_.path() + "/stack", options, *sources_, diags_);
    if (!config) {
      ADD_FAILURE() << "invalid stack:\n" << Rendered();
      return Json();
    }
    EmitOptions emit;
    emit.target = target;
    emit.stack_name = stack;
    emit.output_dir = dir_.path() + "/out";
    emit.engine_settings = engine_settings_;
    auto doc = BuildComposeDocument(*config, emit, diags_);
    return doc ? *doc : Json();
  }

  std::string Rendered() const { return RenderText(diags_, *sources_, TextStyle{false}); }

  // Every W080 summary, in order.
  std::vector<std::string> Warnings(DiagCode code = DiagCode::TargetCannotExpress) const {
    std::vector<std::string> out;
    for (const auto& d : diags_.list())
      if (d.code == code && d.severity == Severity::kWarning) out.push_back(d.summary);
    return out;
  }

  // The 1-based line of the first diagnostic with `code`.
  int LineOf(DiagCode code) const {
    for (const auto& d : diags_.list())
      if (d.code == code) return static_cast<int>(sources_->file(d.subject.file).Locate(d.subject.begin).line);
    return 0;
  }

  ::nest::testing::TempDir dir_;
  Diagnostics diags_;
  std::unique_ptr<SourceManager> sources_;
  std::vector<std::pair<std::string, std::string>> vars_;
  bool engine_settings_ = false;  // EmitOptions::engine_settings: the document plan and apply use
};

}  // namespace nest::testing
