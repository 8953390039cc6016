// supervisord as a container's first process (issue 11 section 6, doc/container.md), for
// real: the daemon runs as process 1 of a new PID namespace (`unshare --pid --fork
// --mount-proc`), where the kernel hands it every orphan and drops the signals it does
// not take, and once as a child subreaper.  The programs leave orphans behind; the tests
// look at the namespace's processes from outside, through this system's /proc.
// Skipped, saying why, where unshare is missing or not permitted (it needs root or a
// user namespace).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "platform/posix/posix_epoll.hpp"
#include "platform/posix/posix_processes.hpp"
#include "sup_messages.hpp"
#include "support/daemon_fixture.hpp"

namespace sup::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string find_tool(const std::string& name) {
  for (const char* dir : {"/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/"})
    if (access((dir + name).c_str(), X_OK) == 0) return dir + name;
  return "";
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (std::size_t p = 0; (p = text.find(needle, p)) != std::string::npos; p += needle.size()) ++n;
  return n;
}

// One line of /proc/PID/stat, split after the command: state and parent.
struct ProcStat {
  bool ok = false;
  char state = '?';
  long ppid = 0;
};

ProcStat proc_stat(long pid) {
  const std::string line = slurp("/proc/" + std::to_string(pid) + "/stat");
  ProcStat st;
  const auto close_paren = line.rfind(')');
  if (close_paren == std::string::npos) return st;
  std::istringstream rest(line.substr(close_paren + 1));
  st.ok = static_cast<bool>(rest >> st.state >> st.ppid);
  return st;
}

std::string pid_namespace(long pid) {
  std::error_code ec;
  const auto target = fs::read_symlink("/proc/" + std::to_string(pid) + "/ns/pid", ec);
  return ec ? "" : target.string();
}

// Every process of this system whose /proc entry passes `keep`.
std::vector<long> processes_where(const std::function<bool(long)>& keep) {
  std::vector<long> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc", ec)) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const long pid = std::atol(name.c_str());
    if (keep(pid)) out.push_back(pid);
  }
  return out;
}

// Why unshare cannot give us a PID namespace here; "" when it can.
std::string unshare_refusal() {
  const std::string unshare = find_tool("unshare");
  if (unshare.empty()) return "no unshare(1) on this system";
  const auto r = run_command({unshare, "--pid", "--fork", "--mount-proc", "/bin/true"});
  if (r.exit_code != 0)
    return "unshare --pid --fork --mount-proc is not permitted here (" + r.err + ")";
  if (find_tool("nsenter").empty()) return "no nsenter(1) on this system";
  return "";
}

// A private directory with the configuration, two symbolic links to sleep(1) whose
// names tell the programs' processes ("prog") from the orphans they leave ("orphan"),
// and the script of `leaver`: it leaves two sleeps behind, and exits 3 (unexpected,
// so restarted) the first two times, then 0 (expected, so it stays EXITED).
class Scene {
 public:
  Scene() {
    const std::string& d = dir_.path();
    fs::create_symlink(find_tool("sleep"), d + "/prog");
    fs::create_symlink(find_tool("sleep"), d + "/orphan");
    dir_.write("leave.sh", "echo run >> " + d + "/runs\n" + d + "/orphan 0.5 &\n" + d +
                               "/orphan 0.5 &\n" + "[ \"$(wc -l < " + d +
                               "/runs)\" -ge 3 ] && exit 0\nexit 3\n");
  }
  // Writes the configuration: [supervisord] with the table and log here, then `programs`.
  void configure(const std::string& programs) {
    const std::string& d = dir_.path();
    config_ =
        dir_.write("supervisord.conf", "[supervisord]\ntable = " + d + "/table\nlogfile = " + d +
                                           "/supervisord.log\n\n" + programs);
  }
  // The configuration as a FIFO: the daemon's start-up waits in its open() until
  // feed() writes `programs` into it.
  void configure_through_fifo(const std::string& programs) {
    config_ = dir_.path() + "/supervisord.conf";
    ::mkfifo(config_.c_str(), 0600);
    fifo_text_ = "[supervisord]\ntable = " + dir_.path() + "/table\nlogfile = " + dir_.path() +
                 "/supervisord.log\n\n" + programs;
  }
  [[nodiscard]] bool feed() const {
    std::ofstream out(config_);
    out << fifo_text_;
    return static_cast<bool>(out.flush());
  }
  const std::string& dir() const { return dir_.path(); }
  const std::string& config() const { return config_; }
  std::string log() const { return slurp(dir() + "/supervisord.log"); }
  std::string output() const { return slurp(dir() + "/daemon.out"); }
  int runs() const { return count(slurp(dir() + "/runs"), "run\n"); }
  std::vector<ProcessInfo> programs() const { return processes_with_argv0(dir() + "/prog"); }
  std::vector<ProcessInfo> orphans() const { return processes_with_argv0(dir() + "/orphan"); }

  RunResult ctl(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {binary("supervisor"), "-c", config_};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv);
  }
  std::string state_of(const std::string& name) const {
    std::istringstream line(ctl({"status", name}).out);
    std::string n, state;
    line >> n >> state;
    return state;
  }

  // [program:NAME] running `image` with `arguments`, as the tests' own account.
  static std::string program(const std::string& name, const std::string& image,
                             const std::string& arguments, const std::string& extra = "") {
    return "[program:" + name + "]\nimage = " + image + "\narguments = " + arguments +
           "\nuser = " + current_user() + "\n" + extra + "\n";
  }
  // The program that leaves orphans (see leave.sh above).
  std::string leaver() const {
    return program("leaver", "/bin/sh", dir() + "/leave.sh",
                   "startsecs = 0\nautorestart = unexpected\nexitcodes = 0");
  }
  // A program that runs until stopped; `extra` adds keys.
  std::string sleeper(const std::string& name, const std::string& extra = "") const {
    return program(name, dir() + "/prog", "1000", "startsecs = 0\nautorestart = true\n" + extra);
  }

 private:
  TempDir dir_;
  std::string config_;
  std::string fifo_text_;
};

// The daemon started by fork + exec of `argv` in a process group of its own (killed
// whole at the end), its output in daemon.out.  `subreaper`: the child makes itself a
// child subreaper before the exec, as a container runtime's shim would.
class Launched {
 public:
  Launched(const Scene& setup, const std::vector<std::string>& argv, bool subreaper = false) {
    const std::string out = setup.dir() + "/daemon.out";
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
      const int fd = open(out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      dup2(fd, 1);
      dup2(fd, 2);
      setpgid(0, 0);
      if (subreaper) prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
      execv(args[0], args.data());
      _exit(127);
    }
  }
  ~Launched() {
    if (pid_ <= 0 || reaped_) return;
    kill(-pid_, SIGKILL);
    int st;
    waitpid(pid_, &st, 0);
  }
  Launched(const Launched&) = delete;
  Launched& operator=(const Launched&) = delete;

  pid_t pid() const { return pid_; }
  // Waits for the launched process to end: its exit code, -1 on timeout.
  int wait_exit(std::chrono::milliseconds timeout = 60s) {
    int code = -1;
    wait_for(
        [&] {
          int st;
          if (waitpid(pid_, &st, WNOHANG) != pid_) return false;
          reaped_ = true;
          code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
          return true;
        },
        timeout);
    return code;
  }

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
};

// Waits until the daemon recorded `pid` as its own in the table and answers.
bool wait_ready(const Scene& s, const std::string& pid) {
  const auto entry = [&](const char* name) {
    std::ifstream in(s.dir() + "/table/" + name);
    std::string line;
    std::getline(in, line);
    return line;
  };
  return wait_for([&] {
    if (entry("SUPERVISORD_PID") != pid) return false;
    const std::string socket = entry("SUPERVISORD_CMD");
    return raw_request(socket, "version", {}, 0, 5000).condition == SUP__VERSION;
  });
}

// supervisord as process 1 of a new PID namespace, and how to look at that namespace.
class Namespace {
 public:
  explicit Namespace(const Scene& s)
      : unshare_(s, {find_tool("unshare"), "--pid", "--fork", "--mount-proc", "--kill-child",
                     binary("supervisord"), "-c", s.config()}) {
    // unshare forks the daemon: its only child, process 1 inside.
    wait_for([&] {
      const auto children =
          processes_where([&](long p) { return proc_stat(p).ppid == unshare_.pid(); });
      if (children.size() != 1) return false;
      daemon_ = children[0];
      ns_ = pid_namespace(daemon_);
      return !ns_.empty() && ns_ != pid_namespace(getpid());
    });
  }
  long daemon() const { return daemon_; }
  Launched& unshare() { return unshare_; }

  // The zombies of the namespace, as this system numbers them.
  std::vector<long> zombies() const {
    return processes_where(
        [&](long p) { return proc_stat(p).state == 'Z' && pid_namespace(p) == ns_; });
  }
  // Sends `sig` to process 1 from inside the namespace (a process of the container
  // does so): the kernel drops such a signal when process 1 does not take it.
  RunResult signal_inside(const std::string& sig) const {
    return run_command({find_tool("nsenter"), "-t", std::to_string(daemon_), "-p", "--", "/bin/sh",
                        "-c", "kill -" + sig + " 1"});
  }

 private:
  Launched unshare_;
  long daemon_ = 0;
  std::string ns_;
};

#define SKIP_WITHOUT_UNSHARE()                 \
  do {                                         \
    const std::string why = unshare_refusal(); \
    if (!why.empty()) GTEST_SKIP() << why;     \
  } while (0)

// ProcessSet::reap_children alone, in this process: a child that is not watched (as an
// orphan handed to process 1 is not) is reaped and never reported; a watched one is
// reported exactly once, whichever of the SIGCHLD pass and its own pidfd comes first.
class ReapChildren : public ::testing::Test {
 protected:
  using Event = platform::Event;
  void SetUp() override { ASSERT_TRUE(epoll_.open()); }

  // Spawns `sh -c script` and waits until it runs its image (Started).
  platform::ProcessId spawn(const std::string& script) {
    platform::ProcessSpec spec;
    spec.program = "reaped";
    spec.image = "/bin/sh";
    spec.arguments = {"-c", script};
    std::vector<Event> out;
    set_.spawn(spec, out);
    if (out.size() != 1 || out[0].kind != Event::Kind::Created) return 0;
    const platform::ProcessId pid = out[0].pid;
    const bool started = wait_for([&] {
      set_.on_report(pid, out);
      return out.back().kind == Event::Kind::Started;
    });
    return started ? pid : 0;
  }
  // Waits until `pid` has ended and is a zombie, not reaped yet.
  static bool zombie(long pid) {
    return wait_for([&] { return proc_stat(pid).state == 'Z'; });
  }
  static int exits_of(const std::vector<Event>& events, platform::ProcessId pid) {
    int n = 0;
    for (const auto& e : events) n += e.kind == Event::Kind::ChildExited && e.pid == pid ? 1 : 0;
    return n;
  }

  posix::Epoll epoll_;
  posix::ProcessSet set_{epoll_, "", 4};
};

TEST_F(ReapChildren, AChildNotWatchedIsReapedSilently) {
  const pid_t orphan = fork();
  if (orphan == 0) _exit(7);
  ASSERT_GT(orphan, 0);
  ASSERT_TRUE(zombie(orphan));
  std::vector<Event> out;
  set_.reap_children(out);
  EXPECT_TRUE(out.empty());
  // Reaped: it is gone from the kernel's list of our children.
  EXPECT_EQ(waitpid(orphan, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST_F(ReapChildren, AWatchedExitFoundBySigchldIsReportedOnce) {
  const auto pid = spawn("exit 5");
  ASSERT_NE(pid, 0u);
  const pid_t orphan = fork();  // one signal stands for both exits
  if (orphan == 0) _exit(0);
  ASSERT_TRUE(zombie(static_cast<long>(pid)));
  ASSERT_TRUE(zombie(orphan));
  std::vector<Event> out;
  set_.reap_children(out);
  ASSERT_EQ(exits_of(out, pid), 1);
  EXPECT_EQ(out.back().status.kind, platform::ExitStatus::Kind::Exited);
  EXPECT_EQ(out.back().status.code, 5u);
  EXPECT_EQ(waitpid(orphan, nullptr, WNOHANG), -1);
  // Its pidfd, read later in the same batch, finds nothing more.
  std::vector<Event> later;
  set_.on_ready(pid, later);
  set_.reap_children(later);
  EXPECT_TRUE(later.empty());
}

TEST_F(ReapChildren, AWatchedExitFoundByItsPidfdIsNotReportedAgain) {
  const auto pid = spawn("exit 6");
  ASSERT_NE(pid, 0u);
  ASSERT_TRUE(zombie(static_cast<long>(pid)));
  std::vector<Event> out;
  set_.on_ready(pid, out);
  ASSERT_EQ(exits_of(out, pid), 1);
  EXPECT_EQ(out.back().status.code, 6u);
  std::vector<Event> later;
  set_.reap_children(later);
  EXPECT_TRUE(later.empty());
}

TEST_F(ReapChildren, ARunningProgramIsLeftAlone) {
  const auto pid = spawn("exec sleep 300");
  ASSERT_NE(pid, 0u);
  std::vector<Event> out;
  set_.reap_children(out);
  EXPECT_TRUE(out.empty());
  EXPECT_NE(proc_stat(static_cast<long>(pid)).state, 'Z');
  EXPECT_EQ(set_.signal_group(pid, SIGKILL), "");
  ASSERT_TRUE(zombie(static_cast<long>(pid)));
  set_.reap_children(out);
  EXPECT_EQ(exits_of(out, pid), 1);
}

// The orphans of a program that exits are reaped; the program's own exits still reach
// the lifecycle exactly once and it is restarted per autorestart; SIGINT sent from inside
// ends everything.  supervisor/supervisor#936 is this case (there it stopped supervisord).
TEST(ContainerPid1, ReapsOrphansAndKeepsEachProgramExit) {
  SKIP_WITHOUT_UNSHARE();
  Scene s;
  s.configure(s.leaver() + s.sleeper("keeper"));
  Namespace ns(s);
  ASSERT_NE(ns.daemon(), 0) << s.output();
  ASSERT_TRUE(wait_ready(s, "1")) << s.output() << s.log();
  // Started without -n: as process 1 it stayed in the foreground, saying so.
  EXPECT_NE(s.output().find("stays in the foreground"), std::string::npos) << s.output();

  // Three runs, six orphans; the third run's exit is expected: no fourth run.
  ASSERT_TRUE(wait_for([&] {
    return s.log().find("leaver: exited, exit status 0") != std::string::npos;
  })) << s.log();
  EXPECT_EQ(s.state_of("leaver"), "EXITED");
  EXPECT_EQ(s.runs(), 3);
  // Every orphan ended, and nothing of the namespace stays a zombie: process 1 reaped them
  // (nobody else can).
  EXPECT_TRUE(wait_for([&] { return s.orphans().empty() && ns.zombies().empty(); }))
      << "zombies: " << ns.zombies().size() << ", orphans alive: " << s.orphans().size();

  // keeper, killed, is seen exiting once and restarted (autorestart = true).
  const auto first = s.programs();
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(kill(static_cast<pid_t>(first[0].pid), SIGKILL), 0);
  EXPECT_TRUE(wait_for([&] {
    const auto now = s.programs();
    return now.size() == 1 && now[0].pid != first[0].pid && s.state_of("keeper") == "RUNNING";
  })) << s.log();
  EXPECT_TRUE(wait_for([&] { return ns.zombies().empty(); }));

  // Shutdown from inside the container: everything stops, the daemon exits with success.
  {
    // The sender may be killed with the namespace once process 1 has acted and ended.
    const auto r = ns.signal_inside("INT");
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 128 + SIGKILL) << r.exit_code << r.err;
  }
  EXPECT_EQ(ns.unshare().wait_exit(), 0) << s.log();
  EXPECT_TRUE(s.programs().empty());
  const std::string log = s.log();
  EXPECT_NE(log.find("supervisord stopped all programs and exited"), std::string::npos) << log;
  // Each exit of a program once: nothing doubled, no orphan taken for a program.
  EXPECT_EQ(count(log, "leaver: spawned"), 3) << log;
  EXPECT_EQ(count(log, "leaver: exited, exit status 3"), 2) << log;
  EXPECT_EQ(count(log, "leaver: exited, exit status 0"), 1) << log;
  EXPECT_EQ(count(log, "keeper: spawned"), 2) << log;
  EXPECT_EQ(count(log, "keeper: exited, terminated by SIGKILL"), 1) << log;
  EXPECT_EQ(count(log, "keeper: exited, terminated by SIGINT") +
                count(log, "keeper: exited, terminated by SIGTERM"),
            1)
      << log;
  EXPECT_EQ(log.find("exit of unknown process"), std::string::npos) << log;
}

// SIGUSR2 and SIGHUP sent to process 1 from inside the namespace arrive (the daemon
// takes them through its signalfd, blocked: a signal left at its default disposition
// would be dropped by the kernel), and so does SIGTERM.
TEST(ContainerPid1, SignalsReachTheFirstProcess) {
  SKIP_WITHOUT_UNSHARE();
  Scene s;
  s.configure(s.sleeper("keeper"));
  Namespace ns(s);
  ASSERT_NE(ns.daemon(), 0) << s.output();
  ASSERT_TRUE(wait_ready(s, "1")) << s.output() << s.log();
  {
    const auto r = ns.signal_inside("USR2");
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  EXPECT_TRUE(wait_for([&] { return s.log().find("log files reopened") != std::string::npos; }))
      << s.log();
  {
    const auto r = ns.signal_inside("HUP");
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  EXPECT_TRUE(wait_for([&] { return s.log().find(" reloaded: ") != std::string::npos; }))
      << s.log();
  EXPECT_EQ(s.state_of("keeper"), "RUNNING");
  {
    // The sender may be killed with the namespace once process 1 has acted and ended.
    const auto r = ns.signal_inside("TERM");
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 128 + SIGKILL) << r.exit_code << r.err;
  }
  EXPECT_EQ(ns.unshare().wait_exit(), 0) << s.log();
  EXPECT_TRUE(s.programs().empty());
  EXPECT_NE(s.log().find("keeper: exited, terminated by SIGTERM"), std::string::npos) << s.log();
}

// SIGTERM from the container runtime (outside the namespace): every program is asked to
// stop; one that ignores SIGTERM is killed after its stopwaitsecs; then the daemon exits
// with success, having stopped them itself (not left to the kernel's SIGKILL of the
// namespace's processes when process 1 ends).
TEST(ContainerPid1, SigtermStopsEveryProgramThenTheDaemonExits) {
  SKIP_WITHOUT_UNSHARE();
  Scene s;
  s.configure(s.sleeper("polite") +
              Scene::program("stubborn", "/bin/sh",
                             "-c \"trap '' TERM; exec " + s.dir() + "/prog 1000\"",
                             "startsecs = 0\nstopwaitsecs = 1"));
  Namespace ns(s);
  ASSERT_NE(ns.daemon(), 0) << s.output();
  ASSERT_TRUE(wait_ready(s, "1")) << s.output() << s.log();
  ASSERT_TRUE(wait_for([&] { return s.programs().size() == 2; })) << s.log();
  ASSERT_EQ(kill(static_cast<pid_t>(ns.daemon()), SIGTERM), 0);
  EXPECT_EQ(ns.unshare().wait_exit(), 0) << s.log();
  EXPECT_TRUE(s.programs().empty());
  const std::string log = s.log();
  EXPECT_NE(log.find("polite: exited, terminated by SIGTERM"), std::string::npos) << log;
  EXPECT_NE(log.find("stubborn: still running after 1 second, sending kill"), std::string::npos)
      << log;
  EXPECT_NE(log.find("stubborn: exited, terminated by SIGKILL"), std::string::npos) << log;
  EXPECT_NE(log.find("supervisord stopped all programs and exited"), std::string::npos) << log;
}

// A SIGTERM that comes while process 1 is still reading its configuration waits for
// the daemon's loop (it blocks its signals first thing): the programs it then starts are
// stopped and it exits.  Without that, the kernel drops the signal and the daemon runs on.
TEST(ContainerPid1, ASignalDuringStartUpIsNotLost) {
  SKIP_WITHOUT_UNSHARE();
  Scene s;
  s.configure_through_fifo(s.sleeper("keeper"));
  Namespace ns(s);
  ASSERT_NE(ns.daemon(), 0) << s.output();
  // Process 1 waits in the FIFO's open() for a writer (the kernel's wait_for_partner).
  const std::string wchan = "/proc/" + std::to_string(ns.daemon()) + "/wchan";
  if (!wait_for([&] { return slurp(wchan) == "wait_for_partner"; }, 30s)) {
    const std::string seen = slurp(wchan);
    if (seen.empty() || seen == "0") GTEST_SKIP() << wchan << " does not tell where it waits";
    FAIL() << "process 1 does not wait in its configuration's open(): " << seen << s.output();
  }
  {
    // The sender may be killed with the namespace once process 1 has acted and ended.
    const auto r = ns.signal_inside("TERM");
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 128 + SIGKILL) << r.exit_code << r.err;
  }
  ASSERT_TRUE(s.feed());
  EXPECT_EQ(ns.unshare().wait_exit(), 0) << s.output() << s.log();
  EXPECT_TRUE(s.programs().empty());
  EXPECT_NE(s.log().find("supervisord stopped all programs and exited"), std::string::npos)
      << s.log();
}

// Not process 1 but made a child subreaper by whoever started it (a runtime's shim,
// tini -s): the orphans come to the daemon, which reaps them the same way.
TEST(ContainerPid1, ASubreaperDaemonReapsOrphansToo) {
  Scene s;
  s.configure(s.leaver());
  Launched daemon(s, {binary("supervisord"), "-n", "-c", s.config()}, true);
  ASSERT_TRUE(wait_ready(s, std::to_string(daemon.pid()))) << s.output() << s.log();
  ASSERT_TRUE(wait_for([&] {
    return s.log().find("leaver: exited, exit status 0") != std::string::npos;
  })) << s.log();
  EXPECT_EQ(s.runs(), 3);
  const long self = daemon.pid();
  // The orphans were the daemon's children (adopted by the subreaper): none is left a zombie.
  EXPECT_TRUE(wait_for([&] {
    return s.orphans().empty() && processes_where([&](long p) {
                                    const auto st = proc_stat(p);
                                    return st.ppid == self && st.state == 'Z';
                                  }).empty();
  })) << s.log();
  kill(static_cast<pid_t>(self), SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0) << s.log();
  const std::string log = s.log();
  EXPECT_EQ(count(log, "leaver: exited"), 3) << log;
  EXPECT_EQ(log.find("exit of unknown process"), std::string::npos) << log;
}

}  // namespace
}  // namespace sup::testing
