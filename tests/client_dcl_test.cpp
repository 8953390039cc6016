// The SUPERVISOR verb end to end: every action in DCL syntax against a real daemon, the
// exit codes of doc/behaviour.md section 5, HELP, and the interactive prompts through a
// pseudo-terminal; and, without a daemon, how a DCL line becomes a request
// (cli::parse_dcl_request: names of P2..P8, prompting for missing names).
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>

#include "cli/cld_parser.hpp"
#include "cli/request_parse.hpp"
#include "support/daemon_fixture.hpp"

namespace sup::testing {
namespace {

std::string user() {
  return current_user();
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
         u +
         // quick is RUNNING 1 s after a start, slow only after 30 s (STARTING meanwhile).
         "\n\n[program:quick]\nimage = /bin/sleep\narguments = 303\nstartsecs = 1\n"
         "autostart = false\nuser = " +
         u +
         "\n\n[program:slow]\nimage = /bin/sleep\narguments = 304\nstartsecs = 30\n"
         "autostart = false\nuser = " +
         u + "\n";
}

// The first line of `text` that starts with `name` followed by a blank.
std::string line_of(const std::string& text, const std::string& name) {
  std::size_t at = 0;
  while (at < text.size() && text.compare(at, name.size() + 1, name + " ") != 0) {
    at = text.find('\n', at);
    at = at == std::string::npos ? text.size() : at + 1;
  }
  return at < text.size() ? text.substr(at, text.find('\n', at) - at) : "";
}

const std::string kInsfprm =
    "%CLI-W-INSFPRM, missing command parameters - supply all required parameters\n";

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
  // slow needs 30 s to be RUNNING: /NOWAIT must come back while it is STARTING.
  auto r = daemon_->dcl("start /nowait slow");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(daemon_->state_of("slow"), "STARTING");
  EXPECT_EQ(daemon_->dcl("stop slow").exit_code, 0);
  EXPECT_EQ(daemon_->state_of("slow"), "STOPPED");
}

TEST_F(ClientDcl, WaitReturnsWithTheOutcome) {
  // quick is RUNNING only 1 s after its start: /WAIT (the default) returns then.
  auto r = daemon_->dcl("start /wait quick");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("quick: started"), std::string::npos) << r.out;
  EXPECT_EQ(daemon_->state_of("quick"), "RUNNING");
  EXPECT_EQ(daemon_->dcl("stop quick").exit_code, 0);
}

TEST_F(ClientDcl, HugeTimeoutWaitsForTheOutcome) {
  // (12884872 + 30) * 1000 ms wraps to 112 ms in 32 bits: the client must not give up
  // on the reply while quick takes its 1 s to be RUNNING.
  auto r = daemon_->dcl("start /timeout=12884872 quick");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("quick: started"), std::string::npos) << r.out;
  EXPECT_EQ(daemon_->dcl("stop quick").exit_code, 0);
}

TEST_F(ClientDcl, NamesSeparatedByBlanksForEveryAction) {
  auto start = daemon_->dcl("start idle quick");
  EXPECT_EQ(start.exit_code, 0) << start.err;
  EXPECT_NE(start.out.find("idle: started"), std::string::npos) << start.out;
  EXPECT_NE(start.out.find("quick: started"), std::string::npos) << start.out;
  auto status = daemon_->dcl("status idle quick,web");
  EXPECT_EQ(status.exit_code, 0) << status.err;
  for (const char* name : {"idle", "quick", "web"})
    EXPECT_NE(line_of(status.out, name).find("RUNNING"), std::string::npos) << status.out;
  EXPECT_EQ(line_of(status.out, "worker"), "");
  auto restart = daemon_->dcl("restart quick idle");
  EXPECT_EQ(restart.exit_code, 0) << restart.err;
  EXPECT_NE(restart.out.find("idle: stopped"), std::string::npos) << restart.out;
  EXPECT_NE(restart.out.find("quick: started"), std::string::npos) << restart.out;
  auto stop = daemon_->dcl("stop idle quick");
  EXPECT_EQ(stop.exit_code, 0) << stop.err;
  EXPECT_NE(stop.out.find("idle: stopped"), std::string::npos) << stop.out;
  EXPECT_NE(stop.out.find("quick: stopped"), std::string::npos) << stop.out;
  EXPECT_EQ(daemon_->state_of("quick"), "STOPPED");
  // A name among several that does not exist is still reported.
  EXPECT_EQ(daemon_->dcl("status web nosuch").exit_code, 4);
}

TEST_F(ClientDcl, MissingNameWithoutATerminalIsInsfprm) {
  for (const char* action : {"start", "stop", "restart", "start /nowait"}) {
    auto r = daemon_->dcl(action);
    EXPECT_EQ(r.exit_code, 2) << action;
    EXPECT_EQ(r.err, kInsfprm) << action;  // exactly DCL's message, no SUPERVISOR prefix
    EXPECT_EQ(r.out, "") << action;
  }
}

TEST(ClientNoDaemon, TooManyNamesIsUsageBeforeTheConfiguration) {
  std::string names;
  for (int i = 0; i < 2000; ++i) names += (i ? "," : "") + std::to_string(100000 + i);
  // No configuration file at all: the size is checked before looking for the daemon.
  auto r = run_command({binary("supervisor"), "status", "/program=(" + names + ")",
                        "/configuration=/nonexistent/s.conf"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("%SUPERVISOR-E-USAGE, too many names for one request"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("NOCONFIG"), std::string::npos) << r.err;
  std::vector<std::string> argv = {binary("supervisor"), "-c", "/nonexistent/s.conf", "stop"};
  for (int i = 0; i < 2000; ++i) argv.push_back("name" + std::to_string(i));
  auto ctl = run_command(argv);  // the supervisorctl syntax: the same check
  EXPECT_EQ(ctl.exit_code, 2) << ctl.err;
  EXPECT_NE(ctl.err.find("too many names for one request"), std::string::npos) << ctl.err;
}

TEST_F(ClientDcl, ConfigurationErrorsDoNotLockTheClientOut) {
  // The daemon's table, named through %(ENV_X)s, in a file with a broken program.
  std::string text =
      "; comments and a key before the table\n[supervisord]\nlogfile = %(here)s/x.log\n"
      "table = %(ENV_SUP_TEST_DIR)s/table ; the daemon's\n\n[program:web]\n"
      "image = /bin/sleep\nstartsecs = soon\nuser = " +
      user() + "\n";
  TempDir scratch;
  std::string conf = scratch.write("broken.conf", text);
  std::vector<std::string> env = {"SUP_TEST_DIR=" + daemon_->dir()};
  // The client reads only [supervisord] table (and user): the broken program is
  // supervisord --check's business, and the action is carried out.
  auto status =
      run_command({binary("supervisor"), "status", "web", "/configuration=" + conf}, "", env);
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("RUNNING"), std::string::npos) << status.out;
  EXPECT_EQ(status.err, "");
  auto stop = run_command({binary("supervisor"), "-c", conf, "stop", "nosuch"}, "", env);
  EXPECT_EQ(stop.exit_code, 4) << stop.err;  // reached the daemon, which knows no nosuch
  EXPECT_NE(stop.err.find("NOSUCHPROC"), std::string::npos) << stop.err;
  // When the table itself cannot be determined, its error stops the client (exit 1).
  auto unset = run_command({binary("supervisor"), "-c", conf, "status"});
  EXPECT_EQ(unset.exit_code, 1);
  EXPECT_NE(unset.err.find("%SUPERVISOR-E-CFGERR, " + conf + ":4: [supervisord] table: "),
            std::string::npos)
      << unset.err;
  EXPECT_NE(unset.err.find("%SUPERVISOR-E-CFGINVALID, configuration file " + conf + " has 1 error"),
            std::string::npos)
      << unset.err;
  EXPECT_EQ(unset.err.find("startsecs"), std::string::npos) << unset.err;
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

// A daemon started with -p Secret: DCL upcases an unquoted /PASSWORD value.
TEST(ClientPassword, QuotedDclPasswordKeepsItsCase) {
  Daemon d("[program:web]\nimage = /bin/sleep\narguments = 300\nstartsecs = 0\nuser = " + user() +
           "\n");
  ASSERT_TRUE(d.start({"-p", "Secret"}));
  ASSERT_TRUE(wait_for([&] { return d.ctl({"-p", "Secret", "status"}).exit_code == 0; }));
  auto quoted = d.dcl("status /password=\"Secret\"");  // the same as -p Secret
  EXPECT_EQ(quoted.exit_code, 0) << quoted.err;
  EXPECT_NE(line_of(quoted.out, "web").find("RUNNING"), std::string::npos) << quoted.out;
  auto upcased = d.dcl("status /password=Secret");  // sent as SECRET
  EXPECT_EQ(upcased.exit_code, 1);
  EXPECT_NE(upcased.err.find("%SUPERVISOR-E-BADPASSWORD"), std::string::npos) << upcased.err;
  // supervisor -c FILE -p PWD with no action: the prompt, with that password on every line
  // that gives none itself (stdin is not a terminal here: lines are read as they come).
  auto prompt = run_command({binary("supervisor"), "-c", d.config(), "-p", "Secret"},
                            "status web\nstatus web /password=wrong\n");
  EXPECT_NE(prompt.out.find("SUPERVISOR> web "), std::string::npos) << prompt.out;
  EXPECT_NE(prompt.err.find("BADPASSWORD"), std::string::npos) << prompt.err;
  EXPECT_EQ(prompt.exit_code, 1);  // the status of the last line
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
  // Types `s` once the program reads the terminal in raw mode, as libedit does while it
  // edits a line: keys typed earlier, while the terminal is still canonical, are handled
  // by the line discipline instead (a Ctrl-D there is an end of file libedit never sees,
  // and the rest of the line editor's state goes astray).  Without libedit the terminal
  // stays canonical: then the keys go after a short grace period.
  void send(const std::string& s) {
    wait_for(
        [&] {
          termios t{};
          return tcgetattr(fd_, &t) == 0 && (t.c_lflag & ICANON) == 0;
        },
        std::chrono::seconds(3));
    (void)!write(fd_, s.data(), s.size());
  }
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

TEST_F(ClientDcl, TheMissingNameIsPromptedAtATerminal) {
  // The prompt text comes from the CLD: PROMPT= of PROGRAM_NAME, as DCL would show it.
  const auto* p2 = cli::supervisor_cld().find_syntax("SUP_START")->find_parameter("PROGRAM_NAME");
  ASSERT_NE(p2, nullptr);
  const std::string prompt = "_" + p2->prompt + ": ";
  {
    Pty t({binary("supervisor"), "start", "/configuration=" + daemon_->config()});
    ASSERT_TRUE(t.expect(prompt));
    t.send("\r");  // an empty answer asks again
    ASSERT_TRUE(t.expect(prompt));
    t.send("idle quick\r");
    EXPECT_EQ(t.wait_exit(), 0);
  }
  EXPECT_EQ(daemon_->state_of("idle"), "RUNNING");
  EXPECT_EQ(daemon_->state_of("quick"), "RUNNING");
  {
    Pty t({binary("supervisor"), "stop", "/configuration=" + daemon_->config()});
    ASSERT_TRUE(t.expect(prompt));
    t.send("idle,quick /nowait\r");  // the answer is the rest of the line
    EXPECT_EQ(t.wait_exit(), 0);
  }
  EXPECT_TRUE(daemon_->wait_state("idle", "STOPPED"));
  EXPECT_TRUE(daemon_->wait_state("quick", "STOPPED"));
  {
    Pty t({binary("supervisor"), "restart", "/configuration=" + daemon_->config()});
    ASSERT_TRUE(t.expect(prompt));
    EXPECT_EQ(t.wait_exit_typing("\x04"), 2);  // Ctrl-D gives up
    EXPECT_TRUE(t.expect("%CLI-W-INSFPRM, missing command parameters"));
  }
}

TEST_F(ClientDcl, OptionsWithoutAnActionGiveThePromptWithThatConfiguration) {
  Pty t({binary("supervisor"), "-c", daemon_->config()});
  ASSERT_TRUE(t.expect("SUPERVISOR> "));
  t.send("status web\r");
  ASSERT_TRUE(t.expect("RUNNING"));
  ASSERT_TRUE(t.expect("SUPERVISOR> "));
  t.send("status web /configuration=/nonexistent.conf\r");  // a line's own wins
  ASSERT_TRUE(t.expect("%SUPERVISOR-E-NOCONFIG"));
  ASSERT_TRUE(t.expect("SUPERVISOR> "));
  t.send("stop\r");  // the missing name is asked for here too
  ASSERT_TRUE(t.expect("_Program: "));
  t.send("idle\r");
  ASSERT_TRUE(t.expect("idle: ERROR (not running)"));
  ASSERT_TRUE(t.expect("SUPERVISOR> "));
  t.send("pid\r");
  ASSERT_TRUE(t.expect(std::to_string(daemon_->daemon_pid())));
  ASSERT_TRUE(t.expect("SUPERVISOR> "));
  t.send("exit\r");
  EXPECT_EQ(t.wait_exit(), 0);
}

// --- From a DCL line to a request, without a daemon.

TEST(ClientRequestFromDcl, CollectsTheNamesOfP2ToP8ThenProgram) {
  auto r = cli::parse_dcl_request("start web worker,api \"Db\" /nowait");
  ASSERT_TRUE(r.ok()) << r.condition.text();
  EXPECT_EQ(r.request.action, commands::Action::Start);
  EXPECT_EQ(r.request.names, (std::vector<std::string>{"WEB", "WORKER", "API", "Db"}));
  EXPECT_FALSE(r.request.wait);
  r = cli::parse_dcl_request("status a b c d e f g,h");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.request.names, (std::vector<std::string>{"A", "B", "C", "D", "E", "F", "G", "H"}));
  r = cli::parse_dcl_request("stop web all");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.request.names, (std::vector<std::string>{"WEB", "all"}));
  r = cli::parse_dcl_request("stop /all");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.request.names, std::vector<std::string>{"all"});
  r = cli::parse_dcl_request("restart /program=(x,y) /timeout=%X10");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.request.names, (std::vector<std::string>{"X", "Y"}));
  EXPECT_EQ(r.request.timeout, 16u);
  r = cli::parse_dcl_request("start web /timeout=-1");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.condition.value, SUP__USAGE);
  EXPECT_FALSE(r.cli_error.has_value());
}

TEST(ClientRequestFromDcl, MissingNamesWithoutAPromptAreInsfprm) {
  for (const char* line : {"start", "stop /nowait", "restart ! nothing", "start \"\""}) {
    auto r = cli::parse_dcl_request(line);
    EXPECT_FALSE(r.ok()) << line;
    ASSERT_TRUE(r.cli_error.has_value()) << line;
    EXPECT_EQ(r.cli_error->message() + "\n", kInsfprm) << line;
    EXPECT_EQ(r.condition.value, SUP__USAGE) << line;
  }
  for (const char* line : {"start /all", "stop /program=web", "restart all", "status", "pid",
                           "version", "shutdown", "help"})
    EXPECT_TRUE(cli::parse_dcl_request(line).ok()) << line;
}

TEST(ClientRequestFromDcl, PromptsWithTheCldTextUntilAnAnswer) {
  const auto* p2 = cli::supervisor_cld().find_syntax("SUP_RESTART")->find_parameter("PROGRAM_NAME");
  ASSERT_NE(p2, nullptr);
  ASSERT_FALSE(p2->prompt.empty());
  std::vector<std::string> answers = {"", "  ", "web api /nowait"}, asked;
  cli::DclOptions o;
  o.prompt = [&](std::string_view text) -> std::optional<std::string> {
    asked.emplace_back(text);
    return answers.at(asked.size() - 1);
  };
  auto r = cli::parse_dcl_request("restart ! which?", o);  // added before the comment
  ASSERT_TRUE(r.ok()) << r.condition.text();
  EXPECT_EQ(asked, std::vector<std::string>(3, p2->prompt));
  EXPECT_EQ(r.request.names, (std::vector<std::string>{"WEB", "API"}));
  EXPECT_FALSE(r.request.wait);
}

TEST(ClientRequestFromDcl, PromptEndOfFileGivesUpAndAnswersAreCheckedLikeTheLine) {
  cli::DclOptions o;
  o.prompt = [](std::string_view) { return std::optional<std::string>(); };
  auto r = cli::parse_dcl_request("stop", o);
  ASSERT_TRUE(r.cli_error.has_value());
  EXPECT_EQ(r.cli_error->ident, "INSFPRM");
  int calls = 0;
  o.prompt = [&](std::string_view) { return ++calls, std::optional<std::string>(""); };
  EXPECT_EQ(cli::parse_dcl_request("stop", o).cli_error->ident, "INSFPRM");  // not for ever
  EXPECT_GT(calls, 1);
  o.prompt = [](std::string_view) { return std::optional<std::string>("web /timeout=5"); };
  r = cli::parse_dcl_request("start /nowait", o);
  ASSERT_TRUE(r.cli_error.has_value());
  EXPECT_EQ(r.cli_error->ident, "CONFLICT");
  o.prompt = [](std::string_view) { return std::optional<std::string>("/all"); };
  r = cli::parse_dcl_request("start", o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.request.names, std::vector<std::string>{"all"});
}

TEST(ClientRequestFromDcl, CommentsEndAtTheFirstUnquotedBang) {
  EXPECT_EQ(cli::without_dcl_comment("start web ! go"), "start web ");
  EXPECT_EQ(cli::without_dcl_comment("start \"a!b\" ! go"), "start \"a!b\" ");
  EXPECT_EQ(cli::without_dcl_comment("start \"a\"\"!\" x"), "start \"a\"\"!\" x");
  EXPECT_EQ(cli::without_dcl_comment("start web"), "start web");
}

TEST(ClientRequestFromDcl, NamesPromptTextComesFromTheSyntax) {
  auto status = cli::parse_dcl_verb(cli::supervisor_cld(), "SUPERVISOR", "status");
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(
      cli::names_prompt_text(*status.command),
      cli::supervisor_cld().find_syntax("SUP_STATUS")->find_parameter("PROGRAM_NAME")->prompt);
  auto version = cli::parse_dcl_verb(cli::supervisor_cld(), "SUPERVISOR", "version");
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(cli::names_prompt_text(*version.command), "");
}

TEST(ClientCtlArgs, OptionsWithoutAnActionMeanThePrompt) {
  commands::Request r;
  bool given = true;
  ASSERT_TRUE(cli::parse_ctl_args({"-c", "f.conf", "--password=pw"}, r, given).ok());
  EXPECT_FALSE(given);
  EXPECT_TRUE(r.config_given);
  EXPECT_EQ(r.config_file, "f.conf");
  EXPECT_TRUE(r.password_given);
  EXPECT_EQ(r.password, "pw");
  commands::Request help;
  ASSERT_TRUE(cli::parse_ctl_args({"-h"}, help, given).ok());
  EXPECT_TRUE(given);
  EXPECT_EQ(help.action, commands::Action::Help);
  commands::Request bad;
  EXPECT_EQ(cli::parse_ctl_args({"-c"}, bad, given).value, SUP__USAGE);
  commands::Request unknown;
  EXPECT_EQ(cli::parse_ctl_args({"-c", "f", "frob"}, unknown, given).value, SUP__IVACTION);
  commands::Request nameless;
  EXPECT_EQ(cli::parse_ctl_args({"-c", "f", "stop"}, nameless, given).value, SUP__USAGE);
  commands::Request names;
  ASSERT_TRUE(cli::parse_ctl_args({"-c", "f", "STOP", "web", "ALL"}, names, given).ok());
  EXPECT_EQ(names.action, commands::Action::Stop);
  EXPECT_EQ(names.names, (std::vector<std::string>{"web", "all"}));
  EXPECT_FALSE(cli::names_missing(names));
  commands::Request start, status;
  start.action = commands::Action::Start, status.action = commands::Action::Status;
  EXPECT_TRUE(cli::names_missing(start));
  EXPECT_FALSE(cli::names_missing(status));
}

// What each action takes follows the command list, in the supervisorctl syntax too.
TEST(ClientCtlArgs, NameRulesComeFromTheCommandList) {
  for (const auto& c : commands::kCommandList) {
    std::string word(c.keyword);
    commands::Request none, two;
    bool given = false;
    msg::Condition without = cli::parse_ctl_args({word}, none, given);
    msg::Condition with_two = cli::parse_ctl_args({word, "a", "b"}, two, given);
    EXPECT_EQ(none.action, c.action) << word;
    switch (c.names) {
      case commands::Names::Required:
        EXPECT_EQ(without.value, SUP__USAGE) << word;
        EXPECT_TRUE(with_two.ok()) << word;
        break;
      case commands::Names::Optional:
        EXPECT_TRUE(without.ok() && with_two.ok()) << word;
        break;
      case commands::Names::AtMostOne:
        EXPECT_TRUE(without.ok()) << word;
        EXPECT_EQ(with_two.value, SUP__USAGE) << word;
        break;
      case commands::Names::None:
        EXPECT_TRUE(without.ok()) << word;
        // HELP's words are topics, not names.
        EXPECT_EQ(with_two.ok(), c.action == commands::Action::Help) << word;
        break;
    }
  }
}

}  // namespace
}  // namespace sup::testing
