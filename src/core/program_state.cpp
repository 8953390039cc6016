#include "core/program_state.hpp"

#include <algorithm>

namespace sup::core {
namespace {

using A = Action;
using S = State;
using Ctx = TransitionContext;

Transition stay(State s) {
  return Transition{s, {}, {}};
}

Transition go(State s, std::vector<Action> actions, std::string reason) {
  return Transition{s, std::move(actions), std::move(reason)};
}

// A start attempt failed (spawn error or exit before startsecs): BACKOFF while attempts
// remain (attempts = 1 + startretries), FATAL after that.  The caller has already put
// the status reason's action first.
Transition failed_start(std::vector<Action> actions, const Ctx& c, std::string why) {
  actions.push_back(A::CountRetry);
  if (c.retries + 1 > c.startretries) {
    actions.push_back(A::ClearTimer);
    return go(S::Fatal, std::move(actions), std::string(kTooManyRetries));
  }
  actions.push_back(A::ArmBackoffTimer);
  return go(S::Backoff, std::move(actions), std::move(why));
}

// Where a program goes once its process is gone while stopping (or UNKNOWN): STOPPED,
// then started again if its goal is to run, or forgotten if it was removed.
Transition stopped(const Ctx& c, std::vector<Action> actions, std::string why) {
  if (c.goal == Goal::Removed)
    actions.push_back(A::Forget);
  else if ((c.goal == Goal::Up || c.goal == Goal::Restart) && !c.shutting_down)
    actions.push_back(A::AutoRestart);
  return go(S::Stopped, std::move(actions), std::move(why));
}

bool restarts(const Ctx& c) {
  if (c.shutting_down) return false;
  switch (c.autorestart) {
    case config::Autorestart::False:
      return false;
    case config::Autorestart::Unexpected:
      return !c.exit_expected;
    case config::Autorestart::True:
      return true;
  }
  return false;
}

Transition on_start(State s, const Ctx& c) {
  switch (s) {
    case S::Stopped:
    case S::Exited:
    case S::Fatal:
    case S::Backoff:
      if (c.shutting_down) return stay(s);
      return go(S::Starting, {A::ClearTimer, A::ResetRetries, A::Spawn}, "start requested");
    case S::Starting:
    case S::Running:
    case S::Stopping:
    case S::Unknown:
      return stay(s);
  }
  return stay(s);
}

// A stop asked for before the process had a pid could not be delivered: now it can.
Transition on_created(State s) {
  if (s == S::Stopping) return Transition{S::Stopping, {A::RequestStop}, {}};
  return stay(s);
}

Transition on_spawned(State s, const Ctx& c) {
  if (s != S::Starting) return stay(s);
  if (c.startsecs <= 0) return go(S::Running, {A::ResetRetries}, "spawned, startsecs=0");
  return Transition{S::Starting, {A::ArmStartTimer}, {}};
}

Transition on_spawn_failed(State s, const Ctx& c) {
  if (s == S::Stopping) return stopped(c, {A::ClearTimer}, c.detail);
  if (s != S::Starting) return stay(s);
  return failed_start({A::RecordSpawnError}, c, c.detail);
}

Transition on_exited(State s, const Ctx& c) {
  switch (s) {
    case S::Starting:
      return failed_start({A::ForgetProcess, A::ClearTimer, A::RecordTooQuick}, c,
                          c.detail + "; " + std::string(kExitedTooQuickly));
    case S::Running: {
      std::vector<Action> acts{A::ForgetProcess, A::ResetRetries};
      if (restarts(c)) acts.push_back(A::AutoRestart);
      return go(S::Exited, std::move(acts),
                c.detail + (c.exit_expected ? "; expected" : "; not expected"));
    }
    case S::Stopping:
    case S::Unknown:
      return stopped(c, {A::ForgetProcess, A::ClearTimer}, c.detail);
    case S::Stopped:
    case S::Backoff:
    case S::Exited:
    case S::Fatal:
      return stay(s);  // no process: nothing can exit
  }
  return stay(s);
}

Transition on_stop(State s) {
  switch (s) {
    case S::Starting:
    case S::Running:
    case S::Unknown:
      return go(S::Stopping, {A::ClearTimer, A::ArmStopTimer, A::RequestStop}, "stop requested");
    case S::Backoff:
      return go(S::Stopped, {A::ClearTimer}, "stop requested");
    case S::Stopping:
    case S::Stopped:
    case S::Exited:
    case S::Fatal:
      return stay(s);
  }
  return stay(s);
}

// A process (Starting, Running) stops first and starts again once stopped (goal Restart);
// BACKOFF has none and starts again at once; a stopped program simply starts.
Transition on_restart(State s, const Ctx& c) {
  switch (s) {
    case S::Starting:
    case S::Running: {
      Transition t = on_stop(s);
      t.reason = "restart requested";
      return t;
    }
    case S::Stopping:
      return stay(s);
    case S::Backoff:
    case S::Stopped:
    case S::Exited:
    case S::Fatal: {
      Transition t = on_start(s, c);
      if (t.next == S::Starting) t.reason = "restart requested";
      return t;
    }
    case S::Unknown:
      return stay(s);
  }
  return stay(s);
}

// Stop what runs; forget the program once nothing of it is left.
Transition on_remove(State s) {
  Transition t;
  switch (s) {
    case S::Starting:
    case S::Running:
    case S::Unknown:
      t = on_stop(s);
      t.reason = "removed from the configuration";
      break;
    case S::Stopping:
      t = stay(s);
      break;
    case S::Backoff:
      t = go(S::Stopped, {A::ClearTimer, A::Forget}, "removed from the configuration");
      break;
    case S::Stopped:
    case S::Exited:
    case S::Fatal:
      t = Transition{s, {A::Forget}, {}};
      break;
  }
  return t;
}

Transition on_timer(State s, const Ctx& c) {
  switch (s) {
    case S::Starting:
      return go(S::Running, {A::ClearTimer, A::ResetRetries},
                "process has stayed up for > than " + std::to_string(c.startsecs) +
                    " seconds (startsecs)");
    case S::Backoff:
      if (c.shutting_down) return stay(s);
      return go(S::Starting, {A::ClearTimer, A::Spawn},
                "retry " + std::to_string(c.retries) + " of " + std::to_string(c.startretries));
    case S::Stopping:
      if (c.killed) return go(S::Unknown, {A::ClearTimer}, "still running after kill");
      return Transition{S::Stopping, {A::Kill, A::ArmKillTimer}, {}};
    case S::Stopped:
    case S::Running:
    case S::Exited:
    case S::Fatal:
    case S::Unknown:
      return stay(s);
  }
  return stay(s);
}

Transition on_signal_failed(State s, const Ctx& c) {
  switch (s) {
    case S::Starting:
    case S::Running:
    case S::Stopping:
      return go(S::Unknown, {A::ClearTimer}, c.detail);
    case S::Stopped:
    case S::Backoff:
    case S::Exited:
    case S::Fatal:
    case S::Unknown:
      return stay(s);
  }
  return stay(s);
}

Transition on_gone(State s, const Ctx& c) {
  if (s != S::Stopped) return stay(s);
  Ctx unknown = c;
  unknown.exit_expected = false;  // an unknown status is never expected
  std::vector<Action> acts{A::ForgetProcess};
  if (restarts(unknown)) acts.push_back(A::AutoRestart);
  return go(S::Exited, std::move(acts), "ended while no supervisord ran; status unknown");
}

}  // namespace

std::string_view state_name(State state) {
  switch (state) {
    case S::Stopped:
      return "STOPPED";
    case S::Starting:
      return "STARTING";
    case S::Running:
      return "RUNNING";
    case S::Backoff:
      return "BACKOFF";
    case S::Stopping:
      return "STOPPING";
    case S::Exited:
      return "EXITED";
    case S::Fatal:
      return "FATAL";
    case S::Unknown:
      return "UNKNOWN";
  }
  return "UNKNOWN";
}

bool is_stopped_state(State state) {
  return state == S::Stopped || state == S::Exited || state == S::Fatal || state == S::Unknown;
}

std::string_view event_name(ProgramEvent event) {
  switch (event) {
    case ProgramEvent::Start:
      return "Start";
    case ProgramEvent::Created:
      return "Created";
    case ProgramEvent::Spawned:
      return "Spawned";
    case ProgramEvent::SpawnFailed:
      return "SpawnFailed";
    case ProgramEvent::Exited:
      return "Exited";
    case ProgramEvent::Stop:
      return "Stop";
    case ProgramEvent::Timer:
      return "Timer";
    case ProgramEvent::SignalFailed:
      return "SignalFailed";
    case ProgramEvent::Adopted:
      return "Adopted";
    case ProgramEvent::Gone:
      return "Gone";
    case ProgramEvent::Restart:
      return "Restart";
    case ProgramEvent::Remove:
      return "Remove";
    case ProgramEvent::Changed:
      return "Changed";
    case ProgramEvent::Kept:
      return "Kept";
  }
  return "?";
}

namespace {

bool has(const Transition& t, Action a) {
  return std::find(t.actions.begin(), t.actions.end(), a) != t.actions.end();
}

// The goal part of a transition, decided after the state part: what a request asked
// for, and what becomes of the goal when the program comes to rest.
Goal next_goal(State from, ProgramEvent event, const Transition& t, const Ctx& c) {
  if (has(t, A::Forget)) return Goal::Removed;
  if (has(t, A::AutoRestart)) return Goal::Up;
  switch (event) {
    case ProgramEvent::Start:
      // Refused in UNKNOWN; but a program a reload brings back is wanted again.
      if (from == S::Unknown) return c.goal == Goal::Removed ? Goal::Up : Goal::Down;
      return Goal::Up;
    case ProgramEvent::Stop:
      return c.goal == Goal::Removed ? Goal::Removed : Goal::Down;  // shutdown: still removed
    case ProgramEvent::Restart:
      // Asked for while stopping (or now stopping): start again once stopped.
      if (t.next == S::Stopping) return c.goal == Goal::Removed ? Goal::Removed : Goal::Restart;
      break;
    case ProgramEvent::Changed:
      if (t.next == S::Stopping && from != S::Stopping) return Goal::Restart;
      break;
    case ProgramEvent::Remove:
      return Goal::Removed;
    case ProgramEvent::Kept:
      if (c.goal == Goal::Removed) return c.autostart ? Goal::Up : Goal::Down;
      break;
    default:
      break;
  }
  if (c.goal == Goal::Removed) return Goal::Removed;  // until forgotten
  switch (t.next) {
    case S::Starting:
    case S::Running:
    case S::Backoff:
      return Goal::Up;
    case S::Stopping:
      return c.goal;
    case S::Stopped:
    case S::Exited:
    case S::Fatal:
    case S::Unknown:  // a restart cannot go on from here
      return Goal::Down;
  }
  return c.goal;
}

Transition transition_state(State state, ProgramEvent event, const TransitionContext& context);

}  // namespace

std::string_view goal_name(Goal goal) {
  switch (goal) {
    case Goal::Down:
      return "Down";
    case Goal::Up:
      return "Up";
    case Goal::Restart:
      return "Restart";
    case Goal::Removed:
      return "Removed";
  }
  return "?";
}

Transition transition(State state, ProgramEvent event, const TransitionContext& context) {
  Transition t = transition_state(state, event, context);
  t.goal = next_goal(state, event, t, context);
  // Restart lives only while STOPPING; anywhere else it has become Up or Down.
  if (t.goal == Goal::Restart && t.next != S::Stopping)
    t.goal = t.next == S::Starting || t.next == S::Running || t.next == S::Backoff ? Goal::Up
                                                                                   : Goal::Down;
  return t;
}

namespace {

Transition transition_state(State state, ProgramEvent event, const TransitionContext& context) {
  switch (event) {
    case ProgramEvent::Start:
      return on_start(state, context);
    case ProgramEvent::Created:
      return on_created(state);
    case ProgramEvent::Spawned:
      return on_spawned(state, context);
    case ProgramEvent::SpawnFailed:
      return on_spawn_failed(state, context);
    case ProgramEvent::Exited:
      return on_exited(state, context);
    case ProgramEvent::Stop:
      return on_stop(state);
    case ProgramEvent::Timer:
      return on_timer(state, context);
    case ProgramEvent::SignalFailed:
      return on_signal_failed(state, context);
    case ProgramEvent::Adopted:
      return state == S::Stopped ? go(S::Running, {}, "re-attached") : stay(state);
    case ProgramEvent::Gone:
      return on_gone(state, context);
    case ProgramEvent::Restart:
      return on_restart(state, context);
    case ProgramEvent::Remove:
      return on_remove(state);
    case ProgramEvent::Changed:
      // What runs (or is about to: BACKOFF) restarts; the rest uses the new settings at
      // its next start, and a stop under way is not turned into a restart.
      if (state == S::Starting || state == S::Running || state == S::Backoff)
        return on_restart(state, context);
      return stay(state);
    case ProgramEvent::Kept:
      return stay(state);
  }
  return stay(state);
}

}  // namespace

}  // namespace sup::core
