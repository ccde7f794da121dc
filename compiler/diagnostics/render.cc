#include "compiler/diagnostics/render.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace nest {
namespace {

constexpr int kTabWidth = 4;

// ---------------------------------------------------------------------------
// Display text: what a terminal shows for a slice of a source line.

// The byte length of the valid UTF-8 sequence at `s`, or 0 if it is invalid.
std::size_t Utf8SequenceLength(std::string_view s) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  auto continuation = [&](std::size_t i) { return i < s.size() && (byte(i) & 0xC0) == 0x80; };
  unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return continuation(1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (!continuation(1) || !continuation(2)) return 0;
    if (lead == 0xE0 && byte(1) < 0xA0) return 0;   // overlong
    if (lead == 0xED && byte(1) >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if (lead == 0xF0 && byte(1) < 0x90) return 0;   // overlong
    if (lead == 0xF4 && byte(1) >= 0x90) return 0;  // beyond U+10FFFF
    return 4;
  }
  return 0;
}

struct DisplayText {
  std::string text;
  std::size_t width = 0;  // in terminal columns: one per code point, kTabWidth per tab
};

// Tabs become spaces and invalid UTF-8 becomes U+FFFD, so that the printed
// line and the caret line below it count columns the same way.
DisplayText ToDisplay(std::string_view bytes) {
  DisplayText out;
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (bytes[i] == '\t') {
      out.text.append(kTabWidth, ' ');
      out.width += kTabWidth;
      ++i;
      continue;
    }
    std::size_t n = Utf8SequenceLength(bytes.substr(i));
    if (n == 0) {
      out.text += "\xEF\xBF\xBD";
      n = 1;
    } else {
      out.text.append(bytes.substr(i, n));
    }
    ++out.width;
    i += n;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Colour.

struct Palette {
  bool on;
  std::string Paint(std::string_view code, std::string_view text) const {
    if (!on || text.empty()) return std::string(text);
    return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
  }
  std::string Gutter(std::string_view text) const { return Paint("1;34", text); }
  std::string Bold(std::string_view text) const { return Paint("1", text); }
  std::string Level(nest::Severity s, std::string_view text) const {
    return Paint(s == nest::Severity::kError ? "1;31" : "1;33", text);
  }
};

// ---------------------------------------------------------------------------
// Locating spans.

struct Located {
  const SourceFile* file = nullptr;
  LineCol start;
  LineCol end;
  std::uint32_t begin_byte = 0;
  std::uint32_t end_byte = 0;
};

Located Locate(const SourceManager& sources, Span span) {
  Located at;
  if (!span.valid() || span.file >= sources.size()) return at;
  at.file = &sources.file(span.file);
  auto size = static_cast<std::uint32_t>(at.file->text().size());
  at.begin_byte = std::min(span.begin, size);
  at.end_byte = std::clamp(span.end, at.begin_byte, size);
  at.start = at.file->Locate(at.begin_byte);
  at.end = at.file->Locate(at.end_byte);
  return at;
}

std::string Position(const Located& at) {
  return fmt::format("{}:{}:{}", at.file->shown(), at.start.line, at.start.column);
}

// The part of `at`'s first line that the span covers, as [first, last) byte
// offsets within that line. An empty span still marks one column.
struct LineSlice {
  std::string_view line;
  std::size_t first;
  std::size_t last;
};

LineSlice FirstLineSlice(const Located& at) {
  std::string_view line = at.file->Line(at.start.line);
  std::size_t first = std::min<std::size_t>(at.start.column - 1, line.size());
  std::size_t last = at.end.line == at.start.line
                         ? std::min<std::size_t>(at.end.column - 1, line.size())
                         : line.size();
  return {line, first, std::max(first, last)};
}

// ---------------------------------------------------------------------------
// Text rendering.

class TextWriter {
 public:
  TextWriter(const Palette& palette, std::size_t gutter) : p_(palette), gutter_(gutter) {}

  void Arrow(const Located& at) {
    out_ += fmt::format("{}{} {}\n", std::string(gutter_, ' '), p_.Gutter("-->"), Position(at));
  }
  void Bar() { out_ += fmt::format("{}{}\n", std::string(gutter_ + 1, ' '), p_.Gutter("|")); }
  void Ellipsis() { out_ += p_.Gutter("...") + "\n"; }

  void SourceLine(std::uint32_t number, std::string_view line) {
    DisplayText shown = ToDisplay(line);
    std::string prefix = p_.Gutter(fmt::format("{:>{}} |", number, gutter_));
    if (shown.text.empty()) {
      out_ += prefix + "\n";
    } else {
      out_ += prefix + " " + shown.text + "\n";
    }
  }

  // Marks `slice` with `mark` characters (styled by `paint`) and an optional label.
  template <typename Paint>
  void Underline(const LineSlice& slice, char mark, std::string_view label, Paint paint) {
    std::size_t indent = ToDisplay(slice.line.substr(0, slice.first)).width;
    std::size_t length =
        std::max<std::size_t>(1, ToDisplay(slice.line.substr(slice.first, slice.last - slice.first)).width);
    std::string marks(length, mark);
    if (!label.empty()) marks += " " + std::string(label);
    out_ += fmt::format("{}{} {}{}\n", std::string(gutter_ + 1, ' '), p_.Gutter("|"),
                        std::string(indent, ' '), paint(marks));
  }

  void Footer(std::string_view kind, std::string_view text) {
    out_ += fmt::format("{}{} {}: {}\n", std::string(gutter_ + 1, ' '), p_.Gutter("="),
                        p_.Bold(kind), text);
  }

  std::string& out() { return out_; }

 private:
  const Palette& p_;
  std::size_t gutter_;
  std::string out_;
};

std::size_t Digits(std::uint32_t n) { return fmt::formatted_size("{}", n); }

void RenderSnippet(TextWriter& w, const Diagnostic& d, const Located& subject,
                   const Located& context, const Palette& p) {
  w.Bar();
  std::uint32_t line = subject.start.line;
  if (context.file) {
    w.SourceLine(context.start.line, context.file->Line(context.start.line));
    w.Underline(FirstLineSlice(context), '-', d.context_label, [&](std::string_view s) { return p.Gutter(s); });
    std::uint32_t gap = line - context.start.line;
    if (gap == 2) {
      w.SourceLine(line - 1, subject.file->Line(line - 1));
    } else if (gap > 2) {
      w.Ellipsis();
    }
  }
  w.SourceLine(line, subject.file->Line(line));
  w.Underline(FirstLineSlice(subject), '^', d.label,
              [&](std::string_view s) { return p.Level(d.severity, s); });
}

std::string RenderOne(const Diagnostic& d, const SourceManager& sources, const Palette& p) {
  Located subject = Locate(sources, d.subject);
  Located context = Locate(sources, d.context);
  if (!context.file || d.context.file != d.subject.file || context.start.line >= subject.start.line) {
    context = {};
  }

  bool warning = d.severity == Severity::kWarning;
  std::string head = fmt::format("{}[{}]", warning ? "warning" : "error", CodeName(d.code, warning));
  std::string result = p.Level(d.severity, head) + p.Bold(": " + d.summary) + "\n";

  std::size_t gutter = subject.file ? Digits(subject.start.line) : 1;
  TextWriter w(p, gutter);
  bool has_footer = !d.help.empty() || !d.notes.empty() || !d.related.empty();
  if (subject.file) {
    w.Arrow(subject);
    RenderSnippet(w, d, subject, context, p);
    if (has_footer) w.Bar();
  }
  for (const auto& help : d.help) w.Footer("help", help);
  for (const auto& note : d.notes) w.Footer("note", note);
  for (const auto& span : d.related) {
    Located at = Locate(sources, span);
    if (at.file) w.Footer("note", "see " + Position(at));
  }
  return result + w.out();
}

std::string Plural(int n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

// ---------------------------------------------------------------------------
// JSON rendering.

using Json = nlohmann::ordered_json;

Json JsonPos(const LineCol& at, std::uint32_t byte) {
  return Json{{"line", at.line}, {"column", at.column}, {"byte", byte}};
}

// The whole lines that `subject` covers, and the highlight within them.
Json JsonSnippet(const Located& subject, const Located& context) {
  const SourceFile& file = *subject.file;
  std::uint32_t code_begin = file.LineStart(subject.start.line);
  std::string_view last_line = file.Line(subject.end.line);
  std::uint32_t last_begin = file.LineStart(subject.end.line);
  std::string_view code =
      file.text().substr(code_begin, last_begin + last_line.size() - code_begin);

  Json snippet;
  if (context.file) {
    LineSlice slice = FirstLineSlice(context);
    snippet["context"] = std::string(slice.line.substr(slice.first, slice.last - slice.first));
  } else {
    snippet["context"] = nullptr;
  }
  snippet["code"] = std::string(code);
  snippet["start_line"] = subject.start.line;
  snippet["highlight_start_offset"] = std::min<std::size_t>(subject.begin_byte - code_begin, code.size());
  snippet["highlight_end_offset"] = std::min<std::size_t>(subject.end_byte - code_begin, code.size());
  snippet["values"] = Json::array();
  return snippet;
}

Json JsonDiagnostic(const Diagnostic& d, const SourceManager& sources) {
  bool warning = d.severity == Severity::kWarning;
  std::string detail;
  auto add_line = [&](std::string_view line) {
    if (!detail.empty()) detail += '\n';
    detail += line;
  };
  for (const auto& help : d.help) add_line(help);
  for (const auto& note : d.notes) add_line(note);
  for (const auto& span : d.related) {
    Located at = Locate(sources, span);
    if (at.file) add_line("see " + Position(at));
  }

  Json j;
  j["severity"] = warning ? "warning" : "error";
  j["code"] = CodeName(d.code, warning);
  j["summary"] = d.summary;
  j["detail"] = detail;
  Located subject = Locate(sources, d.subject);
  if (subject.file) {
    Located context = Locate(sources, d.context);
    if (d.context.file != d.subject.file) context = {};
    j["range"] = Json{{"filename", subject.file->path()},
                      {"start", JsonPos(subject.start, subject.begin_byte)},
                      {"end", JsonPos(subject.end, subject.end_byte)}};
    j["snippet"] = JsonSnippet(subject, context);
  }
  return j;
}

}  // namespace

std::string RenderText(const Diagnostics& diags, const SourceManager& sources, TextStyle style) {
  if (diags.empty()) return "";
  Palette palette{style.color};
  std::string out;
  for (const auto& d : diags.list()) {
    out += RenderOne(d, sources, palette);
    out += "\n";
  }
  out += palette.Bold(fmt::format("{}, {}", Plural(diags.error_count(), "error"),
                                  Plural(diags.warning_count(), "warning")));
  out += "\n";
  return out;
}

std::string RenderJson(const Diagnostics& diags, const SourceManager& sources) {
  Json list = Json::array();
  for (const auto& d : diags.list()) list.push_back(JsonDiagnostic(d, sources));
  Json root;
  root["format_version"] = "1.0";
  root["valid"] = !diags.HasErrors();
  root["error_count"] = diags.error_count();
  root["warning_count"] = diags.warning_count();
  root["diagnostics"] = std::move(list);
  // Source text may hold invalid UTF-8 (that is itself a diagnostic): replace it.
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

bool ShouldColor(int fd) {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  return isatty(fd) != 0;
}

}  // namespace nest
