// The DCL parser's driver: verb lookup, syntax switches, prompting for missing required
// parameters, DISALLOW checks and the finishing touches (defaults, action keyword).
#include "cli/dcl_parser.hpp"

#include <algorithm>
#include <cctype>

#include "cli/dcl_line_pass.hpp"
#include "cli/dcl_match.hpp"

namespace sup::cli {
namespace {

using detail::EffectiveSyntax;
using detail::LinePass;

constexpr int kMaxSwitches = 8;  // syntax switches in one line (real CLDs use one)
constexpr int kMaxPrompts = 16;  // answers that still leave a parameter missing

DclResult failure(CliError error) {
  return DclResult{std::nullopt, std::move(error)};
}

// Parses `line` against the verb, following SYNTAX= switches.
LinePass parse_switching(const cld::Model& model, const cld::Definition& verb,
                         const DclOptions& options, std::string_view line) {
  const cld::Definition* syntax = nullptr;
  for (int switches = 0;; ++switches) {
    LinePass pass(model, detail::effective_syntax(model, verb, syntax), options, line);
    pass.run();
    if (pass.error || pass.switch_to.empty()) return pass;
    syntax = model.find_syntax(pass.switch_to);
    if (!syntax || switches == kMaxSwitches) {
      pass.error = make_cli_error("CONFLICT", pass.switch_to);
      return pass;
    }
  }
}

// The first REQUIRED parameter without a value (and without a DEFAULT=), or nullptr.
const cld::Parameter* missing_parameter(const LinePass& pass) {
  for (const auto& p : *pass.syntax().parameters) {
    if (p.value.required && p.value.defaults.empty() && pass.command.values(p.entity()).empty()) {
      return &p;
    }
  }
  return nullptr;
}

// The word DCL shows for a broken DISALLOW: the entity of the expression typed last.
std::string conflict_word(const cld::Model& model, const LinePass& pass, const cld::Expr& e) {
  std::vector<std::string> entities;
  detail::expr_entities(model, pass.syntax(), e, entities);
  std::string word;
  std::size_t latest = 0;
  for (const auto& entity : entities) {
    auto it = pass.seen.find(entity);
    if (it != pass.seen.end() && (word.empty() || it->second.first >= latest)) {
      latest = it->second.first;
      word = it->second.second;
    }
  }
  return word;
}

// Defaults, names and the action keyword, once the line is known to be valid.
void finish(const cld::Model& model, const cld::Definition& verb, LinePass& pass) {
  ParsedCommand& cmd = pass.command;
  const EffectiveSyntax& s = pass.syntax();
  for (const auto& p : *s.parameters) {
    if (cmd.present(p.entity()) != Presence::Absent || p.value.defaults.empty()) continue;
    cmd.set_presence(p.entity(), Presence::Defaulted);
    for (const auto& v : p.value.defaults) cmd.add_value(p.entity(), v);
  }
  for (const auto& q : *s.qualifiers) {
    if (cmd.present(q.entity()) != Presence::Defaulted) continue;
    for (const auto& v : q.value.defaults) cmd.add_value(q.entity(), v);
  }
  cmd.set_verb(verb.name);
  cmd.set_syntax_name(s.name);
  cmd.set_image(s.image);
  cmd.set_routine(s.routine);
  if (!s.parameters->empty() && model.find_type(s.parameters->front().value.type)) {
    const auto action = cmd.values(s.parameters->front().entity());
    if (!action.empty()) cmd.set_action(action.front());
  }
}

bool blank(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t'; });
}

DclResult parse_for_verb(const cld::Model& model, const cld::Definition& verb,
                         std::string_view rest, const DclOptions& options) {
  std::string line(rest);
  for (int prompts = 0;;) {
    LinePass pass = parse_switching(model, verb, options, line);
    if (pass.error) return failure(*pass.error);
    if (const cld::Parameter* p = missing_parameter(pass)) {
      if (!options.prompt || prompts++ == kMaxPrompts) return failure(make_cli_error("INSFPRM"));
      const auto answer = options.prompt(p->prompt.empty() ? p->entity() : p->prompt);
      if (!answer) return failure(make_cli_error("INSFPRM"));
      // DCL asks again after an empty answer; a real one is read as the rest of the line.
      if (!blank(*answer)) line = line.substr(0, pass.stop) + " " + *answer;
      continue;
    }
    if (const cld::Expr* e = detail::broken_disallow(model, pass.syntax(), pass.command)) {
      return failure(make_cli_error("CONFLICT", conflict_word(model, pass, *e)));
    }
    finish(model, verb, pass);
    return DclResult{std::move(pass.command), std::nullopt};
  }
}

}  // namespace

DclResult parse_dcl_command(const cld::Model& model, std::string_view line,
                            const DclOptions& options) {
  detail::Scanner scanner(line);
  scanner.skip_blanks();
  // DCL verbs start with a letter ("reenter with alphabetic first character").
  if (!std::isalpha(static_cast<unsigned char>(scanner.peek()))) {
    return failure(make_cli_error("NOCOMD"));
  }
  const std::string name = scanner.read_name();
  std::vector<std::pair<std::string, std::size_t>> names;
  for (std::size_t i = 0; i < model.verbs.size(); ++i) {
    names.emplace_back(model.verbs[i].name, i);
    for (const auto& synonym : model.verbs[i].synonyms) names.emplace_back(synonym, i);
  }
  const auto m = detail::match_name(name, names, false);
  if (m.kind == detail::NameMatch::Kind::NotFound) return failure(make_cli_error("IVVERB", name));
  if (m.kind == detail::NameMatch::Kind::Ambiguous) return failure(make_cli_error("ABVERB", name));
  return parse_for_verb(model, model.verbs[m.target], line.substr(scanner.pos()), options);
}

DclResult parse_dcl_verb(const cld::Model& model, std::string_view verb, std::string_view rest,
                         const DclOptions& options) {
  const std::string name = detail::dcl_upper(verb);
  for (const auto& v : model.verbs) {
    const bool synonym = std::find(v.synonyms.begin(), v.synonyms.end(), name) != v.synonyms.end();
    if (v.name == name || synonym) return parse_for_verb(model, v, rest, options);
  }
  return failure(make_cli_error("IVVERB", name));
}

DclResult parse_dcl_argv(const cld::Model& model, std::string_view verb,
                         const std::vector<std::string>& args, const DclOptions& options) {
  return parse_dcl_verb(model, verb, join_argv(args), options);
}

}  // namespace sup::cli
