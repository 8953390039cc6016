// supervisor's sections that this supervisord accepts but does not act on yet: the HTTP
// and XML-RPC side, its plugins, event listeners and FastCGI programs.  A supervisor
// configuration carries them (its sample.conf has them all), so refusing them would
// refuse the file; ignoring them silently would hide that they do nothing.  So each is
// checked like any section (unknown keys, required keys, expansions) and gives exactly
// one warning saying why it has no effect.
#include <algorithm>
#include <array>

#include "config/config_loader.hpp"
#include "config/config_text.hpp"

namespace sup::config::detail {
namespace {

// The keys of supervisor 4.2.5's [program:x], which [eventlistener:x] and
// [fcgi-program:x] share.
constexpr std::array<std::string_view, 32> kSupervisorProgramKeys{"command",
                                                                  "process_name",
                                                                  "numprocs",
                                                                  "numprocs_start",
                                                                  "priority",
                                                                  "autostart",
                                                                  "startsecs",
                                                                  "startretries",
                                                                  "autorestart",
                                                                  "exitcodes",
                                                                  "stopsignal",
                                                                  "stopwaitsecs",
                                                                  "stopasgroup",
                                                                  "killasgroup",
                                                                  "user",
                                                                  "redirect_stderr",
                                                                  "stdout_logfile",
                                                                  "stdout_logfile_maxbytes",
                                                                  "stdout_logfile_backups",
                                                                  "stdout_capture_maxbytes",
                                                                  "stdout_events_enabled",
                                                                  "stdout_syslog",
                                                                  "stderr_logfile",
                                                                  "stderr_logfile_maxbytes",
                                                                  "stderr_logfile_backups",
                                                                  "stderr_capture_maxbytes",
                                                                  "stderr_events_enabled",
                                                                  "stderr_syslog",
                                                                  "environment",
                                                                  "directory",
                                                                  "umask",
                                                                  "serverurl"};

// One kind of inert section.
struct InertKind {
  std::string_view prefix;  // "unix_http_server" (whole name) or "eventlistener:" (prefix)
  std::vector<std::string_view> keys;  // its own keys
  bool program_keys;                   // also supervisor's [program:x] keys
  bool any_key;                        // a plugin's section: its other keys are the plugin's
  std::vector<std::string_view> required;
  std::string_view why;  // the warning
};

const std::vector<InertKind>& kinds() {
  static const std::vector<InertKind> kKinds{
      {"unix_http_server",
       {"file", "chmod", "chown", "username", "password"},
       false,
       false,
       {"file"},
       "has no effect yet: this supervisord serves no HTTP or XML-RPC; the SUPERVISOR verb "
       "reaches it through its own command socket (SUPERVISORD_CMD), which only root and the "
       "daemon's user may use"},
      {"inet_http_server",
       {"port", "username", "password"},
       false,
       false,
       {"port"},
       "has no effect yet: this supervisord serves no HTTP or XML-RPC and listens on no "
       "network port"},
      {"supervisorctl",
       {"serverurl", "username", "password", "prompt", "history_file"},
       false,
       false,
       {},
       "has no effect: the SUPERVISOR verb finds the daemon through [supervisord] table "
       "(SUPERVISORD_CMD), not through serverurl"},
      {"rpcinterface:",
       {"supervisor.rpcinterface_factory"},
       false,
       true,
       {"supervisor.rpcinterface_factory"},
       "has no effect: there is no XML-RPC interface, so no interface plugin is loaded"},
      {"ctlplugin:",
       {"supervisor.ctl_factory"},
       false,
       true,
       {"supervisor.ctl_factory"},
       "has no effect: the SUPERVISOR verb takes no plugins"},
      {"eventlistener:",
       {"events", "buffer_size", "result_handler"},
       true,
       false,
       {"command", "events"},
       "has no effect yet: events are not implemented, so this listener is not started"},
      {"fcgi-program:",
       {"socket", "socket_backlog", "socket_owner", "socket_mode"},
       true,
       false,
       {"command", "socket"},
       "has no effect yet: FastCGI programs are not implemented, so this program is not "
       "started"},
  };
  return kKinds;
}

const InertKind* kind_of(std::string_view section) {
  const std::string lower = to_lower(section);
  for (const auto& kind : kinds()) {
    const bool prefix = kind.prefix.back() == ':';
    if (prefix ? lower.rfind(kind.prefix, 0) == 0 : lower == kind.prefix) return &kind;
  }
  return nullptr;
}

bool known_key(const InertKind& kind, std::string_view key) {
  const auto in = [&](const auto& list) {
    return std::find(list.begin(), list.end(), key) != list.end();
  };
  return kind.any_key || in(kind.keys) || (kind.program_keys && in(kSupervisorProgramKeys));
}

}  // namespace

bool Loader::load_inert(const RawSection& section) {
  const InertKind* kind = kind_of(section.name);
  if (kind == nullptr) return false;
  const bool named = kind->prefix.back() == ':';
  const std::string name(
      trim(std::string_view(section.name).substr(named ? kind->prefix.size() : 0)));
  if (named && name.empty()) {
    error(section.line, section.name, "", "the name is missing: write [" + section.name + "name]");
    return true;
  }
  if (kind->prefix == "fcgi-program:") fcgi_programs_.insert(to_lower(name));
  ExpandContext context = plain_context();
  if (kind->program_keys) {
    context.program_name = &name;
    context.group_name = &name;
    context.process_num = 0;
    context.numprocs = 1;
  }
  std::map<std::string, int> seen;
  for (const auto& key : section.keys) {
    if (const auto it = seen.find(key.name); it != seen.end()) {
      error(key.line, section.name, key.name,
            "given twice (first at line " + std::to_string(it->second) + ")");
      continue;
    }
    seen.emplace(key.name, key.line);
    if (!known_key(*kind, key.name)) {
      error(key.line, section.name, key.name, "unknown key for this section of supervisor's");
      continue;
    }
    if (key.broken) continue;
    const auto value = expand(key.value, context);
    if (!value.value) {
      error(key.line, section.name, key.name, value.error);
    } else if (kind->prefix == "eventlistener:" && key.name == "redirect_stderr") {
      // supervisor refuses it too: a listener's stdout is the event protocol.
      const auto on = parse_bool(trim(*value.value));
      if (!on.value) error(key.line, section.name, key.name, on.error);
      if (on.value && *on.value)
        error(key.line, section.name, key.name,
              "not allowed in an event listener: its stdout carries the event protocol");
    }
  }
  for (const auto& required : kind->required)
    if (seen.count(std::string(required)) == 0)
      error(section.line, section.name, std::string(required), "missing: supervisor requires it");
  warning(section.line, section.name, "", std::string(kind->why));
  return true;
}

}  // namespace sup::config::detail
