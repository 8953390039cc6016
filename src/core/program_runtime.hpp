// One configured program's runtime record, owned by the Supervisor.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "config/config.hpp"
#include "core/program_state.hpp"
#include "platform/platform.hpp"

namespace sup::core {

struct Program {
  config::ProgramConfig config;
  std::uint64_t serial = 0;  // unique for the daemon's lifetime: how indexes name it
  State state = State::Stopped;
  platform::ProcessId pid = 0;    // 0: no process
  platform::SpawnId spawn = 0;    // the spawn under way (until Started or SpawnFailed)
  std::string identity;           // tells this process from a later one with the same pid
  std::int64_t started_wall = 0;  // when the process started (seconds since the epoch)
  std::int64_t stopped_wall = 0;  // when it last ended
  bool ever_started = false;      // "Not started" in status until then
  int retries = 0;                // failed start attempts in this series
  std::optional<platform::TimePoint> deadline;  // startsecs, backoff or stop deadline
  std::uint64_t deadline_generation = 0;        // bumped at each change (TimerHeap)
  bool killed = false;                          // the hard stop was sent in this STOPPING
  std::string reason;          // FATAL/BACKOFF/UNKNOWN: why (spawn error, too quick...)
  bool spawn_error = false;    // `reason` is a spawn error, not an early exit
  bool exit_expected = false;  // the last exit's status was in exitcodes
  platform::ExitStatus last_exit;
  Goal goal = Goal::Down;       // what it should be doing (an input of transition())
  bool forgotten = false;       // transition() said Forget: settle() drops it
  std::string table_value;      // what SUPERVISORD_TABLE holds for it ("" = none)
  bool table_unsynced = false;  // the last table write failed: retried after each event
  bool spawn_queued = false;    // to be spawned when its priority's turn comes
  bool stop_queued = false;     // to be asked to stop when its priority's turn comes
};

}  // namespace sup::core
