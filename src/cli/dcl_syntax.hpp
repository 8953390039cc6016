// Internal to the DCL parser: the definition a command is parsed against (a verb, or the
// syntax a keyword switched to) and the DISALLOW rules over a parsed command.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cli/cld_model.hpp"
#include "cli/parsed_command.hpp"

namespace sup::cli::detail {

// A verb's definition after a syntax switch.  A syntax replaces the verb's parameters,
// qualifiers, disallows and image/routine, each only when it declares some (or says
// NOPARAMETERS, NOQUALIFIERS, NODISALLOWS); otherwise the verb's are inherited.
struct EffectiveSyntax {
  std::string name;  // the syntax's name, or the verb's
  const std::vector<cld::Parameter>* parameters = nullptr;
  const std::vector<cld::Qualifier>* qualifiers = nullptr;
  const std::vector<cld::Expr>* disallows = nullptr;
  std::string image, routine;
  bool may_switch = false;  // the first parameter's keywords have SYNTAX= (verb only)

  // The entity key (label, else name) of a name, label or keyword path ("ACTION.START");
  // "" when the syntax has no such entity.
  std::string entity_of(const cld::Model& model, std::string_view path) const;
};

// The definition in effect for `verb` switched to `syntax` (nullptr: no switch).
EffectiveSyntax effective_syntax(const cld::Model& model, const cld::Definition& verb,
                                 const cld::Definition* syntax);

// The first DISALLOW expression the command breaks, or nullptr.  An entity is true when
// present, present locally, or present by default; NEG x when x is negated.
const cld::Expr* broken_disallow(const cld::Model& model, const EffectiveSyntax& syntax,
                                 const ParsedCommand& command);

// The entity keys an expression names (its leaves), for pointing at the culprit.
void expr_entities(const cld::Model& model, const EffectiveSyntax& syntax, const cld::Expr& e,
                   std::vector<std::string>& out);

}  // namespace sup::cli::detail
