// DCL abbreviations.
#include "cli/dcl_match.hpp"

#include <algorithm>

namespace sup::cli::detail {
namespace {

using Names = std::vector<std::pair<std::string, std::size_t>>;
using Candidate = std::pair<std::size_t, bool>;  // target, negated

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// The targets whose name equals (exact) or starts with `word`.
void collect(std::string_view word, const Names& names, bool exact, bool negated,
             std::vector<Candidate>& out) {
  for (const auto& [name, target] : names) {
    const bool hit = exact ? name == word : starts_with(name, word);
    Candidate c{target, negated};
    if (hit && std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  }
}

NameMatch from(const std::vector<Candidate>& candidates) {
  NameMatch m;
  if (candidates.empty()) return m;
  if (candidates.size() > 1) {
    m.kind = NameMatch::Kind::Ambiguous;
    return m;
  }
  m.kind = NameMatch::Kind::Found;
  m.target = candidates[0].first;
  m.negated = candidates[0].second;
  return m;
}

}  // namespace

NameMatch match_name(std::string_view word, const Names& names, bool allow_negation) {
  if (word.empty()) return {};
  const bool negatable_word = allow_negation && word.size() > 2 && starts_with(word, "NO");
  const std::string_view positive = negatable_word ? word.substr(2) : std::string_view{};
  std::vector<Candidate> exact, prefix;
  collect(word, names, true, false, exact);
  if (exact.empty() && negatable_word) collect(positive, names, true, true, exact);
  if (!exact.empty()) return from(exact);
  collect(word, names, false, false, prefix);
  if (negatable_word) collect(positive, names, false, true, prefix);
  return from(prefix);
}

}  // namespace sup::cli::detail
