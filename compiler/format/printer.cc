#include "compiler/format/printer.h"

#include <algorithm>
#include <charconv>

namespace nest::format_internal {
namespace {

// Alignment counts code points, so a quoted key with UTF-8 in it lines up.
std::size_t Width(std::string_view text) {
  std::size_t width = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  }
  return width;
}

void AppendNumber(std::string& out, double number, bool is_integer) {
  char buffer[64];
  std::to_chars_result result =
      is_integer ? std::to_chars(buffer, buffer + sizeof buffer, static_cast<long long>(number))
                 : std::to_chars(buffer, buffer + sizeof buffer, number);
  out.append(buffer, result.ptr);
}

}  // namespace

Printer::Printer(std::string_view text, const ast::File& file) : text_(text), file_(file) {
  for (const ast::Comment& comment : file.comments) {
    Span span = comment.span;
    if (!span.valid() || span.begin >= text_.size() || span.end <= span.begin) continue;
    span.end = std::min<std::uint32_t>(span.end, static_cast<std::uint32_t>(text_.size()));
    comments_.push_back(span);
  }
  std::stable_sort(comments_.begin(), comments_.end(),
                   [](const Span& a, const Span& b) { return a.begin < b.begin; });
  comments_.erase(std::unique(comments_.begin(), comments_.end(),
                              [](const Span& a, const Span& b) { return a.begin == b.begin; }),
                  comments_.end());
  taken_.assign(comments_.size(), false);

  // A comment inside a leaf (or a name, key or label) is part of its text.
  std::vector<Span> verbatim;
  CollectVerbatim(file.body, verbatim);
  std::sort(verbatim.begin(), verbatim.end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });
  std::size_t next = 0;
  std::uint32_t reach = 0;
  for (std::uint32_t i = 0; i < comments_.size(); ++i) {
    while (next < verbatim.size() && verbatim[next].begin <= comments_[i].begin) {
      reach = std::max(reach, verbatim[next].end);
      ++next;
    }
    if (comments_[i].begin < reach) {
      taken_[i] = true;
    } else {
      free_.push_back(i);
    }
  }
}

std::string Printer::Print() {
  out_.reserve(text_.size() + text_.size() / 8 + 16);
  PrintSequence(BodyItems(file_.body), 0, static_cast<std::uint32_t>(text_.size()), 0,
                SeqKind::kFile);
  // Only reachable with spans a parser would not produce: never drop a comment.
  for (std::uint32_t comment : free_) {
    if (taken_[comment]) continue;
    taken_[comment] = true;
    AppendComment(comment);
    out_ += '\n';
  }
  return std::move(out_);
}

// ---------------------------------------------------------------------------
// Source helpers

std::string_view Printer::Slice(std::uint32_t begin, std::uint32_t end) const {
  end = std::min<std::uint32_t>(end, static_cast<std::uint32_t>(text_.size()));
  if (begin >= end) return {};
  return text_.substr(begin, end - begin);
}

std::string_view Printer::Slice(Span span) const {
  if (!span.valid()) return {};
  return Slice(span.begin, span.end);
}

bool Printer::HasNewline(std::uint32_t begin, std::uint32_t end) const {
  return Slice(begin, end).find('\n') != std::string_view::npos;
}

bool Printer::HasBlankLine(std::uint32_t begin, std::uint32_t end) const {
  std::string_view gap = Slice(begin, end);
  std::size_t first = gap.find('\n');
  return first != std::string_view::npos && gap.find('\n', first + 1) != std::string_view::npos;
}

// Where the closing bracket of `span` is, or its end if it has none.
std::uint32_t Printer::CloseOf(Span span, char close) const {
  if (!span.valid() || span.end == 0 || span.end > text_.size()) return span.end;
  return text_[span.end - 1] == close ? span.end - 1 : span.end;
}

// ---------------------------------------------------------------------------
// The comment pool

void Printer::CollectVerbatim(const ast::Body& body, std::vector<Span>& spans) const {
  for (const ast::Attribute& attribute : body.attributes) {
    spans.push_back(attribute.name_span);
    CollectVerbatim(attribute.value, spans);
  }
  for (const ast::Block& block : body.blocks) {
    spans.push_back(block.type_span);
    for (const ast::Label& label : block.labels) spans.push_back(label.span);
    CollectVerbatim(block.body, spans);
  }
}

void Printer::CollectVerbatim(const ast::Expr& expr, std::vector<Span>& spans) const {
  if (!IsContainer(expr)) {
    spans.push_back(expr.span);
    return;
  }
  if (expr.kind == ast::ExprKind::kCall) spans.push_back(expr.path[0].span);
  for (const ast::Expr& item : expr.items()) CollectVerbatim(item, spans);
  for (const ast::MapEntry& entry : expr.entries()) {
    spans.push_back(entry.key_span);
    CollectVerbatim(entry.value, spans);
  }
}

// Whether a comment that is not part of a leaf starts in [begin, end).
bool Printer::HasComment(std::uint32_t begin, std::uint32_t end) const {
  auto it = std::lower_bound(free_.begin(), free_.end(), begin,
                             [&](std::uint32_t c, std::uint32_t pos) { return comments_[c].begin < pos; });
  return it != free_.end() && comments_[*it].begin < end;
}

// The comments starting in [begin, end) not placed yet, in order; they are
// placed by the caller.
std::vector<std::uint32_t> Printer::Take(std::uint32_t begin, std::uint32_t end) {
  std::vector<std::uint32_t> taken;
  auto it = std::lower_bound(free_.begin(), free_.end(), begin,
                             [&](std::uint32_t c, std::uint32_t pos) { return comments_[c].begin < pos; });
  for (; it != free_.end() && comments_[*it].begin < end; ++it) {
    if (taken_[*it]) continue;
    taken_[*it] = true;
    taken.push_back(*it);
  }
  return taken;
}

// `#` and `//` comments run to the end of the line: nothing may follow them.
bool Printer::IsLineComment(std::uint32_t comment) const {
  std::string_view text = Slice(comments_[comment]);
  return !text.empty() && (text[0] == '#' || (text.size() > 1 && text[0] == '/' && text[1] == '/'));
}

// The comment as written, without trailing blanks on any of its lines.
void Printer::AppendComment(std::uint32_t comment) {
  std::string_view text = Slice(comments_[comment]);
  while (true) {
    std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
      line.remove_suffix(1);
    }
    out_ += line;
    if (newline == std::string_view::npos) break;
    out_ += '\n';
    text.remove_prefix(newline + 1);
  }
}

// ---------------------------------------------------------------------------
// Layout decisions

bool Printer::IsContainer(const ast::Expr& expr) {
  return expr.kind == ast::ExprKind::kList || expr.kind == ast::ExprKind::kMap ||
         (expr.kind == ast::ExprKind::kCall && !expr.path.empty());
}

// A container goes over several lines when it was written so, holds a
// comment, or holds something that goes over several lines; a leaf when its
// text does. Memoised, so deciding is linear.
bool Printer::IsMultiline(const ast::Expr& expr) {
  if (!IsContainer(expr)) return expr.span.valid() && HasNewline(expr.span.begin, expr.span.end);
  if (auto it = multiline_.find(&expr); it != multiline_.end()) return it->second;
  bool multiline = false;
  bool empty = expr.items().empty() && expr.entries().empty();
  if (expr.span.valid() && HasComment(expr.span.begin, expr.span.end)) {
    multiline = true;
  } else if (!empty) {
    multiline = expr.multiline;
    for (const ast::Expr& item : expr.items()) {
      if (multiline) break;
      multiline = IsMultiline(item);
    }
    for (const ast::MapEntry& entry : expr.entries()) {
      if (multiline) break;
      multiline = IsMultiline(entry.value) ||
                  (entry.key_span.valid() && HasNewline(entry.key_span.begin, entry.key_span.end));
    }
  }
  multiline_[&expr] = multiline;
  return multiline;
}

std::vector<Printer::Item> Printer::BodyItems(const ast::Body& body) const {
  std::vector<Item> items;
  items.reserve(body.attributes.size() + body.blocks.size());
  for (const ast::Attribute& attribute : body.attributes) {
    Item item;
    item.attribute = &attribute;
    item.begin = attribute.span.begin;
    item.end = std::max(attribute.span.end, attribute.value.span.end);
    item.head_end = attribute.value.span.begin;
    item.tail_begin = attribute.value.span.end;
    items.push_back(item);
  }
  for (const ast::Block& block : body.blocks) {
    Item item;
    item.block = &block;
    item.begin = block.span.begin;
    item.end = block.span.end;
    if (block.open_brace.valid()) {
      item.head_end = block.open_brace.begin;
    } else {
      item.head_end = block.labels.empty() ? block.type_span.end : block.labels.back().span.end;
    }
    item.tail_begin = CloseOf(block.span, '}') + 1;
    items.push_back(item);
  }
  for (Item& item : items) {
    item.head_end = std::clamp(item.head_end, item.begin, std::max(item.begin, item.end));
    item.tail_begin = std::clamp(item.tail_begin, item.head_end, std::max(item.head_end, item.end));
  }
  // The two lists each keep source order; interleave them again.
  std::stable_sort(items.begin(), items.end(),
                   [](const Item& a, const Item& b) { return a.begin < b.begin; });
  return items;
}

std::vector<Printer::Item> Printer::ExprItems(const ast::Expr& expr) const {
  std::vector<Item> items;
  items.reserve(expr.items().size() + expr.entries().size());
  for (const ast::Expr& element : expr.items()) {
    Item item;
    item.element = &element;
    item.begin = item.head_end = element.span.begin;
    item.tail_begin = item.end = element.span.end;
    items.push_back(item);
  }
  for (const ast::MapEntry& entry : expr.entries()) {
    Item item;
    item.entry = &entry;
    item.begin = entry.key_span.begin;
    item.end = std::max(entry.key_span.end, entry.value.span.end);
    item.head_end = std::clamp(entry.value.span.begin, item.begin, item.end);
    item.tail_begin = std::clamp(entry.value.span.end, item.head_end, item.end);
    items.push_back(item);
  }
  return items;
}

// ---------------------------------------------------------------------------
// Output

void Printer::Indent(int level) { out_.append(static_cast<std::size_t>(level) * 2, ' '); }

void Printer::AppendVerbatim(std::string_view text) {
  while (true) {
    std::size_t cr = text.find("\r\n");
    if (cr == std::string_view::npos) break;
    out_ += text.substr(0, cr);
    out_ += '\n';
    text.remove_prefix(cr + 2);
  }
  out_ += text;
}

std::string Printer::KeyText(const Item& item) const {
  if (item.attribute) {
    std::string_view name = Slice(item.attribute->name_span);
    return std::string(name.empty() ? std::string_view(item.attribute->name) : name);
  }
  std::string_view key = Slice(item.entry->key_span);
  if (!key.empty()) return std::string(key);
  return item.entry->quoted_key ? "\"" + item.entry->key + "\"" : item.entry->key;
}

// Prints the items of one sequence, each on its own line at `level`, with
// the comments found in [open, close): the caller has printed the opening
// line and prints the closing one.
void Printer::PrintSequence(const std::vector<Item>& items, std::uint32_t open,
                            std::uint32_t close, int level, SeqKind kind) {
  std::vector<Element> elements;
  elements.reserve(items.size());
  std::uint32_t cursor = open;    // comments before it are placed
  std::uint32_t last_end = open;  // the source end of the last thing placed
  std::ptrdiff_t open_item = -1;  // the item element still taking trailing comments
  bool open_line = false;         // the last element is a comment line that can take more

  // A comment on the line of an item stays there; others get a line of their
  // own, shared with comments that were on the same source line.
  auto place = [&](const std::vector<std::uint32_t>& comments) {
    for (std::uint32_t comment : comments) {
      const Span& span = comments_[comment];
      bool same_line = last_end <= span.begin ? !HasNewline(last_end, span.begin) : true;
      if (open_item >= 0 && same_line) {
        elements[open_item].comments.push_back(comment);
        if (IsLineComment(comment)) open_item = -1;
      } else if (open_line && same_line) {
        elements.back().comments.push_back(comment);
        open_line = !IsLineComment(comment);
      } else {
        Element element;
        element.comments.push_back(comment);
        element.blank_before = !elements.empty() && HasBlankLine(last_end, span.begin);
        elements.push_back(std::move(element));
        open_item = -1;
        open_line = !IsLineComment(comment);
      }
      last_end = std::max(last_end, span.end);
    }
  };

  for (std::size_t k = 0; k < items.size(); ++k) {
    const Item& item = items[k];
    std::size_t first = elements.size();
    place(Take(cursor, item.head_end));
    Element element;
    element.item = &item;
    element.blank_before =
        !elements.empty() && last_end <= item.begin && HasBlankLine(last_end, item.begin);
    element.comma = kind == SeqKind::kList || (kind == SeqKind::kCall && k + 1 < items.size());
    elements.push_back(std::move(element));
    // Top-level blocks are set apart by one blank line, before their comments.
    if (kind == SeqKind::kFile && k > 0 && (item.block || items[k - 1].block)) {
      elements[first].blank_before = true;
    }
    open_item = static_cast<std::ptrdiff_t>(elements.size()) - 1;
    open_line = false;
    last_end = std::max(last_end, item.tail_begin);
    place(Take(item.tail_begin, item.end));
    last_end = std::max(last_end, item.end);
    cursor = std::max(cursor, item.end);
  }
  place(Take(cursor, close));

  // Align `=` over runs of single-line attributes (or map entries) not
  // broken by a blank line, a comment line or anything else.
  auto alignable = [&](const Element& element) {
    if (element.item == nullptr) return false;
    if (element.item->attribute) return !IsMultiline(element.item->attribute->value);
    if (element.item->entry) return !IsMultiline(element.item->entry->value);
    return false;
  };
  for (std::size_t i = 0; i < elements.size();) {
    if (!alignable(elements[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    std::size_t width = 0;
    do {
      width = std::max(width, Width(KeyText(*elements[j].item)));
      ++j;
    } while (j < elements.size() && alignable(elements[j]) && !elements[j].blank_before);
    for (; i < j; ++i) elements[i].key_width = width;
  }

  for (std::size_t i = 0; i < elements.size(); ++i) {
    const Element& element = elements[i];
    if (i > 0 && element.blank_before) out_ += '\n';
    Indent(level);
    if (element.item != nullptr) PrintItem(element, level);
    for (std::size_t c = 0; c < element.comments.size(); ++c) {
      if (element.item != nullptr || c > 0) out_ += ' ';
      AppendComment(element.comments[c]);
    }
    out_ += '\n';
  }
}

void Printer::PrintItem(const Element& element, int level) {
  const Item& item = *element.item;
  if (item.block) {
    PrintBlock(*item.block, level);
  } else if (item.attribute || item.entry) {
    std::string key = KeyText(item);
    out_ += key;
    std::size_t width = Width(key);
    if (element.key_width > width) out_.append(element.key_width - width, ' ');
    out_ += " = ";
    PrintExpr(item.attribute ? item.attribute->value : item.entry->value, level);
  } else {
    PrintExpr(*item.element, level);
  }
  if (element.comma) out_ += ',';
}

void Printer::PrintBlock(const ast::Block& block, int level) {
  std::string_view type = Slice(block.type_span);
  out_ += type.empty() ? std::string_view(block.type) : type;
  for (const ast::Label& label : block.labels) {
    out_ += ' ';
    std::string_view text = Slice(label.span);
    if (text.empty()) {
      out_ += '"';
      out_ += label.value;
      out_ += '"';
    } else {
      out_ += text;
    }
  }
  out_ += " {";
  std::uint32_t open = block.open_brace.valid() ? block.open_brace.end
                       : block.labels.empty()   ? block.type_span.end
                                                : block.labels.back().span.end;
  std::uint32_t close = CloseOf(block.span, '}');
  std::vector<Item> items = BodyItems(block.body);
  if (items.empty() && !HasComment(open, close)) {
    out_ += '}';
    return;
  }
  out_ += '\n';
  PrintSequence(items, open, close, level + 1, SeqKind::kBody);
  Indent(level);
  out_ += '}';
}

void Printer::PrintExpr(const ast::Expr& expr, int level) {
  if (!IsContainer(expr)) {
    std::string_view text = Slice(expr.span);
    if (text.empty()) {
      PrintLeafFallback(expr);
    } else {
      AppendVerbatim(text);
    }
    return;
  }
  char close = ']';
  SeqKind kind = SeqKind::kList;
  if (expr.kind == ast::ExprKind::kMap) {
    close = '}';
    kind = SeqKind::kMap;
    out_ += '{';
  } else if (expr.kind == ast::ExprKind::kCall) {
    close = ')';
    kind = SeqKind::kCall;
    std::string_view name = Slice(expr.path[0].span);
    out_ += name.empty() ? std::string_view(expr.path[0].name) : name;
    out_ += '(';
  } else {
    out_ += '[';
  }

  if (IsMultiline(expr)) {
    out_ += '\n';
    PrintSequence(ExprItems(expr), expr.span.begin, CloseOf(expr.span, close), level + 1, kind);
    Indent(level);
  } else if (kind == SeqKind::kMap) {
    for (std::size_t i = 0; i < expr.entries().size(); ++i) {
      out_ += i == 0 ? " " : ", ";
      Item item;
      item.entry = &expr.entries()[i];
      out_ += KeyText(item);
      out_ += " = ";
      PrintExpr(expr.entries()[i].value, level);
    }
    if (!expr.entries().empty()) out_ += ' ';
  } else {
    for (std::size_t i = 0; i < expr.items().size(); ++i) {
      if (i > 0) out_ += ", ";
      PrintExpr(expr.items()[i], level);
    }
  }
  out_ += close;
}

// Leaves come from the parser with their spans; this only serves trees built
// by hand, so that no value ever prints as nothing.
void Printer::AppendEscaped(std::string_view text) {
  for (char c : text) {
    if (c == '"' || c == '\\') out_ += '\\';
    if (c == '\n') {
      out_ += "\\n";
    } else {
      out_ += c;
    }
  }
}

void Printer::PrintLeafFallback(const ast::Expr& expr) {
  switch (expr.kind) {
    case ast::ExprKind::kString:
      out_ += '"';
      AppendEscaped(expr.text);  // without interpolation; else empty
      for (const ast::TemplatePart& part : expr.parts()) {
        if (part.is_interpolation) {
          out_ += "${";
          if (!part.expr.empty()) PrintExpr(part.expr[0], 0);
          out_ += '}';
          continue;
        }
        AppendEscaped(part.text);
      }
      out_ += '"';
      return;
    case ast::ExprKind::kNumber:
    case ast::ExprKind::kPercent:
      AppendNumber(out_, expr.number, expr.kind == ast::ExprKind::kNumber && expr.is_integer);
      if (expr.kind == ast::ExprKind::kPercent) out_ += '%';
      return;
    case ast::ExprKind::kBool:
      out_ += expr.boolean ? "true" : "false";
      return;
    case ast::ExprKind::kDuration:
      if (expr.nanos % 1'000'000'000 == 0) {
        AppendNumber(out_, static_cast<double>(expr.nanos / 1'000'000'000), true);
        out_ += 's';
      } else if (expr.nanos % 1'000'000 == 0) {
        AppendNumber(out_, static_cast<double>(expr.nanos / 1'000'000), true);
        out_ += "ms";
      } else {
        AppendNumber(out_, static_cast<double>(expr.nanos), true);
        out_ += "ns";
      }
      return;
    case ast::ExprKind::kSize:
      AppendNumber(out_, static_cast<double>(expr.bytes), true);
      out_ += 'B';
      return;
    case ast::ExprKind::kCidr:
    case ast::ExprKind::kIp:
      out_ += expr.text;
      return;
    case ast::ExprKind::kPort:
      if (expr.port.published != 0) {
        AppendNumber(out_, expr.port.published, true);
        out_ += ':';
      }
      AppendNumber(out_, expr.port.target, true);
      if (expr.port.protocol != PortProtocol::kTcp) {
        out_ += '/';
        out_ += PortProtocolName(expr.port.protocol);
      }
      return;
    case ast::ExprKind::kReference:
      for (std::size_t i = 0; i < expr.path.size(); ++i) {
        if (i > 0) out_ += '.';
        out_ += expr.path[i].name;
      }
      if (!expr.path.empty()) return;
      break;
    default:
      break;
  }
  out_ += "null";
}

}  // namespace nest::format_internal
