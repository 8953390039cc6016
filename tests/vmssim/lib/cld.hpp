// The simulator's own Command Definition Utility reader (.CLD) and DCL command parser, for
// CLI$DCL_PARSE / CLI$PRESENT / CLI$GET_VALUE and `vmssim dcl` (spec 4.10).  Independent
// of the project's src/cli (the two readings cross-check).  Sources: VMS-REFERENCE 7 [V
// MBU, MMK, HELP-CLI]; behaviour details marked [M] where remembered, not checked.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace vmssim::cld {

struct ValueClause {
  bool present = false;  // the entity takes a value
  bool required = false;
  bool list = false;
  bool concatenate = true;
  std::string type;  // "" , a built-in "$NUMBER"..., or a DEFINE TYPE name
  std::vector<std::string> defaults;
};

// A parameter, a qualifier or a keyword.
struct Entity {
  std::string name;   // P1, CONFIGURATION, START
  std::string label;  // LABEL=, or the name
  std::string prompt;
  bool negatable = true;
  bool is_default = false;  // DEFAULT clause
  std::string placement = "GLOBAL";
  std::string syntax;  // SYNTAX= (qualifiers and keywords)
  ValueClause value;
};

struct Expr {
  enum Kind { kName, kAnd, kOr, kNot, kNeg, kAny2 } kind = kName;
  std::string name;  // a name, label or keyword path
  std::vector<Expr> kids;
};

struct Syntax {
  std::string name;
  std::string image, routine;
  std::vector<std::string> synonyms;
  std::vector<Entity> params, quals;
  std::vector<Expr> disallows;
  bool params_given = false, quals_given = false, disallows_given = false;
  bool noparams = false, noquals = false;
};

struct Type {
  std::string name;
  std::vector<Entity> keywords;
};

struct Table {
  std::string module, ident;
  std::vector<Syntax> verbs, syntaxes;
  std::vector<Type> types;
  const Type* find_type(const std::string& name) const;
  const Syntax* find_syntax(const std::string& name) const;
};

// Parses CLD source; false with `error` ("line N: ...").
bool parse_cld(const std::string& text, Table& out, std::string& error);

// One value of an entity as CLI$GET_VALUE returns it: the text, and what ended it (',' a
// comma list, '+' a concatenation, 0 the last).
struct Value {
  std::string text;
  char sep = 0;
};

// What one entity (parameter, qualifier, or keyword path such as ACTION.START) got.
struct EntityState {
  bool present = false;
  bool negated = false;
  bool defaulted = false;
  bool local = false;  // a qualifier given after a parameter value (PLACEMENT=LOCAL/POSITIONAL)
  std::vector<Value> values;
  std::size_t next = 0;  // CLI$GET_VALUE's position
};

// A parsed command: the syntax it ended in, and its entities by key (the label, or the
// name; keyword paths as "PARENT.KEYWORD").  `names` maps every name, label and path a
// caller may use to its key.
struct Parse {
  const Table* table = nullptr;
  std::string verb;  // as defined
  const Syntax* syntax = nullptr;
  std::map<std::string, EntityState> entities;
  std::map<std::string, std::string> names;
  std::string rest;  // the text after the verb (LIB$GET_FOREIGN)
  std::string image() const;
};

// Parses `line` against `table`.  Returns CLI$_NORMAL, or the condition DCL would report
// (CLI$_NOCOMD, CLI$_IVVERB, CLI$_INSFPRM, CLI$_VALREQ, CLI$_CONFLICT, or a
// cli_status.hpp code); `detail` names the offending text.
std::uint32_t parse_command(const Table& table, const std::string& line, Parse& out,
                            std::string& detail);

}  // namespace vmssim::cld
