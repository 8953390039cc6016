// The Supervisor's side of transitions: feeding events to transition(), carrying out its
// actions with the platform, and keeping the table and the waiting clients informed.
#include <algorithm>
#include <cctype>
#include <chrono>

#include "core/program_signals.hpp"
#include "core/supervisor.hpp"
#include "core/table_entry.hpp"
#include "msg/ascii_text.hpp"
#include "msg/message.hpp"

namespace sup::core {
namespace {

// `daemon_env` is [supervisord] environment; `control_address` stands for serverurl AUTO.
platform::ProcessSpec spec_for(const config::ProgramConfig& c,
                               const std::vector<config::EnvVar>& daemon_env,
                               const std::string& control_address) {
  platform::ProcessSpec s;
  s.program = c.name;
  s.process_name = c.process_name;
  s.image = c.image;
  s.arguments = c.arguments;
  s.input = c.command;
  s.output = c.stdout_file;
  s.error = c.stderr_file;
  s.user = c.user;
  s.baspri = c.baspri;
  s.kt_limit = c.kt_limit;
  s.nouaf = c.nouaf;
  for (const auto& q : c.quotas) s.quotas.push_back(platform::QuotaSpec{q.name, q.value});
  s.privileges = c.privilege_mask;
  // dropkeys: supervisor's process keys.
  for (const auto* list : {&daemon_env, &c.environment})
    for (const auto& v : *list) s.environment.emplace_back(v.name, v.value);
  s.directory = c.directory;
  s.umask = c.umask;
  s.server_url = c.serverurl == "AUTO" ? control_address : c.serverurl;
  return s;
}

}  // namespace

// Runs an event and everything it leads to (spawn outcomes, automatic restarts, a start
// that waited for a stop), then updates the table and the waiting clients once, with the
// final state.
void Supervisor::dispatch(Program& p, ProgramEvent event, std::string detail) {
  FollowUps queue{{event, std::move(detail)}};
  for (std::size_t i = 0; i < queue.size(); ++i) {
    auto [ev, text] = queue[i];  // a copy: step() may grow the queue
    step(p, ev, text, queue);
  }
  sync_table(p);
  waits_.on_change(p);
}

void Supervisor::step(Program& p, ProgramEvent event, const std::string& detail, FollowUps& next) {
  TransitionContext ctx;
  ctx.startsecs = p.config.startsecs;
  ctx.startretries = p.config.startretries;
  ctx.retries = p.retries;
  ctx.autorestart = p.config.autorestart;
  ctx.exit_expected = p.exit_expected;
  ctx.killed = p.killed;
  ctx.shutting_down = shutting_down_;
  ctx.goal = p.goal;
  ctx.autostart = p.config.autostart;
  ctx.detail = detail;
  Transition t = transition(p.state, event, ctx);
  if (t.next != p.state) {
    log_.log(SUP__STATECHG, {p.config.name, std::string(state_name(p.state)),
                             std::string(state_name(t.next)), t.reason});
  }
  p.state = t.next;
  p.goal = t.goal;
  if (t.next == State::Unknown) p.reason = t.reason;
  for (Action a : t.actions) perform(p, a, detail, next);
}

void Supervisor::perform(Program& p, Action action, const std::string& detail, FollowUps& next) {
  using std::chrono::seconds;
  switch (action) {
    case Action::Spawn:
      queue_spawn(p);  // spawned in priority order (supervisor_order.cpp)
      break;
    case Action::ArmStartTimer:
      set_deadline(p, platform_.now() + seconds(p.config.startsecs));
      break;
    case Action::ArmBackoffTimer:
      set_deadline(p, platform_.now() + seconds(p.retries));
      break;
    case Action::ArmStopTimer:
      queue_stop(p);  // the timer starts with the stop request, in priority order
      break;
    case Action::ArmKillTimer:
      set_deadline(p, platform_.now() + seconds(kKillGraceSeconds));
      break;
    case Action::ClearTimer:
      set_deadline(p, std::nullopt);
      p.killed = false;
      break;
    case Action::RequestStop:
      if (p.pid == 0 || p.stop_queued) break;
      if (auto err = platform_.request_stop(p.pid, stop_method(p.config)); !err.empty())
        next.emplace_back(ProgramEvent::SignalFailed, err);
      break;
    case Action::Kill:
      if (p.pid == 0) break;
      log_.log(SUP__KILLING, {p.config.name, std::uint64_t(std::max(0, p.config.stopwaitsecs))});
      p.killed = true;
      if (auto err = platform_.kill(p.pid, p.config.killasgroup); !err.empty())
        next.emplace_back(ProgramEvent::SignalFailed, err);
      break;
    case Action::ResetRetries:
      p.retries = 0;
      break;
    case Action::CountRetry:
      ++p.retries;
      break;
    case Action::RecordSpawnError:
      p.reason = detail;
      p.spawn_error = true;
      break;
    case Action::RecordTooQuick:
      p.reason = std::string(kExitedTooQuickly);
      p.spawn_error = false;
      break;
    case Action::ForgetProcess:
      set_pid(p, 0);
      p.identity.clear();
      p.stopped_wall = platform_.wall_now();
      break;
    case Action::AutoRestart:
      next.emplace_back(ProgramEvent::Start, std::string());
      break;
    case Action::Forget:
      if (!p.forgotten) ++removals_;
      p.forgotten = true;
      break;
  }
}

// Only starts the creation: its outcome comes back as events (on_spawn_event), so a
// slow child delays nothing but its own program.
void Supervisor::spawn(Program& p) {
  set_pid(p, 0);
  p.identity.clear();
  p.killed = false;
  set_spawn(p,
            platform_.spawn(spec_for(p.config, daemon_environment_, platform_.control_address())));
}

// The table holds an entry exactly while the program has a process.  A write that fails
// (table directory gone, disk full) is logged once and retried after every event and on
// a timer until it succeeds (retry_table).  A later daemon does not depend on it to find
// the process (each is marked, Platform::find_marked), but status readers and the
// re-attach of an unmarked survivor do.
void Supervisor::sync_table(Program& p) {
  std::string want;
  if (p.pid != 0)
    want =
        format_table_entry({p.pid, p.identity, p.started_wall, std::string(state_name(p.state))});
  if (want == p.table_value && !p.table_unsynced) return;
  // A shutdown does not record STOPPING: the entry written before still names the same
  // process (pid, identity, start), which is all a later daemon reads from it, and it
  // goes once the process has ended.  On a disk each write is a new file (an inode to
  // allocate), and skipping it took most of the daemon's own share of a shutdown.
  if (shutting_down_ && p.state == State::Stopping && !p.table_value.empty() && !p.table_unsynced)
    return;
  std::string key = program_key(p.config.name);
  // A stopped program's entry goes; a failed removal is retried like a failed write.
  std::string err = want.empty() ? platform_.table().remove(key) : platform_.table().set(key, want);
  if (!err.empty()) {
    if (!p.table_unsynced) log_.log(SUP__TABLEERR, {key, err});
    p.table_unsynced = true;
    unsynced_.insert(p.serial);
    table_retry_seconds_ = std::max(1, table_retry_seconds_);
    if (!table_retry_) table_retry_ = platform_.now() + std::chrono::seconds(table_retry_seconds_);
    return;
  }
  p.table_value = want;
  p.table_unsynced = false;
  unsynced_.erase(p.serial);
}

Program* Supervisor::find(std::string_view name) {
  for (auto& p : programs_)
    if (p->config.name == name) return p.get();
  for (auto& p : programs_)
    if (text::iequals(p->config.name, name)) return p.get();
  return nullptr;
}

const Program* Supervisor::program(std::string_view name) const {
  return const_cast<Supervisor*>(this)->find(name);
}

Program* Supervisor::find_by_spawn(platform::SpawnId spawn) {
  const auto it = by_spawn_.find(spawn);
  return it == by_spawn_.end() ? nullptr : it->second;
}

Program* Supervisor::find_by_pid(platform::ProcessId pid) {
  const auto it = by_pid_.find(pid);
  return it == by_pid_.end() ? nullptr : it->second;
}

Program& Supervisor::adopt_program(std::unique_ptr<Program> p,
                                   std::vector<std::unique_ptr<Program>>& into) {
  p->serial = next_serial_++;
  by_serial_[p->serial] = p.get();
  into.push_back(std::move(p));
  return *into.back();
}

void Supervisor::set_pid(Program& p, platform::ProcessId pid) {
  if (p.pid == pid) return;
  if (p.pid != 0) {
    const auto it = by_pid_.find(p.pid);
    if (it != by_pid_.end() && it->second == &p) by_pid_.erase(it);
  }
  p.pid = pid;
  if (pid != 0) by_pid_[pid] = &p;
}

void Supervisor::set_spawn(Program& p, platform::SpawnId spawn) {
  if (p.spawn != 0) by_spawn_.erase(p.spawn);
  p.spawn = spawn;
  if (spawn != 0) by_spawn_[spawn] = &p;
}

void Supervisor::set_deadline(Program& p, std::optional<platform::TimePoint> at) {
  p.deadline = at;
  ++p.deadline_generation;
  if (at) timers_.arm(*at, p.serial, p.deadline_generation);
}

bool Supervisor::timer_live(std::uint64_t serial, std::uint64_t generation) const {
  const auto it = by_serial_.find(serial);
  return it != by_serial_.end() && it->second->deadline &&
         it->second->deadline_generation == generation;
}

}  // namespace sup::core
