// Value grammars (Boost.Spirit X3, case-insensitive): each parser takes the whole,
// already expanded value and returns either the typed value or what was expected.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace sup::config::detail {

// A parsed value, or the text of the problem ("expected ...").
template <class T>
struct [[nodiscard]] Parsed {
  std::optional<T> value;
  std::string error;

  static Parsed ok(T v) { return Parsed{std::move(v), {}}; }
  static Parsed fail(std::string e) { return Parsed{std::nullopt, std::move(e)}; }
};

// true/false, yes/no, on/off, 1/0.
Parsed<bool> parse_bool(std::string_view text);

// A decimal integer from `min` to `max`.
Parsed<int> parse_int(std::string_view text, int min, int max);

// A decimal integer from `min` to `max` that may be negative (priority).
Parsed<int> parse_signed_int(std::string_view text, int min, int max);

// false, unexpected or true.
Parsed<Autorestart> parse_autorestart(std::string_view text);

// A comma-separated list of exit codes: decimal 0-255 on POSIX; on VMS condition values,
// decimal or %X followed by hexadecimal digits (32 bits).
Parsed<std::vector<std::uint32_t>> parse_exitcodes(std::string_view text, Flavor flavor);

// A PQL list "ASTLM=600, BYTLM=131072", optionally in parentheses; names may carry the
// PQL$_ prefix. Unknown names and names given twice are errors.
Parsed<std::vector<Quota>> parse_quotas(std::string_view text);

// A privilege list "TMPMBX, NETMBX", optionally in parentheses, with its PRV$ mask.
// Synonyms are stored under their canonical name; a privilege given twice is an error.
struct Privileges {
  std::vector<std::string> names;
  std::uint64_t mask = 0;
};
Parsed<Privileges> parse_privileges(std::string_view text);

// Splits a command line as a POSIX shell does, without any expansion: words separated
// by blanks, '...' taken literally, "..." with \\ \" \$ \` escapes, \x outside quotes.
Parsed<std::vector<std::string>> split_arguments(std::string_view text);

}  // namespace sup::config::detail
