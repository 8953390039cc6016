// The OpenVMS name tables the configuration is checked against: PQL$ quotas
// (doc/vms_facts.md section 6) and PRV$ privileges (section 7).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sup::config::detail {

// A PQL quota: canonical name, PQL$_ item code, whether POSIX applies it as an rlimit.
struct QuotaInfo {
  std::string_view name;
  std::uint8_t code;
  bool posix;
};

// The quota called `name` (upper case, without PQL$_), if there is one.
std::optional<QuotaInfo> find_quota(std::string_view name);

// "ASTLM, BIOLM, ..., JTQUOTA": every quota name, for error messages.
std::string quota_names();

// A privilege: canonical PRV$ name and its bit in the privilege quadword.
struct PrivilegeInfo {
  std::string_view name;
  int bit;
};

// The privilege called `name` (upper case), synonyms resolved (DETACH is IMPERSONATE,
// ACNT is NOACNT, ALTPRI is SETPRI), if there is one.
std::optional<PrivilegeInfo> find_privilege(std::string_view name);

}  // namespace sup::config::detail
