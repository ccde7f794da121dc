#include "planner/autoscale/policy.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "compiler/syntax/literals.h"

namespace nest::plan::autoscale {
namespace {

constexpr const char* kPrefix = "nest.autoscale.";

using Labels = std::map<std::string, std::string>;

const std::string* Find(const Labels& labels, const std::string& name) {
  auto it = labels.find(kPrefix + name);
  return it == labels.end() ? nullptr : &it->second;
}

Error Malformed(const std::string& name, const std::string& text, const char* expected) {
  return Error{fmt::format("the label {}{} is `{}`, not {}", kPrefix, name, text, expected)};
}

// Each reader leaves `out` alone when the label is absent.
Status ReadCount(const Labels& labels, const std::string& name, std::optional<int>& out) {
  const std::string* text = Find(labels, name);
  if (text == nullptr) return Done{};
  int n = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (error != std::errc() || end != text->data() + text->size() || n < 0) {
    return Malformed(name, *text, "a whole number");
  }
  out = n;
  return Done{};
}

Status ReadPercent(const Labels& labels, const std::string& name, std::optional<double>& out) {
  const std::string* text = Find(labels, name);
  if (text == nullptr) return Done{};
  auto parsed = ParsePercentText(*text);
  if (!parsed.ok()) return Malformed(name, *text, "a percentage such as 70%");
  out = *parsed.value;
  return Done{};
}

Status ReadDuration(const Labels& labels, const std::string& name, std::chrono::nanoseconds& out) {
  const std::string* text = Find(labels, name);
  if (text == nullptr) return Done{};
  auto parsed = ParseDurationText(*text);
  if (!parsed.ok() || *parsed.value < 0) return Malformed(name, *text, "a duration such as 60s");
  out = std::chrono::nanoseconds(*parsed.value);
  return Done{};
}

std::string Threshold(const char* metric, const std::optional<double>& up, const std::optional<double>& down) {
  if (!up && !down) return "";
  std::string text = fmt::format("; {}", metric);
  if (up) text += " > " + PercentText(*up);
  if (down) text += fmt::format("{}down < {}{}", up ? " (" : " ", PercentText(*down), up ? ")" : "");
  return text;
}

}  // namespace

Result<std::optional<Policy>> PolicyFromLabels(const Labels& labels) {
  if (Find(labels, "min") == nullptr) return std::optional<Policy>{};
  Policy policy;
  std::optional<int> min, max;
  for (Status read : {ReadCount(labels, "min", min), ReadCount(labels, "max", max),
                      ReadPercent(labels, "cpu", policy.cpu), ReadPercent(labels, "cpu_down", policy.cpu_down),
                      ReadPercent(labels, "memory", policy.memory),
                      ReadPercent(labels, "memory_down", policy.memory_down),
                      ReadCount(labels, "requests_per_replica", policy.requests_per_replica),
                      ReadDuration(labels, "scale_up_window", policy.scale_up_window),
                      ReadDuration(labels, "cooldown", policy.cooldown)}) {
    if (!read.ok()) return read.error();
  }
  if (!max) return Error{fmt::format("the label {}min is set but {}max is missing", kPrefix, kPrefix)};
  if (*min > *max) return Error{fmt::format("the autoscale policy's min {} is above its max {}", *min, *max)};
  policy.min = *min;
  policy.max = *max;
  return std::optional<Policy>{policy};
}

std::string DurationText(std::chrono::nanoseconds duration) {
  using namespace std::chrono;
  if (duration.count() == 0) return "0s";
  if (duration < seconds(1)) return fmt::format("{}ms", duration_cast<milliseconds>(duration).count());
  long long s = duration_cast<seconds>(duration).count();
  std::string text;
  if (s >= 3600) text += fmt::format("{}h", s / 3600);
  if (s % 3600 >= 60) text += fmt::format("{}m", s % 3600 / 60);
  if (s % 60 != 0 || text.empty()) text += fmt::format("{}s", s % 60);
  return text;
}

std::string PercentText(double percent) {
  double rounded = std::round(percent * 10) / 10;
  return rounded == std::floor(rounded) ? fmt::format("{:.0f}%", rounded) : fmt::format("{:.1f}%", rounded);
}

std::string DescribePolicy(const Policy& policy) {
  std::string text = fmt::format("{}-{} replicas", policy.min, policy.max);
  text += Threshold("cpu", policy.cpu, policy.cpu_down);
  text += Threshold("memory", policy.memory, policy.memory_down);
  if (policy.requests_per_replica) text += fmt::format("; {} requests/s per replica (not measured)", *policy.requests_per_replica);
  text += fmt::format("; up after {}, cooldown {}", DurationText(policy.scale_up_window), DurationText(policy.cooldown));
  return text;
}

}  // namespace nest::plan::autoscale
