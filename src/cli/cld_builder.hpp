// Internal to the CLD parser: the state the X3 grammar's semantic actions fill in.  The
// grammar only recognises text; this class turns it into the Model and reports clauses
// that are well formed but misplaced (PROMPT on a qualifier, a PARAMETER in a TYPE, ...).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cld_model.hpp"

namespace sup::cli::cld::detail {

// Which kind of entity the entity clauses (LABEL=, VALUE, ...) currently apply to.
enum class EntityKind { None, Parameter, Qualifier, Keyword };

// A misplaced clause found while building: line and text.
struct BuildError {
  int line = 0;
  std::string message;
};

class Builder {
 public:
  explicit Builder(std::string_view source) : source_(source) {}

  // 1-based line and column of a position inside the source.
  int line_of(const char* where) const;
  int column_of(const char* where) const;

  // Statements.
  void set_module(const std::string& name, int line);
  void set_ident(const std::string& text);
  void begin_definition(Definition::Kind kind, const std::string& name, int line);
  void begin_type(const std::string& name, int line);

  // Clauses of a verb or syntax.
  void set_image(const std::string& image, int line);
  void set_routine(const std::string& routine, int line);
  void set_cli_routine(const std::string& routine, int line);
  void add_synonym(const std::string& name, int line);
  void set_no_parameters(int line);
  void set_no_qualifiers(int line);
  void set_no_disallows(int line);
  void begin_entity(EntityKind kind, const std::string& name, int line);

  // Clauses of the current parameter, qualifier or keyword.
  void set_label(const std::string& label, int line);
  void set_prompt(const std::string& prompt, int line);
  void set_negatable(bool negatable, int line);
  void set_default(int line);
  void set_batch(int line);
  void set_placement(Placement placement, int line);
  void set_syntax(const std::string& syntax, int line);

  // VALUE(...) of the current entity.
  void value_on();
  void value_required();
  void value_list();
  void value_concatenate(bool on);
  void value_default(const std::string& text);
  void value_type(const std::string& type, int line);

  // DISALLOW expressions, built on a stack as the grammar reduces them.
  void push_entity(const std::string& path, int line);
  void apply_unary(Expr::Op op, int line);
  void apply_binary(Expr::Op op, int line);
  void begin_any2();
  void end_any2(int line);
  void finish_disallow(int line);

  // The result.  error() is the first misplaced clause, if any.
  Model take_model() { return std::move(model_); }
  const std::optional<BuildError>& error() const { return error_; }

 private:
  void fail(int line, std::string message);
  bool need_definition(int line, std::string_view clause);
  bool need_entity(int line, std::string_view clause, bool parameter, bool qualifier, bool keyword);
  Definition* current_definition();
  ValueSpec* current_value();

  std::string_view source_;
  Model model_;
  Definition::Kind def_kind_ = Definition::Kind::Verb;
  bool in_definition_ = false;
  bool in_type_ = false;
  EntityKind entity_ = EntityKind::None;
  std::vector<Expr> stack_;
  std::vector<std::size_t> any2_marks_;
  std::optional<BuildError> error_;
};

// Upper-cases ASCII letters (CLD names and keywords are case-insensitive).
std::string to_upper(std::string_view text);

}  // namespace sup::cli::cld::detail
