// The model of a Command Definition Utility (.CLD) file: what `SET COMMAND` compiles into
// a command table.  src/cli/cld_parser builds it; src/cli/dcl_parser parses command lines
// against it.  Names are stored upper case (CLD keywords and names are case-insensitive).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sup::cli::cld {

// PLACEMENT= of a qualifier.  Global: anywhere, applies to the command.  Local: only after
// a parameter value, applies to it.  Positional: global before the first parameter,
// local after a parameter value.
enum class Placement { Global, Local, Positional };

// A VALUE(...) clause.  `allowed` is false when the entity has no VALUE clause at all
// (a qualifier or keyword then takes no value; a parameter always takes one).
struct ValueSpec {
  bool allowed = false;
  bool required = false;
  bool list = false;
  bool concatenate = true;            // NOCONCATENATE clears it
  std::vector<std::string> defaults;  // DEFAULT="x" or DEFAULT=(a,b)
  std::string type;                   // "" (any text), "$FILE", ..., or a DEFINE TYPE name
  int type_line = 0;                  // line of TYPE=, for error messages
};

// PARAMETER Pn.
struct Parameter {
  std::string name;    // "P1".."P8"
  std::string label;   // LABEL=, "" when absent
  std::string prompt;  // PROMPT=, as written (case kept)
  ValueSpec value;
  int line = 0;
  // The entity name CLI$ routines use: the label when there is one, else the name.
  const std::string& entity() const { return label.empty() ? name : label; }
};

// QUALIFIER name.
struct Qualifier {
  std::string name;
  std::string label;
  bool negatable = true;    // CDU's default for qualifiers
  bool is_default = false;  // DEFAULT: present unless negated
  bool batch = false;       // BATCH: present by default in batch jobs (recorded only)
  Placement placement = Placement::Global;
  std::string syntax;  // SYNTAX= (recorded, validated)
  int syntax_line = 0;
  ValueSpec value;
  int line = 0;
  const std::string& entity() const { return label.empty() ? name : label; }
};

// KEYWORD name inside a DEFINE TYPE.
struct Keyword {
  std::string name;
  std::string label;
  bool negatable = false;  // CDU's default for keywords
  bool is_default = false;
  std::string syntax;  // SYNTAX=: choosing the keyword switches to this syntax
  int syntax_line = 0;
  ValueSpec value;
  int line = 0;
  const std::string& entity() const { return label.empty() ? name : label; }
};

// DEFINE TYPE name.
struct Type {
  std::string name;
  std::vector<Keyword> keywords;
  int line = 0;
};

// A DISALLOW expression tree.  Entity leaves hold a name, a label or a keyword path
// ("ACTION.START").  Any2 is true when at least two of its operands are.
struct Expr {
  enum class Op { Entity, Not, Neg, And, Or, Any2 };
  Op op = Op::Entity;
  std::string entity;
  std::vector<Expr> operands;
  int line = 0;
};

// DEFINE VERB or DEFINE SYNTAX.  A syntax that declares no parameters (qualifiers,
// disallows, image/routine) inherits the verb's unless NOPARAMETERS (...) says otherwise.
struct Definition {
  enum class Kind { Verb, Syntax };
  Kind kind = Kind::Verb;
  std::string name;
  std::vector<std::string> synonyms;  // SYNONYM clauses (verbs; CDU ignores them on a syntax)
  std::string image;                  // IMAGE, as written
  std::string routine;                // ROUTINE
  std::string cli_routine;            // CLIROUTINE (DEC's own tables: a routine inside DCL)
  std::vector<Parameter> parameters;
  std::vector<Qualifier> qualifiers;
  std::vector<Expr> disallows;
  bool no_parameters = false;
  bool no_qualifiers = false;
  bool no_disallows = false;
  int line = 0;

  // Lookups by exact (upper-case) name; nullptr when absent.
  const Qualifier* find_qualifier(std::string_view name) const;
  const Parameter* find_parameter(std::string_view name_or_label) const;
};

// A whole .CLD file.
struct Model {
  std::string module;  // MODULE name ("" when absent)
  std::string ident;   // IDENT text
  std::vector<Definition> verbs;
  std::vector<Definition> syntaxes;
  std::vector<Type> types;

  // Lookups by exact (upper-case) name; nullptr when absent.
  const Definition* find_verb(std::string_view name) const;
  const Definition* find_syntax(std::string_view name) const;
  const Type* find_type(std::string_view name) const;
};

// The built-in value types CDU knows ("$FILE", "$NUMBER", ...).
bool is_builtin_type(std::string_view type);

}  // namespace sup::cli::cld
