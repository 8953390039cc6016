// The processes the OpenVMS daemon watches: those it created with $CREPRC and those an
// earlier daemon of the same table created, all with the same PERMANENT termination
// mailbox, whose unit every process records (JPI$_TMBU) and whose device name the table
// keeps (kTerminationKey).  A permanent mailbox outlives the daemon: the termination
// messages of programs that ended while no daemon ran wait in it, and a restarted daemon
// reports those exits with their real final status.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "platform/platform.hpp"
#include "platform/vms/vms_table.hpp"

namespace sup::vms {

// The table's name for the termination mailbox's device name.
inline constexpr const char* kTerminationKey = "SUPERVISORD_TERM";

// A program and the process name it is given (PRCNAM, unique within the UIC group).
struct ProgramName {
  std::string program;
  std::string process_name;
};

class ProcessSet {
 public:
  ProcessSet() = default;
  ~ProcessSet();
  ProcessSet(const ProcessSet&) = delete;
  ProcessSet& operator=(const ProcessSet&) = delete;

  // Assigns the termination mailbox the table names when it is still there and ours
  // (a mailbox, owned by our UIC, private protection), else creates a permanent one
  // (PRMMBX) and records its device name in the table.  Then reads every message already
  // in it (the exits that happened while no daemon ran) and queues the first
  // asynchronous read.  `programs` are the names find_marked() looks for.  Returns an
  // error text, empty on success.
  [[nodiscard]] std::string open(LnmTable& table, std::uint32_t own_uic,
                                 std::vector<ProgramName> programs);

  // $CREPRC (see Platform::spawn); appends Created and Started, or SpawnFailed, to `out`.
  platform::SpawnId spawn(const platform::ProcessSpec& spec, std::vector<platform::Event>& out);
  // $FORCEX with SS$_FORCEDEXIT; $DELPRC.  A watched process that is already gone is not
  // an error (its termination message is on its way).
  [[nodiscard]] std::string request_stop(platform::ProcessId pid);
  [[nodiscard]] std::string kill(platform::ProcessId pid);
  // Platform::adopt.  An exit found in the mailbox at open() for this PID and login time
  // is the process's: adopted, and its ChildExited (with the real final status) goes to
  // `out` at the next wait().
  [[nodiscard]] bool adopt(platform::ProcessId pid, const std::string& identity,
                           std::int64_t& started_wall, std::vector<platform::Event>& out);
  // Platform::find_marked: a $PROCESS_SCAN for the programs' process names (in our UIC
  // group, as names are), each checked with $GETJPI: detached (no owner process) and
  // created with our termination mailbox.
  std::vector<platform::MarkedProcess> find_marked();

  // The main line's share of a completed termination read: checks and reports it, reads
  // what else is queued (IO$M_NOW), queues the next read.  Adopted processes that could
  // not be tied to the mailbox are polled here too.
  void collect(std::vector<platform::Event>& out);
  // Ends the window in which exits found at open() can be adopted (the first wait()).
  void end_startup() { early_exits_.clear(); }
  // When collect() must run again although no AST came: a failed queueing of the read
  // is retried, polled adoptions are checked, once a second.  nullopt: never.
  std::optional<platform::TimePoint> next_poll() const;

 private:
  struct Exit {
    std::uint32_t status = 0;
    std::uint64_t login = 0;
  };
  // Checks one message (IOSB status, length 84, MSG$_DELPROC, the IOSB's PID equal to
  // the message's, the PID gone or its name cleared) and reports or records it.
  void on_message(std::uint32_t iosb_status, std::uint32_t count, std::uint32_t sender,
                  const char* data, std::vector<platform::Event>* out);
  void drain(std::vector<platform::Event>* out);
  // One $PROCESS_SCAN for `count` process names (at most kScanNames), then $GETJPI of
  // each process it finds.
  void scan(const std::string* const* names, std::size_t count,
            std::vector<platform::MarkedProcess>& out);
  void rearm();

  unsigned short channel_ = 0;
  std::uint32_t unit_ = 0;
  std::uint32_t own_uic_ = 0;
  bool armed_ = false;
  std::map<std::string, std::string> names_;   // process name -> program
  std::set<std::uint32_t> watched_;            // PIDs whose termination message we await
  std::set<std::uint32_t> polled_;             // adopted, but with another termination mailbox
  std::map<std::uint32_t, Exit> early_exits_;  // found at open(), for adopt()
  platform::SpawnId next_spawn_ = 1;
};

// "%SYSTEM-F-ABORT, abort" for an exit, "status unknown" otherwise.
std::string describe_exit_status(const platform::ExitStatus& status);

}  // namespace sup::vms
