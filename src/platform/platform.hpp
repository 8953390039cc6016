// THE platform seam: the only OS-facing interface the portable core sees.
//
// It speaks in completed, typed events (a child exited, a control request arrived, a
// deadline passed, a signal asked for shutdown) rather than in descriptor readiness, so
// that OpenVMS (ASTs delivering completions) and Linux (pidfds in one epoll set) both fit
// without faking one with the other.  The daemon blocks in exactly one place: wait().
//
// Implementations: src/platform/posix/ (Linux) and src/platform/vms/ (OpenVMS).
// Each function's comment names the OpenVMS services that implement it (doc/architecture.md
// sections 3 and 4, doc/vms_facts.md) and the POSIX calls used here.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sup::platform {

// How long a spawn may take to reach the program's image (POSIX: a child stuck opening
// a FIFO nobody reads, or a file on a hung mount) before it is ended as a failure, when
// it is making no progress then (POSIX: one that still runs or uses CPU is only slow, as
// on a loaded machine; ProcessSet::expire gives it more time, within a limit).
inline constexpr int kCreateTimeoutSeconds = 10;

// A process identifier: a POSIX pid or an OpenVMS EPID.
using ProcessId = std::uint64_t;
// One client connection's request, unique for the daemon's lifetime.
using RequestId = std::uint64_t;
// One spawn() call, unique for the daemon's lifetime, never 0: its events carry it.
using SpawnId = std::uint64_t;
// Monotonic time for deadlines; never goes back.
using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

// A PQL quota ($CREPRC quota list) or its POSIX rlimit counterpart.
struct QuotaSpec {
  std::string name;  // canonical PQL name without PQL$_, e.g. "FILLM"
  std::uint32_t value = 0;
};

// --- dropkeys: signals, a portable name for each (supervisor's stopsignal list) ---
// OpenVMS has no signals: a stop there is $FORCEX whatever is configured, and
// Platform::send_signal says it has no counterpart.
enum class Signal { Hup, Int, Quit, Kill, Term, Usr1, Usr2 };

// How request_stop() asks a program to stop (supervisor's stopsignal and stopasgroup).
struct StopMethod {
  Signal signal = Signal::Term;  // POSIX only
  bool to_group = false;         // POSIX only: the program's process group, not only itself
};
// --- end dropkeys ---

// Everything needed to create one program's process.
struct ProcessSpec {
  std::string program;                 // [program:x] name (for messages)
  std::string process_name;            // VMS: PRCNAM (1-15 chars); POSIX: informational
  std::string image;                   // VMS: image to activate; POSIX: executable path
  std::vector<std::string> arguments;  // POSIX: argv[1..]
  std::string input;   // VMS: SYS$INPUT; POSIX: stdin file ("" or NLA0: = null device)
  std::string output;  // SYS$OUTPUT / stdout, appended
  std::string error;   // SYS$ERROR / stderr, appended
  std::string user;    // account the program runs as ("" = the daemon's own)
  int baspri = 4;      // VMS base priority 0-31; POSIX: mapped to a nice value
  int kt_limit = 0;    // VMS PRC$M_KT_LIMIT; no POSIX counterpart
  bool nouaf = false;  // VMS PRC$M_NOUAF; no POSIX counterpart
  std::vector<QuotaSpec> quotas;
  std::uint64_t privileges = 0;  // VMS PRV$ mask; no POSIX counterpart
  // --- dropkeys: supervisor's process keys (POSIX; the OpenVMS backend does not apply
  // them yet, src/platform/vms/README.md) ---
  // Set in this order after the SUPERVISOR_* variables: [supervisord] environment, then
  // the program's.  A later entry of the same name wins.
  std::vector<std::pair<std::string, std::string>> environment;
  std::string directory;   // chdir before exec ("" = the daemon's working directory)
  int umask = -1;          // the child's umask (-1 = the daemon's)
  std::string server_url;  // SUPERVISOR_SERVER_URL ("" = not set)
  // --- end dropkeys ---
};

// How a process ended.
struct ExitStatus {
  enum class Kind { Exited, Signaled, Unknown };
  Kind kind = Kind::Unknown;
  std::uint32_t code = 0;  // POSIX exit code, signal number, or VMS ACC$L_FINALSTS
};

// The daemon-side identity of a client (SO_PEERCRED / IOSB sender PID + $GETJPI).
struct Caller {
  std::uint32_t uid = 0;  // POSIX uid; VMS UIC
  std::uint64_t pid = 0;
  bool privileged = false;  // root / SYSTEM or the daemon's own account (decided by the backend)
};

// What wait() reports.
struct Event {
  enum class Kind {
    Created,         // spawn `spawn` made process `pid` (identity, started_wall)
    Started,         // process `pid` (Created before) runs its image
    SpawnFailed,     // spawn `spawn` failed (text; pid when it had been Created): no
                     // ChildExited follows, the process is gone
    ChildExited,     // a spawned or adopted process ended (pid, status)
    ControlRequest,  // a client sent one record (request, caller, payload)
    ClientGone,      // the client of `request` disconnected: stop replying to it
    Shutdown,        // SIGTERM/SIGINT ($FORCEX of the daemon): stop programs, then exit
    ReopenLogs,      // SIGUSR2: reopen the log files
    Reload,          // SIGHUP: re-read the configuration
  };
  Kind kind = Kind::ChildExited;
  ProcessId pid = 0;
  ExitStatus status;
  SpawnId spawn = 0;
  std::string identity;           // Created: tells this process from a later one
  std::int64_t started_wall = 0;  // Created: seconds since the epoch
  std::string text;               // SpawnFailed: "cannot execute /x: No such file..."
  RequestId request = 0;
  Caller caller;
  std::string payload;  // one protocol record, undecoded
};

// A live process that carries the mark of this daemon's table: it was started for
// `program` by a daemon of this table (this one or an earlier one), whether or not the
// table recorded it (a table write can fail; the mark cannot).
struct MarkedProcess {
  std::string program;  // ProcessSpec::program it was started for
  ProcessId pid = 0;
  std::string identity;           // as Event::identity of its Created
  std::int64_t started_wall = 0;  // seconds since the epoch
};

// The persistent SUPERVISORD_TABLE: a logical name table on OpenVMS ($CRELNM, $TRNLNM,
// $DELLNM), a directory with one file per name (atomic rename) on POSIX.
class LogicalTable {
 public:
  virtual ~LogicalTable() = default;
  // Defines or redefines a name.  Returns an error text, empty on success.
  [[nodiscard]] virtual std::string set(const std::string& name, const std::string& value) = 0;
  // Translates a name.
  virtual std::optional<std::string> get(const std::string& name) const = 0;
  // Deletes a name (absent is not an error).  Returns an error text, empty on success:
  // a name that could not be deleted would make the next daemon re-attach or restart a
  // program that was stopped, so the caller retries.  VMS: $DELLNM.  POSIX: unlink().
  [[nodiscard]] virtual std::string remove(const std::string& name) = 0;
  // All names currently defined.
  virtual std::vector<std::string> names() const = 0;
};

// The daemon's operating-system services.
class Platform {
 public:
  virtual ~Platform() = default;

  // Starts creating a process and returns at once: it never waits for the child.  The
  // outcome comes from wait() as events carrying the returned id: Created (with the pid)
  // then Started, or SpawnFailed (with the reason), at any point after Created too.  A
  // creation that does not reach the image within kCreateTimeoutSeconds, and is stuck, is
  // ended and reported as SpawnFailed.  Every process is marked with this table (find_marked).
  // VMS: $CREPRC (DETACH, mbxunt = the termination mailbox, PQL list, privileges, baspri,
  // NOUAF, KT_LIMIT; persona for `user`), Created and Started at once, an image that
  // fails is an exit.  POSIX: fork; the child (killed if the daemon dies before it
  // execs) starts a new session, sets rlimits, nice, the user, opens its files and
  // execs, reporting a failure through a close-on-exec socket that is in the epoll set.
  virtual SpawnId spawn(const ProcessSpec& spec) = 0;

  // Asks a process to exit.  VMS: $FORCEX (SS$_FORCEDEXIT), `how` unused.  POSIX:
  // how.signal to the process, or to its process group when how.to_group.
  [[nodiscard]] virtual std::string request_stop(ProcessId pid, const StopMethod& how) = 0;

  // Ends a process now.  VMS: $DELPRC (its subprocesses go with it), `to_group` unused.
  // POSIX: SIGKILL to the process, or to its process group when `to_group`.
  [[nodiscard]] virtual std::string kill(ProcessId pid, bool to_group) = 0;

  // dropkeys: sends `signal` to the process `pid` alone (the `signal` action, as
  // supervisor's signalProcess).  Returns an error text, empty on success.  VMS: no
  // counterpart, always an error saying so.  POSIX: pidfd_send_signal for a watched
  // process (reuse-safe), else kill().
  [[nodiscard]] virtual std::string send_signal(ProcessId pid, Signal signal) = 0;

  // Re-attaches to a process recorded in the table by an earlier daemon.  True when it
  // is still the same process (identity matches); its exit will then be reported like a
  // spawned one's.  VMS: $GETJPI on the EPID + the permanent termination mailbox.
  // POSIX: /proc start time + pidfd_open.
  [[nodiscard]] virtual bool adopt(ProcessId pid, const std::string& identity,
                                   std::int64_t& started_wall) = 0;

  // Every live process that carries this table's mark (see MarkedProcess), in no
  // particular order: what the daemon finds at start besides the table, so that a
  // program whose table entry is stale or missing is re-attached rather than started a
  // second time.  Each spawned process is marked.  VMS: $PROCESS_SCAN of the UIC group
  // for the process names this table gives its programs, owner checked by $GETJPI.
  // POSIX: the session leaders in /proc whose initial environment holds
  // SUPERVISORD_TABLE_ID=<this table's directory> and SUPERVISORD_PROGRAM=<program>.
  virtual std::vector<MarkedProcess> find_marked() = 0;

  // Blocks until at least one event or the deadline; appends events to `out`.  The one
  // blocking call of the daemon.  VMS: $HIBER, woken by $WAKE from ASTs ($QIO read
  // completions on the termination and command mailboxes, $SETIMR).  POSIX: epoll_wait
  // with the deadline as timeout (no timeout when none: no system call while idle).
  virtual void wait(std::optional<TimePoint> deadline, std::vector<Event>& out) = 0;

  // Sends one reply record to a request's client.  Unknown or closed requests are
  // ignored.  VMS: $QIO write to the client's mailbox.  POSIX: send() on its socket.
  virtual void reply(RequestId request, const std::string& record) = 0;

  // Ends a request's conversation after its final record (POSIX: closes the socket).
  virtual void finish(RequestId request) = 0;

  // Monotonic now, and wall-clock seconds since the epoch (for uptimes and dates).
  virtual TimePoint now() const = 0;
  virtual std::int64_t wall_now() const = 0;

  // The persistent table.
  virtual LogicalTable& table() = 0;

  // The daemon's own process id (for `pid` and the table).
  virtual ProcessId self_pid() const = 0;

  // How an exit is described in logs and status: "exit status 1", "terminated by
  // SIGKILL", "status unknown"; on OpenVMS the condition's message text.
  virtual std::string describe_exit(const ExitStatus& status) const = 0;

  // How a pid is shown: decimal on POSIX, 8 hex digits on OpenVMS.
  virtual std::string format_pid(ProcessId pid) const = 0;

  // The address clients use (socket path / mailbox logical name).
  virtual std::string control_address() const = 0;
};

// The client's side of the command channel.
class ClientChannel {
 public:
  virtual ~ClientChannel() = default;
  // Sends one record.  Returns an error text, empty on success.
  [[nodiscard]] virtual std::string send(const std::string& record) = 0;
  // Receives one record; nullopt when the daemon closed the channel or on error
  // (the text goes to `error`).  Blocks up to timeout_ms (-1 = for ever).
  [[nodiscard]] virtual std::optional<std::string> receive(int timeout_ms, std::string& error) = 0;
};

}  // namespace sup::platform
