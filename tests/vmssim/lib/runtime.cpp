// The per-process runtime: the user-mode AST queue and its asynchronous delivery, ASTLM,
// ServiceScope, event flags, the wake-pending bit and the waits (spec 2.1, 3).
//
// Delivery model [G, modelling [V] inner-mode services]: every AST is pushed into one
// fixed-size lock-free FIFO (multi-producer: the receiver thread, the timer thread, signal
// handlers, the main thread; single consumer: the main thread), then the main thread gets
// kAstSignal.  Its handler runs the queued routines, one at a time, when ASTs are enabled, no
// AST routine is active and no service is open.  A service that blocks (wait_until) runs them
// itself meanwhile.  Closing the outermost ServiceScope runs what was held back.
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <initializer_list>

#include "runtime_internal.hpp"

namespace vmssim::rt {
namespace detail {
namespace {

// The queue's capacity bounds ASTLM (set_astlm clamps), so a counted push never fails.
constexpr unsigned kQueueCapacity = 4096;
constexpr unsigned kAstlmDefault = 24;  // PQL_DASTLM on VAX V7.1 [P GOVAX probe 2]

struct Slot {
  std::atomic<std::uint64_t> seq;
  AstRoutine routine;
  long long astprm;
};

// Bounded MPSC queue in the style of Vyukov's array queue: a slot's sequence number says
// whether it is free for the producer of ticket `t` (seq == t) or full for the consumer
// (seq == t + 1).  No allocation, no lock: safe in a signal handler and on any thread.
Slot g_slots[kQueueCapacity];
std::atomic<std::uint64_t> g_head{0};  // next ticket to consume (main thread only)
std::atomic<std::uint64_t> g_tail{0};  // next ticket to produce

std::atomic<bool> g_ast_enabled{true};
std::atomic<bool> g_active{false};  // an AST routine (or a delivery loop) is running
std::atomic<int> g_depth{0};        // open ServiceScopes (main thread only)
std::atomic<bool> g_at_ast_level{false};
std::atomic<bool> g_wake_pending{false};
std::atomic<std::uint64_t> g_flags{0};  // local event flags 0-63
std::atomic<unsigned> g_astlm_limit{kAstlmDefault};
std::atomic<unsigned> g_astlm_used{0};
std::atomic<int> g_wait_state{kNotWaiting};
// Bumped at every event a wait may be waiting for; the main thread futex-waits on it.
std::atomic<std::uint32_t> g_event{0};
std::atomic<bool> g_initialized{false};
std::atomic<std::uint64_t> g_random{0x9E3779B97F4A7C15ULL};
Variants g_variants;

int ast_signal() {
  return SIGRTMIN + 1;
}

// A slot stores its sequence number minus its index, so that the zero-initialized array is
// already a valid empty queue: a completion may arrive before init() (PROC's receiver thread
// can start in a static initializer).
std::uint64_t slot_seq(std::uint64_t index) {
  return g_slots[index].seq.load(std::memory_order_acquire) + index;
}
void set_slot_seq(std::uint64_t index, std::uint64_t seq) {
  g_slots[index].seq.store(seq - index, std::memory_order_release);
}

bool queue_push(AstRoutine routine, long long astprm) {
  std::uint64_t ticket = g_tail.load(std::memory_order_relaxed);
  for (;;) {
    std::uint64_t index = ticket % kQueueCapacity;
    std::uint64_t seq = slot_seq(index);
    if (seq == ticket) {
      if (g_tail.compare_exchange_weak(ticket, ticket + 1, std::memory_order_relaxed)) {
        g_slots[index].routine = routine;
        g_slots[index].astprm = astprm;
        set_slot_seq(index, ticket + 1);
        return true;
      }
    } else if (seq < ticket) {
      return false;  // full
    } else {
      ticket = g_tail.load(std::memory_order_relaxed);
    }
  }
}

// Main thread only (the handler and the mainline never pop concurrently: g_active guards).
bool queue_pop(AstRoutine& routine, long long& astprm) {
  std::uint64_t ticket = g_head.load(std::memory_order_relaxed);
  std::uint64_t index = ticket % kQueueCapacity;
  if (slot_seq(index) != ticket + 1) return false;  // empty, or a push in progress
  routine = g_slots[index].routine;
  astprm = g_slots[index].astprm;
  set_slot_seq(index, ticket + kQueueCapacity);
  g_head.store(ticket + 1, std::memory_order_relaxed);
  return true;
}

bool queue_has_ready() {
  std::uint64_t ticket = g_head.load(std::memory_order_relaxed);
  return slot_seq(ticket % kQueueCapacity) == ticket + 1;
}

long futex(std::atomic<std::uint32_t>* word, int op, std::uint32_t value, const timespec* ts) {
  return syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(word), op, value, ts, nullptr, 0);
}

// Runs queued ASTs while they are deliverable; `in_wait` lets a blocking service deliver
// although its own ServiceScope is open.  Re-checks after releasing g_active, because a push
// whose signal arrived while a routine was active was left for this loop.
bool deliver(bool in_wait) {
  bool ran = false;
  for (;;) {
    if (!g_ast_enabled.load() || (!in_wait && g_depth.load() != 0)) return ran;
    if (g_active.exchange(true)) return ran;
    AstRoutine routine = nullptr;
    long long astprm = 0;
    if (!queue_pop(routine, astprm)) {
      g_active.store(false);
      if (!queue_has_ready()) return ran;
      continue;
    }
    g_at_ast_level.store(true);
    int saved_state = g_wait_state.exchange(kNotWaiting);
    routine(astprm);
    g_wait_state.store(saved_state);
    g_at_ast_level.store(false);
    g_astlm_used.fetch_sub(1);
    g_active.store(false);
    ran = true;
  }
}

void on_ast_signal(int) {
  int saved_errno = errno;
  deliver(false);
  errno = saved_errno;
}

void signal_main() {
  // tgkill is a plain system call: async-signal-safe, and aimed at the main thread (whose
  // thread id is the process id).
  pid_t pid = getpid();
  syscall(SYS_tgkill, pid, pid, ast_signal());
}

double parse_double(const char* s, std::size_t n) {
  char buf[64];
  if (n >= sizeof buf) n = sizeof buf - 1;
  std::memcpy(buf, s, n);
  buf[n] = '\0';
  return std::strtod(buf, nullptr);
}

// VMSSIM_VARIANTS="k=v,k=v" (written by the runner, tool/vmssim.cpp).  Unknown keys are
// left to the other parts.
void read_variants() {
  if (const char* strict = std::getenv("VMSSIM_STRICT_AST")) {
    g_variants.strict_ast = strict[0] != '\0' && strict[0] != '0';
  }
  if (const char* seed = std::getenv("VMSSIM_SEED")) {
    g_random.store(std::strtoull(seed, nullptr, 10) * 2654435761ULL + 1);
  } else {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    g_random.store(static_cast<std::uint64_t>(ts.tv_nsec) * 2654435761ULL + getpid() + 1);
  }
  const char* v = std::getenv("VMSSIM_VARIANTS");
  while (v && *v) {
    const char* end = std::strchr(v, ',');
    std::size_t len = end ? static_cast<std::size_t>(end - v) : std::strlen(v);
    const char* eq = static_cast<const char*>(std::memchr(v, '=', len));
    if (eq) {
      std::size_t klen = static_cast<std::size_t>(eq - v);
      const char* val = eq + 1;
      std::size_t vlen = len - klen - 1;
      if (klen == 13 && std::strncmp(v, "ast_jitter_us", 13) == 0) {
        g_variants.ast_jitter_us = static_cast<long>(parse_double(val, vlen));
      } else if (klen == 13 && std::strncmp(v, "spurious_wake", 13) == 0) {
        // A rate per thousand $HIBER calls (the runner's unit, exec/protocol.hpp); "off" is 0.
        bool off = vlen == 3 && std::strncmp(val, "off", 3) == 0;
        g_variants.spurious_wake = off ? 0.0 : parse_double(val, vlen) / 1000.0;
      } else if (klen == 10 && std::strncmp(v, "strict_ast", 10) == 0) {
        if (parse_double(val, vlen) != 0) g_variants.strict_ast = true;
      }
    }
    v = end ? end + 1 : nullptr;
  }
}

void jitter() {
  long max = g_variants.ast_jitter_us;
  if (max <= 0) return;
  long us = static_cast<long>(random_u64() % static_cast<std::uint64_t>(max + 1));
  timespec ts{us / 1000000, (us % 1000000) * 1000};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

}  // namespace

EfnKind classify_efn(unsigned efn) {
  if (efn < 64) return EfnKind::kLocal;
  if (efn < 128) return EfnKind::kCommon;
  if (efn == kEfnNoFlag) return EfnKind::kNone;
  return EfnKind::kIllegal;
}

int efn_error(unsigned efn, bool allow_none) {
  switch (classify_efn(efn)) {
    case EfnKind::kLocal:
      return 0;
    case EfnKind::kCommon:
      return ss::kUnasefc;  // no common event flag clusters (spec 3.7, 7)
    case EfnKind::kNone:
      return allow_none ? 0 : ss::kIllefc;
    case EfnKind::kIllegal:
      break;
  }
  return ss::kIllefc;
}

bool flag_is_set(unsigned efn) {
  return efn < 64 && (g_flags.load() >> efn & 1U) != 0;
}

std::uint32_t cluster_bits(unsigned cluster) {
  return cluster > 1 ? 0U : static_cast<std::uint32_t>(g_flags.load() >> (32 * cluster));
}

bool set_flag_was(unsigned efn) {
  if (efn >= 64) return false;
  std::uint64_t bit = std::uint64_t{1} << efn;
  bool was = (g_flags.fetch_or(bit) & bit) != 0;
  notify_main();
  return was;
}

bool clear_flag_was(unsigned efn) {
  if (efn >= 64) return false;
  std::uint64_t bit = std::uint64_t{1} << efn;
  return (g_flags.fetch_and(~bit) & bit) != 0;
}

bool set_ast_enabled(bool enabled) {
  return g_ast_enabled.exchange(enabled);
}
bool ast_enabled() {
  return g_ast_enabled.load();
}

bool take_wake() {
  return g_wake_pending.exchange(false);
}

void notify_main() {
  g_event.fetch_add(1);
  futex(&g_event, FUTEX_WAKE_PRIVATE, INT_MAX, nullptr);
}

bool wait_until(WaitDone done, const void* ctx, WaitState state, long long timeout_ns) {
  timespec deadline{};
  if (timeout_ns >= 0) {
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += timeout_ns / 1000000000;
    deadline.tv_nsec += timeout_ns % 1000000000;
    if (deadline.tv_nsec >= 1000000000) {
      deadline.tv_sec += 1;
      deadline.tv_nsec -= 1000000000;
    }
  }
  int saved_state = g_wait_state.exchange(state);
  bool result = false;
  for (;;) {
    std::uint32_t seq = g_event.load();
    if (done(ctx)) {
      result = true;
      break;
    }
    if (deliver(true)) continue;  // an AST ran: re-evaluate at once
    timespec rel{};
    timespec* relp = nullptr;
    if (timeout_ns >= 0) {
      timespec now{};
      clock_gettime(CLOCK_MONOTONIC, &now);
      long long left =
          (deadline.tv_sec - now.tv_sec) * 1000000000LL + (deadline.tv_nsec - now.tv_nsec);
      if (left <= 0) break;
      rel.tv_sec = left / 1000000000;
      rel.tv_nsec = left % 1000000000;
      relp = &rel;
    }
    futex(&g_event, FUTEX_WAIT_PRIVATE, seq, relp);
  }
  g_wait_state.store(saved_state);
  return result;
}

bool enqueue_counted(AstRoutine ast, long long astprm) {
  if (!queue_push(ast, astprm)) return false;
  notify_main();
  // Before init() the signal has no handler yet (its default action ends the process);
  // init() delivers what was queued meanwhile.
  if (g_initialized.load()) signal_main();
  return true;
}

void deliver_pending() {
  deliver(false);
}

const Variants& variants() {
  return g_variants;
}

std::uint64_t random_u64() {
  // xorshift64*, advanced with a CAS so that concurrent callers get distinct numbers.
  std::uint64_t x = g_random.load();
  std::uint64_t next;
  do {
    next = x;
    next ^= next >> 12;
    next ^= next << 25;
    next ^= next >> 27;
  } while (!g_random.compare_exchange_weak(x, next));
  return next * 2685821657736338717ULL;
}

bool at_ast_level() {
  return g_at_ast_level.load(std::memory_order_relaxed);
}

void log_line(const char* a, const char* b, const char* c) {
  char buf[512];
  std::size_t n = 0;
  for (const char* part : {"vmssim: ", a, b, c, "\n"}) {
    for (; *part && n < sizeof buf; ++part) buf[n++] = *part;
  }
  ssize_t ignored = write(2, buf, n);
  (void)ignored;
}

int unimplemented(const char* what) {
  log_line("UNIMPLEMENTED ", what);
  return ss::kBadparam;
}

long long delay_until(long long daytim) {
  constexpr long long kTick = 100000;  // 10 ms in 100-ns units [M]
  long long units = daytim < 0 ? -daytim : daytim - now_vms();
  if (units <= 0) return 0;
  long long ticks = (units + kTick - 1) / kTick;
  return ticks * kTick * 100;
}

}  // namespace detail

using namespace detail;

void init() {
  if (g_initialized.load()) return;
  if (!on_main_thread()) {
    log_line("rt::init called off the main thread");
    std::abort();
  }
  read_variants();
  install_strict_hooks();
  struct sigaction sa {};
  sa.sa_handler = on_ast_signal;
  sigemptyset(&sa.sa_mask);
  // SA_RESTART: a mainline system call interrupted by an AST carries on, as on VMS, where
  // an AST is invisible to the code it interrupts.
  sa.sa_flags = SA_RESTART;
  sigaction(ast_signal(), &sa, nullptr);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, ast_signal());
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
  g_initialized.store(true);
  if (queue_has_ready()) signal_main();
}

bool on_main_thread() {
  return syscall(SYS_gettid) == getpid();
}

ServiceScope::ServiceScope() {
  if (!on_main_thread()) {
    log_line("a service was called from a thread other than main (spec 2.2)");
    std::abort();
  }
  init();
  g_depth.fetch_add(1);
}

ServiceScope::~ServiceScope() {
  if (g_depth.fetch_sub(1) == 1) deliver(false);
}

bool astlm_take() {
  unsigned used = g_astlm_used.load();
  do {
    if (used >= g_astlm_limit.load()) return false;
  } while (!g_astlm_used.compare_exchange_weak(used, used + 1));
  return true;
}

void astlm_give() {
  g_astlm_used.fetch_sub(1);
}

void set_astlm(unsigned limit) {
  g_astlm_limit.store(limit > kQueueCapacity ? kQueueCapacity : limit);
}

void complete(void* iosb, const unsigned char (&value)[8], unsigned efn, AstRoutine ast,
              long long astprm) {
  jitter();
  if (iosb) {
    // The status (first word) is written last, so a poller of the IOSB that sees it non-zero
    // sees the rest too [M, spec 3.8].
    auto* bytes = static_cast<unsigned char*>(iosb);
    std::memcpy(bytes + 2, value + 2, 6);
    std::atomic_thread_fence(std::memory_order_release);
    std::uint16_t status = static_cast<std::uint16_t>(value[0] | value[1] << 8);
    __atomic_store_n(reinterpret_cast<std::uint16_t*>(bytes), status, __ATOMIC_RELEASE);
  }
  if (efn < 64) set_flag_was(efn);
  if (ast) {
    enqueue_counted(ast, astprm);
  } else {
    notify_main();
  }
}

bool queue_ast(AstRoutine ast, long long astprm) {
  if (!astlm_take()) return false;
  if (!enqueue_counted(ast, astprm)) {
    astlm_give();
    return false;
  }
  return true;
}

void wake() {
  g_wake_pending.store(true);
  notify_main();
}

void set_flag(unsigned efn) {
  set_flag_was(efn);
}

void clear_flag(unsigned efn) {
  clear_flag_was(efn);
}

int wait_state() {
  return g_wait_state.load();
}

// CLOCK_REALTIME taken as the VMS system time: UTC, as the host keeps it [G].
long long now_vms() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return kUnixEpochVms + ts.tv_sec * 10000000LL + ts.tv_nsec / 100;
}

int ast_signal_number() {
  return ast_signal();
}

}  // namespace vmssim::rt
