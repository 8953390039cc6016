// The supervisord configuration: typed, validated, the same on both platforms.
//
// The file is a Windows-INI file (Python ConfigParser style) read with inih; the values
// are checked with Boost.Spirit X3 grammars. Loading never stops at the first problem:
// every error and warning is reported with its file, line, section and key.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sup::config {

// Which platform's rules apply: defaults, file-name handling, platform-only keys.
enum class Flavor { Posix, Vms };

// When an exited program is started again (doc/behaviour.md section 3).
enum class Autorestart { False, Unexpected, True };

// One entry of a VMS quota list (PQL). `name` is the canonical upper-case PQL name
// without its PQL$_ prefix, e.g. "ASTLM".
struct Quota {
  std::string name;
  std::uint32_t value = 0;
};

// --- dropkeys: supervisor 4.2.5's process and daemon keys (doc/supervisor_keys.md) ---
// One `environment` entry: NAME=value, set in the child in the order written.
struct EnvVar {
  std::string name, value;
};

// The signals `stopsignal` and the `signal` action can name (supervisor's list).
enum class Signal { Hup, Int, Quit, Kill, Term, Usr1, Usr2 };

// [supervisord] loglevel, from the least to the most verbose (supervisor's names).
enum class LogLevel { Critical, Error, Warn, Info, Debug, Trace, Blather };
// --- end dropkeys ---

// One [program:name] section, with every default filled in and every value checked.
struct ProgramConfig {
  std::string name;  // from [program:name]
  int line = 0;      // line of the section header
  std::string image, command, process_name, user;
  std::vector<std::string> arguments;  // POSIX only: argv after image, split like a shell
  bool autostart = true;
  std::string stdout_file, stderr_file;
  int startsecs = 10, startretries = 3, stopwaitsecs = 10, kt_limit = 0, baspri = 4;
  bool nouaf = false;
  std::vector<Quota> quotas;
  std::vector<std::string> privileges;  // canonical upper-case PRV names
  std::uint64_t privilege_mask = 0;     // 1ULL << PRV bit
  Autorestart autorestart = Autorestart::Unexpected;
  // Expected exit codes: default {0} on POSIX, {1} on VMS. On VMS these are condition
  // values, to be compared with the control bits 28-31 masked off.
  std::vector<std::uint32_t> exitcodes;
  // supervisor's group: the [group:x] that lists this program, else the program's own
  // name (supervisor's homogeneous group).  "GROUP:*" and "GROUP:NAME" select by it.
  std::string group;
  // supervisor's priority: programs start in ascending and stop in descending order.
  int priority = 999;
  // Groups and instances (README "Groups, instances and includes"): the [program:x]
  // section this comes from (`name` differs from it only when numprocs > 1: then `name`
  // is the instance's expanded process_name), the file of that section (the main file
  // or an included one), the instance's %(process_num) and the section's numprocs, and
  // the priority of its group (the [group:x] priority, else its own priority): programs
  // are ordered by (group_priority, priority).
  std::string program;
  std::string file;
  int process_num = 0, numprocs = 1;
  int group_priority = 999;
  // --- dropkeys: supervisor's process keys (doc/supervisor_keys.md) ---
  std::vector<EnvVar> environment;   // after [supervisord]'s, in file order
  std::string directory;             // POSIX: chdir before exec; "" = the daemon's own
  int umask = -1;                    // POSIX: the child's umask, 0-0777; -1 = inherited
  std::string serverurl = "AUTO";    // SUPERVISOR_SERVER_URL; AUTO = the control address
  Signal stopsignal = Signal::Term;  // POSIX: what a stop sends first
  bool stopasgroup = false;          // POSIX: stopsignal to the process group
  bool killasgroup = false;          // POSIX: SIGKILL to the group (default: stopasgroup)
  // --- end dropkeys ---
};

// One [group:x] section: the programs it gathers (their [program:x] names, as written).
struct GroupConfig {
  std::string name;
  std::string file;
  int line = 0;
  int priority = 999;
  std::vector<std::string> programs;
};

// The [supervisord] section (all defaults when the section is absent).
struct DaemonConfig {
  int line = 0;  // line of the section header, 0 when absent
  bool nodaemon = false;
  std::string user;         // VMS default "SYSTEM"; POSIX default "" = do not switch
  std::string command;      // empty = none
  std::string stdout_file;  // default NLA0: / /dev/null
  std::string logfile;      // default supervisord.log (POSIX: resolved against %(here)s)
  std::string table;        // SUPERVISORD_TABLE location (POSIX: a directory; VMS: table name)
  // --- dropkeys: supervisor's daemon keys (doc/supervisor_keys.md) ---
  std::vector<EnvVar> environment;     // for every child, before the program's own
  LogLevel loglevel = LogLevel::Info;  // the activity log's threshold
  int umask = 022;                     // POSIX: the daemon's umask, set at start
  int minfds = 1024, minprocs = 200;   // POSIX: RLIMIT_NOFILE / RLIMIT_NPROC raised at start
  std::string pidfile;    // POSIX: a file holding the daemon's pid while it runs ("" = none)
  bool silent = false;    // with nodaemon: no copy of the activity log on stderr
  std::string directory;  // POSIX: chdir here once detached ("" = "/")
  // --- end dropkeys ---
};

// A whole, valid configuration.
struct Config {
  std::string path;  // the file as given (POSIX: made absolute against Environment::cwd)
  std::string here;  // the directory of the file: the value of %(here)s
  Flavor flavor = Flavor::Posix;
  DaemonConfig daemon;
  std::vector<ProgramConfig> programs;  // in file order
  std::vector<GroupConfig> groups;      // the [group:x] sections, in file order

  // The program called `name`, compared without regard to case (DCL upcases names);
  // nullptr when there is none.
  const ProgramConfig* find(std::string_view name) const;
};

// One problem found while loading.
struct Diagnostic {
  enum class Level { Warning, Error } level = Level::Error;
  std::string file;
  int line = 0;  // 0: about the whole file
  std::string key;
  std::string text;
  std::string section;  // "program:web", "supervisord", or empty

  // "FILE:LINE: [section] key: text"; a warning reads "FILE:LINE: warning: [section] key:
  // text". Parts that are empty (line 0, no section, no key) are left out.
  std::string to_string() const;
};

// What the loader needs from the process's environment, filled in by the caller (the
// portable code never asks the OS itself).
struct Environment {
  unsigned uid = 0;
  std::string home, runtime_dir, cwd;
  std::function<std::optional<std::string>(const std::string&)> getenv;
  // The value of %(host_node_name)s (supervisor's platform.node()); empty: unknown, and
  // the expansion is an error.
  std::string host_node_name;
  // The files whose names match the wildcard `pattern` of an [include] (POSIX glob(3)
  // rules), in any order; empty when none matches.  Unset: an [include] may only name
  // files without wildcards.
  std::function<std::vector<std::string>(const std::string& pattern)> glob;
};

// The outcome of a load: a configuration only when there is no error.
struct [[nodiscard]] LoadResult {
  std::optional<Config> config;
  std::vector<Diagnostic> diagnostics;  // errors and warnings, in file order
  std::string open_error;               // non-empty when the file could not be read at all

  // True when a configuration was produced (warnings allowed, no error).
  bool ok() const;
  // The number of diagnostics of level Error.
  int error_count() const;
};

// Reads and checks the file at `path`. A file that cannot be opened gives one error and
// sets `open_error`.
LoadResult load_file(const std::string& path, Flavor flavor, const Environment& env);

// Checks `text` as if it were the contents of the file `path` (used for %(here)s and
// for the diagnostics).
LoadResult load_string(std::string_view text, const std::string& path, Flavor flavor,
                       const Environment& env);

// What the client reads of a configuration file: where the daemon's table is and as whom
// the daemon runs, the `table` and `user` keys of the (first) [supervisord] section, read
// with the same INI reader, expansions and value rules as the daemon's load.  Nothing
// else is checked: validating the whole file is `supervisord --check`'s job.
struct ClientSettings {
  std::string table;  // as the daemon resolves it; the default table when not given
  std::string user;   // [supervisord] user; "" when not given
};

// The outcome of reading the client's settings: settings only when there is no error.
struct ClientLoadResult {
  std::optional<ClientSettings> settings;
  // Problems of those two keys, and syntax errors inside [supervisord] (such a line may
  // be the table key), in file order.
  std::vector<Diagnostic> diagnostics;
  std::string open_error;  // non-empty when the file could not be read at all

  // The number of diagnostics of level Error.
  int error_count() const;
};

// Reads the client's settings from the file at `path` (see ClientSettings).
ClientLoadResult load_client_file(const std::string& path, Flavor flavor, const Environment& env);

// The same for `text`, as if it were the contents of the file `path`.
ClientLoadResult load_client_string(std::string_view text, const std::string& path, Flavor flavor,
                                    const Environment& env);

// True when the PQL quota `name` (canonical, e.g. "FILLM") is applied on POSIX as a
// resource limit: FILLM, CPULM, PGFLQUOTA, PRCLM. The others only warn there.
bool quota_has_posix_counterpart(std::string_view name);

// The PQL$_ item code of the quota `name` (canonical, e.g. "ASTLM" -> 1), if it is one.
std::optional<std::uint8_t> pql_code(std::string_view name);

// The POSIX resource a quota maps to (the backend turns these into RLIMIT_* values).
enum class PosixResource { Nofile, Cpu, AddressSpace, Nproc };
struct PosixLimit {
  PosixResource resource;
  std::uint64_t value;  // files, seconds, bytes, processes
};

// The resource limit for `quota` on POSIX: FILLM -> files, CPULM (10 ms units) ->
// seconds rounded up, PGFLQUOTA (512-byte pagelets) -> bytes, PRCLM -> processes.
// nullopt when the quota has no counterpart, or its value is 0 (0 leaves the limit as
// inherited, as CPULM=0 means "no limit" on OpenVMS).
std::optional<PosixLimit> posix_limit(const Quota& quota);

}  // namespace sup::config
