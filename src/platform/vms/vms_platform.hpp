// The OpenVMS backend of the platform seam: how supervisord and the client get one.
// Written for a real OpenVMS x86-64 system (VSI C++); on Linux it runs under the
// simulator of the services it calls (tests/vmssim).
#pragma once

#include <functional>
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

// $FORCEX of the daemon as the seam's Shutdown event (doc/vms_facts.md section 13).
//
// $FORCEX queues in the daemon a user-mode AST that calls $EXIT, and $EXIT calls the exit
// handlers, still inside that AST: the main line is never resumed.  So this declares an
// exit handler ($DCLEXH) that records the forced exit and $WAKEs (the platform's next
// wait() returns Shutdown), then, as the main line cannot, calls `stop_all`, which runs
// the core's loop until every program is stopped; the image then ends with the $FORCEX
// code as its final status.  That loop runs at AST level, where no further user-mode AST
// is delivered, so the platform waits on its event flag ($WAITFR) instead of $HIBER.  It
// is safe because the platform keeps ASTs disabled in the main line except while wait()
// hibernates: the forced exit always finds the core between two events, never in the
// middle of one.  STOP/ID ($DELPRC) runs no user-mode exit handler: the programs are then
// left running and the next daemon re-attaches them.
//
// One per process, after make_platform(); destroying it (the main line returns normally)
// disarms the handler, as does an exit the daemon decides on itself.
class ForcedExit {
 public:
  explicit ForcedExit(std::function<void()> stop_all);
  ~ForcedExit();
  ForcedExit(const ForcedExit&) = delete;
  ForcedExit& operator=(const ForcedExit&) = delete;
  // "" once declared; else why not ($DCLEXH's failure): the daemon then runs without it,
  // and a $FORCEX ends it as it would end any image.
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

}  // namespace sup::vms
