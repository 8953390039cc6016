// The client's transport on POSIX: the daemon's SOCK_SEQPACKET socket (client_transport.hpp).
#include <unistd.h>

#include <cstdlib>
#include <optional>

#include "platform/posix/posix_env.hpp"
#include "platform/posix/posix_platform.hpp"
#include "platform/posix/posix_user.hpp"
#include "supervisor/client_config.hpp"
#include "supervisor/client_transport.hpp"

namespace sup::client {
namespace {

using msg::Condition;

// The config file the request names, else ./supervisord.conf, else /etc/supervisord.conf.
std::string config_path(const commands::Request& r) {
  if (r.config_given) return r.config_file;
  return access("supervisord.conf", F_OK) == 0 ? "supervisord.conf" : "/etc/supervisord.conf";
}

// Where to send the request: the socket and the account the daemon must run as.
struct Target {
  std::string socket;
  unsigned owner = 0;  // the peer must be root or this uid
};

// The uid of the account `user` names (the daemon switches to it), if there is one.
std::optional<unsigned> daemon_uid(const std::string& user) {
  if (user.empty()) return std::nullopt;
  if (auto info = posix::lookup_user(user)) return static_cast<unsigned>(info->uid);
  return std::nullopt;
}

// The socket path: $SUPERVISORD_CMD (the daemon must then be root or ourselves), else
// SUPERVISORD_CMD in the table the configuration names (the way the seed's client
// translates the logical name), once the table has proved trustworthy; the daemon must
// then run as root or as the table's owner.
Condition find_target(const commands::Request& r, Target& target) {
  if (const char* env = std::getenv("SUPERVISORD_CMD"); env && *env) {
    target = {env, static_cast<unsigned>(::geteuid())};
    return {};
  }
  TableLookup lookup = find_table(config_path(r), posix::posix_environment());
  if (!lookup.condition.ok()) return lookup.condition;
  auto trusted = posix::open_trusted_table(lookup.table, daemon_uid(lookup.user));
  if (!trusted.table)
    return {trusted.missing ? SUP__NODAEMON : SUP__TABLEERR, {lookup.table, trusted.error}};
  auto value = trusted.table->get("SUPERVISORD_CMD");
  if (!value) return {SUP__NODAEMON, {lookup.table, "SUPERVISORD_CMD is not defined"}};
  target = {*value, trusted.owner};
  return {};
}

}  // namespace

Condition connect_daemon(const commands::Request& request, Connection& out) {
  Target target;
  if (Condition c = find_target(request, target); !c.ok()) return c;
  out.address = target.socket;
  std::string error;
  out.channel = posix::connect_channel(target.socket, target.owner, error);
  if (!out.channel) return {SUP__NODAEMON, {target.socket, error}};
  return {};
}

bool terminal() {
  return isatty(0) && isatty(1);
}

int exit_status(std::uint32_t condition) {
  return msg::posix_exit_code(condition);
}

}  // namespace sup::client
