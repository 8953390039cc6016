// dropkeys: the [supervisord] keys that act on the daemon's own process: umask, minfds,
// minprocs, directory, pidfile (doc/supervisor_keys.md section 3).
#pragma once

#include <string>

namespace sup::posix {

// Raises the soft RLIMIT_NOFILE to `minfds` and RLIMIT_NPROC to `minprocs` when they
// are lower (an unlimited limit stays), raising the hard limit too when it is lower,
// which only root may: supervisor's set_rlimits_or_exit.  Returns an error text naming
// the key, the limit wanted and the one allowed, or "" when both are met.
[[nodiscard]] std::string raise_limits(int minfds, int minprocs);

// Sets the daemon's umask (inherited by the programs that have no umask of their own).
void set_daemon_umask(int umask);

// chdir to `directory` ([supervisord] directory, once detached).  An error text naming
// the key, or "".
[[nodiscard]] std::string change_directory(const std::string& directory);

// Writes `pid` and a newline to `path` (through a temporary file and a rename, so that
// a reader never sees half of it).  An error text naming the key, or "".
[[nodiscard]] std::string write_pidfile(const std::string& path, long pid);

// Removes `path` when it still holds `pid`: a file another daemon wrote since stays.
void remove_pidfile(const std::string& path, long pid);

}  // namespace sup::posix
