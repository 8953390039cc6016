// supervisor: the client, the POSIX image of the DCL verb SUPERVISOR.
//   supervisor ACTION [names] [/QUALIFIERS]        DCL syntax (cld/SUPERVISOR.CLD)
//   supervisor -c FILE [-p PWD] ACTION [NAME...]   the seed's supervisorctl syntax
//   supervisor                                     the SUPERVISOR> prompt
// The exit code follows supervisorctl 4.x (msg::posix_exit_code); on OpenVMS the image
// exits with the condition value itself.
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "cli/cld_parser.hpp"
#include "cli/command_table.hpp"
#include "cli/dcl_parser.hpp"
#include "supervisor/client_exec.hpp"
#include "supervisor/line_input.hpp"

namespace {

using namespace sup;

bool terminal() {
  return isatty(0) && isatty(1);
}

// DCL prompts for a missing parameter with "_Text: ".
std::optional<std::string> prompt_param(std::string_view text) {
  return client::read_input("_" + std::string(text) + ": ");
}

std::uint32_t run_dcl(const cli::DclResult& parsed) {
  if (!parsed.ok()) {
    std::cout.flush();
    std::cerr << parsed.error->message() << '\n';
    return SUP__USAGE | 0x10000000u;
  }
  cli::ClientRequest request;
  cli::PromptFn ask = terminal() ? cli::PromptFn(prompt_param) : cli::PromptFn();
  msg::Condition c = cli::request_from_dcl(*parsed.command, request, ask);
  if (!c.ok()) {
    client::report(c.value, c.text());
    return c.value | 0x10000000u;
  }
  return client::execute(request, terminal());
}

std::uint32_t run_ctl(const std::vector<std::string>& args) {
  cli::ClientRequest request;
  msg::Condition c = cli::parse_ctl_args(args, request);
  if (!c.ok()) {
    client::report(c.value, c.text());
    return c.value | 0x10000000u;
  }
  return client::execute(request, false);
}

// The SUPERVISOR> prompt: DCL syntax without the verb; EXIT or Ctrl-D leaves.
std::uint32_t interactive() {
  cli::DclOptions opts;
  if (terminal()) opts.prompt = prompt_param;
  std::uint32_t status = SUP__NORMAL;
  while (auto line = client::read_input("SUPERVISOR> ")) {
    std::string_view l = *line;
    auto first = l.find_first_not_of(" \t");
    if (first == std::string_view::npos || l[first] == '!') continue;
    std::string word;
    for (auto i = first; i < l.size() && std::isalpha(static_cast<unsigned char>(l[i])); ++i)
      word += static_cast<char>(std::toupper(static_cast<unsigned char>(l[i])));
    if (word.size() >= 2 && std::string("EXIT").compare(0, word.size(), word) == 0 &&
        l.find_first_not_of(" \t", first + word.size()) == std::string_view::npos)
      break;
    status = run_dcl(cli::parse_dcl_verb(cli::supervisor_cld(), "SUPERVISOR", l, opts));
  }
  return status;
}

}  // namespace

int run_client(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::uint32_t status;
  if (args.empty()) {
    status = interactive();
  } else if (args[0].size() > 1 && args[0][0] == '-') {
    status = run_ctl(args);
  } else {
    cli::DclOptions opts;
    if (terminal()) opts.prompt = prompt_param;
    status = run_dcl(cli::parse_dcl_argv(cli::supervisor_cld(), "SUPERVISOR", args, opts));
  }
  std::cout.flush();
  return msg::posix_exit_code(status);
}

int main(int argc, char** argv) {
  try {
    return run_client(argc, argv);
  } catch (const std::exception& e) {
    client::report(SUP__BUG, msg::text(SUP__BUG, {std::string(e.what())}));
    return msg::posix_exit_code(SUP__BUG);
  }
}
