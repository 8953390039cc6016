// supervisor: the client, the POSIX image of the DCL verb SUPERVISOR.
//   SUPERVISOR ACTION ... at DCL (OpenVMS)          the verb: DCL's parse, read with CLI$
//   supervisor ACTION [names] [/QUALIFIERS]        DCL syntax (cld/SUPERVISOR.CLD)
//   supervisor -c FILE [-p PWD] ACTION [NAME...]   the seed's supervisorctl syntax
//   supervisor [-c FILE] [-p PWD]                  the SUPERVISOR> prompt
// The exit code follows supervisorctl 4.x (client::exit_status); on OpenVMS the image
// exits with the condition value itself.
#include <cctype>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "cli/dcl_parser.hpp"
#include "cli/request_parse.hpp"
#include "supervisor/client_exec.hpp"
#include "supervisor/client_output.hpp"
#include "supervisor/client_transport.hpp"
#include "supervisor/line_input.hpp"

namespace {

using namespace sup;

// DCL prompts for a missing parameter with "_Text: ".
std::optional<std::string> prompt_param(std::string_view text) {
  return client::read_input("_" + std::string(text) + ": ");
}

// At a terminal, missing parameters are asked for; otherwise they are %CLI-W-INSFPRM.
cli::DclOptions dcl_options() {
  cli::DclOptions opts;
  if (client::terminal()) opts.prompt = prompt_param;
  return opts;
}

// `supervisor -c FILE -p PWD` with no action: every line at its prompt uses that
// configuration and password unless it gives /CONFIGURATION or /PASSWORD itself.
void apply_defaults(commands::Request& r, const commands::Request& defaults) {
  if (!r.config_given && defaults.config_given)
    r.config_file = defaults.config_file, r.config_given = true;
  if (!r.password_given && defaults.password_given)
    r.password = defaults.password, r.password_given = true;
}

// One DCL command line (what follows the verb).  DCL errors print as DCL prints them.
std::uint32_t run_dcl(std::string_view line, const commands::Request& defaults) {
  cli::DclRequestResult parsed = cli::parse_dcl_request(line, dcl_options());
  if (parsed.cli_error) {
    std::cout.flush();
    std::cerr << parsed.cli_error->message() << '\n';
    return SUP__USAGE | client::kMessageShown;
  }
  if (!parsed.condition.ok()) {
    client::report(parsed.condition.value, parsed.condition.text());
    return parsed.condition.value | client::kMessageShown;
  }
  apply_defaults(parsed.request, defaults);
  return client::execute(parsed.request, client::terminal());
}

// True for a line that is EXIT or an abbreviation of it (at least EX), alone.
bool is_exit(std::string_view l) {
  auto first = l.find_first_not_of(" \t");
  std::string word;
  for (auto i = first; i < l.size() && std::isalpha(static_cast<unsigned char>(l[i])); ++i)
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(l[i])));
  return word.size() >= 2 && std::string("EXIT").compare(0, word.size(), word) == 0 &&
         l.find_first_not_of(" \t", first + word.size()) == std::string_view::npos;
}

// The SUPERVISOR> prompt: DCL syntax without the verb; EXIT or Ctrl-D leaves.
std::uint32_t interactive(const commands::Request& defaults) {
  std::uint32_t status = SUP__NORMAL;
  while (auto line = client::read_input("SUPERVISOR> ")) {
    std::string_view l = *line;
    auto first = l.find_first_not_of(" \t");
    if (first == std::string_view::npos || l[first] == '!') continue;
    if (is_exit(l)) break;
    status = run_dcl(l, defaults);
  }
  return status;
}

// The seed's supervisorctl syntax; options without an action enter the prompt.
std::uint32_t run_ctl(const std::vector<std::string>& args) {
  commands::Request request;
  bool action_given = false;
  msg::Condition c = cli::parse_ctl_args(args, request, action_given);
  if (!c.ok()) {
    client::report(c.value, c.text());
    return c.value | client::kMessageShown;
  }
  if (!action_given) return interactive(request);
  return client::execute(request, false);
}

}  // namespace

int run_client(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::uint32_t status;
  if (std::optional<client::VerbCommand> verb = client::read_verb_command())  // OpenVMS: CLI$
    status = msg::is_success(verb->status) ? client::execute(verb->request, client::terminal())
                                           : verb->status;
  else if (args.empty())
    status = interactive({});
  else if (args[0].size() > 1 && args[0][0] == '-')
    status = run_ctl(args);
  else
    status = run_dcl(cli::join_argv(args), {});
  std::cout.flush();
  return client::exit_status(status);
}

int main(int argc, char** argv) {
  try {
    return run_client(argc, argv);
  } catch (const std::exception& e) {
    client::report(SUP__BUG, msg::text(SUP__BUG, {std::string(e.what())}));
    return client::exit_status(SUP__BUG | client::kMessageShown);
  }
}
