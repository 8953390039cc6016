#include "supervisor/line_input.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#if SUP_HAVE_LIBEDIT
#include <editline/readline.h>
#endif

namespace sup::client {

std::optional<std::string> read_input(const std::string& prompt) {
#if SUP_HAVE_LIBEDIT
  if (isatty(0)) {
    char* line = readline(prompt.c_str());
    if (!line) return std::nullopt;
    std::string s(line);
    std::free(line);
    if (!s.empty()) add_history(s.c_str());  // recall with the arrow keys, as DCL's RECALL
    return s;
  }
#endif
  std::cout << prompt << std::flush;
  std::string s;
  if (!std::getline(std::cin, s)) return std::nullopt;
  return s;
}

}  // namespace sup::client
