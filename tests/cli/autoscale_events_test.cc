// `nest autoscale`'s events as text and JSON lines.
#include "cli/autoscale_events.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace nest {
namespace {

AutoscaleEvent Scaled() {
  return {.time = "2026-12-04T19:30:01.000Z", .event = "scaled", .service = "shop_web", .address = "service.web",
          .from = 2, .to = 4, .cpu = 96.04, .memory = 3.2, .tasks = 2, .reason = "cpu 96% > 50% for 10s"};
}

TEST(AutoscaleEvents, TextSaysWhatChangedAndWhy) {
  EXPECT_EQ(AutoscaleEventText(Scaled()),
            "2026-12-04T19:30:01.000Z shop_web: scaled 2 -> 4: cpu 96% > 50% for 10s (cpu 96%, memory 3.2%, 2 tasks)\n");
  AutoscaleEvent hold = Scaled();
  hold.event = "hold";
  hold.to = 2;
  hold.memory.reset();
  hold.tasks = 1;
  hold.reason = "cpu 40%: within the thresholds";
  EXPECT_EQ(AutoscaleEventText(hold),
            "2026-12-04T19:30:01.000Z shop_web: hold 2: cpu 40%: within the thresholds (cpu 96%, 1 task)\n");
  AutoscaleEvent error{.time = "t", .event = "error", .reason = "cannot reach the Docker Engine"};
  EXPECT_EQ(AutoscaleEventText(error), "t nest autoscale: error: cannot reach the Docker Engine\n");
}

TEST(AutoscaleEvents, JsonLinesCarryTheMetricsAndCounts) {
  std::string line = AutoscaleEventJson(Scaled());
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  nlohmann::json j = nlohmann::json::parse(line);
  EXPECT_EQ(j["event"], "scaled");
  EXPECT_EQ(j["service"], "shop_web");
  EXPECT_EQ(j["from"], 2);
  EXPECT_EQ(j["to"], 4);
  EXPECT_EQ(j["cpu"], 96.0);
  EXPECT_EQ(j["tasks"], 2);
  nlohmann::json gone = nlohmann::json::parse(AutoscaleEventJson({.event = "gone", .service = "shop_web"}));
  EXPECT_FALSE(gone.contains("from"));
}

}  // namespace
}  // namespace nest
