// DCL's error texts, $NUMBER values and argv joining.
#include <array>
#include <cctype>
#include <utility>

#include "cli/dcl_parser.hpp"

namespace sup::cli {
namespace {

// The CLI facility's texts for the errors the parser reports (as DCL prints them).
constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kCliTexts = {{
    {"ABKEYW", "ambiguous qualifier or keyword - supply more characters"},
    {"ABVERB", "ambiguous command verb - supply more characters"},
    {"CONFLICT", "illegal combination of command elements - check documentation"},
    {"INSFPRM", "missing command parameters - supply all required parameters"},
    {"IVKEYW", "unrecognized keyword - check validity and spelling"},
    {"IVQLOC", "invalid qualifier location - place after a parameter"},
    {"IVQUAL", "unrecognized qualifier - check validity, spelling, and placement"},
    {"IVVERB", "unrecognized command verb - check validity and spelling"},
    {"MAXPARM", "too many parameters - reenter command with fewer parameters"},
    {"NOCOMD", "no command on line - reenter with alphabetic first character"},
    {"NOLIST", "list of parameter values not allowed - check use of comma (,)"},
    {"NONEGATE", "qualifier or keyword not negatable - remove \"NO\" or omit"},
    {"NOVALU", "value not allowed - remove value specification"},
    {"NUMBER", "invalid numeric value - check for invalid digits"},
    {"PARMDEL", "invalid parameter delimiter - check use of special characters"},
    {"VALREQ", "missing qualifier or keyword value - supply all required values"},
}};

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return 99;
}

bool needs_quotes(const std::string& word) {
  if (word.empty()) return true;
  for (char c : word) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '!') return true;
  }
  return false;
}

std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::string CliError::message() const {
  std::string out = "%CLI-W-" + ident + ", " + text;
  if (!word.empty()) out += "\n \\" + word + "\\";
  return out;
}

CliError make_cli_error(std::string_view ident, std::string word) {
  for (const auto& [id, text] : kCliTexts) {
    if (id == ident) return CliError{std::string(id), std::string(text), std::move(word)};
  }
  return CliError{std::string(ident), "command syntax error", std::move(word)};
}

std::optional<long long> parse_dcl_number(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  int radix = 10;
  if (text.size() >= 2 && text[0] == '%') {
    const char r = static_cast<char>(std::toupper(static_cast<unsigned char>(text[1])));
    radix = r == 'X' ? 16 : r == 'O' ? 8 : r == 'D' ? 10 : 0;
    if (radix == 0) return std::nullopt;
    text.remove_prefix(2);
  }
  if (text.empty()) return std::nullopt;
  long long value = 0;
  for (char c : text) {
    const int d = digit_value(c);
    if (d >= radix) return std::nullopt;
    value = value * radix + d;
    if (value > 0xFFFFFFFFLL) return std::nullopt;  // DCL numbers are longwords
  }
  if (radix == 10 && value > (negative ? 0x80000000LL : 0x7FFFFFFFLL)) return std::nullopt;
  return negative ? -value : value;
}

std::string join_argv(const std::vector<std::string>& args) {
  std::string out;
  for (const auto& arg : args) {
    if (!out.empty()) out += ' ';
    const auto eq = arg.find_first_of("=:");
    if (!needs_quotes(arg)) {
      out += arg;
    } else if (arg[0] == '/' && eq != std::string::npos && !needs_quotes(arg.substr(0, eq))) {
      out += arg.substr(0, eq + 1) + quoted(std::string_view(arg).substr(eq + 1));
    } else {
      out += quoted(arg);
    }
  }
  return out;
}

}  // namespace sup::cli
