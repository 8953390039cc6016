// Configuration diagnostics in the one message vocabulary, as both programs print them:
//   %SUPERVISOR-E-CFGERR, supervisord.conf:12: [program:web] startsecs: ...
//   %SUPERVISOR-W-CFGWARN, supervisord.conf:14: warning: [program:web] nouaf: ...
#pragma once

#include <string>

#include "config/config.hpp"

namespace sup::config {

// One diagnostic, formatted as OpenVMS prints a condition.
std::string format_diagnostic(const Diagnostic& diagnostic);

}  // namespace sup::config
