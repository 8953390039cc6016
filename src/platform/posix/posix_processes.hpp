// The processes the daemon watches: spawned children and adopted survivors of an
// earlier daemon, each with a pidfd in the one epoll set.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "platform/platform.hpp"
#include "platform/posix/posix_epoll.hpp"
#include "platform/posix/posix_fd.hpp"
#include "platform/posix/posix_launch.hpp"

namespace sup::posix {

class ProcessSet {
 public:
  // `table_id` marks every child (see posix_proc.hpp's scan_marked); "" marks none.
  // At most `max_launching` (>= 1) children are between fork and exec at a time.
  ProcessSet(Epoll& epoll, std::string table_id, std::size_t max_launching)
      : epoll_(epoll), table_id_(std::move(table_id)), max_launching_(max_launching) {}
  ~ProcessSet();

  // Starts the child (posix_launch.hpp, posix_child.hpp) and returns at once; appends
  // Created (identity = the start time in clock ticks, /proc/PID/stat field 22) or
  // SpawnFailed to `out`.  Started or SpawnFailed follow from on_report/on_ready.  With
  // max_launching creations already in flight the spawn waits, in order, until one of
  // them reaches its image or fails; its Created comes then.
  platform::SpawnId spawn(const platform::ProcessSpec& spec, std::vector<platform::Event>& out);
  // A child's report socket is readable: Started once it exec'd; a failure is kept
  // until its exit, which is then reported as SpawnFailed instead of ChildExited.
  void on_report(platform::ProcessId pid, std::vector<platform::Event>& out);
  // The earliest creation deadline (kCreateTimeoutSeconds after a spawn); nullopt: none.
  std::optional<platform::TimePoint> next_deadline() const;
  // Ends the children whose creation is overdue (their exit then reports SpawnFailed).
  void expire(platform::TimePoint now);
  // Watches `pid` when its start time still equals `identity`.
  [[nodiscard]] bool adopt(platform::ProcessId pid, const std::string& identity,
                           std::int64_t& started_wall);
  // Sends `sig` to the process group of `pid` (the program and what it started).  When
  // there is no such group any more, the process itself gets it through its pidfd;
  // a watched process that already ended is not an error.
  [[nodiscard]] std::string signal_group(platform::ProcessId pid, int sig);
  // dropkeys: sends `sig` to the process `pid` alone: through its pidfd when watched
  // (reuse-safe; one that already ended is not an error), else with kill().
  [[nodiscard]] std::string signal_process(platform::ProcessId pid, int sig);
  // Its pidfd is readable: collects the exit status (Unknown for an adopted process,
  // which is not our child) and stops watching it.
  void on_ready(platform::ProcessId pid, std::vector<platform::Event>& out);

 private:
  struct Watched {
    Fd pidfd;
    bool adopted = false;
  };
  // A child that has not exec'd yet.
  struct Launching {
    platform::SpawnId spawn = 0;
    LaunchPlan plan;  // for describing its failure
    Fd report;        // invalid once the report was read
    platform::TimePoint deadline;
    std::string failure;  // why it did not start, once known
  };
  // A spawn waiting for its turn.
  struct Queued {
    platform::SpawnId spawn = 0;
    platform::ProcessSpec spec;
  };
  // Forks `spec` now (spawn's work once it is its turn).
  void launch(platform::SpawnId id, const platform::ProcessSpec& spec,
              std::vector<platform::Event>& out);
  // Launches queued spawns while fewer than max_launching_ are in flight.
  void launch_queued(std::vector<platform::Event>& out);
  void read_report(platform::ProcessId pid, Launching& l, std::vector<platform::Event>& out);
  [[nodiscard]] bool watch(platform::ProcessId pid, Fd pidfd, bool adopted);
  // The exit status once ended; nullopt while it still runs.
  std::optional<platform::ExitStatus> collect(platform::ProcessId pid, const Watched& w);

  Epoll& epoll_;
  std::string table_id_;
  std::map<platform::ProcessId, Watched> watched_;
  std::map<platform::ProcessId, Launching> launching_;
  std::size_t max_launching_;
  std::deque<Queued> queued_;
  platform::SpawnId next_spawn_ = 1;
};

// dropkeys: the POSIX signal number of a portable signal.
int posix_signal(platform::Signal signal);

// pidfd_open(2) through syscall(): older C libraries have no wrapper.
int open_pidfd(pid_t pid);

// "exit status 3", "terminated by SIGKILL", "status unknown".
std::string describe_exit_status(const platform::ExitStatus& status);

}  // namespace sup::posix
