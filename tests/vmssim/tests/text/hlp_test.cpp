// The simulator's own HLP interpreter and LBR$OUTPUT_HELP (spec 4.10): the project's
// help/SUPERVISOR.HLP and the public corpus, topic output with "Additional information
// available:", missing keys ("Sorry, no documentation on ..." and still success), a
// missing library (RMS$_FNF), and prompting through the input routine.
#include <descrip.h>
#include <hlpdef.h>
#include <lbr$routines.h>
#include <rmsdef.h>
#include <ssdef.h>

#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "corpus.hpp"
#include "hlp.hpp"

extern "C" void* _malloc32(std::size_t size);

namespace {

std::vector<std::string> g_lines;
std::vector<std::string> g_answers;
std::vector<std::string> g_prompts;

extern "C" unsigned int collect_line(void* p) {
  auto* d = static_cast<dsc$descriptor_s*>(p);
  g_lines.emplace_back(static_cast<char*>(d->dsc$a_pointer), d->dsc$w_length);
  return SS$_NORMAL;
}

// LIB$GET_INPUT's form: the next scripted answer, or RMS$_EOF (Ctrl/Z) when none is left.
extern "C" unsigned int scripted_input(void* ans, void* p, unsigned short* len) {
  auto* answer = static_cast<dsc$descriptor_s*>(ans);
  auto* prompt = static_cast<dsc$descriptor_s*>(p);
  g_prompts.emplace_back(static_cast<char*>(prompt->dsc$a_pointer), prompt->dsc$w_length);
  if (g_answers.empty()) return RMS$_EOF;
  std::string a = g_answers.front();
  g_answers.erase(g_answers.begin());
  std::memcpy(static_cast<char*>(answer->dsc$a_pointer), a.data(), a.size());
  *len = static_cast<unsigned short>(a.size());
  return SS$_NORMAL;
}

dsc$descriptor_s* low_desc(const std::string& s) {
  char* text = static_cast<char*>(_malloc32(s.size() + 1));
  std::memcpy(text, s.c_str(), s.size() + 1);
  auto* d = static_cast<dsc$descriptor_s*>(_malloc32(sizeof(dsc$descriptor_s)));
  *d = {static_cast<unsigned short>(s.size()), DSC$K_DTYPE_T, DSC$K_CLASS_S, text};
  return d;
}

const std::string kLibrary = VMSSIM_SOURCE_DIR "/help/SUPERVISOR.HLB";  // maps to the .HLP

unsigned int help(const std::string& line, unsigned int flags = 0) {
  g_lines.clear();
  g_prompts.clear();
  auto* f = static_cast<unsigned int*>(_malloc32(4));
  *f = flags;
  return lbr$output_help(reinterpret_cast<int (*)(...)>(collect_line), nullptr, low_desc(line),
                         low_desc(kLibrary), f, reinterpret_cast<int (*)(...)>(scripted_input));
}

bool has(const std::string& line) {
  for (const auto& l : g_lines)
    if (l == line) return true;
  return false;
}

TEST(VmsHlp, ProjectAndCorpusLibrariesRead) {
  std::vector<vmssim::hlp::Topic> topics;
  std::string error;
  ASSERT_TRUE(vmssim::hlp::parse(vmssim_test::slurp(VMSSIM_SOURCE_DIR "/help/SUPERVISOR.HLP"),
                                 topics, error))
      << error;
  ASSERT_EQ(topics.size(), 1u);
  EXPECT_EQ(topics[0].key, "SUPERVISOR");
  // /NAME lines are keys one below the preceding numbered key.
  const vmssim::hlp::Topic& help = topics[0].subtopics.at(0);
  EXPECT_EQ(help.key, "HELP");
  const vmssim::hlp::Topic& quals = help.subtopics.at(1);
  EXPECT_EQ(quals.key, "Qualifiers");
  ASSERT_EQ(quals.subtopics.size(), 2u);
  EXPECT_EQ(quals.subtopics[0].key, "/CONFIGURATION");
  EXPECT_EQ(quals.subtopics[0].level, 4);

  auto files = vmssim_test::corpus_files(VMSSIM_CORPUS_DIR "/hlp", ".hlp");
  for (const auto& path : files) {
    std::vector<vmssim::hlp::Topic> t;
    EXPECT_TRUE(
        vmssim::hlp::parse(vmssim_test::records_to_lines(vmssim_test::slurp(path)), t, error))
        << path << ": " << error;
  }
}

TEST(VmsLbrHelp, TopicAndAdditionalInformation) {
  ASSERT_EQ(help("SUPERVISOR"), SS$_NORMAL);
  ASSERT_GE(g_lines.size(), 5u);
  EXPECT_EQ(g_lines[0], "");
  EXPECT_EQ(g_lines[1], "SUPERVISOR");
  EXPECT_TRUE(has("  Additional information available:"));
  bool listed = false;
  for (const auto& l : g_lines)
    if (l.rfind("  HELP       START      STOP", 0) == 0) listed = true;
  EXPECT_TRUE(listed);

  // Abbreviations, case-blind; the key path is shown indented.
  ASSERT_EQ(help("super sta"), SS$_NORMAL);  // START and STATUS: both shown
  EXPECT_TRUE(has("  START"));
  EXPECT_TRUE(has("  STATUS"));
  ASSERT_EQ(help("SUPERVISOR START Qualifiers /WAIT"), SS$_NORMAL);
  EXPECT_TRUE(has("      /WAIT"));
}

TEST(VmsLbrHelp, MissingKeyStillSucceedsMissingLibraryIsFnf) {
  ASSERT_EQ(help("SUPERVISOR BOGUS"), SS$_NORMAL);
  EXPECT_TRUE(has("Sorry, no documentation on SUPERVISOR BOGUS"));
  EXPECT_TRUE(has("  Additional information available:"));
  ASSERT_EQ(help("NOSUCHTOPIC"), SS$_NORMAL);
  EXPECT_TRUE(has("Sorry, no documentation on NOSUCHTOPIC"));

  g_lines.clear();
  EXPECT_EQ(lbr$output_help(reinterpret_cast<int (*)(...)>(collect_line), nullptr, low_desc("X"),
                            low_desc("/nonexistent/dir/NOLIB.HLB"), nullptr, nullptr),
            RMS$_FNF);
  EXPECT_TRUE(g_lines.empty());
}

TEST(VmsLbrHelp, PromptingThroughTheInputRoutine) {
  // START shows START and prompts at its level; Return goes up; "?" re-lists; Ctrl/Z (no
  // answer left) leaves with success.
  g_answers = {"START", "", "?", "", ""};
  ASSERT_EQ(help("SUPERVISOR", HLP$M_PROMPT), SS$_NORMAL);
  std::vector<std::string> want = {"SUPERVISOR Subtopic? ", "SUPERVISOR START Subtopic? ",
                                   "SUPERVISOR Subtopic? ", "SUPERVISOR Subtopic? ", "Topic? "};
  EXPECT_EQ(g_prompts, want);
  // A topic without subtopics: the prompt stays at its parent's level.
  g_answers = {"Exit_Status Examples"};
  ASSERT_EQ(help("SUPERVISOR", HLP$M_PROMPT), SS$_NORMAL);
  want = {"SUPERVISOR Subtopic? ", "SUPERVISOR Subtopic? "};
  EXPECT_EQ(g_prompts, want);
  // Without HLP$M_PROMPT the input routine is not called.
  g_answers = {"START"};
  ASSERT_EQ(help("SUPERVISOR"), SS$_NORMAL);
  EXPECT_TRUE(g_prompts.empty());
  g_answers.clear();
}

}  // namespace
