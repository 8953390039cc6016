// Inside the per-process runtime: what runtime*.cpp, mem32.cpp and the AST / time services
// (svc_ast.cpp, svc_time.cpp) share.  Not for other parts (they use kernel.hpp).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "kernel.hpp"

namespace vmssim::rt::detail {

// Condition values the runtime returns (VMS-REFERENCE 3.4, spec 4.0; [V] VSIPY _ssdef.c).
// Kept here so that the runtime does not depend on the spelling of the public headers.
namespace ss {
constexpr int kNormal = 1;
constexpr int kWasclr = 1;
constexpr int kWasset = 9;
constexpr int kAccvio = 12;
constexpr int kBadparam = 20;
constexpr int kExquota = 28;
constexpr int kIllefc = 236;
constexpr int kIvtime = 388;
constexpr int kUnasefc = 564;
constexpr int kBufferovf = 1537;
}  // namespace ss

constexpr unsigned kEfnNoFlag = 128;  // EFN$C_ENF [V VSIPY efndef]

// Event flag numbers (spec 3.7): 0-63 local, 64-127 common (none here), 128 "no flag".
enum class EfnKind { kLocal, kCommon, kNone, kIllegal };
EfnKind classify_efn(unsigned efn);
// The status a service returns for an efn it cannot use (UNASEFC or ILLEFC), 0 if usable.
int efn_error(unsigned efn, bool allow_none);

// [any] True when local flag `efn` (0-63) is set.
bool flag_is_set(unsigned efn);
// [any] The 32 flags of cluster 0 or 1.
std::uint32_t cluster_bits(unsigned cluster);
// [any] Sets the flag and returns whether it was already set; no-op (false) for ENF.
bool set_flag_was(unsigned efn);
// [main] Clears the flag and returns whether it was set.
bool clear_flag_was(unsigned efn);

// [main] $SETAST's state: sets it and returns the previous one.
bool set_ast_enabled(bool enabled);
bool ast_enabled();

// [main] Consumes the wake-pending bit: true when it was set.
bool take_wake();

// JPI$_STATE values while the main thread waits (VMS-REFERENCE 4; [V VSIPY statedef]).
enum WaitState : int { kNotWaiting = 0, kStateLef = 5, kStateHib = 7 };

// A condition a wait ends on; evaluated on the main thread after every event.
using WaitDone = bool (*)(const void* ctx);

// [main, inside a ServiceScope] Blocks until done(ctx) is true or, when timeout_ns >= 0, that
// many nanoseconds have passed (then false).  Delivers ASTs meanwhile when they are
// deliverable (a waiting process takes ASTs, spec 3.5/3.7); never when called from an AST.
bool wait_until(WaitDone done, const void* ctx, WaitState state, long long timeout_ns);

// [any] Wakes a wait_until of the main thread to re-evaluate its condition.
void notify_main();

// [any] Queues an AST whose ASTLM unit is already taken (a request's, a timer's).  False
// only if the fixed queue is full, which the ASTLM cap makes impossible.
bool enqueue_counted(AstRoutine ast, long long astprm);

// [main] Runs deliverable ASTs now (the outermost ServiceScope's exit, $SETAST(1)).
void deliver_pending();

// The variant switches of the runner (spec 2.5), read once from VMSSIM_VARIANTS.
struct Variants {
  long ast_jitter_us = 0;      // ast_jitter_us: max random delay of a completion
  double spurious_wake = 0.0;  // spurious_wake: probability that a $HIBER returns unwoken
  bool strict_ast = false;     // VMSSIM_STRICT_AST=1: allocation / stdio at AST level aborts
};
const Variants& variants();

// [any] A pseudo-random number (VMSSIM_SEED, else the clock), lock-free.
std::uint64_t random_u64();

// [any] True while the main thread runs an AST routine (strict-ast checks, runtime_strict.cpp).
bool at_ast_level();
// [any] Aborts with `what` when strict-ast is on and the caller is at AST level on the main
// thread.  Async-signal-safe.
void strict_check(const char* what);

// [main] Installs the sanitizer's allocation hooks for --strict-ast (ASan build only).
void install_strict_hooks();

// [any] Maps `size` bytes below 2 GiB (MAP_32BIT), or returns null.
void* map_low(std::size_t size, int prot);

// The arena and the heap rule (mem32.cpp): used by the allocator seams.
void* arena_realloc(void* p, std::size_t n, void (*free_other)(void*));
bool arena_owns(const void* p);
void arena_release(void* p);
bool heap_high();
void set_heap_high();

// [any] Writes a line to stderr with write(2) (no stdio: usable at AST level).
void log_line(const char* a, const char* b = "", const char* c = "");

// [main] Logs "UNIMPLEMENTED what" and returns SS$_BADPARAM (spec 1.4).
int unimplemented(const char* what);

// Time (spec 4.6): 100-ns units since 17-Nov-1858; the Unix epoch is 0x007C95674BEB4000.
constexpr long long kUnixEpochVms = 0x007C95674BEB4000LL;

// Timers and scheduled wakes (runtime_timer.cpp).  [main] only.
// Arms a timer expiring `delay_ns` from now (already rounded to the 10 ms tick): at expiry
// it sets `efn` (unless ENF) and queues `ast` with `reqidt` (ASTLM taken by the caller).
// False when TQELM is exhausted.
bool timer_arm(long long delay_ns, unsigned efn, AstRoutine ast, long long reqidt);
// Cancels every armed timer with this reqidt (every one when reqidt is 0); gives their ASTLM
// units back.  Returns how many were cancelled.
int timer_cancel(long long reqidt, bool all);
// Schedules a wake of this process after delay_ns, repeating every repeat_ns when > 0.
// False when TQELM is exhausted.
bool schdwk_arm(long long delay_ns, long long repeat_ns);
// Cancels the scheduled wakes; returns how many.
int schdwk_cancel();

// The delay, in ns, until `daytim` (negative: a delta; positive: an absolute time), rounded up
// to the 10 ms tick so that a timer never fires early; 0 when it is already past.
long long delay_until(long long daytim);

}  // namespace vmssim::rt::detail
