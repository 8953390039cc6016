#include "platform/posix/posix_processes.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>
#include <ctime>

#include "platform/posix/posix_child.hpp"
#include "platform/posix/posix_proc.hpp"

namespace sup::posix {
namespace {

constexpr idtype_t kPidfdIdType = static_cast<idtype_t>(3);  // P_PIDFD (Linux 5.4)

int send_pidfd_signal(int pidfd, int sig) {
  return static_cast<int>(::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0));
}

bool valid_pid(platform::ProcessId pid) {
  return pid > 1 && pid <= static_cast<platform::ProcessId>(INT_MAX);
}

platform::ExitStatus from_siginfo(const siginfo_t& info) {
  platform::ExitStatus st;
  if (info.si_code == CLD_EXITED) {
    st.kind = platform::ExitStatus::Kind::Exited;
  } else if (info.si_code == CLD_KILLED || info.si_code == CLD_DUMPED) {
    st.kind = platform::ExitStatus::Kind::Signaled;
  } else {
    return st;  // stopped/continued cannot happen with WEXITED only
  }
  st.code = static_cast<std::uint32_t>(info.si_status);
  return st;
}

// Reaps one child that is not ours (an orphan) and discards its status.
void reap_orphan(pid_t pid) {
  siginfo_t info;
  while (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG) < 0 && errno == EINTR) {
  }
}

}  // namespace

bool orphans_come_to_us() {
  int subreaper = 0;
  return ::getpid() == 1 ||
         (::prctl(PR_GET_CHILD_SUBREAPER, &subreaper, 0, 0, 0) == 0 && subreaper != 0);
}

int posix_signal(platform::Signal signal) {
  switch (signal) {
    case platform::Signal::Hup:
      return SIGHUP;
    case platform::Signal::Int:
      return SIGINT;
    case platform::Signal::Quit:
      return SIGQUIT;
    case platform::Signal::Kill:
      return SIGKILL;
    case platform::Signal::Term:
      return SIGTERM;
    case platform::Signal::Usr1:
      return SIGUSR1;
    case platform::Signal::Usr2:
      return SIGUSR2;
  }
  return SIGTERM;
}

int open_pidfd(pid_t pid) {
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

std::string describe_exit_status(const platform::ExitStatus& status) {
  switch (status.kind) {
    case platform::ExitStatus::Kind::Exited:
      return "exit status " + std::to_string(status.code);
    case platform::ExitStatus::Kind::Signaled: {
      const char* abbrev = ::sigabbrev_np(static_cast<int>(status.code));
      return abbrev ? std::string("terminated by SIG") + abbrev
                    : "terminated by signal " + std::to_string(status.code);
    }
    case platform::ExitStatus::Kind::Unknown:
      break;
  }
  return "status unknown";
}

ProcessSet::~ProcessSet() {
  for (auto& [pid, w] : watched_) epoll_.remove(w.pidfd.get());
  for (auto& [pid, l] : launching_)
    if (l.report.valid()) epoll_.remove(l.report.get());
}

platform::SpawnId ProcessSet::spawn(const platform::ProcessSpec& spec,
                                    std::vector<platform::Event>& out) {
  const platform::SpawnId id = next_spawn_++;
  if (launching_.size() >= max_launching_ || !queued_.empty()) {
    queued_.push_back(Queued{id, spec});
    return id;
  }
  launch(id, spec, out);
  return id;
}

void ProcessSet::launch_queued(std::vector<platform::Event>& out) {
  while (!queued_.empty() && launching_.size() < max_launching_) {
    Queued q = std::move(queued_.front());
    queued_.pop_front();
    launch(q.spawn, q.spec, out);
  }
}

void ProcessSet::launch(platform::SpawnId id, const platform::ProcessSpec& spec,
                        std::vector<platform::Event>& out) {
  platform::Event e;
  e.spawn = id;
  auto fail = [&](std::string why) {
    e.kind = platform::Event::Kind::SpawnFailed;
    e.text = std::move(why);
    out.push_back(std::move(e));
  };
  std::string error;
  auto plan = prepare_launch(spec, error, table_id_);
  if (!plan) return fail(error);
  ChildStart child = start_child(*plan);
  if (!child.ok) return fail(child.error);
  const auto pid = static_cast<platform::ProcessId>(child.pid);
  // Our unreaped child cannot be replaced by another process: the pidfd is certainly its.
  Fd pidfd(open_pidfd(child.pid));
  if (!pidfd.valid() || !watch(pid, std::move(pidfd), false) ||
      !epoll_.add(child.report.get(), EPOLLIN, make_tag(Source::Report, pid))) {
    error = sys_error("cannot watch process " + std::to_string(child.pid));
    if (watched_.count(pid)) {
      epoll_.remove(watched_[pid].pidfd.get());
      watched_.erase(pid);
    }
    ::kill(child.pid, SIGKILL);
    while (::waitpid(child.pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    return fail(error);
  }
  const auto ticks = read_start_ticks(pid);
  e.kind = platform::Event::Kind::Created;
  e.pid = pid;
  e.identity = ticks ? std::to_string(*ticks) : "";
  e.started_wall = ticks ? wall_from_ticks(*ticks) : static_cast<std::int64_t>(std::time(nullptr));
  out.push_back(std::move(e));
  const auto now = platform::Clock::now();
  launching_[pid] = Launching{id,
                              std::move(*plan),
                              std::move(child.report),
                              now + std::chrono::seconds(platform::kCreateTimeoutSeconds),
                              now + std::chrono::seconds(kCreateLimitSeconds),
                              std::nullopt,
                              {}};
}

void ProcessSet::read_report(platform::ProcessId pid, Launching& l,
                             std::vector<platform::Event>& out) {
  if (!l.report.valid()) return;
  const ChildReport r = read_child_report(l.report.get(), l.plan);
  if (r.kind == ChildReport::Kind::Pending) return;
  epoll_.remove(l.report.get());
  l.report.reset();
  if (r.kind == ChildReport::Kind::Failed) {
    l.failure = r.error;  // reported with its exit, which follows at once
    return;
  }
  if (!l.failure.empty()) return;  // ended as overdue: its exit reports SpawnFailed
  launching_.erase(pid);           // it runs its image (or died before: its exit tells)
  platform::Event e;
  e.kind = platform::Event::Kind::Started;
  e.pid = pid;
  out.push_back(std::move(e));
  launch_queued(out);
}

void ProcessSet::on_report(platform::ProcessId pid, std::vector<platform::Event>& out) {
  const auto it = launching_.find(pid);
  if (it != launching_.end()) read_report(pid, it->second, out);
}

std::optional<platform::TimePoint> ProcessSet::next_deadline() const {
  std::optional<platform::TimePoint> best;
  for (const auto& [pid, l] : launching_)
    if (l.failure.empty() && (!best || l.deadline < *best)) best = l.deadline;
  return best;
}

// Progress is "runnable now, or CPU used since the last look": a child blocked in open()
// on a FIFO or a hung mount sleeps and uses none.
bool ProcessSet::still_progressing(platform::ProcessId pid, Launching& l, platform::TimePoint now) {
  const auto text = read_small_file("/proc/" + std::to_string(pid) + "/stat");
  const auto st = text ? parse_stat(*text) : std::nullopt;
  if (!st || now >= l.limit) return false;
  const bool used_cpu = l.cpu_seen && st->cpu_ticks > *l.cpu_seen;
  const bool first_look = !l.cpu_seen;
  l.cpu_seen = st->cpu_ticks;
  if (st->state == 'R' || used_cpu) {
    l.deadline = std::min(l.limit, now + std::chrono::seconds(platform::kCreateTimeoutSeconds));
    return true;
  }
  if (first_look) {
    l.deadline = std::min(l.limit, now + kCreateGrace);
    return true;
  }
  return false;
}

void ProcessSet::expire(platform::TimePoint now) {
  for (auto& [pid, l] : launching_) {
    if (!l.failure.empty() || l.deadline > now) continue;
    if (still_progressing(pid, l, now)) continue;
    l.failure = "did not reach its image within " +
                std::to_string(platform::kCreateTimeoutSeconds) +
                " seconds and was making no progress (stuck opening its files? a FIFO nobody "
                "reads, a hung mount)";
    // Before exec it may not lead a group yet: the pidfd reaches the process itself.
    const auto w = watched_.find(pid);
    if (w != watched_.end()) send_pidfd_signal(w->second.pidfd.get(), SIGKILL);
  }
}

bool ProcessSet::adopt(platform::ProcessId pid, const std::string& identity,
                       std::int64_t& started_wall) {
  if (!valid_pid(pid) || identity.empty()) return false;
  const auto ticks = read_start_ticks(pid);
  if (!ticks || std::to_string(*ticks) != identity) return false;
  // An orphan that ended while no daemon ran may linger as a zombie when its new parent
  // does not reap (a container's init): it ended all the same.
  if (is_zombie(pid)) return false;
  if (watched_.count(pid)) {
    started_wall = wall_from_ticks(*ticks);
    return true;
  }
  Fd pidfd(open_pidfd(static_cast<pid_t>(pid)));
  if (!pidfd.valid()) return false;
  // The pid could have been reused between the two reads: check again with the pidfd held.
  const auto again = read_start_ticks(pid);
  if (!again || *again != *ticks) return false;
  if (!watch(pid, std::move(pidfd), true)) return false;
  started_wall = wall_from_ticks(*ticks);
  return true;
}

bool ProcessSet::watch(platform::ProcessId pid, Fd pidfd, bool adopted) {
  if (!epoll_.add(pidfd.get(), EPOLLIN, make_tag(Source::Child, pid))) return false;
  watched_[pid] = Watched{std::move(pidfd), adopted};
  return true;
}

std::string ProcessSet::signal_group(platform::ProcessId pid, int sig) {
  const std::string what =
      "cannot send SIG" + std::string(::sigabbrev_np(sig)) + " to process " + std::to_string(pid);
  if (!valid_pid(pid)) return what + ": invalid process id";
  if (::kill(-static_cast<pid_t>(pid), sig) == 0) return "";
  if (errno != ESRCH) return sys_error(what);
  // No group any more: the program may have left it (setsid/setpgid), or everything
  // ended.  Only a watched process is signalled alone, through its pidfd (reuse-safe).
  const auto it = watched_.find(pid);
  if (it == watched_.end()) return sys_error(what);
  if (send_pidfd_signal(it->second.pidfd.get(), sig) == 0 || errno == ESRCH) return "";
  return sys_error(what);
}

std::string ProcessSet::signal_process(platform::ProcessId pid, int sig) {
  const std::string what =
      "cannot send SIG" + std::string(::sigabbrev_np(sig)) + " to process " + std::to_string(pid);
  if (!valid_pid(pid)) return what + ": invalid process id";
  const auto it = watched_.find(pid);
  if (it != watched_.end()) {
    if (send_pidfd_signal(it->second.pidfd.get(), sig) == 0 || errno == ESRCH) return "";
    return sys_error(what);
  }
  if (::kill(static_cast<pid_t>(pid), sig) == 0) return "";
  return sys_error(what);
}

std::optional<platform::ExitStatus> ProcessSet::collect(platform::ProcessId pid, const Watched& w) {
  siginfo_t info;
  std::memset(&info, 0, sizeof info);
  int rc = ::waitid(kPidfdIdType, static_cast<id_t>(w.pidfd.get()), &info, WEXITED | WNOHANG);
  if (rc < 0 && errno == EINVAL) {  // kernel without P_PIDFD
    rc = ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG);
  }
  if (rc < 0) return platform::ExitStatus{};  // ECHILD: adopted, its parent reaps it
  if (info.si_pid == 0) return std::nullopt;  // woken, but not ended yet
  return from_siginfo(info);
}

void ProcessSet::on_ready(platform::ProcessId pid, std::vector<platform::Event>& out) {
  const auto it = watched_.find(pid);
  if (it == watched_.end()) return;
  const auto status = collect(pid, it->second);
  if (!status) return;
  epoll_.remove(it->second.pidfd.get());
  watched_.erase(it);
  if (const auto l = launching_.find(pid); l != launching_.end()) {
    // Ended before its report was read: the report (written before the exit) says why.
    read_report(pid, l->second, out);
    if (const auto still = launching_.find(pid); still != launching_.end()) {
      platform::Event failed;
      failed.kind = platform::Event::Kind::SpawnFailed;
      failed.spawn = still->second.spawn;
      failed.pid = pid;
      failed.text = still->second.failure.empty() ? "ended before it could start its image (" +
                                                        describe_exit_status(*status) + ")"
                                                  : still->second.failure;
      if (still->second.report.valid()) epoll_.remove(still->second.report.get());
      launching_.erase(still);
      out.push_back(std::move(failed));
      launch_queued(out);
      return;
    }
  }
  platform::Event e;
  e.kind = platform::Event::Kind::ChildExited;
  e.pid = pid;
  e.status = *status;
  out.push_back(e);
}

// Why look first (WNOWAIT) rather than reap whatever waitid(P_ALL) returns: a program's
// exit status exists once, and reaping it here would leave its pidfd's waitid with
// ECHILD and the program with an unknown status.  So the pid of an ended child is only
// read here; ours go the pidfd way (on_ready, which stops watching them, so that their
// pidfd's readiness, if read later in the same batch, finds nothing), the others are
// reaped by pid.  Both kinds leave the kernel's list as they are handled, so the loop
// ends when no ended child is left: SIGCHLD is not queued per child, one signal may
// stand for many exits.
void ProcessSet::reap_children(std::vector<platform::Event>& out) {
  for (;;) {
    siginfo_t info;
    std::memset(&info, 0, sizeof info);
    if (::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) < 0) {
      if (errno == EINTR) continue;
      return;  // ECHILD: no child at all
    }
    if (info.si_pid == 0) return;  // none has ended
    const auto pid = static_cast<platform::ProcessId>(info.si_pid);
    if (watched_.count(pid) == 0) {
      reap_orphan(info.si_pid);
      continue;
    }
    on_ready(pid, out);
    // Not collected (cannot happen for a zombie): its pidfd will tell, and looking
    // again would find it first again.
    if (watched_.count(pid) != 0) return;
  }
}

}  // namespace sup::posix
