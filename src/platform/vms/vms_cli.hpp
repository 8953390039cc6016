// CLI$PRESENT and CLI$GET_VALUE over the command DCL parsed for the verb (the image of
// SUPERVISOR.EXE reads its command line this way, tests/vmssim/SPEC.md section 4.10).
// Only the calls: which entities to ask for comes from the caller (the command table's
// own .CLD, src/supervisor/client_verb_vms.cpp), so nothing here knows the verb.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace sup::vms {

// CLI$PRESENT's answers (the condition values compared by name: CLI$_PRESENT ...).
enum class CliPresence {
  Present,       // given
  Negated,       // /NOxxx
  LocalPresent,  // given after the parameter value last fetched (PLACEMENT=LOCAL)
  LocalNegated,
  Defaulted,  // not given, DEFAULT in the .CLD
  Absent
};

// CLI$PRESENT of `entity` (a parameter's label, a qualifier, a keyword path such as
// "ACTION.START").  nullopt when the call did not answer; `status` then says why:
// no_cli(status) when the image was not run by a CLI's parse of a verb (a foreign
// command, a program started by other means), anything else an entity the command table
// does not define (a table older than the image) or a service failure.
std::optional<CliPresence> cli_present(const std::string& entity, std::uint32_t& status);

// How a value CLI$GET_VALUE returned relates to the next.
enum class CliMore {
  Last,    // SS$_NORMAL: the last (or only) value
  Comma,   // CLI$_COMMA: more follow, comma-separated
  Concat,  // CLI$_CONCAT: more follow, "+"-separated
  Absent   // CLI$_ABSENT: none (left)
};

// CLI$GET_VALUE of `entity`: the next value into `value`.  Returns the status: success
// (with `more` set; Absent included) or the failure (a value longer than the buffer of
// 4096 bytes is SS$_IVBUFLEN).
std::uint32_t cli_get_value(const std::string& entity, std::string& value, CliMore& more);

// True for CLI$_INVREQTYP: no CLI parse to read (compared by name: its number is not
// published, tests/vmssim/include/climsgdef.h).
bool no_cli(std::uint32_t status);

// CLI$_INSFPRM, "missing command parameters": what DCL says for a missing REQUIRED
// parameter, and the image for a command that names no program where one is needed.
std::uint32_t missing_parameters_status();

}  // namespace sup::vms
