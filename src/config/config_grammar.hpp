// Helpers shared by the X3 grammar files (included by .cpp files only: it pulls in
// Boost.Spirit X3).
#pragma once

#include <boost/spirit/home/x3.hpp>

#include <string_view>

#include "config/config_text.hpp"

namespace sup::config::detail {

// The index of the first byte of `text` outside 7-bit ASCII, or npos. Spirit's
// character classes (space, alnum, no_case) are only defined for ASCII: such bytes must
// never reach them.
inline std::size_t first_non_ascii(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) >= 0x80) return i;
  }
  return std::string_view::npos;
}

// Parses all of `text` with `parser`, skipping blanks and line breaks between tokens.
// On failure `stop` tells where parsing stopped (an index into `text`).
template <class Parser, class Attr>
bool parse_whole_at(std::string_view text, const Parser& parser, Attr& attr, std::size_t& stop) {
  stop = first_non_ascii(text);
  if (stop != std::string_view::npos) return false;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  const bool ok =
      boost::spirit::x3::phrase_parse(first, last, parser, boost::spirit::x3::space, attr);
  stop = static_cast<std::size_t>(first - text.data());
  return ok && first == last;
}

// parse_whole_at, when the place of the failure does not matter.
template <class Parser, class Attr>
bool parse_whole(std::string_view text, const Parser& parser, Attr& attr) {
  std::size_t stop = 0;
  return parse_whole_at(text, parser, attr, stop);
}

}  // namespace sup::config::detail
