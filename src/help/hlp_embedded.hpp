// The SUPERVISOR help library, parsed from the copy of help/SUPERVISOR.HLP that the
// build embeds (sup::embedded::hlp_source).
#pragma once

#include "help/hlp_parser.hpp"

namespace sup::help {

// The parsed library, built on first use (thread-safe) and kept for the process.  If the
// embedded source does not parse (a build that skipped its check), the library holds a
// single topic SUPERVISOR whose text names the bad line, so HELP still answers.
const Library& supervisor_help();

}  // namespace sup::help
