// The client's two readings of a SUPERVISOR command into the one request type
// (commands/request.hpp): the DCL syntax, parsed against SUPERVISOR.CLD, and the seed's
// supervisorctl syntax.  Which actions exist, and what names each takes, come from the
// command list (commands/command_list.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/dcl_parser.hpp"
#include "cli/parsed_command.hpp"
#include "commands/request.hpp"
#include "msg/message.hpp"

namespace sup::cli {

using commands::Request;

// Parses the seed's supervisorctl syntax: [-c FILE] [-p PWD] [-h] [ACTION [NAME...]].
// Options without an action clear `action_given`: the caller then runs the SUPERVISOR>
// prompt with those options (supervisorctl's shell).  The word ALL is kept among the
// names as "all".  Returns SUP__USAGE (text naming the argument) or SUP__IVACTION on
// error.
msg::Condition parse_ctl_args(const std::vector<std::string>& args, Request& out,
                              bool& action_given);

// Fills a request from a command parsed against SUPERVISOR.CLD (the DCL syntax): the
// action keyword, the names of PROGRAM_NAME (P2) and PROGRAM_NAME_3..PROGRAM_NAME_8
// (P3..P8) in that order, /PROGRAM, /ALL, /[NO]WAIT, /TIMEOUT, /OUTPUT, /CONFIGURATION,
// /PASSWORD; the word ALL and /ALL become the name "all".  It does not check that
// START/STOP/RESTART got names (names_missing()). Returns SUP__IVACTION or SUP__USAGE (a negative
// /TIMEOUT) on error.
msg::Condition request_from_dcl(const ParsedCommand& command, Request& out);

// True when the command list says the request's action needs names (START, STOP,
// RESTART) and it has none: no name, no /PROGRAM, no ALL or /ALL.
bool names_missing(const Request& request);

// The text DCL would prompt with for the names of the command's syntax: PROMPT= of its
// PROGRAM_NAME parameter in SUPERVISOR.CLD ("Program"), else the label; "" when the
// syntax has no such parameter.
std::string names_prompt_text(const ParsedCommand& command);

// The outcome of reading one SUPERVISOR command line (parse_dcl_request).
struct [[nodiscard]] DclRequestResult {
  Request request;                    // meaningful when ok()
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
