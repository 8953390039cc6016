// The program lifecycle (doc/behaviour.md section 3): every (state, event)
// pair against a table written from the spec, then the context-dependent cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <set>
#include <utility>

#include "core/program_state.hpp"

namespace sup::core {
namespace {

using A = Action;
using E = ProgramEvent;
using S = State;
using config::Autorestart;

struct Row {
  S state;
  E event;
  S next;
  std::vector<A> actions;
};

// The base context: startsecs 10, startretries 3, no retry yet, autorestart=unexpected,
// an unexpected exit, no kill sent, not shutting down.
TransitionContext base() {
  TransitionContext c;
  c.detail = "exit status 3";
  return c;
}

const std::vector<A> kStart{A::ClearTimer, A::ResetRetries, A::Spawn};
const std::vector<A> kStopIt{A::ClearTimer, A::ArmStopTimer, A::RequestStop};

const std::vector<Row> kTable = {
    // Start: allowed from STOPPED, EXITED, FATAL, BACKOFF.
    {S::Stopped, E::Start, S::Starting, kStart},
    {S::Starting, E::Start, S::Starting, {}},
    {S::Running, E::Start, S::Running, {}},
    {S::Backoff, E::Start, S::Starting, kStart},
    {S::Stopping, E::Start, S::Stopping, {}},
    {S::Exited, E::Start, S::Starting, kStart},
    {S::Fatal, E::Start, S::Starting, kStart},
    {S::Unknown, E::Start, S::Unknown, {}},
    // Created: only a stop that found no pid yet has something to do.
    {S::Stopped, E::Created, S::Stopped, {}},
    {S::Starting, E::Created, S::Starting, {}},
    {S::Running, E::Created, S::Running, {}},
    {S::Backoff, E::Created, S::Backoff, {}},
    {S::Stopping, E::Created, S::Stopping, {A::RequestStop}},
    {S::Exited, E::Created, S::Exited, {}},
    {S::Fatal, E::Created, S::Fatal, {}},
    {S::Unknown, E::Created, S::Unknown, {}},
    // Spawned: STARTING waits startsecs.
    {S::Stopped, E::Spawned, S::Stopped, {}},
    {S::Starting, E::Spawned, S::Starting, {A::ArmStartTimer}},
    {S::Running, E::Spawned, S::Running, {}},
    {S::Backoff, E::Spawned, S::Backoff, {}},
    {S::Stopping, E::Spawned, S::Stopping, {}},
    {S::Exited, E::Spawned, S::Exited, {}},
    {S::Fatal, E::Spawned, S::Fatal, {}},
    {S::Unknown, E::Spawned, S::Unknown, {}},
    // SpawnFailed: STARTING -> BACKOFF with the system's text.
    {S::Stopped, E::SpawnFailed, S::Stopped, {}},
    {S::Starting,
     E::SpawnFailed,
     S::Backoff,
     {A::RecordSpawnError, A::CountRetry, A::ArmBackoffTimer}},
    {S::Running, E::SpawnFailed, S::Running, {}},
    {S::Backoff, E::SpawnFailed, S::Backoff, {}},
    {S::Stopping, E::SpawnFailed, S::Stopped, {A::ClearTimer}},
    {S::Exited, E::SpawnFailed, S::Exited, {}},
    {S::Fatal, E::SpawnFailed, S::Fatal, {}},
    {S::Unknown, E::SpawnFailed, S::Unknown, {}},
    // Exited.
    {S::Stopped, E::Exited, S::Stopped, {}},
    {S::Starting,
     E::Exited,
     S::Backoff,
     {A::ForgetProcess, A::ClearTimer, A::RecordTooQuick, A::CountRetry, A::ArmBackoffTimer}},
    {S::Running, E::Exited, S::Exited, {A::ForgetProcess, A::ResetRetries, A::AutoRestart}},
    {S::Backoff, E::Exited, S::Backoff, {}},
    {S::Stopping, E::Exited, S::Stopped, {A::ForgetProcess, A::ClearTimer}},
    {S::Exited, E::Exited, S::Exited, {}},
    {S::Fatal, E::Exited, S::Fatal, {}},
    {S::Unknown, E::Exited, S::Stopped, {A::ForgetProcess, A::ClearTimer}},
    // Stop: RUNNING/STARTING -> STOPPING (polite stop); BACKOFF -> STOPPED.
    {S::Stopped, E::Stop, S::Stopped, {}},
    {S::Starting, E::Stop, S::Stopping, kStopIt},
    {S::Running, E::Stop, S::Stopping, kStopIt},
    {S::Backoff, E::Stop, S::Stopped, {A::ClearTimer}},
    {S::Stopping, E::Stop, S::Stopping, {}},
    {S::Exited, E::Stop, S::Exited, {}},
    {S::Fatal, E::Stop, S::Fatal, {}},
    {S::Unknown, E::Stop, S::Stopping, kStopIt},
    // Timer: startsecs passed, backoff delay passed, stopwaitsecs passed.
    {S::Stopped, E::Timer, S::Stopped, {}},
    {S::Starting, E::Timer, S::Running, {A::ClearTimer, A::ResetRetries}},
    {S::Running, E::Timer, S::Running, {}},
    {S::Backoff, E::Timer, S::Starting, {A::ClearTimer, A::Spawn}},
    {S::Stopping, E::Timer, S::Stopping, {A::Kill, A::ArmKillTimer}},
    {S::Exited, E::Timer, S::Exited, {}},
    {S::Fatal, E::Timer, S::Fatal, {}},
    {S::Unknown, E::Timer, S::Unknown, {}},
    // SignalFailed: the process cannot be signalled -> UNKNOWN.
    {S::Stopped, E::SignalFailed, S::Stopped, {}},
    {S::Starting, E::SignalFailed, S::Unknown, {A::ClearTimer}},
    {S::Running, E::SignalFailed, S::Unknown, {A::ClearTimer}},
    {S::Backoff, E::SignalFailed, S::Backoff, {}},
    {S::Stopping, E::SignalFailed, S::Unknown, {A::ClearTimer}},
    {S::Exited, E::SignalFailed, S::Exited, {}},
    {S::Fatal, E::SignalFailed, S::Fatal, {}},
    {S::Unknown, E::SignalFailed, S::Unknown, {}},
    // Adopted: re-attached at daemon start.
    {S::Stopped, E::Adopted, S::Running, {}},
    {S::Starting, E::Adopted, S::Starting, {}},
    {S::Running, E::Adopted, S::Running, {}},
    {S::Backoff, E::Adopted, S::Backoff, {}},
    {S::Stopping, E::Adopted, S::Stopping, {}},
    {S::Exited, E::Adopted, S::Exited, {}},
    {S::Fatal, E::Adopted, S::Fatal, {}},
    {S::Unknown, E::Adopted, S::Unknown, {}},
    // Gone: ended while no daemon ran; an exit of unknown status.
    {S::Stopped, E::Gone, S::Exited, {A::ForgetProcess, A::AutoRestart}},
    {S::Starting, E::Gone, S::Starting, {}},
    {S::Running, E::Gone, S::Running, {}},
    {S::Backoff, E::Gone, S::Backoff, {}},
    {S::Stopping, E::Gone, S::Stopping, {}},
    {S::Exited, E::Gone, S::Exited, {}},
    {S::Fatal, E::Gone, S::Fatal, {}},
    {S::Unknown, E::Gone, S::Unknown, {}},
    // Restart: what has a process stops first; the rest starts at once; UNKNOWN refuses.
    {S::Stopped, E::Restart, S::Starting, kStart},
    {S::Starting, E::Restart, S::Stopping, kStopIt},
    {S::Running, E::Restart, S::Stopping, kStopIt},
    {S::Backoff, E::Restart, S::Starting, kStart},
    {S::Stopping, E::Restart, S::Stopping, {}},
    {S::Exited, E::Restart, S::Starting, kStart},
    {S::Fatal, E::Restart, S::Starting, kStart},
    {S::Unknown, E::Restart, S::Unknown, {}},
    // Remove: stop what runs; forget at once what does not.
    {S::Stopped, E::Remove, S::Stopped, {A::Forget}},
    {S::Starting, E::Remove, S::Stopping, kStopIt},
    {S::Running, E::Remove, S::Stopping, kStopIt},
    {S::Backoff, E::Remove, S::Stopped, {A::ClearTimer, A::Forget}},
    {S::Stopping, E::Remove, S::Stopping, {}},
    {S::Exited, E::Remove, S::Exited, {A::Forget}},
    {S::Fatal, E::Remove, S::Fatal, {A::Forget}},
    {S::Unknown, E::Remove, S::Stopping, kStopIt},
    // Changed: what runs (or is about to, BACKOFF) restarts; a stop under way stays one.
    {S::Stopped, E::Changed, S::Stopped, {}},
    {S::Starting, E::Changed, S::Stopping, kStopIt},
    {S::Running, E::Changed, S::Stopping, kStopIt},
    {S::Backoff, E::Changed, S::Starting, kStart},
    {S::Stopping, E::Changed, S::Stopping, {}},
    {S::Exited, E::Changed, S::Exited, {}},
    {S::Fatal, E::Changed, S::Fatal, {}},
    {S::Unknown, E::Changed, S::Unknown, {}},
    // Kept: only the goal changes.
    {S::Stopped, E::Kept, S::Stopped, {}},
    {S::Starting, E::Kept, S::Starting, {}},
    {S::Running, E::Kept, S::Running, {}},
    {S::Backoff, E::Kept, S::Backoff, {}},
    {S::Stopping, E::Kept, S::Stopping, {}},
    {S::Exited, E::Kept, S::Exited, {}},
    {S::Fatal, E::Kept, S::Fatal, {}},
    {S::Unknown, E::Kept, S::Unknown, {}},
};

std::string label(S s, E e) {
  return std::string(state_name(s)) + " + " + std::string(event_name(e));
}

TEST(CoreState, TableCoversEveryStateEventPairExactlyOnce) {
  std::set<std::pair<S, E>> seen;
  for (const auto& r : kTable)
    EXPECT_TRUE(seen.insert({r.state, r.event}).second) << label(r.state, r.event);
  for (S s : kAllStates)
    for (E e : kAllEvents) EXPECT_TRUE(seen.count({s, e})) << "missing row " << label(s, e);
  EXPECT_EQ(kTable.size(), std::size(kAllStates) * std::size(kAllEvents));
}

TEST(CoreState, EveryPairFollowsTheTable) {
  for (const auto& r : kTable) {
    Transition t = transition(r.state, r.event, base());
    EXPECT_EQ(t.next, r.next) << label(r.state, r.event);
    EXPECT_EQ(t.actions, r.actions) << label(r.state, r.event);
    // A change of state always has a reason for the log; no change, no reason needed.
    if (t.next != r.state) {
      EXPECT_FALSE(t.reason.empty()) << label(r.state, r.event);
    }
  }
}

TEST(CoreState, NumericCodesAndNamesAreSupervisors) {
  EXPECT_EQ(static_cast<int>(S::Stopped), 0);
  EXPECT_EQ(static_cast<int>(S::Starting), 10);
  EXPECT_EQ(static_cast<int>(S::Running), 20);
  EXPECT_EQ(static_cast<int>(S::Backoff), 30);
  EXPECT_EQ(static_cast<int>(S::Stopping), 40);
  EXPECT_EQ(static_cast<int>(S::Exited), 100);
  EXPECT_EQ(static_cast<int>(S::Fatal), 200);
  EXPECT_EQ(static_cast<int>(S::Unknown), 1000);
  EXPECT_EQ(state_name(S::Running), "RUNNING");
  EXPECT_EQ(state_name(S::Backoff), "BACKOFF");
  EXPECT_EQ(state_name(S::Unknown), "UNKNOWN");
  std::set<S> stopped;
  for (S s : kAllStates)
    if (is_stopped_state(s)) stopped.insert(s);
  EXPECT_EQ(stopped, (std::set<S>{S::Stopped, S::Exited, S::Fatal, S::Unknown}));
}

TEST(CoreState, StartsecsZeroIsRunningAtSpawn) {
  auto c = base();
  c.startsecs = 0;
  Transition t = transition(S::Starting, E::Spawned, c);
  EXPECT_EQ(t.next, S::Running);
  EXPECT_EQ(t.actions, std::vector<A>{A::ResetRetries});
}

TEST(CoreState, FailuresGoFatalOnceAttemptsExceedOnePlusStartretries) {
  for (E failure : {E::SpawnFailed, E::Exited}) {
    auto c = base();
    c.startretries = 3;
    // Attempts 1-3 fail into BACKOFF (retries 0,1,2 before counting), the 4th is FATAL.
    for (int retries = 0; retries < 3; ++retries) {
      c.retries = retries;
      EXPECT_EQ(transition(S::Starting, failure, c).next, S::Backoff) << retries;
    }
    c.retries = 3;
    Transition t = transition(S::Starting, failure, c);
    EXPECT_EQ(t.next, S::Fatal);
    EXPECT_EQ(t.reason, kTooManyRetries);
    EXPECT_EQ(t.actions.back(), A::ClearTimer);  // FATAL is never retried
  }
  auto none = base();
  none.startretries = 0;
  EXPECT_EQ(transition(S::Starting, E::SpawnFailed, none).next, S::Fatal);
}

TEST(CoreState, FailureReasonsAreKept) {
  auto c = base();
  c.detail = "cannot execute /nope: No such file or directory";
  EXPECT_EQ(transition(S::Starting, E::SpawnFailed, c).reason, c.detail);
  c.detail = "exit status 3";
  EXPECT_NE(transition(S::Starting, E::Exited, c).reason.find(kExitedTooQuickly),
            std::string::npos);
  EXPECT_NE(transition(S::Starting, E::Timer, c).reason.find("10 seconds (startsecs)"),
            std::string::npos);
}

bool autorestarts(Autorestart mode, bool expected, bool shutting_down) {
  auto c = base();
  c.autorestart = mode;
  c.exit_expected = expected;
  c.shutting_down = shutting_down;
  Transition t = transition(S::Running, E::Exited, c);
  EXPECT_EQ(t.next, S::Exited);
  EXPECT_NE(t.reason.find(expected ? "; expected" : "; not expected"), std::string::npos);
  return std::find(t.actions.begin(), t.actions.end(), A::AutoRestart) != t.actions.end();
}

TEST(CoreState, AutorestartAgainstExpectedExits) {
  EXPECT_FALSE(autorestarts(Autorestart::False, false, false));
  EXPECT_FALSE(autorestarts(Autorestart::False, true, false));
  EXPECT_TRUE(autorestarts(Autorestart::Unexpected, false, false));
  EXPECT_FALSE(autorestarts(Autorestart::Unexpected, true, false));
  EXPECT_TRUE(autorestarts(Autorestart::True, false, false));
  EXPECT_TRUE(autorestarts(Autorestart::True, true, false));
  // During shutdown nothing starts.
  EXPECT_FALSE(autorestarts(Autorestart::True, true, true));
  EXPECT_FALSE(autorestarts(Autorestart::Unexpected, false, true));
}

TEST(CoreState, GoneIsAnUnexpectedExit) {
  auto c = base();
  c.exit_expected = true;  // ignored: an unknown status is never expected
  c.autorestart = Autorestart::Unexpected;
  auto t = transition(S::Stopped, E::Gone, c);
  EXPECT_EQ(t.next, S::Exited);
  EXPECT_EQ(t.actions.back(), A::AutoRestart);
  c.autorestart = Autorestart::False;
  EXPECT_EQ(transition(S::Stopped, E::Gone, c).actions, std::vector<A>{A::ForgetProcess});
}

TEST(CoreState, NothingStartsDuringShutdown) {
  auto c = base();
  c.shutting_down = true;
  for (S s : kAllStates) EXPECT_EQ(transition(s, E::Start, c).next, s) << state_name(s);
  EXPECT_EQ(transition(S::Backoff, E::Timer, c).next, S::Backoff);
  // Stopping still works.
  EXPECT_EQ(transition(S::Running, E::Stop, c).next, S::Stopping);
}

TEST(CoreState, StillThereAfterTheKillIsUnknown) {
  auto c = base();
  c.killed = true;
  Transition t = transition(S::Stopping, E::Timer, c);
  EXPECT_EQ(t.next, S::Unknown);
  EXPECT_EQ(t.actions, std::vector<A>{A::ClearTimer});
}

// The goal, over every (state, event, goal) combination, with and without shutdown and
// autostart: the properties that make it the one place where "what next" is decided.
TEST(CoreGoal, EveryStateEventGoalCombinationKeepsTheGoalRules) {
  int checked = 0;
  for (S s : kAllStates)
    for (E e : kAllEvents)
      for (Goal g : kAllGoals)
        for (bool shutting : {false, true})
          for (bool autostart : {false, true}) {
            auto c = base();
            c.goal = g;
            c.shutting_down = shutting;
            c.autostart = autostart;
            const Transition t = transition(s, e, c);
            const std::string at = label(s, e) + " goal " + std::string(goal_name(g)) +
                                   (shutting ? " shutting down" : "") +
                                   (autostart ? " autostart" : "");
            auto has = [&](A a) {
              return std::find(t.actions.begin(), t.actions.end(), a) != t.actions.end();
            };
            ++checked;
            // Nothing starts during shutdown.
            if (shutting) {
              EXPECT_FALSE(has(A::Spawn)) << at;
              EXPECT_FALSE(has(A::AutoRestart)) << at;
            }
            // Restart lives only while stopping.
            if (t.goal == Goal::Restart) {
              EXPECT_EQ(t.next, S::Stopping) << at;
            }
            // Forgotten only once stopped, and only what was removed.
            if (has(A::Forget)) {
              EXPECT_TRUE(t.next == S::Stopped || t.next == S::Exited || t.next == S::Fatal) << at;
              EXPECT_TRUE(g == Goal::Removed || e == E::Remove) << at;
              EXPECT_EQ(t.goal, Goal::Removed) << at;
              EXPECT_FALSE(has(A::AutoRestart)) << at;
            }
            // A request sets the goal it asks for.
            if (e == E::Remove) {
              EXPECT_EQ(t.goal, Goal::Removed) << at;
            }
            if (e == E::Stop) {
              EXPECT_EQ(t.goal, g == Goal::Removed ? Goal::Removed : Goal::Down) << at;
            }
            if (e == E::Start && s != S::Unknown && !has(A::Forget)) {
              EXPECT_EQ(t.goal, Goal::Up) << at;
            }
            if (e == E::Kept && g == Goal::Removed) {
              EXPECT_EQ(t.goal, autostart ? Goal::Up : Goal::Down) << at;
            }
            // The end of a stop: started again iff the goal is to run, forgotten iff removed.
            const bool ends_stop = (s == S::Stopping || s == S::Unknown) && t.next == S::Stopped &&
                                   (e == E::Exited || e == E::SpawnFailed);
            if (ends_stop) {
              EXPECT_EQ(has(A::AutoRestart), (g == Goal::Up || g == Goal::Restart) && !shutting)
                  << at;
              EXPECT_EQ(has(A::Forget), g == Goal::Removed) << at;
              if (!has(A::AutoRestart) && !has(A::Forget)) {
                EXPECT_EQ(t.goal, Goal::Down) << at;
              }
            }
            // A program on its way up, or up, wants to be up (unless being removed).
            if (g != Goal::Removed && e != E::Remove &&
                (t.next == S::Starting || t.next == S::Running || t.next == S::Backoff)) {
              EXPECT_EQ(t.goal, Goal::Up) << at;
            }
            // At rest without a process and nothing queued: not wanted up any more.
            if (g != Goal::Removed && e != E::Remove && e != E::Kept && e != E::Start &&
                (t.next == S::Stopped || t.next == S::Exited || t.next == S::Fatal) &&
                !has(A::AutoRestart)) {
              EXPECT_EQ(t.goal, Goal::Down) << at;
            }
          }
  EXPECT_EQ(checked, static_cast<int>(std::size(kAllStates) * std::size(kAllEvents) *
                                      std::size(kAllGoals) * 4));
}

// The goal's decisions that replace the old start-when-stopped and remove-when-stopped
// flags, one by one.
TEST(CoreGoal, RestartStartAndRemoveFollowTheStop) {
  auto with = [](Goal g) {
    auto c = base();
    c.goal = g;
    return c;
  };
  Transition t = transition(S::Running, E::Restart, with(Goal::Up));
  EXPECT_EQ(t.next, S::Stopping);
  EXPECT_EQ(t.goal, Goal::Restart);
  t = transition(S::Stopping, E::Exited, with(Goal::Restart));
  EXPECT_EQ(t.next, S::Stopped);
  EXPECT_EQ(t.actions, (std::vector<A>{A::ForgetProcess, A::ClearTimer, A::AutoRestart}));
  EXPECT_EQ(t.goal, Goal::Up);
  // A start asked for while stopping: it starts again once stopped.
  t = transition(S::Stopping, E::Start, with(Goal::Down));
  EXPECT_EQ(t.next, S::Stopping);
  EXPECT_EQ(t.goal, Goal::Up);
  // A stop cancels a pending restart.
  t = transition(S::Stopping, E::Stop, with(Goal::Restart));
  EXPECT_EQ(t.goal, Goal::Down);
  t = transition(S::Stopping, E::Exited, with(Goal::Down));
  EXPECT_EQ(t.actions, (std::vector<A>{A::ForgetProcess, A::ClearTimer}));
  // Removed: forgotten once stopped, whether it ended or never got its process.
  t = transition(S::Running, E::Remove, with(Goal::Up));
  EXPECT_EQ(t.next, S::Stopping);
  EXPECT_EQ(t.goal, Goal::Removed);
  t = transition(S::Stopping, E::Exited, with(Goal::Removed));
  EXPECT_EQ(t.actions, (std::vector<A>{A::ForgetProcess, A::ClearTimer, A::Forget}));
  t = transition(S::Stopping, E::SpawnFailed, with(Goal::Removed));
  EXPECT_EQ(t.actions, (std::vector<A>{A::ClearTimer, A::Forget}));
  // A reload that has it again: wanted (autostart) or not.
  auto kept = with(Goal::Removed);
  kept.autostart = false;
  EXPECT_EQ(transition(S::Stopping, E::Kept, kept).goal, Goal::Down);
  kept.autostart = true;
  EXPECT_EQ(transition(S::Stopping, E::Kept, kept).goal, Goal::Up);
  // A reload's change does not turn a stop under way into a restart.
  t = transition(S::Stopping, E::Changed, with(Goal::Down));
  EXPECT_EQ(t.goal, Goal::Down);
  EXPECT_TRUE(t.actions.empty());
  // During shutdown nothing starts again.
  auto down = with(Goal::Restart);
  down.shutting_down = true;
  t = transition(S::Stopping, E::Exited, down);
  EXPECT_EQ(t.actions, (std::vector<A>{A::ForgetProcess, A::ClearTimer}));
  EXPECT_EQ(t.goal, Goal::Down);
}

TEST(CoreState, TransitionIsPure) {
  for (S s : kAllStates)
    for (E e : kAllEvents) {
      Transition a = transition(s, e, base());
      Transition b = transition(s, e, base());
      EXPECT_EQ(a.next, b.next);
      EXPECT_EQ(a.actions, b.actions);
      EXPECT_EQ(a.reason, b.reason);
    }
}

}  // namespace
}  // namespace sup::core
