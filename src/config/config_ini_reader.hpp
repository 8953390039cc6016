// The inih adapter: turns the text of an INI file into sections and keys with their
// line numbers, and reports every syntax error (not only the first, as inih does).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace sup::config::detail {

// One key as written; continuation lines are joined with '\n' as ConfigParser does.
struct RawKey {
  std::string name;  // lower case (ConfigParser's optionxform)
  std::string value;
  int line = 0;         // the line of the key itself
  bool broken = false;  // a syntax error was already reported for it: do not check it
};

// One section header and the keys below it. `name` is the text between the brackets,
// trimmed. Keys written before any header land in a section with an empty name.
struct RawSection {
  std::string name;
  int line = 0;
  std::vector<RawKey> keys;
};

// The whole file, and the syntax errors found in it.
struct [[nodiscard]] RawFile {
  std::vector<RawSection> sections;
  std::vector<Diagnostic> diagnostics;
};

// Splits `text` (named `file` in diagnostics) into sections and keys, using inih's
// ini_parse_stream. Lines longer than inih's limit, lines that are neither a comment, a
// section header nor a key, and unclosed headers are reported with their line number.
RawFile read_ini(std::string_view text, const std::string& file);

}  // namespace sup::config::detail
