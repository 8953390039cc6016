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
};

// Replaces %(program_name)s, %(here)s, %(ENV_X)s and %% in `value`. Any other % is kept
// as written, so that VMS values such as %X10000001 need no doubling. An unknown name,
// an undefined variable, a missing ")s" or another format than s is an error.
Parsed<std::string> expand(std::string_view value, const ExpandContext& context);

}  // namespace sup::config::detail
