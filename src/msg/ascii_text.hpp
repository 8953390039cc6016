// ASCII text helpers shared by every module: names of programs, keys, qualifiers and
// actions are ASCII and compared without regard to case, as DCL does.
#pragma once

#include <cctype>
#include <string_view>

namespace sup::text {

// True when `a` and `b` are equal without regard to ASCII case.
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

}  // namespace sup::text
