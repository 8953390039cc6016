// Whether a directory can be trusted: that nobody but root and the given accounts can
// change what is in it.  The table directory holds the socket the client sends its
// password to and the entries a daemon adopts processes from, so another user who can
// write there (or replace it, through a directory above it) could take both (as tmux
// and OpenSSH's StrictModes refuse such directories).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace sup::posix {

// The outcome of secure_directory.
struct DirCheck {
  std::string error;     // empty when the directory can be trusted
  bool missing = false;  // the directory (or one above it) does not exist (error is set)
  uid_t owner = 0;       // the owner of the directory itself, when there is no error
};

// Checks `dir` (absolute) and the way to it, following symbolic links:
// - every directory above it: owned by root or one of `trusted`, and writable by nobody
//   else unless it has the sticky bit (as /tmp has: others cannot rename what is ours);
// - every symbolic link on the way: owned by root or one of `trusted`;
// - the directory itself: owned by root or one of `trusted`, and neither group nor
//   others may write to it.
// With `create`, missing directories are created with mode 0700 on the way.  The error
// names the directory, its owner and its mode.
DirCheck secure_directory(const std::string& dir, const std::vector<uid_t>& trusted, bool create);

// "alice (uid 1000)", or "uid 1000" when the account has no name.
std::string describe_uid(uid_t uid);

}  // namespace sup::posix
