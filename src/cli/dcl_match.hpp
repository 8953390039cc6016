// Internal to the DCL parser: DCL's abbreviation rule.  A word selects the name it equals,
// else the one name it is a prefix of; "NOxxx" selects xxx negated where negation is
// asked for.  Several candidates make it ambiguous.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sup::cli::detail {

struct NameMatch {
  enum class Kind { Found, Ambiguous, NotFound };
  Kind kind = Kind::NotFound;
  std::size_t target = 0;  // the target of the matched name
  bool negated = false;
};

// `names` pairs each upper-case name with a target (several names, e.g. a verb and its
// synonyms, may share one target and then do not make each other ambiguous).  `word` is
// upper case.
NameMatch match_name(std::string_view word,
                     const std::vector<std::pair<std::string, std::size_t>>& names,
                     bool allow_negation);

}  // namespace sup::cli::detail
