#include "cli/request_parse.hpp"

#include <fmt/format.h>

#include <cctype>

#include "cli/cld_parser.hpp"

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

// HELP's topic words: the rest of the line split at blanks, "/qualifier" words kept whole.
std::vector<std::string> help_words(const std::string& rest) {
  std::vector<std::string> words;
  std::string word;
  for (char c : rest + " ") {
    if (c == ' ' || c == '\t' || c == '/') {
      if (!word.empty()) words.push_back(word);
      word.clear();
      if (c == '/') word = "/";
    } else {
      word += c;
    }
  }
  return words;
}

// The parameters that hold program names, in command-line order (P2, P3..P8).
constexpr std::string_view kNameParameters[] = {
    "PROGRAM_NAME",   "PROGRAM_NAME_3", "PROGRAM_NAME_4", "PROGRAM_NAME_5",
    "PROGRAM_NAME_6", "PROGRAM_NAME_7", "PROGRAM_NAME_8"};

// The names of P2..P8 (the word ALL as "all") and of /PROGRAM, in that order.
void add_names(const ParsedCommand& command, Request& out) {
  for (std::string_view p : kNameParameters) {
    for (auto& v : command.values(p)) {  // empty when the syntax has no such parameter
      if (lower(v) == "all")
        out.names.push_back("all");
      else if (!v.empty())
        out.names.push_back(v);
    }
  }
  for (auto& v : command.values("PROGRAM")) out.names.push_back(v);
}

constexpr int kMaxNamePrompts = 16;  // as the DCL parser: answers that still give no name

bool blank(std::string_view text) {
  return text.find_first_not_of(" \t") == std::string_view::npos;
}

DclRequestResult insfprm() {
  DclRequestResult r;
  r.cli_error = make_cli_error("INSFPRM");
  r.condition = {SUP__USAGE, {r.cli_error->message()}};
  return r;
}

}  // namespace

msg::Condition parse_ctl_args(const std::vector<std::string>& args, Request& out,
                              bool& action_given) {
  action_given = false;
  std::size_t i = 0;
  for (; i < args.size() && !args[i].empty() && args[i][0] == '-'; ++i) {
    bool missing = false;
    if (args[i] == "-h" || args[i] == "--help") {
      out.action = commands::Action::Help, action_given = true;
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
  if (i == args.size()) return {SUP__NORMAL, {}};  // -h, or the SUPERVISOR> prompt
  const std::string word = lower(args[i++]);
  const std::optional<commands::Action> action = commands::find_keyword(word);
  if (!action) return {SUP__IVACTION, {word}};
  out.action = *action, action_given = true;
  const commands::CommandSpec& spec = commands::spec(*action);
  for (; i < args.size(); ++i) {
    if (*action == commands::Action::Help)
      out.help_topics.push_back(args[i]);
    else if (spec.names == commands::Names::None)
      return {SUP__USAGE, {fmt::format("{} takes no arguments: {}", word, args[i])}};
    else
      out.names.push_back(lower(args[i]) == "all" ? "all" : args[i]);
  }
  if (names_missing(out))
    return {SUP__USAGE, {fmt::format("{} needs a program name or all", word)}};
  if (spec.names == commands::Names::AtMostOne && out.names.size() > 1)
    return {SUP__USAGE, {fmt::format("{} takes at most one name", word)}};
  return {SUP__NORMAL, {}};
}

msg::Condition request_from_dcl(const ParsedCommand& command, Request& out) {
  const std::optional<commands::Action> action = commands::find_keyword(command.action());
  if (!action) return {SUP__IVACTION, {command.action()}};
  out.action = *action;
  auto on = [&](std::string_view q) { return command.has_entity(q) && is_on(command.present(q)); };
  if (*action == commands::Action::Help && !command.values("TOPIC").empty())
    out.help_topics = help_words(command.values("TOPIC")[0]);
  add_names(command, out);
  if (on("ALL")) out.names.push_back("all");
  if (command.has_entity("WAIT")) out.wait = !is_negated(command.present("WAIT"));
  if (on("TIMEOUT")) {
    auto n = parse_dcl_number(command.values("TIMEOUT").at(0));
    if (!n || *n < 0) return {SUP__USAGE, {"/TIMEOUT needs a number of seconds"}};
    out.timeout = static_cast<std::uint32_t>(*n);
  }
  if (on("OUTPUT")) out.output_file = command.values("OUTPUT").at(0);
  if (on("CONFIGURATION"))
    out.config_file = command.values("CONFIGURATION").at(0), out.config_given = true;
  if (on("PASSWORD")) out.password = command.values("PASSWORD").at(0), out.password_given = true;
  return {SUP__NORMAL, {}};
}

bool names_missing(const Request& request) {
  return commands::spec(request.action).names == commands::Names::Required && request.names.empty();
}

std::string names_prompt_text(const ParsedCommand& command) {
  const cld::Definition* syntax = supervisor_cld().find_syntax(command.syntax_name());
  const cld::Parameter* p = syntax ? syntax->find_parameter(kNameParameters[0]) : nullptr;
  if (!p) return {};
  return p->prompt.empty() ? p->entity() : p->prompt;
}

std::string_view without_dcl_comment(std::string_view line) {
  bool quoted = false;  // "" inside a quoted string toggles twice: still quoted
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    if (line[i] == '!' && !quoted) return line.substr(0, i);
  }
  return line;
}

DclRequestResult parse_dcl_request(std::string_view line, const DclOptions& options) {
  std::string text(line);
  for (int asked = 0;;) {
    DclResult parsed = parse_dcl_verb(supervisor_cld(), "SUPERVISOR", text, options);
    DclRequestResult r;
    if (!parsed.ok()) {
      r.cli_error = parsed.error;
      r.condition = {SUP__USAGE, {parsed.error->message()}};
      return r;
    }
    r.condition = request_from_dcl(*parsed.command, r.request);
    if (!r.condition.ok() || !names_missing(r.request)) return r;
    if (!options.prompt || asked++ == kMaxNamePrompts) return insfprm();
    const std::optional<std::string> answer = options.prompt(names_prompt_text(*parsed.command));
    if (!answer) return insfprm();
    // As DCL: an empty answer asks again; a real one is read as the rest of the line.
    if (!blank(*answer)) text = std::string(without_dcl_comment(text)) + " " + *answer;
  }
}

}  // namespace sup::cli
