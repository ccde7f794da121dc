// libFuzzer target: one input is one file "fuzz.nest".
//
// 1. Parse it; when it parses without errors, format it and check that the
//    formatter is idempotent: format(parse(format(x))) == format(x), and that
//    its output parses cleanly. Either failing aborts (a finding).
// 2. Run the whole front end on it in memory (CheckSources, then BuildGraph).
// 3. Render every diagnostic as text and JSON, so spans that point anywhere
//    in arbitrary input go through the renderer too.
// Crashes, sanitizer reports, leaks and aborts are findings.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "compiler/check/load.h"
#include "compiler/diagnostics/render.h"
#include "compiler/format/formatter.h"
#include "compiler/graph/graph.h"
#include "compiler/syntax/parser.h"

namespace {

[[noreturn]] void Fail(const char* what, const std::string& a, const std::string& b) {
  std::fprintf(stderr, "nest fuzz: %s\n--- first ---\n%s\n--- second ---\n%s\n--- end ---\n", what,
               a.c_str(), b.c_str());
  std::abort();
}

void CheckFormatIdempotent(const std::string& text) {
  nest::SourceManager sources;
  nest::Diagnostics diags;
  nest::FileId id = sources.Add("fuzz.nest", text);
  nest::ast::File file = nest::ParseFile(sources, id, diags);
  (void)nest::RenderText(diags, sources, nest::TextStyle{true});
  (void)nest::RenderJson(diags, sources);
  if (diags.HasErrors()) return;

  std::string once = nest::FormatFile(sources, file);
  nest::Diagnostics again_diags;
  nest::FileId again_id = sources.Add("fuzz.nest", once);
  nest::ast::File again = nest::ParseFile(sources, again_id, again_diags);
  if (again_diags.HasErrors()) {
    Fail("formatted output does not parse", once, nest::RenderText(again_diags, sources, {}));
  }
  std::string twice = nest::FormatFile(sources, again);
  if (twice != once) Fail("format is not idempotent", once, twice);
}

void CheckStack(const std::string& text) {
  nest::SourceManager sources;
  nest::Diagnostics diags;
  nest::LoadOptions options;
  options.read_environment = false;
  options.stdlib_dir = NEST_SOURCE_DIR "/stdlib";
  std::optional<nest::Config> config = nest::CheckSources({{"fuzz.nest", text}}, options, sources, diags);
  if (config) {
    nest::StackGraph graph = nest::BuildGraph(*config, diags);
    (void)nest::GraphToDot(graph, config->stack_name);
    (void)nest::GraphToJson(graph, config->stack_name);
  }
  (void)nest::RenderText(diags, sources, nest::TextStyle{false});
  (void)nest::RenderJson(diags, sources);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  CheckFormatIdempotent(text);
  CheckStack(text);
  return 0;
}
