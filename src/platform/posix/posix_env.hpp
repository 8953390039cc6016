// The process environment the portable configuration loader needs, read from the OS.
#pragma once

#include "config/config.hpp"

namespace sup::posix {

// uid = geteuid(); home = $HOME, else the passwd entry's directory; runtime_dir =
// $XDG_RUNTIME_DIR ("" when unset); cwd = getcwd(); getenv = ::getenv, except that an
// unset USER or LOGNAME is the effective user's name (as a login sets them).
config::Environment posix_environment();

}  // namespace sup::posix
