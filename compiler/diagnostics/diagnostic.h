// Diagnostics: user errors are values that accumulate, never exceptions.
//
// A Diagnostic follows HCL's model: a Subject span (the tight range that is
// wrong, underlined) and an optional Context span (a wider range shown for
// orientation, e.g. the enclosing block header), plus rustc-style help and
// note lines. Codes are stable and documented in docs/errors/.
#pragma once

#include <string>
#include <vector>

#include "compiler/source/source.h"

namespace nest {

enum class DiagCode {
#define NEST_DIAG(name, number, title) name = number,
#include "compiler/diagnostics/codes.def"
#undef NEST_DIAG
};

// "NEST-E026" for TypeMismatch. Warnings use the same numbers with a W.
std::string CodeName(DiagCode code, bool warning = false);
// The short title from codes.def ("type mismatch").
const char* CodeTitle(DiagCode code);
// Every registered code, in number order (for docs and tests).
std::vector<DiagCode> AllCodes();

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  DiagCode code = DiagCode::UnexpectedToken;
  std::string summary;            // lower case, no trailing period
  Span subject;                   // what is wrong; may be invalid for whole-run errors
  std::string label;              // text printed under the caret, optional
  Span context;                   // wider range shown above the subject, optional
  std::string context_label;      // text under the context, e.g. "in this service"
  std::vector<std::string> help;  // "did you mean `replicas`?"
  std::vector<std::string> notes; // facts that explain, e.g. the other declaration
  std::vector<Span> related;      // secondary locations (other cycle members, first declaration)
};

// An accumulating list. Builders return the added diagnostic so callers can
// attach help and notes: `diags.Error(code, span, msg).help.push_back(...)`.
class Diagnostics {
 public:
  Diagnostic& Error(DiagCode code, Span subject, std::string summary);
  Diagnostic& Warning(DiagCode code, Span subject, std::string summary);
  void Append(Diagnostics other);

  bool HasErrors() const { return error_count_ > 0; }
  int error_count() const { return error_count_; }
  int warning_count() const { return static_cast<int>(list_.size()) - error_count_; }
  const std::vector<Diagnostic>& list() const { return list_; }
  bool empty() const { return list_.empty(); }
  // Orders by file, then position, keeping insertion order for ties.
  void Sort();

 private:
  std::vector<Diagnostic> list_;
  int error_count_ = 0;
};

// The closest candidate within edit distance 3 (scaled to the name's length),
// or empty. Used for every "did you mean" in nest.
std::string Suggest(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace nest
