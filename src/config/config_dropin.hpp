// supervisor 4.2.5's keys that the seed did not have: their value grammars, their
// setters, and the rules that need a whole [program:x] section (doc/supervisor_keys.md).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/config_keys.hpp"
#include "config/config_values.hpp"

namespace sup::config::detail {

// supervisor's `environment` value, as 4.2.5's dict_of_key_value_pairs reads it: Python's
// shlex in its non-POSIX mode (words of letters, digits, _ / . + - ( ) :, quoted strings
// kept with their quotes, every other character a token of its own, # a comment), then
// KEY = VALUE triples, each followed by one separator token (a comma); the quotes around a
// value are stripped.  A name given twice keeps its last value at its first place.
Parsed<std::vector<EnvVar>> parse_environment(std::string_view text);

// supervisor's `command` split as 4.2.5 splits it (shlex.split: POSIX mode, no comments):
// words separated by blanks, '...' literal, "..." where a backslash escapes only \ and ",
// \x outside quotes is x.
Parsed<std::vector<std::string>> split_command(std::string_view text);

// An octal umask, 0 to 0777 ("022", "0o22", "0").
Parsed<int> parse_umask(std::string_view text);

// A signal name (TERM, SIGTERM, any case) or the numbers POSIX fixes (1 2 3 9 15).
Parsed<Signal> parse_signal(std::string_view text);

// critical, error, warn, info, debug, trace, blather (supervisor's names, any case).
Parsed<LogLevel> parse_loglevel(std::string_view text);

// A getenv that looks in `own`, then `daemon` (either may be null), then `outer`: what
// %(ENV_X)s sees in a [program:x] section once its environment is known (as in 4.2.5).
std::function<std::optional<std::string>(const std::string&)> chained_getenv(
    const std::vector<EnvVar>* own, const std::vector<EnvVar>* daemon,
    std::function<std::optional<std::string>(const std::string&)> outer);

// The setters of the new keys, for the key tables of config_program_keys.cpp and
// config_daemon_keys.cpp.
void set_program_command(const KeyContext& c, ProgramConfig& p);
void set_program_environment(const KeyContext& c, ProgramConfig& p);
void set_program_directory(const KeyContext& c, ProgramConfig& p);
void set_program_umask(const KeyContext& c, ProgramConfig& p);
void set_program_serverurl(const KeyContext& c, ProgramConfig& p);
void set_program_stopsignal(const KeyContext& c, ProgramConfig& p);
void set_daemon_environment(const KeyContext& c, DaemonConfig& d);
void set_daemon_loglevel(const KeyContext& c, DaemonConfig& d);
void set_daemon_umask(const KeyContext& c, DaemonConfig& d);
void set_daemon_identifier(const KeyContext& c, DaemonConfig& d);

// One error found by finish_program: the key it is about and its line.
struct KeyProblem {
  int line = 0;
  std::string key;
  std::string text;
};

// The rules of a whole [program:x] section, once every key is applied.  `seen` maps each
// key given to its line.  The `command` rule (README "Coming from supervisor"): on POSIX
// without `image`, `command` is the program and its arguments (split_command; the
// program is found on PATH at each start when it has no '/', else resolved against
// `directory` or %(here)s); with `image`, or on OpenVMS, it is the input file.  Also:
// killasgroup defaults to stopasgroup, and stopasgroup without killasgroup is refused,
// as in 4.2.5.
std::vector<KeyProblem> finish_program(ProgramConfig& p, const std::map<std::string, int>& seen,
                                       Flavor flavor, std::string_view here, std::string_view home);

}  // namespace sup::config::detail
