#include "core/activity_log.hpp"

#include <cerrno>
#include <cstring>
#include <iostream>

#include <fmt/format.h>

namespace sup::core {

std::string_view level_name(LogLevel level) {
  switch (level) {
    case LogLevel::Debug:
      return "DEBG";
    case LogLevel::Info:
      return "INFO";
    case LogLevel::Warn:
      return "WARN";
    case LogLevel::Error:
      return "ERRO";
    case LogLevel::Critical:
      return "CRIT";
  }
  return "INFO";
}

LogLevel level_of(std::uint32_t condition) {
  switch (msg::severity_of(condition)) {
    case msg::Severity::Success:
    case msg::Severity::Informational:
      return LogLevel::Info;
    case msg::Severity::Warning:
      return LogLevel::Warn;
    case msg::Severity::Error:
      return LogLevel::Error;
    case msg::Severity::Fatal:
      return LogLevel::Critical;
  }
  return LogLevel::Critical;  // severities 5-7 are reserved: treat as the worst
}

LogLevel threshold_for(config::LogLevel level) {
  switch (level) {
    case config::LogLevel::Critical:
      return LogLevel::Critical;
    case config::LogLevel::Error:
      return LogLevel::Error;
    case config::LogLevel::Warn:
      return LogLevel::Warn;
    case config::LogLevel::Info:
      return LogLevel::Info;
    case config::LogLevel::Debug:
    case config::LogLevel::Trace:
    case config::LogLevel::Blather:
      return LogLevel::Debug;
  }
  return LogLevel::Info;
}

std::string format_log_time(const std::tm& t, int millis) {
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02},{:03}", t.tm_year + 1900, t.tm_mon + 1,
                     t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, millis);
}

ActivityLog::ActivityLog(std::string path, std::ostream* mirror, WallClockMs clock)
    : path_(std::move(path)), mirror_(mirror), clock_(std::move(clock)) {
  open();
}

ActivityLog::~ActivityLog() {
  if (file_) std::fclose(file_);
}

void ActivityLog::open() noexcept {
  if (path_.empty()) return;
  file_ = std::fopen(path_.c_str(), "a");
  if (file_) return;
  try {
    fail("cannot open " + path_ + ": " + std::strerror(errno));
  } catch (...) {
    fail("cannot open the activity log");
  }
}

void ActivityLog::reopen() noexcept {
  have_local_ = false;  // after a rotation, a changed time zone shows at once
  if (file_) std::fclose(file_);
  file_ = nullptr;
  error_.clear();
  reported_ = false;
  open();
}

void ActivityLog::fail(const std::string& what) noexcept {
  try {
    error_ = what;
  } catch (...) {
    error_.clear();  // keeps the daemon alive; the flag below still reports the failure
  }
  if (reported_) return;
  reported_ = true;
  try {
    std::ostream& out = mirror_ ? *mirror_ : std::cerr;
    out << "supervisord: activity log: " << what << " (continuing without it)\n";
    out.flush();
  } catch (...) {
    // Nowhere left to report to; supervising matters more than the log.
  }
}

const std::tm& ActivityLog::local_time(std::time_t secs) {
  if (have_local_ && secs == local_secs_) return local_;
  local_ = std::tm{};
  if (const std::tm* p = std::localtime(&secs)) local_ = *p;
  local_secs_ = secs;
  have_local_ = true;
  return local_;
}

void ActivityLog::write(LogLevel level, std::string_view text) noexcept {
  // The enum runs from Debug to Critical, least to most severe.
  if (static_cast<int>(level) < static_cast<int>(threshold_)) return;
  try {
    std::int64_t ms = clock_ ? clock_() : 0;
    // Floor division keeps times before the epoch sane (tests only).
    std::int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    const std::tm& local = local_time(static_cast<std::time_t>(secs));
    std::string line = format_log_time(local, static_cast<int>(ms - secs * 1000)) + " " +
                       std::string(level_name(level)) + " " + std::string(text) + "\n";
    if (mirror_) {
      *mirror_ << line;
      mirror_->flush();
    }
    if (!file_) return;
    // Flushed at once: the log is read while the daemon runs (tail -f, TYPE/TAIL).
    if (std::fputs(line.c_str(), file_) == EOF || std::fflush(file_) != 0)
      fail("cannot write " + path_ + ": " + std::strerror(errno));
  } catch (...) {
    fail("cannot format a log line (out of memory?)");
  }
}

void ActivityLog::log(std::uint32_t condition, const msg::FaoArgs& args) noexcept {
  try {
    write(level_of(condition), msg::text(condition, args));
  } catch (...) {
    fail("cannot format a log message");
  }
}

}  // namespace sup::core
