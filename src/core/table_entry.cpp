#include "core/table_entry.hpp"

#include <cctype>

namespace sup::core {
namespace {

// Digits only (an optional leading '-' when `sign`), fitting in 64 bits.
template <class T>
std::optional<T> parse_integer(std::string_view s, bool sign) {
  bool negative = sign && !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return negative ? -static_cast<T>(v) : static_cast<T>(v);
}

}  // namespace

std::string program_key(std::string_view program) {
  std::string key(kProgramKeyPrefix);
  for (char c : program) {
    auto u = static_cast<unsigned char>(c);
    bool keep = std::isalnum(u) || c == '_' || c == '$' || c == '-';
    key += keep ? static_cast<char>(std::toupper(u)) : '_';
  }
  return key;
}

std::string format_table_entry(const TableEntry& e) {
  return std::to_string(e.pid) + " " + e.identity + " " + std::to_string(e.started_wall) + " " +
         e.state;
}

std::optional<TableEntry> parse_table_entry(std::string_view text) {
  // pid first, state and start time last: the identity in between may hold blanks.
  auto first = text.find(' ');
  auto last = text.rfind(' ');
  if (first == std::string_view::npos || last == first) return std::nullopt;
  auto before_last = text.rfind(' ', last - 1);
  if (before_last == std::string_view::npos || before_last < first) return std::nullopt;
  auto pid = parse_integer<std::uint64_t>(text.substr(0, first), false);
  auto started =
      parse_integer<std::int64_t>(text.substr(before_last + 1, last - before_last - 1), true);
  std::string_view state = text.substr(last + 1);
  if (!pid || *pid == 0 || !started || state.empty()) return std::nullopt;
  std::string identity;
  if (before_last > first) identity = std::string(text.substr(first + 1, before_last - first - 1));
  return TableEntry{*pid, identity, *started, std::string(state)};
}

}  // namespace sup::core
