// Scale records on the real engine: the config made on first use, a second
// service's record added beside the first, a record replaced in place, each
// stamped with the manager's clock; stacks apart even when one name is a
// prefix of the other.
#include "providers/swarm/scale_records.h"

#include <gtest/gtest.h>

#include "providers/swarm/timestamp.h"
#include "tests/providers/swarm/swarm_test_util.h"
#include "tests/support/engine_fixture.h"

namespace nest::swarm {
namespace {

using test_support::LocalClient;

class RecordCleanup {
 public:
  explicit RecordCleanup(std::string stack) : stack_(std::move(stack)) {}
  ~RecordCleanup() {
    test_support::RunCommand("docker config ls -q --filter label=nest.autoscale-record.stack=" + stack_ +
                             " | xargs -r docker config rm >/dev/null 2>&1");
  }

 private:
  std::string stack_;
};

TEST(ScaleRecordsEngineTest, WrittenPerServiceAndReadBack) {
  NEST_REQUIRE_SWARM();
  const std::string stack = test_support::UniqueName("rec");
  const std::string longer = stack + "-x";
  RecordCleanup cleanup(stack), cleanup_longer(longer);
  engine::EngineClient client = LocalClient();

  auto none = ReadScaleRecords(client, stack);
  ASSERT_TRUE(none.ok()) << none.error().Describe();
  EXPECT_TRUE(none.value().empty());

  auto first = WriteScaleRecord(client, stack, stack + "_web", {.from = 1, .to = 2, .reason = "cpu 90% > 50%"});
  ASSERT_TRUE(first.ok()) << first.error().Describe();
  EXPECT_TRUE(ParseEngineTime(first.value())) << first.value();
  ASSERT_TRUE(WriteScaleRecord(client, stack, stack + "_worker", {.from = 3, .to = 2, .reason = "cpu 1% < 20%"}).ok());
  ASSERT_TRUE(WriteScaleRecord(client, stack, stack + "_web", {.from = 2, .to = 4, .reason = "memory 95% > 80%"}).ok());
  ASSERT_TRUE(WriteScaleRecord(client, longer, longer + "_web", {.from = 5, .to = 6, .reason = "other"}).ok());

  auto records = ReadScaleRecords(client, stack);
  ASSERT_TRUE(records.ok()) << records.error().Describe();
  ASSERT_EQ(records.value().size(), 2u);
  const ScaleRecord& web = records.value().at(stack + "_web");
  EXPECT_EQ(web.from, 2);
  EXPECT_EQ(web.to, 4);
  EXPECT_EQ(web.reason, "memory 95% > 80%");
  EXPECT_GE(*ParseEngineTime(web.time), *ParseEngineTime(first.value()));
  EXPECT_EQ(records.value().at(stack + "_worker").to, 2);

  // One config per stack, without the stack namespace label: no part of the stack.
  std::string names;
  ASSERT_EQ(test_support::RunCommand(
                "docker config ls --format '{{.Name}}' --filter label=nest.autoscale-record.stack=" + stack, &names),
            0);
  EXPECT_EQ(names, "nest-autoscale-" + stack + "\n");
  std::string labels;
  ASSERT_EQ(test_support::RunCommand("docker config inspect --format '{{json .Spec.Labels}}' nest-autoscale-" + stack,
                                     &labels),
            0);
  EXPECT_EQ(labels.find("com.docker.stack.namespace"), std::string::npos) << labels;
}

}  // namespace
}  // namespace nest::swarm
