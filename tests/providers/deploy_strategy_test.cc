// The strategy apply reads back from a service's nest.deploy.* labels.
#include "providers/deploy_strategy.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace nest::providers {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

TEST(DeployStrategyTest, NoStrategyLabelIsRolling) {
  auto strategy = StrategyFromLabels(json{{"com.example", "x"}});
  ASSERT_TRUE(strategy.ok());
  EXPECT_EQ(strategy.value().kind, StrategyKind::kRolling);
  EXPECT_FALSE(strategy.value().analysis);
  EXPECT_EQ(StrategyFromLabels(json()).value().kind, StrategyKind::kRolling);
}

TEST(DeployStrategyTest, ACanaryWithStepsPauseAndAnalysis) {
  auto strategy = StrategyFromLabels(json{{"nest.deploy.strategy", "canary"},
                                          {"nest.deploy.steps", "10%,50%,100%"},
                                          {"nest.deploy.pause", "1m30s"},
                                          {"nest.deploy.analysis.window", "30s"},
                                          {"nest.deploy.analysis.min_healthy", "90%"},
                                          {"nest.deploy.analysis.max_error_rate", "1.5%"},
                                          {"nest.deploy.analysis.max_latency", "250ms"},
                                          {"nest.deploy.analysis.query", "up == 1"},
                                          {"nest.deploy.analysis.prometheus", "http://prom:9090"},
                                          {"nest.deploy.analysis.inconclusive_limit", "5"},
                                          {"nest.deploy.analysis.error_limit", "0"},
                                          {"nest.deploy.timeout", "5m"}});
  ASSERT_TRUE(strategy.ok()) << strategy.error().message;
  const DeployStrategy& s = strategy.value();
  EXPECT_EQ(s.kind, StrategyKind::kCanary);
  EXPECT_EQ(s.steps, (std::vector<double>{10, 50, 100}));
  EXPECT_EQ(s.pause, milliseconds(90000));
  ASSERT_TRUE(s.analysis);
  EXPECT_EQ(s.analysis->window, milliseconds(30000));
  EXPECT_EQ(s.analysis->min_healthy, 90);
  EXPECT_EQ(s.analysis->max_error_rate, 1.5);
  EXPECT_EQ(s.analysis->max_latency, milliseconds(250));
  EXPECT_EQ(s.analysis->query, "up == 1");
  EXPECT_EQ(s.analysis->prometheus, "http://prom:9090");
  EXPECT_EQ(s.analysis->inconclusive_limit, 5);
  EXPECT_EQ(s.analysis->error_limit, 0);
  EXPECT_TRUE(s.analysis->HasMetricChecks());
  EXPECT_TRUE(s.analysis->unknown.empty());
}

TEST(DeployStrategyTest, ACanaryWithoutStepsIsOneStepAndWithoutPauseAGate) {
  auto strategy = StrategyFromLabels(json{{"nest.deploy.strategy", "canary"}});
  ASSERT_TRUE(strategy.ok());
  EXPECT_EQ(strategy.value().steps, std::vector<double>{100});
  EXPECT_FALSE(strategy.value().pause);
}

TEST(DeployStrategyTest, BlueGreen) {
  auto strategy = StrategyFromLabels(json{{"nest.deploy.strategy", "blue-green"},
                                          {"nest.deploy.verify", "20s"},
                                          {"nest.deploy.keep_previous", "10m"}});
  ASSERT_TRUE(strategy.ok());
  EXPECT_EQ(strategy.value().kind, StrategyKind::kBlueGreen);
  EXPECT_EQ(strategy.value().verify, milliseconds(20000));
  EXPECT_EQ(strategy.value().keep_previous, milliseconds(600000));
  EXPECT_STREQ(StrategyName(strategy.value().kind), "blue-green");
}

TEST(DeployStrategyTest, UnsetLimitsAreTheDefaults) {
  auto strategy = StrategyFromLabels(json{{"nest.deploy.analysis.max_error_rate", "1%"}});
  ASSERT_TRUE(strategy.ok());
  EXPECT_EQ(strategy.value().analysis->inconclusive_limit, kDefaultInconclusiveLimit);
  EXPECT_EQ(strategy.value().analysis->error_limit, kDefaultErrorLimit);
}

TEST(DeployStrategyTest, BadLabelsAreErrorsNamingTheLabel) {
  EXPECT_EQ(StrategyFromLabels(json{{"nest.deploy.strategy", "big-bang"}}).error().message,
            "label nest.deploy.strategy: `big-bang` is not rolling, canary or blue-green");
  EXPECT_EQ(StrategyFromLabels(json{{"nest.deploy.steps", "10%,x"}}).error().message,
            "label nest.deploy.steps: `10%,x` is not a list of percentages");
  EXPECT_EQ(StrategyFromLabels(json{{"nest.deploy.steps", "50%,10%"}}).error().message,
            "label nest.deploy.steps: `50%,10%` is not a list of ascending percentages");
  EXPECT_EQ(StrategyFromLabels(json{{"nest.deploy.pause", "soon"}}).error().message,
            "label nest.deploy.pause: `soon` is not a duration");
  EXPECT_EQ(StrategyFromLabels(json{{"nest.deploy.analysis.min_healthy", "120%"}}).error().message,
            "label nest.deploy.analysis.min_healthy: `120` is not a percentage");
  EXPECT_EQ(StrategyFromLabels(json{{"nest.deploy.analysis.error_limit", "-1"}}).error().message,
            "label nest.deploy.analysis.error_limit: `-1` is not a whole number, at least 0");
  EXPECT_EQ(StrategyFromLabels(json{{"nest.deploy.analysis.inconclusive_limit", "2.5"}}).error().message,
            "label nest.deploy.analysis.inconclusive_limit: `2.5` is not a whole number, at least 0");
}

TEST(DeployStrategyTest, UnknownAnalysisLabelsAreKept) {
  auto strategy = StrategyFromLabels(json{{"nest.deploy.analysis.future", "7"}});
  ASSERT_TRUE(strategy.ok());
  EXPECT_EQ(strategy.value().analysis->unknown, std::vector<std::string>{"future=7"});
}

TEST(DeployStrategyTest, CanaryReplicasBesideAnUntouchedStableSetMakeTheShare) {
  // k = ceil(N * p / (100 - p)), at least one: k / (N + k) ~ p.
  EXPECT_EQ(CanaryReplicas(3, 10), 1);   // 1 of 4: 25%
  EXPECT_EQ(CanaryReplicas(3, 25), 1);   // 1 of 4: 25%
  EXPECT_EQ(CanaryReplicas(3, 50), 3);   // 3 of 6: 50%
  EXPECT_EQ(CanaryReplicas(3, 75), 9);   // 9 of 12: 75%
  EXPECT_EQ(CanaryReplicas(10, 10), 2);  // ceil(1.11): 2 of 12
  EXPECT_EQ(CanaryReplicas(9, 10), 1);   // exactly 1 of 10
  EXPECT_EQ(CanaryReplicas(4, 20), 1);   // exactly 1 of 5
  EXPECT_EQ(CanaryReplicas(1, 1), 1);    // at least one
  EXPECT_EQ(CanaryReplicas(0, 50), 1);
  EXPECT_EQ(CanaryReplicas(3, 100), 3);  // 100%: the promotion, the whole set
}

}  // namespace
}  // namespace nest::providers
