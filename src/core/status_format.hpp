// supervisorctl's `status` line, reproduced exactly:
//   web                               RUNNING   pid 4711, uptime 0:03:12
// name padded to max(30, longest name) + 3, state padded to 10, then the description.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "core/program_state.hpp"

namespace sup::core {

// supervisorctl's name of a process (make_namespec): "group:name", or just "name" when
// its group has its name (a program in no [group:x], numprocs 1).  Every line that
// names a program shows it so.
std::string namespec(const config::ProgramConfig& program);

// The width of the name column for these names: max(30, longest) + 3.
std::size_t status_name_width(const std::vector<std::string>& names);

// One line; no trailing newline (trailing blanks kept when the description is empty,
// as supervisorctl prints them).
std::string format_status_line(std::string_view name, std::size_t name_width, State state,
                               std::string_view description);

// Python's str(timedelta): "0:03:12", "1 day, 2:11:57", "3 days, 0:00:01".  Negative
// spans show as 0:00:00 (a clock that went back).
std::string format_uptime(std::int64_t seconds);

// When a program stopped, as supervisorctl shows it: "Nov 25 06:19 PM" (English month
// names whatever the locale).
std::string format_stop_time(const std::tm& local);

// The same for seconds since the epoch, in local time.
std::string format_stop_time(std::int64_t wall_seconds);

// What the description column needs to know about a program.
struct StatusFacts {
  State state = State::Stopped;
  std::string pid;                // formatted by the platform
  std::int64_t uptime = 0;        // seconds (RUNNING)
  bool ever_started = false;      // STOPPED/EXITED: "Not started" when false
  std::int64_t stopped_wall = 0;  // STOPPED/EXITED: when it stopped
  std::string reason;             // FATAL/BACKOFF: spawn error or "Exited too quickly ..."
  std::string name;               // for the fallback FATAL/BACKOFF text
};

// The description column: RUNNING "pid 4711, uptime 0:03:12"; STOPPED/EXITED the stop
// time or "Not started"; FATAL/BACKOFF the reason; STARTING/STOPPING/UNKNOWN empty.
std::string status_description(const StatusFacts& facts);

}  // namespace sup::core
