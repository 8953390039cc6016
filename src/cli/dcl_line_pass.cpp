// One pass of the DCL parser over a line: parameters, qualifiers, values, keywords.
#include "cli/dcl_line_pass.hpp"

#include "cli/dcl_match.hpp"

namespace sup::cli::detail {
namespace {

constexpr int kMaxKeywordDepth = 3;  // keyword paths declared: ENTITY.KEY.KEY.KEY

bool is_file_type(const std::string& type) {
  return type == "$FILE" || type == "$INFILE" || type == "$OUTFILE" || type == "$OUTLOG";
}

}  // namespace

LinePass::LinePass(const cld::Model& model, EffectiveSyntax syntax, const DclOptions& options,
                   std::string_view line)
    : model_(model), syntax_(std::move(syntax)), options_(options), scanner_(line) {}

bool LinePass::fail(std::string_view ident, std::string word) {
  error = make_cli_error(ident, std::move(word));
  return false;
}

void LinePass::note(const std::string& entity, std::size_t at, std::string typed) {
  seen[entity] = {at, std::move(typed)};
}

void LinePass::declare_keywords(const std::string& prefix, const std::string& type, int depth) {
  const cld::Type* t = model_.find_type(type);
  if (!t || depth >= kMaxKeywordDepth) return;
  for (const auto& k : t->keywords) {
    const std::string path = prefix + "." + k.entity();
    command.declare(path, EntityKind::Keyword);
    declare_keywords(path, k.value.type, depth + 1);
  }
}

void LinePass::declare_all() {
  for (const auto& p : *syntax_.parameters) {
    command.declare(p.entity(), EntityKind::Parameter);
    declare_keywords(p.entity(), p.value.type, 0);
  }
  for (const auto& q : *syntax_.qualifiers) {
    command.declare(q.entity(), EntityKind::Qualifier, q.is_default);
    declare_keywords(q.entity(), q.value.type, 0);
  }
}

void LinePass::run() {
  declare_all();
  scanner_.skip_blanks();
  while (!scanner_.at_end()) {
    if (!step() || !switch_to.empty()) return;
    scanner_.skip_blanks();
  }
  stop = scanner_.pos();
  if (deferred_) {
    error = deferred_;
  } else if (continue_list_) {
    fail("VALREQ", "");  // "START A," : the list was promised one more value
  }
}

bool LinePass::step() {
  const char c = scanner_.peek();
  if (c == '/') return slash_is_path() ? parameter() : qualifier();
  if (c == ',') return separator(ValueStatus::Comma);
  if (c == '+' && last_) {
    const auto& p = (*syntax_.parameters)[last_->param];
    if (p.value.list && p.value.concatenate) return separator(ValueStatus::Concat);
  }
  if (c == ')') return fail("PARMDEL", ")");
  return parameter();
}

bool LinePass::slash_is_path() const {
  // On POSIX a $FILE parameter may be an absolute path: "/tmp/x" where that parameter is
  // due and TMP names no qualifier.  (Quote a path that starts like a qualifier.)
  if (!options_.posix_file_values) return false;
  const auto& params = *syntax_.parameters;
  const std::size_t due = continue_list_ ? last_->param : next_param_;
  if (due >= params.size() || !is_file_type(params[due].value.type)) return false;
  std::vector<std::pair<std::string, std::size_t>> names;
  for (const auto& q : *syntax_.qualifiers) names.emplace_back(q.name, names.size());
  const auto m = match_name(scanner_.peek_name_after(), names, true);
  return m.kind == NameMatch::Kind::NotFound;
}

bool LinePass::separator(ValueStatus joiner) {
  const char c = scanner_.peek();
  if (!last_ || continue_list_) return fail("PARMDEL", std::string(1, c));
  const auto& p = (*syntax_.parameters)[last_->param];
  scanner_.advance();
  if (!p.value.list) {
    // DCL points at the value the comma tried to add.
    scanner_.skip_blanks();
    const Word next = scanner_.read_word({});
    return fail("NOLIST", next.typed.empty() ? std::string(1, c) : next.typed);
  }
  continue_list_ = true;
  joiner_ = joiner;
  return true;
}

WordRules LinePass::rules_for(const cld::ValueSpec& spec, bool in_parens, bool parameter) const {
  WordRules rules;
  rules.keep_case = options_.posix_file_values && is_file_type(spec.type);
  rules.in_parens = in_parens;
  rules.stop_at_equals = model_.find_type(spec.type) != nullptr;
  rules.stop_at_plus = parameter && spec.list && spec.concatenate && !rules.keep_case;
  return rules;
}

}  // namespace sup::cli::detail
