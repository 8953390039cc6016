#include "platform/vms/vms_ast.hpp"

#include <iodef.h>

namespace sup::vms {
namespace {

AstArea g_area;

// $SETIMR's request id for wait()'s deadline, so that $CANTIM cancels only it.
constexpr unsigned long long kTimerId = 0x53555054;  // "SUPT"

// The AST routines: record, then wake the main line.  $WAKE of ourselves cannot fail in a
// way an AST could do anything about.
void termination_ast(__int64) {
  g_area.termination.done = 1;
  (void)sys$wake(nullptr, nullptr);
}

void command_ast(__int64) {
  g_area.command.done = 1;
  (void)sys$wake(nullptr, nullptr);
}

void timer_ast(__int64) {
  g_area.timer_fired = 1;
  (void)sys$wake(nullptr, nullptr);
}

void room_ast(__int64) {
  g_area.room = 1;
  (void)sys$wake(nullptr, nullptr);
}

// STARLET declares AST routines as void (*)(__unknown_params), which is `...` in C++;
// our routines take the 64-bit astprm.  The routine is called back with its real type.
using StarletAst = void (*)(__unknown_params);
StarletAst starlet_ast(void (*routine)(__int64)) {
  return reinterpret_cast<StarletAst>(reinterpret_cast<void (*)(void)>(routine));
}

template <std::size_t N>
std::uint32_t queue_read(MailboxRead<N>& r, void (*routine)(__int64)) {
  r.done = 0;
  const std::uint32_t status =
      sys$qio(kDaemonEfn, r.channel, IO$_READVBLK, &r.iosb, starlet_ast(routine), 0, r.buffer,
              static_cast<__int64>(N), 0, 0, 0, 0);
  r.pending = ok(status) ? 1 : 0;
  return status;
}

template <std::size_t N>
void cancel_read(MailboxRead<N>& r) {
  if (!r.pending) return;
  // $SYNCH wants the flag set as well as the IOSB: a read that completed earlier may have
  // had its flag cleared since (by the next $QIO or $SETIMR), so it is not waited for.
  if (r.iosb.iosb$w_status == 0 && ok(sys$cancel(r.channel))) (void)sys$synch(kDaemonEfn, &r.iosb);
  r.done = 0;
  r.pending = 0;
}

}  // namespace

void cancel_termination_read() {
  cancel_read(g_area.termination);
}

void cancel_command_read() {
  cancel_read(g_area.command);
}

AstArea& ast_area() {
  return g_area;
}

std::uint32_t queue_termination_read() {
  return queue_read(g_area.termination, termination_ast);
}

std::uint32_t queue_command_read() {
  return queue_read(g_area.command, command_ast);
}

std::uint32_t arm_timer(std::int64_t delta_100ns) {
  cancel_timer();
  g_area.timer_fired = 0;
  GENERIC_64 when;
  when.gen64$q_quadword = static_cast<std::uint64_t>(-delta_100ns);  // negative: a delta
  return sys$setimr(kDaemonEfn, &when, starlet_ast(timer_ast), kTimerId, 0);
}

void cancel_timer() {
  // SS$_NORMAL whether or not the timer was armed: nothing to check beyond the call.
  (void)sys$cantim(kTimerId, 0);
}

std::uint32_t arm_room_notify(unsigned short channel) {
  IOSB iosb{};
  std::uint32_t status =
      sys$qiow(EFN$C_ENF, channel, IO$_SETMODE | IO$M_MB_ROOM_NOTIFY, &iosb, nullptr, 0,
               reinterpret_cast<void*>(starlet_ast(room_ast)), 0, 0, 0, 0, 0);
  if (ok(status)) status = iosb.iosb$w_status;
  return status;
}

}  // namespace sup::vms
