// Syntax switching and DISALLOW evaluation.
#include "cli/dcl_syntax.hpp"

#include <algorithm>

namespace sup::cli::detail {
namespace {

const std::vector<cld::Parameter> kNoParameters;
const std::vector<cld::Qualifier> kNoQualifiers;
const std::vector<cld::Expr> kNoDisallows;

// The value spec and entity key of the head of a path.
const cld::ValueSpec* head_entity(const EffectiveSyntax& s, const std::string& head,
                                  std::string& key) {
  for (const auto& p : *s.parameters) {
    if (p.name == head || p.label == head) {
      key = p.entity();
      return &p.value;
    }
  }
  for (const auto& q : *s.qualifiers) {
    if (q.name == head || q.label == head) {
      key = q.entity();
      return &q.value;
    }
  }
  return nullptr;
}

bool truth(const cld::Model& model, const EffectiveSyntax& s, const ParsedCommand& cmd,
           const cld::Expr& e) {
  using Op = cld::Expr::Op;
  switch (e.op) {
    case Op::Entity: {
      const std::string key = s.entity_of(model, e.entity);
      return !key.empty() && (is_on(cmd.present(key)) || cmd.locally(key, false));
    }
    case Op::Neg: {
      const auto& leaf = e.operands.at(0);
      const std::string key = leaf.op == Op::Entity ? s.entity_of(model, leaf.entity) : "";
      return !key.empty() && (is_negated(cmd.present(key)) || cmd.locally(key, true));
    }
    case Op::Not:
      return !truth(model, s, cmd, e.operands.at(0));
    case Op::And:
      return truth(model, s, cmd, e.operands.at(0)) && truth(model, s, cmd, e.operands.at(1));
    case Op::Or:
      return truth(model, s, cmd, e.operands.at(0)) || truth(model, s, cmd, e.operands.at(1));
    case Op::Any2: {
      int count = 0;
      for (const auto& operand : e.operands) count += truth(model, s, cmd, operand) ? 1 : 0;
      return count >= 2;
    }
  }
  return false;
}

}  // namespace

std::string EffectiveSyntax::entity_of(const cld::Model& model, std::string_view path) const {
  const std::string text(path);
  const auto dot = text.find('.');
  std::string key;
  const cld::ValueSpec* value = head_entity(*this, text.substr(0, dot), key);
  if (!value) return "";
  if (dot == std::string::npos) return key;
  // Keyword paths: each further component is a keyword of the previous one's type.
  std::size_t start = dot + 1;
  while (value && start <= text.size()) {
    const auto end = std::min(text.find('.', start), text.size());
    const cld::Type* type = model.find_type(value->type);
    if (!type) return "";
    const std::string keyword = text.substr(start, end - start);
    value = nullptr;
    for (const auto& k : type->keywords) {
      if (k.name == keyword || k.label == keyword) {
        key += "." + k.entity();
        value = &k.value;
      }
    }
    if (!value) return "";
    if (end == text.size()) return key;
    start = end + 1;
  }
  return "";
}

namespace {

// Does choosing a keyword of the first parameter switch syntax?
bool first_parameter_switches(const cld::Model& model, const std::vector<cld::Parameter>& params) {
  const cld::Type* type = params.empty() ? nullptr : model.find_type(params[0].value.type);
  if (!type) return false;
  return std::any_of(type->keywords.begin(), type->keywords.end(),
                     [](const cld::Keyword& k) { return !k.syntax.empty(); });
}

}  // namespace

EffectiveSyntax effective_syntax(const cld::Model& model, const cld::Definition& verb,
                                 const cld::Definition* syntax) {
  EffectiveSyntax s;
  s.name = syntax ? syntax->name : verb.name;
  const cld::Definition& d = syntax ? *syntax : verb;
  auto own_params = !d.parameters.empty() || d.no_parameters;
  auto own_quals = !d.qualifiers.empty() || d.no_qualifiers;
  auto own_disallows = !d.disallows.empty() || d.no_disallows;
  s.parameters = own_params ? (d.no_parameters ? &kNoParameters : &d.parameters) : &verb.parameters;
  s.qualifiers = own_quals ? (d.no_qualifiers ? &kNoQualifiers : &d.qualifiers) : &verb.qualifiers;
  s.disallows = own_disallows ? (d.no_disallows ? &kNoDisallows : &d.disallows) : &verb.disallows;
  const bool own_image = !d.image.empty() || !d.routine.empty();
  s.image = own_image ? d.image : verb.image;
  s.routine = own_image ? d.routine : verb.routine;
  s.may_switch = syntax == nullptr && first_parameter_switches(model, *s.parameters);
  return s;
}

const cld::Expr* broken_disallow(const cld::Model& model, const EffectiveSyntax& syntax,
                                 const ParsedCommand& command) {
  for (const auto& e : *syntax.disallows) {
    if (truth(model, syntax, command, e)) return &e;
  }
  return nullptr;
}

void expr_entities(const cld::Model& model, const EffectiveSyntax& syntax, const cld::Expr& e,
                   std::vector<std::string>& out) {
  if (e.op == cld::Expr::Op::Entity) {
    const std::string key = syntax.entity_of(model, e.entity);
    if (!key.empty()) out.push_back(key);
  }
  for (const auto& operand : e.operands) expr_entities(model, syntax, operand, out);
}

}  // namespace sup::cli::detail
