#include "providers/deploy_strategy.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string_view>

#include <nlohmann/json.hpp>

#include "compiler/compose_syntax/duration.h"

namespace nest::providers {
namespace {

constexpr std::string_view kPrefix = "nest.deploy.";
constexpr std::string_view kAnalysisPrefix = "nest.deploy.analysis.";

Error Bad(const std::string& label, const std::string& value, const std::string& what) {
  return Error{fmt::format("label {}: `{}` is not {}", label, value, what)};
}

// "30s", "1m30s" (what the compiler writes) -> milliseconds.
Result<std::chrono::milliseconds> Duration(const std::string& label, const std::string& value) {
  auto parsed = compose_syntax::ParseDuration(value);
  if (!parsed.ok() || parsed.value() < 0) return Bad(label, value, "a duration");
  return std::chrono::milliseconds(parsed.value() / 1'000'000);
}

// "10%" or "10" -> 10.
Result<double> Percent(const std::string& label, std::string value) {
  if (!value.empty() && value.back() == '%') value.pop_back();
  try {
    std::size_t used = 0;
    double number = std::stod(value, &used);
    if (used != value.size() || !(number >= 0 && number <= 100)) return Bad(label, value, "a percentage");
    return number;
  } catch (const std::logic_error&) {
    return Bad(label, value, "a percentage");
  }
}

Result<std::vector<double>> Steps(const std::string& label, const std::string& value) {
  std::vector<double> steps;
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t comma = value.find(',', start);
    if (comma == std::string::npos) comma = value.size();
    auto step = Percent(label, value.substr(start, comma - start));
    if (!step.ok()) return Bad(label, value, "a list of percentages");
    if (!steps.empty() && step.value() <= steps.back()) return Bad(label, value, "a list of ascending percentages");
    steps.push_back(step.value());
    start = comma + 1;
  }
  return steps;
}

Status ReadAnalysis(const std::string& label, const std::string& value, AnalysisSettings& analysis) {
  const std::string key = label.substr(kAnalysisPrefix.size());
  if (key == "window" || key == "max_latency") {
    auto duration = Duration(label, value);
    if (!duration.ok()) return duration.error();
    (key == "window" ? analysis.window : analysis.max_latency) = duration.value();
  } else if (key == "min_healthy" || key == "max_error_rate") {
    auto percent = Percent(label, value);
    if (!percent.ok()) return percent.error();
    (key == "min_healthy" ? analysis.min_healthy : analysis.max_error_rate) = percent.value();
  } else if (key == "query") {
    analysis.query = value;
  } else if (key == "prometheus") {
    analysis.prometheus = value;
  } else {
    analysis.unknown.push_back(key + "=" + value);
  }
  return Done{};
}

}  // namespace

const char* StrategyName(StrategyKind kind) {
  switch (kind) {
    case StrategyKind::kRolling: return "rolling";
    case StrategyKind::kCanary: return "canary";
    case StrategyKind::kBlueGreen: return "blue-green";
  }
  return "rolling";
}

Result<DeployStrategy> StrategyFromLabels(const nlohmann::json& labels) {
  DeployStrategy strategy;
  if (!labels.is_object()) return strategy;
  for (const auto& [label, raw] : labels.items()) {
    if (label.rfind(kPrefix, 0) != 0 || !raw.is_string()) continue;
    const std::string value = raw.get<std::string>();
    if (label.rfind(kAnalysisPrefix, 0) == 0) {
      if (!strategy.analysis) strategy.analysis.emplace();
      if (Status read = ReadAnalysis(label, value, *strategy.analysis); !read.ok()) return read.error();
      continue;
    }
    const std::string key = label.substr(kPrefix.size());
    if (key == "strategy") {
      if (value == "canary") strategy.kind = StrategyKind::kCanary;
      else if (value == "blue-green") strategy.kind = StrategyKind::kBlueGreen;
      else if (value == "rolling") strategy.kind = StrategyKind::kRolling;
      else return Bad(label, value, "rolling, canary or blue-green");
    } else if (key == "steps") {
      auto steps = Steps(label, value);
      if (!steps.ok()) return steps.error();
      strategy.steps = std::move(steps.value());
    } else if (key == "pause" || key == "verify" || key == "keep_previous") {
      auto duration = Duration(label, value);
      if (!duration.ok()) return duration.error();
      (key == "pause" ? strategy.pause : key == "verify" ? strategy.verify : strategy.keep_previous) =
          duration.value();
    }
    // Other nest.deploy.* labels (nest.deploy.timeout is read by the CLI)
    // are not the strategy's.
  }
  // A canary without steps goes straight to the whole set: one step.
  if (strategy.kind == StrategyKind::kCanary && strategy.steps.empty()) strategy.steps = {100};
  return strategy;
}

int CanaryReplicas(int stable, double percent) {
  if (percent >= 100) return std::max(stable, 0);
  int replicas = static_cast<int>(std::ceil(std::max(stable, 0) * percent / (100.0 - percent) - 1e-9));
  return std::max(replicas, 1);
}

}  // namespace nest::providers
