// fork + exec of a prepared LaunchPlan without waiting for the child: pre-exec failures
// come back through a close-on-exec socket that the caller watches with the child's
// pidfd, so that one slow child never holds the daemon up.
#pragma once

#include <sys/types.h>

#include <string>

#include "platform/posix/posix_fd.hpp"
#include "platform/posix/posix_launch.hpp"

namespace sup::posix {

struct ChildStart {
  bool ok = false;
  pid_t pid = 0;      // when ok: the child, running towards exec (not yet reaped)
  Fd report;          // when ok: non-blocking; see read_child_report
  std::string error;  // when !ok: "cannot fork: Resource temporarily unavailable"
};

// Why fork for every program, and not vfork, clone(CLONE_VM) or posix_spawn (issue 8
// asked to use those where a program's spec allows it; no spec does, for these reasons):
// - vfork and posix_spawn (glibc: clone(CLONE_VM|CLONE_VFORK)) suspend the daemon until
//   the child execs.  The child opens the program's files before that, and an output
//   FIFO nobody reads, or a file or image on a hung mount, would then hold every other
//   program and every client (DaemonLifecycle.AHungCreationDelaysOnlyItsOwnProgram).
//   Even with only the null device to open, the exec itself reads the image.
//   posix_spawn also cannot set the rlimits, the nice value or the user in the child.
// - clone(CLONE_VM) without CLONE_VFORK does not wait, but the child then runs on the
//   daemon's memory and its thread's TLS while the daemon goes on: errno, written by any
//   failing call of the child, and glibc's internal state would change under the daemon,
//   and glibc's setuid/setgroups signal every thread of the "process".  It was measured
//   faster (3.9-4.2 ms against 7.6 ms per spawn from an 8 MB parent, under load) but is
//   only safe with a child written in raw system calls, which this is not.
// fork costs the copy of the daemon's page tables, small for a daemon of a few MB: the
// bench measured all N programs spawned within 1.17-1.19x of the posix_spawn floor
// (bench/spawn_floor posix_spawn) at N=500 and 2000, inside the 1.3x target.
//
// Forks a child that at once starts `plan` in a new session (its own process group) and
// execs it.  Until it execs, the child dies with this process (PR_SET_PDEATHSIG): a
// daemon killed meanwhile leaves no half-started process that a later daemon could not
// recognise (after exec it carries the table's mark).  Returns without waiting.
[[nodiscard]] ChildStart start_child(LaunchPlan& plan);

// What a child's report socket says.
struct ChildReport {
  enum class Kind {
    Pending,  // nothing yet
    Execd,    // end of file without a report: the child exec'd (or died before it)
    Failed,   // a step failed: `error` names it and the errno
  };
  Kind kind = Kind::Pending;
  std::string error;
};

// Reads the report without blocking.
[[nodiscard]] ChildReport read_child_report(int report_fd, const LaunchPlan& plan);

}  // namespace sup::posix
