// Reading DCL words.
#include "cli/dcl_scanner.hpp"

#include <cctype>

namespace sup::cli::detail {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

}  // namespace

std::string dcl_upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

void Scanner::skip_blanks() {
  while (pos_ < line_.size() && is_blank(line_[pos_])) ++pos_;
}

bool Scanner::at_end() const {
  return pos_ >= line_.size() || line_[pos_] == '!';
}

std::string Scanner::read_name() {
  const std::size_t start = pos_;
  while (pos_ < line_.size() && is_name_char(line_[pos_])) ++pos_;
  return dcl_upper(line_.substr(start, pos_ - start));
}

std::string Scanner::peek_name_after() const {
  Scanner ahead = *this;
  ahead.advance();
  return ahead.read_name();
}

bool Scanner::ends_word(char c, const WordRules& rules) const {
  if (is_blank(c) || c == '!' || c == ',') return true;
  if (c == '/' && !rules.keep_case) return true;
  if (c == ')' && (rules.in_parens || !rules.keep_case)) return true;
  if ((c == '=' || c == ':') && rules.stop_at_equals) return true;
  return c == '+' && rules.stop_at_plus;
}

// A quoted part: "" inside is one quote.  DCL closes a quote left open at the end of the
// line, and so do we.
void Scanner::read_quoted(Word& word) {
  word.quoted = true;
  ++pos_;  // opening quote
  while (pos_ < line_.size()) {
    const char c = line_[pos_++];
    if (c != '"') {
      word.text += c;
    } else if (pos_ < line_.size() && line_[pos_] == '"') {
      word.text += '"';
      ++pos_;
    } else {
      return;
    }
  }
}

Word Scanner::read_word(const WordRules& rules) {
  Word word;
  word.begin = pos_;
  while (pos_ < line_.size()) {
    const char c = line_[pos_];
    if (c == '"') {
      read_quoted(word);
    } else if (ends_word(c, rules)) {
      break;
    } else {
      word.text +=
          rules.keep_case ? c : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      ++pos_;
    }
  }
  const auto typed = line_.substr(word.begin, pos_ - word.begin);
  word.typed = word.quoted || rules.keep_case ? std::string(typed) : dcl_upper(typed);
  return word;
}

std::string Scanner::rest_of_line() {
  const std::size_t start = pos_;
  std::size_t end = pos_;
  bool quoted = false;
  for (; end < line_.size(); ++end) {
    if (line_[end] == '"') quoted = !quoted;
    if (line_[end] == '!' && !quoted) break;
  }
  pos_ = line_.size();
  auto text = line_.substr(start, end - start);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return std::string(text);
}

}  // namespace sup::cli::detail
