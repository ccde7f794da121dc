#include "planner/apply/executor.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <set>
#include <thread>

namespace nest::plan::apply {
namespace {

// How often an idle worker looks at the stop flag: a signal handler can set
// it but cannot wake a condition variable.
constexpr auto kStopPoll = std::chrono::milliseconds(20);

// Calls one phase of a step, turning an exception into a failure.
StepOutcome Call(const StepFunction& phase, const Step& step) {
  try {
    return phase(step);
  } catch (const std::exception& e) {
    return StepOutcome::Failed(e.what());
  } catch (...) {
    return StepOutcome::Failed("the step threw something that is not an exception");
  }
}

class Executor {
 public:
  Executor(const Walk& walk, const StepPhases& phases, const ExecutorOptions& options)
      : walk_(walk), phases_(phases), options_(options) {
    const std::size_t n = walk.steps.size();
    pending_.resize(n);
    dependents_.resize(n);
    settled_.assign(n, false);
    report_.results.resize(n);
    for (const auto& step : walk.steps) {
      pending_[step.id] = step.depends_on.size();
      for (std::size_t dependency : step.depends_on) dependents_[dependency].push_back(step.id);
      if (step.depends_on.empty()) ready_.insert(step.id);
    }
  }

  WalkReport Run() {
    start_ = Clock::now();
    std::size_t threads = std::min<std::size_t>(std::max(options_.parallelism, 1), walk_.steps.size());
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i) pool.emplace_back([this] { Work(); });
    for (auto& thread : pool) thread.join();
    // The pool ends only when no wait runs, so no waiter is added now; the
    // last ones may still be reporting their step's end.
    for (auto& thread : waiters_) thread.join();
    for (const auto& step : walk_.steps) {
      if (settled_[step.id]) continue;
      report_.stopped = true;
      WalkEvent event;
      event.type = WalkEvent::Type::kNotStarted;
      event.step = &step;
      Emit(event);
    }
    report_.elapsed = Clock::now() - start_;
    return std::move(report_);
  }

 private:
  bool Stopping() const { return options_.stop != nullptr && options_.stop->load(); }
  // Nothing runs and nothing more may start: every step is settled, or the
  // stop flag holds the rest back.
  bool Done() const { return running_ == 0 && waiting_ == 0 && (ready_.empty() || Stopping()); }

  void Emit(WalkEvent& event) {
    if (!options_.on_event) return;
    event.elapsed = Clock::now() - start_;
    std::lock_guard<std::mutex> lock(events_mutex_);
    options_.on_event(event);
  }

  // A pool thread: takes ready steps (lowest first) and runs their
  // requests. A step with a wait goes on to a thread of its own, so this
  // one is free for the next request.
  void Work() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      wake_.wait_for(lock, kStopPoll, [this] { return Done() || (!ready_.empty() && !Stopping()); });
      if (Done()) break;
      if (ready_.empty() || Stopping()) continue;
      std::size_t id = *ready_.begin();
      ready_.erase(ready_.begin());
      ++running_;
      report_.max_running = std::max(report_.max_running, running_);
      lock.unlock();

      const Step& step = walk_.steps[id];
      Clock::time_point begin = Clock::now();
      WalkEvent started;
      started.type = WalkEvent::Type::kStarted;
      started.step = &step;
      Emit(started);
      StepOutcome outcome = Call(phases_.request, step);
      if (outcome.ok && phases_.wait) {
        lock.lock();
        --running_;
        ++waiting_;
        report_.max_waiting = std::max(report_.max_waiting, waiting_);
        waiters_.emplace_back([this, &step, begin] {
          StepOutcome waited = Call(phases_.wait, step);
          Settle(step, waited, begin, waiting_);
        });
        wake_.notify_all();
        continue;
      }
      Settle(step, outcome, begin, running_);
      lock.lock();
    }
    wake_.notify_all();
  }

  // Reports the end of `step` (begun at `begin`), makes its dependents ready
  // or skips them, and counts it out of `phase` (running_ or waiting_) last,
  // so the walk cannot end before the skips are reported. Called without
  // the lock held.
  void Settle(const Step& step, const StepOutcome& outcome, Clock::time_point begin, int& phase) {
    Clock::time_point end = Clock::now();
    WalkEvent finished;
    finished.type = outcome.ok ? WalkEvent::Type::kSucceeded : WalkEvent::Type::kFailed;
    finished.step = &step;
    finished.error = outcome.error;
    finished.duration = end - begin;
    // Before the dependents become ready: their start follows this event.
    Emit(finished);

    std::vector<std::size_t> skipped;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      settled_[step.id] = true;
      StepResult& result = report_.results[step.id];
      result.status = outcome.ok ? StepStatus::kSucceeded : StepStatus::kFailed;
      result.error = outcome.error;
      result.started = begin - start_;
      result.duration = end - begin;
      if (outcome.ok) {
        for (std::size_t dependent : dependents_[step.id]) {
          if (--pending_[dependent] == 0 && !settled_[dependent]) ready_.insert(dependent);
        }
      } else {
        skipped = SkipDependents(step.id);
      }
    }
    wake_.notify_all();
    for (std::size_t s : skipped) {
      WalkEvent event;
      event.type = WalkEvent::Type::kSkipped;
      event.step = &walk_.steps[s];
      event.waited_on = &step;
      Emit(event);
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      --phase;
    }
    wake_.notify_all();
  }

  std::vector<std::size_t> SkipDependents(std::size_t failed) {
    std::vector<std::size_t> skipped;
    std::deque<std::size_t> queue(dependents_[failed].begin(), dependents_[failed].end());
    while (!queue.empty()) {
      std::size_t id = queue.front();
      queue.pop_front();
      if (settled_[id]) continue;  // skipped already, by another failure
      settled_[id] = true;
      report_.results[id].status = StepStatus::kSkipped;
      report_.results[id].waited_on = failed;
      skipped.push_back(id);
      for (std::size_t dependent : dependents_[id]) queue.push_back(dependent);
    }
    std::sort(skipped.begin(), skipped.end());
    return skipped;
  }

  const Walk& walk_;
  const StepPhases& phases_;
  const ExecutorOptions& options_;
  Clock::time_point start_;

  std::mutex mutex_;  // guards everything below but events_mutex_
  std::condition_variable wake_;
  std::vector<std::size_t> pending_;  // unfinished dependencies per step
  std::vector<std::vector<std::size_t>> dependents_;
  std::vector<bool> settled_;   // succeeded, failed or skipped
  std::set<std::size_t> ready_;  // lowest id first: the walk's order
  int running_ = 0;              // requests running
  int waiting_ = 0;              // waits running
  std::vector<std::thread> waiters_;
  WalkReport report_;

  std::mutex events_mutex_;  // one event at a time
};

}  // namespace

const char* StepStatusName(StepStatus status) {
  switch (status) {
    case StepStatus::kSucceeded: return "succeeded";
    case StepStatus::kFailed: return "failed";
    case StepStatus::kSkipped: return "skipped";
    case StepStatus::kNotStarted: return "not_started";
  }
  return "not_started";
}

const char* EventTypeName(WalkEvent::Type type) {
  switch (type) {
    case WalkEvent::Type::kStarted: return "step_started";
    case WalkEvent::Type::kSucceeded: return "step_succeeded";
    case WalkEvent::Type::kFailed: return "step_failed";
    case WalkEvent::Type::kSkipped: return "step_skipped";
    case WalkEvent::Type::kNotStarted: return "step_not_started";
  }
  return "step_started";
}

bool WalkReport::Succeeded() const {
  return std::all_of(results.begin(), results.end(),
                     [](const StepResult& r) { return r.status == StepStatus::kSucceeded; });
}

WalkReport RunWalk(const Walk& walk, const StepPhases& phases, const ExecutorOptions& options) {
  return Executor(walk, phases, options).Run();
}

WalkReport RunWalk(const Walk& walk, const StepFunction& run, const ExecutorOptions& options) {
  return RunWalk(walk, StepPhases{run, nullptr}, options);
}

}  // namespace nest::plan::apply
