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
}

TEST(DeployStrategyTest, UnknownAnalysisLabelsAreKept) {
  auto strategy = StrategyFromLabels(json{{"nest.deploy.analysis.future", "7"}});
  ASSERT_TRUE(strategy.ok());
  EXPECT_EQ(strategy.value().analysis->unknown, std::vector<std::string>{"future=7"});
}

TEST(DeployStrategyTest, CanaryReplicasBesideAnUntouchedStableSetGiveTheStepsShare) {
  // k = ceil(N*p/(100-p)): k/(N+k) is about p.
  EXPECT_EQ(CanaryReplicas(9, 10), 1);   // 1 of 10
  EXPECT_EQ(CanaryReplicas(3, 10), 1);   // 1 of 4: at least one
  EXPECT_EQ(CanaryReplicas(3, 50), 3);   // 3 of 6
  EXPECT_EQ(CanaryReplicas(2, 50), 2);   // 2 of 4
  EXPECT_EQ(CanaryReplicas(10, 25), 4);  // ceil(3.33): 4 of 14
  EXPECT_EQ(CanaryReplicas(4, 80), 16);  // 16 of 20
  EXPECT_EQ(CanaryReplicas(1, 1), 1);
  EXPECT_EQ(CanaryReplicas(0, 50), 1);   // nothing stable: still one canary
  // 100% is the promotion: the whole set.
  EXPECT_EQ(CanaryReplicas(3, 100), 3);
}

}  // namespace
}  // namespace nest::providers
