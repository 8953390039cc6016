// The process-local AST, wake and event flag services (spec 3): $SETAST, $DCLAST, $HIBER,
// $WAKE / $SCHDWK / $CANWAK for the caller itself (a named process goes to PROC's hooks),
// $SETEF, $CLREF, $READEF, $WAITFR, $WFLOR, $SYNCH.  Each runs inside a ServiceScope: no user AST
// is delivered during the call, except while it waits (spec 2.1, 3.5, 3.7).
#include <efndef.h>
#include <ssdef.h>
#include <starlet.h>

#include <cstring>

#include "runtime_internal.hpp"

namespace vmssim::rt {
namespace detail {
namespace {

RemoteWake g_remote{};

bool flag_done(const void* ctx) {
  return flag_is_set(*static_cast<const unsigned*>(ctx));
}

struct WflorWait {
  unsigned cluster;
  unsigned mask;
};
bool wflor_done(const void* ctx) {
  auto* w = static_cast<const WflorWait*>(ctx);
  return (cluster_bits(w->cluster) & w->mask) != 0;
}

bool wake_done(const void*) {
  return take_wake();
}

// $SCHDWK / $CANWAK name another process unless both are null or *pidadr is 0 (the caller,
// [V HELP]); the caller's PID is not written back here (the runtime does not know it).
bool names_other(const unsigned* pidadr, const void* prcnam) {
  return prcnam || (pidadr && *pidadr != 0);
}

struct SynchWait {
  unsigned efn;
  const volatile unsigned short* status;
};
bool synch_done(const void* ctx) {
  auto* w = static_cast<const SynchWait*>(ctx);
  unsigned short status = __atomic_load_n(w->status, __ATOMIC_ACQUIRE);
  return status != 0 && (w->efn == kEfnNoFlag || flag_is_set(w->efn));
}

// An AST routine as the backend declares it, `void f(__int64)`; STARLET's prototypes carry
// it as `void (*)(__unknown_params)`, and the runtime calls it back with its real type so
// that UBSan's function check is satisfied (tests/vmssim/DESIGN.md, seam 1).
AstRoutine as_routine(void (*astadr)(__unknown_params)) {
  return reinterpret_cast<AstRoutine>(astadr);
}

// A time quadword passed by reference: present and below 2 GiB (spec 5, as for the time
// services).
bool read_time(const struct _generic_64* t, long long& out) {
  if (!t || !addr32_ok(t, sizeof out)) return false;
  std::memcpy(&out, t, sizeof out);
  return true;
}

}  // namespace

int setast(char enbflg) {
  // [C HOFF, GTM] WASSET / WASCLR give the previous state; the ServiceScope's end delivers
  // what is pending once enabled, before the call returns (spec 3.4).
  bool was = set_ast_enabled(enbflg != 0);
  return was ? SS$_WASSET : SS$_WASCLR;
}

}  // namespace detail

void set_remote_wake(const RemoteWake& handlers) {
  detail::g_remote = handlers;
}

}  // namespace vmssim::rt

using namespace vmssim::rt;
using namespace vmssim::rt::detail;

extern "C" {

int sys$setast(char enbflg) {
  ServiceScope scope;
  return setast(enbflg);
}

int sys$dclast(void (*astadr)(__unknown_params), unsigned __int64 astprm, unsigned int acmode) {
  ServiceScope scope;
  (void)acmode;  // inner access modes are not modelled: every AST is user mode (spec 7)
  if (!astadr) return SS$_ACCVIO;
  // [V HOFF setast.c; M] counts against ASTLM like any queued AST (spec 3.1).
  if (!queue_ast(as_routine(astadr), static_cast<long long>(astprm))) return SS$_EXQUOTA;
  return SS$_NORMAL;
}

int sys$hiber(void) {
  ServiceScope scope;
  // [M, standard] A wake made before the call ends it at once; wakes collapse into the one
  // bit; ASTs run while hibernating and the process hibernates again unless one woke it.
  // spurious_wake [V DECthreads guide "may complete prematurely"]: with that probability
  // the call returns unwoken after up to 10 ms.
  long long timeout = -1;
  double p = variants().spurious_wake;
  if (p > 0 && static_cast<double>(random_u64() % 1000000) < p * 1000000.0) {
    timeout = static_cast<long long>(random_u64() % 10000000);
  }
  wait_until(wake_done, nullptr, kStateHib, timeout);
  return SS$_NORMAL;
}

int sys$wake(unsigned int* pidadr, void* prcnam) {
  ServiceScope scope;
  // [M, standard] The caller's own wake sets its wake-pending bit (spec 3.5); a named
  // process (which may be the caller, by PID or name) is PROC's.
  if (pidadr || prcnam) {
    if (!g_remote.wake) return unimplemented("$WAKE of a named process (PROC's IPC)");
    return g_remote.wake(pidadr, prcnam);
  }
  wake();
  return SS$_NORMAL;
}

int sys$schdwk(unsigned int* pidadr, void* prcnam, struct _generic_64* daytim,
               struct _generic_64* reptim) {
  ServiceScope scope;
  long long when = 0, every = 0;
  if (!read_time(daytim, when)) return SS$_ACCVIO;
  if (reptim && !read_time(reptim, every)) return SS$_ACCVIO;
  if (names_other(pidadr, prcnam)) {
    if (!g_remote.schdwk) return unimplemented("$SCHDWK of a named process (PROC's IPC)");
    return g_remote.schdwk(pidadr, prcnam, &when, reptim ? &every : nullptr);
  }
  // [C HOFF, VSIPY38] reptim is a delta time; a zero or absent one means a single wake.
  long long repeat_ns = 0;
  if (reptim && every != 0) {
    if (every > 0) return SS$_IVTIME;
    repeat_ns = delay_until(every);
  }
  if (!schdwk_arm(delay_until(when), repeat_ns)) return SS$_EXQUOTA;
  return SS$_NORMAL;
}

int sys$canwak(unsigned int* pidadr, void* prcnam) {
  ServiceScope scope;
  if (names_other(pidadr, prcnam)) {
    if (!g_remote.canwak) return unimplemented("$CANWAK of a named process (PROC's IPC)");
    return g_remote.canwak(pidadr, prcnam);
  }
  schdwk_cancel();
  return SS$_NORMAL;
}

int sys$setef(unsigned int efn) {
  ServiceScope scope;
  if (int err = efn_error(efn, true)) return err;
  // EFN$C_ENF is never set [V VSIPY; M]: setting it is accepted and does nothing.
  return set_flag_was(efn) ? SS$_WASSET : SS$_WASCLR;
}

int sys$clref(unsigned int efn) {
  ServiceScope scope;
  if (int err = efn_error(efn, true)) return err;
  return clear_flag_was(efn) ? SS$_WASSET : SS$_WASCLR;
}

int sys$readef(unsigned int efn, unsigned int* state) {
  ServiceScope scope;
  if (int err = efn_error(efn, true)) return err;
  // The whole cluster's state is returned [V]; ENF reads as a clear flag of no cluster.
  unsigned cluster = efn < 64 ? efn / 32 : 0;
  std::uint32_t bits = efn < 64 ? cluster_bits(cluster) : 0;
  // state is by reference (spec 5): a heap address is refused.
  if (state && !addr32_ok(state, sizeof *state)) return SS$_ACCVIO;
  if (state) *state = bits;
  return flag_is_set(efn) ? SS$_WASSET : SS$_WASCLR;
}

int sys$waitfr(unsigned int efn) {
  ServiceScope scope;
  // EFN$C_ENF can never be set, so a wait on it could never end: refused [G].
  if (int err = efn_error(efn, false)) return err;
  wait_until(flag_done, &efn, kStateLef, -1);
  return SS$_NORMAL;
}

int sys$wflor(unsigned int efn, unsigned int mask) {
  ServiceScope scope;
  if (int err = efn_error(efn, false)) return err;
  WflorWait w{efn / 32, mask};
  wait_until(wflor_done, &w, kStateLef, -1);
  return SS$_NORMAL;
}

int sys$synch(unsigned int efn, struct _iosb* iosb) {
  ServiceScope scope;
  if (int err = efn_error(efn, true)) return err;
  // [V HELP; M loop] Returns once the IOSB status is non-zero and the flag is set; with ENF
  // the IOSB alone is watched.  Without an IOSB it is $WAITFR.
  if (!iosb) {
    if (efn == kEfnNoFlag) return SS$_ILLEFC;
    wait_until(flag_done, &efn, kStateLef, -1);
    return SS$_NORMAL;
  }
  SynchWait w{efn, reinterpret_cast<const volatile unsigned short*>(iosb)};
  wait_until(synch_done, &w, kStateLef, -1);
  return SS$_NORMAL;
}

}  // extern "C"
