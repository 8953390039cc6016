#include "core/supervisor.hpp"

#include <algorithm>
#include <map>

#include "core/program_signals.hpp"
#include "core/table_entry.hpp"
#include "msg/message.hpp"

namespace sup::core {
namespace {

// A status is expected when the process exited by itself with a listed code; VMS
// condition values are compared with the control bits 28-31 masked off.
bool exit_expected(const config::ProgramConfig& c, const platform::ExitStatus& s) {
  if (s.kind != platform::ExitStatus::Kind::Exited) return false;
  constexpr std::uint32_t kMask = 0x0FFFFFFFu;
  return std::any_of(c.exitcodes.begin(), c.exitcodes.end(),
                     [&](std::uint32_t code) { return (code & kMask) == (s.code & kMask); });
}

// Outside input shown in the log: at most 64 printable characters, the others as '?', so
// that garbage in the table can neither break a log line (a NUL) nor flood the log.
std::string excerpt(std::string_view value) {
  constexpr std::size_t kShown = 64;
  std::string out;
  for (char c : value.substr(0, kShown)) {
    const auto u = static_cast<unsigned char>(c);
    out += u >= 0x20 && u < 0x7f ? c : '?';
  }
  if (value.size() > kShown) out += "... (" + std::to_string(value.size()) + " bytes)";
  return out;
}

}  // namespace

Supervisor::Supervisor(platform::Platform& platform, const config::Config& config, Options options,
                       ActivityLog& log)
    : platform_(platform),
      log_(log),
      options_(std::move(options)),
      config_path_(config.path),
      daemon_environment_(config.daemon.environment),
      waits_(platform) {
  if (options_.version.empty()) options_.version = SUP_VERSION;
  for (const auto& pc : config.programs) {
    auto p = std::make_unique<Program>();
    p->config = pc;
    adopt_program(std::move(p), programs_);
  }
}

void Supervisor::start() {
  log_.log(SUP__STARTING, {options_.version, std::uint64_t{platform_.self_pid()}, config_path_});
  reattach();
  for (auto& p : programs_)
    if (p->config.autostart && p->state == State::Stopped && !p->ever_started)
      dispatch(*p, ProgramEvent::Start);
  settle();  // the autostart spawns, in priority order
  auto& table = platform_.table();
  for (auto [key, value] : {std::pair{kCommandKey, platform_.control_address()},
                            std::pair{kDaemonPidKey, platform_.format_pid(platform_.self_pid())}}) {
    std::string err = table.set(std::string(key), value);
    if (!err.empty()) log_.log(SUP__TABLEERR, {std::string(key), err});
  }
  log_.log(SUP__LISTENING, {platform_.control_address()});
}

RunOutcome Supervisor::run() {
  std::vector<platform::Event> events;
  while (!done_) {
    events.clear();
    platform_.wait(next_deadline(), events);
    for (const auto& event : events) handle(event);
    fire_due();
  }
  return outcome_;
}

void Supervisor::handle(const platform::Event& e) {
  using K = platform::Event::Kind;
  switch (e.kind) {
    case K::Created:
    case K::Started:
    case K::SpawnFailed:
      on_spawn_event(e);
      break;
    case K::ChildExited:
      on_child_exited(e);
      break;
    case K::ControlRequest:
      on_request(e);
      break;
    case K::ClientGone:
      waits_.forget(e.request);
      break;
    case K::Shutdown:
      begin_shutdown();
      break;
    case K::ReopenLogs:
      log_.reopen();
      if (options_.reopen_logs)
        if (std::string e = options_.reopen_logs(); !e.empty())
          log_.log(SUP__SYSERR, {"reopen", e});
      log_.log(SUP__LOGREOPEN);
      break;
    case K::Reload:
      on_reload();
      break;
  }
  settle();
}

void Supervisor::fire_due() {
  auto now = platform_.now();
  const auto live = [this](std::uint64_t serial, std::uint64_t generation) {
    return timer_live(serial, generation);
  };
  for (std::uint64_t serial : timers_.take_due(now, live)) {
    const auto it = by_serial_.find(serial);
    if (it == by_serial_.end()) continue;  // forgotten meanwhile (a reload removed it)
    set_deadline(*it->second, std::nullopt);
    dispatch(*it->second, ProgramEvent::Timer);
  }
  if (table_retry_ && *table_retry_ <= now) {
    // Each failed write in retry_table() arms the next attempt, later and later.
    table_retry_.reset();
    table_retry_seconds_ = std::min(2 * table_retry_seconds_, kTableRetryMaxSeconds);
  }
  waits_.expire(now);
  settle();
}

std::optional<platform::TimePoint> Supervisor::next_deadline() const {
  std::optional<platform::TimePoint> best = waits_.next_deadline();
  if (table_retry_ && (!best || *table_retry_ < *best)) best = table_retry_;
  const auto next = timers_.next([this](std::uint64_t serial, std::uint64_t generation) {
    return timer_live(serial, generation);
  });
  if (next && (!best || *next < *best)) best = next;
  return best;
}

void Supervisor::on_child_exited(const platform::Event& e) {
  Program* p = find_by_pid(e.pid);
  std::string what = platform_.describe_exit(e.status);
  if (!p) {
    log_.log(SUP__UNKPID, {platform_.format_pid(e.pid), what});
    return;
  }
  log_.log(SUP__EXITSTS, {p->config.name, what});
  p->spawn = 0;
  p->last_exit = e.status;
  p->exit_expected = exit_expected(p->config, e.status);
  // An exit and the startsecs deadline reported together: it did stay up long enough.
  if (p->state == State::Starting && p->deadline && *p->deadline <= platform_.now()) {
    p->deadline.reset();
    dispatch(*p, ProgramEvent::Timer);
  }
  dispatch(*p, ProgramEvent::Exited, what);
}

// The outcome of a spawn, in order: Created (the pid: recorded in the table at once),
// Started (it runs its image: startsecs begins), or SpawnFailed at any point.
void Supervisor::on_spawn_event(const platform::Event& e) {
  using K = platform::Event::Kind;
  Program* p = e.kind == K::Started ? find_by_pid(e.pid) : find_by_spawn(e.spawn);
  if (!p) return;  // nothing else can own it: every spawn belongs to a program
  switch (e.kind) {
    case K::Created:
      set_pid(*p, e.pid);
      p->identity = e.identity;
      p->started_wall = e.started_wall;
      p->ever_started = true;
      log_.log(SUP__SPAWNED, {p->config.name, std::uint64_t{e.pid}});
      dispatch(*p, ProgramEvent::Created);
      break;
    case K::Started:
      set_spawn(*p, 0);
      dispatch(*p, ProgramEvent::Spawned);
      break;
    default:
      set_spawn(*p, 0);
      set_pid(*p, 0);
      p->identity.clear();
      dispatch(*p, ProgramEvent::SpawnFailed, e.text);
      break;
  }
}

void Supervisor::on_reload() {
  if (!options_.reread) {
    log_.log(SUP__CFGERR, {std::string("reload: this daemon cannot re-read its configuration")});
    return;
  }
  std::string error;
  auto fresh = options_.reread(error);
  if (!fresh) {
    log_.log(SUP__CFGERR, {"reload refused, configuration unchanged: " + error});
    return;
  }
  std::vector<std::string> changes;
  reload(*fresh, changes);
}

void Supervisor::begin_shutdown() {
  if (shutting_down_ || done_) return;
  shutting_down_ = true;
  std::uint64_t running = 0;
  for (const auto& p : programs_) running += p->pid != 0 ? 1 : 0;
  log_.log(SUP__STOPPINGALL, {running});
  // Every program is asked to stop, in descending priority order (supervisor_order.cpp):
  // equal priorities at once, each with its own deadline.
  for (auto& p : programs_) dispatch(*p, ProgramEvent::Stop);
}

// Called after every event: retries the table writes that failed, drops programs a
// reload removed once they have stopped, and ends a shutdown once no program is left
// with a live process to wait for.
void Supervisor::settle() {
  retry_table();
  if (ordered_pending_) release_ordered();
  if (removals_ != 0) {
    // Only after a reload removed programs: the ones transition() said to forget go.
    auto gone = [](const auto& p) { return p->forgotten; };
    for (auto& p : programs_) {
      if (!gone(p)) continue;
      by_serial_.erase(p->serial);
      unsynced_.erase(p->serial);
      --removals_;
    }
    programs_.erase(std::remove_if(programs_.begin(), programs_.end(), gone), programs_.end());
  }
  if (!shutting_down_ || done_) return;
  for (const auto& p : programs_)
    if (p->state == State::Starting || p->state == State::Running || p->state == State::Stopping)
      return;
  for (auto& p : programs_) {
    // Entries already removed need no second unlink (a system call per program).
    if (p->table_value.empty() && !p->table_unsynced) continue;
    // At the very end nothing can retry: say so, the next daemon will find the entry
    // and see its process gone (an exit of unknown status).
    std::string key = program_key(p->config.name);
    if (std::string err = platform_.table().remove(key); !err.empty())
      log_.log(SUP__TABLEERR, {key, err});
    p->table_value.clear();
  }
  log_.log(SUP__STOPALL);
  leave(RunOutcome::StoppedAll);
}

// Writes again what the table missed; says once when it has caught up.
void Supervisor::retry_table() {
  if (table_retry_seconds_ == 0) return;  // current since the last time it caught up
  // Only the programs whose write failed: a table that cannot be written (a full disk,
  // no descriptors left) must not make every event cost a walk over every program.
  std::vector<std::uint64_t> pending(unsynced_.begin(), unsynced_.end());
  bool behind = false;
  for (std::uint64_t serial : pending) {
    const auto it = by_serial_.find(serial);
    if (it == by_serial_.end()) {
      unsynced_.erase(serial);  // forgotten meanwhile
      continue;
    }
    sync_table(*it->second);  // a failure arms the next attempt
    behind = behind || it->second->table_unsynced;
  }
  if (behind) return;
  table_retry_.reset();
  table_retry_seconds_ = 0;
  log_.log(SUP__TABLEOK);
}

void Supervisor::leave(RunOutcome outcome) {
  waits_.close_all(SUP__SHUTTING, msg::text(SUP__SHUTTING));
  // Best effort, results ignored: the next daemon redefines both names, and until then a
  // stale SUPERVISORD_CMD names a socket nobody listens on (the client says NODAEMON).
  (void)platform_.table().remove(std::string(kCommandKey));
  (void)platform_.table().remove(std::string(kDaemonPidKey));
  outcome_ = outcome;
  done_ = true;
}

// What an earlier daemon left: the table's entries, and the processes that carry this
// table's mark (found even when a failed table write left an entry stale or missing).
void Supervisor::reattach() {
  auto& table = platform_.table();
  std::map<Program*, std::string> recorded;
  for (const auto& key : table.names()) {
    if (key.compare(0, kProgramKeyPrefix.size(), kProgramKeyPrefix) != 0) continue;
    auto it = std::find_if(programs_.begin(), programs_.end(),
                           [&](const auto& p) { return program_key(p->config.name) == key; });
    if (it == programs_.end()) {
      log_.log(SUP__TABLEWARN, {key, std::string("no such program in the configuration")});
      continue;
    }
    if (auto value = table.get(key)) recorded[it->get()] = *value;
  }
  std::map<Program*, std::vector<platform::MarkedProcess>> marked;
  for (auto& m : platform_.find_marked()) {
    auto it = std::find_if(programs_.begin(), programs_.end(),
                           [&](const auto& p) { return p->config.name == m.program; });
    if (it == programs_.end()) {
      log_.log(SUP__MARKWARN, {std::uint64_t{m.pid}, excerpt(m.program)});
      continue;
    }
    marked[it->get()].push_back(std::move(m));
  }
  for (auto& p : programs_) {
    auto entry = recorded.find(p.get());
    auto marks = marked.find(p.get());
    if (entry == recorded.end() && marks == marked.end()) continue;
    reattach_one(*p, entry == recorded.end() ? std::nullopt : std::optional(entry->second),
                 marks == marked.end() ? std::vector<platform::MarkedProcess>{} : marks->second);
  }
}

bool Supervisor::attach(Program& p, platform::ProcessId pid, const std::string& identity,
                        std::int64_t started_wall) {
  std::int64_t started = started_wall;
  if (!platform_.adopt(pid, identity, started)) return false;
  set_pid(p, pid);
  p.identity = identity;
  p.started_wall = started;
  return true;
}

// The table's entry is tried first; a marked process it does not name is the program's
// when the entry's process is gone (or there is no entry), else an unrecorded second copy
// (which one daemon cannot make; stopped all the same: a program runs once).
void Supervisor::reattach_one(Program& p, const std::optional<std::string>& value,
                              const std::vector<platform::MarkedProcess>& marked) {
  const std::string key = program_key(p.config.name);
  std::optional<TableEntry> entry;
  if (value) {
    entry = parse_table_entry(*value);
    if (!entry) {
      log_.log(SUP__TABLEWARN, {key, "cannot parse \"" + excerpt(*value) + "\""});
      if (std::string err = platform_.table().remove(key); !err.empty())
        log_.log(SUP__TABLEERR, {key, err});
    } else {
      p.table_value = *value;
      p.ever_started = true;
    }
  }
  bool attached = entry && attach(p, entry->pid, entry->identity, entry->started_wall);
  if (attached) log_.log(SUP__REATTACHED, {p.config.name, std::uint64_t{entry->pid}});
  for (const auto& m : marked) {
    if (attached && m.pid == p.pid) continue;
    if (attached) {
      log_.log(SUP__DUPLICATE, {p.config.name, std::uint64_t{m.pid}, std::uint64_t{p.pid}});
      if (std::string err = platform_.request_stop(m.pid, stop_method(p.config)); !err.empty())
        log_.log(SUP__SYSERR, {p.config.name, err});
      continue;
    }
    if (attach(p, m.pid, m.identity, m.started_wall)) {
      attached = true;
      log_.log(SUP__FOUNDMARK, {p.config.name, std::uint64_t{m.pid}});
    }
  }
  if (attached) {
    p.ever_started = true;
    dispatch(p, ProgramEvent::Adopted);
    return;
  }
  if (!entry) return;  // marked processes that ended while we looked: it starts afresh
  log_.log(SUP__GONE, {p.config.name, std::uint64_t{entry->pid}});
  p.exit_expected = false;
  p.last_exit = platform::ExitStatus{};
  dispatch(p, ProgramEvent::Gone, platform_.describe_exit(p.last_exit));
}

}  // namespace sup::core
