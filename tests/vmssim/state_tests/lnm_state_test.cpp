// Unit tests of the executive's logical-name state machine and the file-spec translation
// (exec/lnm.*), with no running system.
#include "exec/lnm.hpp"

#include <gtest/gtest.h>

namespace vmssim::lnm {
namespace {

namespace ss = mbx::ss;
constexpr std::uint32_t kA = 0x20400021;
constexpr std::uint32_t kB = 0x20400022;
constexpr std::uint64_t kAll = mbx::kPrvSysnam | mbx::kPrvSysprv;

Caller who(std::uint32_t pid, std::uint64_t privs = kAll) {
  Caller c;
  c.pid = pid;
  c.job = pid;
  c.privs = privs;
  return c;
}

Name value(std::initializer_list<const char*> eqv) {
  Name n;
  for (const char* e : eqv) n.eqv.push_back({e, 0});
  return n;
}

class LnmState : public ::testing::Test {
 protected:
  LnmState() {
    names.process_created(kA, kA);
    names.process_created(kB, kB);
  }
  Lnm names;
};

// checklist 32: CREATE_IF gives LNMCREATED then NORMAL; without it SUPERSEDE, names lost.
TEST_F(LnmState, CrelntCreateIfAndSupersede) {
  std::string res;
  EXPECT_EQ(names.crelnt(who(kA), kCreateIf, "supervisord_table", kSystemDirectory, 0,
                         mbx::kUserMode, &res),
            ss::kLnmcreated);
  EXPECT_EQ(res, "SUPERVISORD_TABLE");  // upcased
  EXPECT_EQ(names.crelnt(who(kA), kCreateIf, "SUPERVISORD_TABLE", kSystemDirectory, 0,
                         mbx::kUserMode, &res),
            ss::kNormal);
  EXPECT_EQ(
      names.crelnm(who(kA), 0, "SUPERVISORD_TABLE", "PIDFILE", mbx::kUserMode, value({"/tmp/x"})),
      ss::kNormal);
  EXPECT_EQ(
      names.crelnt(who(kA), 0, "SUPERVISORD_TABLE", kSystemDirectory, 0, mbx::kUserMode, &res),
      ss::kSupersede);
  EXPECT_EQ(names.trnlnm(who(kA), 0, "SUPERVISORD_TABLE", "PIDFILE", -1).status, ss::kNologname);
  // Without SYSPRV/SYSNAM the system directory is closed.
  EXPECT_EQ(names.crelnt(who(kA, 0), 0, "OTHER_TABLE", kSystemDirectory, 0, mbx::kUserMode, &res),
            ss::kNopriv);
  // A private table under the process directory needs nothing, and another process cannot see
  // it.
  EXPECT_EQ(
      names.crelnt(who(kA, 0), kCreateIf, "MY_TABLE", kProcessDirectory, 0, mbx::kUserMode, &res),
      ss::kLnmcreated);
  EXPECT_TRUE(names.table_exists(who(kA), "MY_TABLE"));
  EXPECT_FALSE(names.table_exists(who(kB), "MY_TABLE"));
}

// checklist 33: NORMAL then SUPERSEDE; NOLOGTAB; a lowercase tabnam is not folded.
TEST_F(LnmState, CrelnmStatuses) {
  std::string res;
  names.crelnt(who(kA), kCreateIf, "T33_TABLE", kSystemDirectory, 0, mbx::kUserMode, &res);
  EXPECT_EQ(names.crelnm(who(kA), 0, "T33_TABLE", "N", mbx::kUserMode, value({"1"})), ss::kNormal);
  EXPECT_EQ(names.crelnm(who(kA), 0, "T33_TABLE", "N", mbx::kUserMode, value({"2"})),
            ss::kSupersede);
  EXPECT_EQ(names.trnlnm(who(kA), 0, "T33_TABLE", "N", -1).name.eqv[0].value, "2");
  EXPECT_EQ(names.crelnm(who(kA), 0, "t33_table", "N", mbx::kUserMode, value({"3"})),
            ss::kNologtab);
  EXPECT_EQ(names.crelnm(who(kA), 0, "NO_SUCH_TABLE", "N", mbx::kUserMode, value({"3"})),
            ss::kNologtab);
  EXPECT_EQ(names.crelnm(who(kA), 0, "T33_TABLE", "", mbx::kUserMode, value({"3"})), ss::kIvlognam);
  EXPECT_EQ(
      names.crelnm(who(kA), 0, "T33_TABLE", std::string(256, 'X'), mbx::kUserMode, value({"3"})),
      ss::kIvlognam);
  EXPECT_EQ(names.crelnm(who(kA, 0), 0, "T33_TABLE", "N", mbx::kExecMode, value({"3"})),
            ss::kNopriv);
  EXPECT_EQ(names.crelnm(who(kA, 0), 0, "LNM$SYSTEM", "N", mbx::kUserMode, value({"3"})),
            ss::kNopriv);
  // Names are one per access mode; names are case-sensitive.
  EXPECT_EQ(names.crelnm(who(kA), 0, "T33_TABLE", "N", mbx::kExecMode, value({"exec"})),
            ss::kNormal);
  EXPECT_EQ(names.trnlnm(who(kA), 0, "T33_TABLE", "N", -1).name.eqv[0].value, "2");
  EXPECT_EQ(names.trnlnm(who(kA), 0, "T33_TABLE", "N", mbx::kExecMode).name.eqv[0].value, "exec");
  EXPECT_EQ(names.trnlnm(who(kA), 0, "T33_TABLE", "n", -1).status, ss::kNologname);
  EXPECT_EQ(names.trnlnm(who(kA), kCaseBlind, "T33_TABLE", "n", -1).status, ss::kNormal);
}

TEST_F(LnmState, TableQuota) {
  std::string res;
  names.crelnt(who(kA), kCreateIf, "SMALL_TABLE", kSystemDirectory, 9, mbx::kUserMode, &res);
  EXPECT_EQ(names.crelnm(who(kA), 0, "SMALL_TABLE", "AB", mbx::kUserMode, value({"123"})),
            ss::kNormal);
  EXPECT_EQ(names.crelnm(who(kA), 0, "SMALL_TABLE", "CD", mbx::kUserMode, value({"123"})),
            ss::kExlnmquota);
  EXPECT_EQ(names.dellnm(who(kA), "SMALL_TABLE", "AB", -1), ss::kNormal);
  EXPECT_EQ(names.crelnm(who(kA), 0, "SMALL_TABLE", "CD", mbx::kUserMode, value({"123"})),
            ss::kNormal);
}

// checklist 34: NOLOGNAM for a missing name; INDEX and MAX_INDEX over a search list.
TEST_F(LnmState, TranslateAndDelete) {
  EXPECT_EQ(names.trnlnm(who(kA), 0, "LNM$SYSTEM", "MISSING_NAME", -1).status, ss::kNologname);
  EXPECT_EQ(names.dellnm(who(kA), "LNM$SYSTEM", "MISSING_NAME", -1), ss::kNologname);
  EXPECT_EQ(names.crelnm(who(kA), 0, "LNM$SYSTEM", "SEARCH_LIST", mbx::kUserMode,
                         value({"first", "second", "third"})),
            ss::kNormal);
  Translation t = names.trnlnm(who(kB), 0, "LNM$FILE_DEV", "SEARCH_LIST", -1);
  ASSERT_EQ(t.status, ss::kNormal);
  EXPECT_EQ(t.table, "LNM$SYSTEM_TABLE");
  ASSERT_EQ(t.name.eqv.size(), 3u);
  EXPECT_EQ(t.name.eqv[2].value, "third");
  // The process table comes before the system table in LNM$FILE_DEV.
  names.crelnm(who(kB), 0, "LNM$PROCESS", "SEARCH_LIST", mbx::kUserMode, value({"mine"}));
  EXPECT_EQ(names.trnlnm(who(kB), 0, "LNM$FILE_DEV", "SEARCH_LIST", -1).table, "LNM$PROCESS_TABLE");
  EXPECT_EQ(names.trnlnm(who(kA), 0, "LNM$FILE_DEV", "SEARCH_LIST", -1).table, "LNM$SYSTEM_TABLE");
  EXPECT_EQ(names.dellnm(who(kA), "LNM$SYSTEM", "SEARCH_LIST", -1), ss::kNormal);
  EXPECT_EQ(names.trnlnm(who(kA), 0, "LNM$SYSTEM", "SEARCH_LIST", -1).status, ss::kNologname);
}

TEST_F(LnmState, MissingTableVariant) {
  EXPECT_EQ(names.trnlnm(who(kA), 0, "NO_SUCH_TABLE", "X", -1).status, ss::kNologname);
  Options o;
  o.trnlnm_notab = ss::kNologtab;
  Lnm other(o);
  other.process_created(kA, kA);
  EXPECT_EQ(other.trnlnm(who(kA), 0, "NO_SUCH_TABLE", "X", -1).status, ss::kNologtab);
  EXPECT_EQ(names.dellnm(who(kA), "NO_SUCH_TABLE", "X", -1), ss::kNologtab);
}

// checklist 35 (state part): shareable tables outlive processes; a new Lnm is empty.
TEST_F(LnmState, SharedTablesOutliveProcesses) {
  std::string res;
  names.crelnt(who(kA), kCreateIf, "LASTING_TABLE", kSystemDirectory, 0, mbx::kUserMode, &res);
  names.crelnm(who(kA), 0, "LASTING_TABLE", "KEPT", mbx::kUserMode, value({"yes"}));
  names.process_gone(kA);
  names.job_gone(kA);
  EXPECT_EQ(names.trnlnm(who(kB), 0, "LASTING_TABLE", "KEPT", -1).status, ss::kNormal);
  Lnm fresh;
  fresh.process_created(kB, kB);
  EXPECT_FALSE(fresh.table_exists(who(kB), "LASTING_TABLE"));
  // $DELLNM of the table in its directory deletes it.
  EXPECT_EQ(names.dellnm(who(kB), kSystemDirectory, "LASTING_TABLE", -1), ss::kNormal);
  EXPECT_FALSE(names.table_exists(who(kB), "LASTING_TABLE"));
}

TEST_F(LnmState, JobTableSharedWithinJob) {
  names.process_created(kB, kA);  // kB joins kA's job
  names.crelnm(who(kA), 0, "LNM$JOB", "JOBNAME", mbx::kUserMode, value({"v"}));
  EXPECT_EQ(names.trnlnm(who(kB), 0, "LNM$JOB", "JOBNAME", -1).status, ss::kNormal);
  names.crelnm(who(kA), 0, "LNM$PROCESS", "PROCNAME", mbx::kUserMode, value({"v"}));
  EXPECT_EQ(names.trnlnm(who(kB), 0, "LNM$PROCESS", "PROCNAME", -1).status, ss::kNologname);
}

TEST_F(LnmState, FileSpecs) {
  DeviceTable dev;
  dev.dirs["SYS$SYSDEVICE"] = "/root/sysdev";
  dev.dirs["DKA0"] = "/root/dka0/";
  names.crelnm(who(kA), 0, "LNM$SYSTEM", "SYS$SYSTEM", mbx::kExecMode,
               value({"SYS$SYSDEVICE:[SYSEXE]"}));
  names.crelnm(who(kA), 0, "LNM$SYSTEM", "APP_ROOT", mbx::kUserMode, value({"DKA0:[APP.BIN]"}));
  names.crelnm(who(kA), 0, "LNM$SYSTEM", "LINUX_DIR", mbx::kUserMode, value({"/opt/x/"}));
  names.crelnm(who(kA), 0, "LNM$SYSTEM", "TWO_STEP", mbx::kUserMode, value({"SYS$SYSTEM:"}));
  auto path = [&](const char* spec) { return translate_filespec(names, who(kA), dev, spec); };
  EXPECT_EQ(path("SYS$SYSTEM:LOGINOUT.EXE").path, "/root/sysdev/sysexe/loginout.exe");
  EXPECT_EQ(path("TWO_STEP:LOGINOUT.EXE;3").path, "/root/sysdev/sysexe/loginout.exe");
  EXPECT_EQ(path("app_root:Prog.Exe").path, "/root/dka0/app/bin/prog.exe");
  EXPECT_EQ(path("DKA0:[A.B]NAME.TYP;7").path, "/root/dka0/a/b/name.typ");
  EXPECT_EQ(path("LINUX_DIR:RUN.SH").path, "/opt/x/run.sh");
  EXPECT_EQ(path("/usr/bin/true").path, "/usr/bin/true");
  EXPECT_EQ(path("NL:").kind, FileSpec::Kind::kNull);
  EXPECT_EQ(path("NL:").path, "/dev/null");
  EXPECT_EQ(path("MBA42:").kind, FileSpec::Kind::kMailbox);
  EXPECT_EQ(path("MBA42:").unit, 42u);
  EXPECT_EQ(path("NOSUCH:FILE.TXT").status, ss::kNosuchdev);
  // A leading underscore stops translation.
  EXPECT_EQ(path("_APP_ROOT:X.Y").status, ss::kNosuchdev);
  EXPECT_EQ(path("_DKA0:X.Y").path, "/root/dka0/x.y");
  EXPECT_EQ(translate_device(names, who(kA), "two_step:"), "SYS$SYSDEVICE");
}

}  // namespace
}  // namespace vmssim::lnm
