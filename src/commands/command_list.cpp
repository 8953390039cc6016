#include "commands/command_list.hpp"

#include <array>
#include <cctype>
#include <string>

#include "msg/ascii_text.hpp"

namespace sup::commands {
namespace {

// The list is indexed by Action: entry i must be the action of code i.
constexpr bool in_action_order() {
  for (std::size_t i = 0; i < kActionCount; ++i)
    if (static_cast<std::size_t>(kCommandList[i].action) != i) return false;
  return true;
}
static_assert(in_action_order(), "kCommandList must list the actions in the order of their codes");

}  // namespace

std::optional<Action> find_keyword(std::string_view keyword) {
  for (const auto& c : kCommandList)
    if (text::iequals(c.keyword, keyword)) return c.action;
  return std::nullopt;
}

std::optional<Action> from_code(std::uint32_t code) {
  if (code >= kActionCount) return std::nullopt;
  return kCommandList[code].action;
}

std::string_view lower_name(Action action) {
  // Made once from the keywords, so the list stays the only spelling.
  static const std::array<std::string, kActionCount> names = [] {
    std::array<std::string, kActionCount> out;
    for (std::size_t i = 0; i < kActionCount; ++i)
      for (char c : kCommandList[i].keyword)
        out[i] += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  }();
  return names[static_cast<std::size_t>(action)];
}

}  // namespace sup::commands
