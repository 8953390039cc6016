// Start and stop order: supervisor's `priority` (README "Groups, instances and
// includes").  Programs are ordered by (group priority, priority): the [group:x]
// priority, else the program's own, then the program's.
//
// - Start: a program is created only once every program before it that is being started
//   runs its image (or failed to start).  Equal priorities start together.
// - Stop: a program is asked to stop only once every program after it that is stopping
//   has stopped.  Equal priorities stop together, in parallel.
//
// transition() says what to do; perform() only marks a spawn or a stop as queued, and
// release_ordered() (after every event, from settle()) carries out those whose turn it
// is.  Nothing here waits for readiness (RUNNING): priority orders, it does not make a
// program depend on another.
#include <algorithm>
#include <chrono>
#include <optional>
#include <utility>

#include "core/program_signals.hpp"
#include "core/supervisor.hpp"
#include "msg/message.hpp"

namespace sup::core {
namespace {

using Key = std::pair<int, int>;

Key order_key(const Program& p) {
  return {p.config.group_priority, p.config.priority};
}

// A program that is being created, or will be once its turn or its stop has come.
bool creating(const Program& p) {
  return p.spawn != 0 || p.spawn_queued ||
         (p.state == State::Stopping && (p.goal == Goal::Up || p.goal == Goal::Restart));
}

}  // namespace

void Supervisor::queue_spawn(Program& p) {
  p.spawn_queued = true;
  ordered_pending_ = true;
}

void Supervisor::queue_stop(Program& p) {
  p.stop_queued = true;
  ordered_pending_ = true;
}

void Supervisor::release_ordered() {
  // Each round settles what the one before released; a handful always suffices (a
  // dropped spawn may restart its program, which queues it again).
  for (int round = 0; ordered_pending_ && round < 4; ++round)
    if (!release_round()) break;
}

bool Supervisor::release_round() {
  bool changed = false;
  // A queued spawn whose program was stopped before its turn came never happens.
  for (auto& p : programs_) {
    if (!p->spawn_queued || p->state == State::Starting) continue;
    p->spawn_queued = false;
    changed = true;
    if (p->state == State::Stopping)
      dispatch(*p, ProgramEvent::SpawnFailed, "stopped before its turn to start");
  }
  std::optional<Key> lowest_creating, highest_stopping;
  for (auto& p : programs_) {
    if (p->stop_queued && p->state != State::Stopping) p->stop_queued = false;
    const Key key = order_key(*p);
    if (creating(*p) && (!lowest_creating || key < *lowest_creating)) lowest_creating = key;
    if (p->state == State::Stopping && (!highest_stopping || key > *highest_stopping))
      highest_stopping = key;
  }
  bool pending = false;
  for (auto& p : programs_) {
    if (p->spawn_queued && order_key(*p) <= *lowest_creating) {
      p->spawn_queued = false;
      spawn(*p);
      changed = true;
    } else if (p->stop_queued && order_key(*p) >= *highest_stopping) {
      release_stop(*p);
      changed = true;
    }
    pending = pending || p->spawn_queued || p->stop_queued;
  }
  ordered_pending_ = pending;
  return changed;
}

// What ArmStopTimer and RequestStop would have done when the stop was decided.
void Supervisor::release_stop(Program& p) {
  p.stop_queued = false;
  set_deadline(p, platform_.now() + std::chrono::seconds(std::max(0, p.config.stopwaitsecs)));
  if (p.pid == 0) return;  // being created: Created delivers the stop
  if (std::string err = platform_.request_stop(p.pid, stop_method(p.config)); !err.empty())
    dispatch(p, ProgramEvent::SignalFailed, err);
}

}  // namespace sup::core
