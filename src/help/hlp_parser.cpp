// Hand-written line parser: the .HLP format is one decision per line (column 1 says
// what the line is), so a loop over lines gives the clearest per-line errors.
#include "help/hlp_parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace sup::help {
namespace {

bool is_blank_char(char c) {
  return c == ' ' || c == '\t';
}

// Characters a key may not contain: control characters (blanks are part of the key).
bool is_bad_key_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u < 0x20 && c != '\t') || u == 0x7f;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Removes the blank lines that open and close a topic's text, recursively.
void strip_blank_edges(Topic& topic) {
  auto& t = topic.text;
  while (!t.empty() && t.back().empty()) t.pop_back();
  const auto first = std::find_if(t.begin(), t.end(), [](const auto& l) { return !l.empty(); });
  t.erase(t.begin(), first);
  for (auto& sub : topic.subtopics) strip_blank_edges(sub);
}

class Parser {
 public:
  HlpParseResult run(std::string_view source) {
    stack_.push_back(&result_.library.root);
    if (const auto nul = source.find('\0'); nul != std::string_view::npos) {
      // A record file copied byte for byte (each record a two-byte length, text, NUL
      // padding) is not text; the Librarian reads it only through RMS, as records.
      line_no_ =
          1 + static_cast<std::size_t>(std::count(source.begin(), source.begin() + nul, '\n'));
      fail(
          "NUL byte: a binary record file (OpenVMS variable-length records), not a text "
          "file; convert it to text first (on OpenVMS: CONVERT/FDL to STREAM_LF)");
      return std::move(result_);
    }
    while (!result_.error && !source.empty()) {
      const auto eol = source.find('\n');
      const auto line = source.substr(0, eol);
      source = eol == std::string_view::npos ? std::string_view{} : source.substr(eol + 1);
      ++line_no_;
      parse_line(line);
    }
    if (!result_.error && result_.library.root.subtopics.empty()) {
      fail("the library has no key line (a level digit 1-9 in column 1, a space, a key)");
    }
    if (result_.ok()) strip_blank_edges(result_.library.root);
    return std::move(result_);
  }

 private:
  void parse_line(std::string_view raw) {
    // A level digit starts a key only when a blank follows it: "2001 was..." is text,
    // "2   " is a key line without a key.
    if (raw.size() > 1 && raw[0] >= '1' && raw[0] <= '9' && is_blank_char(raw[1])) {
      return key_line(raw[0] - '0', trim_right(raw));
    }
    const auto line = trim_right(raw);
    if (line.empty()) return add_text(line);
    const char c = line.front();
    if (c == '!') return;
    if (c == '/' && line.size() > 1 && current_level_ > 0) return qualifier_line(line);
    add_text(line);
  }

  // The key is the rest of the line after the blanks, its own blanks kept ("See Also").
  void key_line(int level, std::string_view line) {
    const auto key = trim(line.substr(1));
    if (key.empty()) return fail(fmt::format("level {} key line without a key", level));
    if (level > current_level_ + 1) {
      return fail(fmt::format(
          "level {} key \"{}\" follows a level {} key: a key may be at most one level deeper "
          "than the key before it",
          level, key, current_level_));
    }
    if (add_key(level, key)) numbered_level_ = level;
  }

  // The whole line is the key: "/COMMENT (-z)".
  void qualifier_line(std::string_view line) {
    const auto key = trim(line);
    if (numbered_level_ == 9) {
      return fail(fmt::format("qualifier \"{}\" would be below level 9", key));
    }
    add_key(numbered_level_ + 1, key);
  }

  // Adds a key at `level` under the open key of level-1; false after an error.
  bool add_key(int level, std::string_view key) {
    if (std::any_of(key.begin(), key.end(), is_bad_key_char)) {
      fail(fmt::format("key \"{}\" contains a control character", key));
      return false;
    }
    if (key.size() > kMaxHlpKeyLength) {
      fail(fmt::format("key \"{}\" is longer than {} characters", key, kMaxHlpKeyLength));
      return false;
    }
    stack_.resize(static_cast<std::size_t>(level));
    Topic& parent = *stack_.back();
    // Duplicate keys under one parent are legal (the Librarian keeps both; HELP shows
    // every match), so there is no check for them.
    // Only the deepest open key's vector grows, so the pointers to its ancestors on the
    // stack stay valid.
    parent.subtopics.push_back(Topic{std::string(key), level, line_no_, {}, {}});
    stack_.push_back(&parent.subtopics.back());
    current_level_ = level;
    return true;
  }

  void add_text(std::string_view line) {
    if (current_level_ == 0) {
      if (!line.empty()) {
        fail(
            "text before the first key line (a help library starts with a key line, "
            "\"1 KEY\"; \"!\" in column 1 starts a comment)");
      }
      return;
    }
    stack_.back()->text.emplace_back(line);
  }

  void fail(std::string message) {
    if (!result_.error)
      result_.error = HlpError{std::max<std::size_t>(line_no_, 1), std::move(message)};
  }

  HlpParseResult result_;
  std::vector<Topic*> stack_;  // stack_[k] is the open key of level k (0 = root)
  std::size_t line_no_ = 0;
  int current_level_ = 0;   // level of the last key (numbered or qualifier)
  int numbered_level_ = 0;  // level of the last numbered key
};

}  // namespace

std::string HlpError::to_string() const {
  return fmt::format("line {}: {}", line, message);
}

HlpParseResult parse_hlp(std::string_view source) {
  return Parser{}.run(source);
}

}  // namespace sup::help
