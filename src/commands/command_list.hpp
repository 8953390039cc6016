// THE command list: every action of the SUPERVISOR verb, defined once.  Both programs use
// it: the client for its two syntaxes and its dispatch, the daemon for its handler table
// (indexed by Action) and for what it refuses during shutdown, the protocol for the
// typed action on the wire.  cld/SUPERVISOR.CLD (keywords and syntaxes) and
// help/SUPERVISOR.HLP (topics) are files; tests/consistency_test.cpp checks that they
// agree with this list in both directions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace sup::commands {

// An action.  The values are the protocol's action codes: never renumber one, only add.
enum class Action : std::uint8_t {
  Help = 0,
  Start = 1,
  Stop = 2,
  Restart = 3,
  Status = 4,
  Pid = 5,
  Version = 6,
  Shutdown = 7,
};
inline constexpr std::size_t kActionCount = 8;

// Which program carries an action out.
enum class Runs : std::uint8_t {
  InClient,  // HELP: the client answers from its own help library, nothing is sent
  InDaemon,  // sent to supervisord, which has exactly one handler for it
};

// The program names an action takes (P2..P8, /PROGRAM, ALL, /ALL).
enum class Names : std::uint8_t {
  None,       // no names at all
  Optional,   // none means every program (STATUS)
  AtMostOne,  // none means the daemon itself (PID)
  Required,   // at least one name, or ALL (START, STOP, RESTART)
};

// One action, everything the two programs need to know about it.
struct CommandSpec {
  Action action;
  std::string_view keyword;     // the CLD keyword of type SUP_ACTIONS: "START"
  std::string_view syntax;      // its DEFINE SYNTAX: "SUP_START"
  std::string_view help_topic;  // its level-2 topic under SUPERVISOR in SUPERVISOR.HLP
  Runs runs;
  Names names;
  bool waits;          // waits for an outcome (RUNNING, STOPPED): /[NO]WAIT and /TIMEOUT
  bool changes_state;  // changes programs or the daemon: refused once shutdown has begun
};

// The list, in Action order (and in the order of the CLD's SUP_ACTIONS).
inline constexpr CommandSpec kCommandList[kActionCount] = {
    {Action::Help, "HELP", "SUP_HELP", "HELP", Runs::InClient, Names::None, false, false},
    {Action::Start, "START", "SUP_START", "START", Runs::InDaemon, Names::Required, true, true},
    {Action::Stop, "STOP", "SUP_STOP", "STOP", Runs::InDaemon, Names::Required, true, true},
    {Action::Restart, "RESTART", "SUP_RESTART", "RESTART", Runs::InDaemon, Names::Required, true,
     true},
    {Action::Status, "STATUS", "SUP_STATUS", "STATUS", Runs::InDaemon, Names::Optional, false,
     false},
    {Action::Pid, "PID", "SUP_PID", "PID", Runs::InDaemon, Names::AtMostOne, false, false},
    {Action::Version, "VERSION", "SUP_VERSION", "VERSION", Runs::InDaemon, Names::None, false,
     false},
    {Action::Shutdown, "SHUTDOWN", "SUP_SHUTDOWN", "SHUTDOWN", Runs::InDaemon, Names::None, false,
     true},
};

// The entry of `action` (every Action has one).
constexpr const CommandSpec& spec(Action action) {
  return kCommandList[static_cast<std::size_t>(action)];
}

// The action whose keyword is `keyword` (exact, without regard to case), if any.
std::optional<Action> find_keyword(std::string_view keyword);

// The action whose protocol code is `code`, if any.
std::optional<Action> from_code(std::uint32_t code);

// The keyword in lower case ("start"): how logs, replies and supervisorctl spell it.
std::string_view lower_name(Action action);

}  // namespace sup::commands
