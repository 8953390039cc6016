// .MSG parsing with Boost.Spirit X3, one logical line at a time (a trailing "-" joins the
// next physical line) so that every error names its line.  Grammar (the MESSAGE
// utility's, as real files use it; doc/vms_facts.md section 3):
//   .TITLE name [free text] | .IDENT delimited-text-or-word
//   | .FACILITY {/qual} name[,] number {/qual}      qual: /PREFIX=p | /SHARED | /SYSTEM
//   | .SEVERITY level | .BASE n | .END | .LITERAL ... | .PAGE
//   | NAME {/qual} [<text> | "text"] {/qual}        qual: /FAO_COUNT=n | /severity
// "!" starts a comment outside a message text.
#include "msg/msg_parser.hpp"

#include <algorithm>
#include <boost/fusion/adapted/std_tuple.hpp>
#include <boost/spirit/home/x3.hpp>
#include <cctype>

namespace sup::msg {
namespace {
namespace x3 = boost::spirit::x3;

using x3::char_;
using x3::lexeme;
using x3::lit;
using x3::uint_;

// Rules with declared attributes keep X3's attribute folding predictable.  Names are
// ASCII letters, digits, "_" and "$", as explicit ranges: X3's classes (alnum) hand
// bytes above 0x7F to <cctype> as negative values.
const auto name_char = char_('a', 'z') | char_('A', 'Z') | char_('0', '9') | char_("_$");
const auto name_rule = x3::rule<class NameTag, std::string>{"name"} = lexeme[+name_char];
const auto delimited_text = x3::rule<class TextTag, std::string>{"text"} =
    lexeme[('<' >> *(char_ - '>') >> '>') | ('"' >> *(char_ - '"') >> '"')];
// A qualifier: /NAME or /NAME=value (a number or a name).
using Qual = std::tuple<std::string, std::optional<std::string>>;
const auto qual_value = x3::rule<class QualValueTag, std::string>{"value"} =
    lexeme[+(name_char | char_('.'))];
const auto qual = x3::rule<class QualTag, Qual>{"qualifier"} = '/' >> name_rule >>
                                                               -('=' >> qual_value);

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// True when `word` (upper case) is `full` or an abbreviation of it at least `min` long.
bool abbreviates(const std::string& word, std::string_view full, std::size_t min) {
  return word.size() >= min && word.size() <= full.size() && full.substr(0, word.size()) == word;
}

std::optional<Severity> severity_from(const std::string& word) {
  const std::string s = upper(word);
  if (abbreviates(s, "SUCCESS", 1)) return Severity::Success;
  if (abbreviates(s, "INFORMATIONAL", 1)) return Severity::Informational;
  if (abbreviates(s, "WARNING", 1)) return Severity::Warning;
  if (abbreviates(s, "ERROR", 1)) return Severity::Error;
  if (abbreviates(s, "FATAL", 1) || abbreviates(s, "SEVERE", 2)) return Severity::Fatal;
  return std::nullopt;
}

std::optional<unsigned> number_from(const std::string& text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  unsigned n = 0;
  for (const char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    n = n * 10 + static_cast<unsigned>(c - '0');
  }
  return n;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Parser state across lines.
struct State {
  MessageFile file;
  std::optional<Severity> severity;
  std::uint32_t next_code = 1;
  bool facility_seen = false, ended = false, any_statement = false;
  bool system = false, shared = false;  // .FACILITY /SYSTEM, /SHARED
  std::vector<MsgError>* errors;
  void error(int line, std::string text) { errors->push_back({line, std::move(text)}); }
};

// Parses all of `line` (blanks skipped) with `p`.
template <typename Parser, typename Attr>
bool parse_all(std::string_view line, const Parser& p, Attr& attr) {
  auto first = line.begin();
  return x3::phrase_parse(first, line.end(), p, x3::blank, attr) && first == line.end();
}

// .IDENT: a bare word, or text between a pair of matching delimiters ("...", '...',
// /.../, <...>, or any other punctuation character used twice).
void ident(State& st, std::string_view rest, int n) {
  rest = trim(rest);
  if (rest.empty()) return st.error(n, ".IDENT needs a word or a delimited string");
  const char open = rest.front();
  if (std::isalnum(static_cast<unsigned char>(open)) || open == '_' || open == '$') {
    if (rest.find_first_of(" \t") != std::string_view::npos) {
      return st.error(n, ".IDENT takes one word or a delimited string");
    }
    st.file.ident = std::string(rest);
    return;
  }
  const char close = open == '<' ? '>' : open;
  const auto end = rest.find(close, 1);
  if (end == std::string_view::npos) {
    return st.error(n, std::string(".IDENT string has no closing ") + close);
  }
  if (!trim(rest.substr(end + 1)).empty()) {
    return st.error(n, ".IDENT has text after its closing delimiter");
  }
  st.file.ident = std::string(rest.substr(1, end - 1));
}

// .FACILITY [/qualifiers] name[,] number [/qualifiers]
void facility(State& st, std::string_view rest, int n) {
  std::tuple<std::vector<Qual>, std::string, unsigned, std::vector<Qual>> f;
  const auto p = *qual >> name_rule >> -lit(',') >> uint_ >> *qual;
  if (!parse_all(rest, p, f)) {
    return st.error(n, ".FACILITY needs [/qualifiers] name[,] number [/qualifiers]");
  }
  auto& [before, name, number, after] = f;
  if (number < 1 || number > 2047) return st.error(n, "facility number must be 1-2047");
  if (st.facility_seen) return st.error(n, ".FACILITY given twice (one facility per file here)");
  std::optional<std::string> prefix;
  before.insert(before.end(), after.begin(), after.end());
  for (const auto& [q, value] : before) {
    const std::string uq = upper(q);
    if (abbreviates(uq, "PREFIX", 1) && value) {
      prefix = upper(*value);
    } else if (abbreviates(uq, "SYSTEM", 2) && !value) {
      st.system = true;
    } else if (abbreviates(uq, "SHARED", 2) && !value) {
      st.shared = true;
    } else {
      return st.error(n, "unknown .FACILITY qualifier /" + uq + " (/PREFIX=, /SHARED, /SYSTEM)");
    }
  }
  st.file.facility = upper(name);
  st.file.facility_number = number;
  st.file.prefix = prefix ? *prefix : st.file.facility + "$_";
  st.file.system = st.system;
  st.file.shared = st.shared;
  st.facility_seen = true;
}

void directive(State& st, std::string_view line, int n) {
  std::string word;
  std::size_t i = 1;
  while (i < line.size() && std::isalpha(static_cast<unsigned char>(line[i]))) word += line[i++];
  word = upper(word);
  std::string_view rest = line.substr(i);
  if (word == "TITLE") {
    // A name, then free text: ".TITLE Info-ZIP UnZip Error Messages".
    const auto text = trim(rest);
    if (text.empty() || !(std::isalnum(static_cast<unsigned char>(text.front())) ||
                          text.front() == '_' || text.front() == '$')) {
      return st.error(n, ".TITLE needs a name");
    }
    st.file.title = std::string(text);
  } else if (word == "IDENT") {
    ident(st, rest, n);
  } else if (word == "FACILITY") {
    facility(st, rest, n);
  } else if (word == "SEVERITY") {
    std::string s;
    if (!parse_all(rest, name_rule, s) || !severity_from(s))
      return st.error(n, ".SEVERITY needs SUCCESS, INFORMATIONAL, WARNING, ERROR or FATAL");
    st.severity = severity_from(s);
  } else if (word == "BASE") {
    unsigned b = 0;
    if (!parse_all(rest, uint_, b) || b > 4095) return st.error(n, ".BASE needs a number 0-4095");
    st.next_code = b;
  } else if (word == "END") {
    st.ended = true;
  } else if (word == "LITERAL" || word == "PAGE") {
    // Listing and symbol-only directives: no effect on the message table.
  } else {
    st.error(n, "unknown directive ." + word);
  }
}

// NAME {/qualifier} [<text>] {/qualifier}: qualifiers before and/or after the text.
void message(State& st, std::string_view line, int n) {
  std::tuple<std::string, std::vector<Qual>, std::optional<std::string>, std::vector<Qual>> m;
  if (!parse_all(line, name_rule >> *qual >> -delimited_text >> *qual, m))
    return st.error(n, "expected NAME [/qualifiers] <message text> [/qualifiers]");
  auto& [name, before, text, after] = m;
  MessageSource src{upper(name), text.value_or(""), Severity::Warning, 0, 0, 0, n};
  std::optional<Severity> sev = st.severity;
  before.insert(before.end(), after.begin(), after.end());
  for (const auto& [q, value] : before) {
    const std::string uq = upper(q);
    if (abbreviates(uq, "FAO_COUNT", 3)) {
      const auto count = value ? number_from(*value) : std::nullopt;
      if (!count || *count > 255) return st.error(n, "/" + uq + " needs a number 0-255");
      src.fao_count = static_cast<int>(*count);
    } else if (auto s = severity_from(uq); s && !value) {
      sev = s;
    } else {
      return st.error(n, "unknown message qualifier /" + uq +
                             " (here: /FAO_COUNT=n and the severities; /IDENTIFICATION and "
                             "/USER_VALUE are not implemented)");
    }
  }
  if (!st.facility_seen) return st.error(n, "message before .FACILITY");
  if (!sev) return st.error(n, "message without a severity (.SEVERITY or /qualifier)");
  for (auto& other : st.file.messages)
    if (other.ident == src.ident) return st.error(n, "duplicate message " + src.ident);
  if (st.next_code > 4095) return st.error(n, "message number above 4095");
  src.severity = *sev;
  src.code = st.next_code++;
  src.value = make_condition(st.file.facility_number, src.code, src.severity);
  if (st.system) src.value &= ~0x08000000u;  // not a customer facility
  if (st.shared) src.value &= ~0x8000u;      // not facility-specific (FAC_SP clear)
  st.file.messages.push_back(std::move(src));
}

// `line` without its comment: "!" outside <...> and "..." starts one.
std::string_view without_comment(std::string_view line) {
  char close = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (close) {
      if (c == close) close = 0;
    } else if (c == '<') {
      close = '>';
    } else if (c == '"') {
      close = '"';
    } else if (c == '!') {
      return line.substr(0, i);
    }
  }
  return line;
}

}  // namespace

std::optional<MessageFile> parse_message_file(std::string_view source,
                                              std::vector<MsgError>& errors) {
  const std::size_t before = errors.size();
  if (const auto nul = source.find('\0'); nul != std::string_view::npos) {
    // A record file copied byte for byte (two-byte lengths, NUL padding) is not text.
    const int line = 1 + static_cast<int>(std::count(source.begin(), source.begin() + nul, '\n'));
    errors.push_back({line,
                      "NUL byte: a binary record file (OpenVMS variable-length records), not "
                      "a text file; convert it to text first (on OpenVMS: CONVERT/FDL to "
                      "STREAM_LF)"});
    return std::nullopt;
  }
  State st;
  st.errors = &errors;
  int n = 0;
  while (!source.empty() && !st.ended) {
    // One logical line: physical lines joined while one ends in "-" (outside a comment).
    const int first_line = n + 1;
    std::string logical;
    for (bool more = true; more && !source.empty();) {
      ++n;
      const auto nl = source.find('\n');
      std::string_view line = source.substr(0, nl);
      source = nl == std::string_view::npos ? std::string_view{} : source.substr(nl + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      line = trim(without_comment(line));
      more = !line.empty() && line.back() == '-';
      if (more) line.remove_suffix(1);
      logical += line;
      if (more) logical += ' ';
    }
    const std::string_view line = trim(logical);
    if (line.empty()) continue;
    st.any_statement = true;
    if (line[0] == '.')
      directive(st, line, first_line);
    else
      message(st, line, first_line);
  }
  // A file of nothing but comments and blank lines is valid and defines nothing.
  if (st.any_statement && !st.facility_seen && errors.size() == before)
    errors.push_back({n, "no .FACILITY directive"});
  if (errors.size() != before) return std::nullopt;
  return std::move(st.file);
}

}  // namespace sup::msg
