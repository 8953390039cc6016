// The OpenVMS backend against the simulator (label vms): each test runs as the first
// process of its own simulated system (`vmssim -- vms_backend_tests --gtest_filter=...`).
// Programs are LOGINOUT with a command procedure, which the simulator's LOGINOUT runs as
// a shell script whose exit status is the final status.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "platform/vms/vms_command.hpp"
#include "platform/vms/vms_platform.hpp"
#include "platform/vms/vms_sys.hpp"
#include "platform/vms/vms_table.hpp"

namespace {

using sup::platform::Event;
using Kind = sup::platform::Event::Kind;
using namespace std::chrono_literals;

constexpr std::uint32_t kAbort = 44;  // SS$_ABORT: `exit 44` in a command procedure

std::string temp_dir() {
  char pattern[] = "/tmp/vmsbeXXXXXX";
  const char* d = ::mkdtemp(pattern);
  return d ? d : "/tmp";
}

std::string write_procedure(const std::string& dir, const std::string& name,
                            const std::string& text) {
  const std::string path = dir + "/" + name;
  std::ofstream(path) << text << "\n";
  return path;
}

sup::platform::ProcessSpec spec_for(const std::string& program, const std::string& procedure) {
  sup::platform::ProcessSpec s;
  s.program = program;
  s.process_name = program;
  s.image = "SYS$SYSTEM:LOGINOUT.EXE";
  s.input = procedure;
  s.output = "NLA0:";
  s.error = "NLA0:";
  return s;
}

// Waits (up to 30 s) until an event satisfies `match`; every event seen goes to `seen`.
bool wait_for(sup::platform::Platform& p, std::vector<Event>& seen,
              const std::function<bool(const Event&)>& match) {
  const auto until = p.now() + 30s;
  for (const auto& e : seen)
    if (match(e)) return true;
  while (p.now() < until) {
    std::vector<Event> batch;
    p.wait(p.now() + 200ms, batch);
    for (auto& e : batch) {
      seen.push_back(e);
      if (match(e)) return true;
    }
  }
  return false;
}

std::unique_ptr<sup::platform::Platform> make(
    const std::vector<sup::vms::ProgramName>& programs = {}) {
  sup::vms::VmsOptions o;
  o.programs = programs;
  std::string error;
  auto p = sup::vms::make_platform(o, error);
  EXPECT_TRUE(p) << error;
  return p;
}

TEST(VmsFrame, RoundTrip) {
  const std::string frame = sup::vms::frame_request("_MBA42:", std::string("SV\2\1\0\0\0\0", 8));
  std::string mbx, record;
  ASSERT_TRUE(sup::vms::parse_frame(frame.data(), frame.size(), mbx, record));
  EXPECT_EQ(mbx, "_MBA42:");
  EXPECT_EQ(record, std::string("SV\2\1\0\0\0\0", 8));
  EXPECT_FALSE(sup::vms::parse_frame(frame.data(), 3, mbx, record));  // name cut short
  EXPECT_TRUE(sup::vms::frame_request("", "x").empty());
}

TEST(VmsTable, SetGetNamesRemove) {
  ASSERT_EQ(sup::vms::create_table("SUPERVISORD_TABLE"), "");
  sup::vms::LnmTable t("SUPERVISORD_TABLE");
  const std::string long_value(200, 'v');  // longer than a short string's inline buffer
  ASSERT_EQ(t.set("SUPERVISORD_PRG_WEB", long_value), "");
  ASSERT_EQ(t.set("SUPERVISORD_PRG_DB", "2040012C 0000/DB 1764093600 RUNNING"), "");
  ASSERT_EQ(t.set("SUPERVISORD_PRG_WEB", "again"), "");  // a redefinition
  EXPECT_EQ(t.get("SUPERVISORD_PRG_WEB").value_or("?"), "again");
  EXPECT_EQ(t.names(), (std::vector<std::string>{"SUPERVISORD_PRG_DB", "SUPERVISORD_PRG_WEB"}));
  ASSERT_EQ(t.remove("SUPERVISORD_PRG_WEB"), "");
  ASSERT_EQ(t.remove("SUPERVISORD_PRG_WEB"), "");  // absent is not an error
  EXPECT_FALSE(t.get("SUPERVISORD_PRG_WEB"));
  EXPECT_EQ(t.names(), (std::vector<std::string>{"SUPERVISORD_PRG_DB"}));
  EXPECT_NE(t.set("bad name", "x"), "");
}

TEST(VmsPlatform, SpawnReportsCreatedStartedAndTheFinalStatus) {
  const std::string dir = temp_dir();
  auto p = make();
  ASSERT_TRUE(p);
  const auto id = p->spawn(spec_for("ABORTER", write_procedure(dir, "abort.com", "exit 44")));
  std::vector<Event> seen;
  ASSERT_TRUE(wait_for(*p, seen, [](const Event& e) { return e.kind == Kind::ChildExited; }));
  ASSERT_GE(seen.size(), 3u);
  EXPECT_EQ(seen[0].kind, Kind::Created);
  EXPECT_EQ(seen[0].spawn, id);
  EXPECT_NE(seen[0].pid, 0u);
  EXPECT_EQ(seen[0].identity.substr(16), "/ABORTER");
  EXPECT_EQ(seen[1].kind, Kind::Started);
  EXPECT_EQ(seen.back().pid, seen[0].pid);
  EXPECT_EQ(seen.back().status.kind, sup::platform::ExitStatus::Kind::Exited);
  EXPECT_EQ(seen.back().status.code, kAbort);
  EXPECT_NE(p->describe_exit(seen.back().status).find("ABORT"), std::string::npos)
      << p->describe_exit(seen.back().status);
  EXPECT_EQ(p->format_pid(0x2040012C), "2040012C");
}

TEST(VmsPlatform, DuplicateProcessNameIsASpawnFailure) {
  const std::string dir = temp_dir();
  auto p = make();
  ASSERT_TRUE(p);
  const std::string sleeper = write_procedure(dir, "sleep.com", "sleep 30");
  p->spawn(spec_for("TWIN", sleeper));
  const auto second = p->spawn(spec_for("TWIN", sleeper));
  std::vector<Event> seen;
  ASSERT_TRUE(wait_for(
      *p, seen, [&](const Event& e) { return e.kind == Kind::SpawnFailed && e.spawn == second; }));
  EXPECT_NE(seen.back().text.find("DUPLNAM"), std::string::npos) << seen.back().text;
  ASSERT_EQ(seen[0].kind, Kind::Created);
  EXPECT_EQ(p->request_stop(seen[0].pid, {}), "");
  EXPECT_TRUE(wait_for(*p, seen, [&](const Event& e) {
    return e.kind == Kind::ChildExited && e.pid == seen[0].pid;
  }));
}

TEST(VmsPlatform, StopThenKill) {
  const std::string dir = temp_dir();
  auto p = make();
  ASSERT_TRUE(p);
  // A procedure that ignores the polite request: only $DELPRC ends it.  It says when its
  // trap is set, so that the request does not come before.
  const std::string ready = dir + "/trapped";
  p->spawn(spec_for("STUBBORN",
                    write_procedure(dir, "stubborn.com",
                                    "trap '' TERM\n: > " + ready + "\nwhile :; do sleep 1; done")));
  std::vector<Event> seen;
  ASSERT_TRUE(wait_for(*p, seen, [](const Event& e) { return e.kind == Kind::Started; }));
  const auto pid = seen[0].pid;
  for (int i = 0; i < 300 && !std::ifstream(ready); ++i) std::this_thread::sleep_for(100ms);
  ASSERT_TRUE(std::ifstream(ready)) << "the procedure never set its trap";
  EXPECT_EQ(p->request_stop(pid, {}), "");
  std::vector<Event> batch;
  p->wait(p->now() + 1s, batch);
  for (const auto& e : batch) EXPECT_NE(e.kind, Kind::ChildExited);
  EXPECT_EQ(p->kill(pid, true), "");
  EXPECT_TRUE(wait_for(
      *p, seen, [&](const Event& e) { return e.kind == Kind::ChildExited && e.pid == pid; }));
}

// The permanent termination mailbox keeps the exit of a program that ended while no
// daemon ran; the next daemon adopts it and reports its real final status.
TEST(VmsPlatform, ExitDuringDowntimeIsReportedWithItsFinalStatus) {
  const std::string dir = temp_dir();
  const std::string flag = dir + "/go";
  sup::platform::ProcessId pid = 0;
  std::string identity;
  {
    auto p = make();
    ASSERT_TRUE(p);
    p->spawn(spec_for("LATER", write_procedure(dir, "later.com",
                                               "while [ ! -e " + flag +
                                                   " ]; do sleep 0.1; done\n"
                                                   "exit 44")));
    std::vector<Event> seen;
    ASSERT_TRUE(wait_for(*p, seen, [](const Event& e) { return e.kind == Kind::Started; }));
    pid = seen[0].pid;
    identity = seen[0].identity;
  }  // the daemon is gone; the program runs on
  std::ofstream(flag) << "go\n";
  // It ends now, into the mailbox nobody reads.
  const auto until = std::chrono::steady_clock::now() + 30s;
  sup::vms::ProcessInfo info;
  while (sup::vms::process_info(static_cast<std::uint32_t>(pid), info) != SS$_NONEXPR) {
    ASSERT_LT(std::chrono::steady_clock::now(), until) << "the program did not end";
    std::this_thread::sleep_for(50ms);
  }
  auto p = make();
  ASSERT_TRUE(p);
  std::int64_t started = 0;
  ASSERT_TRUE(p->adopt(pid, identity, started));
  EXPECT_GT(started, 0);
  std::vector<Event> seen;
  ASSERT_TRUE(wait_for(
      *p, seen, [&](const Event& e) { return e.kind == Kind::ChildExited && e.pid == pid; }));
  EXPECT_EQ(seen.back().status.kind, sup::platform::ExitStatus::Kind::Exited);
  EXPECT_EQ(seen.back().status.code, kAbort);
  // Once reported, the exit is not adopted a second time.
  EXPECT_FALSE(p->adopt(pid, identity, started));
}

TEST(VmsPlatform, FindMarkedFindsOurProgramsByProcessName) {
  const std::string dir = temp_dir();
  sup::platform::ProcessId pid = 0;
  {
    auto p = make();
    ASSERT_TRUE(p);
    p->spawn(spec_for("MARKED", write_procedure(dir, "marked.com", "sleep 30")));
    std::vector<Event> seen;
    ASSERT_TRUE(wait_for(*p, seen, [](const Event& e) { return e.kind == Kind::Started; }));
    pid = seen[0].pid;
  }
  auto p = make({{"marked_program", "MARKED"}});
  ASSERT_TRUE(p);
  const auto marked = p->find_marked();
  ASSERT_EQ(marked.size(), 1u);
  EXPECT_EQ(marked[0].program, "marked_program");
  EXPECT_EQ(marked[0].pid, pid);
  std::int64_t started = 0;
  ASSERT_TRUE(p->adopt(pid, marked[0].identity, started));
  EXPECT_EQ(p->kill(pid, true), "");
  std::vector<Event> seen;
  EXPECT_TRUE(wait_for(
      *p, seen, [&](const Event& e) { return e.kind == Kind::ChildExited && e.pid == pid; }));
}

TEST(VmsPlatform, SecondDaemonOnTheSameTableIsRefused) {
  const std::string dir = temp_dir();
  sup::platform::ProcessId other = 0;
  {
    auto p = make();
    ASSERT_TRUE(p);
    p->spawn(spec_for("HOLDER", write_procedure(dir, "holder.com", "sleep 30")));
    std::vector<Event> seen;
    ASSERT_TRUE(wait_for(*p, seen, [](const Event& e) { return e.kind == Kind::Started; }));
    other = seen[0].pid;
    // As if that process were the daemon holding the table.
    ASSERT_EQ(p->table().set("SUPERVISORD_PID", p->format_pid(other)), "");
  }
  sup::vms::VmsOptions o;
  std::string error;
  EXPECT_FALSE(sup::vms::make_platform(o, error));
  EXPECT_NE(error.find("already uses table SUPERVISORD_TABLE"), std::string::npos) << error;
  sup::vms::LnmTable t("SUPERVISORD_TABLE");
  ASSERT_EQ(t.remove("SUPERVISORD_PID"), "");
  auto p = make();  // free again
  ASSERT_TRUE(p);
  EXPECT_EQ(p->kill(other, true), "");
}

}  // namespace

namespace {

// The client sends nothing to a command mailbox others could read or write: here one
// with protection 0 (every category allowed), named by a table whose daemon is us.
TEST(VmsClient, RefusesAMailboxOpenToOthers) {
  ASSERT_EQ(sup::vms::create_table("SUPERVISORD_TABLE"), "");
  unsigned short chan = 0;
  ASSERT_TRUE(sup::vms::ok(sys$crembx(1, &chan, 1024, 4096, 0, 0, nullptr, 0, 0)));
  sup::vms::DeviceInfo dev;
  ASSERT_TRUE(sup::vms::ok(sup::vms::device_info(chan, dev)));
  sup::vms::ProcessInfo self;
  ASSERT_TRUE(sup::vms::ok(sup::vms::process_info(0, self)));
  sup::vms::LnmTable t("SUPERVISORD_TABLE");
  ASSERT_EQ(t.set("SUPERVISORD_CMD", dev.name), "");
  ASSERT_EQ(t.set("SUPERVISORD_PID", sup::vms::format_pid(self.pid)), "");
  std::string error;
  EXPECT_FALSE(sup::vms::connect_channel("SUPERVISORD_TABLE", "", error));
  EXPECT_NE(error.find("without GROUP and WORLD access"), std::string::npos) << error;
  // With the protection the daemon gives it, the same mailbox is accepted.
  unsigned short private_chan = 0;
  ASSERT_TRUE(sup::vms::ok(
      sys$crembx(1, &private_chan, 1024, 4096, sup::vms::kPrivateProtection, 0, nullptr, 0, 0)));
  ASSERT_TRUE(sup::vms::ok(sup::vms::device_info(private_chan, dev)));
  ASSERT_EQ(t.set("SUPERVISORD_CMD", dev.name), "");
  EXPECT_TRUE(sup::vms::connect_channel("SUPERVISORD_TABLE", "", error)) << error;
  (void)sys$delmbx(chan);
  (void)sys$delmbx(private_chan);
}

}  // namespace
