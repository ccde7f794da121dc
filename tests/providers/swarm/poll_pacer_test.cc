// The pacer shared by an apply's waits: polls from many threads together
// keep its rate, and a cancel ends a pacer wait at once.
#include "providers/swarm/poll_pacer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <thread>
#include <vector>

namespace nest::swarm {
namespace {

using namespace std::chrono_literals;
using Clock = PollPacer::Clock;

TEST(PollPacerTest, ManyWaitsTogetherKeepTheRate) {
  PollPacer pacer(50);  // 20 ms apart
  EXPECT_EQ(pacer.spacing(), std::chrono::duration_cast<Clock::duration>(20ms));
  std::mutex mutex;
  std::vector<Clock::time_point> polls;
  std::vector<std::thread> waits;
  for (int i = 0; i < 5; ++i) {
    waits.emplace_back([&] {
      for (int poll = 0; poll < 4; ++poll) {
        ASSERT_TRUE(pacer.Wait());
        std::lock_guard<std::mutex> lock(mutex);
        polls.push_back(Clock::now());
      }
    });
  }
  for (auto& wait : waits) wait.join();
  ASSERT_EQ(polls.size(), 20u);
  std::sort(polls.begin(), polls.end());
  // 20 slots 20 ms apart: the last at least 19 spacings after the first
  // (a little less allowed for the clock read after the slot).
  EXPECT_GE(polls.back() - polls.front(), 19 * 20ms - 5ms);
}

TEST(PollPacerTest, AFewWaitsAreNotHeldBack) {
  PollPacer pacer(20);
  auto begin = Clock::now();
  EXPECT_TRUE(pacer.Wait());  // the first slot is now
  EXPECT_LT(Clock::now() - begin, 20ms);
}

TEST(PollPacerTest, ACancelEndsTheWait) {
  PollPacer pacer(1);  // a second apart
  ASSERT_TRUE(pacer.Wait());
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(100ms);
    cancel = true;
  });
  auto begin = Clock::now();
  EXPECT_FALSE(pacer.Wait(&cancel));
  EXPECT_LT(Clock::now() - begin, 600ms);
  canceller.join();
}

}  // namespace
}  // namespace nest::swarm
