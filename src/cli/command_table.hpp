// The client's commands as data: one entry per action of the SUPERVISOR verb, used by
// both syntaxes (DCL and supervisorctl), by `help` and by the consistency test that ties
// the CLD, this table, the help library and the message file together.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cli/dcl_parser.hpp"
#include "cli/parsed_command.hpp"
#include "msg/message.hpp"

namespace sup::cli {

// What one command asks for, whichever syntax it was typed in.
struct ClientRequest {
  std::string action;              // lower case: "start", "status", ...
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
  std::string_view summary;     // one line, for the supervisorctl-style `help`
};

// The table, in the order `help` lists it.
const std::vector<CommandEntry>& command_table();

// The entry for an action (case-insensitive, exact), or nullptr.
const CommandEntry* find_command(std::string_view action);

// Parses the seed's supervisorctl syntax: [-c FILE] [-p PWD] [-h] ACTION [NAME...].
// Returns SUP__USAGE (text naming the argument) or SUP__IVACTION on error.
msg::Condition parse_ctl_args(const std::vector<std::string>& args, ClientRequest& out);

// Fills a request from a command parsed against SUPERVISOR.CLD (the DCL syntax): the
// action keyword, PROGRAM_NAME values and /PROGRAM, /ALL, /[NO]WAIT, /TIMEOUT, /OUTPUT,
// /CONFIGURATION, /PASSWORD.  A missing name for START/STOP/RESTART is SUP__USAGE
// unless `ask` supplies one (the terminal's "_Program: " prompt).
msg::Condition request_from_dcl(const ParsedCommand& command, ClientRequest& out,
                                const PromptFn& ask = {});

// The supervisorctl-style `help` text: the actions and their summaries.
std::string ctl_help_text();

}  // namespace sup::cli
