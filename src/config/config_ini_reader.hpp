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
  std::vector<int> broken_headers;  // lines of headers without ']': they end a section too
};

// Which sections a reader keeps: called with each section's name (the text between the
// brackets, trimmed; "" for keys written before any header).
using SectionFilter = bool (*)(std::string_view name);

// Splits `text` (named `file` in diagnostics) into sections and keys, using inih's
// ini_parse_stream. Lines longer than inih's limit, lines that are neither a comment, a
// section header nor a key, and unclosed headers are reported with their line number.
// With `keep`, only the sections it accepts are kept; the lines of the others are
// classified the same way (so the kept ones are read exactly as without a filter) but
// neither stored, nor given to inih, nor checked for errors (only unclosed headers are
// reported, since they end a section).  Every header is still listed in `sections`.
// With `first_only` as well, reading stops at the header that ends the first kept section
// (that header is the last section listed).
RawFile read_ini(std::string_view text, const std::string& file, SectionFilter keep = nullptr,
                 bool first_only = false);

}  // namespace sup::config::detail
