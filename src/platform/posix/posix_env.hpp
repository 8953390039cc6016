// The process environment the portable configuration loader needs, read from the OS.
#pragma once

#include "config/config.hpp"

namespace sup::posix {

// uid = geteuid(); home = $HOME, else the passwd entry's directory; runtime_dir =
// $XDG_RUNTIME_DIR ("" when unset); cwd = getcwd(); getenv = ::getenv.
config::Environment posix_environment();

}  // namespace sup::posix
