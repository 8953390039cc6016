// supervisor's priority in the core (src/core/supervisor_order.cpp), on the fake
// platform: creation in ascending order, stop requests in descending order, equal
// priorities together, groups ordered by their priority first, and a program stopped
// before its turn to start.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "msg/message.hpp"
#include "support/core_fixture.hpp"

namespace sup::test {
namespace {

using core::State;

class CoreOrder : public CoreFixture {
 protected:
  void add_at(const std::string& name, int priority, int group_priority = -1) {
    auto& p = add(name, 0);
    p.priority = priority;
    p.group_priority = group_priority < 0 ? priority : group_priority;
  }
  std::vector<std::string> spawned() const {
    std::vector<std::string> out;
    for (const auto& s : fake.spawned) out.push_back(s.program);
    return out;
  }
  // The programs whose process got a stop request, in order.
  std::vector<std::string> stopped() {
    std::vector<std::string> out;
    for (auto pid : fake.stop_requests)
      for (const auto& name : {"a", "b", "c", "d"})
        if (sup->program(name) && stop_pid_[name] == pid) out.push_back(name);
    return out;
  }
  void remember_pids() {
    for (const auto& name : {"a", "b", "c", "d"})
      if (sup->program(name)) stop_pid_[name] = pid(name);
  }
  std::map<std::string, platform::ProcessId> stop_pid_;
};

TEST_F(CoreOrder, CreatesInAscendingOrderOneLevelAtATime) {
  add_at("c", 30);
  add_at("b", 20);
  add_at("a", 10);
  add_at("d", 20);
  hold_spawns = true;
  boot();
  EXPECT_EQ(spawned(), (std::vector<std::string>{"a"}));  // b, d wait until a runs its image
  EXPECT_EQ(state("b"), State::Starting);
  hold_spawns = false;
  pump();
  // b and d (equal priorities) together, then c.
  EXPECT_EQ(spawned(), (std::vector<std::string>{"a", "b", "d", "c"}));
  for (const auto& name : {"a", "b", "c", "d"}) EXPECT_EQ(state(name), State::Running) << name;
}

TEST_F(CoreOrder, GroupPriorityComesFirst) {
  add_at("a", 1, 50);  // in a group of priority 50
  add_at("b", 900, 10);
  boot();
  EXPECT_EQ(spawned(), (std::vector<std::string>{"b", "a"}));
}

TEST_F(CoreOrder, StopAllAndShutdownStopInDescendingOrder) {
  add_at("a", 10);
  add_at("b", 20);
  add_at("c", 20);
  boot();
  remember_pids();
  ask(1, "stop", {"all"});
  ASSERT_EQ(stopped().size(), 2u);  // b and c first, together
  EXPECT_EQ(state("a"), State::Stopping);
  exit_with(stop_pid_["b"], 0);
  EXPECT_EQ(stopped().size(), 2u);  // a still waits for c
  exit_with(stop_pid_["c"], 0);
  EXPECT_EQ(stopped(), (std::vector<std::string>{"b", "c", "a"}));
  exit_with(stop_pid_["a"], 0);
  EXPECT_EQ(final_condition(fake.replies[1]), SUP__NORMAL);

  fake.stop_requests.clear();
  ask(2, "start", {"all"});
  remember_pids();
  event(platform::Event::Kind::Shutdown);
  EXPECT_EQ(stopped().size(), 2u);
  exit_with(stop_pid_["c"], 0);
  exit_with(stop_pid_["b"], 0);
  EXPECT_EQ(stopped().back(), "a");
  exit_with(stop_pid_["a"], 0);
  EXPECT_TRUE(sup->done());
}

TEST_F(CoreOrder, AProgramStoppedBeforeItsTurnIsNeverCreated) {
  add_at("a", 10);
  add_at("b", 20);
  hold_spawns = true;
  boot();
  ask(1, "stop", {"b"});
  EXPECT_EQ(state("b"), State::Stopped);
  hold_spawns = false;
  pump();
  EXPECT_EQ(spawned(), (std::vector<std::string>{"a"}));
  EXPECT_EQ(final_condition(fake.replies[1]), SUP__NORMAL);
}

TEST_F(CoreOrder, ASpawnFailureDoesNotHoldTheNextLevel) {
  add_at("a", 10);
  add_at("b", 20);
  fake.fail_next_spawn("no such image");
  boot();
  EXPECT_EQ(spawned().size(), 2u);
  EXPECT_EQ(fake.spawned.back().program, "b");
}

}  // namespace
}  // namespace sup::test
