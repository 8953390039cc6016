// A fake platform::Platform for the core's unit tests: a clock that moves only when told,
// scripted spawn results, recorded signals, injectable events, captured replies and an
// in-memory SUPERVISORD_TABLE.  No OS, no sleeping, no threads.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/protocol.hpp"
#include "platform/platform.hpp"

namespace sup::test {

// SUPERVISORD_TABLE in memory.
class FakeTable : public platform::LogicalTable {
 public:
  std::string set(const std::string& name, const std::string& value) override;
  std::optional<std::string> get(const std::string& name) const override;
  std::string remove(const std::string& name) override;
  std::vector<std::string> names() const override;

  std::map<std::string, std::string> entries;
  std::string fail_with;  // non-empty: set() and remove() fail with this text
  int writes = 0;         // successful set() calls
};

class FakePlatform : public platform::Platform {
 public:
  FakePlatform();

  // --- platform::Platform
  platform::SpawnId spawn(const platform::ProcessSpec& spec) override;
  std::string request_stop(platform::ProcessId pid, const platform::StopMethod& how) override;
  std::string kill(platform::ProcessId pid, bool to_group) override;
  std::string send_signal(platform::ProcessId pid, platform::Signal signal) override;
  bool adopt(platform::ProcessId pid, const std::string& identity,
             std::int64_t& started_wall) override;
  std::vector<platform::MarkedProcess> find_marked() override { return marked; }
  void wait(std::optional<platform::TimePoint> deadline,
            std::vector<platform::Event>& out) override;
  void reply(platform::RequestId request, const std::string& record) override;
  void finish(platform::RequestId request) override;
  platform::TimePoint now() const override { return now_; }
  std::int64_t wall_now() const override { return wall_; }
  platform::LogicalTable& table() override { return table_; }
  platform::ProcessId self_pid() const override { return 42; }
  std::string describe_exit(const platform::ExitStatus& status) const override;
  std::string format_pid(platform::ProcessId pid) const override { return std::to_string(pid); }
  std::string control_address() const override { return "/fake/supervisord.sock"; }

  // --- the test's controls
  // Moves both clocks forward.
  void advance(int seconds);
  // What spawn() has produced and not yet delivered: Created and Started, or SpawnFailed.
  // wait() delivers them first; tests that drive handle() directly take them here.
  std::vector<platform::Event> take_spawn_events();
  // The next spawn fails with `error` (queued; spawns succeed once the queue is empty).
  void fail_next_spawn(const std::string& error) { spawn_failures_.push_back(error); }
  // A batch of events that a wait() returns once the clock reaches now + after_seconds
  // (the fake's clock jumps there when nothing is due earlier).  Batches come in order.
  void script(std::vector<platform::Event> batch, int after_seconds = 0);
  // Live processes: spawned and not yet reported ended; their exit can be reported.
  bool alive(platform::ProcessId pid) const { return live_.count(pid) != 0; }
  // When set, request_stop/kill make the process exit at the next wait() (SIGTERM 15,
  // SIGKILL 9), like a well-behaved program.
  bool exit_on_stop = false;
  bool exit_on_kill = false;
  // Errors request_stop/kill return (empty: success).
  std::string stop_error, kill_error;
  // Processes adopt() finds alive, with the start time it reports.
  std::map<platform::ProcessId, std::int64_t> adoptable;
  // What find_marked() reports (make them adoptable too, for adopt() to succeed).
  std::vector<platform::MarkedProcess> marked;

  // --- what happened
  std::vector<platform::ProcessSpec> spawned;
  std::vector<platform::ProcessId> stop_requests, kills;
  // dropkeys: how each stop was asked for, whether each kill went to the group, and the
  // signals send_signal() sent (an error for a process that is not alive).
  std::vector<platform::StopMethod> stop_methods;
  std::vector<bool> kill_groups;
  std::vector<std::pair<platform::ProcessId, platform::Signal>> signals;
  std::vector<std::optional<platform::TimePoint>> wait_deadlines;
  std::vector<platform::TimePoint> spawn_times;
  std::map<platform::RequestId, std::vector<core::Reply>> replies;
  std::set<platform::RequestId> finished;
  platform::ProcessId last_pid() const { return next_pid_ - 1; }

  // --- event builders
  static platform::Event exited(platform::ProcessId pid, std::uint32_t code);
  static platform::Event signaled(platform::ProcessId pid, std::uint32_t signal);
  static platform::Event request(platform::RequestId id, const core::Request& r,
                                 bool privileged = true);
  static platform::Event raw_request(platform::RequestId id, std::string payload);
  static platform::Event simple(platform::Event::Kind kind);

 private:
  FakeTable table_;
  platform::TimePoint now_;
  std::int64_t wall_ = 1764093600;  // 2025-11-25 18:00:00 UTC
  platform::ProcessId next_pid_ = 1000;
  platform::SpawnId next_spawn_ = 1;
  std::vector<platform::Event> spawn_events_;
  std::deque<std::string> spawn_failures_;
  struct Scripted {
    platform::TimePoint at;
    std::vector<platform::Event> events;
  };
  void jump_to(platform::TimePoint t);
  std::deque<Scripted> script_;
  std::vector<platform::Event> pending_exits_;
  std::set<platform::ProcessId> live_;
  int wait_calls_ = 0;
};

}  // namespace sup::test
