// The keys of a [program:x] section (doc/behaviour.md section 1 has the defaults).
#include <algorithm>
#include <limits>

#include "config/config.hpp"
#include "config/config_dropin.hpp"
#include "config/config_keys.hpp"

namespace sup::config::detail {
namespace {

using Ctx = const KeyContext;
using P = ProgramConfig;

// Upper bounds that catch typos without getting in anybody's way.
constexpr int kMaxSeconds = 86400;  // startsecs, stopwaitsecs: a day
constexpr int kMaxRetries = 1000000;
constexpr int kMaxKtLimit = 65535;
constexpr int kMaxBaspri = 31;

void set_image(Ctx& c, P& p) {
  // On POSIX a bare name is left for PATH lookup; anything with a '/' is a file.
  if (c.flavor() == Flavor::Posix && c.value().find('/') != std::string::npos) {
    c.set_file(p.image);
  } else {
    c.set_text(p.image);
  }
}

void set_quotas(Ctx& c, P& p) {
  if (!c.take(parse_quotas(c.value()), p.quotas) || c.flavor() != Flavor::Posix) return;
  std::string ignored;
  int count = 0;
  for (const auto& q : p.quotas) {
    if (quota_has_posix_counterpart(q.name)) continue;
    ignored += (ignored.empty() ? "" : ", ") + q.name;
    ++count;
  }
  if (count > 0) {
    c.warning(ignored + (count == 1 ? " has" : " have") +
              " no effect on POSIX (only FILLM, CPULM, PGFLQUOTA and PRCLM apply there, as "
              "resource limits)");
  }
}

void set_privileges(Ctx& c, P& p) {
  Privileges privileges;
  if (!c.take(parse_privileges(c.value()), privileges)) return;
  p.privileges = std::move(privileges.names);
  p.privilege_mask = privileges.mask;
}

const std::vector<KeySpec<P>>& keys() {
  static const std::vector<KeySpec<P>> kKeys{
      {"image", KeyScope::Both, set_image},
      {"command", KeyScope::Both, set_program_command},  // meaning: finish_program
      {"process_name", KeyScope::Both, [](Ctx& c, P& p) { c.set_text(p.process_name); }},
      {"user", KeyScope::Both, [](Ctx& c, P& p) { c.set_user(p.user); }},
      {"autostart", KeyScope::Both, [](Ctx& c, P& p) { c.set_bool(p.autostart); }},
      {"stdout_file", KeyScope::Both, [](Ctx& c, P& p) { c.set_file(p.stdout_file); }},
      {"stderr_file", KeyScope::Both, [](Ctx& c, P& p) { c.set_file(p.stderr_file); }},
      {"startsecs", KeyScope::Both, [](Ctx& c, P& p) { c.set_int(p.startsecs, 0, kMaxSeconds); }},
      {"startretries", KeyScope::Both,
       [](Ctx& c, P& p) { c.set_int(p.startretries, 0, kMaxRetries); }},
      {"stopwaitsecs", KeyScope::Both,
       [](Ctx& c, P& p) { c.set_int(p.stopwaitsecs, 0, kMaxSeconds); }},
      {"kt_limit", KeyScope::VmsOnly, [](Ctx& c, P& p) { c.set_int(p.kt_limit, 0, kMaxKtLimit); }},
      {"baspri", KeyScope::Both, [](Ctx& c, P& p) { c.set_int(p.baspri, 0, kMaxBaspri); }},
      {"nouaf", KeyScope::VmsOnly, [](Ctx& c, P& p) { c.set_bool(p.nouaf); }},
      {"quotas", KeyScope::Both, set_quotas},
      {"privileges", KeyScope::VmsOnly, set_privileges},
      {"autorestart", KeyScope::Both,
       [](Ctx& c, P& p) { c.take(parse_autorestart(c.value()), p.autorestart); }},
      {"exitcodes", KeyScope::Both,
       [](Ctx& c, P& p) { c.take(parse_exitcodes(c.value(), c.flavor()), p.exitcodes); }},
      {"arguments", KeyScope::PosixOnly,
       [](Ctx& c, P& p) { c.take(split_arguments(c.value()), p.arguments); }},
      // Groups, instances and order (README "Groups, instances and includes"); numprocs
      // and numprocs_start are read before the other keys (config_instances.cpp).
      {"priority", KeyScope::Both,
       [](Ctx& c, P& p) {
         c.take(parse_signed_int(c.value(), std::numeric_limits<int>::min(),
                                 std::numeric_limits<int>::max()),
                p.priority);
       }},

      // --- dropkeys: supervisor's process keys (config_dropin_keys.cpp) ---
      {"environment", KeyScope::Both, set_program_environment},
      {"directory", KeyScope::Both, set_program_directory},
      {"umask", KeyScope::Both, set_program_umask},
      {"serverurl", KeyScope::Both, set_program_serverurl},
      {"stopsignal", KeyScope::PosixOnly, set_program_stopsignal},
      {"stopasgroup", KeyScope::PosixOnly, [](Ctx& c, P& p) { c.set_bool(p.stopasgroup); }},
      {"killasgroup", KeyScope::PosixOnly, [](Ctx& c, P& p) { c.set_bool(p.killasgroup); }},
      // --- end dropkeys ---
  };
  return kKeys;
}

}  // namespace

const std::vector<KeySpec<ProgramConfig>>& program_keys() {
  return keys();
}

}  // namespace sup::config::detail
