// $CREPRC arguments, quotas, personas (checklist 19, 20, 21).
#include <gtest/gtest.h>
#include <issdef.h>
#include <pqldef.h>
#include <prvdef.h>
#include <sys/mman.h>

#include "proc_test_util.hpp"

using namespace proc_test;

namespace {

// A child that lives until its input file says otherwise: "sleep".
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

}  // namespace

// checklist 19: DUPLNAM within a group, not across groups.
TEST(Creprc, DuplicateNameWithinGroupOnly) {
  Child a = create(sleeper("PROC_DUP_NAME_1"));
  ASSERT_EQ(a.status, SS$_NORMAL);
  Child b = create(sleeper("PROC_DUP_NAME_1"));
  EXPECT_EQ(b.status, SS$_DUPLNAM);
  // The same name in ALICE's group is another name (names are per UIC group, spec 2.2).
  Child c = create(sleeper("PROC_DUP_NAME_1", kAliceUic));
  EXPECT_EQ(c.status, SS$_NORMAL);
  kill_child(a.pid);
  if (c.status & 1) kill_child(c.pid);
}

// checklist 19: IVLOGNAM for 16 characters (15 pass); IVSTSFLG for a reserved bit;
// IVQUOTAL for code 15.
TEST(Creprc, ArgumentErrors) {
  Child sixteen = create(sleeper("ABCDEFGHIJKLMNOP"));
  EXPECT_EQ(sixteen.status, SS$_IVLOGNAM);
  Child fifteen = create(sleeper("ABCDEFGHIJKLMNO"));
  ASSERT_EQ(fifteen.status, SS$_NORMAL);
  kill_child(fifteen.pid);

  Spec reserved = sleeper("PROC_RESV_BIT");
  reserved.stsflg = PRC$M_DETACH | (PRC$M_KT_LIMIT << 1);
  EXPECT_EQ(create(reserved).status, SS$_IVSTSFLG);

#pragma pack(push, 1)
  struct Entry {
    unsigned char code;
    unsigned int value;
  };
#pragma pack(pop)
  static_assert(sizeof(Entry) == 5, "packed PQL entry");
  auto* list = static_cast<Entry*>(_malloc32(2 * sizeof(Entry)));
  list[0] = {PQL$_LENGTH, 10};
  list[1] = {PQL$_LISTEND, 0};
  Spec bad = sleeper("PROC_BAD_QUOTA");
  bad.quota = list;
  EXPECT_EQ(create(bad).status, SS$_IVQUOTAL);
  // Nothing was created by the refused calls: the names are free.
  unsigned int v;
  EXPECT_EQ(jpi_long(0, JPI$_PID, v), SS$_NORMAL);
  Child again = create(sleeper("PROC_BAD_QUOTA"));
  EXPECT_EQ(again.status, SS$_NORMAL);
  if (again.status & 1) kill_child(again.pid);
}

// checklist 19: a descriptor at or above 2 GiB gives ACCVIO (spec 5).
TEST(Creprc, DescriptorAbove2GiBIsAccvio) {
  void* high = ::mmap(reinterpret_cast<void*>(0x7e0000000000ull), 4096, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(high, MAP_FAILED);
  ASSERT_GE(reinterpret_cast<std::uintptr_t>(high), 0x80000000ull);
  auto* d = static_cast<dsc$descriptor_s*>(high);
  *d = *desc(image("child"));
  unsigned int pid = 0;
  EXPECT_EQ(sys$creprc(&pid, d, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, 4, 0, 0,
                       PRC$M_DETACH),
            SS$_ACCVIO);
  EXPECT_EQ(pid, 0u);
  ::munmap(high, 4096);
}

// checklist 20: a packed PQL list gives exactly its quotas; an 8-byte stride does not.
TEST(Creprc, PackedQuotaListReadBack) {
#pragma pack(push, 1)
  struct Entry {
    unsigned char code;
    unsigned int value;
  };
#pragma pack(pop)
  auto* list = static_cast<Entry*>(_malloc32(8 * sizeof(Entry)));
  list[0] = {PQL$_ASTLM, 77};
  list[1] = {PQL$_BYTLM, 40000};
  list[2] = {PQL$_PRCLM, 5};
  list[3] = {PQL$_TQELM, 33};
  list[4] = {PQL$_FILLM, 44};
  list[5] = {PQL$_ENQLM, 555};
  list[6] = {PQL$_LISTEND, 0};
  Spec s = sleeper("PROC_PQL_PACKED");
  s.quota = list;
  Child c = create(s);
  ASSERT_EQ(c.status, SS$_NORMAL);
  struct {
    unsigned short code;
    unsigned int want;
  } expect[] = {{JPI$_ASTLM, 77}, {JPI$_BYTLM, 40000}, {JPI$_PRCLM, 5},
                {JPI$_TQLM, 33},  {JPI$_FILLM, 44},    {JPI$_ENQLM, 555}};
  for (auto& e : expect) {
    unsigned int v = 0;
    EXPECT_EQ(jpi_long(c.pid, e.code, v), SS$_NORMAL);
    EXPECT_EQ(v, e.want) << "item " << e.code;
  }
  // A quota below its minimum is raised to it (ASTLM minimum 4 [P GOVAX probe 2]).
  kill_child(c.pid);

  // The same values with natural alignment (8-byte entries): not the same quotas.
  struct Aligned {
    unsigned char code;
    unsigned int value;
  };
  static_assert(sizeof(Aligned) == 8, "aligned entry");
  auto* wrong = static_cast<Aligned*>(_malloc32(8 * sizeof(Aligned)));
  std::memset(wrong, 0, 8 * sizeof(Aligned));
  wrong[0] = {PQL$_ASTLM, 77};
  wrong[1] = {PQL$_BYTLM, 40000};
  wrong[2] = {PQL$_PRCLM, 5};
  wrong[3] = {PQL$_LISTEND, 0};
  Spec w = sleeper("PROC_PQL_STRIDE");
  w.quota = wrong;
  Child cw = create(w);
  if (cw.status & 1) {
    unsigned int ast = 0, byt = 0, prc = 0;
    EXPECT_EQ(jpi_long(cw.pid, JPI$_ASTLM, ast), SS$_NORMAL);
    EXPECT_EQ(jpi_long(cw.pid, JPI$_BYTLM, byt), SS$_NORMAL);
    EXPECT_EQ(jpi_long(cw.pid, JPI$_PRCLM, prc), SS$_NORMAL);
    EXPECT_FALSE(ast == 77 && byt == 40000 && prc == 5);
    kill_child(cw.pid);
  } else {
    EXPECT_EQ(cw.status, SS$_IVQUOTAL);
  }
}

// checklist 20: missing quotas take their defaults, small ones their minimums.
TEST(Creprc, QuotaDefaultsAndMinimums) {
#pragma pack(push, 1)
  struct Entry {
    unsigned char code;
    unsigned int value;
  };
#pragma pack(pop)
  auto* list = static_cast<Entry*>(_malloc32(3 * sizeof(Entry)));
  list[0] = {PQL$_ASTLM, 1};
  list[1] = {PQL$_BYTLM, 10};
  list[2] = {PQL$_LISTEND, 0};
  Spec s = sleeper("PROC_PQL_MIN");
  s.quota = list;
  Child c = create(s);
  ASSERT_EQ(c.status, SS$_NORMAL);
  unsigned int ast = 0, byt = 0, tq = 0;
  EXPECT_EQ(jpi_long(c.pid, JPI$_ASTLM, ast), SS$_NORMAL);
  EXPECT_EQ(jpi_long(c.pid, JPI$_BYTLM, byt), SS$_NORMAL);
  EXPECT_EQ(jpi_long(c.pid, JPI$_TQLM, tq), SS$_NORMAL);
  EXPECT_EQ(ast, 4u);     // PQL_MASTLM [P GOVAX probe 2]
  EXPECT_EQ(byt, 1024u);  // PQL_MBYTLM [P]
  EXPECT_EQ(tq, 10u);     // PQL_DTQELM, the default [M]
  kill_child(c.pid);
}

// checklist 21: under a persona the child gets its username (12 bytes, blank-padded) and
// UIC; after handle 1, the caller's again.
TEST(Creprc, PersonaGivesChildItsIdentity) {
  unsigned int* handle = static_cast<unsigned int*>(_malloc32(4));
  *handle = 0;
  ASSERT_EQ(sys$persona_create(handle, desc("BOB"), ISS$M_CREATE_AUTHPRIV), SS$_NORMAL);
  ASSERT_NE(*handle, 0u);
  ASSERT_EQ(sys$persona_assume(handle, 0), SS$_NORMAL);
  Child c = create(sleeper("PROC_PERSONA_1"));
  ASSERT_EQ(c.status, SS$_NORMAL);
  std::string user;
  unsigned int uic = 0;
  EXPECT_EQ(jpi_text(c.pid, JPI$_USERNAME, user), SS$_NORMAL);
  EXPECT_EQ(user, "BOB         ");
  EXPECT_EQ(jpi_long(c.pid, JPI$_UIC, uic), SS$_NORMAL);
  EXPECT_EQ(uic, kBobUic);

  unsigned int* natural = static_cast<unsigned int*>(_malloc32(4));
  *natural = ISS$C_ID_NATURAL;
  ASSERT_EQ(sys$persona_assume(natural, 0), SS$_NORMAL);
  Child d = create(sleeper("PROC_PERSONA_2"));
  ASSERT_EQ(d.status, SS$_NORMAL);
  EXPECT_EQ(jpi_text(d.pid, JPI$_USERNAME, user), SS$_NORMAL);
  EXPECT_EQ(user, "SYSTEM      ");
  EXPECT_EQ(jpi_long(d.pid, JPI$_UIC, uic), SS$_NORMAL);
  EXPECT_EQ(uic, (1u << 16) | 4u);
  EXPECT_EQ(sys$persona_delete(handle), SS$_NORMAL);
  kill_child(c.pid);
  kill_child(d.pid);
}

// checklist 21: $PERSONA_CREATE of an unknown user is NOSUCHUSER; without IMPERSONATE,
// NOPRIV; $SETPRV enables only authorised privileges.
TEST(Creprc, PersonaAndSetprvErrors) {
  unsigned int* handle = static_cast<unsigned int*>(_malloc32(4));
  EXPECT_EQ(sys$persona_create(handle, desc("NOBODY"), 0), SS$_NOSUCHUSER);
  auto* mask = static_cast<struct _generic_64*>(_malloc32(8));
  auto* prev = static_cast<struct _generic_64*>(_malloc32(8));
  mask->gen64$q_quadword = PRV$M_IMPERSONATE;
  ASSERT_EQ(sys$setprv(0, mask, 0, prev), SS$_NORMAL);
  EXPECT_NE(prev->gen64$q_quadword & PRV$M_IMPERSONATE, 0u);
  EXPECT_EQ(sys$persona_create(handle, desc("BOB"), 0), SS$_NOPRIV);
  ASSERT_EQ(sys$setprv(1, mask, 0, nullptr), SS$_NORMAL);
  EXPECT_EQ(sys$persona_create(handle, desc("BOB"), 0), SS$_NORMAL);
}

// spec 4.1: input, output and error define SYS$INPUT, SYS$OUTPUT and SYS$ERROR in the
// child's process table; without them the names stay undefined.
TEST(Creprc, StdioLogicalNamesInTheChild) {
  Spec s;
  s.image = image("child");
  s.script = "trnlnm SYS$INPUT\ntrnlnm SYS$OUTPUT\ntrnlnm SYS$ERROR\nexit 1\n";
  Child c = create(s);
  ASSERT_EQ(c.status, SS$_NORMAL);
  ASSERT_TRUE(wait_gone(c.pid));
  std::string out = read_file(c.output);
  EXPECT_NE(out.find("SYS$INPUT = " + c.input + "\n"), std::string::npos) << out;
  EXPECT_NE(out.find("SYS$OUTPUT = " + c.output + "\n"), std::string::npos) << out;
  EXPECT_NE(out.find("SYS$ERROR = " + c.output + "\n"), std::string::npos) << out;
}
