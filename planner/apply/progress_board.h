// Apply's progress on a terminal: one line per step, redrawn in place (the
// caller moves the cursor back up over the block). This is the pure part:
// the board is plain state, fed the walk's events and the waits' progress
// lines, and `BoardLines` turns it into the lines to draw at a moment.
// Off a terminal and with --json, apply prints the events' lines instead.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "planner/apply/executor.h"
#include "planner/apply/walk.h"

namespace nest::plan::apply {

struct BoardRow {
  std::string subject;  // "service.app", "secret.db (old object)"
  Operation operation = Operation::kCreate;
  enum class State { kPending, kRunning, kSettled } state = State::kPending;
  Clock::duration started{};  // since the walk began: kRunning
  std::string progress;       // kRunning: the wait's latest line ("1/2 running")
  std::string settled;        // kSettled: the last event's line
};

struct ProgressBoard {
  std::vector<BoardRow> rows;  // by step id
};

// Every step pending.
ProgressBoard NewBoard(const Walk& walk);
// The step's row after `event` (started, succeeded, failed, skipped, not started).
void Record(ProgressBoard& board, const WalkEvent& event);
// A running step's latest progress line.
void RecordProgress(ProgressBoard& board, const Step& step, const std::string& line);

// One line per step, in walk order, at `now` (since the walk began), each
// cut to `width` columns (a wrapped line would break the redraw):
//   network.back: Creation complete after 0s
//   service.app: Modifying... 12s elapsed (1/2 running; pending: slot 2: starting)
//   service.web: Pending
std::vector<std::string> BoardLines(const ProgressBoard& board, Clock::duration now, std::size_t width);

}  // namespace nest::plan::apply
