// The elements of a DCL line: parameter values, qualifiers, their values and keywords.
#include "cli/dcl_line_pass.hpp"
#include "cli/dcl_match.hpp"

namespace sup::cli::detail {
namespace {

constexpr int kMaxValueDepth = 8;  // nesting of keyword values: (A=(B=(...)))

template <typename T>
std::vector<std::pair<std::string, std::size_t>> names_of(const std::vector<T>& items) {
  std::vector<std::pair<std::string, std::size_t>> out;
  for (std::size_t i = 0; i < items.size(); ++i) out.emplace_back(items[i].name, i);
  return out;
}

bool is_value_mark(char c) {
  return c == '=' || c == ':';
}

}  // namespace

bool LinePass::parameter() {
  const auto& params = *syntax_.parameters;
  std::size_t index = 0;
  if (continue_list_) {
    index = last_->param;
  } else if (next_param_ < params.size()) {
    index = next_param_++;
  } else {
    const Word extra = scanner_.read_word({});
    return fail("MAXPARM", extra.typed.empty() ? std::string(1, scanner_.peek()) : extra.typed);
  }
  const auto& p = params[index];
  const std::size_t at = scanner_.pos();
  if (p.value.type == "$REST_OF_LINE" && !continue_list_) {
    std::string text = scanner_.rest_of_line();
    add_parameter_value(index, text, at, text);
    return true;
  }
  const Word word = scanner_.read_word(rules_for(p.value, false, true));
  if (word.typed.empty()) return fail("PARMDEL", std::string(1, scanner_.peek()));
  std::vector<std::string> out;
  if (!one_value(p.value, p.entity(), 0, word, out)) return false;
  for (auto& v : out) add_parameter_value(index, std::move(v), at, word.typed);
  return true;
}

void LinePass::add_parameter_value(std::size_t index, std::string text, std::size_t at,
                                   std::string typed) {
  const auto& p = (*syntax_.parameters)[index];
  const auto count = command.values(p.entity()).size();
  if (count == 0) {
    command.set_presence(p.entity(), Presence::Present);
    note(p.entity(), at, std::move(typed));
  }
  command.add_value(p.entity(), std::move(text), joiner_);
  last_ = Cursor{index, count};
  continue_list_ = false;
  joiner_ = ValueStatus::Comma;
}

bool LinePass::qualifier() {
  const std::size_t at = scanner_.pos();
  scanner_.advance();  // the slash
  const std::string name = scanner_.read_name();
  const auto& quals = *syntax_.qualifiers;
  const NameMatch m = match_name(name, names_of(quals), true);
  if (m.kind == NameMatch::Kind::NotFound) return unknown_qualifier("IVQUAL", name);
  if (m.kind == NameMatch::Kind::Ambiguous) return unknown_qualifier("ABKEYW", name);
  const auto& q = quals[m.target];
  if (m.negated && !q.negatable) return fail("NONEGATE", name);
  if (q.placement == cld::Placement::Local && !last_) return fail("IVQLOC", name);
  std::vector<std::string> vals;
  if (!qualifier_values(q, m.negated, name, vals)) return false;
  record_qualifier(q, m.negated, std::move(vals));
  note(q.entity(), at, name);
  if (!q.syntax.empty() && !m.negated && q.syntax != syntax_.name) switch_to = q.syntax;
  return true;
}

bool LinePass::unknown_qualifier(std::string_view ident, const std::string& name) {
  // Before the first parameter of a syntax that a keyword may still switch, the qualifier
  // may belong to the syntax to come: skip it (and its value) and decide at the end.
  if (last_ || !syntax_.may_switch) return fail(ident, name);
  if (!deferred_) deferred_ = make_cli_error(ident, name);
  if (!is_value_mark(scanner_.peek())) return true;
  scanner_.advance();
  cld::ValueSpec any;
  any.allowed = any.list = true;
  std::vector<std::string> ignored;
  return values(any, "", 0, ignored);
}

bool LinePass::qualifier_values(const cld::Qualifier& q, bool negated, const std::string& name,
                                std::vector<std::string>& vals) {
  if (is_value_mark(scanner_.peek())) {
    if (negated || !q.value.allowed) return fail("NOVALU", name);
    scanner_.advance();
    return values(q.value, q.entity(), 0, vals);
  }
  if (negated || !q.value.allowed) return true;
  vals = q.value.defaults;
  if (vals.empty() && q.value.required) return fail("VALREQ", name);
  return true;
}

void LinePass::record_qualifier(const cld::Qualifier& q, bool negated,
                                std::vector<std::string> vals) {
  // Positional qualifiers are global before the first parameter, local after one.
  const bool local =
      q.placement == cld::Placement::Local || (q.placement == cld::Placement::Positional && last_);
  if (local) {
    const auto& p = (*syntax_.parameters)[last_->param];
    command.set_local(q.entity(), p.entity(), last_->value, negated, std::move(vals));
    return;
  }
  command.set_presence(q.entity(), negated ? Presence::Negated : Presence::Present);
  for (auto& v : vals) command.add_value(q.entity(), std::move(v));
}

bool LinePass::values(const cld::ValueSpec& spec, const std::string& entity, int depth,
                      std::vector<std::string>& out) {
  if (depth > kMaxValueDepth) return fail("PARMDEL", "(");
  if (scanner_.peek() != '(') {
    return one_value(spec, entity, depth, scanner_.read_word(rules_for(spec, false, false)), out);
  }
  scanner_.advance();
  for (;;) {
    scanner_.skip_blanks();
    const Word word = scanner_.read_word(rules_for(spec, true, false));
    if (!one_value(spec, entity, depth, word, out)) return false;
    scanner_.skip_blanks();
    const char c = scanner_.peek();
    scanner_.advance();
    if (c == ')') break;
    if (c != ',') return fail("PARMDEL", c == '\0' ? std::string("(") : std::string(1, c));
  }
  if (out.size() > 1 && !spec.list) return fail("NOLIST", out[1]);
  return true;
}

bool LinePass::one_value(const cld::ValueSpec& spec, const std::string& entity, int depth,
                         const Word& word, std::vector<std::string>& out) {
  if (word.text.empty() && !word.quoted) return fail("VALREQ", entity);
  if (const cld::Type* type = model_.find_type(spec.type)) {
    return keyword(*type, entity, depth, word, out);
  }
  if (spec.type == "$NUMBER" && !parse_dcl_number(word.text)) return fail("NUMBER", word.typed);
  // $QUOTED_STRING keeps a quoted value's quotes, as typed.
  out.push_back(spec.type == "$QUOTED_STRING" && word.quoted ? word.typed : word.text);
  return true;
}

bool LinePass::keyword(const cld::Type& type, const std::string& entity, int depth,
                       const Word& word, std::vector<std::string>& out) {
  const NameMatch m = match_name(dcl_upper(word.text), names_of(type.keywords), true);
  if (m.kind == NameMatch::Kind::NotFound) return fail("IVKEYW", word.typed);
  if (m.kind == NameMatch::Kind::Ambiguous) return fail("ABKEYW", word.typed);
  const auto& k = type.keywords[m.target];
  if (m.negated && !k.negatable) return fail("NONEGATE", word.typed);
  const std::string path = entity + "." + k.entity();
  command.set_presence(path, m.negated ? Presence::Negated : Presence::Present);
  note(path, word.begin, word.typed);
  std::vector<std::string> kvals;
  if (is_value_mark(scanner_.peek())) {
    if (m.negated || !k.value.allowed) return fail("NOVALU", word.typed);
    scanner_.advance();
    if (!values(k.value, path, depth + 1, kvals)) return false;
  } else if (!m.negated && k.value.allowed) {
    kvals = k.value.defaults;
    if (kvals.empty() && k.value.required) return fail("VALREQ", word.typed);
  }
  for (auto& v : kvals) command.add_value(path, std::move(v));
  out.push_back((m.negated ? "NO" : "") + k.name);
  if (!k.syntax.empty() && !m.negated && k.syntax != syntax_.name) switch_to = k.syntax;
  return true;
}

}  // namespace sup::cli::detail
