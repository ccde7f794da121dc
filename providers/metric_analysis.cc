#include "providers/metric_analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace nest::providers {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kDefaultWindow{10'000};

// `service` as a PromQL string literal's content.
std::string Quoted(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  return out;
}

// "7.5", "10", "0.333", "994": three significant digits, and whole numbers
// from 100 up (no exponent for the ranges checks meet: percentages,
// milliseconds).
std::string Number(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (std::fabs(value) >= 99.95) return fmt::format("{:.0f}", value);
  return fmt::format("{:.3g}", value);
}

// 0.75 s -> "750ms", 1.5 s -> "1.5s".
std::string Latency(double seconds) {
  if (std::isinf(seconds)) return Number(seconds);
  return seconds < 1 ? Number(seconds * 1000) + "ms" : Number(seconds) + "s";
}

}  // namespace

MetricAnalysis::MetricAnalysis(AnalysisSettings settings, std::string service, QueryFunction query)
    : settings_(std::move(settings)), service_(std::move(service)), query_(std::move(query)) {
  if (!settings_.HasMetricChecks()) return;
  if (!query_) query_ = PrometheusQueryFunction(settings_.prometheus);
  const milliseconds window = settings_.window.value_or(kDefaultWindow);
  // Whole seconds, at least one: a PromQL range is a duration literal.
  const long long range = std::max<long long>(1, (window.count() + 999) / 1000);
  const std::string set = fmt::format("service=\"{}\"", Quoted(service_));
  if (!settings_.query.empty()) checks_.push_back({CheckKind::kQuery, settings_.query});
  if (settings_.max_error_rate) {
    // No 5xx series yet is no errors (`or vector(0)`); no requests at all is
    // 0/0 = NaN or nothing: inconclusive.
    checks_.push_back(
        {CheckKind::kMaxErrorRate,
         fmt::format("(sum(increase(http_requests_total{{{0},code=~\"5..\"}}[{1}s])) or vector(0))"
                     " / sum(increase(http_requests_total{{{0}}}[{1}s]))",
                     set, range)});
  }
  if (settings_.max_latency) {
    checks_.push_back(
        {CheckKind::kMaxLatency,
         fmt::format("histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{{{}}}[{}s])))",
                     set, range)});
  }
}

milliseconds MetricAnalysis::interval() const {
  const milliseconds window = settings_.window.value_or(kDefaultWindow);
  return std::clamp(window / 5, milliseconds(1000), milliseconds(30'000));
}

std::vector<std::string> MetricAnalysis::Queries() const {
  std::vector<std::string> queries;
  for (const Check& check : checks_) queries.push_back(check.promql);
  return queries;
}

std::string MetricAnalysis::Name(const Check& check) const {
  switch (check.kind) {
    case CheckKind::kQuery: return fmt::format("query `{}`", check.promql);
    case CheckKind::kMaxErrorRate: return "max_error_rate";
    case CheckKind::kMaxLatency: return "max_latency";
  }
  return "metric check";
}

Status MetricAnalysis::Sample() {
  for (Check& check : checks_)
    if (Status judged = Evaluate(check); !judged.ok()) return judged;
  return Done{};
}

Status MetricAnalysis::Evaluate(Check& check) {
  QueryResult result = query_(check.promql);
  if (!result.ok()) {
    const QueryFailure& failure = result.error();
    if (!failure.endpoint_error) return Error{fmt::format("{}: {}", Name(check), failure.message)};
    if (++check.errors_in_a_row > settings_.error_limit)
      return Error{fmt::format("{}: Prometheus failed {} times in a row (error_limit {}): {}", Name(check),
                               check.errors_in_a_row, settings_.error_limit, failure.message)};
    return Done{};
  }
  check.errors_in_a_row = 0;

  const std::vector<double>& values = result.value().values;
  const bool nan = std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); });
  if (values.empty() || nan) {
    check.last_inconclusive = values.empty() ? "nothing" : "NaN";
    if (++check.inconclusive_in_a_row > settings_.inconclusive_limit)
      return Error{fmt::format("{}: inconclusive {} times in a row (inconclusive_limit {}): the query returned {}",
                               Name(check), check.inconclusive_in_a_row, settings_.inconclusive_limit,
                               check.last_inconclusive)};
    return Done{};
  }
  check.inconclusive_in_a_row = 0;
  check.conclusive_this_step = true;

  switch (check.kind) {
    case CheckKind::kQuery:
      for (double value : values)
        if (value != 1) return Error{fmt::format("{} returned {}", Name(check), Number(value))};
      return Done{};
    case CheckKind::kMaxErrorRate: {
      const double percent = values.front() * 100;
      if (percent > *settings_.max_error_rate)
        return Error{fmt::format("max_error_rate: {}% > {}%", Number(percent), Number(*settings_.max_error_rate))};
      return Done{};
    }
    case CheckKind::kMaxLatency: {
      const double seconds = values.front();
      const double limit = static_cast<double>(settings_.max_latency->count()) / 1000.0;
      if (seconds > limit) return Error{fmt::format("max_latency: p99 {} > {}", Latency(seconds), Latency(limit))};
      return Done{};
    }
  }
  return Done{};
}

Status MetricAnalysis::Conclude() {
  Status verdict = Done{};
  for (Check& check : checks_) {
    if (!check.conclusive_this_step && verdict.ok()) {
      std::string why = check.last_inconclusive.empty() ? "" : " (the query returned " + check.last_inconclusive + ")";
      verdict = Error{fmt::format("{}: no conclusive result during the window{}", Name(check), why)};
    }
    // The counts in a row go on: an outage across two steps is one outage.
    check.conclusive_this_step = false;
    check.last_inconclusive.clear();
  }
  return verdict;
}

}  // namespace nest::providers
