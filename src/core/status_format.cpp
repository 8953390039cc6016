#include "core/status_format.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace sup::core {

std::string namespec(const config::ProgramConfig& program) {
  if (program.group.empty() || program.group == program.name) return program.name;
  return program.group + ":" + program.name;
}

std::size_t status_name_width(const std::vector<std::string>& names) {
  std::size_t longest = 30;
  for (const auto& n : names) longest = std::max(longest, n.size());
  return longest + 3;
}

std::string format_status_line(std::string_view name, std::size_t name_width, State state,
                               std::string_view description) {
  // Python's '%-Ns' pads but never cuts: a longer field pushes the rest right.
  return fmt::format("{:<{}}{:<10}{}", name, name_width, state_name(state), description);
}

std::string format_uptime(std::int64_t seconds) {
  if (seconds < 0) seconds = 0;
  std::int64_t days = seconds / 86400;
  std::int64_t rest = seconds % 86400;
  std::string hms = fmt::format("{}:{:02}:{:02}", rest / 3600, rest % 3600 / 60, rest % 60);
  if (days == 0) return hms;
  return fmt::format("{} day{}, {}", days, days == 1 ? "" : "s", hms);
}

std::string format_stop_time(const std::tm& t) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int month = std::clamp(t.tm_mon, 0, 11);
  int hour12 = t.tm_hour % 12 == 0 ? 12 : t.tm_hour % 12;
  return fmt::format("{} {:02} {:02}:{:02} {}", kMonths[month], t.tm_mday, hour12, t.tm_min,
                     t.tm_hour < 12 ? "AM" : "PM");
}

std::string format_stop_time(std::int64_t wall_seconds) {
  auto t = static_cast<std::time_t>(wall_seconds);
  const std::tm* local = std::localtime(&t);
  return local ? format_stop_time(*local) : std::string("Not started");
}

std::string status_description(const StatusFacts& f) {
  switch (f.state) {
    case State::Running:
      return "pid " + f.pid + ", uptime " + format_uptime(f.uptime);
    case State::Stopped:
    case State::Exited:
      return f.ever_started ? format_stop_time(f.stopped_wall) : "Not started";
    case State::Fatal:
    case State::Backoff:
      // supervisorctl's fallback when no reason was recorded.
      return f.reason.empty() ? "unknown error (try \"tail " + f.name + "\")" : f.reason;
    case State::Starting:
    case State::Stopping:
    case State::Unknown:
      return "";
  }
  return "";
}

}  // namespace sup::core
