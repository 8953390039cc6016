// The platform part of what the client reads and shows, beside its transport
// (client_transport.hpp): how the image got its command, HELP, and how a condition is
// shown (client::report, declared in client_exec.hpp).  One implementation per platform:
// client_output_posix.cpp (argv, the embedded help library, messages formatted here) and
// client_output_vms.cpp with client_verb_vms.cpp (CLI$PRESENT / CLI$GET_VALUE,
// LBR$OUTPUT_HELP, $PUTMSG).  Everything else of the client is shared.
#pragma once

#include <cstdint>
#include <optional>

#include "commands/request.hpp"
#include "msg/message.hpp"

namespace sup::client {

// The command a CLI parsed for the verb, read into the one request type.
struct VerbCommand {
  commands::Request request;           // meaningful when status is a success
  std::uint32_t status = SUP__NORMAL;  // else the failure, already shown (kMessageShown set)
};

// On OpenVMS, when the image runs as the verb SUPERVISOR: the command DCL parsed against
// cld/SUPERVISOR.CLD, read with CLI$PRESENT / CLI$GET_VALUE into the same request the
// portable parser fills (cli::request_from_dcl).  nullopt when there is no such parse
// (POSIX always; on OpenVMS a foreign command or a program started by other means): the
// caller then reads its argv.
std::optional<VerbCommand> read_verb_command();

// HELP: the topics under SUPERVISOR (request.help_topics) from the help library.
// `interactive`: stdin and stdout are terminals, so HELP prompts "Topic?".  Returns the
// condition (kMessageShown set when a failure was already shown).
[[nodiscard]] std::uint32_t show_help(const commands::Request& request, bool interactive);

}  // namespace sup::client
