#include "bench_phases.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unordered_set>

namespace sup::bench {
namespace {

constexpr long kLaunchPollUs = 200;  // /proc children scan while a launch runs (fallback)
constexpr std::int64_t kNsPerMs = 1000000;

// How long a launch, a wait for RUNNING or a shutdown of `n` programs may take before the
// bench gives up: 120 s, plus 50 ms per program, because a slow or shared machine spawns
// at 100 programs a second or less (seen here), which 10,000 programs would not survive.
std::int64_t phase_limit_s(int n) {
  return 120 + n / 20;
}

// How many lines of a `status` report say RUNNING.
int count_running(const std::string& report) {
  std::istringstream in(report);
  std::string line, name, state;
  int running = 0;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    if (words >> name >> state && state == "RUNNING") ++running;
  }
  return running;
}

std::string find_in_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// strace -c output: "% time seconds usecs/call calls [errors] syscall" rows.
void parse_strace(const std::string& file, IdleFigures& idle) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string x; words >> x;) w.push_back(x);
    if (w.size() < 5 || w[0] == "%" || w[0].find("---") == 0) continue;
    const std::uint64_t calls = std::strtoull(w[3].c_str(), nullptr, 10);
    if (w.back() == "total")
      idle.syscalls = calls;
    else
      idle.calls.emplace_back(w.back(), calls);
  }
}

// Launch by polling /proc (no process events): children of the subject that are sleep.
double launch_polled(Subject& s, Clock::time_point t0) {
  std::unordered_set<pid_t> ready;
  const auto deadline = t0 + std::chrono::seconds(phase_limit_s(s.n));
  while (ready.size() < static_cast<std::size_t>(s.n)) {
    for (pid_t child : children_of(s.pid))
      if (!ready.count(child) && is_exec_sleep(child, s.pid)) ready.insert(child);
    if (ready.size() >= static_cast<std::size_t>(s.n)) break;
    expect_alive(s);
    if (Clock::now() > deadline)
      throw std::runtime_error(s.label + ": only " + std::to_string(ready.size()) + " of " +
                               std::to_string(s.n) + " programs started within " +
                               std::to_string(phase_limit_s(s.n)) + " s");
    pause_us(kLaunchPollUs);
  }
  return ms_between(t0, Clock::now());
}

// Launch through the kernel's events: the stamp of the N-th exec of a child of the
// subject.  nullopt when events were lost (the caller then polls).
std::optional<double> launch_events(Subject& s, ProcEvents& events, std::int64_t t0) {
  std::unordered_set<pid_t> forked, execd;
  std::int64_t last = t0;
  while (execd.size() < static_cast<std::size_t>(s.n)) {
    const auto e = events.next(t0 + phase_limit_s(s.n) * 1000 * kNsPerMs);
    if (!e)
      throw std::runtime_error(s.label + ": not all programs started within " +
                               std::to_string(phase_limit_s(s.n)) + " s");
    switch (e->kind) {
      case ProcEvent::Kind::Lost:
        return std::nullopt;
      case ProcEvent::Kind::Fork:
        if (e->parent == s.pid) forked.insert(e->pid);
        break;
      case ProcEvent::Kind::Exec:
        if (forked.count(e->pid) && execd.insert(e->pid).second) last = e->ns;
        break;
      case ProcEvent::Kind::Exit:
        if (e->pid == s.pid) throw std::runtime_error(s.label + " exited during its launch");
        break;
    }
  }
  return double(last - t0) / kNsPerMs;
}

// All N children of the subject are sleep, as /proc shows them.
void verify_launch(const Subject& s) {
  std::size_t sleeps = 0;
  for (pid_t child : children_of(s.pid)) sleeps += is_exec_sleep(child, s.pid) ? 1 : 0;
  if (sleeps != static_cast<std::size_t>(s.n)) {
    throw std::runtime_error(s.label + ": " + std::to_string(sleeps) +
                             " sleeps in /proc after the launch, expected " + std::to_string(s.n));
  }
}

// The kernel's stamp of the subject's exit, in ms after t0; nullopt if events were lost.
std::optional<double> exit_stamp(const Subject& s, ProcEvents& events, std::int64_t t0) {
  for (;;) {
    const auto e = events.next(t0 + phase_limit_s(s.n) * 1000 * kNsPerMs);
    if (!e || e->kind == ProcEvent::Kind::Lost) return std::nullopt;
    if (e->kind == ProcEvent::Kind::Exit && e->pid == s.pid) return double(e->ns - t0) / kNsPerMs;
  }
}

}  // namespace

void expect_alive(const Subject& s) {
  int status = 0;
  if (::waitpid(s.pid, &status, WNOHANG) == s.pid) {
    throw std::runtime_error(s.label + " (pid " + std::to_string(s.pid) +
                             ") exited during the benchmark");
  }
}

void Tracker::forget(pid_t pid) {
  pids_.erase(std::remove(pids_.begin(), pids_.end(), pid), pids_.end());
}

std::size_t Tracker::cleanup() {
  for (pid_t p : pids_) ::kill(p, SIGKILL);
  for (pid_t p : pids_) ::waitpid(p, nullptr, 0);
  pids_.clear();
  return kill_marked(base_);
}

double launch(Subject& s, Tracker& tracker, ProcEvents* events) {
  if (events) events->drain();
  const auto t0 = Clock::now();
  const std::int64_t t0_ns = monotonic_ns();
  s.pid = start_process(s.launch);
  tracker.add(s.pid);
  std::optional<double> ms;
  if (events) ms = launch_events(s, *events, t0_ns);
  if (!ms) ms = launch_polled(s, t0);
  verify_launch(s);
  return *ms;
}

double wait_all_running(const Subject& s, Clock::time_point since) {
  const auto deadline = Clock::now() + std::chrono::seconds(phase_limit_s(s.n));
  for (;;) {
    const RunResult r = run_captured(s.status_all);
    if (r.code == 0 && count_running(r.out) == s.n) return ms_between(since, Clock::now());
    expect_alive(s);
    if (Clock::now() > deadline)
      throw std::runtime_error(s.label + ": `status` never showed all programs RUNNING");
    pause_us(1000);
  }
}

void status_samples(const Subject& s, int samples, std::vector<double>& all,
                    std::vector<double>& one) {
  for (int i = 0; i < samples; ++i) {
    const RunResult a = run_captured(s.status_all);
    if (a.code != 0 || (s.reports_status && count_running(a.out) != s.n))
      throw std::runtime_error(s.label + ": status did not report all programs RUNNING");
    all.push_back(a.ms);
    const RunResult o = run_captured(s.status_one);
    if (o.code != 0 || (s.reports_status && count_running(o.out) != 1))
      throw std::runtime_error(s.label + ": status of one program failed");
    one.push_back(o.ms);
  }
}

IdleFigures measure_idle(const Subject& s, double secs, const std::string& strace_file,
                         Tracker& tracker) {
  IdleFigures idle;
  idle.secs = secs;
  if (secs <= 0) return idle;
  const std::string strace = find_in_path("strace");
  pid_t tracer = 0;
  if (!strace.empty()) {
    ::unlink(strace_file.c_str());
    tracer = start_process({strace, "-c", "-f", "-p", std::to_string(s.pid), "-o", strace_file});
    tracker.add(tracer);
    bool gone = false;  // strace gave up (and has been reaped)
    for (int i = 0; i < 5000 && !traced(s.pid) && !gone; ++i) {
      gone = wait_exit(tracer, 0).has_value();
      if (!gone) pause_us(1000);
    }
    if (!traced(s.pid)) {
      std::fprintf(stderr, "bench: strace could not attach to %s: system calls not counted\n",
                   s.label.c_str());
      if (!gone) {
        ::kill(tracer, SIGKILL);
        wait_exit(tracer, 5000);
      }
      tracker.forget(tracer);
      tracer = 0;
    }
  }
  pause_us(300000);  // the attachment's own wakeup is over
  const Activity a0 = read_activity(s.pid);
  const auto t0 = Clock::now();
  while (ms_between(t0, Clock::now()) < secs * 1000) pause_us(100000);
  const Activity a1 = read_activity(s.pid);
  idle.secs = ms_between(t0, Clock::now()) / 1000;
  if (tracer) {
    ::kill(tracer, SIGINT);
    if (!wait_exit(tracer, 10000)) {
      ::kill(tracer, SIGKILL);
      wait_exit(tracer, 5000);
    }
    tracker.forget(tracer);
    parse_strace(strace_file, idle);
    idle.measured = true;
  }
  idle.voluntary = a1.voluntary - a0.voluntary;
  idle.involuntary = a1.involuntary - a0.involuntary;
  idle.cpu_ms = double(a1.cpu_ns - a0.cpu_ns) / 1e6;
  return idle;
}

double shutdown(Subject& s, Tracker& tracker, ProcEvents* events, std::size_t& survivors) {
  if (events) events->drain();
  const auto t0 = Clock::now();
  const std::int64_t t0_ns = monotonic_ns();
  ::kill(s.pid, SIGTERM);
  const std::optional<double> stamped = events ? exit_stamp(s, *events, t0_ns) : std::nullopt;
  const auto code = wait_exit(s.pid, static_cast<int>(phase_limit_s(s.n) * 1000));
  const double ms = stamped.value_or(ms_between(t0, Clock::now()));
  if (!code)
    throw std::runtime_error(s.label + " did not exit within " +
                             std::to_string(phase_limit_s(s.n)) + " s of SIGTERM");
  tracker.forget(s.pid);
  s.pid = 0;
  reap_zombies();
  survivors += kill_marked(tracker.base());
  return ms;
}

}  // namespace sup::bench
