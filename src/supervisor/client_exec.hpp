// Carrying out one client request: HELP from the embedded help library, every other
// action by one request to supervisord and its streamed reply.
#pragma once

#include <cstdint>

#include "cli/request_parse.hpp"

namespace sup::client {

// STS$M_INHIB_MSG: the condition's message was already printed (DCL does not print it
// again on OpenVMS; on POSIX only the exit code is derived from the condition).
constexpr std::uint32_t kMessageShown = 0x10000000u;

// Carries out `request`, printing what it shows (stdout; non-success conditions as
// OpenVMS prints them, on stderr).  Returns the outcome's condition value.
// `interactive`: stdin and stdout are terminals (HELP then prompts "Topic?").
[[nodiscard]] std::uint32_t execute(const commands::Request& request, bool interactive);

// Prints a condition: success/informational text on stdout, others formatted
// ("%SUPERVISOR-E-IDENT, text") on stderr; on OpenVMS through $PUTMSG
// (client_output_posix.cpp, client_output_vms.cpp).
void report(std::uint32_t condition, const std::string& text);

}  // namespace sup::client
