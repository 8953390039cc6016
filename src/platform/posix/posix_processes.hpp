// The processes the daemon watches: spawned children and adopted survivors of an
// earlier daemon, each with a pidfd in the one epoll set.
#pragma once

#include <sys/types.h>

#include <chrono>
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

// A creation still making progress at its deadline may take this long in all before it
// is ended anyway; the first look at a sleeping one gives it kCreateGrace to show
// progress (CPU time) before it is called stuck.
inline constexpr int kCreateLimitSeconds = 120;
inline constexpr std::chrono::seconds kCreateGrace{1};

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
  // The earliest creation deadline (kCreateTimeoutSeconds after a spawn, later for a
  // creation still making progress); nullopt: none.
  std::optional<platform::TimePoint> next_deadline() const;
  // Ends the children whose creation is overdue and stuck (their exit then reports
  // SpawnFailed).  A child that is still running or using CPU at its deadline is slow,
  // not stuck (a loaded machine with hundreds of creations in flight): its deadline moves
  // on, up to kCreateLimitSeconds in all.  Stuck means asleep without progress: blocked
  // opening a FIFO nobody opens, or on a hung mount.
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
  // SIGCHLD (only when orphans_come_to_us()): reaps every child that has ended, without
  // blocking.  A watched one is collected through on_ready, so that a program's exit
  // reaches `out` exactly once whichever of its pidfd and SIGCHLD is read first; any
  // other child (an orphan the kernel handed to us, or one inherited at exec) is reaped
  // and forgotten, never reported.  Hence every process the daemon forks must be
  // watched here, or it would be taken for an orphan.
  void reap_children(std::vector<platform::Event>& out);

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
    platform::TimePoint limit;              // the deadline never moves past this
    std::optional<std::uint64_t> cpu_seen;  // its CPU ticks at the last deadline
    std::string failure;                    // why it did not start, once known
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
  // At `l`'s deadline: true (and the deadline moved on) when it is slow, not stuck.
  bool still_progressing(platform::ProcessId pid, Launching& l, platform::TimePoint now);
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

// True when the kernel hands orphans (processes whose parent ended) to this process:
// it is the first process (pid 1) of its PID namespace, a container's init, or whoever
// started it made it a child subreaper (PR_SET_CHILD_SUBREAPER, kept across exec).
// The daemon never makes itself a subreaper: doc/container.md says why.
bool orphans_come_to_us();

// dropkeys: the POSIX signal number of a portable signal.
int posix_signal(platform::Signal signal);

// pidfd_open(2) through syscall(): older C libraries have no wrapper.
int open_pidfd(pid_t pid);

// "exit status 3", "terminated by SIGKILL", "status unknown".
std::string describe_exit_status(const platform::ExitStatus& status);

}  // namespace sup::posix
