// The Supervisor's program lifecycle on a fake platform and a fake clock: startsecs,
// backoff and FATAL, autorestart, stop and kill, the table, and the idle loop.
#include <gtest/gtest.h>

#include <chrono>

#include "core/table_entry.hpp"
#include "support/core_fixture.hpp"

namespace sup::test {
namespace {

using core::State;
using std::chrono::seconds;

class CoreSupervisor : public CoreFixture {};

TEST_F(CoreSupervisor, StaysUpStartsecsThenRunning) {
  add("web", 10);
  boot();
  ASSERT_EQ(fake.spawned.size(), 1u);
  EXPECT_EQ(fake.spawned[0].image, "/bin/web");
  EXPECT_EQ(state("web"), State::Starting);
  EXPECT_EQ(sup->next_deadline(), fake.now() + seconds(10));
  tick(9);
  EXPECT_EQ(state("web"), State::Starting);
  tick(1);
  EXPECT_EQ(state("web"), State::Running);
  EXPECT_EQ(sup->next_deadline(), std::nullopt);  // idle: no timer at all
  EXPECT_TRUE(logged("web: STARTING -> RUNNING (process has stayed up for > than 10 seconds"));
  EXPECT_EQ(fake.table().get("SUPERVISORD_PRG_WEB"), "1000 id1000 1764093600 RUNNING");
}

TEST_F(CoreSupervisor, StartsecsZeroIsRunningAtOnce) {
  add("web", 0);
  boot();
  EXPECT_EQ(state("web"), State::Running);
  EXPECT_EQ(sup->next_deadline(), std::nullopt);
}

TEST_F(CoreSupervisor, PublishesItselfInTheTable) {
  boot();
  EXPECT_EQ(fake.table().get("SUPERVISORD_CMD"), "/fake/supervisord.sock");
  EXPECT_EQ(fake.table().get("SUPERVISORD_PID"), "42");
  EXPECT_TRUE(logged("listening for commands on /fake/supervisord.sock"));
}

TEST_F(CoreSupervisor, EarlyExitsBackOffOneTwoThreeSecondsThenFatal) {
  add("web", 10).startretries = 3;
  boot();
  for (int retry = 1; retry <= 3; ++retry) {
    exit_with(fake.last_pid(), 1);
    EXPECT_EQ(state("web"), State::Backoff) << retry;
    EXPECT_EQ(prog("web").reason, "Exited too quickly (process log may have details)");
    EXPECT_FALSE(fake.table().get("SUPERVISORD_PRG_WEB").has_value());  // no process
    EXPECT_EQ(sup->next_deadline(), fake.now() + seconds(retry));
    std::size_t spawns = fake.spawned.size();
    if (retry > 1) {
      tick(retry - 1);
      EXPECT_EQ(fake.spawned.size(), spawns) << "retried too early";
    }
    tick(1);
    EXPECT_EQ(fake.spawned.size(), spawns + 1);
    EXPECT_EQ(state("web"), State::Starting);
  }
  exit_with(fake.last_pid(), 1);
  EXPECT_EQ(state("web"), State::Fatal);
  EXPECT_EQ(fake.spawned.size(), 4u);  // 1 + startretries attempts
  EXPECT_EQ(sup->next_deadline(), std::nullopt);
  EXPECT_TRUE(logged("web: BACKOFF -> FATAL") ||
              logged("web: STARTING -> FATAL (too many start retries too quickly)"));
  tick(100);
  EXPECT_EQ(fake.spawned.size(), 4u);  // FATAL is never retried automatically
}

TEST_F(CoreSupervisor, SpawnErrorsAreKeptAsTheReason) {
  add("web", 10).startretries = 1;
  fake.fail_next_spawn("cannot execute /bin/web: No such file or directory");
  fake.fail_next_spawn("cannot execute /bin/web: Permission denied");
  boot();
  EXPECT_EQ(state("web"), State::Backoff);
  EXPECT_EQ(prog("web").reason, "cannot execute /bin/web: No such file or directory");
  EXPECT_TRUE(prog("web").spawn_error);
  tick(1);
  EXPECT_EQ(state("web"), State::Fatal);
  EXPECT_EQ(prog("web").reason, "cannot execute /bin/web: Permission denied");
  EXPECT_EQ(fake.spawned.size(), 2u);
}

TEST_F(CoreSupervisor, ExitAtTheStartsecsDeadlineCountsAsRunning) {
  add("web", 5).autorestart = config::Autorestart::False;
  boot();
  fake.advance(5);  // the deadline passed, the exit is handled before fire_due()
  exit_with(fake.last_pid(), 0);
  EXPECT_EQ(state("web"), State::Exited);
}

struct RestartCase {
  config::Autorestart mode;
  bool signal;  // killed by a signal: never expected
  std::uint32_t code;
  bool restarts;
};

class CoreAutorestart : public CoreFixture, public ::testing::WithParamInterface<RestartCase> {};

TEST_P(CoreAutorestart, FollowsExitcodes) {
  const auto& c = GetParam();
  add("web", 0).autorestart = c.mode;
  boot();
  auto old = pid("web");
  if (c.signal)
    kill_by(old, c.code);
  else
    exit_with(old, c.code);
  if (c.restarts) {
    EXPECT_EQ(state("web"), State::Running);  // startsecs=0: at once
    EXPECT_NE(pid("web"), old);
    EXPECT_EQ(fake.spawned.size(), 2u);
  } else {
    EXPECT_EQ(state("web"), State::Exited);
    EXPECT_EQ(fake.spawned.size(), 1u);
    EXPECT_EQ(pid("web"), 0u);
  }
}

using AR = config::Autorestart;
INSTANTIATE_TEST_SUITE_P(Modes, CoreAutorestart,
                         ::testing::Values(RestartCase{AR::False, false, 1, false},
                                           RestartCase{AR::False, false, 0, false},
                                           RestartCase{AR::Unexpected, false, 0, false},
                                           RestartCase{AR::Unexpected, false, 1, true},
                                           RestartCase{AR::Unexpected, true, 0, true},
                                           RestartCase{AR::True, false, 0, true},
                                           RestartCase{AR::True, true, 9, true}));

TEST_F(CoreSupervisor, VmsExitcodesIgnoreControlBits) {
  add("web", 0).exitcodes = {1};  // SS$_NORMAL
  cfg.programs.back().autorestart = AR::Unexpected;
  boot();
  exit_with(pid("web"), 0x10000001u);  // SS$_NORMAL with the inhibit-message bit
  EXPECT_EQ(state("web"), State::Exited);
  EXPECT_TRUE(prog("web").exit_expected);
}

TEST_F(CoreSupervisor, StopIsPoliteThenKillsAfterStopwaitsecs) {
  add("web", 0).stopwaitsecs = 5;
  boot();
  auto p = pid("web");
  auto& r = ask(1, "stop", {"web"});
  EXPECT_TRUE(r.empty());  // waiting for the outcome
  EXPECT_EQ(fake.stop_requests, std::vector<platform::ProcessId>{p});
  EXPECT_EQ(state("web"), State::Stopping);
  EXPECT_EQ(fake.table().get("SUPERVISORD_PRG_WEB"), "1000 id1000 1764093600 STOPPING");
  tick(4);
  EXPECT_TRUE(fake.kills.empty());
  tick(1);
  EXPECT_EQ(fake.kills, std::vector<platform::ProcessId>{p});
  EXPECT_TRUE(logged("web: still running after 5 seconds, sending kill"));
  kill_by(p, 9);
  EXPECT_EQ(state("web"), State::Stopped);
  EXPECT_EQ(texts(r), (std::vector<std::string>{"L:web: stopped", "F:"}));
  EXPECT_EQ(final_condition(r), SUP__NORMAL);
  EXPECT_FALSE(fake.table().get("SUPERVISORD_PRG_WEB").has_value());
  EXPECT_EQ(sup->next_deadline(), std::nullopt);
}

TEST_F(CoreSupervisor, AProcessThatCannotBeSignalledIsUnknown) {
  add("web", 0);
  boot();
  fake.stop_error = "operation not permitted";
  auto& r = ask(1, "stop", {"web"});
  EXPECT_EQ(state("web"), State::Unknown);
  EXPECT_EQ(texts(r), (std::vector<std::string>{"L:web: operation not permitted", "F:"}));
  EXPECT_EQ(final_condition(r), SUP__SYSERR);
  // The table still knows the process: it may be alive.
  EXPECT_TRUE(fake.table().get("SUPERVISORD_PRG_WEB").has_value());
  // Its exit still ends it properly.
  exit_with(pid("web"), 0);
  EXPECT_EQ(state("web"), State::Stopped);
}

TEST_F(CoreSupervisor, StillAliveAfterTheKillGraceIsUnknown) {
  add("web", 0).stopwaitsecs = 2;
  boot();
  event(platform::Event::Kind::Shutdown);
  tick(2);
  EXPECT_EQ(fake.kills.size(), 1u);
  EXPECT_FALSE(sup->done());
  tick(core::kKillGraceSeconds);
  EXPECT_EQ(state("web"), State::Unknown);
  EXPECT_TRUE(sup->done());  // shutdown does not hang on it
}

TEST_F(CoreSupervisor, UnknownPidsAreIgnoredWithALogLine) {
  add("web", 0);
  boot();
  exit_with(9999, 3);
  EXPECT_EQ(state("web"), State::Running);
  EXPECT_TRUE(logged("exit of unknown process 9999 ignored (exit status 3)"));
}

TEST_F(CoreSupervisor, TableWriteFailuresAreLoggedNotFatal) {
  ASSERT_EQ(fake.table().set("x", "y"), "");
  static_cast<FakeTable&>(fake.table()).fail_with = "disk full";
  add("web", 0);
  boot();
  EXPECT_EQ(state("web"), State::Running);
  EXPECT_TRUE(logged("table SUPERVISORD_PRG_WEB: disk full"));
}

TEST_F(CoreSupervisor, FailedTableRemovalsAreRetriedAtTheNextEvent) {
  add("web", 0).autorestart = config::Autorestart::False;
  boot();
  ASSERT_EQ(state("web"), State::Running);
  auto& table = static_cast<FakeTable&>(fake.table());
  ASSERT_TRUE(table.entries.count("SUPERVISORD_PRG_WEB"));
  table.fail_with = "read-only file system";
  exit_with(pid("web"), 0);  // EXITED: no process, so its entry must go
  EXPECT_EQ(state("web"), State::Exited);
  EXPECT_TRUE(table.entries.count("SUPERVISORD_PRG_WEB"));  // could not be removed
  EXPECT_TRUE(logged("table SUPERVISORD_PRG_WEB: read-only file system"));
  table.fail_with.clear();
  event(platform::Event::Kind::ReopenLogs);  // any later event retries
  EXPECT_FALSE(table.entries.count("SUPERVISORD_PRG_WEB"));
}

// Nothing else happens, yet the table catches up: a timer retries the failed writes,
// later and later, and the log says when the table is current again.
TEST_F(CoreSupervisor, FailedTableWritesAreRetriedOnATimer) {
  auto& table = static_cast<FakeTable&>(fake.table());
  table.fail_with = "read-only file system";
  add("web", 0);
  boot();
  ASSERT_EQ(state("web"), State::Running);
  EXPECT_FALSE(table.entries.count("SUPERVISORD_PRG_WEB"));
  ASSERT_TRUE(sup->next_deadline());
  EXPECT_EQ(*sup->next_deadline() - fake.now(), seconds(1));
  tick(1);  // fails again: the next attempt 2 s later
  ASSERT_TRUE(sup->next_deadline());
  EXPECT_EQ(*sup->next_deadline() - fake.now(), seconds(2));
  EXPECT_FALSE(logged("table is current again"));
  table.fail_with.clear();
  tick(2);
  EXPECT_EQ(table.entries.count("SUPERVISORD_PRG_WEB"), 1u);
  EXPECT_TRUE(logged("table is current again"));
  EXPECT_EQ(sup->next_deadline(), std::nullopt);  // idle again: no timer left
}

TEST_F(CoreSupervisor, RunWaitsWithoutDeadlineWhenIdle) {
  add("web", 0);
  boot();
  fake.exit_on_stop = true;
  fake.script({FakePlatform::simple(platform::Event::Kind::Shutdown)});
  EXPECT_EQ(sup->run(), core::RunOutcome::StoppedAll);
  ASSERT_GE(fake.wait_deadlines.size(), 2u);
  EXPECT_EQ(fake.wait_deadlines[0], std::nullopt);  // nothing due: block, no timer
  EXPECT_EQ(state("web"), State::Stopped);
}

TEST_F(CoreSupervisor, RunFollowsDeadlinesThroughBackoff) {
  add("web", 1).startretries = 2;
  fake.fail_next_spawn("no");
  fake.fail_next_spawn("no");
  fake.fail_next_spawn("no");
  boot();
  // The fake's clock jumps to each deadline the loop waits for; after FATAL nothing is
  // due, so the loop blocks until the scripted shutdown.
  fake.script({FakePlatform::simple(platform::Event::Kind::Shutdown)}, 100);
  EXPECT_EQ(sup->run(), core::RunOutcome::StoppedAll);
  ASSERT_EQ(fake.spawn_times.size(), 3u);
  EXPECT_EQ(fake.spawn_times[1] - fake.spawn_times[0], seconds(1));
  EXPECT_EQ(fake.spawn_times[2] - fake.spawn_times[1], seconds(2));
  EXPECT_EQ(fake.wait_deadlines.back(), std::nullopt);
  EXPECT_EQ(state("web"), State::Fatal);
}

}  // namespace
}  // namespace sup::test
