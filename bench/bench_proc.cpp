#include "bench_proc.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

namespace sup::bench {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;

void on_signal(int) {
  g_interrupted = 1;
}

// The whole of a small /proc file; nullopt when it cannot be opened.
std::optional<std::string> slurp(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string text;
  char buf[8192];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return text;
}

// The number after "key:" in a /proc status-like text; 0 when absent.
std::uint64_t field_value(const std::string& text, const std::string& key) {
  const auto at = text.find("\n" + key + ":");
  const std::size_t start = text.compare(0, key.size() + 1, key + ":") == 0 ? 0 : at;
  if (start == std::string::npos) return 0;
  const auto colon = text.find(':', start);
  return std::strtoull(text.c_str() + colon + 1, nullptr, 10);
}

int open_pidfd(pid_t pid) {
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

[[noreturn]] void exec_child(const std::vector<std::string>& argv, int out_fd,
                             const std::string& err_path, pid_t parent) {
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (::getppid() != parent) ::_exit(126);  // the driver died before the prctl
  ::signal(SIGPIPE, SIG_DFL);               // an ignored signal would survive the exec
  const int in = ::open("/dev/null", O_RDONLY);
  const int out = out_fd >= 0 ? out_fd : ::open("/dev/null", O_WRONLY);
  const int err = err_path.empty() ? ::open("/dev/null", O_WRONLY)
                                   : ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (in < 0 || out < 0 || err < 0) ::_exit(126);
  ::dup2(in, 0);
  ::dup2(out, 1);
  ::dup2(err, 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  ::execv(args[0], args.data());
  ::_exit(127);
}

}  // namespace

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

std::uint64_t prepare_driver() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  ::sigemptyset(&sa.sa_mask);
  for (int s : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(s, &sa, nullptr);
  ::signal(SIGPIPE, SIG_IGN);  // a closed stdout (| tee, Ctrl-C) must not stop the cleanup
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  ::prctl(PR_SET_TIMERSLACK, 1);
  rlimit lim{};
  ::getrlimit(RLIMIT_NOFILE, &lim);
  lim.rlim_cur = lim.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &lim);
  ::getrlimit(RLIMIT_NOFILE, &lim);
  return lim.rlim_cur;
}

void check_interrupt() {
  if (g_interrupted) throw Interrupted();
}

void pause_us(long us) {
  check_interrupt();
  timespec ts{us / 1000000, (us % 1000000) * 1000};
  ::nanosleep(&ts, nullptr);
}

pid_t start_process(const std::vector<std::string>& argv, int out_fd, const std::string& err_path) {
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) exec_child(argv, out_fd, err_path, parent);
  return pid;
}

std::optional<int> wait_exit(pid_t pid, int timeout_ms) {
  const int pidfd = open_pidfd(pid);
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      if (pidfd >= 0) ::close(pidfd);
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    if (r < 0 && errno != EINTR) {  // not our child (any more)
      if (pidfd >= 0) ::close(pidfd);
      return -1;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0 || g_interrupted) {
      if (pidfd >= 0) ::close(pidfd);
      check_interrupt();
      return std::nullopt;
    }
    if (pidfd >= 0) {
      pollfd p{pidfd, POLLIN, 0};
      ::poll(&p, 1, static_cast<int>(std::min<long>(left.count(), 100)));
    } else {
      pause_us(100);
    }
  }
}

RunResult run_captured(const std::vector<std::string>& argv, int timeout_ms) {
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) < 0) throw std::runtime_error("pipe2 failed");
  RunResult r;
  const auto t0 = Clock::now();
  const pid_t pid = start_process(argv, ends[1]);
  ::close(ends[1]);
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(ends[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      check_interrupt();
      continue;
    }
    if (n <= 0) break;
    r.out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(ends[0]);
  const auto code = wait_exit(pid, timeout_ms);
  r.ms = ms_between(t0, Clock::now());
  if (!code) {
    ::kill(pid, SIGKILL);
    wait_exit(pid, 5000);
  }
  r.code = code.value_or(-1);
  return r;
}

void reap_zombies() {
  while (::waitpid(-1, nullptr, WNOHANG) > 0) {
  }
}

std::vector<pid_t> children_of(pid_t pid) {
  std::vector<pid_t> out;
  const auto text =
      slurp("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
  if (!text) return out;
  const char* p = text->c_str();
  char* end = nullptr;
  for (;;) {
    const long v = std::strtol(p, &end, 10);
    if (end == p) break;
    out.push_back(static_cast<pid_t>(v));
    p = end;
  }
  return out;
}

std::optional<ProcStat> read_stat(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  char buf[512];
  const ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  if (n <= 0) return std::nullopt;
  buf[n] = '\0';
  const char* open = std::strchr(buf, '(');
  const char* close = std::strrchr(buf, ')');
  if (!open || !close || close < open || close + 4 >= buf + n) return std::nullopt;
  ProcStat st;
  st.comm.assign(open + 1, close);
  st.state = close[2];
  st.ppid = static_cast<pid_t>(std::strtol(close + 4, nullptr, 10));
  return st;
}

bool is_exec_sleep(pid_t pid, pid_t parent) {
  const auto st = read_stat(pid);
  return st && st->ppid == parent && st->comm == "sleep";
}

LastPid::LastPid() : fd_(::open("/proc/sys/kernel/ns_last_pid", O_RDONLY | O_CLOEXEC)) {}

LastPid::~LastPid() {
  if (fd_ >= 0) ::close(fd_);
}

pid_t LastPid::read() const {
  char buf[32];
  const ssize_t n = fd_ >= 0 ? ::pread(fd_, buf, sizeof buf - 1, 0) : -1;
  if (n <= 0) {  // no pread on this kernel's sysctl: reopen
    const auto text = slurp("/proc/sys/kernel/ns_last_pid");
    return text ? static_cast<pid_t>(std::atol(text->c_str())) : 0;
  }
  buf[n] = '\0';
  return static_cast<pid_t>(std::atol(buf));
}

pid_t pid_max() {
  const auto text = slurp("/proc/sys/kernel/pid_max");
  return text ? static_cast<pid_t>(std::atol(text->c_str())) : 32768;
}

Activity read_activity(pid_t pid) {
  const std::string dir = "/proc/" + std::to_string(pid);
  Activity a;
  if (const auto status = slurp(dir + "/status")) {
    a.voluntary = field_value(*status, "voluntary_ctxt_switches");
    a.involuntary = field_value(*status, "nonvoluntary_ctxt_switches");
  }
  if (const auto sched = slurp(dir + "/schedstat"))
    a.cpu_ns = std::strtoull(sched->c_str(), nullptr, 10);
  return a;
}

Memory read_memory(pid_t pid) {
  Memory m;
  if (const auto text = slurp("/proc/" + std::to_string(pid) + "/smaps_rollup")) {
    m.rss_kib = field_value(*text, "Rss");
    m.pss_kib = field_value(*text, "Pss");
  }
  return m;
}

bool traced(pid_t pid) {
  const auto text = slurp("/proc/" + std::to_string(pid) + "/status");
  return text && field_value(*text, "TracerPid") != 0;
}

std::vector<pid_t> marked_sleeps(const std::string& base) {
  std::vector<pid_t> out;
  DIR* d = ::opendir("/proc");
  if (!d) return out;
  const std::string mark = base + ".";
  while (const dirent* e = ::readdir(d)) {
    if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
    const auto cmd = slurp(std::string("/proc/") + e->d_name + "/cmdline");
    if (!cmd) continue;
    // argv[0] NUL argv[1] NUL: "/bin/sleep" then "BASE.x"
    const auto nul = cmd->find('\0');
    if (nul == std::string::npos) continue;
    const std::string arg0 = cmd->substr(0, nul);
    const bool sleep = arg0.size() >= 5 && arg0.compare(arg0.size() - 5, 5, "sleep") == 0;
    if (sleep && cmd->compare(nul + 1, mark.size(), mark) == 0)
      out.push_back(static_cast<pid_t>(std::atol(e->d_name)));
  }
  ::closedir(d);
  return out;
}

std::size_t kill_marked(const std::string& base) {
  std::size_t killed = 0;
  for (int round = 0; round < 5; ++round) {
    const auto pids = marked_sleeps(base);
    std::size_t live = 0;
    for (pid_t p : pids) {
      const auto st = read_stat(p);
      if (st && st->state == 'Z') continue;  // already dead, waiting for its reaper
      ++live;
      ::kill(p, SIGKILL);
    }
    killed += live;
    reap_zombies();
    if (live == 0) break;
    timespec ts{0, 20 * 1000 * 1000};
    ::nanosleep(&ts, nullptr);
  }
  reap_zombies();
  return killed;
}

std::string current_user() {
  const passwd* pw = ::getpwuid(::geteuid());
  if (pw) return pw->pw_name;
  const char* env = std::getenv("USER");
  return env ? env : "root";
}

}  // namespace sup::bench
