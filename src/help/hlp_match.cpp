#include "help/hlp_match.hpp"

#include <algorithm>
#include <cctype>

namespace sup::help {
namespace {

char upper(char c) {
  return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
}

bool equal_nocase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return upper(x) == upper(y); });
}

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && equal_nocase(text.substr(0, prefix.size()), prefix);
}

bool has_wildcard(std::string_view token) {
  return token.find_first_of("*%") != std::string_view::npos;
}

// The part of `key` a token is compared with: a token without "/" names a qualifier
// without its "/".
std::string_view comparable_key(const Topic& topic, std::string_view token) {
  std::string_view key = topic.key;
  if (topic.is_qualifier() && (token.empty() || token.front() != '/')) key.remove_prefix(1);
  return key;
}

void append_unique(std::vector<const Topic*>& out, const Topic* topic) {
  if (std::find(out.begin(), out.end(), topic) == out.end()) out.push_back(topic);
}

}  // namespace

bool wildcard_match(std::string_view pattern, std::string_view text) {
  // Iterative glob with backtracking to the last "*": linear in practice, and no
  // recursion depth to exhaust on hostile input.
  std::size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '%' || upper(pattern[p]) == upper(text[t]))) {
      ++p, ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++, resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1, t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::vector<const Topic*> listing_entries(const Topic& parent) {
  std::vector<const Topic*> out;
  for (const auto& sub : parent.subtopics) {
    out.push_back(&sub);
    if (sub.is_qualifier()) continue;
    for (const auto& q : sub.subtopics) {
      if (q.is_qualifier()) out.push_back(&q);
    }
  }
  return out;
}

std::vector<const Topic*> match_key(const Topic& parent, std::string_view token) {
  std::vector<const Topic*> exact, partial;
  const bool wild = has_wildcard(token);
  for (const Topic* entry : listing_entries(parent)) {
    const auto key = comparable_key(*entry, token);
    if (wild) {
      if (wildcard_match(token, key)) append_unique(partial, entry);
    } else if (equal_nocase(key, token)) {
      append_unique(exact, entry);
    } else if (starts_with_nocase(key, token)) {
      append_unique(partial, entry);
    }
  }
  return exact.empty() ? partial : exact;
}

std::vector<std::string> split_keys(std::string_view line) {
  std::vector<std::string> keys;
  std::string current;
  const auto flush = [&] {
    const bool ellipsis = current.size() > 3 && current.compare(current.size() - 3, 3, "...") == 0;
    if (ellipsis) current.resize(current.size() - 3);
    if (!current.empty() && current != "/") keys.push_back(current);
    if (ellipsis) keys.emplace_back("...");
    current.clear();
  };
  for (const char c : line) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      flush();
    } else {
      if (c == '/') flush();
      current.push_back(c);
    }
  }
  flush();
  return keys;
}

}  // namespace sup::help
