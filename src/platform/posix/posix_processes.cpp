#include "platform/posix/posix_processes.hpp"

#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
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

}  // namespace

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
}

platform::SpawnResult ProcessSet::spawn(const platform::ProcessSpec& spec) {
  platform::SpawnResult result;
  auto plan = prepare_launch(spec, result.error, table_id_);
  if (!plan) return result;
  // The identity is known as soon as the child exists: the caller records it before exec.
  const ChildLaunch child = launch_child(*plan, [&](pid_t pid) {
    const auto ticks = read_start_ticks(static_cast<std::uint64_t>(pid));
    result.identity = ticks ? std::to_string(*ticks) : "";
    result.started_wall =
        ticks ? wall_from_ticks(*ticks) : static_cast<std::int64_t>(std::time(nullptr));
    if (spec.on_created)
      spec.on_created(static_cast<platform::ProcessId>(pid), result.identity, result.started_wall);
  });
  if (!child.ok) {
    result.error = child.error;
    return result;
  }
  // Our unreaped child cannot be replaced by another process: the pidfd is certainly its.
  Fd pidfd(open_pidfd(child.pid));
  if (!pidfd.valid() ||
      !watch(static_cast<platform::ProcessId>(child.pid), std::move(pidfd), false)) {
    result.error = sys_error("cannot watch process " + std::to_string(child.pid));
    ::kill(-child.pid, SIGKILL);
    while (::waitpid(child.pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    return result;
  }
  result.ok = true;
  result.pid = static_cast<platform::ProcessId>(child.pid);
  return result;
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
  platform::Event e;
  e.kind = platform::Event::Kind::ChildExited;
  e.pid = pid;
  e.status = *status;
  out.push_back(e);
}

}  // namespace sup::posix
