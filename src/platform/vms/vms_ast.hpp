// What the ASTs share with the main line: one static area of preallocated storage.
//
// The daemon's rule (doc/architecture.md section 3): ASTs only record and wake.  Each AST
// routine here sets one flag in this area and calls $WAKE; the main line, in wait(),
// sees the flag, clears it and does the work (reads the message the completed $QIO left
// in the area's buffer, drains the mailbox, queues the next read).  Nothing at AST level
// allocates, logs or takes a lock.  No race is possible on a flag: each is set by the
// AST of one outstanding request, and that request is queued again only by the main
// line after it has cleared the flag; a $WAKE that comes before the $HIBER is
// remembered (the wake-pending bit), so no event is lost between the check and the
// $HIBER.
//
// The area is static rather than a member of the (heap-allocated) platform object: the
// I/O status blocks and buffers given to an asynchronous $QIO must stay valid until it
// completes, and static storage is 32-bit addressable (P0) as some services require.
// There is one area per process, so one platform per process (the daemon's).
#pragma once

#include <cstdint>

#include "platform/vms/vms_sys.hpp"

namespace sup::vms {

// The largest message on the command mailbox: a protocol record (kMaxRecord, 8 KiB, with
// one byte more so that an oversized one is seen as such) and the framing that names the
// client's reply mailbox (vms_command.hpp).
inline constexpr std::size_t kCommandMessageMax = 8192 + 1 + 2 + 64;
// The termination message is 84 bytes (ACC$K_TERMLEN); the buffer is larger so that a
// longer message written by a child into the mailbox shows its real length and is
// refused, rather than being cut to 84 bytes and believed.
inline constexpr std::size_t kTerminationLength = 84;
inline constexpr std::size_t kTerminationBuffer = 256;

// One asynchronous mailbox read: its IOSB, its buffer and the AST's flag.
template <std::size_t N>
struct MailboxRead {
  IOSB iosb;
  volatile int done;     // set by the AST when the read completed
  volatile int pending;  // set by the main line when it queued the read
  unsigned short channel;
  char buffer[N];
};

struct AstArea {
  MailboxRead<kTerminationBuffer> termination;
  MailboxRead<kCommandMessageMax> command;
  volatile int timer_fired;  // the $SETIMR of wait()'s deadline expired
  volatile int room;         // a client's reply mailbox has room again
  // Set by the exit handler of a forced exit (vms_platform.hpp, ForcedExit): 1 until
  // wait() has returned its Shutdown event, then 2.  Non-zero: the loop runs at AST level.
  volatile int forced_exit;
  // The ForcedExit handler is declared and may act: cleared by an exit the daemon decides
  // on itself, which must not turn into an orderly stop.
  volatile int exit_armed;
};

// The local event flag every asynchronous request of the daemon sets when it completes
// (the mailbox reads, the deadline timer), besides queueing its AST: at AST level, where
// the ASTs are not delivered, wait() waits on it ($WAITFR) instead.  Flags 1-23 are the
// image's own when it allocates none with LIB$GET_EF, and none of ours does
// (doc/vms_facts.md section 13) [unchecked].
inline constexpr unsigned kDaemonEfn = 23;

// The one area of this process.
AstArea& ast_area();

// Queues the asynchronous read of `read` (IO$_READVBLK with kDaemonEfn and an AST that
// records and wakes).  Returns the service's status.  The read has completed once its
// IOSB status is non-zero (the $QIO zeroes it), whether or not its AST has run.
std::uint32_t queue_termination_read();
std::uint32_t queue_command_read();

// Cancels the outstanding read of `which` ($CANCEL of its channel) and waits ($SYNCH on
// its IOSB, which needs no AST: this also works with ASTs disabled or at AST level) until
// it has completed, so that it cannot complete into a later read's state.
void cancel_termination_read();
void cancel_command_read();

// Arms the deadline timer to expire after `delta_100ns` (positive), cancelling one armed
// before; it sets kDaemonEfn and queues its AST.  Returns $SETIMR's status.
std::uint32_t arm_timer(std::int64_t delta_100ns);
// Cancels the deadline timer (no-op when none is armed).
void cancel_timer();

// Arms a one-shot room notification (IO$_SETMODE|IO$M_MB_ROOM_NOTIFY) on a client's
// reply mailbox: its AST sets `room` and wakes.  Returns the status.
std::uint32_t arm_room_notify(unsigned short channel);

}  // namespace sup::vms
