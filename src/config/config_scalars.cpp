// Grammars for single values: booleans, bounded integers, autorestart.
#include <boost/spirit/home/x3.hpp>

#include "config/config_grammar.hpp"
#include "config/config_values.hpp"

namespace sup::config::detail {
namespace x3 = boost::spirit::x3;
namespace {

struct BoolWords : x3::symbols<bool> {
  BoolWords() {
    add("true", true)("yes", true)("on", true)("1", true);
    add("false", false)("no", false)("off", false)("0", false);
  }
};

// supervisor accepts the boolean words for autorestart too: true and false mean "always"
// and "never".
struct RestartWords : x3::symbols<Autorestart> {
  RestartWords() {
    add("unexpected", Autorestart::Unexpected);
    add("true", Autorestart::True)("yes", Autorestart::True)("on", Autorestart::True);
    add("1", Autorestart::True);
    add("false", Autorestart::False)("no", Autorestart::False)("off", Autorestart::False);
    add("0", Autorestart::False);
  }
};

}  // namespace

Parsed<bool> parse_bool(std::string_view text) {
  static const BoolWords words;
  bool value = false;
  if (parse_whole(text, x3::no_case[words], value)) return Parsed<bool>::ok(value);
  return Parsed<bool>::fail("expected true or false (or yes/no, on/off, 1/0), got " + quoted(text));
}

Parsed<int> parse_int(std::string_view text, int min, int max) {
  std::uint64_t value = 0;
  if (parse_whole(text, x3::uint_parser<std::uint64_t>{}, value) &&
      value >= static_cast<std::uint64_t>(min) && value <= static_cast<std::uint64_t>(max)) {
    return Parsed<int>::ok(static_cast<int>(value));
  }
  return Parsed<int>::fail("expected an integer from " + std::to_string(min) + " to " +
                           std::to_string(max) + ", got " + quoted(text));
}

Parsed<int> parse_signed_int(std::string_view text, int min, int max) {
  std::int64_t value = 0;
  if (parse_whole(text, x3::int_parser<std::int64_t>{}, value) && value >= min && value <= max) {
    return Parsed<int>::ok(static_cast<int>(value));
  }
  return Parsed<int>::fail("expected an integer from " + std::to_string(min) + " to " +
                           std::to_string(max) + ", got " + quoted(text));
}

Parsed<Autorestart> parse_autorestart(std::string_view text) {
  static const RestartWords words;
  Autorestart value = Autorestart::Unexpected;
  if (parse_whole(text, x3::no_case[words], value)) return Parsed<Autorestart>::ok(value);
  return Parsed<Autorestart>::fail("expected false, unexpected or true, got " + quoted(text));
}

}  // namespace sup::config::detail
