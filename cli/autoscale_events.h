// What `nest autoscale` says, one event per service and sample (or per
// problem): text lines for people, JSON lines with --json (docs/autoscale.md).
#pragma once

#include <optional>
#include <string>

namespace nest {

struct AutoscaleEvent {
  std::string time;     // RFC 3339, this machine's clock
  // scaled: the count was changed; would-scale: --dry-run; hold: no change
  // needed; skipped: a change was due but not made (the stack is locked, the
  // engine refused); gone: the service was removed; error: nothing could be
  // read (the daemon went away), or a policy is unreadable; idle: the stack
  // has no service with a policy (said once, until one appears).
  std::string event;
  std::string service;  // "shop_web"; "" for a stack-wide error
  std::string address;  // "service.web"
  int from = 0;
  int to = 0;
  std::optional<double> cpu;     // percent, averaged over the measured tasks
  std::optional<double> memory;  // percent
  int tasks = 0;                 // tasks measured
  std::string reason;
};

// "2026-12-04T19:30:01Z shop_web: scaled 2 -> 4: cpu 96% > 50% for 10s
// (cpu 96%, memory 3%, 2 tasks)"
std::string AutoscaleEventText(const AutoscaleEvent& event);
// {"time":...,"event":"scaled","service":...,"address":...,"from":2,"to":4,
// "cpu":96.1,"memory":3.2,"tasks":2,"reason":...} and a newline.
std::string AutoscaleEventJson(const AutoscaleEvent& event);

}  // namespace nest
