// supervisord with real processes: the lifecycle rules of doc/behaviour.md as a
// user sees them through the real client.  Each test has its own directory, table and
// socket; every wait is for a condition with a generous deadline.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <regex>
#include <thread>

#include "support/daemon_fixture.hpp"

namespace sup::testing {
namespace {

using namespace std::chrono_literals;

std::string user() {
  return current_user();
}

// A [program:x] section running /bin/sh -c SCRIPT.
std::string program(const std::string& name, const std::string& script,
                    const std::string& extra = "") {
  return "[program:" + name + "]\nimage = /bin/sh\narguments = -c \"" + script +
         "\"\nuser = " + user() + "\n" + extra + "\n";
}

int count_lines(const std::string& text, const std::string& needle) {
  int n = 0;
  for (std::size_t p = 0; (p = text.find(needle, p)) != std::string::npos; p += needle.size()) ++n;
  return n;
}

TEST(DaemonLifecycle, StartsecsSuccessGoesRunning) {
  Daemon d(program("ok", "exec sleep 300", "startsecs = 1"));
  ASSERT_TRUE(d.start());
  EXPECT_TRUE(d.wait_state("ok", "RUNNING"));
  auto r = d.ctl({"status", "ok"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(^ok {31}RUNNING   pid \d+, uptime 0:00:0\d)")))
      << r.out;
}

TEST(DaemonLifecycle, BackoffThenFatalAfterStartretries) {
  Daemon d(program("quick", "exit 3", "startsecs = 1\nstartretries = 2"));
  ASSERT_TRUE(d.start());
  ASSERT_TRUE(d.wait_state("quick", "FATAL", 60s));
  auto log = d.log();
  // 1 + startretries attempts, backoff 1 s then 2 s between them.
  EXPECT_EQ(count_lines(log, "quick: spawned"), 3) << log;
  EXPECT_NE(log.find("BACKOFF"), std::string::npos);
  // The waits between attempts are at least 1 s, then at least 2 s (a loaded machine
  // can only make them longer), read from the log's millisecond timestamps.
  std::vector<double> spawned;
  std::regex stamp(R"((\d\d):(\d\d):(\d\d),(\d\d\d) INFO quick: spawned)");
  for (std::sregex_iterator it(log.begin(), log.end(), stamp), end; it != end; ++it)
    spawned.push_back(std::stoi((*it)[1]) * 3600 + std::stoi((*it)[2]) * 60 + std::stoi((*it)[3]) +
                      std::stoi((*it)[4]) / 1000.0);
  ASSERT_EQ(spawned.size(), 3u) << log;
  auto gap = [&](int i) {  // across midnight, the clock starts again from 0
    double d = spawned[i + 1] - spawned[i];
    return d < 0 ? d + 86400 : d;
  };
  EXPECT_GE(gap(0), 1.0) << log;
  EXPECT_GE(gap(1), 2.0) << log;
  auto r = d.ctl({"status", "quick"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.out.find("Exited too quickly"), std::string::npos) << r.out;
}

TEST(DaemonLifecycle, AutorestartUnexpectedHonoursExitcodes) {
  Daemon d(
      program("expected", "sleep 1; exit 5", "startsecs = 0\nexitcodes = 5,6") +
      program("unexpected", "sleep 1; exit 4", "startsecs = 0\nexitcodes = 5") +
      program("never", "sleep 1; exit 4", "startsecs = 0\nautorestart = false") +
      program("always", "sleep 1; exit 5", "startsecs = 0\nautorestart = true\nexitcodes = 5"));
  ASSERT_TRUE(d.start());
  EXPECT_TRUE(d.wait_state("expected", "EXITED"));
  EXPECT_TRUE(d.wait_state("never", "EXITED"));
  // The restarting ones come back with a new pid.
  EXPECT_TRUE(wait_for([&] { return count_lines(d.log(), "unexpected: spawned") >= 2; }));
  EXPECT_TRUE(wait_for([&] { return count_lines(d.log(), "always: spawned") >= 2; }));
  auto log = d.log();
  EXPECT_EQ(count_lines(log, " expected: spawned"), 1) << log;
  EXPECT_EQ(count_lines(log, " never: spawned"), 1) << log;
}

TEST(DaemonLifecycle, ProgramIgnoringTermIsKilledAfterStopwaitsecs) {
  Daemon d(program("stubborn", "trap '' TERM; while :; do sleep 1; done",
                   "startsecs = 0\nstopwaitsecs = 1"));
  ASSERT_TRUE(d.start());
  ASSERT_TRUE(d.wait_state("stubborn", "RUNNING"));
  long pid = d.pid_of("stubborn");
  ASSERT_GT(pid, 0);
  auto r = d.ctl({"stop", "stubborn"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("stubborn: stopped"), std::string::npos) << r.out;
  EXPECT_FALSE(process_alive(pid));
  EXPECT_NE(d.log().find("sending kill"), std::string::npos);
}

TEST(DaemonLifecycle, SpawnErrorsShowTheirReason) {
  Daemon d("[program:noimage]\nimage = /no/such/image\nuser = " + user() +
           "\nstartretries = 0\n\n[program:notexec]\nimage = /proc/version\nuser = " + user() +
           "\nstartretries = 0\n\n[program:badout]\nimage = /bin/true\nstdout_file = "
           "/no/such/dir/out.log\nuser = " +
           user() + "\nstartretries = 0\n");
  ASSERT_TRUE(d.start());
  for (auto name : {"noimage", "notexec", "badout"})
    EXPECT_TRUE(d.wait_state(name, "FATAL")) << name;
  auto r = d.ctl({"status"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.out.find("No such file or directory"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Permission denied"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("/no/such/dir/out.log"), std::string::npos) << r.out;
  auto s = d.ctl({"start", "noimage"});
  EXPECT_EQ(s.exit_code, 7) << s.out << s.err;
  EXPECT_NE((s.out + s.err).find("spawn error"), std::string::npos) << s.out << s.err;
}

TEST(DaemonLifecycle, ProgramsSeeTheirProcessNameInTheEnvironment) {
  Daemon d(program(
      "named",
      "echo $SUPERVISOR_ENABLED $SUPERVISOR_PROCESS_NAME $SUPERVISOR_GROUP_NAME; exec sleep 300",
      "startsecs = 0\nprocess_name = WEB_1\nstdout_file = %(here)s/named.out"));
  ASSERT_TRUE(d.start());
  ASSERT_TRUE(d.wait_state("named", "RUNNING"));
  std::string out;
  EXPECT_TRUE(wait_for([&] {
    std::ifstream in(d.dir() + "/named.out");
    std::getline(in, out);
    return !out.empty();
  }));
  EXPECT_EQ(out, "1 WEB_1 named");
}

// A program whose creation hangs (its output is a FIFO nobody opens: the child blocks
// in open() before exec) delays only that program: meanwhile requests are answered and
// another program is restarted; after kCreateTimeoutSeconds the hung one is ended and
// FATAL (startretries = 0) with a reason that says what happened.
TEST(DaemonLifecycle, AHungCreationDelaysOnlyItsOwnProgram) {
  TempDir fifos;
  std::string out = fifos.path() + "/out", in = fifos.path() + "/in";
  ASSERT_EQ(mkfifo(out.c_str(), 0600), 0);
  ASSERT_EQ(mkfifo(in.c_str(), 0600), 0);
  Daemon d(program("noreader", "exec sleep 300",
                   "startsecs = 0\nstartretries = 0\nstdout_file = " + out) +
           program("nowriter", "exec sleep 300", "startsecs = 0\ncommand = " + in) +
           program("other", "exec sleep 300", "startsecs = 0\nautorestart = true"));
  ASSERT_TRUE(d.start());
  ASSERT_TRUE(d.wait_state("other", "RUNNING"));
  // Input from a FIFO nobody writes: the program starts and simply waits on its stdin.
  EXPECT_TRUE(d.wait_state("nowriter", "RUNNING"));
  auto s = d.ctl({"status", "noreader"});
  ASSERT_NE(s.out.find("STARTING"), std::string::npos) << s.out;  // still being created
  const long first = d.pid_of("other");
  kill(static_cast<pid_t>(first), SIGKILL);
  EXPECT_TRUE(wait_for([&] {
    const long now = d.pid_of("other");
    return now > 0 && now != first;
  }));
  s = d.ctl({"status", "noreader"});
  EXPECT_NE(s.out.find("STARTING"), std::string::npos) << s.out;  // the restart did not wait
  EXPECT_EQ(d.ctl({"version"}).exit_code, 0);
  EXPECT_TRUE(d.wait_state("noreader", "FATAL"));
  s = d.ctl({"status", "noreader"});
  EXPECT_NE(s.out.find("did not reach its image within 10 seconds"), std::string::npos) << s.out;
  EXPECT_NE(s.out.find("a FIFO nobody reads"), std::string::npos) << s.out;
}

// The same FIFO with a reader that comes later than the program: it starts then.
TEST(DaemonLifecycle, AFifoWhoseReaderComesLaterLetsTheProgramStart) {
  TempDir fifos;
  std::string out = fifos.path() + "/out";
  ASSERT_EQ(mkfifo(out.c_str(), 0600), 0);
  Daemon d(program("late", "echo hello; exec sleep 300", "startsecs = 0\nstdout_file = " + out));
  ASSERT_TRUE(d.start());
  ASSERT_TRUE(d.wait_ready());
  EXPECT_NE(d.ctl({"status", "late"}).out.find("STARTING"), std::string::npos);
  std::ifstream reader(out);  // opening it lets the child's open() complete
  std::string line;
  EXPECT_TRUE(std::getline(reader, line));
  EXPECT_EQ(line, "hello");
  EXPECT_TRUE(d.wait_state("late", "RUNNING"));
}

TEST(DaemonLifecycle, UnknownUserIsASpawnError) {
  Daemon d("[program:who]\nimage = /bin/true\nuser = no_such_user_xyz\nstartretries = 0\n");
  ASSERT_TRUE(d.start());
  EXPECT_TRUE(d.wait_state("who", "FATAL"));
  EXPECT_NE(d.ctl({"status", "who"}).out.find("no_such_user_xyz"), std::string::npos);
}

TEST(DaemonLifecycle, ShutdownLeavesProgramsAndNextDaemonReattaches) {
  Daemon d(program("keep", "exec sleep 300", "startsecs = 0") +
           program("ends", "exec sleep 300", "startsecs = 0\nautorestart = true"));
  ASSERT_TRUE(d.start());
  ASSERT_TRUE(d.wait_state("keep", "RUNNING"));
  ASSERT_TRUE(d.wait_state("ends", "RUNNING"));
  long keep = d.pid_of("keep"), ends = d.pid_of("ends");
  auto r = d.ctl({"shutdown"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(d.wait_exit(), 0);
  EXPECT_TRUE(process_alive(keep));
  EXPECT_TRUE(process_alive(ends));
  // One program ends while no daemon runs.
  kill(static_cast<pid_t>(ends), SIGKILL);
  ASSERT_TRUE(wait_for([&] { return !process_alive(ends); }));
  ASSERT_TRUE(d.start());
  EXPECT_TRUE(d.wait_state("keep", "RUNNING"));
  EXPECT_EQ(d.pid_of("keep"), keep);  // the same process, not a new one
  // The one that ended is noticed and, autorestart=true, started again.
  EXPECT_TRUE(wait_for([&] {
    long p = d.pid_of("ends");
    return p > 0 && p != ends;
  }));
  EXPECT_NE(d.log().find("ended while no supervisord ran"), std::string::npos) << d.log();
  // No duplicate: exactly one sleep 300 per program.
  auto ps = run_command({"/bin/sh", "-c", "pgrep -f -x 'sleep 300' | wc -l"});
  EXPECT_GE(std::atoi(ps.out.c_str()), 2);
  EXPECT_EQ(count_lines(d.log(), "keep: spawned"), 1);
}

TEST(DaemonLifecycle, SecondDaemonOnTheSameTableRefuses) {
  Daemon d(program("a", "exec sleep 300", "startsecs = 0"));
  ASSERT_TRUE(d.start());
  auto r = run_command({binary("supervisord"), "-n", "-c", d.config()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("another supervisord"), std::string::npos) << r.err;
  EXPECT_TRUE(d.running());
}

TEST(DaemonLifecycle, TermStopsAllProgramsAndExits) {
  Daemon d(program("a", "exec sleep 300", "startsecs = 0") +
           program("b", "exec sleep 300", "startsecs = 0"));
  ASSERT_TRUE(d.start());
  ASSERT_TRUE(d.wait_state("a", "RUNNING"));
  ASSERT_TRUE(d.wait_state("b", "RUNNING"));
  long a = d.pid_of("a"), b = d.pid_of("b");
  d.signal(SIGTERM);
  EXPECT_EQ(d.wait_exit(), 0);
  EXPECT_FALSE(process_alive(a));
  EXPECT_FALSE(process_alive(b));
}

TEST(DaemonLifecycle, IdleDaemonMakesNoContextSwitches) {
  Daemon d(program("idle", "exec sleep 300", "startsecs = 0"));
  ASSERT_TRUE(d.start());
  ASSERT_TRUE(d.wait_state("idle", "RUNNING"));
  auto switches = [&] {
    std::ifstream in("/proc/" + std::to_string(d.daemon_pid()) + "/status");
    long total = 0;
    for (std::string line; std::getline(in, line);)
      if (line.find("ctxt_switches:") != std::string::npos)
        total += std::atol(line.substr(line.find(':') + 1).c_str());
    return total;
  };
  // Let the reply to the last client finish, then watch an idle period.
  std::this_thread::sleep_for(500ms);
  long before = switches();
  std::this_thread::sleep_for(3s);
  EXPECT_EQ(switches(), before);
}

TEST(DaemonLifecycle, TwoHundredProgramsStartAndStop) {
  std::string programs;
  for (int i = 0; i < 200; ++i)
    programs += "[program:p" + std::to_string(i) +
                "]\nimage = /bin/sleep\narguments = " + std::to_string(1000 + i) +
                "\nuser = " + user() + "\nstartsecs = 0\n\n";
  Daemon d(programs);
  ASSERT_TRUE(d.start());
  ASSERT_TRUE(wait_for(
      [&] {
        auto r = d.ctl({"status"});
        return r.exit_code == 0 && count_lines(r.out, "RUNNING") == 200;
      },
      120s));
  auto stop = d.ctl({"stop", "all"});
  EXPECT_EQ(stop.exit_code, 0) << stop.err;
  EXPECT_EQ(count_lines(stop.out, ": stopped"), 200);
  auto r = d.ctl({"status"});
  EXPECT_EQ(count_lines(r.out, "STOPPED"), 200);
  auto start = d.ctl({"start", "all"});
  EXPECT_EQ(start.exit_code, 0) << start.err;
  EXPECT_EQ(count_lines(start.out, ": started"), 200);
}

}  // namespace
}  // namespace sup::testing
