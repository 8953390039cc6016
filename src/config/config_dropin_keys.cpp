// The setters and value grammars of supervisor's keys that the seed did not have.
#include <array>
#include <utility>

#include "config/config_dropin.hpp"
#include "config/config_text.hpp"

namespace sup::config::detail {
namespace {

constexpr std::array<std::pair<std::string_view, Signal>, 7> kSignals{{
    {"HUP", Signal::Hup},
    {"INT", Signal::Int},
    {"QUIT", Signal::Quit},
    {"KILL", Signal::Kill},
    {"TERM", Signal::Term},
    {"USR1", Signal::Usr1},
    {"USR2", Signal::Usr2},
}};

// The signal numbers POSIX fixes (XSI); USR1 and USR2 differ between systems.
constexpr std::array<std::pair<std::string_view, Signal>, 5> kNumbers{{
    {"1", Signal::Hup},
    {"2", Signal::Int},
    {"3", Signal::Quit},
    {"9", Signal::Kill},
    {"15", Signal::Term},
}};

constexpr std::array<std::pair<std::string_view, LogLevel>, 7> kLevels{{
    {"critical", LogLevel::Critical},
    {"error", LogLevel::Error},
    {"warn", LogLevel::Warn},
    {"info", LogLevel::Info},
    {"debug", LogLevel::Debug},
    {"trace", LogLevel::Trace},
    {"blather", LogLevel::Blather},
}};

// A key the OpenVMS backend does not apply yet: said once per key, never ignored
// silently.  `meaning` is what it will be there (doc/supervisor_keys.md).
void vms_not_applied(const KeyContext& c, std::string_view meaning) {
  if (c.flavor() != Flavor::Vms) return;
  c.warning("is not applied on OpenVMS yet (there it means " + std::string(meaning) +
            "; src/platform/vms/README.md lists it as missing)");
}

}  // namespace

Parsed<int> parse_umask(std::string_view text) {
  std::string_view digits = text;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'o' || digits[1] == 'O'))
    digits.remove_prefix(2);
  int value = 0;
  bool ok = !digits.empty() && digits.size() <= 4;
  for (char c : digits) {
    if (c < '0' || c > '7') ok = false;
    value = value * 8 + (c - '0');
  }
  if (!ok || value > 0777)
    return Parsed<int>::fail("expected an octal umask from 0 to 777 (e.g. 022), got " +
                             quoted(text));
  return Parsed<int>::ok(value);
}

Parsed<Signal> parse_signal(std::string_view text) {
  std::string name = to_upper(text);
  if (name.rfind("SIG", 0) == 0) name.erase(0, 3);
  for (const auto& [n, s] : kSignals)
    if (n == name) return Parsed<Signal>::ok(s);
  for (const auto& [n, s] : kNumbers)
    if (n == name) return Parsed<Signal>::ok(s);
  return Parsed<Signal>::fail(
      "expected a signal: TERM, HUP, INT, QUIT, KILL, USR1 or USR2 (SIG prefix allowed) or 1, "
      "2, 3, 9, 15, got " +
      quoted(text));
}

Parsed<LogLevel> parse_loglevel(std::string_view text) {
  const std::string lower = to_lower(text);
  for (const auto& [n, l] : kLevels)
    if (n == lower) return Parsed<LogLevel>::ok(l);
  return Parsed<LogLevel>::fail(
      "expected critical, error, warn, info, debug, trace or blather, got " + quoted(text));
}

void set_program_command(const KeyContext& c, ProgramConfig& p) {
  if (c.flavor() == Flavor::Vms) return c.set_file(p.command);
  // Kept as written: finish_program decides between the two meanings (it needs `image`).
  c.set_text(p.command);
}

void set_program_environment(const KeyContext& c, ProgramConfig& p) {
  if (c.take(parse_environment(c.value()), p.environment))
    vms_not_applied(c, "process logical names defined before the program runs");
}

void set_program_directory(const KeyContext& c, ProgramConfig& p) {
  c.set_file(p.directory);
  vms_not_applied(c, "the default device and directory (SET DEFAULT)");
}

void set_program_umask(const KeyContext& c, ProgramConfig& p) {
  if (c.take(parse_umask(c.value()), p.umask))
    vms_not_applied(c, "the default file protection (SET PROTECTION/DEFAULT)");
}

void set_program_serverurl(const KeyContext& c, ProgramConfig& p) {
  c.set_text(p.serverurl);
  if (iequals(p.serverurl, "AUTO")) p.serverurl = "AUTO";
  vms_not_applied(c, "the logical name SUPERVISOR_SERVER_URL in the program's process");
}

void set_program_stopsignal(const KeyContext& c, ProgramConfig& p) {
  c.take(parse_signal(c.value()), p.stopsignal);
}

void set_daemon_environment(const KeyContext& c, DaemonConfig& d) {
  if (c.take(parse_environment(c.value()), d.environment))
    vms_not_applied(c, "process logical names defined for every program");
}

void set_daemon_loglevel(const KeyContext& c, DaemonConfig& d) {
  c.take(parse_loglevel(c.value()), d.loglevel);
}

void set_daemon_umask(const KeyContext& c, DaemonConfig& d) {
  c.take(parse_umask(c.value()), d.umask);
}

void set_daemon_identifier(const KeyContext& c, DaemonConfig&) {
  // Checked like any text, then said plainly to do nothing: there is no XML-RPC here.
  std::string identifier;
  c.set_text(identifier);
  if (!identifier.empty())
    c.warning(
        "has no effect on either platform: it names supervisord in supervisor's XML-RPC "
        "interface (getIdentification), which this project does not have");
}

}  // namespace sup::config::detail
