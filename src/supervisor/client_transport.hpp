// The platform part of the client: how it reaches supervisord, and whether it talks to a
// terminal.  One implementation per platform, and each build compiles one of them:
// client_transport_posix.cpp (the socket named by SUPERVISORD_CMD) and
// client_transport_vms.cpp (the mailbox named by SUPERVISORD_CMD in the logical name
// table).  Everything else of the client is shared.
#pragma once

#include <memory>
#include <string>

#include "cli/request_parse.hpp"
#include "msg/message.hpp"
#include "platform/platform.hpp"

namespace sup::client {

// A channel to the daemon, checked as the platform checks it before anything is sent.
struct Connection {
  std::unique_ptr<platform::ClientChannel> channel;
  std::string address;  // the socket path or mailbox, for messages
};

// Finds the daemon of the configuration `request` names and connects to it.  On failure
// the condition (SUP__NODAEMON, SUP__TABLEERR, SUP__NOCONFIG ...) says why; `out.address`
// is then what could be found of the address (for the message), maybe empty.
[[nodiscard]] msg::Condition connect_daemon(const commands::Request& request, Connection& out);

// True when stdin and stdout are terminals (HELP and DCL then prompt).
bool terminal();

// The image's exit status for the outcome `condition`: the supervisorctl 4.x exit code on
// POSIX (msg::posix_exit_code), the condition value itself on OpenVMS ($STATUS).
int exit_status(std::uint32_t condition);

}  // namespace sup::client
