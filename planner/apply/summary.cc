#include "planner/apply/summary.h"

#include <fmt/format.h>

namespace nest::plan::apply {
namespace {

std::string Steps(int n, const char* what) { return fmt::format("{} step{} {}", n, n == 1 ? "" : "s", what); }

}  // namespace

ApplyCounts CountSteps(const Walk& walk, const WalkReport& report) {
  ApplyCounts counts;
  for (const auto& step : walk.steps) {
    const StepResult& result = report.results.at(step.id);
    switch (result.status) {
      case StepStatus::kSucceeded:
        if (step.operation == Operation::kCreate) ++counts.added;
        if (step.operation == Operation::kUpdate) ++counts.changed;
        if (step.operation == Operation::kDelete) ++counts.destroyed;
        break;
      case StepStatus::kFailed: ++counts.failed; break;
      case StepStatus::kSkipped: ++counts.skipped; break;
      case StepStatus::kNotStarted: ++counts.not_started; break;
    }
  }
  return counts;
}

const char* ApplyOutcome(const WalkReport& report) {
  bool failed = false;
  for (const auto& result : report.results) failed = failed || result.status == StepStatus::kFailed;
  if (failed) return "failed";
  return report.Succeeded() ? "complete" : "stopped";
}

std::string ResourcesLine(const ApplyCounts& counts) {
  return fmt::format("Resources: {} added, {} changed, {} destroyed.", counts.added, counts.changed,
                     counts.destroyed);
}

std::vector<std::string> ProblemLines(const Walk& walk, const WalkReport& report) {
  std::vector<std::string> lines;
  for (const auto& step : walk.steps) {
    const StepResult& result = report.results.at(step.id);
    switch (result.status) {
      case StepStatus::kSucceeded: break;
      case StepStatus::kFailed: lines.push_back(fmt::format("{} failed: {}", DescribeStep(step), result.error)); break;
      case StepStatus::kSkipped:
        lines.push_back(fmt::format("{} skipped: it waited on {}, which failed", DescribeStep(step),
                                    result.waited_on ? DescribeStep(walk.steps.at(*result.waited_on)) : "a step"));
        break;
      case StepStatus::kNotStarted:
        lines.push_back(fmt::format("{} not started: the apply was stopped", DescribeStep(step)));
        break;
    }
  }
  return lines;
}

std::string RenderApplySummary(const Walk& walk, const WalkReport& report) {
  ApplyCounts counts = CountSteps(walk, report);
  if (report.Succeeded()) return "Apply complete! " + ResourcesLine(counts) + "\n";
  std::vector<std::string> parts;
  if (counts.failed > 0) parts.push_back(Steps(counts.failed, "failed"));
  if (counts.skipped > 0) parts.push_back(fmt::format("{} skipped", counts.skipped));
  if (counts.not_started > 0) parts.push_back(fmt::format("{} not started (stopped)", counts.not_started));
  std::string text = fmt::format("Apply failed: {}.\n", fmt::join(parts, ", "));
  for (const auto& line : ProblemLines(walk, report)) text += "  " + line + "\n";
  text += ResourcesLine(counts) + "\n";
  return text;
}

}  // namespace nest::plan::apply
