// supervisor's %(name)s expansions in configuration values.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "config/config_values.hpp"

namespace sup::config::detail {

// What the expansions can refer to.
struct ExpandContext {
  const std::string* program_name = nullptr;  // nullptr outside a [program:x] section
  std::string_view here;                      // the configuration file's directory
  std::function<std::optional<std::string>(const std::string&)> getenv;  // may be empty
  // Groups and instances: the group of the [program:x] being read (nullptr outside one),
  // the instance's number and the section's numprocs (unset outside one, and while
  // numprocs itself is read), and the host's name (empty: unknown to this program).
  const std::string* group_name = nullptr;
  std::optional<int> process_num, numprocs;
  std::string_view host_node_name;
};

// Replaces %(program_name)s, %(group_name)s, %(process_num)d, %(numprocs)d,
// %(host_node_name)s, %(here)s, %(ENV_X)s and %% in `value`. As in supervisor (Python's
// % operator) a conversion s, d or i may carry printf flags and a width:
// %(process_num)02d.  A number may be shown with s; a text only with s.  Any other % is
// kept as written, so that VMS values such as %X10000001 need no doubling. An unknown
// name, an undefined variable, a missing ")" or another conversion is an error.
Parsed<std::string> expand(std::string_view value, const ExpandContext& context);

}  // namespace sup::config::detail
