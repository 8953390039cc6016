// supervisor's `environment` value (dict_of_key_value_pairs of 4.2.5) and the %(ENV_X)s
// lookup that sees its entries.
#include <algorithm>
#include <cctype>

#include "config/config_dropin.hpp"
#include "config/config_text.hpp"

namespace sup::config::detail {
namespace {

// One shlex token; `word` when it is made of word characters (a name can only be one).
struct Token {
  std::string text;
  bool word = false;
};

// shlex's default word characters plus the ones dict_of_key_value_pairs adds.
bool word_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' ||
         std::string_view("/.+-():").find(c) != std::string_view::npos;
}

bool blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// The length of the UTF-8 character at `i` (Python sees one character, one token).
std::size_t char_length(std::string_view text, std::size_t i) {
  std::size_t n = 1;
  if (static_cast<unsigned char>(text[i]) >= 0xc0) {
    while (i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xc0) == 0x80) ++n;
  }
  return n;
}

// shlex.shlex(text) in non-POSIX mode.  nullopt with `error` for an unclosed quote.
std::optional<std::vector<Token>> tokenize(std::string_view text, std::string& error) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (blank(c)) {
      ++i;
    } else if (c == '#') {  // a comment: the rest of the line
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '"' || c == '\'') {
      const std::size_t close = text.find(c, i + 1);
      if (close == std::string_view::npos) {
        error = "the " + std::string(1, c) + " quote at column " + std::to_string(i + 1) +
                " is not closed";
        return std::nullopt;
      }
      out.push_back(Token{std::string(text.substr(i, close + 1 - i)), false});
      i = close + 1;
    } else if (word_char(c)) {
      // Inside a word, quotes are kept as characters, and '#' skips the rest of the line,
      // its newline included, the word going on after it (non-POSIX shlex does so).
      Token t{std::string(), true};
      while (i < text.size() && !blank(text[i])) {
        const char w = text[i];
        if (w == '#') {
          while (i < text.size() && text[i] != '\n') ++i;
          if (i < text.size()) ++i;
          continue;
        }
        if (!word_char(w) && w != '"' && w != '\'') break;
        t.text += w;
        ++i;
      }
      out.push_back(std::move(t));
    } else {
      const std::size_t n = char_length(text, i);
      out.push_back(Token{std::string(text.substr(i, n)), false});
      i += n;
    }
  }
  return out;
}

std::string strip_quotes(const std::string& s) {
  const auto first = s.find_first_not_of("'\"");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of("'\"") - first + 1);
}

}  // namespace

Parsed<std::vector<EnvVar>> parse_environment(std::string_view text) {
  std::string error;
  const auto tokens = tokenize(text, error);
  if (!tokens) return Parsed<std::vector<EnvVar>>::fail(error);
  std::vector<EnvVar> vars;
  for (std::size_t i = 0; i < tokens->size(); i += 4) {
    const auto& t = *tokens;
    if (i + 2 >= t.size() || t[i + 1].text != "=") {
      return Parsed<std::vector<EnvVar>>::fail(
          "expected NAME=value pairs separated by commas (values with other characters than "
          "letters, digits and _/.+-(): in quotes), but the pair " +
          std::to_string(i / 4 + 1) + " (near " + quoted(t[i].text) + ") is not one");
    }
    if (!t[i].word || t[i].text.find_first_of("\"'") != std::string::npos) {
      return Parsed<std::vector<EnvVar>>::fail("expected a variable name, got " +
                                               quoted(t[i].text));
    }
    EnvVar v{t[i].text, strip_quotes(t[i + 2].text)};
    const auto same =
        std::find_if(vars.begin(), vars.end(), [&](const EnvVar& e) { return e.name == v.name; });
    if (same != vars.end()) {
      same->value = std::move(v.value);
    } else {
      vars.push_back(std::move(v));
    }
  }
  return Parsed<std::vector<EnvVar>>::ok(std::move(vars));
}

std::function<std::optional<std::string>(const std::string&)> chained_getenv(
    const std::vector<EnvVar>* own, const std::vector<EnvVar>* daemon,
    std::function<std::optional<std::string>(const std::string&)> outer) {
  return [own, daemon,
          outer = std::move(outer)](const std::string& name) -> std::optional<std::string> {
    for (const auto* list : {own, daemon}) {
      if (list == nullptr) continue;
      for (const auto& v : *list)
        if (v.name == name) return v.value;
    }
    if (outer) return outer(name);
    return std::nullopt;
  };
}

}  // namespace sup::config::detail
