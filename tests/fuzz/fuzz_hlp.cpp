// libFuzzer target: the .HLP parser and the help session must never crash.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "help/help_session.hpp"
#include "help/hlp_match.hpp"
#include "help/hlp_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // The first line is a HELP request, the rest the library.
  const auto nl = text.find('\n');
  const auto request = text.substr(0, nl == std::string_view::npos ? 0 : nl);
  const auto parsed =
      sup::help::parse_hlp(nl == std::string_view::npos ? text : text.substr(nl + 1));
  if (!parsed.ok()) return 0;
  int answers = 0;
  sup::help::HelpSession session(
      parsed.library, [](std::string_view) {},
      [&](std::string_view) -> std::optional<std::string> {
        if (++answers > 3) return std::nullopt;
        return std::string(request);
      },
      sup::help::SessionOptions{true});
  session.run(sup::help::split_keys(request));
  return 0;
}
