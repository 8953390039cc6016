// The client's transport on OpenVMS: the daemon's command mailbox, found through the
// logical name table the configuration names (client_transport.hpp).
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "platform/vms/vms_platform.hpp"
#include "supervisor/client_config.hpp"
#include "supervisor/client_transport.hpp"

namespace sup::client {
namespace {

using msg::Condition;

// The configuration file the request names, else SUPERVISORD.CONF in the default
// directory, else SYS$MANAGER:SUPERVISORD.CONF (where the startup procedure keeps it).
std::string config_path(const commands::Request& r) {
  if (r.config_given) return r.config_file;
  return std::ifstream("supervisord.conf") ? "supervisord.conf" : "SYS$MANAGER:SUPERVISORD.CONF";
}

// What the loader needs: OpenVMS file specifications are used as written (no home, no
// current directory), and %(ENV_X)s reads the C RTL's getenv (logical names, symbols).
config::Environment vms_environment() {
  config::Environment env;
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    if (const char* v = std::getenv(name.c_str())) return std::string(v);
    return std::nullopt;
  };
  return env;
}

}  // namespace

Condition connect_daemon(const commands::Request& request, Connection& out) {
  TableLookup lookup = find_table(config_path(request), vms_environment(), config::Flavor::Vms);
  if (!lookup.condition.ok()) return lookup.condition;
  out.address = lookup.table;
  std::string error;
  out.channel = vms::connect_channel(lookup.table, lookup.user, error);
  if (!out.channel) return {SUP__NODAEMON, {lookup.table, error}};
  return {};
}

bool terminal() {
  return isatty(0) && isatty(1);
}

int exit_status(std::uint32_t condition) {
  return static_cast<int>(condition);
}

}  // namespace sup::client
