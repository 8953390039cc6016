// The process's own timers ($SETIMR) and scheduled wakes ($SCHDWK) (spec 3.6, 4.6): a fixed
// table served by one timer thread, started by the first request.
//
// The main thread takes g_mutex only inside a service, when no AST can run on it, and the
// timer thread fires an expired entry (sets the flag, queues the AST) while holding it; so a
// $CANTIM either finds the entry, and nothing of it happens, or it has fired whole
// [C LIBUV, GTM; M].
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "runtime_internal.hpp"

namespace vmssim::rt {
namespace detail {
namespace {

using Clock = std::chrono::steady_clock;

constexpr unsigned kMaxEntries = 1024;
constexpr unsigned kTqelmDefault = 8;  // PQL_DTQELM [M]

struct Entry {
  bool used = false;
  bool is_wake = false;  // a $SCHDWK entry
  Clock::time_point due;
  long long repeat_ns = 0;
  unsigned efn = kEfnNoFlag;
  AstRoutine ast = nullptr;
  long long reqidt = 0;
};

// Never destroyed: the timer thread may still wait on them while the process exits (a
// destroyed condition variable with a waiter blocks exit()).
std::mutex& g_mutex = *new std::mutex;
std::condition_variable& g_cv = *new std::condition_variable;
Entry g_entries[kMaxEntries];
unsigned g_used = 0;
unsigned g_tqelm = kTqelmDefault;
bool g_thread_started = false;

void fire_locked(Entry& e, Clock::time_point now) {
  if (e.is_wake) {
    wake();
    if (e.repeat_ns > 0) {
      // A repeating wake keeps its period; missed periods collapse, as wakes do.
      while (e.due <= now) e.due += std::chrono::nanoseconds(e.repeat_ns);
      return;
    }
  } else {
    // The flag is set before the AST is queued, as for a completion (spec 3.8).
    if (e.efn < 64) set_flag_was(e.efn);
    if (e.ast) enqueue_counted(e.ast, e.reqidt);
  }
  e.used = false;
  --g_used;
}

void timer_thread() {
  std::unique_lock<std::mutex> lock(g_mutex);
  for (;;) {
    Clock::time_point now = Clock::now();
    Clock::time_point next = Clock::time_point::max();
    for (Entry& e : g_entries) {
      if (!e.used) continue;
      if (e.due <= now) fire_locked(e, now);
      if (e.used && e.due < next) next = e.due;
    }
    if (next == Clock::time_point::max()) {
      g_cv.wait(lock);
    } else {
      g_cv.wait_until(lock, next);
    }
  }
}

// Called with g_mutex held, on the main thread (inside a service: allocation is allowed).
void start_thread_locked() {
  if (g_thread_started) return;
  // The thread is created with every signal blocked, so that process-directed signals and
  // the AST signal stay with the main thread.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  std::thread(timer_thread).detach();
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  g_thread_started = true;
}

bool add_locked(const Entry& proto) {
  if (g_used >= g_tqelm) return false;
  for (Entry& e : g_entries) {
    if (e.used) continue;
    e = proto;
    e.used = true;
    ++g_used;
    start_thread_locked();
    g_cv.notify_one();
    return true;
  }
  return false;
}

}  // namespace

bool timer_arm(long long delay_ns, unsigned efn, AstRoutine ast, long long reqidt) {
  std::lock_guard<std::mutex> lock(g_mutex);
  Entry e;
  e.due = Clock::now() + std::chrono::nanoseconds(delay_ns);
  e.efn = efn;
  e.ast = ast;
  e.reqidt = reqidt;
  return add_locked(e);
}

int timer_cancel(long long reqidt, bool all) {
  std::lock_guard<std::mutex> lock(g_mutex);
  int n = 0;
  for (Entry& e : g_entries) {
    if (!e.used || e.is_wake || (!all && e.reqidt != reqidt)) continue;
    if (e.ast) astlm_give();
    e.used = false;
    --g_used;
    ++n;
  }
  return n;
}

bool schdwk_arm(long long delay_ns, long long repeat_ns) {
  std::lock_guard<std::mutex> lock(g_mutex);
  Entry e;
  e.is_wake = true;
  e.due = Clock::now() + std::chrono::nanoseconds(delay_ns);
  e.repeat_ns = repeat_ns;
  return add_locked(e);
}

int schdwk_cancel() {
  std::lock_guard<std::mutex> lock(g_mutex);
  int n = 0;
  for (Entry& e : g_entries) {
    if (!e.used || !e.is_wake) continue;
    e.used = false;
    --g_used;
    ++n;
  }
  return n;
}

}  // namespace detail

void set_tqelm(unsigned limit) {
  std::lock_guard<std::mutex> lock(detail::g_mutex);
  detail::g_tqelm = limit > detail::kMaxEntries ? detail::kMaxEntries : limit;
}

}  // namespace vmssim::rt
