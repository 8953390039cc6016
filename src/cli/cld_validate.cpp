// Semantic checks of a CLD model, each error naming the line of the offending clause.
#include "cli/cld_validate.hpp"

#include <cctype>
#include <set>
#include <string>
#include <vector>

namespace sup::cli::cld::detail {
namespace {

constexpr int kMaxNesting = 64;

using MaybeError = std::optional<BuildError>;

MaybeError check_type_ref(const Model& model, const ValueSpec& value, int line) {
  if (value.type.empty()) return std::nullopt;
  const int at = value.type_line ? value.type_line : line;
  if (value.type[0] == '$') {
    if (is_builtin_type(value.type)) return std::nullopt;
    return BuildError{at, "unknown built-in type " + value.type};
  }
  if (model.find_type(value.type)) return std::nullopt;
  return BuildError{at, "TYPE=" + value.type + " names no DEFINE TYPE"};
}

MaybeError check_syntax_ref(const Model& model, const std::string& syntax, int line) {
  if (syntax.empty() || model.find_syntax(syntax)) return std::nullopt;
  return BuildError{line, "SYNTAX=" + syntax + " names no DEFINE SYNTAX"};
}

// The keyword of `value`'s type named (or labelled) `name`; nullptr when none.
const Keyword* keyword_of(const Model& model, const ValueSpec& value, std::string_view name) {
  const Type* type = model.find_type(value.type);
  if (!type) return nullptr;
  for (const auto& k : type->keywords) {
    if (k.name == name || k.label == name) return &k;
  }
  return nullptr;
}

// Is some keyword reachable from `value` (through keywords' own VALUE(TYPE=...)) named
// or labelled `name`?  `seen` stops types that refer to themselves.
bool reaches_keyword(const Model& model, const ValueSpec& value, std::string_view name,
                     std::set<std::string>& seen) {
  const Type* type = model.find_type(value.type);
  if (!type || !seen.insert(type->name).second) return false;
  for (const auto& k : type->keywords) {
    if (k.name == name || k.label == name) return true;
    if (reaches_keyword(model, k.value, name, seen)) return true;
  }
  return false;
}

// Is `path` an entity of the definition?  A path is NAME{.KEYWORD}: a parameter or
// qualifier (by name or label), then keywords of its value's type, each of the one
// before (LEVEL.0.DEFLATE).  A single name may also be a keyword's name or label on its
// own, as CDU accepts (DISALLOW STORE for the keyword STORE of a qualifier's type).
bool entity_exists(const Model& model, const Definition& def, const std::string& path) {
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    const auto dot = path.find('.', start);
    parts.push_back(path.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  std::vector<const ValueSpec*> heads;
  if (const auto* p = def.find_parameter(parts[0])) heads.push_back(&p->value);
  for (const auto& q : def.qualifiers) {
    if (q.name == parts[0] || q.label == parts[0]) heads.push_back(&q.value);
  }
  for (const ValueSpec* value : heads) {
    bool found = true;
    for (std::size_t i = 1; i < parts.size() && found; ++i) {
      const Keyword* k = keyword_of(model, *value, parts[i]);
      if (k) value = &k->value;
      found = k != nullptr;
    }
    if (found) return true;
  }
  if (parts.size() != 1) return false;
  std::set<std::string> seen;
  for (const auto& p : def.parameters) {
    if (reaches_keyword(model, p.value, parts[0], seen)) return true;
  }
  for (const auto& q : def.qualifiers) {
    if (reaches_keyword(model, q.value, parts[0], seen)) return true;
  }
  return false;
}

MaybeError check_expr(const Model& model, const Definition& def, const Expr& e) {
  if (e.op == Expr::Op::Entity) {
    if (entity_exists(model, def, e.entity)) return std::nullopt;
    return BuildError{e.line,
                      "DISALLOW names " + e.entity + ", which " + def.name + " does not define"};
  }
  for (const auto& operand : e.operands) {
    if (auto err = check_expr(model, def, operand)) return err;
  }
  return std::nullopt;
}

MaybeError check_parameters(const Model& model, const Definition& def) {
  for (std::size_t i = 0; i < def.parameters.size(); ++i) {
    const auto& p = def.parameters[i];
    const std::string expected = "P" + std::to_string(i + 1);
    if (p.name != expected || i >= 8) {
      return BuildError{p.line, "parameter " + p.name + " must be named " +
                                    (i >= 8 ? std::string("P1 to P8") : expected)};
    }
    if (auto err = check_type_ref(model, p.value, p.line)) return err;
  }
  return std::nullopt;
}

MaybeError check_qualifiers(const Model& model, const Definition& def) {
  std::set<std::string> seen;
  for (const auto& q : def.qualifiers) {
    if (!seen.insert(q.name).second) {
      return BuildError{q.line, "qualifier " + q.name + " defined twice in " + def.name};
    }
    if (auto err = check_type_ref(model, q.value, q.line)) return err;
    if (auto err = check_syntax_ref(model, q.syntax, q.syntax_line)) return err;
  }
  return std::nullopt;
}

// Labels and names share one name space per definition (CLI$PRESENT looks them up).
MaybeError check_labels(const Definition& def) {
  std::set<std::string> seen;
  auto add = [&](const std::string& entity, int line) -> MaybeError {
    if (seen.insert(entity).second) return std::nullopt;
    return BuildError{line, "entity " + entity + " defined twice in " + def.name};
  };
  for (const auto& p : def.parameters) {
    if (auto err = add(p.entity(), p.line)) return err;
  }
  for (const auto& q : def.qualifiers) {
    if (q.label.empty()) continue;  // names were checked with the qualifiers
    if (auto err = add(q.label, q.line)) return err;
  }
  return std::nullopt;
}

// A syntax that declares no parameters or no qualifiers inherits them from whichever
// verb switches to it, so its DISALLOWs can only be checked when it declares both.
bool disallows_checkable(const Definition& def) {
  if (def.kind == Definition::Kind::Verb) return true;
  return (!def.parameters.empty() || def.no_parameters) &&
         (!def.qualifiers.empty() || def.no_qualifiers);
}

MaybeError check_definition(const Model& model, const Definition& def) {
  if (!def.image.empty() && !def.routine.empty()) {
    return BuildError{def.line, def.name + " has both IMAGE and ROUTINE"};
  }
  if (auto err = check_parameters(model, def)) return err;
  if (auto err = check_qualifiers(model, def)) return err;
  if (auto err = check_labels(def)) return err;
  if (!disallows_checkable(def)) return std::nullopt;
  for (const auto& e : def.disallows) {
    if (auto err = check_expr(model, def, e)) return err;
  }
  return std::nullopt;
}

MaybeError check_type(const Model& model, const Type& type) {
  std::set<std::string> seen;
  for (const auto& k : type.keywords) {
    if (!seen.insert(k.name).second) {
      return BuildError{k.line, "keyword " + k.name + " defined twice in " + type.name};
    }
    if (auto err = check_type_ref(model, k.value, k.line)) return err;
    if (auto err = check_syntax_ref(model, k.syntax, k.syntax_line)) return err;
  }
  return std::nullopt;
}

// Duplicate names among verbs (and their synonyms), syntaxes and types.
MaybeError check_unique_names(const Model& model) {
  std::set<std::string> verbs, syntaxes, types;
  for (const auto& v : model.verbs) {
    if (!verbs.insert(v.name).second)
      return BuildError{v.line, "verb " + v.name + " defined twice"};
    for (const auto& s : v.synonyms) {
      if (!verbs.insert(s).second) return BuildError{v.line, "verb " + s + " defined twice"};
    }
  }
  for (const auto& s : model.syntaxes) {
    if (!syntaxes.insert(s.name).second) {
      return BuildError{s.line, "syntax " + s.name + " defined twice"};
    }
  }
  for (const auto& t : model.types) {
    if (!types.insert(t.name).second)
      return BuildError{t.line, "type " + t.name + " defined twice"};
  }
  return std::nullopt;
}

}  // namespace

std::optional<BuildError> validate(const Model& model) {
  if (auto err = check_unique_names(model)) return err;
  for (const auto* list : {&model.verbs, &model.syntaxes}) {
    for (const auto& def : *list) {
      if (auto err = check_definition(model, def)) return err;
    }
  }
  for (const auto& type : model.types) {
    if (auto err = check_type(model, type)) return err;
  }
  return std::nullopt;
}

std::optional<BuildError> check_nesting(std::string_view source) {
  // A rough scan is enough: it only has to bound the grammar's recursion.  Quoted strings
  // and comments are skipped; words NOT/NEG and "(" count; any other word resets NOT/NEG.
  int line = 1, depth = 0, prefix_run = 0;
  for (std::size_t i = 0; i < source.size(); ++i) {
    const char c = source[i];
    if (c == '\n') ++line;
    if (c == '!') {
      while (i + 1 < source.size() && source[i + 1] != '\n') ++i;
    } else if (c == '"') {
      while (i + 1 < source.size() && source[i + 1] != '"') line += source[++i] == '\n';
      ++i;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      depth = depth > 0 ? depth - 1 : 0;
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      std::size_t end = i;
      while (end < source.size() && (std::isalnum(static_cast<unsigned char>(source[end])) ||
                                     source[end] == '_' || source[end] == '$')) {
        ++end;
      }
      const std::string w = to_upper(source.substr(i, end - i));
      prefix_run = (w == "NOT" || w == "NEG") ? prefix_run + 1 : 0;
      i = end - 1;
    }
    if (depth + prefix_run > kMaxNesting) {
      return BuildError{line, "expression nested too deeply"};
    }
  }
  return std::nullopt;
}

std::optional<BuildError> check_preprocessor(std::string_view source) {
  int line = 1;
  bool line_start = true;
  for (const char c : source) {
    if (c == '\n') {
      ++line;
      line_start = true;
    } else if (line_start && c == '#') {
      return BuildError{line,
                        "a line starting with \"#\" is C-preprocessor input, which SET COMMAND "
                        "does not read: run the file through the C preprocessor first "
                        "(CC/PREPROCESS_ONLY on OpenVMS, cpp -P elsewhere)"};
    } else if (c != ' ' && c != '\t' && c != '\r' && c != '\f') {
      line_start = false;
    }
  }
  return std::nullopt;
}

std::optional<BuildError> check_ascii(std::string_view source) {
  int line = 1;
  bool quoted = false, comment = false;
  for (const char c : source) {
    if (c == '\n') {
      ++line;
      comment = false;
    } else if (!comment && c == '"') {
      quoted = !quoted;
    } else if (!quoted && c == '!') {
      comment = true;
    } else if (static_cast<unsigned char>(c) > 0x7F && !quoted && !comment) {
      return BuildError{line, "character outside ASCII outside a quoted string"};
    }
  }
  return std::nullopt;
}

}  // namespace sup::cli::cld::detail
