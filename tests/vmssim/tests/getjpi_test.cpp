// $GETJPI errors, wildcard scans and $PROCESS_SCAN (checklist 22, 23), $WAKE of another
// process (spec 3.5).
#include <gtest/gtest.h>
#include <prvdef.h>
#include <pscandef.h>
#include <statedef.h>

#include <map>
#include <set>
#include <vector>

#include "proc_test_util.hpp"

using namespace proc_test;

namespace {

Spec sleeper(const std::string& name, unsigned int uic = 0) {
  Spec s;
  s.image = image("child");
  s.script = "sleep\n";
  s.name = name;
  s.uic = uic;
  return s;
}

void kill_child(unsigned int pid) {
  unsigned int p = pid;
  EXPECT_EQ(sys$delprc(&p, nullptr), SS$_NORMAL);
  EXPECT_TRUE(wait_gone(pid));
}

// Runs $GETJPIW with JPI$_PID and JPI$_PRCNAM on a context (wildcard or scan) until
// NOMOREPROC; returns PID -> name, failing on a repeat.
std::map<unsigned int, std::string> scan_all(unsigned int* ctx,
                                             std::vector<unsigned int>* contexts) {
  std::map<unsigned int, std::string> seen;
  auto* items = static_cast<ILE3*>(_malloc32(3 * sizeof(ILE3)));
  auto* pid = static_cast<unsigned int*>(_malloc32(4));
  auto* name = static_cast<char*>(_malloc32(16));
  auto* namelen = static_cast<unsigned short*>(_malloc32(2));
  auto* iosb = static_cast<IOSB*>(_malloc32(sizeof(IOSB)));
  items[0] = {4, JPI$_PID, pid, nullptr};
  items[1] = {15, JPI$_PRCNAM, name, namelen};
  std::memset(&items[2], 0, sizeof(ILE3));
  for (int guard = 0; guard < 5000; ++guard) {
    unsigned int before = *ctx;
    int st = sys$getjpiw(EFN$C_ENF, ctx, nullptr, items, iosb, nullptr, 0);
    if (st == SS$_NOMOREPROC) {
      EXPECT_EQ(*ctx, before) << "NOMOREPROC leaves the context unchanged";
      return seen;
    }
    EXPECT_EQ(st, SS$_NORMAL);
    if (!(st & 1)) return seen;
    EXPECT_EQ(iosb->iosb$l_getxxi_status, static_cast<unsigned int>(SS$_NORMAL));
    if (contexts) contexts->push_back(*ctx);
    EXPECT_EQ(seen.count(*pid), 0u) << "visited twice: " << std::hex << *pid;
    seen[*pid] = std::string(name, *namelen);
  }
  ADD_FAILURE() << "the scan did not end";
  return seen;
}

}  // namespace

// checklist 22: NONEXPR for a missing PID; NOPRIV across groups without WORLD.
TEST(Getjpi, NonexprAndNopriv) {
  unsigned int v = 0;
  EXPECT_EQ(jpi_long(0x2040FFF0u, JPI$_PID, v), SS$_NONEXPR);
  unsigned int self = 0;
  ASSERT_EQ(jpi_long(0, JPI$_PID, self), SS$_NORMAL);
  EXPECT_EQ(self & 0xFFF00000u, 0x20400000u);
  Child alice = create(sleeper("PROC_JPI_ALICE", kAliceUic));
  ASSERT_EQ(alice.status, SS$_NORMAL);
  EXPECT_EQ(jpi_long(alice.pid, JPI$_PID, v), SS$_NORMAL);  // SYSTEM holds WORLD
  EXPECT_EQ(v, alice.pid);
  auto* mask = static_cast<struct _generic_64*>(_malloc32(8));
  mask->gen64$q_quadword = PRV$M_WORLD | PRV$M_GROUP;
  ASSERT_EQ(sys$setprv(0, mask, 0, nullptr), SS$_NORMAL);
  EXPECT_EQ(jpi_long(alice.pid, JPI$_PID, v), SS$_NOPRIV);
  // A name is looked up in the caller's group only.
  std::string n;
  auto* items = static_cast<ILE3*>(_malloc32(2 * sizeof(ILE3)));
  auto* buf = static_cast<unsigned int*>(_malloc32(4));
  auto* iosb = static_cast<IOSB*>(_malloc32(sizeof(IOSB)));
  items[0] = {4, JPI$_PID, buf, nullptr};
  std::memset(&items[1], 0, sizeof(ILE3));
  EXPECT_EQ(sys$getjpiw(EFN$C_ENF, nullptr, desc("PROC_JPI_ALICE"), items, iosb, nullptr, 0),
            SS$_NONEXPR);
  ASSERT_EQ(sys$setprv(1, mask, 0, nullptr), SS$_NORMAL);
  EXPECT_EQ(jpi_long(alice.pid, JPI$_PID, v), SS$_NORMAL);
  kill_child(alice.pid);
}

// checklist 23: a wildcard scan visits each visible process once, leaves 0xFFFF0000|slot,
// and ends with NOMOREPROC.
TEST(Getjpi, WildcardScan) {
  std::vector<Child> kids;
  for (const char* n : {"PROC_WILD_A", "PROC_WILD_B", "PROC_WILD_C"}) {
    kids.push_back(create(sleeper(n)));
    ASSERT_EQ(kids.back().status, SS$_NORMAL);
  }
  auto* ctx = static_cast<unsigned int*>(_malloc32(4));
  *ctx = 0xFFFFFFFFu;
  std::vector<unsigned int> contexts;
  auto seen = scan_all(ctx, &contexts);
  unsigned int self = 0;
  ASSERT_EQ(jpi_long(0, JPI$_PID, self), SS$_NORMAL);
  EXPECT_EQ(seen.count(self), 1u);
  for (const Child& k : kids) {
    ASSERT_EQ(seen.count(k.pid), 1u);
    EXPECT_EQ(seen[k.pid].substr(0, 10), "PROC_WILD_");
  }
  for (unsigned int c : contexts) EXPECT_EQ(c & 0xFFFF0000u, 0xFFFF0000u);
  std::set<unsigned int> slots;
  for (auto& [pid, name] : seen) slots.insert(pid & 0xFFF);
  for (unsigned int c : contexts) EXPECT_EQ(slots.count(c & 0xFFF), 1u);
  for (const Child& k : kids) kill_child(k.pid);
}

// checklist 23: a PRCNAM PREFIX_MATCH scan returns only the matches.
TEST(Getjpi, ProcessScanPrefix) {
  std::vector<Child> kids;
  for (const char* n : {"PROC_PFX_ONE", "PROC_PFX_TWO", "PROC_OTHER"}) {
    kids.push_back(create(sleeper(n)));
    ASSERT_EQ(kids.back().status, SS$_NORMAL);
  }
  struct Entry {
    unsigned short length;
    unsigned short code;
    unsigned int value;
    unsigned int flags;
  };
  auto* list = static_cast<Entry*>(_malloc32(2 * sizeof(Entry)));
  char* prefix = _strdup32("PROC_PFX_");
  list[0] = {9, PSCAN$_PRCNAM, static_cast<unsigned int>(reinterpret_cast<std::uintptr_t>(prefix)),
             PSCAN$M_PREFIX_MATCH};
  std::memset(&list[1], 0, sizeof(Entry));
  auto* ctx = static_cast<unsigned int*>(_malloc32(4));
  *ctx = 0;
  ASSERT_EQ(sys$process_scan(ctx, list), SS$_NORMAL);
  auto seen = scan_all(ctx, nullptr);
  EXPECT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen.count(kids[0].pid), 1u);
  EXPECT_EQ(seen.count(kids[1].pid), 1u);
  // A bad length: IVBUFLEN.
  list[0].length = 0;
  EXPECT_EQ(sys$process_scan(ctx, list), SS$_IVBUFLEN);
  for (const Child& k : kids) kill_child(k.pid);
}

// spec 3.5: $WAKE of another process ends its $HIBER; NONEXPR for a missing one.
TEST(Getjpi, WakeAnotherProcess) {
  Spec s;
  s.image = image("child");
  s.script = "out ready\nhiber\n";
  s.name = "PROC_WAKE_ME";
  Child c = create(s);
  ASSERT_EQ(c.status, SS$_NORMAL);
  ASSERT_TRUE(wait_output(c.output, "ready\n"));
  // JPI$_STATE: HIB while it sits in $HIBER (spec 4.8).
  EXPECT_TRUE(wait_until([&] {
    unsigned int state = 0;
    return jpi_long(c.pid, JPI$_STATE, state) == SS$_NORMAL && state == SCH$C_HIB;
  }));
  auto* pid = static_cast<unsigned int*>(_malloc32(4));
  *pid = c.pid;
  // The wake may come before the child's $HIBER: the wake bit keeps it (spec 3.5).
  ASSERT_EQ(sys$wake(pid, nullptr), SS$_NORMAL);
  EXPECT_TRUE(wait_output(c.output, "woke\n"));
  *pid = 0;
  ASSERT_EQ(sys$wake(pid, desc("PROC_WAKE_ME")), SS$_NORMAL);
  EXPECT_EQ(*pid, c.pid);
  EXPECT_TRUE(wait_output(c.output, "woke\nwoke\n"));
  *pid = 0x2040FFF0u;
  EXPECT_EQ(sys$wake(pid, nullptr), SS$_NONEXPR);
  kill_child(c.pid);
}

// spec 3.6: $SCHDWK naming another process wakes it on time; $CANWAK cancels it.
TEST(Getjpi, SchdwkAndCanwakOfAnotherProcess) {
  Spec s;
  s.image = image("child");
  s.script = "out ready\nhiber\n";
  s.name = "PROC_SCHDWK_ME";
  Child c = create(s);
  ASSERT_EQ(c.status, SS$_NORMAL);
  ASSERT_TRUE(wait_output(c.output, "ready\n"));
  auto* pid = static_cast<unsigned int*>(_malloc32(4));
  auto* delta = static_cast<long long*>(_malloc32(8));
  *pid = c.pid;
  *delta = -200 * 10000LL;  // 200 ms
  auto t0 = Clock::now();
  ASSERT_EQ(sys$schdwk(pid, nullptr, reinterpret_cast<struct _generic_64*>(delta), nullptr),
            SS$_NORMAL);
  ASSERT_TRUE(wait_output(c.output, "woke\n"));
  EXPECT_GE(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count(), 200);
  // Scheduled, then cancelled: no wake comes.  The child is woken once more by $WAKE
  // afterwards, so exactly two "woke" lines prove the cancelled one never fired.
  *delta = -100 * 10000LL;
  ASSERT_EQ(sys$schdwk(pid, nullptr, reinterpret_cast<struct _generic_64*>(delta), nullptr),
            SS$_NORMAL);
  ASSERT_EQ(sys$canwak(pid, nullptr), SS$_NORMAL);
  auto t1 = Clock::now();
  ASSERT_TRUE(wait_until([&] { return Clock::now() - t1 > std::chrono::milliseconds(300); }));
  std::string out = read_file(c.output);
  EXPECT_EQ(out.find("woke\n"), out.rfind("woke\n")) << out;  // one wake only
  ASSERT_EQ(sys$wake(pid, nullptr), SS$_NORMAL);
  ASSERT_TRUE(wait_output(c.output, "woke\nwoke\n"));
  out = read_file(c.output);
  EXPECT_EQ(out.find("woke\nwoke\n"), out.rfind("woke\n") - 5) << out;
  kill_child(c.pid);
}
