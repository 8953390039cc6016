// The Linux backend of the platform seam: how supervisord and the client get one.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "platform/platform.hpp"

namespace sup::posix {

// Each creation in flight holds two descriptors (the pidfd and the report socket) and a
// child between fork and exec; 10,000 programs launched at once would hold 20,000 and
// run into the descriptor limit, so creations are started at most this many at a time.
// It is large enough that a creation waiting for its turn costs nothing measurable.
inline constexpr std::size_t kMaxLaunching = 256;

struct PosixOptions {
  std::string table_dir;    // the SUPERVISORD_TABLE directory (created 0700 with its parents)
  std::string socket_path;  // "" = <table_dir>/supervisord.sock
  // Creations in flight (forked, not yet exec'd) at most; further spawns wait their turn
  // (see ProcessSet).  Tests lower it to see the queue.
  std::size_t max_launching = kMaxLaunching;
};

// Creates the daemon's backend.  Takes the exclusive lock <table_dir>/.lock for the
// process lifetime (nullptr and "another supervisord (pid N) already uses table DIR"
// when another daemon holds it), replaces a stale socket file, listens on a
// SOCK_SEQPACKET socket with mode 0600, and blocks SIGTERM, SIGINT, SIGQUIT, SIGHUP and
// SIGUSR2, which wait() then reports as events (signalfd).  When orphans come to this
// process (orphans_come_to_us: a container's first process), SIGCHLD too: wait() then
// reaps every orphan, reporting only the exits of its own programs.  Relative paths are
// made absolute against the current directory.  Call after daemonizing (the lock records
// the pid).  Signals are unblocked again when the backend is destroyed.
[[nodiscard]] std::unique_ptr<platform::Platform> make_platform(const PosixOptions& options,
                                                                std::string& error);

// Blocks now the signals that make_platform() will read, so that one arriving during
// start-up (while the configuration is read) waits for the signalfd.  For process 1 of
// a PID namespace (a container's first process), where a signal left at its default
// disposition is dropped by the kernel, and `docker stop` would then wait for its
// timeout: doc/container.md section 2.  Elsewhere a signal at start-up keeps its
// default action (SIGTERM ends a daemon that has not started anything yet).
void hold_daemon_signals();

// The client's side: connects to the daemon's socket, then checks who listens on it
// (SO_PEERCRED) before anything is sent: it must run as root or as `owner` (the owner of
// the table the socket was found in), else whoever took the socket's place would get
// the request and its password.  nullptr and e.g. "connect /x: No such file or
// directory", or "... runs as nobody (uid 65534), not as root or alice (uid 1000) ...".
[[nodiscard]] std::unique_ptr<platform::ClientChannel> connect_channel(
    const std::string& socket_path, unsigned owner, std::string& error);

// The same, with `owner` our own effective uid (a socket given without a table).
[[nodiscard]] std::unique_ptr<platform::ClientChannel> connect_channel(
    const std::string& socket_path, std::string& error);

// The table directory alone, without the lock and without any check (for tests).  The
// directory is not created.
[[nodiscard]] std::unique_ptr<platform::LogicalTable> open_table(const std::string& dir);

// The client's table: `dir` checked as the daemon checks it (secure_directory: nobody
// but root, our effective uid and `daemon_uid` may change it or replace it), never
// created.
struct TrustedTable {
  std::unique_ptr<platform::LogicalTable> table;  // nullptr on error
  unsigned owner = 0;                             // the uid owning the directory
  bool missing = false;  // the directory does not exist (no daemon made it)
  std::string error;     // why there is no table: names the directory, owner and mode
};
[[nodiscard]] TrustedTable open_trusted_table(const std::string& dir,
                                              std::optional<unsigned> daemon_uid);

}  // namespace sup::posix
