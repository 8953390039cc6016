// Builds the CLD model from the grammar's semantic actions.
#include "cli/cld_builder.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace sup::cli::cld::detail {

std::string to_upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

int Builder::line_of(const char* where) const {
  auto offset = static_cast<std::size_t>(where - source_.data());
  offset = std::min(offset, source_.size());
  return 1 + static_cast<int>(std::count(source_.begin(), source_.begin() + offset, '\n'));
}

int Builder::column_of(const char* where) const {
  auto offset = static_cast<std::size_t>(where - source_.data());
  offset = std::min(offset, source_.size());
  auto newline = source_.rfind('\n', offset == 0 ? 0 : offset - 1);
  if (offset == 0 || newline == std::string_view::npos) return static_cast<int>(offset) + 1;
  return static_cast<int>(offset - newline);
}

void Builder::fail(int line, std::string message) {
  if (!error_) error_ = BuildError{line, std::move(message)};
}

Definition* Builder::current_definition() {
  if (!in_definition_) return nullptr;
  auto& list = def_kind_ == Definition::Kind::Verb ? model_.verbs : model_.syntaxes;
  return &list.back();
}

bool Builder::need_definition(int line, std::string_view clause) {
  if (in_definition_) return true;
  fail(line, std::string(clause) + " is allowed only in DEFINE VERB or DEFINE SYNTAX");
  return false;
}

bool Builder::need_entity(int line, std::string_view clause, bool parameter, bool qualifier,
                          bool keyword) {
  bool ok = (entity_ == EntityKind::Parameter && parameter) ||
            (entity_ == EntityKind::Qualifier && qualifier) ||
            (entity_ == EntityKind::Keyword && keyword);
  if (ok) return true;
  std::string where = parameter ? "PARAMETER" : "";
  if (qualifier) where += where.empty() ? "QUALIFIER" : ", QUALIFIER";
  if (keyword) where += where.empty() ? "KEYWORD" : " or KEYWORD";
  fail(line, std::string(clause) + " is allowed only on " + where);
  return false;
}

void Builder::set_module(const std::string& name, int line) {
  if (!model_.module.empty()) fail(line, "MODULE given twice");
  model_.module = to_upper(name);
}

void Builder::set_ident(const std::string& text) {
  model_.ident = text;
}

void Builder::begin_definition(Definition::Kind kind, const std::string& name, int line) {
  Definition def;
  def.kind = kind;
  def.name = to_upper(name);
  def.line = line;
  (kind == Definition::Kind::Verb ? model_.verbs : model_.syntaxes).push_back(std::move(def));
  def_kind_ = kind;
  in_definition_ = true;
  in_type_ = false;
  entity_ = EntityKind::None;
}

void Builder::begin_type(const std::string& name, int line) {
  model_.types.push_back(Type{to_upper(name), {}, line});
  in_definition_ = false;
  in_type_ = true;
  entity_ = EntityKind::None;
}

void Builder::set_image(const std::string& image, int line) {
  if (need_definition(line, "IMAGE")) current_definition()->image = image;
  entity_ = EntityKind::None;
}

void Builder::set_routine(const std::string& routine, int line) {
  if (need_definition(line, "ROUTINE")) current_definition()->routine = to_upper(routine);
  entity_ = EntityKind::None;
}

void Builder::set_cli_routine(const std::string& routine, int line) {
  if (need_definition(line, "CLIROUTINE")) current_definition()->cli_routine = to_upper(routine);
  entity_ = EntityKind::None;
}

void Builder::add_synonym(const std::string& name, int line) {
  if (!need_definition(line, "SYNONYM")) return;
  entity_ = EntityKind::None;
  // CDU accepts SYNONYM in DEFINE SYNTAX (real tables carry it over from the verb they
  // were copied from) and it has no effect there: a syntax is never typed as a verb.
  if (def_kind_ != Definition::Kind::Verb) return;
  current_definition()->synonyms.push_back(to_upper(name));
}

void Builder::set_no_parameters(int line) {
  if (need_definition(line, "NOPARAMETERS")) current_definition()->no_parameters = true;
  entity_ = EntityKind::None;
}

void Builder::set_no_qualifiers(int line) {
  if (need_definition(line, "NOQUALIFIERS")) current_definition()->no_qualifiers = true;
  entity_ = EntityKind::None;
}

void Builder::set_no_disallows(int line) {
  if (need_definition(line, "NODISALLOWS")) current_definition()->no_disallows = true;
  entity_ = EntityKind::None;
}

void Builder::begin_entity(EntityKind kind, const std::string& name, int line) {
  entity_ = EntityKind::None;
  if (kind == EntityKind::Keyword) {
    if (!in_type_) return fail(line, "KEYWORD is allowed only in DEFINE TYPE");
    Keyword k;
    k.name = to_upper(name);
    k.line = line;
    model_.types.back().keywords.push_back(std::move(k));
  } else if (!need_definition(line, kind == EntityKind::Parameter ? "PARAMETER" : "QUALIFIER")) {
    return;
  } else if (kind == EntityKind::Parameter) {
    Parameter p;
    p.name = to_upper(name);
    p.line = line;
    p.value.allowed = true;  // a parameter always takes a value
    current_definition()->parameters.push_back(std::move(p));
  } else {
    Qualifier q;
    q.name = to_upper(name);
    q.line = line;
    current_definition()->qualifiers.push_back(std::move(q));
  }
  entity_ = kind;
}

ValueSpec* Builder::current_value() {
  switch (entity_) {
    case EntityKind::Parameter:
      return &current_definition()->parameters.back().value;
    case EntityKind::Qualifier:
      return &current_definition()->qualifiers.back().value;
    case EntityKind::Keyword:
      return &model_.types.back().keywords.back().value;
    case EntityKind::None:
      break;
  }
  return nullptr;
}

void Builder::set_label(const std::string& label, int line) {
  if (!need_entity(line, "LABEL", true, true, true)) return;
  auto upper = to_upper(label);
  if (entity_ == EntityKind::Parameter) current_definition()->parameters.back().label = upper;
  if (entity_ == EntityKind::Qualifier) current_definition()->qualifiers.back().label = upper;
  if (entity_ == EntityKind::Keyword) model_.types.back().keywords.back().label = upper;
}

void Builder::set_prompt(const std::string& prompt, int line) {
  if (need_entity(line, "PROMPT", true, false, false)) {
    current_definition()->parameters.back().prompt = prompt;
  }
}

void Builder::set_negatable(bool negatable, int line) {
  if (!need_entity(line, negatable ? "NEGATABLE" : "NONNEGATABLE", false, true, true)) return;
  if (entity_ == EntityKind::Qualifier)
    current_definition()->qualifiers.back().negatable = negatable;
  if (entity_ == EntityKind::Keyword) model_.types.back().keywords.back().negatable = negatable;
}

void Builder::set_default(int line) {
  if (!need_entity(line, "DEFAULT", false, true, true)) return;
  if (entity_ == EntityKind::Qualifier) current_definition()->qualifiers.back().is_default = true;
  if (entity_ == EntityKind::Keyword) model_.types.back().keywords.back().is_default = true;
}

void Builder::set_batch(int line) {
  if (need_entity(line, "BATCH", false, true, false)) {
    current_definition()->qualifiers.back().batch = true;
  }
}

void Builder::set_placement(Placement placement, int line) {
  if (need_entity(line, "PLACEMENT", false, true, false)) {
    current_definition()->qualifiers.back().placement = placement;
  }
}

void Builder::set_syntax(const std::string& syntax, int line) {
  if (!need_entity(line, "SYNTAX", false, true, true)) return;
  auto upper = to_upper(syntax);
  if (entity_ == EntityKind::Qualifier) {
    current_definition()->qualifiers.back().syntax = upper;
    current_definition()->qualifiers.back().syntax_line = line;
  } else {
    model_.types.back().keywords.back().syntax = upper;
    model_.types.back().keywords.back().syntax_line = line;
  }
}

void Builder::value_on() {
  if (auto* v = current_value()) v->allowed = true;
}

void Builder::value_required() {
  if (auto* v = current_value()) v->required = true;
}

void Builder::value_list() {
  if (auto* v = current_value()) v->list = true;
}

void Builder::value_concatenate(bool on) {
  if (auto* v = current_value()) v->concatenate = on;
}

void Builder::value_default(const std::string& text) {
  if (auto* v = current_value()) v->defaults.push_back(text);
}

void Builder::value_type(const std::string& type, int line) {
  if (auto* v = current_value()) {
    v->type = to_upper(type);
    v->type_line = line;
  }
}

void Builder::push_entity(const std::string& path, int line) {
  Expr e;
  e.entity = to_upper(path);
  e.line = line;
  stack_.push_back(std::move(e));
}

void Builder::apply_unary(Expr::Op op, int line) {
  if (stack_.empty()) return;  // cannot happen: the grammar reduced an operand first
  Expr e;
  e.op = op;
  e.line = line;
  e.operands.push_back(std::move(stack_.back()));
  stack_.back() = std::move(e);
}

void Builder::apply_binary(Expr::Op op, int line) {
  if (stack_.size() < 2) return;  // cannot happen: the grammar reduced both operands
  Expr e;
  e.op = op;
  e.line = line;
  e.operands.push_back(std::move(stack_[stack_.size() - 2]));
  e.operands.push_back(std::move(stack_.back()));
  stack_.pop_back();
  stack_.back() = std::move(e);
}

void Builder::begin_any2() {
  any2_marks_.push_back(stack_.size());
}

void Builder::end_any2(int line) {
  if (any2_marks_.empty()) return;
  auto mark = std::min(any2_marks_.back(), stack_.size());
  any2_marks_.pop_back();
  Expr e;
  e.op = Expr::Op::Any2;
  e.line = line;
  auto first = stack_.begin() + static_cast<std::ptrdiff_t>(mark);
  std::move(first, stack_.end(), std::back_inserter(e.operands));
  stack_.erase(first, stack_.end());
  stack_.push_back(std::move(e));
}

void Builder::finish_disallow(int line) {
  entity_ = EntityKind::None;
  if (stack_.empty()) return;
  Expr e = std::move(stack_.back());
  stack_.clear();
  any2_marks_.clear();
  if (need_definition(line, "DISALLOW")) current_definition()->disallows.push_back(std::move(e));
}

}  // namespace sup::cli::cld::detail
