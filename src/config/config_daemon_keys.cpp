// The keys of the [supervisord] section.
#include "config/config.hpp"
#include "config/config_dropin.hpp"
#include "config/config_keys.hpp"
#include "config/config_text.hpp"

namespace sup::config::detail {
namespace {

using Ctx = const KeyContext;
using D = DaemonConfig;

// A logical name table name: 1 to 31 letters, digits, '_' or '$'.
bool valid_table_name(std::string_view name) {
  if (name.empty() || name.size() > 31) return false;
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '$';
    if (!ok) return false;
  }
  return true;
}

void set_table(Ctx& c, D& d) {
  if (c.flavor() == Flavor::Posix) return c.set_file(d.table);  // a directory
  if (!valid_table_name(c.value())) {
    return c.error("expected a logical name table name (1 to 31 letters, digits, _ or $), got " +
                   quoted(c.value()));
  }
  d.table = to_upper(c.value());
}

const std::vector<KeySpec<D>>& keys() {
  static const std::vector<KeySpec<D>> kKeys{
      {"nodaemon", KeyScope::Both, [](Ctx& c, D& d) { c.set_bool(d.nodaemon); }},
      {"user", KeyScope::Both, [](Ctx& c, D& d) { c.set_user(d.user); }},
      {"command", KeyScope::Both, [](Ctx& c, D& d) { c.set_file(d.command); }},
      {"stdout_file", KeyScope::Both, [](Ctx& c, D& d) { c.set_file(d.stdout_file); }},
      {"logfile", KeyScope::Both, [](Ctx& c, D& d) { c.set_file(d.logfile); }},
      {"table", KeyScope::Both, set_table},
      // --- dropkeys: supervisor's daemon keys (config_dropin_keys.cpp) ---
      {"environment", KeyScope::Both, set_daemon_environment},
      {"loglevel", KeyScope::Both, set_daemon_loglevel},
      {"umask", KeyScope::PosixOnly, set_daemon_umask},
      {"minfds", KeyScope::PosixOnly, [](Ctx& c, D& d) { c.set_int(d.minfds, 1, 1 << 30); }},
      {"minprocs", KeyScope::PosixOnly, [](Ctx& c, D& d) { c.set_int(d.minprocs, 1, 1 << 30); }},
      {"pidfile", KeyScope::PosixOnly, [](Ctx& c, D& d) { c.set_file(d.pidfile); }},
      {"silent", KeyScope::Both, [](Ctx& c, D& d) { c.set_bool(d.silent); }},
      {"directory", KeyScope::PosixOnly, [](Ctx& c, D& d) { c.set_file(d.directory); }},
      {"identifier", KeyScope::Both, set_daemon_identifier},
      // --- end dropkeys ---
  };
  return kKeys;
}

}  // namespace

const std::vector<KeySpec<DaemonConfig>>& daemon_keys() {
  return keys();
}

}  // namespace sup::config::detail
