// Subprocesses and detached processes (checklist 18) and the daemon-restart scenario
// (checklist 41).
#include <gtest/gtest.h>
#include <pscandef.h>

#include "mbx_test_util.hpp"

using namespace proc_test;

namespace {

// "created XXXXXXXX status N" lines of a child's output, in order.
std::vector<unsigned int> created_pids(const std::string& out) {
  std::vector<unsigned int> pids;
  std::size_t pos = 0;
  while ((pos = out.find("created ", pos)) != std::string::npos) {
    unsigned int pid = 0;
    int st = 0;
    if (std::sscanf(out.c_str() + pos, "created %x status %d", &pid, &st) == 2 && (st & 1))
      pids.push_back(pid);
    pos += 8;
  }
  return pids;
}

void kill_child(unsigned int pid) {
  auto* p = static_cast<unsigned int*>(_malloc32(4));
  *p = pid;
  EXPECT_EQ(sys$delprc(p, nullptr), SS$_NORMAL);
  EXPECT_TRUE(wait_gone(pid));
}

}  // namespace

// checklist 18: subprocesses die before their owner (their termination messages come
// first); detached children survive it.
TEST(Subprocess, DieBeforeOwnerDetachedSurvive) {
  Mbx m = make_mbx(84, 2000);
  ASSERT_EQ(m.status, SS$_NORMAL);
  std::string sleep_in = scratch("sleep");
  write_file(sleep_in, "sleep\n");
  std::string go = scratch("go");
  std::string unit = std::to_string(m.unit);
  Spec owner;
  owner.image = image("child");
  owner.name = "PROC_OWNER18";
  owner.mbxunt = static_cast<unsigned short>(m.unit);
  owner.script = "creprc " + image("child") + " " + sleep_in + " PROC_SUB18 0 " + unit + "\n" +
                 "creprc " + image("child") + " " + sleep_in + " PROC_DET18 0x200 " + unit + "\n" +
                 "out ready\nwaitfile " + go + "\nexit 1\n";
  Child o = create(owner);
  ASSERT_EQ(o.status, SS$_NORMAL);
  ASSERT_TRUE(wait_output(o.output, "ready\n"));
  auto pids = created_pids(read_file(o.output));
  ASSERT_EQ(pids.size(), 2u) << read_file(o.output);
  unsigned int sub = pids[0], det = pids[1];
  unsigned int owner_of = 0;
  ASSERT_EQ(jpi_long(sub, JPI$_OWNER, owner_of), SS$_NORMAL);
  EXPECT_EQ(owner_of, o.pid);
  ASSERT_EQ(jpi_long(det, JPI$_OWNER, owner_of), SS$_NORMAL);
  EXPECT_EQ(owner_of, 0u);
  unsigned int prccnt = 0;
  ASSERT_EQ(jpi_long(o.pid, JPI$_PRCCNT, prccnt), SS$_NORMAL);
  EXPECT_EQ(prccnt, 1u);

  write_file(go, "go\n");
  TermMsg first = read_term(m);
  TermMsg second = read_term(m);
  EXPECT_EQ(first.pid(), sub);
  EXPECT_EQ(first.owner(), o.pid);
  EXPECT_EQ(second.pid(), o.pid);
  EXPECT_EQ(second.finalsts(), 1u);
  // The detached child lives on, its name still taken in the group.
  unsigned int v = 0;
  EXPECT_EQ(jpi_long(det, JPI$_PID, v), SS$_NORMAL);
  Spec dup;
  dup.image = image("child");
  dup.script = "sleep\n";
  dup.name = "PROC_DET18";
  EXPECT_EQ(create(dup).status, SS$_DUPLNAM);
  kill_child(det);
  TermMsg third = read_term(m);
  EXPECT_EQ(third.pid(), det);
}

// checklist 41: a parent creates a permanent mailbox and two detached children on its unit,
// then exits; one child exits.  A new parent's $CREMBX of the same name reads that child's
// termination message, and a $PROCESS_SCAN by name finds the other, whose JPI$_TMBU is the
// unit.
TEST(Subprocess, DaemonRestartScenario) {
  std::string go = scratch("go");
  std::string in1 = scratch("in1"), in2 = scratch("in2");
  write_file(in1, "waitfile " + go + "\nexit 0x10000\n");
  write_file(in2, "sleep\n");
  Spec parent;
  parent.image = image("child");
  parent.name = "PROC_DAEMON41";
  parent.script =
      "crembx PROC_DAEMON41_MBX\n"
      "creprc " +
      image("child") + " " + in1 + " PROC41_CHILD1 0x200 last\n" + "creprc " + image("child") +
      " " + in2 + " PROC41_CHILD2 0x200 last\n" + "exit 1\n";
  Child p = create(parent);
  ASSERT_EQ(p.status, SS$_NORMAL);
  ASSERT_TRUE(wait_gone(p.pid));
  std::string out = read_file(p.output);
  auto pids = created_pids(out);
  ASSERT_EQ(pids.size(), 2u) << out;
  unsigned int unit = 0;
  auto at = out.find("unit ");
  ASSERT_NE(at, std::string::npos) << out;
  ASSERT_EQ(std::sscanf(out.c_str() + at, "unit %u", &unit), 1) << out;
  write_file(go, "go\n");
  ASSERT_TRUE(wait_gone(pids[0]));

  Mbx m = make_mbx(84, 2000, true, "PROC_DAEMON41_MBX");
  ASSERT_EQ(m.status, SS$_NORMAL);
  EXPECT_EQ(m.unit, unit);
  TermMsg t = read_term(m);
  ASSERT_EQ(t.status, SS$_NORMAL);
  EXPECT_EQ(t.pid(), pids[0]);
  EXPECT_EQ(t.finalsts(), 0x10000u);

  struct Entry {
    unsigned short length;
    unsigned short code;
    unsigned int value;
    unsigned int flags;
  };
  auto* list = static_cast<Entry*>(_malloc32(2 * sizeof(Entry)));
  char* name = _strdup32("PROC41_CHILD2");
  list[0] = {13, PSCAN$_PRCNAM, static_cast<unsigned int>(reinterpret_cast<std::uintptr_t>(name)),
             PSCAN$M_EQL};
  std::memset(&list[1], 0, sizeof(Entry));
  auto* ctx = static_cast<unsigned int*>(_malloc32(4));
  ASSERT_EQ(sys$process_scan(ctx, list), SS$_NORMAL);
  auto* items = static_cast<ILE3*>(_malloc32(3 * sizeof(ILE3)));
  auto* pid = static_cast<unsigned int*>(_malloc32(4));
  auto* tmbu = static_cast<unsigned int*>(_malloc32(4));
  auto* iosb = static_cast<IOSB*>(_malloc32(sizeof(IOSB)));
  items[0] = {4, JPI$_PID, pid, nullptr};
  items[1] = {4, JPI$_TMBU, tmbu, nullptr};
  std::memset(&items[2], 0, sizeof(ILE3));
  ASSERT_EQ(sys$getjpiw(EFN$C_ENF, ctx, nullptr, items, iosb, nullptr, 0), SS$_NORMAL);
  EXPECT_EQ(*pid, pids[1]);
  EXPECT_EQ(*tmbu, unit);
  EXPECT_EQ(sys$getjpiw(EFN$C_ENF, ctx, nullptr, items, iosb, nullptr, 0), SS$_NOMOREPROC);

  kill_child(pids[1]);
  TermMsg t2 = read_term(m);
  EXPECT_EQ(t2.pid(), pids[1]);
  EXPECT_EQ(sys$delmbx(m.chan), SS$_NORMAL);
  EXPECT_EQ(sys$dassgn(m.chan), SS$_NORMAL);
  m.chan = 0;
}
