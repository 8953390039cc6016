// The verb's command on OpenVMS (client_output.hpp): DCL parsed the line against the
// verb's command table (SET COMMAND of cld/SUPERVISOR.CLD) before it ran the image; the
// image reads that parse with CLI$PRESENT and CLI$GET_VALUE into the same ParsedCommand
// the portable DCL parser fills, and cli::request_from_dcl makes the request from it, as
// for a line typed on POSIX.  What to ask for comes from the image's own copy of the CLD
// (cli::supervisor_cld(), embedded at build time): the keyword of P1 that is present
// chooses the syntax, and every parameter, qualifier and keyword path of that syntax is
// read.  So an action or qualifier added to the CLD is read without a change here; what
// it means is request_from_dcl's business.
#include <cstdio>
#include <string>
#include <vector>

#include "cli/cld_parser.hpp"
#include "cli/dcl_parser.hpp"
#include "cli/dcl_syntax.hpp"
#include "cli/parsed_command.hpp"
#include "cli/request_parse.hpp"
#include "platform/vms/vms_cli.hpp"
#include "platform/vms/vms_putmsg.hpp"
#include "supervisor/client_exec.hpp"
#include "supervisor/client_output.hpp"

namespace sup::client {
namespace {

namespace cld = cli::cld;
using cli::EntityKind;
using cli::Presence;

constexpr int kMaxKeywordDepth = 3;  // keyword paths read: ENTITY.KEY.KEY.KEY, as the parser

Presence presence_of(vms::CliPresence p) {
  switch (p) {
    case vms::CliPresence::Present:
      return Presence::Present;
    case vms::CliPresence::Negated:
      return Presence::Negated;
    case vms::CliPresence::LocalPresent:
      return Presence::LocalPresent;
    case vms::CliPresence::LocalNegated:
      return Presence::LocalNegated;
    case vms::CliPresence::Defaulted:
      return Presence::Defaulted;
    case vms::CliPresence::Absent:
      break;
  }
  return Presence::Absent;
}

// Reads one parse into `command`.  The first CLI$ call that fails stops it: `failed` is
// its status and `entity` what it asked for.
class Reader {
 public:
  explicit Reader(const cld::Model& model) : model_(model) {}

  cli::ParsedCommand command;
  std::uint32_t failed = 0;
  std::string entity;

  // CLI$PRESENT of `name`; nullopt on failure.
  std::optional<Presence> present(const std::string& name) {
    std::uint32_t status = 0;
    std::optional<vms::CliPresence> p = vms::cli_present(name, status);
    if (!p) {
      fail(name, status);
      return std::nullopt;
    }
    return presence_of(*p);
  }

  // Every value CLI$GET_VALUE gives for `name` (a parameter: its local qualifiers after
  // each value too), into `command`.
  bool values(const std::string& name, const std::vector<cld::Qualifier>& locals, bool parameter) {
    cli::ValueStatus joined = cli::ValueStatus::Last;
    for (std::size_t index = 0;; ++index) {
      std::string value;
      vms::CliMore more = vms::CliMore::Absent;
      const std::uint32_t status = vms::cli_get_value(name, value, more);
      if (!(status & 1u)) return fail(name, status);
      if (more == vms::CliMore::Absent) return true;
      command.add_value(name, value, joined);
      if (parameter && !local_qualifiers(name, index, locals)) return false;
      if (more == vms::CliMore::Last) return true;
      joined = more == vms::CliMore::Comma ? cli::ValueStatus::Comma : cli::ValueStatus::Concat;
    }
  }

  // The keyword paths below `prefix` of keyword type `type`, each CLI$PRESENT.
  bool keywords(const std::string& prefix, const std::string& type, int depth) {
    const cld::Type* t = model_.find_type(type);
    if (t == nullptr || depth >= kMaxKeywordDepth) return true;
    for (const cld::Keyword& k : t->keywords) {
      const std::string path = prefix + "." + k.entity();
      command.declare(path, EntityKind::Keyword);
      const std::optional<Presence> p = present(path);
      if (!p) return false;
      command.set_presence(path, *p);
      if (!keywords(path, k.value.type, depth + 1)) return false;
    }
    return true;
  }

 private:
  bool fail(const std::string& name, std::uint32_t status) {
    failed = status;
    entity = name;
    return false;
  }

  // After value `index` of parameter `param`: the qualifiers given locally with it.
  bool local_qualifiers(const std::string& param, std::size_t index,
                        const std::vector<cld::Qualifier>& locals) {
    for (const cld::Qualifier& q : locals) {
      const std::optional<Presence> p = present(q.entity());
      if (!p) return false;
      if (*p != Presence::LocalPresent && *p != Presence::LocalNegated) continue;
      std::vector<std::string> given;
      for (;;) {
        std::string value;
        vms::CliMore more = vms::CliMore::Absent;
        const std::uint32_t status = vms::cli_get_value(q.entity(), value, more);
        if (!(status & 1u)) return fail(q.entity(), status);
        if (more == vms::CliMore::Absent) break;
        given.push_back(value);
        if (more == vms::CliMore::Last) break;
      }
      command.set_local(q.entity(), param, index, *p == Presence::LocalNegated, given);
    }
    return true;
  }

  const cld::Model& model_;
};

// The keyword of the verb's first parameter that DCL found, and the syntax it switches
// to (nullptr: none).  False when a CLI$ call failed.
bool find_action(Reader& r, const cld::Model& model, const cld::Definition& verb,
                 std::string& keyword, const cld::Definition*& syntax) {
  const cld::Parameter& first = verb.parameters.front();
  const cld::Type* type = model.find_type(first.value.type);
  if (type == nullptr) return true;
  for (const cld::Keyword& k : type->keywords) {
    const std::optional<Presence> p = r.present(first.entity() + "." + k.entity());
    if (!p) return false;
    if (!cli::is_on(*p)) continue;
    keyword = k.name;
    syntax = k.syntax.empty() ? nullptr : model.find_syntax(k.syntax);
    return true;
  }
  return true;
}

// Reads the syntax in effect: qualifiers first (their global answers, before any
// parameter value is fetched), then the parameters and their values.
bool read_syntax(Reader& r, const cli::detail::EffectiveSyntax& s) {
  std::vector<cld::Qualifier> locals;
  for (const cld::Qualifier& q : *s.qualifiers) {
    r.command.declare(q.entity(), EntityKind::Qualifier, q.is_default);
    const std::optional<Presence> p = r.present(q.entity());
    if (!p) return false;
    r.command.set_presence(q.entity(), *p);
    if (q.placement != cld::Placement::Global) locals.push_back(q);
    if (q.value.allowed && cli::is_on(*p) && !r.values(q.entity(), {}, false)) return false;
    if (!r.keywords(q.entity(), q.value.type, 0)) return false;
  }
  for (const cld::Parameter& p : *s.parameters) {
    r.command.declare(p.entity(), EntityKind::Parameter);
    const std::optional<Presence> given = r.present(p.entity());
    if (!given) return false;
    r.command.set_presence(p.entity(), *given);
    if (*given != Presence::Absent && !r.values(p.entity(), locals, true)) return false;
    if (!r.keywords(p.entity(), p.value.type, 0)) return false;
  }
  return true;
}

// A failure shown through $PUTMSG; its condition with kMessageShown.
VerbCommand failure(std::uint32_t condition, const std::string& text) {
  report(condition, text);
  VerbCommand v;
  v.status = condition | kMessageShown;
  return v;
}

}  // namespace

std::optional<VerbCommand> read_verb_command() {
  const cld::Model& model = cli::supervisor_cld();
  if (model.verbs.empty() || model.verbs.front().parameters.empty())
    return failure(SUP__BUG, msg::text(SUP__BUG, {std::string("the embedded CLD has no verb")}));
  const cld::Definition& verb = model.verbs.front();
  Reader r(model);
  // The first question tells whether a CLI parsed a command for this image at all.
  const std::string first = verb.parameters.front().entity();
  std::uint32_t status = 0;
  if (!vms::cli_present(first, status) && vms::no_cli(status)) return std::nullopt;
  std::string keyword;
  const cld::Definition* syntax = nullptr;
  bool read = find_action(r, model, verb, keyword, syntax);
  const cli::detail::EffectiveSyntax s = cli::detail::effective_syntax(model, verb, syntax);
  read = read && read_syntax(r, s);
  if (!read) {
    // The command table DCL used is not the image's CLD (an older SET COMMAND), or a
    // service failed: say which entity, then why.
    char hex[16];
    std::snprintf(hex, sizeof hex, "%08X", r.failed);
    return failure(SUP__USAGE, "the command table of verb " + verb.name +
                                   " does not match this image (entity " + r.entity +
                                   ", status %X" + hex +
                                   "): SET COMMAND SUPERVISOR_DIR:SUPERVISOR.CLD");
  }
  r.command.set_verb(verb.name);
  r.command.set_syntax_name(s.name);
  r.command.set_image(s.image);
  r.command.set_routine(s.routine);
  r.command.set_action(keyword);
  VerbCommand v;
  const msg::Condition c = cli::request_from_dcl(r.command, v.request);
  if (!c.ok()) return failure(c.value, c.text());
  if (cli::names_missing(v.request)) {
    // As DCL for a missing REQUIRED parameter (the .CLD cannot require one of P2,
    // /PROGRAM and /ALL); the condition is the portable client's, SUP__USAGE.
    report(vms::missing_parameters_status(), {});
    v.status = SUP__USAGE | kMessageShown;
  }
  return v;
}

}  // namespace sup::client
