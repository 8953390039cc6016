// The measurements bench_driver makes on one process under test: supervisord, or the
// floor (spawn_floor).  Both are measured from outside, the same way: the kernel's
// process events (bench_events.hpp) or, without them, /proc.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "bench_events.hpp"
#include "bench_proc.hpp"
#include "bench_report.hpp"

namespace sup::bench {

// A process under test and the commands that go with it.
struct Subject {
  std::string label;                    // "supervisord" or "floor"
  std::vector<std::string> launch;      // its argv
  std::vector<std::string> status_all;  // `supervisor -c F status` (floor: a no-op image)
  std::vector<std::string> status_one;  // `supervisor -c F status NAME`
  bool reports_status = false;          // true: poll `status` for all RUNNING after launch
  int n = 0;                            // programs it supervises
  pid_t pid = 0;                        // while running
};

// Every process the driver started and still owns, so that cleanup() can end them
// (and the marked sleeps they leave) whatever happened.
class Tracker {
 public:
  explicit Tracker(std::string base) : base_(std::move(base)) {}
  ~Tracker() { cleanup(); }
  Tracker(const Tracker&) = delete;
  Tracker& operator=(const Tracker&) = delete;
  void add(pid_t pid) { pids_.push_back(pid); }
  void forget(pid_t pid);
  // SIGKILLs the tracked processes and every marked sleep; reaps.  Returns how many
  // marked sleeps had to be killed.
  std::size_t cleanup();
  const std::string& base() const { return base_; }

 private:
  std::string base_;
  std::vector<pid_t> pids_;
};

// Throws std::runtime_error when the subject has ended (it runs until we stop it).
void expect_alive(const Subject& s);

// Starts the subject and waits until all its N sleeps have exec'd; returns the ms from
// just before fork to the last exec (kernel stamps through `events`; without them, by
// polling /proc).  Throws std::runtime_error when it dies or takes over 120 s.
double launch(Subject& s, Tracker& tracker, ProcEvents* events);

// Polls `status` until it reports all N programs RUNNING; the ms since `since`.
double wait_all_running(const Subject& s, Clock::time_point since);

// `samples` runs of each status command (their wall times into `all` and `one`).
void status_samples(const Subject& s, int samples, std::vector<double>& all,
                    std::vector<double>& one);

// kill -9 of one sleep, `samples` times, 20 ms apart, a different program each time:
// the ms until the victim has exited, until its replacement is forked (its pid is in
// /proc), and until that has exec'd sleep.  Timeouts (5 s) count as failures.  With
// `events` the kernel stamps the three moments; without, /proc is polled (see
// bench_events.hpp for why that is worse) and `exited` stays empty.
struct RestartSamples {
  std::vector<double> exited, forked, execd;
  int failures = 0;
};
void restart_samples(const Subject& s, int samples, ProcEvents* events, RestartSamples& out);

// strace -c -f -p and /proc counters over `secs` seconds of idleness.  When strace is
// missing or may not attach (ptrace restrictions), the counters are still taken and the
// system call count is marked as not measured.
IdleFigures measure_idle(const Subject& s, double secs, const std::string& strace_file,
                         Tracker& tracker);

// SIGTERM, then the ms until the subject has exited (it reaps its sleeps first; with
// `events`, the kernel's stamp of its exit).  Counts the marked sleeps left afterwards
// into `survivors` (and kills them).
double shutdown(Subject& s, Tracker& tracker, ProcEvents* events, std::size_t& survivors);

}  // namespace sup::bench
