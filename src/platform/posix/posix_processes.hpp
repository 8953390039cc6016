// The processes the daemon watches: spawned children and adopted survivors of an
// earlier daemon, each with a pidfd in the one epoll set.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "platform/platform.hpp"
#include "platform/posix/posix_epoll.hpp"
#include "platform/posix/posix_fd.hpp"

namespace sup::posix {

class ProcessSet {
 public:
  // `table_id` marks every child (see posix_proc.hpp's scan_marked); "" marks none.
  ProcessSet(Epoll& epoll, std::string table_id) : epoll_(epoll), table_id_(std::move(table_id)) {}
  ~ProcessSet();

  // fork + exec (see posix_launch.hpp and posix_child.hpp), then watches the child.
  // identity = the start time in clock ticks (/proc/PID/stat field 22).
  platform::SpawnResult spawn(const platform::ProcessSpec& spec);
  // Watches `pid` when its start time still equals `identity`.
  [[nodiscard]] bool adopt(platform::ProcessId pid, const std::string& identity,
                           std::int64_t& started_wall);
  // Sends `sig` to the process group of `pid` (the program and what it started).  When
  // there is no such group any more, the process itself gets it through its pidfd;
  // a watched process that already ended is not an error.
  [[nodiscard]] std::string signal_group(platform::ProcessId pid, int sig);
  // Its pidfd is readable: collects the exit status (Unknown for an adopted process,
  // which is not our child) and stops watching it.
  void on_ready(platform::ProcessId pid, std::vector<platform::Event>& out);

 private:
  struct Watched {
    Fd pidfd;
    bool adopted = false;
  };
  [[nodiscard]] bool watch(platform::ProcessId pid, Fd pidfd, bool adopted);
  // The exit status once ended; nullopt while it still runs.
  std::optional<platform::ExitStatus> collect(platform::ProcessId pid, const Watched& w);

  Epoll& epoll_;
  std::string table_id_;
  std::map<platform::ProcessId, Watched> watched_;
};

// pidfd_open(2) through syscall(): older C libraries have no wrapper.
int open_pidfd(pid_t pid);

// "exit status 3", "terminated by SIGKILL", "status unknown".
std::string describe_exit_status(const platform::ExitStatus& status);

}  // namespace sup::posix
