// THE request: what one SUPERVISOR command asks for, whichever syntax it was typed in
// (DCL or supervisorctl).  The client fills it, the protocol carries its wire part, and
// the daemon's handlers read it: one type from the command line to the handler.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "commands/command_list.hpp"

namespace sup::commands {

struct Request {
  // --- Sent to supervisord (protocol.hpp encodes exactly these).
  Action action = Action::Help;
  std::vector<std::string> names;  // program names as typed (matched without case);
                                   // "all" (any case) stands for every program
  bool wait = true;                // /NOWAIT, or supervisorctl without a wait, clears it
  std::uint32_t timeout = 0;       // /TIMEOUT=n seconds to wait for an outcome; 0 = none
  std::string password;            // -p, /PASSWORD or $SUPERVISOR_PASSWORD; "" = none

  // --- The client's own: never sent.
  std::vector<std::string> help_topics;  // HELP's topic words
  std::string output_file;               // STATUS /OUTPUT=file; "" = standard output
  std::string config_file;               // -c, /CONFIGURATION
  bool config_given = false;             // config_file was given
  bool password_given = false;           // password was given (else the environment's)
};

}  // namespace sup::commands
