// The simulator's message machinery as plain functions: its .MSG reader on the project's
// msg/SUPERVISOR.MSG and the public corpus, the codes it assigns (VMS-REFERENCE 9.2), the
// %FAC-S-IDENT rendering $GETMSG returns (checklist 36, the text part), and $FAO.
#include <climsgdef.h>
#include <rmsdef.h>
#include <ssdef.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "corpus.hpp"
#include "msgfile.hpp"
#include "msgtext.hpp"

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::uint32_t code_of(const std::vector<vmssim::msgfile::Facility>& f, const std::string& id) {
  for (const auto& fac : f)
    for (const auto& m : fac.messages)
      if (m.ident == id) return m.code;
  return 0;
}

TEST(VmsMsgFile, MmkNumberingRule) {
  // MMK's real compiled output (VMS-REFERENCE 9.2): facility 1044 gets the customer bit,
  // FAC_SP is set, codes count from 1 across .SEVERITY changes.
  std::vector<vmssim::msgfile::Facility> f;
  std::string error;
  ASSERT_TRUE(
      vmssim::msgfile::parse(".FACILITY MMK,1044/PREFIX=MMK__\n"
                             ".SEVERITY FATAL\n"
                             "NOOPNDSC <no operand>\n"
                             ".SEVERITY WARNING\n"
                             "SECOND <second one !AS>/FAO=1\n"
                             ".END\n",
                             f, error))
      << error;
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].number, 3092u);
  EXPECT_EQ(f[0].prefix, "MMK__");
  EXPECT_EQ(code_of(f, "NOOPNDSC"), 0x0C14800Cu);
  EXPECT_EQ(code_of(f, "SECOND"), 0x0C148010u);
  EXPECT_EQ(f[0].messages[1].fao, 1u);
  EXPECT_EQ(f[0].messages[1].text, "second one !AS");
}

TEST(VmsMsgFile, ErrorsAreReportedWithTheLine) {
  std::vector<vmssim::msgfile::Facility> f;
  std::string error;
  EXPECT_FALSE(vmssim::msgfile::parse("NORMAL <x>\n", f, error));
  EXPECT_EQ(error, "line 1: message before .FACILITY");
  f.clear();
  EXPECT_FALSE(vmssim::msgfile::parse(".FACILITY X,1\n.SEVERITY BOGUS\n", f, error));
  EXPECT_EQ(error, "line 2: unknown severity 'BOGUS'");
  f.clear();
  EXPECT_FALSE(vmssim::msgfile::parse(".FACILITY X,1\nA <no severity>\n", f, error));
}

TEST(VmsMsgFile, ProjectMessageFile) {
  std::vector<vmssim::msgfile::Facility> f;
  std::string error;
  ASSERT_TRUE(vmssim::msgfile::parse(slurp(VMSSIM_SOURCE_DIR "/msg/SUPERVISOR.MSG"), f, error))
      << error;
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].name, "SUPERVISOR");
  EXPECT_EQ(f[0].number, 1201u + 2048u);
  EXPECT_EQ(f[0].prefix, "SUP__");
  // NORMAL is the first message: code 1, success.
  EXPECT_EQ(code_of(f, "NORMAL"), (3249u << 16) | 0x8000u | (1u << 3) | 1u);
  std::uint32_t statechg = code_of(f, "STATECHG");  // the "quoted" text form
  ASSERT_NE(statechg, 0u);
  EXPECT_EQ(statechg & 7u, 3u);
  for (const auto& m : f[0].messages) {
    if (m.ident == "STATECHG") {
      EXPECT_EQ(m.text, "!AS: !AS -> !AS (!AS)");
    }
  }
}

TEST(VmsMsgFile, PublicCorpusFilesParse) {
  auto files = vmssim_test::corpus_files(VMSSIM_CORPUS_DIR "/msg", ".msg");
  if (files.empty()) GTEST_SKIP() << "no corpus at " VMSSIM_CORPUS_DIR;
  for (const auto& path : files) {
    std::vector<vmssim::msgfile::Facility> f;
    std::string error;
    EXPECT_TRUE(
        vmssim::msgfile::parse(vmssim_test::records_to_lines(vmssim_test::slurp(path)), f, error))
        << path << ": " << error;
    EXPECT_FALSE(f.empty()) << path;
  }
}

// Checklist 36 (the rendering): flags 0x0F give %FAC-S-IDENT, text; an unknown code gives
// %NONAME-x-NOMSG and "not known".
TEST(VmsMsgText, GetmsgRendering) {
  std::vector<vmssim::msgfile::Facility> f;
  std::string error;
  ASSERT_TRUE(vmssim::msgfile::parse(slurp(VMSSIM_SOURCE_DIR "/msg/SUPERVISOR.MSG"), f, error));
  std::uint32_t nosuch = code_of(f, "NOSUCHPROC");
  std::string out;
  unsigned fao = 99;
  ASSERT_TRUE(vmssim::msg::render(nosuch, 0x0F, out, &fao));
  EXPECT_EQ(out, "%SUPERVISOR-E-NOSUCHPROC, !AS: ERROR (no such process)");
  EXPECT_EQ(fao, 1u);
  ASSERT_TRUE(vmssim::msg::render(nosuch, 1, out, nullptr));
  EXPECT_EQ(out, "!AS: ERROR (no such process)");
  ASSERT_TRUE(vmssim::msg::render(nosuch, 2 | 8, out, nullptr));
  EXPECT_EQ(out, "%SUPERVISOR-NOSUCHPROC");
  // The severity shown is the code's own.
  ASSERT_TRUE(vmssim::msg::render(SS$_ABORT, 0x0F, out, nullptr));
  EXPECT_EQ(out, "%SYSTEM-F-ABORT, abort");
  ASSERT_TRUE(vmssim::msg::render(SS$_ABORT | 0x10000000u, 0x0F, out, nullptr));
  EXPECT_EQ(out, "%SYSTEM-F-ABORT, abort");
  ASSERT_TRUE(vmssim::msg::render(RMS$_FNF, 0x0F, out, nullptr));
  EXPECT_EQ(out, "%RMS-E-FNF, file not found");
  ASSERT_TRUE(vmssim::msg::render(CLI$_ABSENT, 0x0F, out, nullptr));
  EXPECT_EQ(out, "%CLI-W-ABSENT, entity or value absent from command string");

  EXPECT_FALSE(vmssim::msg::render(0x0ABC0012u, 0x0F, out, &fao));
  EXPECT_EQ(out, "%NONAME-E-NOMSG, Message number 0ABC0012");
  EXPECT_EQ(fao, 0u);
  EXPECT_FALSE(vmssim::msg::render(0, 0x0F, out, nullptr));
  EXPECT_EQ(out, "%NONAME-W-NOMSG, Message number 00000000");
}

TEST(VmsMsgText, Fao) {
  using vmssim::msg::fao;
  std::uint32_t n[] = {3, 1, 255};
  EXPECT_EQ(fao("!UL program!%S, !UL program!%S", n, 2), "3 programs, 1 program");
  EXPECT_EQ(fao("!XL !XW !XB", n, 3), "00000003 0001 FF");
  EXPECT_EQ(fao("!5UL|!ZL|!4ZL", n, 3), "    3|1|0255");
  std::uint32_t neg[] = {0xFFFFFFFEu};
  EXPECT_EQ(fao("!SL", neg, 1), "-2");
  EXPECT_EQ(fao("a!/b!_c!!", nullptr, 0), "a\nb\tc!");
  std::size_t used = 0;
  EXPECT_EQ(fao("!UL !-!UL !+!UL", n, 3, &used), "3 3 255");
  EXPECT_EQ(used, 3u);
  EXPECT_EQ(fao("missing !UL here", nullptr, 0), "missing  here");
  EXPECT_EQ(fao("unknown !QQ directive", nullptr, 0), "unknown !QQ directive");
}

}  // namespace
