// How VMS HELP finds keys: case-insensitive, any unique leading part, wildcards, and
// qualifiers reachable from the command they belong to.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "help/hlp_parser.hpp"

namespace sup::help {

// The names HELP offers under `parent`, in order: its subtopics, each followed by the
// qualifiers listed below it (so "START" offers "Qualifiers" and then "/WAIT"...), as
// VMS HELP lists a command's qualifiers with the command.
std::vector<const Topic*> listing_entries(const Topic& parent);

// The entries of `parent` that `token` selects.  A token with "*" (any characters) or
// "%" (one character) selects every key it matches entirely; otherwise a key equal to the
// token (ignoring case) wins, else every key the token abbreviates is selected (several
// when ambiguous).  A token without "/" also matches a qualifier's name without its "/".
std::vector<const Topic*> match_key(const Topic& parent, std::string_view token);

// Splits a HELP request line into keys: blanks separate keys, "/" starts a new key and
// stays part of it ("start/wait" -> "start", "/wait"), and a trailing "..." becomes a key
// of its own ("start..." -> "start", "...").
std::vector<std::string> split_keys(std::string_view line);

// True when `pattern` matches all of `text`, ignoring case; "*" matches any characters
// and "%" exactly one.
bool wildcard_match(std::string_view pattern, std::string_view text);

}  // namespace sup::help
