// Client requests through the Supervisor: authorization, bad records, each action's
// lines and Final condition, waiting for outcomes, timeouts, and exact status lines.
#include <gtest/gtest.h>

#include "core/status_format.hpp"
#include "support/core_fixture.hpp"

namespace sup::test {
namespace {

using core::State;
using Lines = std::vector<std::string>;

class CoreRequests : public CoreFixture {};

TEST_F(CoreRequests, UnprivilegedCallersAreRefusedAndLogged) {
  add("web", 0);
  boot();
  sup->handle(FakePlatform::request(1, make_request("stop", {"web"}), false));
  EXPECT_EQ(final_condition(fake.replies[1]), SUP__NOPRIV);
  EXPECT_EQ(texts(fake.replies[1]), Lines{"F:uid 1001 (pid 777) is not authorized"});
  EXPECT_TRUE(fake.finished.count(1));
  EXPECT_TRUE(logged("ERRO uid 1001 (pid 777) is not authorized"));
  EXPECT_EQ(state("web"), State::Running);
}

TEST_F(CoreRequests, PasswordMustMatchWhenSet) {
  options.password = "pw";
  add("web", 0);
  boot();
  EXPECT_EQ(final_condition(ask(1, "status", {}, 0, 0, "wrong")), SUP__BADPASSWORD);
  EXPECT_TRUE(logged("password does not match (uid 1001, pid 777)"));
  EXPECT_EQ(final_condition(ask(2, "status", {}, 0, 0, "")), SUP__BADPASSWORD);
  EXPECT_EQ(final_condition(ask(3, "status", {}, 0, 0, "pw")), SUP__NORMAL);
}

TEST_F(CoreRequests, NoPasswordConfiguredAcceptsAny) {
  boot();
  EXPECT_EQ(final_condition(ask(1, "version", {}, 0, 0, "whatever")), SUP__VERSION);
}

TEST_F(CoreRequests, BadRecordsGetAnErrorReply) {
  boot();
  sup->handle(FakePlatform::raw_request(1, "garbage"));
  EXPECT_EQ(final_condition(fake.replies[1]), SUP__BADREQ);
  EXPECT_TRUE(fake.finished.count(1));
  sup->handle(FakePlatform::raw_request(2, std::string(core::kMaxRecord + 10, 'S')));
  EXPECT_EQ(final_condition(fake.replies[2]), SUP__TOOBIG);
  EXPECT_EQ(texts(fake.replies[2]), Lines{"F:record of 8202 bytes exceeds the limit of 8192"});
  std::string rec = *core::encode_request(make_request("status"));
  rec[2] = '\x03';
  sup->handle(FakePlatform::raw_request(3, rec));
  EXPECT_EQ(texts(fake.replies[3]),
            Lines{"F:protocol version 3 not supported (expected 2): client and supervisord are "
                  "of different versions"});
  EXPECT_EQ(final_condition(fake.replies[3]), SUP__BADVERSION);
  EXPECT_TRUE(logged("ERRO malformed request:"));
}

// A version-2 Request record from raw fields.
std::string raw_request_record(const std::vector<std::string>& fields) {
  std::string payload;
  for (const auto& f : fields) {
    payload += static_cast<char>(f.size() & 0xFF);
    payload += static_cast<char>(f.size() >> 8);
    payload += f;
  }
  std::string rec = "SV";
  rec += static_cast<char>(core::kProtocolVersion);
  rec += static_cast<char>(core::RecordType::Request);
  for (int i = 0; i < 4; ++i) rec += static_cast<char>((payload.size() >> (8 * i)) & 0xFF);
  return rec + payload;
}

TEST_F(CoreRequests, UnknownActionIsRefused) {
  boot();
  // Codes past the list, and HELP (the client's own), are not actions of the daemon.
  platform::RequestId id = 1;
  for (const char* code : {"8", "99", "4294967295", "0"}) {
    sup->handle(FakePlatform::raw_request(id, raw_request_record({code, "", "0", "0"})));
    EXPECT_EQ(final_condition(fake.replies[id]), SUP__IVACTION) << code;
    EXPECT_EQ(texts(fake.replies[id]), Lines{"F:unknown action code " + std::string(code)});
    EXPECT_TRUE(fake.finished.count(id)) << code;
    ++id;
  }
  EXPECT_TRUE(logged("ERRO unknown action code 99"));
}

// Every action the command list gives the daemon reaches its handler: none is refused
// as unknown, each ends with a Final.
TEST_F(CoreRequests, EveryDaemonActionOfTheListHasAHandler) {
  add("web", 0);
  boot();
  platform::RequestId id = 1;
  for (const auto& c : commands::kCommandList) {
    if (c.runs != commands::Runs::InDaemon) continue;
    std::vector<std::string> names;
    if (c.names == commands::Names::Required) names = {"web"};
    auto& r = ask(id, c.keyword, names, core::kFlagNoWait);
    ASSERT_FALSE(r.empty()) << c.keyword;
    EXPECT_EQ(r.back().type, core::RecordType::Final) << c.keyword;
    EXPECT_NE(r.back().condition, SUP__IVACTION) << c.keyword;
    EXPECT_NE(r.back().condition, SUP__USAGE) << c.keyword;
    ++id;
  }
}

// The names an action takes come from the command list, whatever the client sent.
TEST_F(CoreRequests, NameCountsFollowTheCommandList) {
  add("web", 0);
  add("api", 0);
  boot();
  EXPECT_EQ(texts(ask(1, "version", {"web"})), Lines{"F:version takes no program names"});
  EXPECT_EQ(final_condition(fake.replies[1]), SUP__USAGE);
  EXPECT_EQ(texts(ask(2, "pid", {"web", "api"})), Lines{"F:pid takes at most one name"});
  EXPECT_EQ(texts(ask(3, "restart")), Lines{"F:restart: name a program, or all"});
  EXPECT_EQ(final_condition(ask(4, "status", {"web", "api"})), SUP__NORMAL);
  EXPECT_EQ(final_condition(ask(5, "pid", {"web"})), SUP__NORMAL);
  EXPECT_EQ(state("web"), State::Running);  // nothing was done by the refused ones
}

TEST_F(CoreRequests, StartWaitsForRunning) {
  add("web", 10, false);
  boot();
  auto& r = ask(1, "start", {"web"});
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(state("web"), State::Starting);
  tick(10);
  EXPECT_EQ(texts(r), (Lines{"L:web: started", "F:"}));
  EXPECT_EQ(r[0].condition, SUP__STARTED);
  EXPECT_EQ(final_condition(r), SUP__NORMAL);
  EXPECT_TRUE(fake.finished.count(1));
  EXPECT_TRUE(logged("INFO request start web from uid 1001 pid 777"));
}

TEST_F(CoreRequests, StartReportsSpawnErrorAndAbnormalTermination) {
  add("bad", 10, false);
  add("quick", 10, false);
  boot();
  fake.fail_next_spawn("cannot execute /bin/bad: No such file or directory");
  auto& r = ask(1, "start", {"bad", "quick"});
  EXPECT_EQ(texts(r), Lines{"L:bad: ERROR (spawn error)"});  // quick still STARTING
  exit_with(pid("quick"), 0);
  EXPECT_EQ(texts(r),
            (Lines{"L:bad: ERROR (spawn error)", "L:quick: ERROR (abnormal termination)", "F:"}));
  EXPECT_EQ(final_condition(r), SUP__SPAWNERR);  // the worst; the first of equals
}

// spawn() only starts the creation: a start /NOWAIT is answered once the spawn has an
// outcome (a pid, or a spawn error), which comes back from the platform as an event.
TEST_F(CoreRequests, StartNowaitIsAnsweredOnceTheSpawnHasAnOutcome) {
  add("web", 10, false);
  add("bad", 10, false);
  boot();
  hold_spawns = true;
  auto& r = ask(1, "start", {"web"}, core::kFlagNoWait);
  EXPECT_TRUE(r.empty());  // being created: no pid yet
  EXPECT_EQ(state("web"), State::Starting);
  EXPECT_EQ(pid("web"), 0u);
  hold_spawns = false;
  pump();
  EXPECT_EQ(texts(r), (Lines{"L:web: started", "F:"}));
  EXPECT_NE(pid("web"), 0u);

  fake.fail_next_spawn("cannot execute /bin/bad: No such file or directory");
  auto& r2 = ask(2, "start", {"bad"}, core::kFlagNoWait);
  EXPECT_EQ(texts(r2), (Lines{"L:bad: ERROR (spawn error)", "F:"}));
  EXPECT_EQ(final_condition(r2), SUP__SPAWNERR);
}

// A stop that comes while the process has no pid yet is delivered once it has one.
TEST_F(CoreRequests, AStopBeforeThePidIsKnownIsDeliveredWithIt) {
  add("web", 10, false);
  boot();
  hold_spawns = true;
  ask(1, "start", {"web"}, core::kFlagNoWait);
  auto& r = ask(2, "stop", {"web"});
  EXPECT_EQ(state("web"), State::Stopping);
  EXPECT_TRUE(fake.stop_requests.empty());  // nothing to signal yet
  hold_spawns = false;
  pump();
  ASSERT_EQ(fake.stop_requests.size(), 1u);
  EXPECT_EQ(fake.stop_requests[0], pid("web"));
  kill_by(pid("web"), 15);
  EXPECT_EQ(state("web"), State::Stopped);
  EXPECT_EQ(texts(r), (Lines{"L:web: stopped", "F:"}));
  EXPECT_FALSE(fake.table().get("SUPERVISORD_PRG_WEB").has_value());
}

// A failure after Created (the image could not be run): no process, no table entry.
TEST_F(CoreRequests, ASpawnFailureAfterTheProcessExistedForgetsIt) {
  add("web", 10, false);
  boot();
  hold_spawns = true;
  auto& r = ask(1, "start", {"web"});
  auto events = fake.take_spawn_events();
  ASSERT_EQ(events.size(), 2u);  // Created, Started
  sup->handle(events[0]);
  const auto created = pid("web");
  ASSERT_NE(created, 0u);
  EXPECT_TRUE(fake.table().get("SUPERVISORD_PRG_WEB").has_value());
  platform::Event failed;
  failed.kind = platform::Event::Kind::SpawnFailed;
  failed.spawn = events[0].spawn;
  failed.pid = created;
  failed.text = "cannot execute /bin/web: Permission denied";
  sup->handle(failed);
  EXPECT_EQ(state("web"), State::Backoff);
  EXPECT_EQ(pid("web"), 0u);
  EXPECT_EQ(prog("web").reason, "cannot execute /bin/web: Permission denied");
  EXPECT_FALSE(fake.table().get("SUPERVISORD_PRG_WEB").has_value());
  EXPECT_EQ(texts(r), (Lines{"L:web: ERROR (spawn error)", "F:"}));  // as for any BACKOFF
}

TEST_F(CoreRequests, LinesComeInRequestOrder) {
  add("slow", 10, false);
  add("fast", 0, false);
  boot();
  auto& r = ask(1, "start", {"slow", "fast"});
  EXPECT_TRUE(r.empty());  // fast is done, but slow comes first
  tick(10);
  EXPECT_EQ(texts(r), (Lines{"L:slow: started", "L:fast: started", "F:"}));
}

TEST_F(CoreRequests, StartAlreadyRunningAndUnknownNames) {
  add("web", 0);
  boot();
  auto& r = ask(1, "start", {"nosuch", "web"});
  EXPECT_EQ(texts(r),
            (Lines{"L:nosuch: ERROR (no such process)", "L:web: ERROR (already started)", "F:"}));
  EXPECT_EQ(final_condition(r), SUP__NOSUCHPROC);
  EXPECT_EQ(final_condition(ask(2, "start", {"web"})), SUP__ALRSTARTED);
}

TEST_F(CoreRequests, NamesMatchWithoutRegardToCaseAndAllMeansAll) {
  add("web", 0, false);
  add("api", 0, false);
  boot();
  auto& r = ask(1, "start", {"WEB", "all"});
  EXPECT_EQ(texts(r), (Lines{"L:web: started", "L:api: started", "F:"}));
}

TEST_F(CoreRequests, StartNowaitRepliesAtOnce) {
  add("web", 10, false);
  boot();
  auto& r = ask(1, "start", {"web"}, core::kFlagNoWait);
  EXPECT_EQ(texts(r), (Lines{"L:web: started", "F:"}));
  EXPECT_EQ(state("web"), State::Starting);
}

TEST_F(CoreRequests, TimeoutEndsTheWait) {
  add("web", 10, false);
  boot();
  auto& r = ask(1, "start", {"web"}, 0, 3);
  EXPECT_EQ(sup->next_deadline(), fake.now() + std::chrono::seconds(3));
  tick(3);
  EXPECT_EQ(texts(r), (Lines{"L:web: no outcome within 3 seconds", "F:"}));
  EXPECT_EQ(final_condition(r), SUP__TIMEOUT);
  EXPECT_EQ(state("web"), State::Starting);  // the program goes on
}

TEST_F(CoreRequests, ClientGoneForgetsTheWait) {
  add("web", 10, false);
  boot();
  ask(1, "start", {"web"});
  platform::Event gone = FakePlatform::simple(platform::Event::Kind::ClientGone);
  gone.request = 1;
  sup->handle(gone);
  tick(10);
  EXPECT_TRUE(fake.replies[1].empty());
  EXPECT_FALSE(fake.finished.count(1));
  EXPECT_EQ(state("web"), State::Running);
}

TEST_F(CoreRequests, StopNotRunningAndNowait) {
  add("web", 0);
  add("idle", 0, false);
  boot();
  auto& r = ask(1, "stop", {"idle"});
  EXPECT_EQ(texts(r), (Lines{"L:idle: ERROR (not running)", "F:"}));
  EXPECT_EQ(final_condition(r), SUP__NOTRUNNING);
  auto& n = ask(2, "stop", {"web"}, core::kFlagNoWait);
  EXPECT_EQ(texts(n), (Lines{"L:web: stopped", "F:"}));
  EXPECT_EQ(state("web"), State::Stopping);
}

TEST_F(CoreRequests, RestartStopsThenStarts) {
  add("web", 0);
  boot();
  auto old = pid("web");
  auto& r = ask(1, "restart", {"web"});
  EXPECT_TRUE(r.empty());
  kill_by(old, 15);
  EXPECT_EQ(texts(r), (Lines{"L:web: stopped", "L:web: started", "F:"}));
  EXPECT_EQ(state("web"), State::Running);
  EXPECT_NE(pid("web"), old);
}

TEST_F(CoreRequests, RestartOfAStoppedProgramJustStarts) {
  add("web", 0, false);
  boot();
  EXPECT_EQ(texts(ask(1, "restart", {"web"})), (Lines{"L:web: started", "F:"}));
}

TEST_F(CoreRequests, StatusLinesAreExact) {
  add("web", 0);
  add("api", 0, false);
  add("bad", 10).startretries = 0;
  add("worker", 10);
  boot();
  exit_with(pid("bad"), 1);  // too quickly, and no retry left
  ASSERT_EQ(state("web"), State::Running);
  ASSERT_EQ(state("bad"), State::Fatal);
  fake.advance(3 * 60 + 12);
  auto& r = ask(1, "status");
  std::string pad(30, ' ');
  EXPECT_EQ(texts(r),
            (Lines{"L:web" + pad + "RUNNING   pid 1000, uptime 0:03:12",
                   "L:api" + pad + "STOPPED   Not started",
                   "L:bad" + pad + "FATAL     Exited too quickly (process log may have details)",
                   "L:worker" + std::string(27, ' ') + "STARTING  ", "F:2 programs not running"}));
  EXPECT_EQ(final_condition(r), SUP__PROGSTOPPED);
}

TEST_F(CoreRequests, StatusOfRunningProgramsIsNormalAndWidthFollowsLongNames) {
  std::string longname(34, 'n');
  add(longname, 0);
  boot();
  fake.advance(86400 + 2 * 3600 + 11 * 60 + 57);
  auto& r = ask(1, "status", {longname});
  EXPECT_EQ(texts(r),
            (Lines{"L:" + longname + "   RUNNING   pid 1000, uptime 1 day, 2:11:57", "F:"}));
  EXPECT_EQ(final_condition(r), SUP__NORMAL);
}

TEST_F(CoreRequests, StatusOfAStoppedProgramShowsWhenItStopped) {
  add("web", 0).autorestart = config::Autorestart::False;
  boot();
  fake.advance(60);
  exit_with(pid("web"), 0);
  auto& r = ask(1, "status", {"web", "nosuch"});
  EXPECT_EQ(texts(r), (Lines{"L:web" + std::string(30, ' ') + "EXITED    " +
                                 core::format_stop_time(fake.wall_now()),
                             "L:nosuch: ERROR (no such process)", "F:"}));
  EXPECT_EQ(final_condition(r), SUP__NOSUCHPROC);  // worse than PROGSTOPPED
}

TEST_F(CoreRequests, PidOfDaemonAndPrograms) {
  add("web", 0);
  add("idle", 0, false);
  boot();
  EXPECT_EQ(texts(ask(1, "pid")), (Lines{"L:42", "F:"}));
  EXPECT_EQ(texts(ask(2, "pid", {"web"})), (Lines{"L:1000", "F:"}));
  EXPECT_EQ(texts(ask(3, "pid", {"idle"})), (Lines{"L:0", "F:"}));
  EXPECT_EQ(final_condition(ask(4, "pid", {"nosuch"})), SUP__NOSUCHPROC);
}

TEST_F(CoreRequests, VersionAndShutdown) {
  add("web", 0);
  boot();
  auto& v = ask(1, "version");
  EXPECT_EQ(texts(v), Lines{std::string("F:supervisor-vms version ") + SUP_VERSION});
  EXPECT_EQ(final_condition(v), SUP__VERSION);
  auto& s = ask(2, "shutdown");
  EXPECT_EQ(final_condition(s), SUP__SHUTDOWN);
  EXPECT_TRUE(sup->done());
}

TEST_F(CoreRequests, StartIsRefusedDuringShutdown) {
  add("web", 0);
  boot();
  event(platform::Event::Kind::Shutdown);
  EXPECT_EQ(final_condition(ask(1, "start", {"web"})), SUP__SHUTTING);
  EXPECT_EQ(final_condition(ask(2, "status")), SUP__NORMAL);  // STOPPING is not "stopped"
}

TEST_F(CoreRequests, MissingNamesAreAUsageError) {
  boot();
  EXPECT_EQ(final_condition(ask(1, "start")), SUP__USAGE);
  EXPECT_EQ(final_condition(ask(2, "stop")), SUP__USAGE);
}

}  // namespace
}  // namespace sup::test
