#include "planner/render_markdown.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <vector>

#include "planner/render_text.h"

namespace nest::plan {
namespace {

constexpr std::size_t kWarningAddresses = 50;
constexpr std::size_t kMaxAddressLength = 300;

std::string Heading(const Plan& plan) {
  std::string stack = plan.stack.empty() ? "" : fmt::format(": stack `{}`", plan.stack);
  if (!plan.HasChanges()) return fmt::format("### nest plan{}: no changes\n", stack);
  PlanSummary s = plan.Summary();
  return fmt::format("### nest plan{}: {} to add, {} to change, {} to destroy\n", stack, s.add, s.change,
                     s.destroy);
}

std::string WhatHappens(const ResourceChange& change) {
  if (change.action == Action::kDelete) return "destroy";
  return change.create_before_destroy ? "replace: the new one is created first" : "replace: destroyed, then created";
}

std::string WarningBlock(const Plan& plan) {
  std::vector<const ResourceChange*> destructive = DestructiveChanges(plan);
  if (destructive.empty()) return "";
  std::string out = fmt::format("\n> [!WARNING]\n> This plan destroys or replaces {} resource{}:\n",
                                destructive.size(), destructive.size() == 1 ? "" : "s");
  for (std::size_t i = 0; i < destructive.size() && i < kWarningAddresses; ++i) {
    std::string address = destructive[i]->address.substr(0, kMaxAddressLength);
    out += fmt::format("> - `{}` ({})\n", address, WhatHappens(*destructive[i]));
  }
  if (destructive.size() > kWarningAddresses) {
    out += fmt::format("> - and {} more (all listed in the plan below)\n", destructive.size() - kWarningAddresses);
  }
  return out;
}

// GitHub colours a ```diff line by its first character: move each change
// symbol to column 0 (`~` becomes `!`), as Atlantis does.
std::string DiffLine(std::string_view line) {
  std::size_t indent = line.find_first_not_of(' ');
  if (indent == std::string_view::npos || indent == 0 || indent + 1 >= line.size()) return std::string(line);
  char symbol = line[indent];
  if ((symbol != '+' && symbol != '-' && symbol != '~') || line[indent + 1] != ' ') return std::string(line);
  std::string out(1, symbol == '~' ? '!' : symbol);
  out += line.substr(0, indent);
  out += line.substr(indent + 1);
  return out;
}

std::vector<std::string> DiffLines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(DiffLine(std::string_view(text).substr(start, end - start)));
    start = end + 1;
  }
  return lines;
}

// A fence longer than any run of backticks in the block.
std::string Fence(const std::vector<std::string>& lines) {
  std::size_t longest = 0;
  for (const auto& line : lines) {
    std::size_t run = 0;
    for (char c : line) {
      run = c == '`' ? run + 1 : 0;
      longest = std::max(longest, run);
    }
  }
  return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

std::string CutNote(std::size_t cut) {
  return fmt::format("... ({} line{} cut here: the plan is too long for one comment; run `nest plan` "
                     "to see all of it) ...",
                     cut, cut == 1 ? "" : "s");
}

// The block's lines, or its first and last lines around a cut note, within `budget`.
std::string Body(const std::vector<std::string>& lines, std::size_t budget) {
  std::size_t total = 0;
  for (const auto& line : lines) total += line.size() + 1;
  std::string body;
  if (total <= budget) {
    for (const auto& line : lines) body += line + "\n";
    return body;
  }
  std::size_t room = budget > CutNote(lines.size()).size() + 1 ? budget - CutNote(lines.size()).size() - 1 : 0;
  std::size_t head = 0, head_size = 0;
  while (head < lines.size() && head_size + lines[head].size() + 1 <= room / 2) head_size += lines[head++].size() + 1;
  std::size_t tail = lines.size(), tail_size = 0;
  while (tail > head && tail_size + lines[tail - 1].size() + 1 <= room - head_size) {
    tail_size += lines[--tail].size() + 1;
  }
  for (std::size_t i = 0; i < head; ++i) body += lines[i] + "\n";
  body += CutNote(tail - head) + "\n";
  for (std::size_t i = tail; i < lines.size(); ++i) body += lines[i] + "\n";
  return body;
}

}  // namespace

std::string RenderPlanMarkdown(const Plan& plan, std::size_t limit) {
  std::vector<std::string> lines = DiffLines(RenderPlanText(plan, TextStyle{false}));
  std::string fence = Fence(lines);
  std::string head = Heading(plan) + WarningBlock(plan) + "\n<details><summary>Show plan</summary>\n\n" +
                     fence + "diff\n";
  std::string foot = fence + "\n\n</details>\n";
  std::size_t fixed = head.size() + foot.size();
  std::size_t budget = limit > fixed ? limit - fixed : 0;
  return head + Body(lines, budget) + foot;
}

}  // namespace nest::plan
