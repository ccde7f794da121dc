#include "cli/apply_progress.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "planner/apply/events.h"

namespace nest {
namespace {

using Clock = std::chrono::steady_clock;

// At most this often: a redraw of 50 lines is cheap, and faster reads no better.
constexpr auto kRedrawEvery = std::chrono::milliseconds(250);
// A log gets a "Still waiting" line per step at most this often.
constexpr auto kLogProgressEvery = std::chrono::seconds(5);

}  // namespace

ApplyProgress::Mode ApplyProgress::ModeFor(std::FILE* out, bool json, const plan::apply::Walk& walk) {
  if (json) return Mode::kJson;
  winsize size{};
  if (!isatty(fileno(out)) || ioctl(fileno(out), TIOCGWINSZ, &size) != 0) return Mode::kLines;
  // The cursor cannot move above the screen's top: a board taller than the
  // screen would be drawn over itself.
  if (size.ws_row == 0 || walk.steps.size() + 2 > size.ws_row) return Mode::kLines;
  return Mode::kBoard;
}

ApplyProgress::ApplyProgress(std::FILE* out, Mode mode, const plan::apply::Walk& walk)
    : out_(out), mode_(mode), start_(Clock::now()) {
  if (mode_ != Mode::kBoard) return;
  board_ = plan::apply::NewBoard(walk);
  winsize size{};
  // One column short: writing the last column makes some terminals wrap.
  if (ioctl(fileno(out), TIOCGWINSZ, &size) == 0 && size.ws_col > 1) width_ = size.ws_col - 1;
  std::lock_guard<std::mutex> hold(mutex_);
  Redraw();
  redraw_ = std::thread([this] { RedrawLoop(); });
}

ApplyProgress::~ApplyProgress() { Finish(); }

void ApplyProgress::Event(const plan::apply::WalkEvent& event) {
  std::lock_guard<std::mutex> hold(mutex_);
  switch (mode_) {
    case Mode::kJson:
      fmt::print(out_, "{}", plan::apply::EventJsonLine(event, std::chrono::system_clock::now()));
      break;
    case Mode::kLines: fmt::print(out_, "{}\n", plan::apply::EventText(event)); break;
    case Mode::kBoard: plan::apply::Record(board_, event); return;  // drawn by the loop
  }
  std::fflush(out_);
}

void ApplyProgress::Progress(const plan::apply::Step& step, const std::string& line) {
  std::lock_guard<std::mutex> hold(mutex_);
  if (mode_ == Mode::kBoard) {
    plan::apply::RecordProgress(board_, step, line);
    return;
  }
  if (mode_ != Mode::kLines) return;
  // At most one line per step every few seconds, so a log stays readable.
  auto now = Clock::now();
  auto& last = last_progress_[step.id];
  if (last != Clock::time_point{} && now - last < kLogProgressEvery) return;
  last = now;
  fmt::print(out_, "{}: Still waiting... ({})\n", step.address, line);
  std::fflush(out_);
}

void ApplyProgress::Finish() {
  {
    std::lock_guard<std::mutex> hold(mutex_);
    if (finished_) return;
    finished_ = true;
    if (mode_ == Mode::kBoard) Redraw();
  }
  wake_.notify_all();
  if (redraw_.joinable()) redraw_.join();
}

void ApplyProgress::Redraw() {
  std::vector<std::string> lines = plan::apply::BoardLines(board_, Clock::now() - start_, width_);
  if (drawn_ > 0 && lines == shown_) return;  // nothing moved since the last drawing
  std::string text;
  // Back to the first line of the block, then each line cleared and drawn.
  if (drawn_ > 0) text += fmt::format("\x1b[{}F", drawn_);
  for (const auto& line : lines) text += "\x1b[2K" + line + "\n";
  drawn_ = lines.size();
  shown_ = std::move(lines);
  fmt::print(out_, "{}", text);
  std::fflush(out_);
}

void ApplyProgress::RedrawLoop() {
  std::unique_lock<std::mutex> hold(mutex_);
  while (!finished_) {
    wake_.wait_for(hold, kRedrawEvery, [this] { return finished_; });
    if (!finished_) Redraw();
  }
}

}  // namespace nest
