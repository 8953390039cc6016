// The daemon's whole-life behaviour: shutdown (parallel stop, nothing starts), the
// `shutdown` action that leaves programs running, re-attach from the table, reload,
// and log reopening.
#include <gtest/gtest.h>

#include "core/table_entry.hpp"
#include "support/core_fixture.hpp"

namespace sup::test {
namespace {

using core::State;
using K = platform::Event::Kind;

class CoreDaemon : public CoreFixture {};

TEST_F(CoreDaemon, ShutdownStopsAllProgramsInParallel) {
  for (auto name : {"a", "b", "c"}) add(name, 0).stopwaitsecs = 10;
  boot();
  auto pa = pid("a"), pb = pid("b"), pc = pid("c");
  event(K::Shutdown);
  // Every polite stop is sent at once, before any program has exited.
  EXPECT_EQ(fake.stop_requests, (std::vector<platform::ProcessId>{pa, pb, pc}));
  kill_by(pb, 15);
  kill_by(pa, 15);
  EXPECT_FALSE(sup->done());
  tick(10);
  EXPECT_EQ(fake.kills, std::vector<platform::ProcessId>{pc});  // only the stubborn one
  kill_by(pc, 9);
  EXPECT_TRUE(sup->done());
  for (auto name : {"a", "b", "c"}) EXPECT_EQ(state(name), State::Stopped);
  EXPECT_TRUE(fake.table().names().empty());  // program entries, CMD and PID removed
  EXPECT_TRUE(logged("supervisord stopped all programs and exited"));
}

TEST_F(CoreDaemon, NothingStartsDuringShutdown) {
  add("flaky", 10);
  add("web", 0).autorestart = config::Autorestart::True;
  add("late", 0, false);
  fake.fail_next_spawn("x");  // the first spawn: flaky's
  boot();
  // web RUNNING, flaky BACKOFF (its spawn failed), late STOPPED.
  ASSERT_EQ(state("flaky"), State::Backoff);
  event(K::Shutdown);
  EXPECT_EQ(state("flaky"), State::Stopped);
  std::size_t spawns = fake.spawned.size();
  kill_by(pid("web"), 15);  // autorestart=true, but not now
  tick(100);
  EXPECT_EQ(fake.spawned.size(), spawns);
  EXPECT_TRUE(sup->done());
}

TEST_F(CoreDaemon, ShutdownActionLeavesProgramsRunningForTheNextDaemon) {
  add("web", 0);
  boot();
  fake.script({FakePlatform::request(7, make_request("shutdown"))});
  EXPECT_EQ(sup->run(), core::RunOutcome::LeftRunning);
  EXPECT_EQ(final_condition(fake.replies[7]), SUP__SHUTDOWN);
  EXPECT_EQ(state("web"), State::Running);
  EXPECT_TRUE(fake.stop_requests.empty());
  EXPECT_EQ(fake.table().get("SUPERVISORD_PRG_WEB"), "1000 id1000 1764093600 RUNNING");
  EXPECT_FALSE(fake.table().get("SUPERVISORD_CMD").has_value());
  EXPECT_FALSE(fake.table().get("SUPERVISORD_PID").has_value());
}

TEST_F(CoreDaemon, OtherWaitingClientsAreToldWhenTheDaemonLeaves) {
  add("web", 10, false);
  boot();
  ask(1, "start", {"web"});
  ask(2, "shutdown");
  EXPECT_EQ(final_condition(fake.replies[1]), SUP__SHUTTING);
  EXPECT_TRUE(fake.finished.count(1));
}

TEST_F(CoreDaemon, ReattachesToLiveProcesses) {
  add("web", 10);
  ASSERT_EQ(fake.table().set("SUPERVISORD_PRG_WEB", "555 id555 1764000000 RUNNING"), "");
  fake.adoptable[555] = 1764000000;
  boot();
  EXPECT_TRUE(fake.spawned.empty());  // not spawned again
  EXPECT_EQ(state("web"), State::Running);
  EXPECT_EQ(pid("web"), 555u);
  EXPECT_EQ(prog("web").started_wall, 1764000000);
  EXPECT_TRUE(logged("web: re-attached to running process, pid 555"));
  auto& r = ask(1, "status");
  EXPECT_EQ(r[0].text, "web" + std::string(30, ' ') + "RUNNING   pid 555, uptime 1 day, 2:00:00");
  // Its exit is handled like a spawned one's.
  exit_with(555, 1);
  EXPECT_EQ(state("web"), State::Starting);  // autorestart=unexpected
}

// A failed table write left no entry: the process is found by its mark, not started twice.
TEST_F(CoreDaemon, AMarkedProcessTheTableMissedIsReattached) {
  add("web", 10);
  fake.marked.push_back({"web", 777, "id777", 1764000000});
  fake.adoptable[777] = 1764000000;
  boot();
  EXPECT_TRUE(fake.spawned.empty());
  EXPECT_EQ(state("web"), State::Running);
  EXPECT_EQ(pid("web"), 777u);
  EXPECT_TRUE(logged("web: re-attached to running process, pid 777, found by its mark"));
  // The table is brought up to date at once.
  EXPECT_EQ(fake.table().get("SUPERVISORD_PRG_WEB").value_or("").rfind("777 id777 ", 0), 0u);
}

// The table names a process that is gone; the program's marked process is another one.
TEST_F(CoreDaemon, AStaleEntryGivesWayToTheMarkedProcess) {
  add("web", 10);
  ASSERT_EQ(fake.table().set("SUPERVISORD_PRG_WEB", "555 id555 1764000000 RUNNING"), "");
  fake.marked.push_back({"web", 778, "id778", 1764000100});
  fake.adoptable[778] = 1764000100;
  boot();
  EXPECT_TRUE(fake.spawned.empty());
  EXPECT_EQ(pid("web"), 778u);
  EXPECT_EQ(state("web"), State::Running);
  EXPECT_FALSE(logged("ended while no supervisord ran"));
  EXPECT_EQ(fake.table().get("SUPERVISORD_PRG_WEB").value_or("").rfind("778 id778 ", 0), 0u);
}

// The recorded process runs and so does another marked one: the program keeps the
// recorded one and the second copy is asked to stop.
TEST_F(CoreDaemon, ASecondMarkedCopyIsStopped) {
  add("web", 10);
  ASSERT_EQ(fake.table().set("SUPERVISORD_PRG_WEB", "555 id555 1764000000 RUNNING"), "");
  fake.adoptable[555] = 1764000000;
  fake.marked.push_back({"web", 555, "id555", 1764000000});
  fake.marked.push_back({"web", 779, "id779", 1764000200});
  fake.adoptable[779] = 1764000200;
  boot();
  EXPECT_EQ(pid("web"), 555u);
  EXPECT_EQ(fake.stop_requests, std::vector<platform::ProcessId>{779});
  EXPECT_TRUE(logged("web: process 779 is a second copy (pid 555 is the program's); stopping it"));
}

// A marked process of a program the configuration lost is reported and left alone.
TEST_F(CoreDaemon, AMarkedProcessOfAnUnknownProgramIsLeftRunning) {
  add("web", 0);
  fake.marked.push_back({"old", 780, "id780", 1764000000});
  fake.adoptable[780] = 1764000000;
  boot();
  EXPECT_TRUE(fake.stop_requests.empty());
  EXPECT_TRUE(fake.kills.empty());
  EXPECT_TRUE(logged("process 780 was started for program old, which the configuration does not"));
  EXPECT_EQ(fake.spawned.size(), 1u);  // web itself starts as usual
}

// A mark whose process ended before adopt() could watch it: the program starts afresh.
TEST_F(CoreDaemon, AMarkedProcessThatEndedMeanwhileIsNotAdopted) {
  add("web", 10);
  fake.marked.push_back({"web", 781, "id781", 1764000000});  // not adoptable: gone
  boot();
  EXPECT_EQ(fake.spawned.size(), 1u);
  EXPECT_EQ(state("web"), State::Starting);
}

TEST_F(CoreDaemon, AProcessGoneMeanwhileIsAnExitOfUnknownStatus) {
  add("web", 10);
  add("oneshot", 10).autorestart = config::Autorestart::False;
  ASSERT_EQ(fake.table().set("SUPERVISORD_PRG_WEB", "555 id555 1764000000 RUNNING"), "");
  ASSERT_EQ(fake.table().set("SUPERVISORD_PRG_ONESHOT", "556 id556 1764000000 RUNNING"), "");
  boot();
  EXPECT_TRUE(logged("web: process 555 ended while no supervisord ran (status unknown)"));
  EXPECT_EQ(state("web"), State::Starting);    // unknown status: unexpected: restarted
  EXPECT_EQ(state("oneshot"), State::Exited);  // autorestart=false; autostart not applied
  EXPECT_EQ(fake.spawned.size(), 1u);
  EXPECT_FALSE(fake.table().get("SUPERVISORD_PRG_ONESHOT").has_value());
}

TEST_F(CoreDaemon, BadOrForeignTableEntriesAreWarnedAbout) {
  add("web", 0);
  ASSERT_EQ(fake.table().set("SUPERVISORD_PRG_WEB", "garbage"), "");
  ASSERT_EQ(fake.table().set("SUPERVISORD_PRG_OTHER", "9 x 1 RUNNING"), "");
  boot();
  EXPECT_TRUE(logged("table entry SUPERVISORD_PRG_WEB ignored: cannot parse \"garbage\""));
  EXPECT_TRUE(logged("table entry SUPERVISORD_PRG_OTHER ignored"));
  EXPECT_EQ(state("web"), State::Running);                             // autostarted normally
  EXPECT_TRUE(fake.table().get("SUPERVISORD_PRG_OTHER").has_value());  // not ours to drop
}

TEST_F(CoreDaemon, ReloadTouchesOnlyWhatChanged) {
  add("same", 0);
  add("changed", 0);
  add("gone", 0);
  boot();
  auto same_pid = pid("same"), changed_pid = pid("changed"), gone_pid = pid("gone");
  config::Config fresh = cfg;
  fresh.programs.erase(fresh.programs.begin() + 2);  // gone
  fresh.programs[1].image = "/bin/changed2";         // changed
  fresh.programs[0].line = 99;                       // a moved section is not a change
  config::ProgramConfig added = fresh.programs[0];
  added.name = "added";
  fresh.programs.push_back(added);
  std::vector<std::string> changes;
  EXPECT_TRUE(sup->reload(fresh, changes));
  pump();
  EXPECT_EQ(changes,
            (std::vector<std::string>{"changed: changed", "added: added", "gone: removed"}));
  EXPECT_EQ(fake.stop_requests, (std::vector<platform::ProcessId>{changed_pid, gone_pid}));
  EXPECT_EQ(pid("same"), same_pid);
  EXPECT_EQ(state("added"), State::Running);
  kill_by(changed_pid, 15);
  kill_by(gone_pid, 15);
  EXPECT_EQ(state("changed"), State::Running);
  EXPECT_EQ(fake.spawned.back().image, "/bin/changed2");
  EXPECT_EQ(sup->program("gone"), nullptr);
  EXPECT_EQ(sup->program_count(), 3u);
  EXPECT_FALSE(fake.table().get("SUPERVISORD_PRG_GONE").has_value());
  std::vector<std::string> none;
  EXPECT_FALSE(sup->reload(fresh, none));
  EXPECT_TRUE(none.empty());
}

// A program a reload dropped while it was still stopping, then brought back: the goal
// decides whether it starts again once stopped (autostart) or stays stopped; a program
// the reload changed while it was being stopped is not turned into a restart.
TEST_F(CoreDaemon, AProgramBroughtBackWhileStoppingFollowsItsAutostart) {
  add("back", 0).stopwaitsecs = 10;
  add("quiet", 0).stopwaitsecs = 10;
  add("busy", 0).stopwaitsecs = 10;
  boot();
  const auto back = pid("back"), quiet = pid("quiet"), busy = pid("busy");
  config::Config without = cfg;
  without.programs.erase(without.programs.begin(), without.programs.begin() + 2);
  std::vector<std::string> changes;
  ASSERT_TRUE(sup->reload(without, changes));
  ask(1, "stop", {"busy"}, core::kFlagNoWait);
  ASSERT_EQ(state("back"), State::Stopping);
  ASSERT_EQ(state("quiet"), State::Stopping);
  ASSERT_EQ(state("busy"), State::Stopping);
  config::Config again = cfg;
  again.programs[1].autostart = false;
  again.programs[2].image = "/bin/busy2";
  changes.clear();
  ASSERT_TRUE(sup->reload(again, changes));
  pump();
  kill_by(back, 15);
  kill_by(quiet, 15);
  kill_by(busy, 15);
  EXPECT_EQ(state("back"), State::Running);  // autostart: wanted again
  EXPECT_NE(pid("back"), back);
  EXPECT_EQ(state("quiet"), State::Stopped);  // kept, but not started
  EXPECT_EQ(state("busy"), State::Stopped);   // the stop asked for stands
  EXPECT_EQ(sup->program_count(), 3u);
}

TEST_F(CoreDaemon, ReloadEventUsesTheRereadCallback) {
  add("web", 0);
  int calls = 0;
  options.reread = [&](std::string& error) -> std::optional<config::Config> {
    if (++calls == 1) {
      error = "line 3: bad value";
      return std::nullopt;
    }
    config::Config c = cfg;
    c.programs.clear();
    return c;
  };
  boot();
  event(K::Reload);
  EXPECT_TRUE(logged("reload refused, configuration unchanged: line 3: bad value"));
  EXPECT_EQ(state("web"), State::Running);
  event(K::Reload);
  EXPECT_EQ(state("web"), State::Stopping);  // removed from the file
  EXPECT_TRUE(logged("web: removed from the configuration"));
}

TEST_F(CoreDaemon, ReopenLogsEvent) {
  boot();
  event(K::ReopenLogs);
  EXPECT_TRUE(logged("INFO log files reopened"));
}

}  // namespace
}  // namespace sup::test
