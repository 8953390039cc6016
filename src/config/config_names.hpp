// Rules for the names a configuration gives: program names and process names.
#pragma once

#include <string>
#include <string_view>

#include "config/config.hpp"

namespace sup::config::detail {

// Longest program name: an ODS-2 file name, so it also fits logical names and the POSIX
// table's file names.
constexpr std::size_t kMaxProgramName = 39;

// Longest process name: OpenVMS process names (and Linux's comm) hold 15 characters.
constexpr std::size_t kMaxProcessName = 15;

// Why `name` cannot name a program (empty text when it can): 1 to 39 letters, digits,
// '_', '$', '-' or '.', and not ALL (which means every program to START, STOP...).
[[nodiscard]] std::string program_name_problem(std::string_view name);

// Why `name` cannot be a process name (empty text when it can): printable characters,
// 1 to 15 of them on OpenVMS (PRCNAM).  On POSIX the name is only the child's
// SUPERVISOR_PROCESS_NAME, so supervisor's longer names are accepted there
// (supervisord --check --vms applies the OpenVMS rule).
[[nodiscard]] std::string process_name_problem(std::string_view name, Flavor flavor);

}  // namespace sup::config::detail
