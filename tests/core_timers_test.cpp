// The indexes that keep the cost of one event independent of the number of programs:
// the timer heap (lazy deletion by generation), and the Supervisor's use of it and of
// its pid and spawn maps, checked against many programs on the fake platform.
#include <gtest/gtest.h>

#include <map>

#include "core/timer_heap.hpp"
#include "support/core_fixture.hpp"

namespace sup::test {
namespace {

using core::State;
using std::chrono::seconds;

TEST(CoreTimers, HeapFiresLiveEntriesInOrderAndDropsStaleOnes) {
  core::TimerHeap heap;
  std::map<std::uint64_t, std::uint64_t> current;  // serial -> live generation
  auto live = [&](std::uint64_t serial, std::uint64_t generation) {
    auto it = current.find(serial);
    return it != current.end() && it->second == generation;
  };
  const platform::TimePoint t0{};
  heap.arm(t0 + seconds(5), 1, 1);
  current[1] = 1;
  heap.arm(t0 + seconds(3), 2, 1);
  current[2] = 1;
  heap.arm(t0 + seconds(1), 3, 1);  // re-armed below: this entry is stale
  heap.arm(t0 + seconds(4), 3, 2);
  current[3] = 2;
  heap.arm(t0 + seconds(2), 4, 1);  // its program is gone: never fires
  EXPECT_EQ(heap.next(live), t0 + seconds(3));
  EXPECT_EQ(heap.take_due(t0 + seconds(4), live), (std::vector<std::uint64_t>{2, 3}));
  EXPECT_EQ(heap.next(live), t0 + seconds(5));
  current.erase(1);
  EXPECT_EQ(heap.next(live), std::nullopt);
  EXPECT_EQ(heap.size(), 0u);
}

class CoreScale : public CoreFixture {};

// Many programs with different startsecs: each becomes RUNNING exactly at its own
// deadline, exits are found by pid, and the loop's next deadline is always the earliest
// one left (none once all are RUNNING).
TEST_F(CoreScale, DeadlinesAndPidsStayRightForManyPrograms) {
  constexpr int kPrograms = 300;
  for (int i = 0; i < kPrograms; ++i) add("p" + std::to_string(i), 1 + i % 7);
  boot();
  for (int elapsed = 1; elapsed <= 7; ++elapsed) {
    ASSERT_TRUE(sup->next_deadline());
    EXPECT_EQ(*sup->next_deadline() - fake.now(), seconds(1));
    tick(1);
    for (int i = 0; i < kPrograms; ++i) {
      const std::string name = "p" + std::to_string(i);
      EXPECT_EQ(state(name), 1 + i % 7 <= elapsed ? State::Running : State::Starting) << name;
    }
  }
  EXPECT_EQ(sup->next_deadline(), std::nullopt);
  // An exit reaches its own program, whichever it is.
  const auto victim = pid("p123");
  exit_with(victim, 1);
  EXPECT_EQ(state("p123"), State::Starting);
  EXPECT_NE(pid("p123"), victim);
  EXPECT_EQ(state("p124"), State::Running);
}

}  // namespace
}  // namespace sup::test
