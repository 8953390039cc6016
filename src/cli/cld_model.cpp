// Lookups of the CLD model.
#include "cli/cld_model.hpp"

#include <algorithm>
#include <array>

namespace sup::cli::cld {
namespace {

template <typename T>
const T* find_named(const std::vector<T>& items, std::string_view name) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& t) { return t.name == name; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

const Qualifier* Definition::find_qualifier(std::string_view name) const {
  return find_named(qualifiers, name);
}

const Parameter* Definition::find_parameter(std::string_view name_or_label) const {
  for (const auto& p : parameters) {
    if (p.name == name_or_label || p.label == name_or_label) return &p;
  }
  return nullptr;
}

const Definition* Model::find_verb(std::string_view name) const {
  return find_named(verbs, name);
}

const Definition* Model::find_syntax(std::string_view name) const {
  return find_named(syntaxes, name);
}

const Type* Model::find_type(std::string_view name) const {
  return find_named(types, name);
}

bool is_builtin_type(std::string_view type) {
  // The types CDU documents for VALUE(TYPE=...); DCL checks only some of them itself.
  static constexpr std::array<std::string_view, 17> kBuiltins = {
      "$ACL",         "$DATETIME",
      "$DELTATIME",   "$DEVICE",
      "$DIRECTORY",   "$EXPRESSION",
      "$FILE",        "$INFILE",
      "$LOGICAL",     "$NODE",
      "$NUMBER",      "$OUTFILE",
      "$OUTLOG",      "$PARENTHESIZED_VALUE",
      "$PROCESS",     "$QUOTED_STRING",
      "$REST_OF_LINE"};
  return std::find(kBuiltins.begin(), kBuiltins.end(), type) != kBuiltins.end() || type == "$UIC" ||
         type == "$SYMBOL" || type == "$PRIVILEGE";
}

}  // namespace sup::cli::cld
