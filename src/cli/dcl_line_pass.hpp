// Internal to the DCL parser: one left-to-right pass over a command line against one
// syntax.  When a keyword (or qualifier) with SYNTAX= is met, the pass stops and asks for
// the line to be parsed again against that syntax, which is how DCL's syntax change
// re-reads everything, qualifiers given before the keyword included.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/cld_model.hpp"
#include "cli/dcl_parser.hpp"
#include "cli/dcl_scanner.hpp"
#include "cli/dcl_syntax.hpp"
#include "cli/parsed_command.hpp"

namespace sup::cli::detail {

class LinePass {
 public:
  LinePass(const cld::Model& model, EffectiveSyntax syntax, const DclOptions& options,
           std::string_view line);

  // Parses the line; then exactly one of: error set, switch_to set, or command filled.
  void run();

  std::optional<CliError> error;
  std::string switch_to;  // the syntax to parse again with
  ParsedCommand command;
  std::size_t stop = 0;  // offset where the command ends (a "!" comment or the end)
  // Where each entity was last typed, and how (for pointing at a CONFLICT).
  std::map<std::string, std::pair<std::size_t, std::string>> seen;

  const EffectiveSyntax& syntax() const { return syntax_; }

 private:
  struct Cursor {
    std::size_t param = 0;
    std::size_t value = 0;
  };

  bool step();
  bool slash_is_path() const;
  bool qualifier();
  bool unknown_qualifier(std::string_view ident, const std::string& name);
  bool qualifier_values(const cld::Qualifier& q, bool negated, const std::string& name,
                        std::vector<std::string>& vals);
  void record_qualifier(const cld::Qualifier& q, bool negated, std::vector<std::string> vals);
  bool separator(ValueStatus joiner);
  bool parameter();
  void add_parameter_value(std::size_t index, std::string text, std::size_t at, std::string typed);
  bool values(const cld::ValueSpec& spec, const std::string& entity, int depth,
              std::vector<std::string>& out);
  bool one_value(const cld::ValueSpec& spec, const std::string& entity, int depth, const Word& word,
                 std::vector<std::string>& out);
  bool keyword(const cld::Type& type, const std::string& entity, int depth, const Word& word,
               std::vector<std::string>& out);
  WordRules rules_for(const cld::ValueSpec& spec, bool in_parens, bool parameter) const;
  bool fail(std::string_view ident, std::string word);
  void declare_all();
  void declare_keywords(const std::string& prefix, const std::string& type, int depth);
  void note(const std::string& entity, std::size_t at, std::string typed);

  const cld::Model& model_;
  EffectiveSyntax syntax_;
  const DclOptions& options_;
  Scanner scanner_;
  std::size_t next_param_ = 0;
  std::optional<Cursor> last_;  // the parameter value read last
  bool continue_list_ = false;  // a "," or "+" asked for one more value of last_
  ValueStatus joiner_ = ValueStatus::Comma;
  // An unknown qualifier met before a syntax switch could make it known
  // ("SUPERVISOR /ALL STATUS"); reported only if no switch comes.
  std::optional<CliError> deferred_;
};

}  // namespace sup::cli::detail
