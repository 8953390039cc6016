// What supervisord does to itself on POSIX: detach, change account, read its password.
#pragma once

#include <string>

namespace sup::posix {

// Detaches from the terminal: opens `stdout_file` for appending first (so that an error
// still reaches the caller: the text is returned and nothing else happens), then double
// fork + setsid, chdir("/"), stdin = /dev/null, stdout and stderr appended to the file
// ("" or NLA0: = /dev/null).  Returns "" in the grandchild; the two parents _exit(0).
std::string daemonize(const std::string& stdout_file);

// Becomes `user` ("" = stay) with initgroups/setgid/setuid, and sets USER, LOGNAME and
// HOME.  Not running as root, only the current account is accepted.  False with e.g.
// "cannot switch to user bob: supervisord is not running as root".
bool switch_user(const std::string& user, std::string& error);

// Reads the password from the first line of `path` (line end removed).  Refuses a file
// that is not a regular file, is empty, or that its group or others may access.
bool read_password_file(const std::string& path, std::string& out, std::string& error);

}  // namespace sup::posix
