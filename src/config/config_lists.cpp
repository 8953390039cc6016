// Grammars for list values: exit codes, PQL quota lists, privilege lists.
#include <boost/fusion/include/std_pair.hpp>
#include <boost/spirit/home/x3.hpp>

#include <algorithm>
#include <utility>

#include "config/config_grammar.hpp"
#include "config/config_tables.hpp"
#include "config/config_values.hpp"

namespace sup::config::detail {
namespace x3 = boost::spirit::x3;
namespace {

// A VMS-style name: letters, digits, '_' and '$' (PQL$_ASTLM, LOG_IO).
const auto kName = x3::rule<class name_rule, std::string>{"name"} =
    x3::lexeme[+(x3::alnum | x3::char_("_$"))];

// NAME=value, one entry of a quota list.
const auto kQuotaEntry =
    x3::rule<class quota_rule, std::pair<std::string, std::uint32_t>>{"quota"} =
        kName >> '=' >> x3::uint32;

// The text inside optional parentheses: "(A, B)" and "A, B" are the same list.
Parsed<std::string_view> strip_parens(std::string_view text) {
  text = trim(text);
  const bool open = !text.empty() && text.front() == '(';
  const bool close = !text.empty() && text.back() == ')';
  if (open && (!close || text.size() < 2)) return Parsed<std::string_view>::fail("missing ')'");
  if (close && !open) return Parsed<std::string_view>::fail("missing '('");
  if (open) text = text.substr(1, text.size() - 2);
  return Parsed<std::string_view>::ok(text);
}

Parsed<std::vector<std::uint32_t>> exitcodes_error(std::string_view text, std::size_t stop,
                                                   Flavor flavor) {
  const std::string what = flavor == Flavor::Posix
                               ? "a comma-separated list of exit codes from 0 to 255"
                               : "a comma-separated list of condition values (decimal, or %X "
                                 "and hexadecimal digits)";
  return Parsed<std::vector<std::uint32_t>>::fail("expected " + what + ", " + near(text, stop));
}

std::string quota_syntax_error(const std::string& where) {
  return "expected a quota list like \"ASTLM=600, BYTLM=131072\" (values 0 to 4294967295), " +
         where;
}

// Checks the names and turns them into canonical Quota entries.
Parsed<std::vector<Quota>> check_quotas(
    const std::vector<std::pair<std::string, std::uint32_t>>& raw) {
  std::vector<Quota> out;
  for (const auto& [written, value] : raw) {
    std::string name = to_upper(written);
    if (name.rfind("PQL$_", 0) == 0) name.erase(0, 5);
    if (!find_quota(name)) {
      return Parsed<std::vector<Quota>>::fail("unknown quota " + written + "; expected one of " +
                                              quota_names());
    }
    const bool seen =
        std::any_of(out.begin(), out.end(), [&](const Quota& q) { return q.name == name; });
    if (seen) return Parsed<std::vector<Quota>>::fail("quota " + name + " is given twice");
    out.push_back(Quota{name, value});
  }
  return Parsed<std::vector<Quota>>::ok(std::move(out));
}

// Resolves the names, refusing unknown ones and a privilege named twice.
Parsed<Privileges> check_privileges(const std::vector<std::string>& raw) {
  Privileges out;
  for (const auto& written : raw) {
    const std::string upper = to_upper(written);
    const auto info = find_privilege(upper);
    if (!info) {
      return Parsed<Privileges>::fail("unknown privilege " + written +
                                      "; expected OpenVMS privilege names such as TMPMBX, "
                                      "NETMBX, SYSNAM");
    }
    const std::uint64_t bit = std::uint64_t{1} << info->bit;
    if (out.mask & bit) {
      const std::string also =
          upper == info->name ? "" : " (" + upper + " is " + std::string(info->name) + ")";
      return Parsed<Privileges>::fail("privilege " + upper + " is given twice" + also);
    }
    out.mask |= bit;
    out.names.emplace_back(info->name);
  }
  return Parsed<Privileges>::ok(std::move(out));
}

}  // namespace

Parsed<std::vector<std::uint32_t>> parse_exitcodes(std::string_view text, Flavor flavor) {
  std::vector<std::uint64_t> codes;
  std::size_t stop = 0;
  const auto decimal = x3::uint_parser<std::uint64_t>{};
  const auto hex = x3::lexeme[x3::no_case[x3::lit("%x")] >> x3::uint_parser<std::uint64_t, 16>{}];
  bool ok = flavor == Flavor::Posix ? parse_whole_at(text, decimal % ',', codes, stop)
                                    : parse_whole_at(text, (hex | decimal) % ',', codes, stop);
  const std::uint64_t max = flavor == Flavor::Posix ? 255 : 0xFFFFFFFFu;
  for (std::size_t i = 0; ok && i < codes.size(); ++i) {
    if (codes[i] > max) ok = false;
  }
  if (!ok) return exitcodes_error(text, ok ? text.size() : stop, flavor);
  return Parsed<std::vector<std::uint32_t>>::ok({codes.begin(), codes.end()});
}

Parsed<std::vector<Quota>> parse_quotas(std::string_view text) {
  const auto inner = strip_parens(text);
  if (!inner.value) return Parsed<std::vector<Quota>>::fail(quota_syntax_error(inner.error));
  std::vector<std::pair<std::string, std::uint32_t>> raw;
  std::size_t stop = 0;
  if (!parse_whole_at(*inner.value, -(kQuotaEntry % ','), raw, stop)) {
    return Parsed<std::vector<Quota>>::fail(quota_syntax_error(near(*inner.value, stop)));
  }
  return check_quotas(raw);
}

Parsed<Privileges> parse_privileges(std::string_view text) {
  const std::string expected = "expected a privilege list like \"TMPMBX, NETMBX\", ";
  const auto inner = strip_parens(text);
  if (!inner.value) return Parsed<Privileges>::fail(expected + inner.error);
  std::vector<std::string> raw;
  std::size_t stop = 0;
  if (!parse_whole_at(*inner.value, -(kName % ','), raw, stop)) {
    return Parsed<Privileges>::fail(expected + near(*inner.value, stop));
  }
  return check_privileges(raw);
}

}  // namespace sup::config::detail
