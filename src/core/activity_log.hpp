// The daemon's activity log, like supervisord.log:
//   2026-11-25 18:00:01,123 INFO web: STARTING -> RUNNING (...)
// Lines go to a file opened in append mode and, optionally, to a mirror stream (stderr
// in -n mode).  Logging never throws and never stops the daemon: a write failure is
// remembered and reported once (on the mirror, else on std::cerr).
#pragma once

#include <cstdint>
#include <cstdio>
#include <ctime>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "msg/message.hpp"

namespace sup::core {

// supervisord's level names.
enum class LogLevel { Debug, Info, Warn, Error, Critical };

// "DEBG", "INFO", "WARN", "ERRO", "CRIT".
std::string_view level_name(LogLevel level);

// The level a condition is logged at: success/informational INFO, warning WARN,
// error ERRO, fatal CRIT.
LogLevel level_of(std::uint32_t condition);

// dropkeys: the lowest level [supervisord] loglevel lets through.  trace and blather
// let everything through, as debug does: no line of this daemon is below DEBG.
LogLevel threshold_for(config::LogLevel level);

// "2026-11-25 18:00:01,123" from broken-down local time and milliseconds.
std::string format_log_time(const std::tm& local, int millis);

class ActivityLog {
 public:
  // Milliseconds since the epoch (the platform's wall clock; a fake one in tests).
  using WallClockMs = std::function<std::int64_t()>;

  // `path` empty: no file, mirror only.  `mirror` may be null.  Opening failures are
  // remembered like write failures (see error()).
  ActivityLog(std::string path, std::ostream* mirror, WallClockMs clock);
  ~ActivityLog();
  ActivityLog(const ActivityLog&) = delete;
  ActivityLog& operator=(const ActivityLog&) = delete;

  // dropkeys: lines below `lowest` are dropped from now on (default: Info).
  void set_threshold(LogLevel lowest) { threshold_ = lowest; }
  LogLevel threshold() const { return threshold_; }

  // Writes one line with the current time and level, unless the level is below the
  // threshold.  Newlines in `text` are kept as they are (our texts have none; clients'
  // names cannot contain any).
  void write(LogLevel level, std::string_view text) noexcept;

  // Writes a condition's message at the level of its severity.
  void log(std::uint32_t condition, const msg::FaoArgs& args = {}) noexcept;

  // Closes and reopens the file (SIGUSR2, after rotation).  A success clears a remembered
  // failure so that a later one is reported again.
  void reopen() noexcept;

  // The last failure ("cannot write supervisord.log: ..."), empty when all is well.
  const std::string& error() const { return error_; }

  // The path given at construction.
  const std::string& path() const { return path_; }

 private:
  void open() noexcept;
  void fail(const std::string& what) noexcept;
  // Local time of `secs`, converted once per second: glibc's localtime() stats
  // /etc/localtime on every call, and a restart or a shutdown logs several lines at once.
  const std::tm& local_time(std::time_t secs);

  std::string path_;
  LogLevel threshold_ = LogLevel::Info;
  std::ostream* mirror_;
  WallClockMs clock_;
  std::FILE* file_ = nullptr;
  std::string error_;
  bool reported_ = false;
  bool have_local_ = false;
  std::time_t local_secs_ = 0;
  std::tm local_{};
};

}  // namespace sup::core
