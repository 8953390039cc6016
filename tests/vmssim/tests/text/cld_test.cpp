// The simulator's own .CLD reader and DCL command parser as plain functions: the project's
// cld/SUPERVISOR.CLD, the public corpus files SET COMMAND accepts, and command lines
// against them (CLI$PRESENT / CLI$GET_VALUE's data; spec 4.10, VMS-REFERENCE 7).
#include <climsgdef.h>

#include <string>

#include <gtest/gtest.h>

#include "cld.hpp"
#include "cli_status.hpp"
#include "corpus.hpp"

namespace {

using vmssim::cld::Parse;
using vmssim::cld::Table;

TEST(VmsCld, PublicCorpusFilesRead) {
  auto files = vmssim_test::corpus_files(VMSSIM_CORPUS_DIR "/cld", ".cld");
  if (files.empty()) GTEST_SKIP() << "no corpus at " VMSSIM_CORPUS_DIR;
  for (const auto& path : files) {
    std::string text = vmssim_test::records_to_lines(vmssim_test::slurp(path));
    // A file meant for a C preprocessor first (#IFDEF lines) is not what SET COMMAND reads.
    if (text.find("\n#") != std::string::npos || text.rfind('#', 0) == 0) continue;
    Table t;
    std::string error;
    EXPECT_TRUE(vmssim::cld::parse_cld(text, t, error)) << path << ": " << error;
  }
}

class SupervisorCld : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(vmssim::cld::parse_cld(vmssim_test::slurp(VMSSIM_SOURCE_DIR "/cld/SUPERVISOR.CLD"),
                                       table_, error))
        << error;
  }
  std::uint32_t parse(const std::string& line) {
    parse_ = Parse();
    detail_.clear();
    return vmssim::cld::parse_command(table_, line, parse_, detail_);
  }
  // What CLI$PRESENT would say, by any name or path (ABSENT for an unknown one here).
  const vmssim::cld::EntityState* state(const std::string& name) {
    auto n = parse_.names.find(name);
    if (n == parse_.names.end()) return nullptr;
    auto e = parse_.entities.find(n->second);
    return e == parse_.entities.end() ? nullptr : &e->second;
  }
  Table table_;
  Parse parse_;
  std::string detail_;
};

TEST_F(SupervisorCld, Reads) {
  EXPECT_EQ(table_.module, "SUPERVISOR_CLD");
  ASSERT_EQ(table_.verbs.size(), 1u);
  EXPECT_EQ(table_.verbs[0].name, "SUPERVISOR");
  EXPECT_EQ(table_.verbs[0].image, "SUPERVISOR_DIR:SUPERVISOR.EXE");
  ASSERT_NE(table_.find_type("SUP_ACTIONS"), nullptr);
  EXPECT_EQ(table_.find_type("SUP_ACTIONS")->keywords.size(), 8u);
  ASSERT_NE(table_.find_syntax("SUP_START"), nullptr);
}

TEST_F(SupervisorCld, KeywordSwitchesSyntax) {
  ASSERT_EQ(parse("SUPERVISOR START web,worker /TIMEOUT=30"),
            static_cast<std::uint32_t>(CLI$_NORMAL))
      << detail_;
  EXPECT_EQ(parse_.verb, "SUPERVISOR");
  ASSERT_NE(parse_.syntax, nullptr);
  EXPECT_EQ(parse_.syntax->name, "SUP_START");
  EXPECT_EQ(parse_.image(), "SUPERVISOR_DIR:SUPERVISOR.EXE");  // inherited from the verb
  ASSERT_NE(state("ACTION.START"), nullptr);
  EXPECT_TRUE(state("ACTION.START")->present);
  EXPECT_FALSE(state("ACTION.STOP")->present);
  // P1's value is the keyword's full name; P2 is a comma list, upcased.
  ASSERT_EQ(state("ACTION")->values.size(), 1u);
  EXPECT_EQ(state("ACTION")->values[0].text, "START");
  ASSERT_EQ(state("PROGRAM_NAME")->values.size(), 2u);
  EXPECT_EQ(state("PROGRAM_NAME")->values[0].text, "WEB");
  EXPECT_EQ(state("PROGRAM_NAME")->values[0].sep, ',');
  EXPECT_EQ(state("PROGRAM_NAME")->values[1].text, "WORKER");
  EXPECT_EQ(state("PROGRAM_NAME")->values[1].sep, 0);
  EXPECT_EQ(state("P2"), state("PROGRAM_NAME"));  // name or label
  EXPECT_EQ(state("TIMEOUT")->values[0].text, "30");
  // WAIT is DEFAULT and not given: defaulted.
  EXPECT_FALSE(state("WAIT")->present);
  EXPECT_TRUE(state("WAIT")->defaulted);
}

TEST_F(SupervisorCld, AbbreviationsNegationAndQuotes) {
  ASSERT_EQ(parse("supe star/nowait \"Mixed Case\""), static_cast<std::uint32_t>(CLI$_NORMAL))
      << detail_;
  EXPECT_EQ(parse_.syntax->name, "SUP_START");
  EXPECT_TRUE(state("WAIT")->present);
  EXPECT_TRUE(state("WAIT")->negated);
  EXPECT_EQ(state("PROGRAM_NAME")->values[0].text, "Mixed Case");
  EXPECT_EQ(parse_.rest, "star/nowait \"Mixed Case\"");
}

TEST_F(SupervisorCld, ParseErrors) {
  EXPECT_EQ(parse(""), static_cast<std::uint32_t>(CLI$_NOCOMD));
  EXPECT_EQ(parse("FROBNICATE"), static_cast<std::uint32_t>(CLI$_IVVERB));
  EXPECT_EQ(detail_, "FROBNICATE");
  EXPECT_EQ(parse("SUPERVISOR"), static_cast<std::uint32_t>(CLI$_INSFPRM));
  EXPECT_EQ(parse("SUPERVISOR BOGUS"), vmssim::cli::kIvkeyw);
  EXPECT_EQ(parse("SUPERVISOR S"), vmssim::cli::kAbkeyw);  // START, STOP, STATUS, SHUTDOWN
  EXPECT_EQ(parse("SUPERVISOR START /BOGUS"), vmssim::cli::kIvqual);
  EXPECT_EQ(parse("SUPERVISOR START /TIMEOUT"), static_cast<std::uint32_t>(CLI$_VALREQ));
  EXPECT_EQ(parse("SUPERVISOR START /TIMEOUT=soon"), vmssim::cli::kIvvalu);
  EXPECT_EQ(parse("SUPERVISOR START /NOALL"), vmssim::cli::kNotneg);
  EXPECT_EQ(parse("SUPERVISOR START WEB /ALL"), static_cast<std::uint32_t>(CLI$_CONFLICT));
  EXPECT_EQ(parse("SUPERVISOR START /NOWAIT /TIMEOUT=5"),
            static_cast<std::uint32_t>(CLI$_CONFLICT));
  EXPECT_EQ(parse("SUPERVISOR START A B C D E F G H"), vmssim::cli::kMaxparm);
  EXPECT_EQ(parse("SUPERVISOR VERSION X"), vmssim::cli::kMaxparm);
}

}  // namespace
