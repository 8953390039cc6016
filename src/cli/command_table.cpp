#include "cli/command_table.hpp"

#include <fmt/format.h>

#include <cctype>

namespace sup::cli {
namespace {

std::string lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

// -x VALUE, -xVALUE, --long=VALUE, --long VALUE.
bool take_value(const std::vector<std::string>& a, std::size_t& i, std::string_view shrt,
                std::string_view lng, std::string& value, bool& missing) {
  const std::string& w = a[i];
  if (w == shrt || w == lng) {
    if (i + 1 >= a.size()) return missing = true;
    value = a[++i];
    return true;
  }
  if (w.size() > 2 && w.compare(0, 2, shrt) == 0 && w[1] != '-') return value = w.substr(2), true;
  if (w.size() > lng.size() && w.compare(0, lng.size(), lng) == 0 && w[lng.size()] == '=')
    return value = w.substr(lng.size() + 1), true;
  return false;
}

}  // namespace

const std::vector<CommandEntry>& command_table() {
  static const std::vector<CommandEntry> table = {
      {"HELP", "SUP_HELP", "HELP", false, false, false, "help [action]: show help"},
      {"START", "SUP_START", "START", true, true, true, "start name...|all: start programs"},
      {"STOP", "SUP_STOP", "STOP", true, true, true, "stop name...|all: stop programs"},
      {"RESTART", "SUP_RESTART", "RESTART", true, true, true,
       "restart name...|all: stop then start programs"},
      {"STATUS", "SUP_STATUS", "STATUS", true, true, false,
       "status [name...]: show the state of programs"},
      {"PID", "SUP_PID", "PID", true, true, false,
       "pid [name]: the pid of supervisord, or of a program"},
      {"VERSION", "SUP_VERSION", "VERSION", true, false, false,
       "version: the version of supervisord"},
      {"SHUTDOWN", "SUP_SHUTDOWN", "SHUTDOWN", true, false, false,
       "shutdown: stop supervisord, leave the programs running"},
  };
  return table;
}

const CommandEntry* find_command(std::string_view action) {
  std::string a = lower(action);
  for (auto& e : command_table())
    if (lower(e.verb) == a) return &e;
  return nullptr;
}

msg::Condition parse_ctl_args(const std::vector<std::string>& args, ClientRequest& out) {
  std::size_t i = 0;
  for (; i < args.size() && !args[i].empty() && args[i][0] == '-'; ++i) {
    bool missing = false;
    if (args[i] == "-h" || args[i] == "--help") {
      out.action = "help";
      continue;
    }
    if (take_value(args, i, "-c", "--configuration", out.config_file, missing)) {
      out.config_given = true;
    } else if (take_value(args, i, "-p", "--password", out.password, missing)) {
      out.password_given = true;
    } else {
      return {SUP__USAGE, {"unknown option " + args[i]}};
    }
    if (missing) return {SUP__USAGE, {args[i] + " needs a value"}};
  }
  if (i < args.size()) out.action = lower(args[i++]);
  if (out.action.empty()) return {SUP__USAGE, {"no action given (try: help)"}};
  const CommandEntry* e = find_command(out.action);
  if (!e) return {SUP__IVACTION, {out.action}};
  for (; i < args.size(); ++i) {
    if (e->verb == "HELP") {
      out.help_topics.push_back(args[i]);
    } else if (!e->takes_names) {
      return {SUP__USAGE, {fmt::format("{} takes no arguments: {}", out.action, args[i])}};
    } else if (lower(args[i]) == "all") {
      out.all = true;
    } else {
      out.names.push_back(args[i]);
    }
  }
  if (e->names_required && out.names.empty() && !out.all)
    return {SUP__USAGE, {fmt::format("{} needs a program name or all", out.action)}};
  if (e->verb == "PID" && out.names.size() > 1) return {SUP__USAGE, {"pid takes at most one name"}};
  return {SUP__NORMAL, {}};
}

msg::Condition request_from_dcl(const ParsedCommand& command, ClientRequest& out,
                                const PromptFn& ask) {
  const CommandEntry* e = find_command(command.action());
  if (!e) return {SUP__IVACTION, {command.action()}};
  out.action = lower(e->verb);
  auto on = [&](std::string_view q) { return command.has_entity(q) && is_on(command.present(q)); };
  if (e->verb == "HELP") {
    std::string rest = command.values("TOPIC").empty() ? "" : command.values("TOPIC")[0];
    std::string word;
    for (char c : rest + " ") {
      if (c == ' ' || c == '\t' || c == '/') {
        if (!word.empty()) out.help_topics.push_back(word);
        word.clear();
        if (c == '/') word = "/";
      } else {
        word += c;
      }
    }
  }
  auto add_name = [&](const std::string& v) {
    if (lower(v) == "all")
      out.all = true;
    else if (!v.empty())
      out.names.push_back(v);
  };
  if (command.has_entity("PROGRAM_NAME"))
    for (auto& v : command.values("PROGRAM_NAME")) add_name(v);
  if (command.has_entity("PROGRAM"))
    for (auto& v : command.values("PROGRAM")) out.names.push_back(v);
  out.all = out.all || on("ALL");
  if (command.has_entity("WAIT")) out.wait = !is_negated(command.present("WAIT"));
  if (on("TIMEOUT")) {
    auto n = parse_dcl_number(command.values("TIMEOUT").at(0));
    if (!n || *n < 0) return {SUP__USAGE, {"/TIMEOUT needs a number of seconds"}};
    out.timeout = static_cast<unsigned>(*n);
  }
  if (on("OUTPUT")) out.output_file = command.values("OUTPUT").at(0);
  if (on("CONFIGURATION"))
    out.config_file = command.values("CONFIGURATION").at(0), out.config_given = true;
  if (on("PASSWORD")) out.password = command.values("PASSWORD").at(0), out.password_given = true;
  if (e->names_required && out.names.empty() && !out.all) {
    std::optional<std::string> answer = ask ? ask("Program") : std::nullopt;
    if (!answer) return {SUP__USAGE, {make_cli_error("INSFPRM").message()}};
    // The answer is a parameter value: a comma list, as on the command line.
    std::string name;
    for (char c : *answer + ",") {
      if (c == ',')
        add_name(name), name.clear();
      else if (c != ' ')
        name += c;
    }
  }
  return {SUP__NORMAL, {}};
}

std::string ctl_help_text() {
  std::string text = "Actions (supervisorctl syntax; DCL syntax: supervisor HELP):\n";
  for (auto& e : command_table()) text += fmt::format("  {}\n", e.summary);
  return text;
}

}  // namespace sup::cli
