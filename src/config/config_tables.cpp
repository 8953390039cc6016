#include "config/config_tables.hpp"

#include <array>

#include "config/config.hpp"

namespace sup::config {
namespace detail {
namespace {

// PQL$_ codes, doc/vms_facts.md section 6. `posix` marks those the POSIX backend turns into
// resource limits (see posix_limit below).
constexpr std::array<QuotaInfo, 14> kQuotas{{
    {"ASTLM", 1, false},
    {"BIOLM", 2, false},
    {"BYTLM", 3, false},
    {"CPULM", 4, true},
    {"DIOLM", 5, false},
    {"FILLM", 6, true},
    {"PGFLQUOTA", 7, true},
    {"PRCLM", 8, true},
    {"TQELM", 9, false},
    {"WSQUOTA", 10, false},
    {"WSDEFAULT", 11, false},
    {"ENQLM", 12, false},
    {"WSEXTENT", 13, false},
    {"JTQUOTA", 14, false},
}};

// PRV$V_ bits, doc/vms_facts.md section 7 ($PRVDEF), then the old names kept as synonyms.
constexpr std::array<PrivilegeInfo, 42> kPrivileges{{
    {"CMKRNL", 0},      {"CMEXEC", 1},   {"SYSNAM", 2},   {"GRPNAM", 3},     {"ALLSPOOL", 4},
    {"IMPERSONATE", 5}, {"DIAGNOSE", 6}, {"LOG_IO", 7},   {"GROUP", 8},      {"NOACNT", 9},
    {"PRMCEB", 10},     {"PRMMBX", 11},  {"PSWAPM", 12},  {"SETPRI", 13},    {"SETPRV", 14},
    {"TMPMBX", 15},     {"WORLD", 16},   {"MOUNT", 17},   {"OPER", 18},      {"EXQUOTA", 19},
    {"NETMBX", 20},     {"VOLPRO", 21},  {"PHY_IO", 22},  {"BUGCHK", 23},    {"PRMGBL", 24},
    {"SYSGBL", 25},     {"PFNMAP", 26},  {"SHMEM", 27},   {"SYSPRV", 28},    {"BYPASS", 29},
    {"SYSLCK", 30},     {"SHARE", 31},   {"UPGRADE", 32}, {"DOWNGRADE", 33}, {"GRPPRV", 34},
    {"READALL", 35},    {"IMPORT", 36},  {"AUDIT", 37},   {"SECURITY", 38},  {"DETACH", 5},
    {"ACNT", 9},        {"ALTPRI", 13},
}};

}  // namespace

std::optional<QuotaInfo> find_quota(std::string_view name) {
  for (const auto& q : kQuotas) {
    if (q.name == name) return q;
  }
  return std::nullopt;
}

std::string quota_names() {
  std::string out;
  for (const auto& q : kQuotas) {
    if (!out.empty()) out += ", ";
    out += q.name;
  }
  return out;
}

std::optional<PrivilegeInfo> find_privilege(std::string_view name) {
  for (const auto& p : kPrivileges) {
    if (p.name == name)
      return PrivilegeInfo{kPrivileges[static_cast<std::size_t>(p.bit)].name, p.bit};
  }
  return std::nullopt;
}

}  // namespace detail

bool quota_has_posix_counterpart(std::string_view name) {
  auto q = detail::find_quota(name);
  return q && q->posix;
}

std::optional<std::uint8_t> pql_code(std::string_view name) {
  auto q = detail::find_quota(name);
  if (!q) return std::nullopt;
  return q->code;
}

std::optional<PosixLimit> posix_limit(const Quota& quota) {
  if (quota.value == 0) return std::nullopt;
  const std::uint64_t v = quota.value;
  if (quota.name == "FILLM") return PosixLimit{PosixResource::Nofile, v};
  // CPULM counts 10 ms ticks; RLIMIT_CPU counts whole seconds, so round up.
  if (quota.name == "CPULM") return PosixLimit{PosixResource::Cpu, (v + 99) / 100};
  // PGFLQUOTA counts 512-byte pagelets of page file, the nearest thing is address space.
  if (quota.name == "PGFLQUOTA") return PosixLimit{PosixResource::AddressSpace, v * 512};
  if (quota.name == "PRCLM") return PosixLimit{PosixResource::Nproc, v};
  return std::nullopt;
}

}  // namespace sup::config
