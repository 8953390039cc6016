// The client's commands as data: one entry per action of the SUPERVISOR verb, used by
// both syntaxes (DCL and supervisorctl), by the client's dispatch (HELP is answered
// locally, the rest by supervisord) and by the consistency test that ties the CLD, this
// table, the help library and the message file together.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/dcl_parser.hpp"
#include "cli/parsed_command.hpp"
#include "msg/message.hpp"

namespace sup::cli {

// What one command asks for, whichever syntax it was typed in.
struct ClientRequest {
  std::string action;              // lower case: "start", "status", ...; "" = none given
  std::vector<std::string> names;  // program names as typed (matched without case)
  bool all = false;                // ALL, /ALL (or no names for status)
  bool wait = true;                // /NOWAIT clears it
  unsigned timeout = 0;            // /TIMEOUT=n seconds, 0 = none
  std::string output_file;         // STATUS /OUTPUT=file
  std::string config_file;         // -c, /CONFIGURATION
  std::string password;            // -p, /PASSWORD
  bool config_given = false, password_given = false;
  std::vector<std::string> help_topics;  // HELP topic words
};

// One action.
struct CommandEntry {
  std::string_view verb;        // the CLD keyword: "START"
  std::string_view syntax;      // its DEFINE SYNTAX: "SUP_START"
  std::string_view help_topic;  // level-2 key in SUPERVISOR.HLP
  bool needs_daemon;            // false for HELP (answered by the client itself)
  bool takes_names;             // names / /PROGRAM / /ALL
  bool names_required;          // START/STOP/RESTART need names or ALL
};

// The table, in the order of the CLD's SUP_ACTIONS.
const std::vector<CommandEntry>& command_table();

// The entry for an action (case-insensitive, exact), or nullptr.
const CommandEntry* find_command(std::string_view action);

// Parses the seed's supervisorctl syntax: [-c FILE] [-p PWD] [-h] [ACTION [NAME...]].
// Options without an action leave `out.action` empty: the caller then runs the
// SUPERVISOR> prompt with those options (supervisorctl's shell).  Returns SUP__USAGE
// (text naming the argument) or SUP__IVACTION on error.
msg::Condition parse_ctl_args(const std::vector<std::string>& args, ClientRequest& out);

// Fills a request from a command parsed against SUPERVISOR.CLD (the DCL syntax): the
// action keyword, the names of PROGRAM_NAME (P2) and PROGRAM_NAME_3..PROGRAM_NAME_8
// (P3..P8) in that order, /PROGRAM, /ALL, /[NO]WAIT, /TIMEOUT, /OUTPUT, /CONFIGURATION,
// /PASSWORD.  It does not check that START/STOP/RESTART got names (names_missing()).
// Returns SUP__IVACTION or SUP__USAGE (a negative /TIMEOUT) on error.
msg::Condition request_from_dcl(const ParsedCommand& command, ClientRequest& out);

// True when the request's action needs names (START, STOP, RESTART) and it has none:
// no name, no /PROGRAM, no ALL or /ALL.
bool names_missing(const ClientRequest& request);

// The text DCL would prompt with for the names of the command's syntax: PROMPT= of its
// PROGRAM_NAME parameter in SUPERVISOR.CLD ("Program"), else the label; "" when the
// syntax has no such parameter.
std::string names_prompt_text(const ParsedCommand& command);

// The outcome of reading one SUPERVISOR command line (parse_dcl_request).
struct [[nodiscard]] DclRequestResult {
  ClientRequest request;              // meaningful when ok()
  std::optional<CliError> cli_error;  // a DCL error: print message() as DCL prints it
  msg::Condition condition;           // SUP__NORMAL; SUP__USAGE with cli_error; or another
  bool ok() const { return !cli_error && condition.ok(); }
};

// Parses what follows the verb SUPERVISOR (a line typed at the SUPERVISOR> prompt, or
// join_argv() of the shell's words) against SUPERVISOR.CLD and fills the request.
// START, STOP and RESTART need names, which the CLD cannot mark REQUIRED (a name, /PROGRAM
// or /ALL may give them), so the client treats them as DCL treats a missing REQUIRED
// parameter: `options.prompt` is asked with names_prompt_text() (an empty answer asks
// again, nullopt gives up), the answer is added to the line (before any "!" comment) and
// the line is parsed again; without a prompt, or on giving up, the result is DCL's
// %CLI-W-INSFPRM.  The same `options.prompt` answers a missing action ("Action").
DclRequestResult parse_dcl_request(std::string_view line, const DclOptions& options = {});

// `line` up to its DCL comment: the first "!" outside a quoted string.
std::string_view without_dcl_comment(std::string_view line);

}  // namespace sup::cli
