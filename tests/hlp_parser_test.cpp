// The .HLP parser: the project's own library (every action, every qualifier of the verb
// under the right action) and malformed sources (the error names the line).
#include "help/hlp_parser.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "help/hlp_embedded.hpp"
#include "msg/embedded.hpp"

namespace sup::help {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const Topic* child(const Topic& parent, std::string_view key) {
  for (const auto& sub : parent.subtopics) {
    if (sub.key == key) return &sub;
  }
  return nullptr;
}

std::vector<std::string> keys_of(const Topic& parent) {
  std::vector<std::string> keys;
  for (const auto& sub : parent.subtopics) keys.push_back(sub.key);
  return keys;
}

std::string read_source_file(const std::string& relative) {
  std::ifstream in(std::string(SUP_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

HlpError parse_error(std::string_view source) {
  const auto result = parse_hlp(source);
  EXPECT_FALSE(result.ok()) << "expected an error for:\n" << source;
  return result.error.value_or(HlpError{});
}

// --- The project's library ---------------------------------------------------------------

class SupervisorHlp : public ::testing::Test {
 protected:
  void SetUp() override {
    parsed_ = parse_hlp(read_source_file("help/SUPERVISOR.HLP"));
    ASSERT_TRUE(parsed_.ok()) << parsed_.error->to_string();
    root_ = &parsed_.library.root;
    ASSERT_THAT(keys_of(*root_), ElementsAre("SUPERVISOR"));
    verb_ = &root_->subtopics.front();
  }

  HlpParseResult parsed_;
  const Topic* root_ = nullptr;
  const Topic* verb_ = nullptr;
};

TEST_F(SupervisorHlp, HasATopicPerActionWithParametersQualifiersAndExamples) {
  for (const char* action :
       {"HELP", "START", "STOP", "RESTART", "STATUS", "PID", "VERSION", "SHUTDOWN"}) {
    const Topic* topic = child(*verb_, action);
    ASSERT_NE(topic, nullptr) << action;
    EXPECT_FALSE(topic->text.empty()) << action;
    for (const char* sub : {"Parameters", "Qualifiers", "Examples"}) {
      EXPECT_NE(child(*topic, sub), nullptr) << action << " " << sub;
    }
  }
}

TEST_F(SupervisorHlp, QualifiersOfTheVerbAreUnderTheRightAction) {
  // The verb surface (cld/SUPERVISOR.CLD): per action, exactly these qualifiers.
  const std::set<std::string> global = {"/CONFIGURATION", "/PASSWORD"};
  const std::set<std::string> start = {"/PROGRAM", "/ALL", "/WAIT", "/TIMEOUT"};
  const std::map<std::string, std::set<std::string>> expected = {
      {"HELP", {}},
      {"START", start},
      {"STOP", start},
      {"RESTART", start},
      {"STATUS", {"/PROGRAM", "/ALL", "/OUTPUT"}},
      {"PID", {"/PROGRAM"}},
      {"VERSION", {}},
      {"SHUTDOWN", {}}};
  for (const auto& [action, own] : expected) {
    const Topic* qualifiers = child(*child(*verb_, action), "Qualifiers");
    ASSERT_NE(qualifiers, nullptr) << action;
    std::set<std::string> want = own;
    want.insert(global.begin(), global.end());
    std::set<std::string> got;
    for (const auto& q : qualifiers->subtopics) {
      EXPECT_TRUE(q.is_qualifier()) << action << " " << q.key;
      EXPECT_EQ(q.level, 4) << q.key;
      EXPECT_FALSE(q.text.empty()) << action << " " << q.key;
      got.insert(q.key);
    }
    EXPECT_EQ(got, want) << action;
  }
}

TEST_F(SupervisorHlp, HasTheReferenceTopics) {
  for (const char* key : {"Exit_Status", "Messages", "Configuration", "Supervisord", "Protocol",
                          "Table", "Source_Files"}) {
    EXPECT_NE(child(*verb_, key), nullptr) << key;
  }
}

TEST_F(SupervisorHlp, MessagesHasOneSubtopicPerConditionOfTheMsgFile) {
  // Every message line of SUPERVISOR.MSG: an identifier in column 1, blanks, then the
  // text in <...> or "...".
  std::istringstream msg(read_source_file("msg/SUPERVISOR.MSG"));
  std::set<std::string> conditions;
  for (std::string line; std::getline(msg, line);) {
    if (line.empty() || !std::isupper(static_cast<unsigned char>(line[0]))) continue;
    const auto name_end = line.find_first_of(" \t");
    const auto text = line.find_first_not_of(" \t", name_end);
    if (text == std::string::npos || (line[text] != '<' && line[text] != '"')) continue;
    conditions.insert(line.substr(0, name_end));
  }
  ASSERT_GT(conditions.size(), 20u);
  const Topic* messages = child(*verb_, "Messages");
  ASSERT_NE(messages, nullptr);
  std::set<std::string> documented;
  for (const auto& m : messages->subtopics) {
    documented.insert(m.key);
    const std::string text = ::testing::PrintToString(m.text);
    EXPECT_THAT(text, HasSubstr("Explanation:")) << m.key;
    EXPECT_THAT(text, HasSubstr("User Action:")) << m.key;
  }
  EXPECT_EQ(documented, conditions);
}

TEST_F(SupervisorHlp, ConfigurationDocumentsEveryKey) {
  const Topic* config = child(*verb_, "Configuration");
  ASSERT_NE(config, nullptr);
  const Topic* daemon = child(*config, "Supervisord_Section");
  const Topic* program = child(*config, "Program_Section");
  ASSERT_NE(daemon, nullptr);
  ASSERT_NE(program, nullptr);
  EXPECT_THAT(keys_of(*daemon),
              ElementsAre("nodaemon", "user", "command", "stdout_file", "logfile", "table",
                          "environment", "loglevel", "umask", "minfds", "minprocs", "pidfile",
                          "silent", "directory", "identifier"));
  for (const char* key :
       {"image",        "command",     "arguments",   "process_name", "user",
        "autostart",    "stdout_file", "stderr_file", "startsecs",    "startretries",
        "stopwaitsecs", "kt_limit",    "baspri",      "nouaf",        "quotas",
        "privileges",   "autorestart", "exitcodes",   "environment",  "directory",
        "umask",        "serverurl",   "stopsignal",  "stopasgroup",  "killasgroup"}) {
    const Topic* topic = child(*program, key);
    ASSERT_NE(topic, nullptr) << key;
    EXPECT_THAT(::testing::PrintToString(topic->text), HasSubstr("Default:")) << key;
  }
}

TEST_F(SupervisorHlp, KeysAreShortAndTextFitsEightyColumns) {
  std::vector<const Topic*> todo{root_};
  while (!todo.empty()) {
    const Topic* t = todo.back();
    todo.pop_back();
    EXPECT_LE(t->key.size(), kMaxHlpKeyLength) << t->key;
    for (const auto& l : t->text) EXPECT_LE(l.size(), 80u) << t->key << ": " << l;
    for (const auto& s : t->subtopics) todo.push_back(&s);
  }
}

TEST_F(SupervisorHlp, TheEmbeddedCopyIsTheSourceFile) {
  EXPECT_EQ(sup::embedded::hlp_source, read_source_file("help/SUPERVISOR.HLP"));
  const Library& lib = supervisor_help();
  EXPECT_EQ(&lib, &supervisor_help()) << "parsed once";
  ASSERT_THAT(keys_of(lib.root), ElementsAre("SUPERVISOR"));
  EXPECT_EQ(keys_of(lib.root.subtopics.front()), keys_of(*verb_));
}

// --- Structure ---------------------------------------------------------------------------

TEST(HlpParser, BuildsTheTreeWithQualifiersOneLevelBelowTheNumberedKey) {
  const auto r = parse_hlp(
      "! comment\n"
      "1 VERB\n"
      "\n"
      "  Verb text.\n"
      "\n"
      "2 Qualifiers\n"
      "/WAIT\n"
      "    /WAIT (default)\n"
      "/ALL\n"
      "  All.\n"
      "2 Examples\n"
      "  ex\n"
      "1 OTHER\n");
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  const Topic& root = r.library.root;
  ASSERT_THAT(keys_of(root), ElementsAre("VERB", "OTHER"));
  const Topic& verb = root.subtopics[0];
  EXPECT_THAT(verb.text, ElementsAre("  Verb text."));  // blank edges removed
  ASSERT_THAT(keys_of(verb), ElementsAre("Qualifiers", "Examples"));
  const Topic& quals = verb.subtopics[0];
  ASSERT_THAT(keys_of(quals), ElementsAre("/WAIT", "/ALL"));
  EXPECT_EQ(quals.subtopics[0].level, 3);
  EXPECT_EQ(quals.subtopics[0].line, 7u);
  EXPECT_THAT(quals.subtopics[0].text, ElementsAre("    /WAIT (default)"));
  EXPECT_EQ(verb.subtopics[1].level, 2) << "a numbered key after qualifiers closes them";
  EXPECT_EQ(root.subtopics[1].line, 13u);
}

TEST(HlpParser, AcceptsCrLfTabsAndTrailingBlanks) {
  const auto r = parse_hlp("1\tA   \r\n text\r\n2 B\r\n");
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  EXPECT_EQ(r.library.root.subtopics[0].key, "A");
  EXPECT_THAT(r.library.root.subtopics[0].text, ElementsAre(" text"));
  EXPECT_EQ(r.library.root.subtopics[0].subtopics[0].key, "B");
}

TEST(HlpParser, ALevelMayDropByMoreThanOne) {
  const auto r = parse_hlp("1 A\n2 B\n3 C\n1 D\n");
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  EXPECT_THAT(keys_of(r.library.root), ElementsAre("A", "D"));
}

TEST(HlpParser, AQualifierGoesOneLevelBelowTheLastNumberedKey) {
  const auto r = parse_hlp("1 A\n2 Q\n/X\n3 SUB\n/Y\n");
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  // /X is level 3 under Q; "3 SUB" is its sibling; /Y is level 4, under SUB.
  const Topic& q = r.library.root.subtopics[0].subtopics[0];
  ASSERT_THAT(keys_of(q), ElementsAre("/X", "SUB"));
  EXPECT_THAT(keys_of(q.subtopics[1]), ElementsAre("/Y"));
}

// --- Malformed input: the error names the line --------------------------------------------

TEST(HlpParserErrors, LevelJumpByMoreThanOne) {
  const auto e = parse_error("1 A\n  text\n3 C\n");
  EXPECT_EQ(e.line, 3u);
  EXPECT_THAT(e.message, HasSubstr("level 3 key \"C\" follows a level 1 key"));
  EXPECT_EQ(e.to_string().rfind("line 3: ", 0), 0u);
}

TEST(HlpParserErrors, FirstKeyMustBeLevelOne) {
  const auto e = parse_error("! c\n\n2 A\n");
  EXPECT_EQ(e.line, 3u);
  EXPECT_THAT(e.message, HasSubstr("follows a level 0 key"));
}

TEST(HlpParserErrors, KeyLineWithoutKey) {
  const auto e = parse_error("1 A\n2   \n");
  EXPECT_EQ(e.line, 2u);
  EXPECT_THAT(e.message, HasSubstr("without a key"));
}

TEST(HlpParserErrors, TextBeforeTheFirstKey) {
  const auto e = parse_error("\n  orphan text\n1 A\n");
  EXPECT_EQ(e.line, 2u);
  EXPECT_THAT(e.message, HasSubstr("text before the first key"));
}

TEST(HlpParserErrors, QualifierBeforeAnyKeyIsTextBeforeTheFirstKey) {
  const auto e = parse_error("/WAIT\n1 A\n");
  EXPECT_EQ(e.line, 1u);
  EXPECT_THAT(e.message, HasSubstr("text before the first key"));
  // A "/" alone names nothing: it is text.
  const auto lone = parse_hlp("1 A\n2 Q\n/\n");
  ASSERT_TRUE(lone.ok());
  EXPECT_THAT(lone.library.root.subtopics[0].subtopics[0].text, ElementsAre("/"));
}

TEST(HlpParserErrors, QualifierBelowLevelNine) {
  const auto e = parse_error("1 A\n2 B\n3 C\n4 D\n5 E\n6 F\n7 G\n8 H\n9 I\n/Q\n");
  EXPECT_EQ(e.line, 10u);
  EXPECT_THAT(e.message, HasSubstr("below level 9"));
}

TEST(HlpParserErrors, KeyTooLongOrWithAControlCharacter) {
  const std::string long_key(32, 'K');
  const auto e = parse_error("1 A\n2 " + long_key + "\n");
  EXPECT_EQ(e.line, 2u);
  EXPECT_THAT(e.message, HasSubstr("longer than 31"));
  EXPECT_TRUE(parse_hlp("1 " + std::string(31, 'K') + "\n").ok());
  const auto control = parse_error("1 A\n\n2 TWO\x01WORDS\n");
  EXPECT_EQ(control.line, 3u);
  EXPECT_THAT(control.message, HasSubstr("control character"));
}

TEST(HlpParserErrors, EmptyLibrary) {
  EXPECT_THAT(parse_error("").message, HasSubstr("no key line"));
  const auto e = parse_error("! only\n! comments\n");
  EXPECT_EQ(e.line, 2u);
}

TEST(HlpParserErrors, BinaryGarbageIsAnErrorNotACrash) {
  const std::string junk("1 A\n\0\x01\x7f\n2 \x01\n", 12);
  const auto e = parse_error(junk);
  EXPECT_EQ(e.line, 2u);
  EXPECT_THAT(e.message, HasSubstr("binary record file"));
  EXPECT_EQ(parse_error("1 A\n2 \x01\n").line, 2u);
}

// --- Issue 10: the rules LIBRARY/HELP follows on real files (doc/vms_facts.md section
// 12).  One test per rule, each with a minimal example.

// Rule 8: a key line is a level digit, blanks, then the key to the end of the line, its
// blanks kept; a "/name..." line in column 1 is a key one level below the last numbered
// key, also the whole line.
TEST(HlpRealRules, Rule8KeyIsTheRestOfTheLineBlanksKept) {
  const auto r = parse_hlp(
      "1 LYNX\n2 See Also\n  text\n2\t\tCommand  Line   \r\n/COMMENT (-z)\n  comment\n"
      "3 /NEWS (-n)\n");
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  const Topic& lynx = r.library.root.subtopics.at(0);
  EXPECT_THAT(keys_of(lynx), ElementsAre("See Also", "Command  Line"));
  const Topic& command = lynx.subtopics.at(1);
  // "3 /NEWS (-n)" is a numbered key that starts with "/": level 3, under Command Line.
  EXPECT_THAT(keys_of(command), ElementsAre("/COMMENT (-z)", "/NEWS (-n)"));
  EXPECT_EQ(command.subtopics[0].level, 3);
  EXPECT_TRUE(command.subtopics[0].is_qualifier());
  EXPECT_THAT(command.subtopics[0].text, ElementsAre("  comment"));
}

// Rule 9: a digit not followed by a blank is ordinary text.
TEST(HlpRealRules, Rule9DigitWithoutABlankIsText) {
  const auto r = parse_hlp("1 HISTORY\n1990: first release\n2\n3rd edition\n2 Later\n");
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  const Topic& history = r.library.root.subtopics.at(0);
  EXPECT_THAT(history.text, ElementsAre("1990: first release", "2", "3rd edition"));
  EXPECT_THAT(keys_of(history), ElementsAre("Later"));
}

// Rule 10: duplicate keys under one parent are legal; HELP shows every match (see also
// HelpRealRules.Rule10EveryDuplicateIsShown).
TEST(HlpRealRules, Rule10DuplicateKeysAreLegal) {
  const auto r = parse_hlp("1 A\n2 B\none\n2 C\n2 b\ntwo\n");
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  EXPECT_THAT(keys_of(r.library.root.subtopics[0]), ElementsAre("B", "C", "b"));
}

// Rule 12: "!" in column 1 is a comment anywhere; other text before the first key, and
// binary record files, are errors naming the line.
TEST(HlpRealRules, Rule12CommentsAnywhereTextBeforeTheFirstKeyAndBinaryAreErrors) {
  const auto r = parse_hlp("! header\n\n1 A\n! inside\n  text\n ! not a comment\n");
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  EXPECT_THAT(r.library.root.subtopics[0].text, ElementsAre("  text", " ! not a comment"));
  const auto before = parse_error("! header\nYou can get help on a topic by typing:\n1 A\n");
  EXPECT_EQ(before.line, 2u);
  EXPECT_THAT(before.message, HasSubstr("text before the first key"));
  // A variable-length record file copied byte for byte: lengths and NUL padding.
  const std::string records(
      "\x05\0"
      "1 ABC\0"
      "\x06\0"
      "  text",
      16);
  const auto binary = parse_error(records);
  EXPECT_EQ(binary.line, 1u);
  EXPECT_THAT(binary.message, HasSubstr("binary record file"));
}

}  // namespace
}  // namespace sup::help
