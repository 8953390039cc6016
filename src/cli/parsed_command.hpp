// One parsed command, queried the way an OpenVMS image queries DCL: present() is
// CLI$PRESENT and get_value() is CLI$GET_VALUE.  On POSIX the portable DCL parser
// (dcl_parser.hpp) fills it from the embedded CLD; on OpenVMS the native CLI$ routines
// will fill the same structure (src/platform/vms), so the command handlers are the same.
//
// Entities are named as in CLI$ calls: a parameter or qualifier by its LABEL when the CLD
// gives one, else by its name ("P2", "WAIT"); a keyword by its path ("ACTION.START").
// Names are case-insensitive.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sup::cli {

// CLI$PRESENT's answers.  Undefined means the entity is not in the syntax at all: a
// programming error (CLI$PRESENT signals one), reported as a value instead of a crash.
enum class Presence {
  Present,       // CLI$_PRESENT: given (globally)
  Negated,       // CLI$_NEGATED: /NOxxx
  LocalPresent,  // CLI$_LOCPRES: given after the parameter value last fetched
  LocalNegated,  // CLI$_LOCNEG
  Defaulted,     // CLI$_DEFAULTED: not given, DEFAULT in the CLD
  Absent,        // CLI$_ABSENT
  Undefined
};

// True for the answers that mean "on": Present, LocalPresent, Defaulted (MBU's rule).
bool is_on(Presence presence);
// True for Negated and LocalNegated.
bool is_negated(Presence presence);
// "PRESENT", "NEGATED", ... for messages and test output.
const char* presence_name(Presence presence);

// CLI$GET_VALUE's statuses.
enum class ValueStatus {
  Last,    // SS$_NORMAL: the last (or only) value
  Comma,   // CLI$_COMMA: more values follow, comma-separated
  Concat,  // CLI$_CONCAT: more values follow, "+"-separated
  Absent,  // CLI$_ABSENT: no value, or the list is exhausted
  Undefined
};

// One answer of get_value().
struct [[nodiscard]] ValueResult {
  ValueStatus status = ValueStatus::Absent;
  std::string value;
  // True while the loop "while status is Comma or Concat" should go on reading.
  bool more() const { return status == ValueStatus::Comma || status == ValueStatus::Concat; }
};

// What kind of thing an entity is.
enum class EntityKind { Parameter, Qualifier, Keyword };

class ParsedCommand {
 public:
  // --- Queries (the command handlers).

  // CLI$PRESENT.  For a qualifier given locally (after a parameter value) the answer is
  // relative to the parameter value last returned by get_value(), as on OpenVMS.
  Presence present(std::string_view entity) const;

  // CLI$PRESENT of a qualifier relative to value `index` of parameter `parameter`,
  // without get_value()'s cursor.
  Presence present_at(std::string_view qualifier, std::string_view parameter,
                      std::size_t index) const;

  // CLI$GET_VALUE: successive calls walk the entity's values; then Absent.  For a local
  // qualifier, the values given after the parameter value last fetched come first.
  ValueResult get_value(std::string_view entity);

  // All values of an entity (global ones for qualifiers); empty when none or undefined.
  std::vector<std::string> values(std::string_view entity) const;

  // Restarts every get_value() cursor.
  void rewind();

  // True when the syntax defines the entity.
  bool has_entity(std::string_view entity) const;

  // The names of all entities the syntax defines (upper case, sorted).
  std::vector<std::string> entity_names() const;

  const std::string& verb() const { return verb_; }
  // The DEFINE SYNTAX in effect ("SUP_START"), or the verb's name when none switched.
  const std::string& syntax_name() const { return syntax_; }
  // The keyword of the first parameter when it is a keyword type ("START"), else "".
  const std::string& action() const { return action_; }
  // IMAGE or ROUTINE of the syntax in effect (for CLI$DISPATCH-like dispatching).
  const std::string& image() const { return image_; }
  const std::string& routine() const { return routine_; }

  // --- Filling (the DCL parser, or the OpenVMS CLI$ bridge).

  void set_verb(std::string verb) { verb_ = std::move(verb); }
  void set_syntax_name(std::string syntax) { syntax_ = std::move(syntax); }
  void set_action(std::string action) { action_ = std::move(action); }
  void set_image(std::string image) { image_ = std::move(image); }
  void set_routine(std::string routine) { routine_ = std::move(routine); }

  // Makes an entity known (Absent, or Defaulted when is_default).  Idempotent.
  void declare(std::string_view entity, EntityKind kind, bool is_default = false);
  // Sets the global presence and forgets earlier global values (the last one given wins).
  void set_presence(std::string_view entity, Presence presence);
  // Appends a global value; the previous value's status becomes `joined_by`.
  void add_value(std::string_view entity, std::string value,
                 ValueStatus joined_by = ValueStatus::Comma);
  // Records a qualifier given after value `index` of a parameter (negated or not), with
  // its values.
  void set_local(std::string_view qualifier, std::string_view parameter, std::size_t index,
                 bool negated, std::vector<std::string> values = {});
  // True when the qualifier appears locally after any value of any parameter, with that
  // negation.  Used to evaluate DISALLOW.
  bool locally(std::string_view qualifier, bool negated) const;

 private:
  struct Value {
    std::string text;
    ValueStatus status = ValueStatus::Last;
    // Local qualifiers given after this value: presence and values.
    std::map<std::string, std::pair<bool, std::vector<std::string>>> local;
  };
  struct Entity {
    EntityKind kind = EntityKind::Qualifier;
    Presence presence = Presence::Absent;
    std::vector<Value> values;
    std::size_t cursor = 0;        // next value get_value() returns
    std::size_t local_cursor = 0;  // same, for local values ...
    std::optional<std::pair<std::string, std::size_t>> local_context;  // ... of this value
  };
  const Entity* find(std::string_view entity) const;
  Entity* find(std::string_view entity);
  // The value get_value() returned last, if any (parameter, index).
  const Value* context_value() const;
  // The values a qualifier was given after the context value, if any.
  const std::vector<std::string>* local_values(const Entity& e, std::string_view entity) const;

  std::string verb_, syntax_, action_, image_, routine_;
  std::map<std::string, Entity> entities_;
  std::optional<std::pair<std::string, std::size_t>> context_;
};

}  // namespace sup::cli
