#include "compiler/diagnostics/diagnostic.h"

#include <algorithm>
#include <fmt/format.h>

namespace nest {

std::string CodeName(DiagCode code, bool warning) {
  return fmt::format("NEST-{}{:03}", warning ? 'W' : 'E', static_cast<int>(code));
}

const char* CodeTitle(DiagCode code) {
  switch (code) {
#define NEST_DIAG(name, number, title) \
  case DiagCode::name:                 \
    return title;
#include "compiler/diagnostics/codes.def"
#undef NEST_DIAG
  }
  return "unknown";
}

std::vector<DiagCode> AllCodes() {
  return {
#define NEST_DIAG(name, number, title) DiagCode::name,
#include "compiler/diagnostics/codes.def"
#undef NEST_DIAG
  };
}

Diagnostic& Diagnostics::Error(DiagCode code, Span subject, std::string summary) {
  ++error_count_;
  list_.push_back({Severity::kError, code, std::move(summary), subject});
  return list_.back();
}

Diagnostic& Diagnostics::Warning(DiagCode code, Span subject, std::string summary) {
  list_.push_back({Severity::kWarning, code, std::move(summary), subject});
  return list_.back();
}

void Diagnostics::Append(Diagnostics other) {
  for (auto& d : other.list_) list_.push_back(std::move(d));
  error_count_ += other.error_count_;
}

void Diagnostics::Sort() {
  std::stable_sort(list_.begin(), list_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.subject.file != b.subject.file) return a.subject.file < b.subject.file;
    return a.subject.begin < b.subject.begin;
  });
}

namespace {
std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}
}  // namespace

std::string Suggest(std::string_view name, const std::vector<std::string>& candidates) {
  // Short names tolerate fewer edits, or every 3-letter word matches every other.
  std::size_t limit = std::min<std::size_t>(3, std::max<std::size_t>(1, name.size() / 3));
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    std::size_t d = EditDistance(name, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

}  // namespace nest
