// Conformance tests of the logical-name services, checklist items 32-35 (spec 4.7).  Each
// runs as a process of its own simulated system (`vmssim --`).
#include <gtest/gtest.h>
#include <psldef.h>
#include <spawn.h>
#include <sys/wait.h>

#include "mbxsvc_util.hpp"

extern char** environ;

using namespace mbxsvc;

namespace {

int crelnt(const std::string& tabnam, unsigned attr, const std::string& partab,
           std::string* resnam = nullptr) {
  auto* a = low<unsigned>();
  *a = attr;
  auto* res = desc(std::string(31, ' '));
  auto* reslen = low<unsigned>();
  auto* mode = low<unsigned char>();
  *mode = PSL$C_USER;
  const int st = sys$crelnt(a, res, reslen, nullptr, nullptr, desc(tabnam), desc(partab), mode);
  if (resnam != nullptr) resnam->assign(res->dsc$a_pointer, *reslen & 0xFFFF);
  return st;
}

int crelnm(const std::string& tabnam, const std::string& lognam,
           const std::vector<std::string>& eqv) {
  auto* items = low<ILE3>(eqv.size() + 1);
  for (std::size_t i = 0; i < eqv.size(); ++i) {
    items[i].ile3$w_length = static_cast<unsigned short>(eqv[i].size());
    items[i].ile3$w_code = LNM$_STRING;
    items[i].ile3$ps_bufaddr = _strdup32(eqv[i].c_str());
  }
  return sys$crelnm(nullptr, desc(tabnam), desc(lognam), nullptr, items);
}

// $TRNLNM of index `index`: the string, with MAX_INDEX; status as returned.
struct Trn {
  int status = 0;
  std::string value;
  int max_index = -2;
  unsigned short retlen = 0xFFFF;
  unsigned short retlen_neighbour = 0xFFFF;
  std::string table;
};

Trn trnlnm(const std::string& tabnam, const std::string& lognam, unsigned index = 0,
           unsigned attr = 0) {
  Trn t;
  auto* items = low<ILE3>(5);
  auto* idx = low<unsigned>();
  *idx = index;
  auto* buf = static_cast<char*>(_malloc32(256));
  // retlen is a word: the word after it must stay untouched.
  auto* lens = low<unsigned short>(2);
  lens[0] = 0xFFFF;
  lens[1] = 0xFFFF;
  auto* max = low<int>();
  auto* table = static_cast<char*>(_malloc32(64));
  auto* tablen = low<unsigned short>();
  items[0] = {4, LNM$_INDEX, idx, nullptr};
  items[1] = {255, LNM$_STRING, buf, &lens[0]};
  items[2] = {4, LNM$_MAX_INDEX, max, nullptr};
  items[3] = {63, LNM$_TABLE, table, tablen};
  auto* a = low<unsigned>();
  *a = attr;
  t.status = sys$trnlnm(a, desc(tabnam), desc(lognam), nullptr, items);
  if (t.status & 1) {
    t.value.assign(buf, lens[0]);
    t.max_index = *max;
    t.table.assign(table, *tablen);
  }
  t.retlen = lens[0];
  t.retlen_neighbour = lens[1];
  return t;
}

}  // namespace

// checklist 32: $CRELNT with CREATE_IF gives LNMCREATED, then NORMAL.  Without it, an
// existing table gets SUPERSEDE and its names are lost.
TEST(VmssimLnm, Checklist32CrelntCreateIf) {
  const std::string table = unique("supervisord_table32");
  std::string resnam;
  EXPECT_EQ(crelnt(table, LNM$M_CREATE_IF, "LNM$SYSTEM_DIRECTORY", &resnam), SS$_LNMCREATED);
  std::string upper = table;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(resnam, upper);  // $CRELNT upcases tabnam
  EXPECT_EQ(crelnt(table, LNM$M_CREATE_IF, "LNM$SYSTEM_DIRECTORY"), SS$_NORMAL);
  ASSERT_EQ(crelnm(upper, "A_NAME_IN_THE_TABLE", {"value of the name"}), SS$_NORMAL);
  ASSERT_EQ(trnlnm(upper, "A_NAME_IN_THE_TABLE").status, SS$_NORMAL);
  EXPECT_EQ(crelnt(table, 0, "LNM$SYSTEM_DIRECTORY"), SS$_SUPERSEDE);
  EXPECT_EQ(trnlnm(upper, "A_NAME_IN_THE_TABLE").status, SS$_NOLOGNAM);
}

// checklist 33: $CRELNM gives NORMAL, then SUPERSEDE; NOLOGTAB for a missing table; a
// lowercase table name is not folded.
TEST(VmssimLnm, Checklist33CrelnmStatuses) {
  const std::string table = unique("TABLE33");
  ASSERT_EQ(crelnt(table, LNM$M_CREATE_IF, "LNM$SYSTEM_DIRECTORY"), SS$_LNMCREATED);
  EXPECT_EQ(crelnm(table, "NAME33", {"first equivalence"}), SS$_NORMAL);
  EXPECT_EQ(crelnm(table, "NAME33", {"second equivalence"}), SS$_SUPERSEDE);
  EXPECT_EQ(trnlnm(table, "NAME33").value, "second equivalence");
  EXPECT_EQ(crelnm(unique("NO_SUCH_TABLE"), "NAME33", {"x"}), SS$_NOLOGTAB);
  std::string lower = table;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(crelnm(lower, "NAME33", {"x"}), SS$_NOLOGTAB);
  EXPECT_EQ(crelnm(table, std::string(256, 'N'), {"x"}), SS$_IVLOGNAM);
}

// checklist 34: $TRNLNM and $DELLNM of a missing name give NOLOGNAM.  retlen is a word.
// INDEX and MAX_INDEX walk a search list.
TEST(VmssimLnm, Checklist34TranslateSearchList) {
  const std::string name = unique("SEARCH_LIST34");
  EXPECT_EQ(trnlnm("LNM$PROCESS", name).status, SS$_NOLOGNAM);
  EXPECT_EQ(sys$dellnm(desc("LNM$PROCESS"), desc(name), nullptr), SS$_NOLOGNAM);
  const std::vector<std::string> list = {"first_equivalence_string", "second", "third_one"};
  ASSERT_EQ(crelnm("LNM$PROCESS", name, list), SS$_NORMAL);
  Trn t0 = trnlnm("LNM$FILE_DEV", name);
  ASSERT_EQ(t0.status, SS$_NORMAL);
  EXPECT_EQ(t0.max_index, 2);
  EXPECT_EQ(t0.table, "LNM$PROCESS_TABLE");
  EXPECT_EQ(t0.retlen, list[0].size());
  EXPECT_EQ(t0.retlen_neighbour, 0xFFFF) << "retlen written as more than a word";
  for (unsigned i = 0; i <= static_cast<unsigned>(t0.max_index); ++i) {
    EXPECT_EQ(trnlnm("LNM$FILE_DEV", name, i).value, list[i]);
  }
  EXPECT_EQ(trnlnm("LNM$FILE_DEV", name, 3).retlen, 0u);
  std::string lower = name;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(trnlnm("LNM$FILE_DEV", lower).status, SS$_NOLOGNAM);
  EXPECT_EQ(trnlnm("LNM$FILE_DEV", lower, 0, LNM$M_CASE_BLIND).status, SS$_NORMAL);
  EXPECT_EQ(sys$dellnm(desc("LNM$PROCESS"), desc(name), nullptr), SS$_NORMAL);
  EXPECT_EQ(trnlnm("LNM$FILE_DEV", name).status, SS$_NOLOGNAM);
}

// checklist 35: names in a table under LNM$SYSTEM_DIRECTORY outlive every process, but not
// a new `vmssim`.
TEST(VmssimLnm, Checklist35SharedTableOutlivesProcesses) {
  std::string table = unique("ITEM35_TABLE");
  // A process creates the table and a name, then ends.
  Peer peer = start_peer("crelnt " + table + "\ncrelnm " + table + " KEPT outlives_its_creator\n" +
                         "exit\n");
  ASSERT_EQ(peer.status, SS$_NORMAL);
  EXPECT_EQ(fields(peer.line("crelnt ")).at(1), std::to_string(SS$_LNMCREATED));
  EXPECT_EQ(fields(peer.line("crelnm ")).at(1), std::to_string(SS$_NORMAL));
  ASSERT_TRUE(wait_gone(peer.pid));
  EXPECT_EQ(trnlnm(table, "KEPT").value, "outlives_its_creator");
  // A new vmssim does not see this system's table.
  const std::string vmssim = env("VMSSIM_TOOL_DIR") + "/vmssim";
  const std::string probe = env("VMSSIM_TOOL_DIR") + "/vmssim_img_lnm_probe";
  const std::string result = env("VMSSIM_ROOT") + "/" + unique("probe35");
  std::vector<std::string> args = {vmssim, "--", probe, table, "KEPT", result};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> envs;
  for (char** e = environ; *e; ++e) {
    if (std::strncmp(*e, "VMSSIM_", 7) != 0) envs.emplace_back(*e);
  }
  std::vector<char*> envp;
  for (auto& e : envs) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t child = 0;
  ASSERT_EQ(posix_spawn(&child, vmssim.c_str(), nullptr, nullptr, argv.data(), envp.data()), 0);
  int ws = 0;
  ASSERT_EQ(waitpid(child, &ws, 0), child);
  EXPECT_EQ(read_file(result).substr(0, 7), "absent ") << "a new vmssim saw the old table";
  // And in this system it is still there.
  EXPECT_EQ(trnlnm(table, "KEPT").value, "outlives_its_creator");
}
