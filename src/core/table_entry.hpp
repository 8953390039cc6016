// The program entries of SUPERVISORD_TABLE, which let the next supervisord re-attach:
//   SUPERVISORD_PRG_WEB = "4711 8823411 1764093600 RUNNING"
//   (pid in decimal, the process identity, start time in seconds since the epoch, state)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "platform/platform.hpp"

namespace sup::core {

inline constexpr std::string_view kProgramKeyPrefix = "SUPERVISORD_PRG_";
inline constexpr std::string_view kCommandKey = "SUPERVISORD_CMD";
inline constexpr std::string_view kDaemonPidKey = "SUPERVISORD_PID";

// "SUPERVISORD_PRG_" + the name upper-cased; characters other than letters, digits, '_',
// '$' and '-' become '_' (logical names and file names must both accept it).
std::string program_key(std::string_view program);

struct TableEntry {
  platform::ProcessId pid = 0;
  std::string identity;  // may be empty or contain blanks
  std::int64_t started_wall = 0;
  std::string state;  // "RUNNING"
};

// "pid identity started_wall STATE".
std::string format_table_entry(const TableEntry& entry);

// The inverse; nullopt when the text is not such an entry (pid 0 is refused).
[[nodiscard]] std::optional<TableEntry> parse_table_entry(std::string_view text);

}  // namespace sup::core
