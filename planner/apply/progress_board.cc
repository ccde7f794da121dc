#include "planner/apply/progress_board.h"

#include <fmt/format.h>

#include "planner/apply/events.h"

namespace nest::plan::apply {
namespace {

std::string Subject(const Step& step) {
  std::string text = step.address;
  if (step.half == Half::kNewObject) text += " (new object)";
  if (step.half == Half::kOldObject) text += " (old object)";
  return text;
}

// Terraform's present participles, as the events' lines use them.
const char* Doing(Operation operation) {
  switch (operation) {
    case Operation::kCreate: return "Creating...";
    case Operation::kUpdate: return "Modifying...";
    case Operation::kDelete: return "Destroying...";
    case Operation::kWait: return "Waiting for the rollout in progress on the engine...";
  }
  return "Creating...";
}

// Cut to `width` columns, counting UTF-8 code points, not bytes.
std::string Fit(const std::string& line, std::size_t width) {
  std::size_t columns = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    bool starts_code_point = (static_cast<unsigned char>(line[i]) & 0xC0) != 0x80;
    if (starts_code_point && ++columns > width) return line.substr(0, i);
  }
  return line;
}

}  // namespace

ProgressBoard NewBoard(const Walk& walk) {
  ProgressBoard board;
  for (const auto& step : walk.steps) {
    BoardRow row;
    row.subject = Subject(step);
    row.operation = step.operation;
    board.rows.push_back(std::move(row));
  }
  return board;
}

void Record(ProgressBoard& board, const WalkEvent& event) {
  if (event.step == nullptr || event.step->id >= board.rows.size()) return;
  BoardRow& row = board.rows[event.step->id];
  if (event.type == WalkEvent::Type::kStarted) {
    row.state = BoardRow::State::kRunning;
    row.started = event.elapsed;
    return;
  }
  row.state = BoardRow::State::kSettled;
  row.settled = EventText(event);
  row.progress.clear();
}

void RecordProgress(ProgressBoard& board, const Step& step, const std::string& line) {
  if (step.id >= board.rows.size() || board.rows[step.id].state != BoardRow::State::kRunning) return;
  board.rows[step.id].progress = line;
}

std::vector<std::string> BoardLines(const ProgressBoard& board, Clock::duration now, std::size_t width) {
  std::vector<std::string> lines;
  lines.reserve(board.rows.size());
  for (const auto& row : board.rows) {
    std::string line;
    switch (row.state) {
      case BoardRow::State::kPending: line = row.subject + ": Pending"; break;
      case BoardRow::State::kRunning:
        line = fmt::format("{}: {} {} elapsed", row.subject, Doing(row.operation), FormatElapsed(now - row.started));
        if (!row.progress.empty()) line += " (" + row.progress + ")";
        break;
      case BoardRow::State::kSettled: line = row.settled; break;
    }
    lines.push_back(Fit(line, width));
  }
  return lines;
}

}  // namespace nest::plan::apply
