// The SUPERVISOR verb end to end: every action in DCL syntax against a real daemon, the
// exit codes of SUPERVISOR-BEHAVIOUR.md, HELP, and the interactive prompts through a
// pseudo-terminal.
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include "support/daemon_fixture.hpp"

namespace sup::testing {
namespace {

std::string user() {
  const char* u = std::getenv("USER");
  return u ? u : "root";
}

std::string programs() {
  std::string u = user();
  return "[program:web]\nimage = /bin/sleep\narguments = 300\nstartsecs = 0\nuser = " + u +
         "\n\n[program:worker]\nimage = /bin/sleep\narguments = 301\nstartsecs = 0\nuser = " + u +
         "\n\n[program:idle]\nimage = /bin/sleep\narguments = 302\nstartsecs = 0\nautostart = "
         "false\nuser = " +
         u +
         "\n\n[program:broken]\nimage = /no/such/image\nautostart = false\n"
         "startretries = 0\nuser = " +
         u + "\n";
}

class ClientDcl : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    daemon_ = new Daemon(programs());
    ASSERT_TRUE(daemon_->start());
    ASSERT_TRUE(daemon_->wait_state("web", "RUNNING"));
    ASSERT_TRUE(daemon_->wait_state("worker", "RUNNING"));
  }
  static void TearDownTestSuite() { delete daemon_; }
  static Daemon* daemon_;
};
Daemon* ClientDcl::daemon_ = nullptr;

TEST_F(ClientDcl, StatusWithProgramQualifier) {
  auto r = daemon_->dcl("status /program=web");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("web ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("RUNNING"), std::string::npos);
  auto list = daemon_->dcl("st /prog=(web,worker)");  // ST is ambiguous: START STATUS STOP
  EXPECT_EQ(list.exit_code, 2);
  EXPECT_NE(list.err.find("%CLI-W-"), std::string::npos) << list.err;
  auto abbrev = daemon_->dcl("stat /prog=(web,worker)");
  EXPECT_EQ(abbrev.exit_code, 0) << abbrev.err;
  EXPECT_NE(abbrev.out.find("worker"), std::string::npos);
}

TEST_F(ClientDcl, StatusWithAStoppedProgramExits3) {
  auto r = daemon_->dcl("status");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.out.find("idle"), std::string::npos);
  EXPECT_NE(r.err.find("%SUPERVISOR-W-PROGSTOPPED"), std::string::npos) << r.err;
}

TEST_F(ClientDcl, UnknownNameExits4) {
  auto r = daemon_->dcl("status nosuch");
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("%SUPERVISOR-E-NOSUCHPROC"), std::string::npos) << r.err;
}

TEST_F(ClientDcl, StartFaultExits7) {
  auto r = daemon_->dcl("start broken");
  EXPECT_EQ(r.exit_code, 7) << r.out << r.err;
  EXPECT_NE(r.err.find("%SUPERVISOR-E-SPAWNERR"), std::string::npos) << r.err;
}

TEST_F(ClientDcl, UsageErrorsExit2) {
  for (auto line :
       {"start", "status /bogus", "start web /all", "frobnicate", "stop /nowait /timeout=3 web"}) {
    auto r = daemon_->dcl(line);
    EXPECT_EQ(r.exit_code, 2) << line << ": " << r.err;
    EXPECT_FALSE(r.err.empty()) << line;
  }
}

TEST_F(ClientDcl, StartStopRestartPidVersion) {
  auto start = daemon_->dcl("start idle");
  EXPECT_EQ(start.exit_code, 0) << start.err;
  EXPECT_NE(start.out.find("idle: started"), std::string::npos) << start.out;
  auto again = daemon_->dcl("start idle");
  EXPECT_EQ(again.exit_code, 0);  // already started is not a failure (supervisorctl)
  auto pid = daemon_->dcl("pid idle");
  EXPECT_EQ(pid.exit_code, 0);
  long p = std::atol(pid.out.c_str());
  EXPECT_TRUE(process_alive(p));
  auto restart = daemon_->dcl("restart /program=idle");
  EXPECT_EQ(restart.exit_code, 0) << restart.err;
  EXPECT_NE(restart.out.find("idle: stopped"), std::string::npos) << restart.out;
  EXPECT_NE(restart.out.find("idle: started"), std::string::npos) << restart.out;
  EXPECT_NE(daemon_->pid_of("idle"), p);
  auto stop = daemon_->dcl("stop idle");
  EXPECT_EQ(stop.exit_code, 0);
  EXPECT_NE(stop.out.find("idle: stopped"), std::string::npos);
  auto version = daemon_->dcl("version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.out.find("supervisor-vms version"), std::string::npos) << version.out;
  auto dpid = daemon_->dcl("pid");
  EXPECT_EQ(std::atol(dpid.out.c_str()), daemon_->daemon_pid());
}

TEST_F(ClientDcl, NowaitReturnsBeforeTheOutcome) {
  auto r = daemon_->dcl("start /nowait idle");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(daemon_->wait_state("idle", "RUNNING"));
  EXPECT_EQ(daemon_->dcl("stop idle /wait").exit_code, 0);
}

TEST_F(ClientDcl, OutputQualifierWritesTheReportToAFile) {
  std::string file = daemon_->dir() + "/status.txt";
  auto r = daemon_->dcl("status web /output=" + file);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(r.out.empty()) << r.out;
  auto cat = run_command({"/bin/cat", file});
  EXPECT_NE(cat.out.find("web"), std::string::npos);
}

TEST_F(ClientDcl, SupervisorctlSyntaxStillWorks) {
  auto r = daemon_->ctl({"status", "web", "worker"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("worker"), std::string::npos);
  EXPECT_EQ(daemon_->ctl({"status", "nosuch"}).exit_code, 4);
  EXPECT_EQ(daemon_->ctl({"frobnicate"}).exit_code, 2);
}

TEST(ClientNoDaemon, UnreachableDaemonExits4) {
  TempDir t;
  std::string conf =
      t.write("s.conf", "[supervisord]\ntable = " + t.path() +
                            "/table\n[program:a]\nimage = /bin/true\nuser = " + user() + "\n");
  auto r = run_command({binary("supervisor"), "status", "/configuration=" + conf});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("%SUPERVISOR-E-NODAEMON"), std::string::npos) << r.err;
}

TEST(ClientHelp, NonInteractiveHelp) {
  auto r = run_command({binary("supervisor"), "help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Additional information available:"), std::string::npos) << r.out;
  auto q = run_command({binary("supervisor"), "help", "status", "/program"});
  EXPECT_EQ(q.exit_code, 0) << q.err;
  EXPECT_NE(q.out.find("/PROGRAM"), std::string::npos) << q.out;
  auto none = run_command({binary("supervisor"), "help", "nosuchtopic"});
  EXPECT_NE(none.out.find("Sorry, no documentation"), std::string::npos) << none.out;
  EXPECT_EQ(none.exit_code, 2);
  auto ctl = run_command({binary("supervisor"), "-c", "/dev/null", "help", "start"});
  EXPECT_EQ(ctl.exit_code, 0);
  EXPECT_NE(ctl.out.find("START"), std::string::npos);
}

// A pseudo-terminal session: write keystrokes, read until an expected text shows.
class Pty {
 public:
  explicit Pty(const std::vector<std::string>& argv) {
    pid_ = forkpty(&fd_, nullptr, nullptr, nullptr);
    if (pid_ == 0) {
      std::vector<char*> a;
      for (auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
      a.push_back(nullptr);
      setenv("TERM", "dumb", 1);
      execv(a[0], a.data());
      _exit(127);
    }
  }
  ~Pty() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) close(fd_);
  }
  void send(const std::string& s) { (void)!write(fd_, s.data(), s.size()); }
  // Reads what is there for up to `wait` (keeps the pty from filling up).
  void drain(std::chrono::milliseconds wait) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(wait.count())) <= 0) return;
    char buf[1024];
    ssize_t n = read(fd_, buf, sizeof buf);
    if (n > 0) seen_.append(buf, static_cast<size_t>(n));
  }
  // Reads until `text` appears in what was read since the last expect().
  bool expect(const std::string& text) {
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (seen_.find(text) == std::string::npos) {
      if (std::chrono::steady_clock::now() > end) return false;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 200) <= 0) continue;
      char buf[1024];
      ssize_t n = read(fd_, buf, sizeof buf);
      if (n <= 0) return seen_.find(text) != std::string::npos;
      seen_.append(buf, static_cast<size_t>(n));
    }
    seen_.erase(0, seen_.find(text) + text.size());
    return true;
  }
  int wait_exit() { return wait_exit_typing(""); }
  // Waits for the exit, typing `keys` again every second meanwhile.  Ctrl-D is only an
  // end of file while the terminal is in canonical mode: typed while libedit switches
  // to raw mode it can be lost, as for a real user, who would simply press it again.
  int wait_exit_typing(const std::string& keys) {
    int st = 0;
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    auto next = std::chrono::steady_clock::now();
    while (waitpid(pid_, &st, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > end) return -1;
      if (!keys.empty() && std::chrono::steady_clock::now() >= next) {
        send(keys);
        next += std::chrono::seconds(1);
      }
      drain(std::chrono::milliseconds(100));
    }
    pid_ = -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  }

 private:
  int fd_ = -1;
  pid_t pid_ = -1;
  std::string seen_;
};

TEST(ClientHelp, InteractiveNavigationThroughAPseudoTerminal) {
  Pty t({binary("supervisor"), "help"});
  ASSERT_TRUE(t.expect("Additional information available:"));
  ASSERT_TRUE(t.expect("SUPERVISOR Subtopic? "));
  t.send("start\r");
  ASSERT_TRUE(t.expect("SUPERVISOR START Subtopic? "));
  t.send("?\r");  // lists START's subtopics again
  ASSERT_TRUE(t.expect("Qualifiers"));
  ASSERT_TRUE(t.expect("SUPERVISOR START Subtopic? "));
  t.send("\r");  // RETURN goes up one level
  ASSERT_TRUE(t.expect("SUPERVISOR Subtopic? "));
  t.send("\r");
  ASSERT_TRUE(t.expect("Topic? "));
  t.send("\r");  // and at the top it leaves
  EXPECT_EQ(t.wait_exit(), 0);
}

TEST(ClientHelp, CtrlDLeavesHelp) {
  Pty t({binary("supervisor"), "help", "start"});
  ASSERT_TRUE(t.expect("SUPERVISOR START Subtopic? "));
  EXPECT_EQ(t.wait_exit_typing("\x04"), 0);
}

TEST(ClientPrompt, InteractiveVerbPromptAndMissingParameterPrompt) {
  Pty t({binary("supervisor")});
  ASSERT_TRUE(t.expect("SUPERVISOR> "));
  t.send("help version\r");
  ASSERT_TRUE(t.expect("VERSION"));
  ASSERT_TRUE(t.expect("Subtopic? "));
  t.send("\r");  // RETURN up to SUPERVISOR, to Topic?, then out of HELP
  ASSERT_TRUE(t.expect("Subtopic? "));
  t.send("\r");
  ASSERT_TRUE(t.expect("Topic? "));
  t.send("\r");
  ASSERT_TRUE(t.expect("SUPERVISOR> "));
  t.send("\r");  // an empty line prompts again
  ASSERT_TRUE(t.expect("SUPERVISOR> "));
  t.send("exit\r");
  EXPECT_EQ(t.wait_exit(), 0);
}

TEST(ClientPrompt, CtrlDLeavesThePrompt) {
  Pty t({binary("supervisor")});
  ASSERT_TRUE(t.expect("SUPERVISOR> "));
  EXPECT_EQ(t.wait_exit_typing("\x04"), 0);
}

TEST(ClientPrompt, MissingActionIsPromptedAtATerminal) {
  Pty t({binary("supervisor"), "/configuration=/nonexistent.conf"});
  ASSERT_TRUE(t.expect("_Action: "));
  t.send("version\r");
  ASSERT_TRUE(t.expect("NOCONFIG"));
  EXPECT_EQ(t.wait_exit(), 1);
}

}  // namespace
}  // namespace sup::testing
