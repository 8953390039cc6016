// The client's platform part on POSIX (client_output.hpp): the command line is argv,
// HELP reads the help library embedded at build time, conditions are formatted here.
#include <iostream>

#include "help/help_session.hpp"
#include "help/hlp_embedded.hpp"
#include "supervisor/client_exec.hpp"
#include "supervisor/client_output.hpp"
#include "supervisor/line_input.hpp"

namespace sup::client {
namespace {

std::optional<std::string> read_line(std::string_view prompt) {
  return read_input(std::string(prompt));
}

}  // namespace

std::optional<VerbCommand> read_verb_command() {
  return std::nullopt;  // no CLI: supervisor_main reads argv
}

std::uint32_t show_help(const commands::Request& r, bool interactive) {
  std::vector<std::string> keys = {"SUPERVISOR"};
  keys.insert(keys.end(), r.help_topics.begin(), r.help_topics.end());
  help::SessionOptions opts;
  opts.interactive = interactive;
  help::HelpSession session(
      help::supervisor_help(), [](std::string_view l) { std::cout << l << '\n'; }, read_line, opts);
  if (session.run(keys) == help::HelpOutcome::kFound) return SUP__NORMAL;
  return SUP__NOHELP | kMessageShown;  // HELP already said "Sorry, no documentation"
}

void report(std::uint32_t condition, const std::string& text) {
  if (msg::is_success(condition)) {
    std::cout << text << '\n';
    return;
  }
  const msg::MessageDef* def = msg::lookup(condition);
  std::cout.flush();
  std::cerr << '%' << msg::kFacilityName << '-' << msg::severity_letter(msg::severity_of(condition))
            << '-' << (def ? def->ident : "NOMSG") << ", " << text << '\n';
}

}  // namespace sup::client
