#include "core/program_state.hpp"

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
  if (s == S::Stopping) return go(S::Stopped, {A::ClearTimer}, c.detail);
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
      return go(S::Stopped, {A::ForgetProcess, A::ClearTimer}, c.detail);
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
  }
  return "?";
}

Transition transition(State state, ProgramEvent event, const TransitionContext& context) {
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
  }
  return stay(state);
}

}  // namespace sup::core
