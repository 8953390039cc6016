// The per-process runtime of the simulated OpenVMS process: the seam between the
// services (svc_*.cpp, the receiver thread) and the AST / event flag / wake machinery
// (runtime*.cpp).  See ../DESIGN.md.
//
// Thread rules: functions marked [any] may be called from the receiver thread or from a
// signal handler: they never allocate and never block on a lock the main thread holds.
// The others are for the process's main thread only (a service call from any other
// thread aborts, spec 2.2).
#pragma once

#include <cstddef>
#include <cstdint>

namespace vmssim::rt {

// An AST routine as the runtime calls it: its one argument is the 64-bit astprm.
using AstRoutine = void (*)(long long);

// [main] Sets the runtime up (signal handler, main-thread identity); idempotent, called
// by the first service call of the process.
void init();

// [any] True when called on the process's main thread.
bool on_main_thread();

// [main] Opened by every service for its whole duration: user-mode ASTs are not
// delivered while one is open (services run in an inner mode, [V]); closing the
// outermost delivers what became deliverable.  Aborts when not on the main thread.
class ServiceScope {
 public:
  ServiceScope();
  ~ServiceScope();
  ServiceScope(const ServiceScope&) = delete;
  ServiceScope& operator=(const ServiceScope&) = delete;
};

// [any] ASTLM: a request that names an AST takes one unit when it is accepted and the
// unit comes back when its AST has run (or the request is refused).  False when none is
// left: the service returns SS$_EXQUOTA (spec 3.1).
bool astlm_take();
void astlm_give();
// [main] The quota, from the process's quotas (default 24, spec 4.1).
void set_astlm(unsigned limit);

// [any] Completion work of one request, in the order VMS does it (spec 3.8): writes the
// 8-byte IOSB (the first word / longword, the status, last), sets `efn` (unless it is
// EFN$C_ENF), queues `ast` with `astprm` (its ASTLM unit was taken at the request) and
// wakes the main thread.  `iosb` may be null; `ast` may be null.
void complete(void* iosb, const unsigned char (&value)[8], unsigned efn, AstRoutine ast,
              long long astprm);

// [any] Queues a user-mode AST that no request counted (attention ASTs, $FORCEX's exit
// AST, timers take their unit themselves).  False when ASTLM is exhausted.
bool queue_ast(AstRoutine ast, long long astprm);

// [any] $WAKE aimed at this process: sets the wake-pending bit and ends a $HIBER.
void wake();

// [any] Sets a local event flag (0-63) and wakes waiters; no-op for EFN$C_ENF.
void set_flag(unsigned efn);
// [main] Clears a local event flag.
void clear_flag(unsigned efn);

// [any] True when [addr, addr+len) is a readable 32-bit address the services accept in a
// descriptor, item list or by-reference argument (below 2 GiB, not the poison page,
// spec section 5).  Services return SS$_ACCVIO when it is false.
bool addr32_ok(const void* addr, std::size_t len);

// [any] JPI$_STATE of the main thread for $GETJPI: 7 (HIB) in $HIBER, 5 (LEF) in a flag
// or IOSB wait ($WAITFR, $WFLOR, $SYNCH), 0 otherwise (the caller reports CUR or COM).
int wait_state();

// [any] The real-time signal that runs ASTs on the main thread (SIGRTMIN+1).  Other parts
// must leave it alone.
int ast_signal_number();

// [main] $WAKE, $SCHDWK and $CANWAK that name a process (pidadr or prcnam not null) are
// sent through these, which the IPC registers (PROC's part, lib/svc_process.cpp); a null
// member returns SS$_BADPARAM, logged UNIMPLEMENTED.  The null/null form (the caller) is
// the runtime's own; the executive's $WAKE arriving for this process calls wake().
struct RemoteWake {
  int (*wake)(unsigned* pidadr, const void* prcnam);
  int (*schdwk)(unsigned* pidadr, const void* prcnam, const long long* daytim,
                const long long* reptim);
  int (*canwak)(unsigned* pidadr, const void* prcnam);
};
void set_remote_wake(const RemoteWake& handlers);

// [main] The TQELM quota (timer queue entries: $SETIMR and $SCHDWK), default 8.
void set_tqelm(unsigned limit);

// [any] The argv the program's main received (below 2 GiB once --wrap=main has run; null
// before); for the layout tests (spec 5).
char** main_argv();

// [any] The current time, 100-ns units since 17-Nov-1858 (spec 4.6).
long long now_vms();

}  // namespace vmssim::rt
