// What /proc says about a process: its start time, which tells it from a later process
// that reuses its pid, and the wall-clock time that start corresponds to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/platform.hpp"

namespace sup::posix {

// Field 22 of /proc/PID/stat: the start time in clock ticks since boot.  nullopt when
// the process does not exist (or /proc cannot be read).
std::optional<std::uint64_t> read_start_ticks(std::uint64_t pid);

// True when the process has ended but was not reaped yet (state Z in /proc/PID/stat): it
// is gone for supervising purposes, whoever its parent is.
bool is_zombie(std::uint64_t pid);

// Parses the text of a /proc/PID/stat file for field 22 (the command name in field 2 may
// contain spaces and parentheses, so fields are counted after its LAST ')').
std::optional<std::uint64_t> parse_start_ticks(const std::string& stat_text);

// Wall-clock seconds since the epoch at which a process with start time `ticks` started:
// the boot time ("btime" of /proc/stat) plus ticks / CLK_TCK.  0 when unknown.
std::int64_t wall_from_ticks(std::uint64_t ticks);

// The fields of /proc/PID/stat that the daemon uses.
struct ProcStat {
  char state = '?';               // field 3: R, S, Z ...
  std::uint64_t session = 0;      // field 6: the session id
  std::uint64_t cpu_ticks = 0;    // fields 14 + 15: user + system CPU time, clock ticks
  std::uint64_t start_ticks = 0;  // field 22
};

// Parses a /proc/PID/stat text (fields counted after the LAST ')'); nullopt if malformed.
std::optional<ProcStat> parse_stat(const std::string& stat_text);

// Splits a /proc/PID/environ text ("NAME=value\0...") and returns the value of `name`;
// nullopt when it is not there.
std::optional<std::string> environ_value(const std::string& environ_text, const std::string& name);

// The environment entries that mark a child with the table that started it (see
// Platform::find_marked): set by prepare_launch, read back by scan_marked.
inline constexpr const char* kMarkTableVar = "SUPERVISORD_TABLE_ID";
inline constexpr const char* kMarkProgramVar = "SUPERVISORD_PROGRAM";

// The live processes (not zombies) that lead their own session and whose initial
// environment says kMarkTableVar=`table_id`: each spawned child calls setsid(), so what
// it starts in turn (same environment, not a session leader) is not taken for it.
// Processes this account may not read (another user's, without root) are skipped.
std::vector<platform::MarkedProcess> scan_marked(const std::string& table_id);

// Reads a small text file whole (for /proc); nullopt when it cannot be opened.
std::optional<std::string> read_small_file(const std::string& path);

// Reads an open descriptor to its end; nullopt on a read error.
std::optional<std::string> read_whole(int fd);

}  // namespace sup::posix
