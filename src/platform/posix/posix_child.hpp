// fork + exec of a prepared LaunchPlan, with pre-exec failures reported through a
// close-on-exec socket pair so that spawn() can say exactly what went wrong.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>

#include "platform/posix/posix_launch.hpp"

namespace sup::posix {

struct [[nodiscard]] ChildLaunch {
  bool ok = false;
  pid_t pid = 0;      // when ok: a running child that has exec'd (not yet reaped)
  std::string error;  // when !ok: "cannot execute /x: No such file or directory"
};

// Starts `plan` in a new session (its own process group).  `created` (may be empty) is
// called with the pid while the child waits, before it does anything: the child goes on
// once it returns, and ends without exec if this process dies first.  On a pre-exec
// failure the child has been reaped and the text names the step and the errno.
ChildLaunch launch_child(LaunchPlan& plan, const std::function<void(pid_t)>& created = {});

}  // namespace sup::posix
