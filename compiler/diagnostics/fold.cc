#include "compiler/diagnostics/fold.h"

#include <fmt/format.h>

#include <map>
#include <string>

namespace nest {

Diagnostics FoldRepeatedWarnings(const Diagnostics& diags, const SourceManager& sources) {
  Diagnostics out;
  std::map<std::string, std::size_t> first;  // summary without the address -> index in out
  for (const Diagnostic& d : diags.list()) {
    std::size_t colon = d.summary.find(": ");
    bool foldable = d.code == DiagCode::TargetCannotExpress && d.severity == Severity::kWarning &&
                    colon != std::string::npos && d.subject.valid();
    if (foldable) {
      std::string key = d.summary.substr(colon + 2);
      auto it = first.find(key);
      if (it != first.end()) {
        const SourceFile& file = sources.file(d.subject.file);
        LineCol at = file.Locate(d.subject.begin);
        // Diagnostics hands out references to its own list; index it again.
        Diagnostic& kept = const_cast<Diagnostic&>(out.list()[it->second]);
        kept.notes.push_back(fmt::format("also {} at {}:{}:{}", d.summary.substr(0, colon), file.shown(), at.line,
                                         at.column));
        continue;
      }
      first.emplace(key, out.list().size());
    }
    Diagnostic& copy = d.severity == Severity::kWarning ? out.Warning(d.code, d.subject, d.summary)
                                                        : out.Error(d.code, d.subject, d.summary);
    copy = d;
  }
  return out;
}

}  // namespace nest
