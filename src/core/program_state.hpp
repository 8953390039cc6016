// A program's lifecycle: supervisor's states with their numeric codes, and ONE pure
// transition function implementing doc/behaviour.md section 3 (Transitions).
//
// The function decides; the Supervisor acts.  It returns the next state and a list of
// actions (spawn, arm a timer, signal ...) that the Supervisor carries out with the
// platform; outcomes of those actions come back as further events (Spawned,
// SpawnFailed, SignalFailed).  No OS, no clock, no I/O: it is tested exhaustively.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace sup::core {

// Supervisor's states; the numbers are visible to clients: keep them.
enum class State : int {
  Stopped = 0,
  Starting = 10,
  Running = 20,
  Backoff = 30,
  Stopping = 40,
  Exited = 100,
  Fatal = 200,
  Unknown = 1000,
};

// Every state, in numeric order (for tables and tests).
inline constexpr State kAllStates[] = {State::Stopped, State::Starting, State::Running,
                                       State::Backoff, State::Stopping, State::Exited,
                                       State::Fatal,   State::Unknown};

// The name as supervisor prints it: "RUNNING".
std::string_view state_name(State state);

// STOPPED, EXITED, FATAL, UNKNOWN: what `status` counts as "not running".
bool is_stopped_state(State state);

// What the program should be doing, set by requests, autostart and reload and kept
// across its states: an input of the transition function like the state, so that what a
// program does next (start again after a stop, be forgotten once stopped) is decided
// there and nowhere else.
enum class Goal {
  Down,     // not running: never started, stopped, or ended and not restarted
  Up,       // running (or being started, or to start once a stop has finished)
  Restart,  // stopping now, to start again once stopped
  Removed,  // dropped by a reload: stopping, to be forgotten once stopped
};

inline constexpr Goal kAllGoals[] = {Goal::Down, Goal::Up, Goal::Restart, Goal::Removed};

// "Up", for test messages and logs.
std::string_view goal_name(Goal goal);

// What happens to a program.
enum class ProgramEvent {
  Start,         // start asked for: a client, autostart, autorestart, a restart
  Created,       // the process exists (it has a pid) and is on its way to its image
  Spawned,       // the process runs its image
  SpawnFailed,   // the process could not be created or could not reach its image
                 // (detail: the system's text); it is gone
  Exited,        // its process ended (detail: the exit described)
  Stop,          // stop asked for: a client, shutdown, reload
  Timer,         // the state's deadline passed: startsecs, backoff delay, stopwaitsecs
  SignalFailed,  // a polite or hard stop could not be delivered (detail: why)
  Adopted,       // a process recorded by an earlier daemon is still alive
  Gone,          // a process recorded by an earlier daemon ended meanwhile
  Restart,       // restart asked for by a client
  Remove,        // a reload dropped the program: stop it, then forget it
  Changed,       // a reload changed its settings: what runs restarts to pick them up
  Kept,          // a reload has it again after an earlier one dropped it
};

// Every event (for tables and tests).
inline constexpr ProgramEvent kAllEvents[] = {
    ProgramEvent::Start,   ProgramEvent::Created, ProgramEvent::Spawned, ProgramEvent::SpawnFailed,
    ProgramEvent::Exited,  ProgramEvent::Stop,    ProgramEvent::Timer,   ProgramEvent::SignalFailed,
    ProgramEvent::Adopted, ProgramEvent::Gone,    ProgramEvent::Restart, ProgramEvent::Remove,
    ProgramEvent::Changed, ProgramEvent::Kept};

// The event's name, for test messages and logs: "SpawnFailed".
std::string_view event_name(ProgramEvent event);

// What the Supervisor does after a transition, in the order given.
enum class Action {
  Spawn,             // start creating the process: Created, Spawned or SpawnFailed follow
  ArmStartTimer,     // deadline = now + startsecs
  ArmBackoffTimer,   // deadline = now + retries seconds (after CountRetry)
  ArmStopTimer,      // deadline = now + stopwaitsecs
  ArmKillTimer,      // deadline = now + kKillGraceSeconds (after Kill)
  ClearTimer,        // no deadline; forget that a kill was sent
  RequestStop,       // polite stop ($FORCEX / SIGTERM); failure reports SignalFailed
  Kill,              // hard stop ($DELPRC / SIGKILL); failure reports SignalFailed
  ResetRetries,      // a new series of start attempts
  CountRetry,        // one more failed attempt
  RecordSpawnError,  // status reason = detail (a spawn error)
  RecordTooQuick,    // status reason = kExitedTooQuickly
  ForgetProcess,     // the process ended: no pid; note when it stopped
  AutoRestart,       // feed Start at once
  Forget,            // drop the program (its goal was Removed and it has stopped)
};

// How long to wait for a killed process's exit before giving up on it (UNKNOWN).
inline constexpr int kKillGraceSeconds = 10;

// Supervisor's texts (kept: users search for them).
inline constexpr std::string_view kExitedTooQuickly =
    "Exited too quickly (process log may have details)";
inline constexpr std::string_view kTooManyRetries = "too many start retries too quickly";

// What the transition needs to know besides the state and the event.
struct TransitionContext {
  int startsecs = 10;
  int startretries = 3;
  int retries = 0;  // failed attempts so far in this series of starts
  config::Autorestart autorestart = config::Autorestart::Unexpected;
  bool exit_expected = false;  // Exited: the status is in exitcodes (never for signals)
  bool killed = false;         // STOPPING: the hard stop was already sent
  bool shutting_down = false;  // nothing starts during shutdown
  Goal goal = Goal::Down;      // what the program should be doing
  bool autostart = true;       // Kept: whether it should run again
  std::string detail;          // exit description, spawn or signal error text
};

// The outcome: next state (== the old one when nothing changes), actions, and the
// reason written in the log when the state changes.
struct Transition {
  State next = State::Stopped;
  std::vector<Action> actions;
  std::string reason;
  Goal goal = Goal::Down;  // the goal from now on (transition() fills it in)
};

// THE transition function (doc/behaviour.md section 3).  Pure: same input, same output.
Transition transition(State state, ProgramEvent event, const TransitionContext& context);

}  // namespace sup::core
