#include "planner/render_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string_view>

namespace nest::plan {
namespace {

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kGreen = "\x1b[32m";
constexpr std::string_view kYellow = "\x1b[33m";

constexpr std::size_t kBannerAddresses = 20;

// ---------------------------------------------------------------------------
// Values on one line.

bool IsBare(const std::string& text) {
  if (text == "true" || text == "false") return true;
  std::size_t i = text[0] == '-' ? 1 : 0;
  if (i >= text.size()) return false;
  bool digits = false, dot = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c == '.' && digits && !dot && i + 1 < text.size()) {
      dot = true;
    } else {
      return false;
    }
  }
  // "007" is a string that happens to be digits.
  std::size_t first = text[0] == '-' ? 1 : 0;
  return digits && !(text[first] == '0' && text.size() > first + 1 && text[first + 1] != '.');
}

std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string ScalarText(const std::string& text) {
  return !text.empty() && IsBare(text) ? text : Quote(text);
}

// Map keys: bare when they read as names (NODE_ENV, com.example.tier).
std::string KeyText(const std::string& key) {
  if (key.empty()) return Quote(key);
  char first = key[0];
  bool ok = (first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z') || first == '_';
  for (char c : key) {
    ok = ok && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '-' || c == '.');
  }
  return ok ? key : Quote(key);
}

// ---------------------------------------------------------------------------
// The writer: Terraform's columns. An entry at depth d puts its symbol in
// column 6 + 4d; unchanged lines and closing brackets start at 8 + 4d.

enum class Sym { kAdd, kRemove, kChange };

class Writer {
 public:
  explicit Writer(bool color) : color_(color) {}

  std::string Paint(std::string_view code, std::string_view text) const {
    if (!color_) return std::string(text);
    return fmt::format("{}{}{}", code, text, kReset);
  }
  std::string Symbol(Sym sym) const {
    switch (sym) {
      case Sym::kAdd: return Paint(kGreen, "+");
      case Sym::kRemove: return Paint(kRed, "-");
      case Sym::kChange: return Paint(kYellow, "~");
    }
    return " ";
  }
  void Entry(int depth, Sym sym, std::string_view text) {
    out_ += std::string(6 + 4 * depth, ' ') + Symbol(sym) + " ";
    out_ += text;
    out_ += '\n';
  }
  void Plain(int depth, std::string_view text) {
    out_ += std::string(8 + 4 * depth, ' ');
    out_ += text;
    out_ += '\n';
  }
  void Raw(std::string_view text) { out_ += text; }
  std::string Take() { return std::move(out_); }

 private:
  bool color_;
  std::string out_;
};

// One entry's fixed parts: `head` before the value ("image = ", or nothing
// for a list element), `tail` after it (or after its closing bracket:
// " -> null", ","), `note` at the end of its first line (" # forces replacement").
struct Parts {
  std::string head;
  std::string tail;
  std::string note;
};

bool OneLine(const AttributeValue& value) {
  return value.sensitive || value.kind == AttributeValue::Kind::kScalar ||
         (value.kind == AttributeValue::Kind::kList && value.list.empty()) ||
         (value.kind == AttributeValue::Kind::kMap && value.map.empty());
}

std::size_t PadWidth(const std::vector<std::string>& keys) {
  std::size_t width = 0;
  for (const auto& key : keys) width = std::max(width, key.size());
  return width;
}

std::string Padded(const std::string& key, std::size_t width) {
  return key + std::string(width - key.size(), ' ') + " = ";
}

std::string Hidden(std::size_t n, std::string_view noun) {
  return fmt::format("# ({} unchanged {}{} hidden)", n, noun, n == 1 ? "" : "s");
}

// A value added or removed whole: every line carries `sym`.
void WriteWhole(Writer& w, int depth, Sym sym, const Parts& parts, const AttributeValue& value) {
  if (OneLine(value)) {
    w.Entry(depth, sym, parts.head + InlineValue(value) + parts.tail + parts.note);
    return;
  }
  if (value.kind == AttributeValue::Kind::kList) {
    w.Entry(depth, sym, parts.head + "[" + parts.note);
    for (const auto& item : value.list) WriteWhole(w, depth + 1, sym, Parts{"", ",", ""}, item);
    w.Plain(depth, "]" + parts.tail);
    return;
  }
  w.Entry(depth, sym, parts.head + "{" + parts.note);
  std::vector<std::string> keys;
  for (const auto& [key, item] : value.map) keys.push_back(KeyText(key));
  std::size_t width = PadWidth(keys);
  std::size_t i = 0;
  for (const auto& [key, item] : value.map) WriteWhole(w, depth + 1, sym, Parts{Padded(keys[i++], width), "", ""}, item);
  w.Plain(depth, "}" + parts.tail);
}

void WriteChange(Writer& w, int depth, const Parts& parts, const AttributeValue& before,
                 const AttributeValue& after);

// One keyed entry of a block or map: the key, and its value before and/or after.
struct Entry {
  std::string key;  // as displayed
  const AttributeValue* before = nullptr;
  const AttributeValue* after = nullptr;
  std::string note;
};

void WriteEntries(Writer& w, int depth, const std::vector<Entry>& entries, std::size_t hidden,
                  std::string_view noun) {
  std::vector<std::string> keys;
  for (const auto& entry : entries) keys.push_back(entry.key);
  std::size_t width = PadWidth(keys);
  for (const auto& entry : entries) {
    std::string head = Padded(entry.key, width);
    if (entry.before && entry.after) {
      WriteChange(w, depth, Parts{head, "", entry.note}, *entry.before, *entry.after);
    } else if (entry.after) {
      WriteWhole(w, depth, Sym::kAdd, Parts{head, "", entry.note}, *entry.after);
    } else if (entry.before) {
      WriteWhole(w, depth, Sym::kRemove, Parts{head, " -> null", entry.note}, *entry.before);
    }
  }
  if (hidden > 0) w.Plain(depth, Hidden(hidden, noun));
}

void WriteMapDiff(Writer& w, int depth, const std::map<std::string, AttributeValue>& before,
                  const std::map<std::string, AttributeValue>& after) {
  std::vector<Entry> entries;
  std::size_t hidden = 0;
  for (const auto& [key, value] : before) {
    auto it = after.find(key);
    if (it == after.end()) {
      entries.push_back(Entry{KeyText(key), &value, nullptr, ""});
    } else if (value == it->second) {
      ++hidden;
    } else {
      entries.push_back(Entry{KeyText(key), &value, &it->second, ""});
    }
  }
  for (const auto& [key, value] : after) {
    if (!before.contains(key)) entries.push_back(Entry{KeyText(key), nullptr, &value, ""});
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.key < b.key; });
  WriteEntries(w, depth, entries, hidden, "element");
}

// The longest common subsequence of two lists, as the positions kept.
std::vector<std::pair<std::size_t, std::size_t>> CommonElements(const std::vector<AttributeValue>& a,
                                                                 const std::vector<AttributeValue>& b) {
  std::vector<std::pair<std::size_t, std::size_t>> kept;
  std::size_t n = a.size(), m = b.size();
  if (n * m > 4'000'000) return kept;  // too large to align: show everything as removed and added
  std::vector<std::vector<std::uint32_t>> length(n + 1, std::vector<std::uint32_t>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      length[i][j] = a[i] == b[j] ? length[i + 1][j + 1] + 1 : std::max(length[i + 1][j], length[i][j + 1]);
    }
  }
  for (std::size_t i = 0, j = 0; i < n && j < m;) {
    if (a[i] == b[j]) {
      kept.emplace_back(i++, j++);
    } else if (length[i + 1][j] >= length[i][j + 1]) {
      ++i;
    } else {
      ++j;
    }
  }
  return kept;
}

bool Pairable(const AttributeValue& a, const AttributeValue& b) {
  return a.kind == AttributeValue::Kind::kMap && b.kind == AttributeValue::Kind::kMap && !a.sensitive &&
         !b.sensitive;
}

// Between two kept elements: the removed ones and the added ones. Maps at
// the same position in both runs show as one changed element.
void WriteListRun(Writer& w, int depth, const std::vector<const AttributeValue*>& removed,
                  const std::vector<const AttributeValue*>& added) {
  std::vector<const AttributeValue*> rest_removed, rest_added;
  for (std::size_t k = 0; k < std::max(removed.size(), added.size()); ++k) {
    if (k < removed.size() && k < added.size() && Pairable(*removed[k], *added[k])) {
      WriteChange(w, depth, Parts{"", ",", ""}, *removed[k], *added[k]);
      continue;
    }
    if (k < removed.size()) rest_removed.push_back(removed[k]);
    if (k < added.size()) rest_added.push_back(added[k]);
  }
  for (const AttributeValue* value : rest_removed) WriteWhole(w, depth, Sym::kRemove, Parts{"", ",", ""}, *value);
  for (const AttributeValue* value : rest_added) WriteWhole(w, depth, Sym::kAdd, Parts{"", ",", ""}, *value);
}

void WriteListDiff(Writer& w, int depth, const std::vector<AttributeValue>& before,
                   const std::vector<AttributeValue>& after) {
  auto kept = CommonElements(before, after);
  kept.emplace_back(before.size(), after.size());  // a sentinel closing the last run
  std::size_t i = 0, j = 0;
  for (const auto& [ki, kj] : kept) {
    std::vector<const AttributeValue*> removed, added;
    for (; i < ki; ++i) removed.push_back(&before[i]);
    for (; j < kj; ++j) added.push_back(&after[j]);
    WriteListRun(w, depth, removed, added);
    ++i;
    ++j;
  }
  std::size_t hidden = kept.size() - 1;
  if (hidden > 0) w.Plain(depth, Hidden(hidden, "element"));
}

void WriteChange(Writer& w, int depth, const Parts& parts, const AttributeValue& before,
                 const AttributeValue& after) {
  using Kind = AttributeValue::Kind;
  if (before.sensitive || after.sensitive) {
    w.Entry(depth, Sym::kChange, parts.head + "(sensitive value)" + parts.tail + parts.note);
  } else if (before.kind == Kind::kScalar && after.kind == Kind::kScalar) {
    w.Entry(depth, Sym::kChange,
            parts.head + InlineValue(before) + " -> " + InlineValue(after) + parts.tail + parts.note);
  } else if (before.kind == Kind::kMap && after.kind == Kind::kMap) {
    w.Entry(depth, Sym::kChange, parts.head + "{" + parts.note);
    WriteMapDiff(w, depth + 1, before.map, after.map);
    w.Plain(depth, "}" + parts.tail);
  } else if (before.kind == Kind::kList && after.kind == Kind::kList) {
    w.Entry(depth, Sym::kChange, parts.head + "[" + parts.note);
    WriteListDiff(w, depth + 1, before.list, after.list);
    w.Plain(depth, "]" + parts.tail);
  } else {
    std::string removed_tail = parts.tail == "," ? "," : " -> null";
    WriteWhole(w, depth, Sym::kRemove, Parts{parts.head, removed_tail, parts.note}, before);
    WriteWhole(w, depth, Sym::kAdd, Parts{parts.head, parts.tail, ""}, after);
  }
}

// ---------------------------------------------------------------------------
// Resources.

std::string ActionSymbol(const Writer& w, const ResourceChange& change) {
  switch (change.action) {
    case Action::kCreate: return "  " + w.Paint(kGreen, "+");
    case Action::kUpdate: return "  " + w.Paint(kYellow, "~");
    case Action::kDelete: return "  " + w.Paint(kRed, "-");
    case Action::kReplace:
      return change.create_before_destroy ? w.Paint(kGreen, "+") + "/" + w.Paint(kRed, "-")
                                          : w.Paint(kRed, "-") + "/" + w.Paint(kGreen, "+");
    case Action::kNoOp: break;
  }
  return "   ";
}

const char* Phrase(Action action) {
  switch (action) {
    case Action::kCreate: return "will be created";
    case Action::kUpdate: return "will be updated in place";
    case Action::kReplace: return "must be replaced";
    case Action::kDelete: return "will be destroyed";
    case Action::kNoOp: break;
  }
  return "has no changes";
}

bool ShowsBecause(Reason reason) {
  return reason == Reason::kForcedReplacement || reason == Reason::kNotInConfig ||
         reason == Reason::kDependencyChanged;
}

// Attributes equal on both sides: those in either state but not among the changes.
std::size_t UnchangedCount(const ResourceChange& change) {
  std::set<std::string> names;
  if (change.before) {
    for (const auto& [name, value] : change.before->attributes) names.insert(name);
  }
  if (change.after) {
    for (const auto& [name, value] : change.after->attributes) names.insert(name);
  }
  for (const auto& attribute : change.changes) names.erase(attribute.name);
  return names.size();
}

void WriteResource(Writer& w, const ResourceChange& change) {
  w.Raw("  " + w.Paint(kBold, fmt::format("# {} {}", change.address, Phrase(change.action))) + "\n");
  if (change.drift) w.Raw("  # (drift: changed outside nest)\n");
  if (ShowsBecause(change.reason) && !change.reason_detail.empty()) {
    w.Raw(fmt::format("  # (because {})\n", change.reason_detail));
  }
  for (const auto& problem : change.problems) w.Raw(fmt::format("  # warning: {}\n", problem));
  w.Raw(fmt::format("{} {} {} {{\n", ActionSymbol(w, change), ResourceKindName(change.kind),
                    Quote(AddressName(change.address))));

  std::vector<Entry> entries;
  for (const auto& attribute : change.changes) {
    Entry entry{attribute.name, attribute.before ? &*attribute.before : nullptr,
                attribute.after ? &*attribute.after : nullptr, ""};
    if (attribute.forces_replacement) entry.note = " # forces replacement";
    entries.push_back(std::move(entry));
  }
  WriteEntries(w, 0, entries, UnchangedCount(change), "attribute");
  w.Raw("    }\n\n");
}

void WriteBanner(Writer& w, const Plan& plan) {
  std::vector<const ResourceChange*> destructive = DestructiveChanges(plan);
  if (destructive.empty()) return;
  std::string list;
  for (std::size_t i = 0; i < destructive.size() && i < kBannerAddresses; ++i) {
    if (i > 0) list += ", ";
    list += destructive[i]->address;
  }
  if (destructive.size() > kBannerAddresses) {
    list += fmt::format(" and {} more", destructive.size() - kBannerAddresses);
  }
  w.Raw(fmt::format("{} this plan destroys or replaces {} resource{}: {}\n\n",
                    w.Paint(fmt::format("{}{}", kBold, kYellow), "Warning:"), destructive.size(),
                    destructive.size() == 1 ? "" : "s", list));
}

void WriteLegend(Writer& w, const Plan& plan) {
  bool create = false, update = false, destroy = false, replace = false, replace_first = false;
  for (const auto& change : plan.changes) {
    create = create || change.action == Action::kCreate;
    update = update || change.action == Action::kUpdate;
    destroy = destroy || change.action == Action::kDelete;
    replace = replace || (change.action == Action::kReplace && !change.create_before_destroy);
    replace_first = replace_first || (change.action == Action::kReplace && change.create_before_destroy);
  }
  w.Raw("Resource actions are indicated with the following symbols:\n");
  if (create) w.Raw("  " + w.Paint(kGreen, "+") + " create\n");
  if (update) w.Raw("  " + w.Paint(kYellow, "~") + " update in place\n");
  if (destroy) w.Raw("  " + w.Paint(kRed, "-") + " destroy\n");
  if (replace) w.Raw(w.Paint(kRed, "-") + "/" + w.Paint(kGreen, "+") + " destroy and then create replacement\n");
  if (replace_first) {
    w.Raw(w.Paint(kGreen, "+") + "/" + w.Paint(kRed, "-") + " create replacement and then destroy\n");
  }
  w.Raw("\n");
}

// Objects the plan leaves as they are but that something is wrong with.
void WriteProblems(Writer& w, const Plan& plan) {
  std::vector<const ResourceChange*> troubled;
  for (const auto& change : plan.changes) {
    if (change.action == Action::kNoOp && !change.problems.empty()) troubled.push_back(&change);
  }
  if (troubled.empty()) return;
  w.Raw("\nObjects with problems that this plan leaves unchanged:\n");
  for (const ResourceChange* change : troubled) {
    for (const auto& problem : change->problems) {
      w.Raw(fmt::format("  # {} (`{}`): {}\n", change->address, change->docker_name, problem));
    }
  }
}

// Rollouts the engine is still running, which apply waits for.
void WriteRollouts(Writer& w, const Plan& plan) {
  std::vector<std::string> rolling;
  for (const auto& change : plan.changes) {
    if (change.action == Action::kNoOp && !change.engine_in_progress.empty())
      rolling.push_back(fmt::format("{} ({})", change.address, change.engine_in_progress));
  }
  if (rolling.empty()) return;
  w.Raw(fmt::format("\nNote: nest apply waits for what the engine is still rolling out: {}.\n",
                    fmt::join(rolling, ", ")));
}

void WriteWarnings(Writer& w, const Plan& plan) {
  for (const auto& warning : plan.warnings) {
    w.Raw(fmt::format("\n{} {}\n", w.Paint(fmt::format("{}{}", kBold, kYellow), "Warning:"), warning));
  }
}

}  // namespace

std::string InlineValue(const AttributeValue& value) {
  if (value.sensitive) return "(sensitive value)";
  switch (value.kind) {
    // A size as nest writes it ("1GiB"); bare, as in a .nest file.
    case AttributeValue::Kind::kScalar: return value.display.empty() ? ScalarText(value.scalar) : value.display;
    case AttributeValue::Kind::kList: {
      std::string out = "[";
      for (std::size_t i = 0; i < value.list.size(); ++i) {
        if (i > 0) out += ", ";
        out += InlineValue(value.list[i]);
      }
      return out + "]";
    }
    case AttributeValue::Kind::kMap: {
      if (value.map.empty()) return "{}";
      std::string out = "{ ";
      bool first = true;
      for (const auto& [key, item] : value.map) {
        if (!first) out += ", ";
        first = false;
        out += KeyText(key) + " = " + InlineValue(item);
      }
      return out + " }";
    }
  }
  return "";
}

std::string SummaryLine(const Plan& plan) {
  if (!plan.HasChanges()) return "No changes. Your stack matches the configuration.";
  PlanSummary summary = plan.Summary();
  return fmt::format("Plan: {} to add, {} to change, {} to destroy.", summary.add, summary.change,
                     summary.destroy);
}

std::vector<const ResourceChange*> DestructiveChanges(const Plan& plan) {
  std::vector<const ResourceChange*> destructive;
  for (const auto& change : plan.changes) {
    if (change.action == Action::kDelete || change.action == Action::kReplace) destructive.push_back(&change);
  }
  return destructive;
}

std::string RenderPlanText(const Plan& plan, TextStyle style) {
  Writer w(style.color);
  if (!plan.HasChanges()) {
    w.Raw(w.Paint(kBold, SummaryLine(plan)) + "\n");
  } else {
    WriteBanner(w, plan);
    WriteLegend(w, plan);
    w.Raw("nest will perform the following actions:\n\n");
    for (const auto& change : plan.changes) {
      if (change.action != Action::kNoOp) WriteResource(w, change);
    }
    w.Raw(w.Paint(kBold, SummaryLine(plan)) + "\n");
  }
  WriteProblems(w, plan);
  WriteRollouts(w, plan);
  WriteWarnings(w, plan);
  return w.Take();
}

}  // namespace nest::plan
