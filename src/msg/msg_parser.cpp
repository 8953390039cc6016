// .MSG parsing with Boost.Spirit X3, one source line at a time so that every error names
// its line.  Grammar (the subset real .MSG files use, doc/vms_facts.md section 3):
//   .TITLE name | .IDENT "text" | .FACILITY name,number[/PREFIX=p] | .SEVERITY level
//   | .BASE n | .END | NAME <text>[/FAO=n|/FAO_COUNT=n][/severity] ; `!` comments.
#include "msg/msg_parser.hpp"

#include <boost/fusion/adapted/std_tuple.hpp>
#include <boost/spirit/home/x3.hpp>
#include <cctype>

namespace sup::msg {
namespace {
namespace x3 = boost::spirit::x3;

using x3::alnum;
using x3::alpha;
using x3::char_;
using x3::lexeme;
using x3::lit;
using x3::no_case;
using x3::uint_;

// Rules with declared attributes keep X3's attribute folding predictable.
const auto name_rule = x3::rule<class NameTag, std::string>{"name"} =
    lexeme[(alpha | char_("_$")) >> *(alnum | char_("_$"))];
const auto comment = x3::omit[lit('!') >> *char_];
const auto delimited_text = x3::rule<class TextTag, std::string>{"text"} =
    lexeme[('<' >> *(char_ - '>') >> '>') | ('"' >> *(char_ - '"') >> '"')];

std::optional<Severity> severity_from(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto is = [&](std::string_view full, std::size_t min) {
    return s.size() >= min && s.size() <= full.size() && full.substr(0, s.size()) == s;
  };
  if (is("SUCCESS", 1)) return Severity::Success;
  if (is("INFORMATIONAL", 1)) return Severity::Informational;
  if (is("WARNING", 1)) return Severity::Warning;
  if (is("ERROR", 1)) return Severity::Error;
  if (is("FATAL", 1) || is("SEVERE", 2)) return Severity::Fatal;
  return std::nullopt;
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Parser state across lines.
struct State {
  MessageFile file;
  std::optional<Severity> severity;
  std::uint32_t next_code = 1;
  bool facility_seen = false, ended = false;
  std::vector<MsgError>* errors;
  void error(int line, std::string text) { errors->push_back({line, std::move(text)}); }
};

template <typename Parser, typename Attr>
bool parse_line(std::string_view line, const Parser& p, Attr& attr) {
  auto first = line.begin();
  bool ok = x3::phrase_parse(first, line.end(), p, x3::blank, attr);
  if (ok) x3::phrase_parse(first, line.end(), comment, x3::blank);
  return ok && first == line.end();
}

template <typename Parser>
bool parse_line(std::string_view line, const Parser& p) {
  auto first = line.begin();
  bool ok = x3::phrase_parse(first, line.end(), p, x3::blank);
  if (ok) x3::phrase_parse(first, line.end(), comment, x3::blank);
  return ok && first == line.end();
}

void directive(State& st, std::string_view line, int n) {
  std::string word;
  std::size_t i = 1;
  while (i < line.size() && std::isalpha(static_cast<unsigned char>(line[i]))) word += line[i++];
  word = upper(word);
  std::string_view rest = line.substr(i);
  if (word == "TITLE") {
    std::string t;
    if (!parse_line(rest, name_rule, t)) st.error(n, ".TITLE needs a name");
    st.file.title = t;
  } else if (word == "IDENT") {
    std::string t;
    if (!parse_line(rest, delimited_text | name_rule, t))
      st.error(n, ".IDENT needs a quoted string");
    st.file.ident = t;
  } else if (word == "FACILITY") {
    std::tuple<std::string, unsigned, std::optional<std::string>> f;
    auto p = name_rule >> ',' >> uint_ >> -(no_case["/PREFIX"] >> '=' >> name_rule);
    if (!parse_line(rest, p, f)) return st.error(n, ".FACILITY needs name,number[/PREFIX=prefix]");
    auto& [name, number, prefix] = f;
    if (number < 1 || number > 2047) st.error(n, "facility number must be 1-2047");
    st.file.facility = upper(name);
    st.file.facility_number = number;
    st.file.prefix = prefix ? upper(*prefix) : st.file.facility + "$_";
    st.facility_seen = true;
  } else if (word == "SEVERITY") {
    std::string s;
    if (!parse_line(rest, name_rule, s) || !severity_from(s))
      return st.error(n, ".SEVERITY needs SUCCESS, INFORMATIONAL, WARNING, ERROR or FATAL");
    st.severity = severity_from(s);
  } else if (word == "BASE") {
    unsigned b = 0;
    if (!parse_line(rest, uint_, b) || b > 4095) return st.error(n, ".BASE needs a number 0-4095");
    st.next_code = b;
  } else if (word == "END") {
    st.ended = true;
  } else if (word == "LITERAL" || word == "PAGE") {
    // Listing and symbol-only directives: no effect on the message table.
  } else {
    st.error(n, "unknown directive ." + word);
  }
}

void message(State& st, std::string_view line, int n) {
  using Qual = std::tuple<std::string, std::optional<unsigned>>;
  std::tuple<std::string, std::string, std::vector<Qual>> m;
  auto qual = x3::rule<class QualTag, Qual>{"qualifier"} = '/' >> name_rule >> -('=' >> uint_);
  if (!parse_line(line, name_rule >> delimited_text >> *qual, m))
    return st.error(n, "expected NAME <message text>[/FAO=n]");
  auto& [ident, text, quals] = m;
  MessageSource src{upper(ident), text, Severity::Warning, 0, 0, 0, n};
  std::optional<Severity> sev = st.severity;
  for (auto& [q, v] : quals) {
    std::string uq = upper(q);
    if (uq == "FAO_COUNT" || uq == "FAO") {
      if (!v) return st.error(n, "/" + uq + " needs a number");
      src.fao_count = static_cast<int>(*v);
    } else if (auto s = severity_from(uq); s && !v) {
      sev = s;
    } else {
      return st.error(n, "unknown message qualifier /" + uq);
    }
  }
  if (!st.facility_seen) return st.error(n, "message before .FACILITY");
  if (!sev) return st.error(n, "message without a severity (.SEVERITY or /qualifier)");
  for (auto& other : st.file.messages)
    if (other.ident == src.ident) return st.error(n, "duplicate message " + src.ident);
  src.severity = *sev;
  src.code = st.next_code++;
  src.value = make_condition(st.file.facility_number, src.code, src.severity);
  st.file.messages.push_back(std::move(src));
}

}  // namespace

std::optional<MessageFile> parse_message_file(std::string_view source,
                                              std::vector<MsgError>& errors) {
  State st;
  st.errors = &errors;
  std::size_t before = errors.size();
  int n = 0;
  while (!source.empty() && !st.ended) {
    ++n;
    auto nl = source.find('\n');
    std::string_view line = source.substr(0, nl);
    source = nl == std::string_view::npos ? std::string_view{} : source.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos || line[start] == '!') continue;
    line.remove_prefix(start);
    if (line[0] == '.')
      directive(st, line, n);
    else
      message(st, line, n);
  }
  if (!st.facility_seen && errors.size() == before) errors.push_back({n, "no .FACILITY directive"});
  if (errors.size() != before) return std::nullopt;
  return std::move(st.file);
}

}  // namespace sup::msg
