// How the client finds supervisord's table (SUPERVISORD_TABLE) from the configuration
// file.  The client needs one value of the file, [supervisord] table, but validates the
// whole file so that its errors are reported.  An error elsewhere (a bad [program:x]
// key) must not lock the client out of STOP or SHUTDOWN, so when the full load fails the
// table is taken from a second, minimal load (see find_table).
#pragma once

#include <string>
#include <string_view>

#include "config/config.hpp"
#include "msg/message.hpp"

namespace sup::client {

// The table directory, or the condition that says why there is none.
struct [[nodiscard]] TableLookup {
  std::string table;         // set when condition.ok()
  msg::Condition condition;  // SUP__NORMAL, SUP__NOCONFIG or SUP__CFGINVALID
};

// Loads `path` with full validation.  Valid: its table, nothing printed.  Cannot be
// read: SUP__NOCONFIG.  Invalid: every diagnostic is printed on stderr (CFGERR and
// CFGWARN lines); then, when the table can still be determined (table_only_config), a
// CFGWARN says it is used anyway and it is returned (the action's own outcome then
// decides the exit status); otherwise SUP__CFGINVALID, for the caller to report.
TableLookup find_table(const std::string& path, const config::Environment& env);

// The fallback's input: a configuration made of the `table` key (with its continuation
// lines) of the first [supervisord] section of `text`, as written, plus one placeholder
// program (the loader wants one).  Lines are classified as inih classifies them (blank,
// ";"/"#" comment, indented continuation after a key, "[" section header, key "=" or
// ":" value).  Loaded under the file's own path, %(here)s and %(ENV_X)s expand as in
// the real file; without a table key the default table applies, as it would.
std::string table_only_config(std::string_view text);

}  // namespace sup::client
