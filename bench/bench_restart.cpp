// restart_samples(): kill -9 of one program, then how long until its replacement runs.
#include <signal.h>

#include <algorithm>
#include <stdexcept>

#include "bench_phases.hpp"

namespace sup::bench {
namespace {

constexpr long kRestartPollUs = 5;     // ns_last_pid while a restart runs (fallback)
constexpr long kRestartGapUs = 20000;  // quiet time between two restart samples
constexpr std::int64_t kNsPerMs = 1000000;
constexpr std::int64_t kSampleLimitNs = 5000 * kNsPerMs;

// The moments of one restart, in ms after the kill, and the replacement's pid.
struct Moments {
  double exited = -1, forked = -1, execd = -1;
  pid_t child = 0;
};

// Through the kernel's events: the victim's exit, the subject's next fork, its exec.
bool await_events(const Subject& s, ProcEvents& events, pid_t victim, std::int64_t t0, Moments& m) {
  pid_t& child = m.child;
  for (;;) {
    const auto e = events.next(t0 + kSampleLimitNs);
    if (!e || e->kind == ProcEvent::Kind::Lost) return false;
    const double ms = double(e->ns - t0) / kNsPerMs;
    if (e->kind == ProcEvent::Kind::Exit && e->pid == victim) m.exited = ms;
    if (e->kind == ProcEvent::Kind::Fork && e->parent == s.pid && child == 0) {
      child = e->pid;
      m.forked = ms;
    }
    if (e->kind == ProcEvent::Kind::Exec && child != 0 && e->pid == child) {
      m.execd = ms;
      return is_exec_sleep(child, s.pid);  // the replacement, as /proc shows it
    }
  }
}

// The first pid after `from` (wrapping at pid_max).
pid_t next_pid(pid_t from, pid_t max) {
  return from + 1 >= max ? 1 : from + 1;
}

// By polling /proc: new pids since `last` (ns_last_pid) that are children of the subject.
bool await_polled(const Subject& s, pid_t last, const LastPid& lp, pid_t max, Clock::time_point t0,
                  Moments& m) {
  const auto deadline = t0 + std::chrono::nanoseconds(kSampleLimitNs);
  std::vector<pid_t> pending;  // pids handed out since `last`, not yet decided
  pid_t scanned = last;
  for (;;) {
    for (pid_t cur = lp.read(); scanned != cur;)
      pending.push_back(scanned = next_pid(scanned, max));
    for (auto it = pending.begin(); it != pending.end();) {
      const auto st = read_stat(*it);
      const double ms = ms_between(t0, Clock::now());
      if (st && st->ppid != s.pid) {
        it = pending.erase(it);  // somebody else's process
        continue;
      }
      if (st && m.forked < 0) m.forked = ms;
      if (st && st->comm == "sleep") {
        m.execd = ms;
        m.child = *it;
        return true;
      }
      ++it;  // not visible yet, or forked but not exec'd yet
    }
    if (Clock::now() > deadline) return false;
    pause_us(kRestartPollUs);
  }
}

// The subject's sleeps, read once: a /proc scan of 2000 processes before each kill
// would leave the kernel work (dentries to free) that competes with the restart.
std::vector<pid_t> sleeps_of(const Subject& s) {
  std::vector<pid_t> kids = children_of(s.pid);
  kids.erase(
      std::remove_if(kids.begin(), kids.end(), [&](pid_t p) { return !is_exec_sleep(p, s.pid); }),
      kids.end());
  if (kids.empty()) throw std::runtime_error(s.label + ": no program to restart");
  return kids;
}

}  // namespace

void restart_samples(const Subject& s, int samples, ProcEvents* events, RestartSamples& out) {
  const LastPid lp;
  const pid_t max = pid_max();
  std::vector<pid_t> sleeps = sleeps_of(s);
  for (int i = 0; i < samples; ++i) {
    pause_us(kRestartGapUs);
    expect_alive(s);
    // A different program each time; its replacement takes its place in the list.
    pid_t& victim = sleeps[(static_cast<std::size_t>(i) * 7919) % sleeps.size()];
    if (events) events->drain();
    const pid_t last = lp.read();
    const auto t0 = Clock::now();
    const std::int64_t t0_ns = monotonic_ns();
    ::kill(victim, SIGKILL);
    Moments m;
    const bool ok =
        events ? await_events(s, *events, victim, t0_ns, m) : await_polled(s, last, lp, max, t0, m);
    if (!ok) {
      ++out.failures;
      sleeps = sleeps_of(s);  // start again from what /proc shows
      continue;
    }
    victim = m.child;
    if (m.exited >= 0) out.exited.push_back(m.exited);
    out.forked.push_back(m.forked);
    out.execd.push_back(m.execd);
  }
  pause_us(kRestartGapUs);
}

}  // namespace sup::bench
