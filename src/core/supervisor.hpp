// The daemon's core: owns the programs, runs THE main loop, answers clients.
//
// Everything OS-facing goes through platform::Platform; everything it decides about a
// program goes through transition() (program_state.hpp).  One blocking call
// (Platform::wait) with the earliest real deadline, none when idle: no polling tick.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "commands/command_list.hpp"
#include "config/config.hpp"
#include "core/activity_log.hpp"
#include "core/program_runtime.hpp"
#include "core/protocol.hpp"
#include "core/request_waits.hpp"
#include "core/timer_heap.hpp"
#include "platform/platform.hpp"

namespace sup::core {

struct Options {
  std::string password;  // empty: no password is asked for
  std::string version;   // shown by `version`; empty: SUP_VERSION
  // Re-reads the configuration for a Reload event (SIGHUP).  Returns nullopt and sets
  // `error` when the file is not valid (the running configuration stays).  Unset: a
  // Reload event is refused with a log line.
  std::function<std::optional<config::Config>(std::string& error)> reread;
  // Reopens the daemon's other log files on a ReopenLogs event (SIGUSR2), after the
  // activity log: in daemon mode its stdout_file.  Returns an error text, "" when fine.
  // Unset: only the activity log is reopened.
  std::function<std::string()> reopen_logs;
};

// How run() ended.
enum class RunOutcome {
  StoppedAll,   // Shutdown event: every program was stopped, their table entries removed
  LeftRunning,  // `shutdown` request: programs left running for the next daemon
};

// The longest wait between two attempts to write what the table missed.
inline constexpr int kTableRetryMaxSeconds = 30;

class Supervisor {
 public:
  // Keeps references to `platform` and `log` (they outlive the Supervisor).
  Supervisor(platform::Platform& platform, const config::Config& config, Options options,
             ActivityLog& log);

  // Re-attaches to the programs recorded in the table by an earlier daemon (alive:
  // RUNNING with their pid and uptime; gone: an exit of unknown status), starts the
  // autostart programs, and publishes SUPERVISORD_CMD and SUPERVISORD_PID.
  void start();

  // THE main loop: waits for events and deadlines until shutdown.
  RunOutcome run();

  // One iteration's parts, public so that tests can drive the loop step by step.
  void handle(const platform::Event& event);
  void fire_due();
  // The earliest deadline of a program or a request timeout; nullopt when idle.
  std::optional<platform::TimePoint> next_deadline() const;
  // True once run() would return.
  bool done() const { return done_; }

  // Applies a new configuration: adds new programs (autostart honoured), stops and drops
  // deleted ones, restarts changed ones that run, leaves the others undisturbed.
  // `changes` receives one line per difference ("web: added").  False when nothing
  // changed or during shutdown.
  bool reload(const config::Config& fresh, std::vector<std::string>& changes);

  // The program called `name` (exact, else without regard to case); nullptr if none.
  const Program* program(std::string_view name) const;
  std::size_t program_count() const { return programs_.size(); }
  bool shutting_down() const { return shutting_down_; }

 private:
  using FollowUps = std::vector<std::pair<ProgramEvent, std::string>>;
  // A named target of a request: a program, or a name that matched none.
  struct Target {
    std::string name;
    Program* program;
  };
  // The handler of one action of the command list (commands/command_list.hpp).
  using Handler = void (Supervisor::*)(platform::RequestId, const Request&);
  struct HandlerEntry {
    commands::Action action;
    Handler handler;  // nullptr for an action the client carries out itself
  };
  // Indexed by commands::Action; on_request checks at compile time that it follows the list.
  static const HandlerEntry kHandlers[];

  // supervisor.cpp: events, deadlines, shutdown.
  void on_child_exited(const platform::Event& event);
  void on_spawn_event(const platform::Event& event);
  void on_reload();
  void begin_shutdown();
  void settle();
  void leave(RunOutcome outcome);
  void reattach();
  void reattach_one(Program& p, const std::optional<std::string>& value,
                    const std::vector<platform::MarkedProcess>& marked);
  bool attach(Program& p, platform::ProcessId pid, const std::string& identity,
              std::int64_t started_wall);
  void retry_table();

  // supervisor_programs.cpp: transitions and their actions.
  void dispatch(Program& p, ProgramEvent event, std::string detail = {});
  void step(Program& p, ProgramEvent event, const std::string& detail, FollowUps& next);
  void perform(Program& p, Action action, const std::string& detail, FollowUps& next);
  void spawn(Program& p);
  void sync_table(Program& p);
  Program* find(std::string_view name);
  Program* find_by_pid(platform::ProcessId pid);
  Program* find_by_spawn(platform::SpawnId spawn);
  // The indexes (by serial, pid and spawn, the timer heap) follow these setters: set a
  // program's pid, spawn and deadline only through them.
  Program& adopt_program(std::unique_ptr<Program> p, std::vector<std::unique_ptr<Program>>& into);
  void set_pid(Program& p, platform::ProcessId pid);
  void set_spawn(Program& p, platform::SpawnId spawn);
  void set_deadline(Program& p, std::optional<platform::TimePoint> at);
  bool timer_live(std::uint64_t serial, std::uint64_t generation) const;

  // supervisor_order.cpp: spawns and stops carried out in priority order.
  void queue_spawn(Program& p);
  void queue_stop(Program& p);
  void release_ordered();
  bool release_round();
  void release_stop(Program& p);

  // supervisor_requests.cpp: the protocol's actions.
  void on_request(const platform::Event& event);
  void final_reply(platform::RequestId id, std::uint32_t condition, const std::string& text);
  std::vector<Target> resolve(const std::vector<std::string>& names);
  void begin_start(platform::RequestId id, Program& p, bool nowait, bool report_stop);
  void started_now(platform::RequestId id, const Program& p);
  void for_each_target(platform::RequestId id, const Request& r,
                       const std::function<void(Program&, const std::string&)>& each);
  void cmd_start(platform::RequestId id, const Request& r);
  void cmd_stop(platform::RequestId id, const Request& r);
  void cmd_restart(platform::RequestId id, const Request& r);
  void cmd_status(platform::RequestId id, const Request& r);
  void cmd_pid(platform::RequestId id, const Request& r);
  void cmd_version(platform::RequestId id, const Request& r);
  void cmd_shutdown(platform::RequestId id, const Request& r);

  platform::Platform& platform_;
  ActivityLog& log_;
  Options options_;
  std::string config_path_;
  // dropkeys: [supervisord] environment, given to every program before its own (fixed
  // for the daemon's life, as supervisor's: a reload does not change it).
  std::vector<config::EnvVar> daemon_environment_;
  std::vector<std::unique_ptr<Program>> programs_;  // config order; stable addresses
  std::uint64_t next_serial_ = 1;
  std::unordered_map<std::uint64_t, Program*> by_serial_;
  std::unordered_map<platform::ProcessId, Program*> by_pid_;
  std::unordered_map<platform::SpawnId, Program*> by_spawn_;
  mutable TimerHeap timers_;                    // next_deadline() drops stale entries
  std::unordered_set<std::uint64_t> unsynced_;  // serials whose last table write failed
  std::size_t removals_ = 0;  // programs a reload removed that are still to be forgotten
  RequestWaits waits_;
  // A table write failed: when to try the failed ones again (doubling up to
  // kTableRetryMaxSeconds), so that the table catches up even when nothing happens.
  std::optional<platform::TimePoint> table_retry_;
  int table_retry_seconds_ = 0;   // 0: the table is current
  bool ordered_pending_ = false;  // a spawn or a stop waits for its turn (supervisor_order.cpp)
  bool shutting_down_ = false;
  bool done_ = false;
  RunOutcome outcome_ = RunOutcome::StoppedAll;
};

}  // namespace sup::core
