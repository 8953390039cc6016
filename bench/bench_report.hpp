// What bench_driver measured, and how it is shown: the table on stdout, the JSON file.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace sup::bench {

// Median of the samples (0 when there are none).
double median(std::vector<double> samples);
// Nearest-rank percentile, p in (0, 100] (0 when there are no samples).
double percentile(std::vector<double> samples, double p);

// The idle window: what the process did while nothing happened.
struct IdleFigures {
  bool measured = false;  // the system call count is real (strace attached)
  double secs = 0;
  std::uint64_t syscalls = 0;                                // strace -c -f total
  std::vector<std::pair<std::string, std::uint64_t>> calls;  // per system call
  std::uint64_t voluntary = 0, involuntary = 0;              // context switches
  double cpu_ms = 0;                                         // schedstat run time
};

// One process under test (supervisord, or the floor) at one N.
struct Figures {
  std::vector<double> spawned_ms;       // launch -> all N sleeps exec'd (/proc), per launch
  std::vector<double> running_ms;       // launch -> `status` shows all RUNNING (daemon only)
  std::vector<double> status_all_ms;    // `supervisor status` (floor: exec of a no-op image)
  std::vector<double> status_one_ms;    // `supervisor status NAME` (floor: as above)
  std::vector<double> restart_exit_ms;  // kill -9 -> the victim has exited (kernel stamp)
  std::vector<double> restart_ms;       // kill -9 -> the new pid in /proc (forked)
  std::vector<double> restart_exec_ms;  // kill -9 -> the new pid has exec'd sleep
  int restart_failures = 0;
  IdleFigures idle;
  std::uint64_t rss_kib = 0, pss_kib = 0;
  std::vector<double> shutdown_ms;  // SIGTERM -> the process and all its sleeps gone
  std::size_t survivors = 0;        // marked sleeps found after the shutdown
};

struct RunFigures {
  int n = 0;
  Figures daemon, floor;
  Figures posix_spawn;  // the posix_spawn floor (launch, restart, memory, shutdown only)
};

// Where the figures came from.
struct Machine {
  int cpus = 0;
  std::string cpu, kernel, load_before, load_after, date;
  std::uint64_t busy_start = 0, total_start = 0;  // /proc/stat jiffies at the start
  double busy_percent = 0;  // all CPUs, the whole run, the benchmark's own work included
  std::string table_dir;    // where the SUPERVISORD_TABLE directories were
  int launches = 0, restart_samples = 0, status_samples = 0;
  std::string clock;  // "kernel process events" or "polling /proc"
};

// Reads nproc, the CPU model, the kernel release, the load average and the date.
Machine describe_machine();

// Records the load average and how busy the CPUs were since describe_machine().
void finish_machine(Machine& machine);

// The per-N tables, the per-program (marginal) costs across N, and the targets.
void print_report(std::FILE* out, const Machine& machine, const std::vector<RunFigures>& runs);

// The same, with every raw sample, as JSON.
std::string report_json(const Machine& machine, const std::vector<RunFigures>& runs);

}  // namespace sup::bench
