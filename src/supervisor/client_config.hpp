// How the client finds supervisord's table (SUPERVISORD_TABLE) from the configuration
// file.  The client reads only what it needs, [supervisord] table and user, with the
// daemon's own reader and rules (config::load_client_file); the rest of the file is not
// checked here, so that a bad edit elsewhere never locks the client out of STOP or
// SHUTDOWN.  `supervisord --check` validates the whole file.
#pragma once

#include <string>

#include "config/config.hpp"
#include "msg/message.hpp"

namespace sup::client {

// Where the daemon is, or the condition that says why that is not known.
struct [[nodiscard]] TableLookup {
  std::string table;         // set when condition.ok()
  std::string user;          // [supervisord] user ("" when not given), when condition.ok()
  msg::Condition condition;  // SUP__NORMAL, SUP__NOCONFIG or SUP__CFGINVALID
};

// Reads the table and user of `path` with `flavor`'s rules.  Cannot be read:
// SUP__NOCONFIG.  Errors in those keys (or syntax errors in [supervisord]): each is
// printed on stderr as a CFGERR line, and SUP__CFGINVALID is returned for the caller to
// report.  Warnings are printed too.
TableLookup find_table(const std::string& path, const config::Environment& env,
                       config::Flavor flavor = config::Flavor::Posix);

}  // namespace sup::client
