// supervisord when its surroundings fail: a log location that is full or cannot be
// written, a table directory it cannot use, a table with garbage in it, a socket left
// behind by a killed daemon.  In each case it says so clearly and keeps supervising (or,
// when it cannot run at all, refuses at start with a message naming the culprit), and
// it loses no program.
//
// chmod does not stop root.  Run as root, the tests make a location unusable by putting
// a regular file where a directory should be (ENOTDIR instead of EACCES): the same
// failure paths, honestly exercised rather than skipped.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "sup_messages.hpp"
#include "support/daemon_fixture.hpp"

namespace sup::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string user() {
  return current_user();
}

// The errno text an unusable location gives: EACCES for a user, ENOTDIR for root.
std::string unusable_errno_text() {
  return is_root() ? "Not a directory" : "Permission denied";
}

int count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (std::size_t p = 0; (p = text.find(needle, p)) != std::string::npos; p += needle.size()) ++n;
  return n;
}

// Replaces `from` by `to` in the daemon's configuration file.
void edit_config(const Daemon& d, const std::string& from, const std::string& to) {
  std::ifstream in(d.config());
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  auto at = s.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  s.replace(at, from.size(), to);
  std::ofstream(d.config(), std::ios::trunc) << s;
}

const std::string kFixtureLog = "logfile = %(here)s/supervisord.log";

// Sleepers run through a symlink in their own directory: argv[0] tells this test's
// processes from every other on the machine (see processes_with_argv0).
class Fleet {
 public:
  Fleet() : marker_(place_.path() + "/env_sleep") { fs::create_symlink("/bin/sleep", marker_); }
  ~Fleet() {
    for (const auto& p : processes_with_argv0(marker_)) kill(static_cast<pid_t>(p.pid), SIGKILL);
  }
  // A [program:name] section running the marker image.
  std::string program(const std::string& name, const std::string& extra = "") const {
    return "[program:" + name + "]\nimage = " + marker_ + "\narguments = 300\nuser = " + user() +
           "\nstartsecs = 0\n" + extra + "\n";
  }
  // The live processes of the fleet.
  std::size_t live() const { return processes_with_argv0(marker_).size(); }
  bool alive(long pid) const {
    for (const auto& p : processes_with_argv0(marker_))
      if (p.pid == pid) return true;
    return false;
  }

 private:
  TempDir place_;
  std::string marker_;
};

// A program that exits after a moment and is restarted at once: it keeps the log busy.
std::string flapper(const std::string& name) {
  return "[program:" + name +
         "]\nimage = /bin/sh\narguments = -c \"sleep 0.2; exit 1\"\nuser = " + user() +
         "\nstartsecs = 0\nautorestart = true\n\n";
}

// The pid of a RUNNING program, straight from the socket (the client needs the table).
long raw_pid(const std::string& socket, const std::string& name) {
  auto r = raw_request(socket, "pid", {name}, 0, 30000);
  return r.complete && r.lines.size() == 1 ? std::atol(r.lines[0].second.c_str()) : 0;
}

TEST(FaultEnv, LogOnDevFullIsReportedOnceAndSupervisionGoesOn) {
  Fleet fleet;
  Daemon d(fleet.program("a") + flapper("flap"));
  edit_config(d, kFixtureLog, "logfile = /dev/full");
  ASSERT_TRUE(d.start());
  ASSERT_TRUE(d.wait_ready());
  ASSERT_TRUE(d.wait_state("a", "RUNNING"));
  // The log keeps failing (each line mirrored on stderr in -n mode) while the flapper
  // is restarted again and again.
  ASSERT_TRUE(wait_for([&] { return count(d.output(), "flap: spawned") >= 5; }, 60s));
  const std::string out = d.output();
  EXPECT_EQ(count(out, "activity log:"), 1) << out;
  EXPECT_NE(out.find("supervisord: activity log: cannot write /dev/full: No space left on device"),
            std::string::npos)
      << out;
  // Still supervising: a killed program comes back.
  long pid = d.pid_of("a");
  ASSERT_GT(pid, 0);
  kill(static_cast<pid_t>(pid), SIGKILL);
  EXPECT_TRUE(wait_for([&] {
    long now = d.pid_of("a");
    return now > 0 && now != pid;
  }));
  EXPECT_EQ(fleet.live(), 1u);
  EXPECT_EQ(count(d.output(), "activity log:"), 1);
}

TEST(FaultEnv, UnwritableLogDirectoryIsReportedAndLoggingResumesOnReopen) {
  Fleet fleet;
  Daemon d(fleet.program("a") + fleet.program("b"));
  const std::string logs = d.dir() + "/logs";
  const std::string log_path = logs + "/supervisord.log";
  edit_config(d, kFixtureLog, "logfile = " + log_path);
  make_unwritable(logs);
  ASSERT_TRUE(d.start());
  ASSERT_TRUE(d.wait_ready()) << d.output();
  EXPECT_TRUE(d.wait_state("a", "RUNNING"));
  EXPECT_TRUE(d.wait_state("b", "RUNNING"));
  const std::string out = d.output();
  EXPECT_EQ(count(out, "activity log:"), 1) << out;
  EXPECT_NE(out.find("activity log: cannot open " + log_path + ": " + unusable_errno_text() +
                     " (continuing without it)"),
            std::string::npos)
      << out;
  EXPECT_EQ(fleet.live(), 2u);

  // The operator fixes the location and asks for the logs to be reopened (SIGUSR2).
  make_writable(logs);
  d.signal(SIGUSR2);
  ASSERT_TRUE(wait_for([&] {
    std::ifstream in(log_path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str().find("log files reopened") != std::string::npos;
  }));
  EXPECT_EQ(d.ctl({"stop", "b"}).exit_code, 0);
  std::ifstream in(log_path);
  std::stringstream s;
  s << in.rdbuf();
  EXPECT_NE(s.str().find("b: STOPPING -> STOPPED"), std::string::npos) << s.str();
}

TEST(FaultEnv, UnusableTableDirectoryIsRefusedAtStart) {
  Fleet fleet;
  Daemon d(fleet.program("a"));
  if (is_root()) {
    std::ofstream(d.table()) << "a file where the table directory should be\n";
  } else {
    fs::create_directories(d.table());
    chmod(d.table().c_str(), 0);
  }
  auto r = run_command({binary("supervisord"), "-n", "-c", d.config()});
  if (!is_root()) chmod(d.table().c_str(), 0700);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("%SUPERVISOR-E-TABLEERR, table " + d.table()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(is_root() ? "not a directory" : "Permission denied"), std::string::npos)
      << r.err;
  EXPECT_EQ(fleet.live(), 0u);  // refused before starting anything
}

// A daemon supervising a and b whose table becomes unwritable; then a is killed.
struct TableBehind {
  long old_a = 0, b = 0, new_a = 0;
  std::string sock;  // where the socket is while the table is unwritable
};

// Supervision goes on: a is restarted (and RUNNING: startsecs = 0, so it has exec'd and
// carries the mark), and the table write that fails is logged.
void restart_a_with_the_table_unwritable(Daemon& d, TableBehind& t) {
  ASSERT_TRUE(d.start());
  ASSERT_TRUE(d.wait_ready());
  ASSERT_TRUE(d.wait_state("a", "RUNNING"));
  ASSERT_TRUE(d.wait_state("b", "RUNNING"));
  t.old_a = d.pid_of("a");
  t.b = d.pid_of("b");
  make_unwritable(d.table());
  t.sock = moved(d.table()) + "/supervisord.sock";
  kill(static_cast<pid_t>(t.old_a), SIGKILL);
  ASSERT_TRUE(wait_for([&] {
    t.new_a = raw_pid(t.sock, "a");
    return t.new_a > 0 && t.new_a != t.old_a;
  }));
  ASSERT_TRUE(wait_for([&] {
    const auto r = raw_request(t.sock, "status", {"a"}, 0, 30000);
    return !r.lines.empty() && r.lines[0].second.find("RUNNING") != std::string::npos;
  }));
  ASSERT_TRUE(wait_for([&] {
    return d.log().find("table SUPERVISORD_PRG_A:") != std::string::npos;
  })) << d.log();
}

TEST(FaultEnv, UnwritableTableWhileRunningIsLoggedAndCaughtUpLater) {
  Fleet fleet;
  Daemon d(fleet.program("a") + fleet.program("b"));
  TableBehind t;
  restart_a_with_the_table_unwritable(d, t);
  if (HasFatalFailure()) return;
  const long new_a = t.new_a, b = t.b;
  EXPECT_EQ(raw_request(t.sock, "status", {}, 0, 30000).condition, SUP__NORMAL);

  // Once the table can be written again, the daemon brings it up to date by itself (a
  // timer retries the failed writes; nothing else happens meanwhile) and says so.
  make_writable(d.table());
  EXPECT_TRUE(wait_for([&] { return d.log().find("table is current again") != std::string::npos; }))
      << d.log();
  EXPECT_EQ(raw_request(d.table() + "/supervisord.sock", "status", {}, 0, 30000).condition,
            SUP__NORMAL);
  // The retry runs after the event is handled, so after the reply: wait for the entry.
  EXPECT_TRUE(wait_for([&] {
    std::ifstream entry(d.table() + "/SUPERVISORD_PRG_A");
    long pid = 0;
    return (entry >> pid) && pid == new_a;
  }));
  d.signal(SIGKILL);
  ASSERT_NE(d.wait_exit(), -1);
  ASSERT_TRUE(d.start());
  ASSERT_TRUE(d.wait_ready());
  EXPECT_EQ(d.pid_of("a"), new_a);
  EXPECT_EQ(d.pid_of("b"), b);
  EXPECT_TRUE(fleet.alive(new_a));
  EXPECT_EQ(fleet.live(), 2u);  // no duplicate started beside an unrecorded process
}

// The bug this guards against: the daemon dies while the table still holds a stale
// entry (the restart of `a` could not be recorded).  The next daemon must find the
// running copy by its mark instead of taking `a` for dead and starting a second one.
TEST(FaultEnv, DaemonKilledWhileTheTableIsBehindStartsNoDuplicate) {
  Fleet fleet;
  Daemon d(fleet.program("a") + fleet.program("b"));
  TableBehind t;
  restart_a_with_the_table_unwritable(d, t);
  if (HasFatalFailure()) return;
  const long new_a = t.new_a, b = t.b;
  d.signal(SIGKILL);  // the table still says old_a
  ASSERT_NE(d.wait_exit(), -1);
  make_writable(d.table());
  ASSERT_TRUE(d.start());
  ASSERT_TRUE(d.wait_ready()) << d.output();
  EXPECT_EQ(d.pid_of("a"), new_a);
  EXPECT_EQ(d.pid_of("b"), b);
  EXPECT_NE(d.log().find("a: re-attached to running process, pid " + std::to_string(new_a) +
                         ", found by its mark"),
            std::string::npos)
      << d.log();
  EXPECT_EQ(fleet.live(), 2u);
}

TEST(FaultEnv, CorruptedTableEntriesAreIgnoredAndProgramsStartedNormally) {
  Fleet fleet;
  Daemon d(fleet.program("a") + fleet.program("b") + fleet.program("c") + fleet.program("d") +
           fleet.program("e") + fleet.program("f"));
  fs::create_directories(d.table());
  auto put = [&](const std::string& name, const std::string& value) {
    std::ofstream(d.table() + "/" + name, std::ios::binary) << value;
  };
  put("SUPERVISORD_PRG_A", "garbage\n");
  put("SUPERVISORD_PRG_B", std::string("\x00\xff\x01 \x7f\n\x00", 7));
  put("SUPERVISORD_PRG_C", "");
  put("SUPERVISORD_PRG_D", "99999999999999999999 1 2 RUNNING");
  // Well formed, but the pid is this test's and the identity is not: it must be neither
  // adopted nor signalled.
  put("SUPERVISORD_PRG_E", std::to_string(getpid()) + " 12345 1700000000 RUNNING");
  put("SUPERVISORD_PRG_F", std::string(1 << 20, 'x'));
  put("SUPERVISORD_PRG_NOSUCH", "4711 1 1700000000 RUNNING");
  put("junk", "not a logical name");
  put(".tmp.999", "a write a killed daemon left half done");

  ASSERT_TRUE(d.start());
  ASSERT_TRUE(d.wait_ready()) << d.output();
  for (const char* name : {"a", "b", "c", "d", "e", "f"}) {
    EXPECT_TRUE(d.wait_state(name, "RUNNING")) << name;
    const long pid = d.pid_of(name);
    EXPECT_TRUE(fleet.alive(pid)) << name << " pid " << pid;
    std::ifstream entry(d.table() + "/SUPERVISORD_PRG_" +
                        std::string(1, char(std::toupper(*name))));
    long recorded = 0;
    EXPECT_TRUE(entry >> recorded) << name;
    EXPECT_EQ(recorded, pid) << name;  // rewritten with the real process
  }
  EXPECT_EQ(fleet.live(), 6u);
  const std::string log = d.log();
  for (const char* key : {"A", "B", "C", "D", "F"})
    EXPECT_NE(
        log.find(std::string("table entry SUPERVISORD_PRG_") + key + " ignored: cannot parse"),
        std::string::npos)
        << key << "\n"
        << log.substr(0, 4000);
  EXPECT_NE(log.find("e: process " + std::to_string(getpid()) + " ended while no supervisord ran"),
            std::string::npos);
  EXPECT_NE(log.find("table entry SUPERVISORD_PRG_NOSUCH ignored: no such program"),
            std::string::npos);
  // A megabyte of garbage is not copied into the log, nor a NUL that would cut a line.
  EXPECT_LT(log.size(), 64u * 1024) << "log of " << log.size() << " bytes";
  EXPECT_EQ(log.find('\0'), std::string::npos);
  std::istringstream lines(log);
  const std::regex stamped(R"(^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]{4} .*)");
  for (std::string line; std::getline(lines, line);)
    EXPECT_TRUE(std::regex_match(line, stamped)) << line.substr(0, 200);
}

TEST(FaultEnv, StaleSocketOfAKilledDaemonIsReplaced) {
  Fleet fleet;
  Daemon d(fleet.program("a"));
  ASSERT_TRUE(d.start());
  ASSERT_TRUE(d.wait_ready());
  ASSERT_TRUE(d.wait_state("a", "RUNNING"));
  const long a = d.pid_of("a");
  const std::string sock = d.socket();
  d.signal(SIGKILL);
  ASSERT_NE(d.wait_exit(), -1);
  ASSERT_TRUE(fs::is_socket(sock));  // left behind, with SUPERVISORD_CMD naming it

  // The client says plainly that nobody answers there.
  auto r = d.ctl({"status"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("%SUPERVISOR-E-NODAEMON, cannot reach supervisord at " + sock),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("Connection refused"), std::string::npos) << r.err;

  // The next daemon replaces the socket and the stale entries, and re-attaches.
  ASSERT_TRUE(d.start());
  ASSERT_TRUE(d.wait_ready()) << d.output();
  EXPECT_EQ(d.socket(), sock);
  auto pid = d.ctl({"pid"});
  EXPECT_EQ(std::atol(pid.out.c_str()), d.daemon_pid()) << pid.out << pid.err;
  EXPECT_EQ(d.pid_of("a"), a);
  EXPECT_EQ(fleet.live(), 1u);
}

TEST(FaultEnv, SomethingElseAtTheSocketPathIsNotTouched) {
  Fleet fleet;
  Daemon d(fleet.program("a"));
  fs::create_directories(d.table());
  const std::string sock = d.table() + "/supervisord.sock";
  std::ofstream(sock) << "precious\n";
  auto r = run_command({binary("supervisord"), "-n", "-c", d.config()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("cannot bind " + sock + ": it exists and is not a socket"),
            std::string::npos)
      << r.err;
  std::ifstream in(sock);
  std::string kept;
  std::getline(in, kept);
  EXPECT_EQ(kept, "precious");
  EXPECT_EQ(fleet.live(), 0u);
}

}  // namespace
}  // namespace sup::testing
