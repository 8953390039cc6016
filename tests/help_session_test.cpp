// The help session: VMS HELP lookups (abbreviations, ambiguity, wildcards, "...",
// qualifiers, not found) and the interactive prompts, driven by a scripted terminal.
#include "help/help_session.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

#include "help/hlp_embedded.hpp"
#include "help/hlp_format.hpp"
#include "help/hlp_match.hpp"

namespace sup::help {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Lines = std::vector<std::string>;

constexpr std::string_view kSmallLibrary =
    "1 VERB\n"
    "  Verb text.\n"
    "2 START\n"
    "    Starts.\n"
    "3 Parameters\n"
    "      name\n"
    "3 Qualifiers\n"
    "/WAIT\n"
    "        wait text\n"
    "/TIMEOUT\n"
    "        timeout text\n"
    "3 Examples\n"
    "      ex\n"
    "2 STATUS\n"
    "    Status.\n"
    "2 STOP\n"
    "    Stops.\n"
    "2 Messages\n"
    "3 NORMAL\n"
    "      ok\n"
    "1 OTHER\n"
    "  Other text.\n";

// A terminal: output lines, and prompts answered from a script (end of script = Ctrl-D).
// The transcript shows each prompt with its answer on one line, as a terminal does.
class ScriptedTerminal {
 public:
  explicit ScriptedTerminal(std::deque<std::string> answers = {}) : answers_(std::move(answers)) {}

  LineSink sink() {
    return [this](std::string_view line) { transcript.emplace_back(line); };
  }
  LineSource source() {
    return [this](std::string_view prompt) -> std::optional<std::string> {
      prompts.emplace_back(prompt);
      if (answers_.empty()) {
        transcript.push_back(std::string(prompt) + "^D");
        return std::nullopt;
      }
      auto answer = answers_.front();
      answers_.pop_front();
      transcript.push_back(std::string(prompt) + answer);
      return answer;
    };
  }

  Lines transcript;
  Lines prompts;

 private:
  std::deque<std::string> answers_;
};

class HelpSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto parsed = parse_hlp(kSmallLibrary);
    ASSERT_TRUE(parsed.ok()) << parsed.error->to_string();
    library_ = std::move(parsed.library);
  }

  // Runs a non-interactive request and returns its output.
  Lines lookup(const std::string& line, HelpOutcome expected = HelpOutcome::kFound) {
    ScriptedTerminal term;
    HelpSession session(library_, term.sink(), term.source());
    EXPECT_EQ(session.run(split_keys(line)), expected) << line;
    EXPECT_TRUE(term.prompts.empty()) << "non-interactive sessions never prompt";
    return term.transcript;
  }

  // Runs an interactive session and returns the whole transcript.
  Lines converse(const std::string& line, std::deque<std::string> answers,
                 HelpOutcome expected = HelpOutcome::kFound) {
    ScriptedTerminal term(std::move(answers));
    HelpSession session(library_, term.sink(), term.source(), SessionOptions{true});
    EXPECT_EQ(session.run(split_keys(line)), expected) << line;
    prompts_ = term.prompts;
    return term.transcript;
  }

  Library library_;
  Lines prompts_;
};

// --- Non-interactive lookups --------------------------------------------------------------

TEST_F(HelpSessionTest, TopicTextThenSubtopicsWithQualifiersOnTheirOwnLine) {
  EXPECT_THAT(lookup("VERB START"),
              ElementsAre("", "VERB", "", "  START", "", "    Starts.", "",
                          "  Additional information available:", "", "  Parameters Qualifiers",
                          "  /WAIT      /TIMEOUT", "  Examples", ""));
}

TEST_F(HelpSessionTest, AbbreviationAndCaseDoNotMatter) {
  EXPECT_EQ(lookup("v statu"), lookup("VERB STATUS"));
  EXPECT_EQ(lookup("verb START"), lookup("VERB START"));
}

TEST_F(HelpSessionTest, LeafTopicHasNoList) {
  EXPECT_THAT(lookup("VERB STATUS"),
              ElementsAre("", "VERB", "", "  STATUS", "", "    Status.", ""));
}

TEST_F(HelpSessionTest, QualifierFoundFromTheCommandWithOrWithoutSlash) {
  const Lines expected{"", "VERB", "", "  START", "", "    /WAIT", "", "        wait text", ""};
  EXPECT_EQ(lookup("VERB START /WAIT"), expected);
  EXPECT_EQ(lookup("verb start/wa"), expected);
  EXPECT_EQ(lookup("VERB START WAIT"), expected);
  // Through the Qualifiers key, that key is shown too.
  EXPECT_THAT(lookup("VERB START QUALIFIERS /TIMEOUT"),
              ElementsAre("", "VERB", "", "  START", "", "    Qualifiers", "", "      /TIMEOUT", "",
                          "        timeout text", ""));
}

TEST_F(HelpSessionTest, AmbiguousAbbreviationShowsEveryMatch) {
  EXPECT_THAT(lookup("VERB ST"),
              ElementsAre("", "VERB", "", "  START", "", "    Starts.", "",
                          "  Additional information available:", "", "  Parameters Qualifiers",
                          "  /WAIT      /TIMEOUT", "  Examples", "", "  STATUS", "", "    Status.",
                          "", "  STOP", "", "    Stops.", ""));
}

TEST_F(HelpSessionTest, ExactKeyWinsOverLongerKeys) {
  auto parsed = parse_hlp("1 A\n2 STOP\n  s\n2 STOPALL\n  a\n");
  ASSERT_TRUE(parsed.ok());
  ScriptedTerminal term;
  HelpSession(parsed.library, term.sink(), term.source()).run({"A", "stop"});
  EXPECT_THAT(term.transcript, ElementsAre("", "A", "", "  STOP", "", "  s", ""));
}

TEST_F(HelpSessionTest, WildcardsStarAndPercent) {
  const auto star = lookup("VERB S*");
  EXPECT_EQ(star, lookup("VERB ST")) << "S* selects the same three topics";
  EXPECT_THAT(lookup("VERB ST%P"), ElementsAre("", "VERB", "", "  STOP", "", "    Stops.", ""));
  EXPECT_THAT(lookup("* "), ElementsAre("", "VERB", "", "  Verb text.", "",
                                        "  Additional information available:", "",
                                        "  START      STATUS     STOP       Messages", "", "OTHER",
                                        "", "  Other text.", ""));
  lookup("VERB X*", HelpOutcome::kNotFound);
}

TEST_F(HelpSessionTest, EllipsisShowsAllSubtopics) {
  const Lines expected{"", "VERB", "", "  Messages", "", "    NORMAL", "", "      ok", ""};
  EXPECT_EQ(lookup("VERB MESSAGES ..."), expected);
  EXPECT_EQ(lookup("verb mess..."), expected);
  const auto all = lookup("...");
  EXPECT_THAT(all, ::testing::Contains("        timeout text"));
  EXPECT_THAT(all, ::testing::Contains("  Other text."));
  EXPECT_THAT(all, ::testing::Not(::testing::Contains("  Additional information available:")));
}

TEST_F(HelpSessionTest, NotFoundSaysSorryAndListsTheLevel) {
  EXPECT_THAT(lookup("verb xyz", HelpOutcome::kNotFound),
              ElementsAre("", "Sorry, no documentation on VERB XYZ", "",
                          "  Additional information available:", "",
                          "  START      STATUS     STOP       Messages", ""));
  EXPECT_THAT(lookup("nothing", HelpOutcome::kNotFound),
              ElementsAre("", "Sorry, no documentation on NOTHING", "",
                          "  Additional information available:", "", "  VERB       OTHER", ""));
  const auto deep = lookup("verb start /nowait", HelpOutcome::kNotFound);
  EXPECT_EQ(deep[1], "Sorry, no documentation on VERB START /NOWAIT");
}

TEST_F(HelpSessionTest, NoKeysListsTheRootTopics) {
  EXPECT_THAT(lookup(""),
              ElementsAre("", "  Information available:", "", "  VERB       OTHER", ""));
}

// --- Interactive --------------------------------------------------------------------------

TEST_F(HelpSessionTest, PromptsDescendAndReturnGoesUpOneLevel) {
  const auto t = converse("VERB", {"start", "", "", ""});
  EXPECT_THAT(prompts_, ElementsAre("VERB Subtopic? ", "VERB START Subtopic? ", "VERB Subtopic? ",
                                    "Topic? "));
  EXPECT_THAT(
      t, ElementsAre("", "VERB", "", "  Verb text.", "", "  Additional information available:", "",
                     "  START      STATUS     STOP       Messages", "",
                     "VERB Subtopic? start",  //
                     "", "VERB", "", "  START", "", "    Starts.", "",
                     "  Additional information available:", "", "  Parameters Qualifiers",
                     "  /WAIT      /TIMEOUT", "  Examples", "", "VERB START Subtopic? ",
                     "VERB Subtopic? ", "Topic? "));
}

TEST_F(HelpSessionTest, LeafKeepsThePromptAtItsParent) {
  converse("VERB START", {"/timeout", "param", ""});
  EXPECT_THAT(prompts_, ElementsAre("VERB START Subtopic? ", "VERB START Subtopic? ",
                                    "VERB START Subtopic? ", "VERB Subtopic? "));
}

TEST_F(HelpSessionTest, QuestionMarkListsAgain) {
  const auto t = converse("VERB STATUS", {"?", "", "?"});
  EXPECT_THAT(prompts_, ElementsAre("VERB Subtopic? ", "VERB Subtopic? ", "Topic? ", "Topic? "));
  EXPECT_THAT(t, ElementsAre("", "VERB", "", "  STATUS", "", "    Status.", "",  //
                             "VERB Subtopic? ?", "", "  Additional information available:", "",
                             "  START      STATUS     STOP       Messages", "",  //
                             "VERB Subtopic? ", "Topic? ?", "", "  Information available:", "",
                             "  VERB       OTHER", "", "Topic? ^D"));
}

TEST_F(HelpSessionTest, EndOfInputLeavesAtOnce) {
  const auto t = converse("VERB START", {});
  EXPECT_THAT(prompts_, ElementsAre("VERB START Subtopic? "));
  EXPECT_EQ(t.back(), "VERB START Subtopic? ^D");
}

TEST_F(HelpSessionTest, NotFoundStaysAtTheLevelAndTheOutcomeIsTheFirstRequests) {
  const auto t = converse("VERB NOPE", {"stop", ""}, HelpOutcome::kNotFound);
  EXPECT_THAT(prompts_, ElementsAre("VERB Subtopic? ", "VERB Subtopic? ", "Topic? "));
  EXPECT_EQ(t[1], "Sorry, no documentation on VERB NOPE");
  converse("VERB", {"nope", ""}, HelpOutcome::kFound);
  EXPECT_THAT(prompts_, ElementsAre("VERB Subtopic? ", "VERB Subtopic? ", "Topic? "));
}

TEST_F(HelpSessionTest, AmbiguousAnswerPromptsAtTheSharedLevel) {
  converse("VERB", {"s", "messages", "normal", ""});
  EXPECT_THAT(prompts_,
              ElementsAre("VERB Subtopic? ", "VERB Subtopic? ", "VERB Messages Subtopic? ",
                          "VERB Messages Subtopic? ", "VERB Subtopic? "));
}

TEST_F(HelpSessionTest, TopLevelAnswersAreRelativeToTheRoot) {
  const auto t = converse("", {"other", "verb start", "", "", ""});
  EXPECT_THAT(prompts_, ElementsAre("Topic? ", "Topic? ", "VERB START Subtopic? ",
                                    "VERB Subtopic? ", "Topic? "));
  EXPECT_THAT(t, ::testing::Contains("  Other text."));
}

// --- The columns --------------------------------------------------------------------------

TEST(HelpColumns, ElevenColumnGridLongNamesTakeMoreCellsRowsWrapAtTheWidth) {
  EXPECT_THAT(format_columns({"A", "BB", "Exit_Status", "Z"}),
              ElementsAre("  A          BB         Exit_Status           Z"));
  const std::vector<std::string> eight(8, "NAME");
  EXPECT_THAT(
      format_columns(eight),
      ElementsAre("  NAME       NAME       NAME       NAME       NAME       NAME       NAME",
                  "  NAME"));
  EXPECT_THAT(format_columns(eight, 39), ElementsAre("  NAME       NAME       NAME       NAME",
                                                     "  NAME       NAME       NAME       NAME"));
  EXPECT_THAT(format_columns(eight, 38),
              ElementsAre("  NAME       NAME       NAME", "  NAME       NAME       NAME",
                          "  NAME       NAME"));
  EXPECT_THAT(format_columns({std::string(100, 'X')}), ElementsAre("  " + std::string(100, 'X')));
  EXPECT_TRUE(format_columns({}).empty());
}

TEST(HelpColumns, QualifierRunsHaveTheirOwnLines) {
  EXPECT_THAT(format_columns({"Parameters", "Qualifiers", "/A", "/B", "Examples"}),
              ElementsAre("  Parameters Qualifiers", "  /A         /B", "  Examples"));
}

TEST(HelpSplitKeys, BlanksSlashesAndEllipsis) {
  EXPECT_THAT(split_keys("  start/wait  /timeout "), ElementsAre("start", "/wait", "/timeout"));
  EXPECT_THAT(split_keys("messages..."), ElementsAre("messages", "..."));
  EXPECT_THAT(split_keys("a ... / b"), ElementsAre("a", "...", "b"));
  EXPECT_TRUE(split_keys(" \t ").empty());
}

TEST(HelpWildcard, StarPercentAndCase) {
  EXPECT_TRUE(wildcard_match("*", ""));
  EXPECT_TRUE(wildcard_match("s*t", "START"));
  EXPECT_TRUE(wildcard_match("%T*", "STOP"));
  EXPECT_FALSE(wildcard_match("%T", "STOP"));
  EXPECT_TRUE(wildcard_match("*A*A*A*", "xAyAzA"));
  EXPECT_FALSE(wildcard_match("*A*A*A*B", std::string(200, 'A')));
}

// --- Issue 10: HELP's key matching on real libraries (doc/vms_facts.md section 12)

constexpr std::string_view kLynxLike =
    "1 LYNX\n"
    "  A browser.\n"
    "2 See Also\n"
    "    see text\n"
    "2 Command Line\n"
    "    options\n"
    "/COMMENT (-z)\n"
    "    comment text\n"
    "2 Notes\n"
    "    first notes\n"
    "2 NOTES\n"
    "    second notes\n";

Lines run_lynx(const std::vector<std::string>& keys, HelpOutcome expected = HelpOutcome::kFound) {
  const auto parsed = parse_hlp(kLynxLike);
  EXPECT_TRUE(parsed.ok());
  ScriptedTerminal term;
  HelpSession session(parsed.library, term.sink(), term.source());
  EXPECT_EQ(session.run(keys), expected);
  return term.transcript;
}

// Rule 10: duplicate keys under one parent are legal, and HELP shows every match.
TEST(HelpRealRules, Rule10EveryDuplicateIsShown) {
  const Lines out = run_lynx({"LYNX", "NOTES"});
  EXPECT_THAT(out, ::testing::Contains("    first notes"));
  EXPECT_THAT(out, ::testing::Contains("    second notes"));
}

// Rule 11: what the user types is split at blanks and "/", and each word matches the
// keys by case-insensitive prefix (or wildcards), keys with blanks included.
TEST(HelpRealRules, Rule11WordsMatchKeysWithBlanksByPrefix) {
  const Lines see = run_lynx({"LYNX", "SEE"});
  EXPECT_THAT(see, ::testing::Contains("  See Also"));
  EXPECT_THAT(see, ::testing::Contains("    see text"));
  EXPECT_EQ(run_lynx({"lynx see"}), see) << "one string split at blanks";
  EXPECT_EQ(run_lynx(split_keys("Lynx  s")), see) << "a unique prefix";
  EXPECT_EQ(run_lynx({"LYNX", "S*O"}), see) << "a wildcard matches the whole key";
  // "/" starts a word: the qualifier is found from its parent command and from LYNX.
  const Lines comment = run_lynx({"lynx command/comment"});
  EXPECT_THAT(comment, ::testing::Contains("    comment text"));
  EXPECT_THAT(run_lynx({"LYNX/COM"}), ::testing::Contains("    comment text"));
  // The word ALSO is not a key below "See Also": no documentation.
  EXPECT_THAT(run_lynx({"LYNX", "SEE", "ALSO"}, HelpOutcome::kNotFound),
              ::testing::Contains("Sorry, no documentation on LYNX See Also ALSO"));
}

// --- The SUPERVISOR library ---------------------------------------------------------------

TEST(SupervisorHelpSession, ActionsAndQualifiersAreReachable) {
  ScriptedTerminal term;
  HelpSession session(supervisor_help(), term.sink(), term.source());
  EXPECT_EQ(session.run({"SUPERVISOR", "START", "/TIMEOUT"}), HelpOutcome::kFound);
  EXPECT_THAT(term.transcript, ::testing::Contains("    /TIMEOUT"));
  EXPECT_EQ(session.run({"supervisor", "sta"}), HelpOutcome::kFound) << "START and STATUS";
  EXPECT_THAT(term.transcript, ::testing::Contains("  STATUS"));
  EXPECT_EQ(session.run({"SUPERVISOR", "MESSAGES", "NOHELP"}), HelpOutcome::kFound);
  EXPECT_EQ(session.run({"SUPERVISOR", "FROBNICATE"}), HelpOutcome::kNotFound);
  EXPECT_THAT(term.transcript,
              ::testing::Contains("Sorry, no documentation on SUPERVISOR FROBNICATE"));
}

TEST(SupervisorHelpSession, InteractivePrompts) {
  ScriptedTerminal term({"start", "/wait", "", "", ""});
  HelpSession session(supervisor_help(), term.sink(), term.source(), SessionOptions{true});
  EXPECT_EQ(session.run({"SUPERVISOR"}), HelpOutcome::kFound);
  EXPECT_THAT(term.prompts,
              ElementsAre("SUPERVISOR Subtopic? ", "SUPERVISOR START Subtopic? ",
                          "SUPERVISOR START Subtopic? ", "SUPERVISOR Subtopic? ", "Topic? "));
  for (const auto& l : term.transcript) EXPECT_LE(l.size(), 80u) << l;
}

}  // namespace
}  // namespace sup::help
