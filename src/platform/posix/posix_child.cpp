#include "platform/posix/posix_child.hpp"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "platform/posix/posix_fd.hpp"

namespace sup::posix {
namespace {

constexpr unsigned kCloseRangeCloexec = 1U << 2;  // CLOSE_RANGE_CLOEXEC (Linux 5.11)

// The step of the child that failed, sent to the parent with the errno.
enum class Stage : int {
  Session,
  Nice,
  Limit,
  Groups,
  Gid,
  Uid,
  Input,
  Output,
  Error,
  Exec,
  Directory,  // dropkeys
};

struct ChildFailure {
  Stage stage;
  int err;
  int index;  // which limit, for Stage::Limit
};

// The child side.  Only async-signal-safe calls: everything was prepared before fork.
[[noreturn]] void fail(int report_fd, Stage stage, int index = 0) {
  const ChildFailure f{stage, errno, index};
  // One write of a few bytes to the socket is atomic; nothing else to do if it fails.
  [[maybe_unused]] const ssize_t n = ::write(report_fd, &f, sizeof f);
  ::_exit(127);
}

// Opens `path` and moves it above 0-2 so that the dup2 calls cannot clobber each other.
// Outputs open as the program would open them: a FIFO blocks until somebody reads it
// (the daemon does not wait for this child; a creation that never gets past this ends
// at kCreateTimeoutSeconds).  The input opens O_NONBLOCK, so that a FIFO nobody writes
// yet lets the program start and wait on its stdin; it then gets a blocking descriptor.
int open_high(const char* path, int flags) {
  const bool input = (flags & O_ACCMODE) == O_RDONLY;
  const int fd = ::open(path, flags | O_CLOEXEC | (input ? O_NONBLOCK : 0), 0640);
  if (fd >= 0 && input) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  if (fd < 0 || fd >= 3) return fd;
  const int high = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  ::close(fd);
  return high;
}

void reset_signals() {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int s : {SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR2, SIGPIPE, SIGCHLD})
    ::sigaction(s, &dfl, nullptr);
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);  // the daemon blocks its signals (signalfd)
}

void switch_identity(const LaunchPlan& p, int report_fd) {
  if (::setgroups(p.groups.size(), p.groups.data()) < 0) fail(report_fd, Stage::Groups);
  if (::setgid(p.gid) < 0) fail(report_fd, Stage::Gid);
  if (::setuid(p.uid) < 0) fail(report_fd, Stage::Uid);
}

// Files are opened after the switch, as the program's own account (as $CREPRC does).
void redirect(const LaunchPlan& p, int report_fd) {
  const int in = open_high(p.input.c_str(), O_RDONLY);
  if (in < 0) fail(report_fd, Stage::Input);
  const int out = open_high(p.output.c_str(), O_WRONLY | O_APPEND | O_CREAT);
  if (out < 0) fail(report_fd, Stage::Output);
  const int err = open_high(p.error.c_str(), O_WRONLY | O_APPEND | O_CREAT);
  if (err < 0) fail(report_fd, Stage::Error);
  // dup2 clears close-on-exec on the copies 0-2; the originals close at exec.
  if (::dup2(in, 0) < 0) fail(report_fd, Stage::Input);
  if (::dup2(out, 1) < 0) fail(report_fd, Stage::Output);
  if (::dup2(err, 2) < 0) fail(report_fd, Stage::Error);
}

// Ties this child's life to the daemon's until it execs: a daemon killed before then
// takes the child with it, so nothing runs that neither the table nor a mark records.
// The check after prctl closes the race with a parent that died just before it.
void die_with_parent(pid_t parent) {
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || ::getppid() != parent) ::_exit(127);
}

[[noreturn]] void run_child(const LaunchPlan& p, int report_fd, pid_t parent) {
  die_with_parent(parent);
  reset_signals();
  if (::setsid() < 0) fail(report_fd, Stage::Session);
  // Priority and limits first: raising them needs the privileges we may give up below.
  if (p.set_nice && ::setpriority(PRIO_PROCESS, 0, p.nice) < 0) fail(report_fd, Stage::Nice);
  for (std::size_t i = 0; i < p.limits.size(); ++i) {
    const rlimit lim{static_cast<rlim_t>(p.limits[i].value),
                     static_cast<rlim_t>(p.limits[i].value)};
    if (::setrlimit(static_cast<__rlimit_resource_t>(p.limits[i].resource), &lim) < 0) {
      fail(report_fd, Stage::Limit, static_cast<int>(i));
    }
  }
  if (p.switch_user) {
    switch_identity(p, report_fd);
    die_with_parent(parent);  // a change of credentials clears the death signal
  }
  redirect(p, report_fd);
  // dropkeys: as supervisor's child does, after the switch of user and the files.
  if (!p.directory.empty() && ::chdir(p.directory.c_str()) < 0) fail(report_fd, Stage::Directory);
  if (p.umask >= 0) ::umask(static_cast<mode_t>(p.umask));
  // Our own descriptors are all close-on-exec; this also covers any the daemon inherited
  // from whoever started it.  Older kernels refuse it: nothing more to do then.
  ::syscall(SYS_close_range, 3U, ~0U, kCloseRangeCloexec);
  // The program itself outlives the daemon (it is re-attached by the next one).
  ::prctl(PR_SET_PDEATHSIG, 0);
  ::execve(p.path.c_str(), p.argv.data(), p.envp.data());
  fail(report_fd, Stage::Exec);
}

// The parent side: what a failure report means.
std::string describe(const LaunchPlan& p, const ChildFailure& f) {
  std::string why = errno_text(f.err);
  if (f.err == ENXIO && (f.stage == Stage::Output || f.stage == Stage::Error))
    why += " (a FIFO nobody reads)";
  switch (f.stage) {
    case Stage::Session:
      return "cannot create a new session: " + why;
    case Stage::Nice:
      return "cannot set the priority (nice " + std::to_string(p.nice) + "): " + why;
    case Stage::Limit: {
      if (f.index < 0 || static_cast<std::size_t>(f.index) >= p.limits.size())
        return "cannot set a quota: " + why;
      const auto& l = p.limits[static_cast<std::size_t>(f.index)];
      return "cannot apply quota " + l.quota + "=" + std::to_string(l.quota_value) + " (limit " +
             std::to_string(l.value) + "): " + why;
    }
    case Stage::Groups:
    case Stage::Gid:
    case Stage::Uid:
      return "cannot run as user " + p.user + ": " + why;
    case Stage::Input:
      return "cannot open input " + p.input + ": " + why;
    case Stage::Output:
      return "cannot open output " + p.output + ": " + why;
    case Stage::Error:
      return "cannot open error output " + p.error + ": " + why;
    case Stage::Exec:
      return "cannot execute " + p.path + ": " + why;
    case Stage::Directory:
      return "cannot change to directory " + p.directory + ": " + why;
  }
  return "cannot start the process: " + why;
}

}  // namespace

ChildStart start_child(LaunchPlan& plan) {
  ChildStart result;
  plan.bind();
  int ends[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) < 0) {
    result.error = sys_error("cannot create a socket pair");
    return result;
  }
  Fd parent_end(ends[0]), child_end(ends[1]);
  if (child_end.get() < 3) {
    // With 0-2 closed in the daemon the child end could land there and be clobbered by dup2.
    Fd high(::fcntl(child_end.get(), F_DUPFD_CLOEXEC, 3));
    child_end = std::move(high);
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    result.error = sys_error("cannot fork");
    return result;
  }
  if (pid == 0) run_child(plan, child_end.get(), parent);
  child_end.reset();
  ::fcntl(parent_end.get(), F_SETFL, ::fcntl(parent_end.get(), F_GETFL) | O_NONBLOCK);
  result.ok = true;
  result.pid = pid;
  result.report = std::move(parent_end);
  return result;
}

ChildReport read_child_report(int report_fd, const LaunchPlan& plan) {
  ChildReport report;
  ChildFailure failure{};
  ssize_t n;
  do {
    n = ::read(report_fd, &failure, sizeof failure);
  } while (n < 0 && errno == EINTR);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return report;
  if (n == 0) {
    report.kind = ChildReport::Kind::Execd;
    return report;
  }
  report.kind = ChildReport::Kind::Failed;
  report.error = n == static_cast<ssize_t>(sizeof failure)
                     ? describe(plan, failure)
                     : "cannot start the process: no report from the child";
  return report;
}

}  // namespace sup::posix
