// Small string helpers for the configuration module.
#pragma once

#include <string>
#include <string_view>

namespace sup::config::detail {

// ASCII case conversions (configuration names are ASCII).
std::string to_upper(std::string_view s);
std::string to_lower(std::string_view s);

// True when `a` and `b` are equal without regard to ASCII case.
bool iequals(std::string_view a, std::string_view b);

// `s` without leading and trailing blanks (space, tab, CR, LF, VT, FF).
std::string_view trim(std::string_view s);

// `text` in double quotes for error messages, shortened with "..." past 40 characters.
std::string quoted(std::string_view text);

// For error messages: `near "rest"` with the text from `stop` on, or "at the end".
std::string near(std::string_view text, std::size_t stop);

// The Levenshtein distance between `a` and `b` (for "did you mean" hints).
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace sup::config::detail
