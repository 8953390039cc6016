// The grammar of the POSIX `arguments` key: words split as a POSIX shell splits them,
// with quotes and backslashes, and no expansion of any kind.
#include <boost/spirit/home/x3.hpp>

#include "config/config_grammar.hpp"
#include "config/config_values.hpp"

namespace sup::config::detail {
namespace x3 = boost::spirit::x3;
namespace {

const auto kBlank = x3::char_(" \t\n");

// '...': everything up to the next single quote, literally.
const auto kSingle = x3::lit('\'') >> *(x3::char_ - '\'') >> x3::lit('\'');

// "...": a backslash escapes only \ " $ ` (and is kept before anything else).
const auto kDouble = x3::lit('"') >>
                     *((x3::lit('\\') >> x3::char_("\\\"$`")) | (x3::char_ - '"')) >> x3::lit('"');

// \x outside quotes: x itself.
const auto kEscaped = x3::lit('\\') >> x3::char_;

const auto kPlain = x3::char_ - x3::char_(" \t\n'\"\\");

const x3::rule<class word_rule, std::string> kWord = "word";
const auto kWord_def = +(kSingle | kDouble | kEscaped | kPlain);
BOOST_SPIRIT_DEFINE(kWord)

const auto kLine = x3::omit[*kBlank] >> *(kWord >> x3::omit[*kBlank]);

// What stopped the split at `rest`: an unclosed quote or a final backslash.
std::string split_error(std::string_view text, std::size_t stop) {
  const std::string column = std::to_string(stop + 1);
  const char c = stop < text.size() ? text[stop] : '\0';
  if (c == '\'' || c == '"') {
    return "the " + std::string(1, c) + " quote at column " + column + " is not closed";
  }
  if (c == '\\') return "a backslash at the end escapes nothing";
  return "cannot split the arguments " + near(text, stop);
}

}  // namespace

Parsed<std::vector<std::string>> split_arguments(std::string_view text) {
  std::vector<std::string> words;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  const bool ok = x3::parse(first, last, kLine, words);
  if (ok && first == last) return Parsed<std::vector<std::string>>::ok(std::move(words));
  return Parsed<std::vector<std::string>>::fail(
      split_error(text, static_cast<std::size_t>(first - text.data())));
}

}  // namespace sup::config::detail
