// The help library source (.HLP) as a topic tree, and its parser.
//
// Format (the OpenVMS Librarian's, doc/vms_facts.md section 12): a key line has a
// level digit 1-9 in column 1, one or more blanks, and the key: the rest of the line,
// its own blanks kept ("2 See Also"), at most 31 characters.  A digit not followed by a
// blank is text.  A line with "/NAME..." in column 1 is a key one level below the last
// numbered key (a qualifier), also the whole line ("/COMMENT (-z)").  A "!" in column 1
// starts a comment anywhere; every other line is text of the key above it.  Keys may
// repeat under one parent: HELP shows every match.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sup::help {

// One key of the library with its text and its subtopics, in source order.
struct Topic {
  std::string key;                // as written, e.g. "START" or "/WAIT"; empty for the root
  int level = 0;                  // 1-9; 0 for the root
  std::size_t line = 0;           // line number of the key line (1-based); 0 for the root
  std::vector<std::string> text;  // verbatim lines, leading/trailing blank lines removed
  std::vector<Topic> subtopics;

  // True for a "/NAME" key.
  bool is_qualifier() const { return !key.empty() && key.front() == '/'; }
};

// A parsed library: the root's subtopics are the level-1 keys.
struct Library {
  Topic root;
};

// Why a source was rejected, and where.
struct HlpError {
  std::size_t line = 0;  // 1-based line number
  std::string message;

  // "line N: message".
  std::string to_string() const;
};

// The outcome of parse_hlp: a library, or the first error found.
struct [[nodiscard]] HlpParseResult {
  Library library;  // meaningful only when ok()
  std::optional<HlpError> error;

  bool ok() const { return !error.has_value(); }
};

// The longest key the Librarian accepts.
constexpr std::size_t kMaxHlpKeyLength = 31;

// Parses a .HLP source.  Never throws on bad input: the result names the first bad line
// (level rising by more than one, a key line without a key, text before the first key,
// a key too long or with a control character in it, a NUL byte: a binary record file).
HlpParseResult parse_hlp(std::string_view source);

}  // namespace sup::help
