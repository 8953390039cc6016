// What /proc says about a process: its start time, which tells it from a later process
// that reuses its pid, and the wall-clock time that start corresponds to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

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

// Reads a small text file whole (for /proc); nullopt when it cannot be opened.
std::optional<std::string> read_small_file(const std::string& path);

}  // namespace sup::posix
