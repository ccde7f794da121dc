// `nest autoscale` against the real engine, through the built binary, on a
// service that burns CPU (a busybox shell loop) under a 0.5-core limit:
// --dry-run decides and changes nothing; the autoscaler scales it up within
// 60 s of the load starting and never above max; once the load stops (a
// file in a bind-mounted folder the loop checks) it scales down only after
// the cooldown and never below min; a service removed mid-run is an event,
// not a crash. The times are printed.
//
// The machine may be busy (shared cores), so the thresholds are low: the
// loop uses whatever CPU it gets, the idle task (sleep) none at all.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "test_paths.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/run_command.h"

namespace nest {
namespace {

using std::chrono::seconds;
using std::chrono::steady_clock;

constexpr int kCooldownSeconds = 12;

std::string Source(const std::string& stack, const std::string& control_dir) {
  return R"(stack ")" + stack + R"(" {}

service "burn" {
  image         = "nest-test/busybox:1"
  command       = ["sh", "-c", "while [ ! -f /ctl/stop ]; do i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; done; exec sleep 100000"]
  endpoint_mode = dnsrr

  resources {
    cpus = 0.5
  }

  mount {
    source    = ")" + control_dir + R"("
    target    = "/ctl"
    read_only = true
  }

  security {
    stop_grace_period = 1s
  }

  autoscale {
    min             = 1
    max             = 2
    cpu             = 10%
    cpu_down        = 3%
    scale_up_window = 3s
    cooldown        = )" + std::to_string(kCooldownSeconds) + R"(s
  }
}
)";
}

// Seconds since the epoch of "2026-12-04T19:30:01.123Z".
double EventSeconds(const std::string& time) {
  std::tm tm{};
  double fraction = 0;
  if (sscanf(time.c_str(), "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
             &tm.tm_sec) != 6) {
    return 0;
  }
  if (auto dot = time.find('.'); dot != std::string::npos) fraction = std::atof(("0" + time.substr(dot, 4)).c_str());
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<double>(timegm(&tm)) + fraction;
}

std::vector<nlohmann::json> Events(const std::string& path) {
  std::vector<nlohmann::json> events;
  std::istringstream lines(testing::ReadFileText(path));
  for (std::string line; std::getline(lines, line);) {
    nlohmann::json event = nlohmann::json::parse(line, nullptr, false);
    if (!event.is_discarded()) events.push_back(event);
  }
  return events;
}

class AutoscaleEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = test_support::UniqueName("autoscale");
    cleanup_.emplace(stack_);
    control_ = dir_.path() + "/ctl";
    dir_.Write("ctl/.keep", "");
    dir_.Write("src/stack.nest", Source(stack_, control_));
  }
  void TearDown() override {
    if (!pid_.empty()) testing::RunCommand("kill -INT " + pid_ + " 2>/dev/null; sleep 1; kill -9 " + pid_ + " 2>/dev/null");
    for (const char* prefix : {"nest-lock-", "nest-rev-", "nest-autoscale-"}) {
      testing::RunCommand(std::string("docker config ls -q --filter name=") + prefix + stack_ +
                          " | xargs -r docker config rm >/dev/null 2>&1");
    }
  }

  testing::CommandResult Nest(const std::string& args) {
    return testing::RunCommand("cd '" + dir_.path() + "' && '" NEST_BINARY "' " + args + " </dev/null");
  }

  int Replicas() {
    auto r = testing::RunCommand("docker service inspect --format '{{.Spec.Mode.Replicated.Replicas}}' " + stack_ +
                                 "_burn");
    return r.exit_code == 0 ? std::atoi(r.out.c_str()) : -1;
  }

  // Polls until the replica count is `want`; false after `limit`.
  bool WaitForReplicas(int want, steady_clock::duration limit) {
    auto until = steady_clock::now() + limit;
    while (steady_clock::now() < until) {
      if (Replicas() == want) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    return false;
  }

  bool Running() { return !pid_.empty() && testing::RunCommand("kill -0 " + pid_).exit_code == 0; }

  std::string stack_;
  std::string control_;
  std::string pid_;
  testing::TempDir dir_;
  std::optional<test_support::StackCleanup> cleanup_;
};

TEST_F(AutoscaleEngineTest, ScalesUpUnderLoadAndDownAfterTheCooldownWithinBounds) {
  NEST_REQUIRE_SWARM();
  auto applied = Nest("apply src --auto-approve");
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  const auto load_started = steady_clock::now();  // the task burns from its start: at the latest now
  ASSERT_EQ(Replicas(), 1);

  // --dry-run: decides (a would-scale once the window has passed) and changes nothing.
  auto dry = testing::RunCommand("cd '" + dir_.path() + "' && { '" NEST_BINARY
                                 "' autoscale src --dry-run --interval 1s --json </dev/null & pid=$!; sleep 9; "
                                 "kill -INT $pid; wait $pid; }");
  EXPECT_EQ(dry.exit_code, 0) << dry.out << dry.err;
  EXPECT_NE(dry.out.find("\"event\":\"would-scale\""), std::string::npos) << dry.out;
  EXPECT_EQ(dry.out.find("\"event\":\"scaled\""), std::string::npos) << dry.out;
  EXPECT_EQ(Replicas(), 1);

  const std::string log = dir_.path() + "/events.jsonl";
  // `{ ... & echo $!; }`: $! is nest's own pid (a backgrounded `cd && nest` would be a subshell's).
  auto started = testing::RunCommand("cd '" + dir_.path() + "' && { '" NEST_BINARY "' autoscale src --interval 2s --json >'" +
                                     log + "' 2>&1 </dev/null & echo $!; }");
  ASSERT_EQ(started.exit_code, 0) << started.err;
  pid_ = started.out.substr(0, started.out.find('\n'));
  const auto autoscaler_started = steady_clock::now();

  ASSERT_TRUE(WaitForReplicas(2, seconds(60))) << testing::ReadFileText(log);
  const double up_after = std::chrono::duration<double>(steady_clock::now() - load_started).count();
  const double up_after_start = std::chrono::duration<double>(steady_clock::now() - autoscaler_started).count();
  EXPECT_LT(up_after, 60.0);

  // Stop the load; the scale-down waits for the cooldown since the scale-up.
  dir_.Write("ctl/stop", "");
  const auto load_stopped = steady_clock::now();
  ASSERT_TRUE(WaitForReplicas(1, seconds(60))) << testing::ReadFileText(log);
  const double down_after = std::chrono::duration<double>(steady_clock::now() - load_stopped).count();

  double scaled_up_at = 0, scaled_down_at = 0;
  for (const auto& event : Events(log)) {
    if (event.contains("to")) {
      EXPECT_LE(event["to"].get<int>(), 2) << event.dump();  // never above max
      EXPECT_GE(event["to"].get<int>(), 1) << event.dump();  // never below min
    }
    if (event["event"] != "scaled") continue;
    if (event["to"] == 2 && scaled_up_at == 0) scaled_up_at = EventSeconds(event["time"]);
    if (event["to"] == 1) scaled_down_at = EventSeconds(event["time"]);
  }
  ASSERT_GT(scaled_up_at, 0) << testing::ReadFileText(log);
  ASSERT_GT(scaled_down_at, 0) << testing::ReadFileText(log);
  EXPECT_GE(scaled_down_at - scaled_up_at, kCooldownSeconds) << testing::ReadFileText(log);
  std::printf("[ autoscale ] scaled up %.1f s after the load started (limit 60 s; %.1f s after the autoscaler "
              "started, window 3 s); scaled down %.1f s after it stopped, %.1f s after the scale-up (cooldown %d s)\n",
              up_after, up_after_start, down_after, scaled_down_at - scaled_up_at, kCooldownSeconds);

  // nest status shows the policy and the last change.
  auto status = Nest("status src");
  EXPECT_NE(status.out.find("service.burn: last scale 2 -> 1 at "), std::string::npos) << status.out;

  // The service removed mid-run: a `gone` event, and the autoscaler keeps running.
  ASSERT_EQ(testing::RunCommand("docker service rm " + stack_ + "_burn").exit_code, 0);
  auto until = steady_clock::now() + seconds(20);
  while (steady_clock::now() < until && testing::ReadFileText(log).find("\"event\":\"gone\"") == std::string::npos) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  EXPECT_NE(testing::ReadFileText(log).find("\"event\":\"gone\""), std::string::npos) << testing::ReadFileText(log);
  EXPECT_TRUE(Running());
  testing::RunCommand("kill -INT " + pid_);
  until = steady_clock::now() + seconds(10);
  while (steady_clock::now() < until && Running()) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(Running());
  pid_.clear();
}

}  // namespace
}  // namespace nest
