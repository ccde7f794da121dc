// Where `nest apply` shows its walk: JSON lines (--json), a line per event
// (a log, a pipe), or on a terminal one line per step, redrawn in place a
// few times a second (planner/apply/progress_board.h draws the lines).
#pragma once

#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "planner/apply/executor.h"
#include "planner/apply/progress_board.h"
#include "planner/apply/walk.h"

namespace nest {

class ApplyProgress {
 public:
  enum class Mode { kLines, kJson, kBoard };
  // kBoard when `out` is a terminal tall enough for the walk's steps and
  // not --json; else kLines or kJson.
  static Mode ModeFor(std::FILE* out, bool json, const plan::apply::Walk& walk);

  ApplyProgress(std::FILE* out, Mode mode, const plan::apply::Walk& walk);
  ~ApplyProgress();  // Finish()
  ApplyProgress(const ApplyProgress&) = delete;
  ApplyProgress& operator=(const ApplyProgress&) = delete;

  // From the walk's threads.
  void Event(const plan::apply::WalkEvent& event);
  void Progress(const plan::apply::Step& step, const std::string& line);
  // The board's last drawing; afterwards the summary can be printed.
  void Finish();

 private:
  void Redraw();  // with mutex_ held
  void RedrawLoop();

  std::FILE* out_;
  Mode mode_;
  std::mutex mutex_;
  // kLines: when each step last printed a "Still waiting" line.
  std::map<std::size_t, std::chrono::steady_clock::time_point> last_progress_;
  // kBoard.
  plan::apply::ProgressBoard board_;
  std::chrono::steady_clock::time_point start_;
  std::size_t width_ = 80;
  std::size_t drawn_ = 0;  // lines on screen to move back over
  std::vector<std::string> shown_;  // what they say
  bool finished_ = false;
  std::condition_variable wake_;
  std::thread redraw_;
};

}  // namespace nest
