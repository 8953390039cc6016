// Everything a child process needs, computed before fork so that the child between fork
// and exec only makes async-signal-safe calls (no allocation, no NSS, no locks).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/platform.hpp"

namespace sup::posix {

// One resource limit to set in the child (both soft and hard), from a PQL quota.
struct LaunchLimit {
  int resource = 0;         // RLIMIT_*
  std::uint64_t value = 0;  // in the rlimit's own unit
  std::string quota;        // "FILLM", for messages
  std::uint32_t quota_value = 0;
};

struct LaunchPlan {
  std::string path;                  // the file execve runs
  std::vector<std::string> args;     // argv; argv[0] = the image as configured
  std::vector<std::string> env;      // the daemon's environment (+ LOGNAME/USER/HOME)
  std::string input, output, error;  // files for fds 0, 1, 2 (NLA0: already /dev/null)
  bool switch_user = false;          // apply uid/gid/groups (daemon runs as root)
  std::string user;
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;
  bool set_nice = false;  // baspri other than the default 4
  int nice = 0;
  std::vector<LaunchLimit> limits;
  std::string directory;  // dropkeys: chdir here before exec ("" = stay)
  int umask = -1;         // dropkeys: the umask to set before exec (-1 = keep)
  // NULL-terminated pointer arrays into args/env, made by bind() just before fork.
  std::vector<char*> argv, envp;

  // Fills argv/envp.  Call again after copying or moving the plan.
  void bind();
};

// Prepares the launch of `spec`: marks the environment with `table_id` and the program
// (kMarkTableVar, kMarkProgramVar of posix_proc.hpp; no mark when table_id is empty), resolves the
// image on $PATH when it has no '/', maps NLA0: to /dev/null, looks the user up, maps baspri and
// quotas.  nullopt with the reason in `error` ("cannot run as user bob: no such user").
[[nodiscard]] std::optional<LaunchPlan> prepare_launch(const platform::ProcessSpec& spec,
                                                       std::string& error,
                                                       const std::string& table_id = {});

// The nice value for a VMS base priority (see the table in posix_launch.cpp).
int baspri_to_nice(int baspri);

// The path to open for a SYS$INPUT/SYS$OUTPUT-like name: "", "NLA0:", "nla0:" (any case,
// with or without the colon) -> /dev/null; anything else unchanged.
std::string device_path(const std::string& name);

}  // namespace sup::posix
