// The Linux backend of the platform seam: how supervisord and the client get one.
#pragma once

#include <memory>
#include <string>

#include "platform/platform.hpp"

namespace sup::posix {

struct PosixOptions {
  std::string table_dir;    // the SUPERVISORD_TABLE directory (created 0700 with its parents)
  std::string socket_path;  // "" = <table_dir>/supervisord.sock
};

// Creates the daemon's backend.  Takes the exclusive lock <table_dir>/.lock for the
// process lifetime (nullptr and "another supervisord (pid N) already uses table DIR"
// when another daemon holds it), replaces a stale socket file, listens on a
// SOCK_SEQPACKET socket with mode 0600, and blocks SIGTERM, SIGINT, SIGQUIT, SIGHUP and
// SIGUSR2, which wait() then reports as events (signalfd).  Relative paths are made
// absolute against the current directory.  Call after daemonizing (the lock records
// the pid).  Signals are unblocked again when the backend is destroyed.
[[nodiscard]] std::unique_ptr<platform::Platform> make_platform(const PosixOptions& options,
                                                                std::string& error);

// The client's side: connects to the daemon's socket.  nullptr and e.g.
// "connect /x: No such file or directory" on failure.
[[nodiscard]] std::unique_ptr<platform::ClientChannel> connect_channel(
    const std::string& socket_path, std::string& error);

// The table directory alone, without the lock (for the client to read SUPERVISORD_CMD,
// and for tests).  The directory is not created.
[[nodiscard]] std::unique_ptr<platform::LogicalTable> open_table(const std::string& dir);

}  // namespace sup::posix
