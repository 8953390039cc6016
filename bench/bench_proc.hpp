// Linux process plumbing for bench_driver: starting and reaping processes, reading
// /proc, and making sure that nothing the benchmark started survives it.  The bench is a
// Linux measuring tool (like strace), so it talks to the OS directly.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sup::bench {

using Clock = std::chrono::steady_clock;

// Milliseconds between two instants, as a double.
double ms_between(Clock::time_point from, Clock::time_point to);

// Thrown from the waiting helpers once SIGINT/SIGTERM/SIGHUP reached the driver.
struct Interrupted : std::runtime_error {
  Interrupted() : std::runtime_error("interrupted") {}
};

// Installs the interrupt handlers, makes the driver the reaper of its descendants'
// orphans (PR_SET_CHILD_SUBREAPER: a dead daemon's programs come back to us), sets a
// 1 ns timer slack (fine polling) and raises RLIMIT_NOFILE to its hard limit.
// Returns the new soft limit.
std::uint64_t prepare_driver();

// Throws Interrupted when a signal asked the driver to stop.
void check_interrupt();

// Sleeps `us` microseconds (checks for an interrupt first).
void pause_us(long us);

// Starts argv[0] (a path) with stdin /dev/null, stdout to `out_fd` (-1: /dev/null) and
// stderr to `err_path` ("" : /dev/null, else appended).  The child gets SIGTERM when the
// driver dies (PR_SET_PDEATHSIG), so a killed driver leaves no daemon behind.  Returns
// the pid; throws std::runtime_error when fork fails.
pid_t start_process(const std::vector<std::string>& argv, int out_fd = -1,
                    const std::string& err_path = "");

// Waits for `pid` (our child) to end, up to `timeout_ms`; its exit status, or nullopt
// on timeout.  Reaps it.
std::optional<int> wait_exit(pid_t pid, int timeout_ms);

// Runs argv to completion with stdout captured.  Returns the wall time from fork to
// reaped, the exit code (-1: killed) and the output.
struct RunResult {
  double ms = 0;
  int code = -1;
  std::string out;
};
RunResult run_captured(const std::vector<std::string>& argv, int timeout_ms = 60000);

// Reaps every ended child (orphans adopted as subreaper included); never blocks.
void reap_zombies();

// The children of `pid` (/proc/PID/task/PID/children); empty when it is gone.
std::vector<pid_t> children_of(pid_t pid);

// /proc/PID/stat: the command name, the state letter and the parent.
struct ProcStat {
  std::string comm;
  char state = '?';
  pid_t ppid = 0;
};
std::optional<ProcStat> read_stat(pid_t pid);

// True when `pid` is a child of `parent` that has become /bin/sleep (exec done).
bool is_exec_sleep(pid_t pid, pid_t parent);

// The last pid the kernel handed out (/proc/sys/kernel/ns_last_pid), cheap to poll.
class LastPid {
 public:
  LastPid();
  ~LastPid();
  LastPid(const LastPid&) = delete;
  LastPid& operator=(const LastPid&) = delete;
  pid_t read() const;

 private:
  int fd_ = -1;
};

// The kernel's pid_max (for wrap-around).
pid_t pid_max();

// Counters of one process for the idle window.
struct Activity {
  std::uint64_t voluntary = 0, involuntary = 0;  // context switches
  std::uint64_t cpu_ns = 0;                      // /proc/PID/schedstat run time
};
Activity read_activity(pid_t pid);

// Rss and Pss of one process, KiB (/proc/PID/smaps_rollup).
struct Memory {
  std::uint64_t rss_kib = 0, pss_kib = 0;
};
Memory read_memory(pid_t pid);

// True while /proc/PID/status shows a tracer attached.
bool traced(pid_t pid);

// Every live process running "sleep BASE.x" (the benchmark's mark).
std::vector<pid_t> marked_sleeps(const std::string& base);

// SIGKILLs the marked sleeps and reaps what comes back to us; returns how many.
std::size_t kill_marked(const std::string& base);

// The user name of the effective uid (for the configuration's mandatory `user`).
std::string current_user();

}  // namespace sup::bench
