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
