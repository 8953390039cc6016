// The OpenVMS backend of the platform seam: how supervisord and the client get one.
// Written for a real OpenVMS x86-64 system (VSI C++); on Linux it runs under the
// simulator of the services it calls (tests/vmssim).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "platform/platform.hpp"
#include "platform/vms/vms_processes.hpp"

namespace sup::vms {

struct VmsOptions {
  std::string table = "SUPERVISORD_TABLE";  // the logical name table (upper case)
  // The process name of every configured program: what find_marked() looks for (spawn()
  // adds the names it creates).
  std::vector<ProgramName> programs;
};

// Creates the daemon's backend: creates the table under LNM$SYSTEM_DIRECTORY if needed
// (SYSPRV), refuses a table whose SUPERVISORD_PID names another live process ("another
// supervisord (pid 2040012C) already uses table T"), opens the permanent termination
// mailbox (PRMMBX) and the permanent command mailbox.  One per process (the ASTs share
// one static area).  nullptr and the error text on failure.
[[nodiscard]] std::unique_ptr<platform::Platform> make_platform(const VmsOptions& options,
                                                                std::string& error);

// The client's side: reads SUPERVISORD_CMD and SUPERVISORD_PID from `table`, checks the
// daemon ($GETJPI: it runs as `daemon_user`, or as ourselves) and its mailbox ($GETDVI:
// owned by SYSTEM or the daemon's UIC, no access for GROUP and WORLD) before anything is
// sent, and creates the temporary mailbox the replies come back on.  nullptr and e.g.
// "SUPERVISORD_CMD is not defined in SUPERVISORD_TABLE" on failure.
[[nodiscard]] std::unique_ptr<platform::ClientChannel> connect_channel(
    const std::string& table, const std::string& daemon_user, std::string& error);

// The user name this process runs as ($GETJPI JPI$_USERNAME); "" and `error` on failure.
[[nodiscard]] std::string current_user(std::string& error);

// The table alone (for tests and the client's look-ups).
[[nodiscard]] std::unique_ptr<platform::LogicalTable> open_table(const std::string& table);

// supervisord --password-file on OpenVMS: the first line of `path`, refused when the file
// is not a plain file, is empty, or GROUP or WORLD may access it.  The protection is read
// through std::filesystem, which the C RTL gives from the file's protection (owner, group,
// world; SYSTEM is not shown) [unchecked on a real system: doc/vms_facts.md section 13].
[[nodiscard]] bool read_password_file(const std::string& path, std::string& out,
                                      std::string& error);

}  // namespace sup::vms
