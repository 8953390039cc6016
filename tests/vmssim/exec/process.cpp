// The process and user tables (see process.hpp).
#include "exec/process.hpp"

#include <strings.h>

namespace vmssim::exec {

const std::vector<User>& users() {
  // [G] The two other users get TMPMBX and NETMBX, the usual defaults of a SYSUAF record.
  static const std::vector<User> table = {
      {"SYSTEM", (1u << 16) | 4u, "SYSTEM", prv::kAll, prv::kAll},
      {"ALICE", (0200u << 16) | 1u, "ALICEACC", prv::kTmpmbx | prv::kNetmbx,
       prv::kTmpmbx | prv::kNetmbx},
      {"BOB", (0300u << 16) | 1u, "BOBACC", prv::kTmpmbx | prv::kNetmbx,
       prv::kTmpmbx | prv::kNetmbx},
  };
  return table;
}

const User* find_user(const std::string& name) {
  for (const User& u : users())
    if (strcasecmp(u.name.c_str(), name.c_str()) == 0) return &u;
  return nullptr;
}

const Quotas& pql_defaults() {
  // Index = PQL code: ASTLM BIOLM BYTLM CPULM DIOLM FILLM PGFLQUOTA PRCLM TQELM WSQUOTA
  // WSDEFAULT ENQLM WSEXTENT JTQUOTA.  ASTLM 24 and BYTLM 8192 [P GOVAX probe 2]; the rest
  // the VAX V7.1 PQL_D values [M].
  static const Quotas q = {0, 24, 18, 8192, 0, 18, 20, 10000, 8, 10, 200, 100, 10, 400, 4096};
  return q;
}

const Quotas& pql_minimums() {
  // ASTLM 4 and BYTLM 1024 [P GOVAX probe 2]; the rest PQL_M [M].
  static const Quotas q = {0, 4, 2, 1024, 0, 2, 2, 512, 0, 0, 60, 60, 4, 60, 0};
  return q;
}

ProcessTable::ProcessTable(unsigned max_slots)
    : max_slots_(max_slots), slots_(max_slots + 1), seq_(max_slots + 1, 0) {}

Process* ProcessTable::allocate() {
  // Round-robin over free slots, so that a PID just freed is not reused at once.
  for (unsigned tries = 0; tries < max_slots_; ++tries) {
    unsigned slot = next_slot_;
    next_slot_ = next_slot_ >= max_slots_ ? 1 : next_slot_ + 1;
    if (slots_[slot]) continue;
    seq_[slot] = static_cast<std::uint16_t>((seq_[slot] + 1) & 0x1FF);
    auto p = std::make_unique<Process>();
    p->slot = static_cast<std::uint16_t>(slot);
    p->pid = 0x20400000u | (static_cast<std::uint32_t>(seq_[slot]) << 12) | slot;
    slots_[slot] = std::move(p);
    return slots_[slot].get();
  }
  return nullptr;
}

Process* ProcessTable::find(std::uint32_t pid) {
  unsigned slot = pid & 0xFFF;
  if (slot == 0 || slot > max_slots_ || !slots_[slot]) return nullptr;
  return slots_[slot]->pid == pid ? slots_[slot].get() : nullptr;
}

Process* ProcessTable::find_linux(pid_t linux_pid) {
  for (auto& p : slots_)
    if (p && p->linux_pid == linux_pid && !p->terminated) return p.get();
  return nullptr;
}

Process* ProcessTable::find_name(std::uint16_t group, const std::string& name) {
  if (name.empty()) return nullptr;
  for (auto& p : slots_)
    if (p && !p->terminated && uic_group(p->uic) == group && p->name == name) return p.get();
  return nullptr;
}

void ProcessTable::remove(std::uint32_t pid) {
  if (find(pid)) slots_[pid & 0xFFF].reset();
}

std::vector<Process*> ProcessTable::in_slot_order() {
  std::vector<Process*> out;
  for (auto& p : slots_)
    if (p) out.push_back(p.get());
  return out;
}

Process* ProcessTable::next_from_slot(unsigned slot) {
  for (unsigned s = slot < 1 ? 1 : slot; s <= max_slots_; ++s)
    if (slots_[s]) return slots_[s].get();
  return nullptr;
}

unsigned ProcessTable::count_subprocesses(std::uint32_t owner) {
  unsigned n = 0;
  for (auto& p : slots_)
    if (p && !p->terminated && p->owner == owner && owner != 0) ++n;
  return n;
}

unsigned ProcessTable::count_detached_of(const std::string& username) {
  unsigned n = 0;
  for (auto& p : slots_)
    if (p && !p->terminated && p->detached && !p->interactive && p->username == username) ++n;
  return n;
}

}  // namespace vmssim::exec
