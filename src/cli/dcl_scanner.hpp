// Internal to the DCL parser: reading the words of a command line.  Which characters end
// a word depends on what the word is (a $FILE value on POSIX keeps its slashes, a keyword
// stops at "="), so the parser tells the scanner the rules for each word.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sup::cli::detail {

// How to read one value.
struct WordRules {
  bool keep_case = false;       // $FILE on POSIX: no upcasing, "/" is part of the word
  bool in_parens = false;       // inside "( ... )": ")" ends even a $FILE word
  bool stop_at_equals = false;  // keyword types: "KEY=value", "KEY:value"
  bool stop_at_plus = false;    // concatenated parameter lists: "a+b"
};

// One word as read: its value (unquoted parts upcased unless keep_case, quoted parts
// verbatim with "" turned into "), and the text as typed for error messages.
struct Word {
  std::string text;
  std::string typed;
  bool quoted = false;
  std::size_t begin = 0;  // offset in the line
};

class Scanner {
 public:
  explicit Scanner(std::string_view line) : line_(line) {}

  // Skips spaces and tabs (and stray line ends).
  void skip_blanks();
  // True at the end of the line or at a "!" comment.
  bool at_end() const;
  // The next character, '\0' at the end.
  char peek() const { return pos_ < line_.size() ? line_[pos_] : '\0'; }
  void advance() {
    if (pos_ < line_.size()) ++pos_;
  }
  std::size_t pos() const { return pos_; }

  // A name: letters, digits, "_" and "$", upcased.  Empty when none.
  std::string read_name();
  // The name read_name() would return after the next character, without moving.
  std::string peek_name_after() const;
  // One value word under `rules`; empty (and nothing consumed) at a delimiter.
  Word read_word(const WordRules& rules);
  // The rest of the line up to a "!" comment outside quotes, trailing blanks removed, as
  // typed ($REST_OF_LINE).  Moves to the end of the line.
  std::string rest_of_line();

 private:
  void read_quoted(Word& word);
  bool ends_word(char c, const WordRules& rules) const;

  std::string_view line_;
  std::size_t pos_ = 0;
};

// ASCII upper case.
std::string dcl_upper(std::string_view text);

}  // namespace sup::cli::detail
