// Integration-test support: a private directory with its own configuration, table and
// socket; the real build/supervisord started in it; the real build/supervisor run
// against it.  Every wait is for a condition, with a generous deadline.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace sup::testing {

// The outcome of running a command.
struct RunResult {
  int exit_code = -1;  // exit status, or 128+signal
  std::string out, err;
};

// Runs argv (argv[0] a path), feeding `input` on stdin; waits for it to end.
RunResult run_command(const std::vector<std::string>& argv, const std::string& input = "",
                      const std::vector<std::string>& extra_env = {});

// run_command with posix_spawn instead of fork: what a test that is itself a simulated
// OpenVMS process must use (vmssim aborts a fork there, as fork does not link on OpenVMS).
RunResult spawn_command(const std::vector<std::string>& argv, const std::string& input = "",
                        const std::vector<std::string>& extra_env = {});

// Polls `cond` every 20 ms until it is true or `timeout` passes.
bool wait_for(const std::function<bool()>& cond,
              std::chrono::milliseconds timeout = std::chrono::seconds(30));

// A temporary directory removed (recursively) at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Writes a file under the directory and returns its path.
  std::string write(const std::string& name, const std::string& text) const;

 private:
  std::string path_;
};

class Daemon;

// What differs when the daemon under test is not this build's POSIX one: the OpenVMS
// build run under vmssim supplies one (tests/vms/vms_daemon_fixture.hpp), so that its
// tests drive it through the same Daemon.  A Daemon without one is the POSIX build.
class DaemonBackend {
 public:
  virtual ~DaemonBackend() = default;
  // Path of the built `supervisord` or `supervisor`.
  virtual std::string binary(const std::string& name) const = 0;
  // The [supervisord] section the configuration starts with, for the directory `dir`
  // (table and logfile at least).
  virtual std::string daemon_section(const std::string& dir) const = 0;
  // True once the daemon that `daemon` started answers requests (start(), wait_ready()).
  virtual bool answers(const Daemon& daemon) const = 0;
  // The pid in `pid NAME`'s output (0 if none, or if it is an error).
  virtual long parse_pid(const std::string& out) const = 0;
  // The destructor's cleanup, after the daemon is killed: ends every program the table
  // records and whatever else the daemon left behind.
  virtual void clean_up(const Daemon& daemon) const = 0;
};

// One supervisord under test.
class Daemon {
 public:
  // `programs` is the text of the [program:x] sections; the fixture adds [supervisord]
  // with table and logfile inside the directory.  `backend`: see DaemonBackend (it must
  // outlive the Daemon).
  explicit Daemon(const std::string& programs, const std::string& daemon_extra = "",
                  const DaemonBackend* backend = nullptr);
  ~Daemon();  // kills the daemon (SIGKILL) and every program still recorded

  // Starts build/supervisord -n -c CONF (extra args appended) and waits for its socket.
  bool start(const std::vector<std::string>& extra_args = {});
  // Sends a signal to the daemon process.
  void signal(int signo) const;
  // Waits for the daemon process to end; returns its exit code (or -1 on timeout).
  int wait_exit(std::chrono::milliseconds timeout = std::chrono::seconds(60));
  bool running() const;

  // Like start(), with `extra_env` ("NAME=value") added to the daemon's environment.
  bool start_with_env(const std::vector<std::string>& extra_env,
                      const std::vector<std::string>& extra_args = {});
  // Waits until THIS daemon has published its pid in the table (it has re-attached and
  // started its programs by then) and answers a request.  start() may return earlier
  // when a killed daemon left its socket file behind.  False if it died or timed out.
  bool wait_ready(std::chrono::milliseconds timeout = std::chrono::seconds(60)) const;
  // The socket path recorded in the table (SUPERVISORD_CMD); empty if none.
  std::string socket() const;
  // What the daemon wrote on its stdout and stderr (-n mode) so far, all starts together.
  std::string output() const;

  // Runs build/supervisor -c CONF ARGS... (supervisorctl syntax).
  RunResult ctl(const std::vector<std::string>& args,
                const std::vector<std::string>& extra_env = {}) const;
  // Runs build/supervisor ARGS... with ARGS in DCL syntax (/CONFIGURATION appended).
  RunResult dcl(const std::string& line) const;

  // The pid shown by `pid NAME` (0 if none).
  long pid_of(const std::string& name) const;
  // The state word of NAME in `status NAME` ("RUNNING", ...).
  std::string state_of(const std::string& name) const;
  // Waits until NAME shows `state`.
  bool wait_state(const std::string& name, const std::string& state,
                  std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;

  const std::string& dir() const { return dir_.path(); }
  const std::string& config() const { return config_; }
  std::string table() const { return dir_.path() + "/table"; }
  std::string log() const;  // the activity log's text
  long daemon_pid() const { return pid_; }

 private:
  // The binary `name` of the build under test.
  std::string built(const std::string& name) const;

  const DaemonBackend* backend_ = nullptr;
  TempDir dir_;
  std::string config_;
  long pid_ = 0;
  int exit_code_ = -1;
  bool reaped_ = false;
};

// A process and its argument vector as /proc shows it.
struct ProcessInfo {
  long pid = 0;
  std::vector<std::string> argv;
};

// Every live (not zombie) process whose argv[0] is exactly `argv0`.  Tests give their
// programs an argv[0] inside their private directory, so this finds those and no others.
std::vector<ProcessInfo> processes_with_argv0(const std::string& argv0);

// CPU time (utime + stime) a process has used so far, in clock ticks; -1 if unknown.
long cpu_ticks(long pid);
// Clock ticks per second (the unit of cpu_ticks).
long ticks_per_second();
// A process's resident set size (VmRSS) in KiB; -1 if unknown.
long rss_kib(long pid);

// The outcome of one request sent over the command channel without the client binary.
struct RawReply {
  bool complete = false;                                     // the Final record arrived
  std::vector<std::pair<std::uint32_t, std::string>> lines;  // Line records: condition, text
  std::uint32_t condition = 0;                               // the Final's condition
  std::string text;                                          // the Final's text
  std::string error;  // why it is not complete: connect/send failure, closed, timeout
};

// Connects to `socket`, sends one request and reads the replies up to the Final; each
// receive waits at most `timeout_ms`.
RawReply raw_request(const std::string& socket, const std::string& action,
                     const std::vector<std::string>& names = {}, std::uint32_t flags = 0,
                     int timeout_ms = 60000);

// True when a process with this pid exists (and is not a zombie).
bool process_alive(long pid);

// The name of the account the tests run as (the `user` of their programs): from the
// password database, so that it is right even where $USER is unset.
std::string current_user();

// The tests run as root (CI does): chmod then does not stop them.
bool is_root();

// Makes the directory `dir` unusable for writing: mode 0555 for a user; for root (whom
// modes do not stop) a regular file in its place, the directory moved to `dir`.away.
void make_unwritable(const std::string& dir);

// Undoes make_unwritable.
void make_writable(const std::string& dir);

// Where `dir` is while make_unwritable is in force (root moved it away).
std::string moved(const std::string& dir);

// Path of a built binary: SUP_BINARY_DIR/name.
std::string binary(const std::string& name);

}  // namespace sup::testing
