// One truth: the CLD, the command list (commands/command_list.hpp), the help library, the
// daemon's handlers and the message file agree, in both directions.  Every keyword of
// the CLD is an action of the list with the same syntax, and every action of the list is
// a keyword of the CLD; the list's properties (names, waits) match what each syntax
// declares; every action has its help topic (with every qualifier documented) and every
// command-like help topic is an action; every action the list gives the daemon, typed as
// a DCL line, reaches a handler of a real Supervisor; every SUP__ condition named in the
// code is in the .MSG, and every .MSG entry is used somewhere in src/.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "cli/cld_parser.hpp"
#include "cli/request_parse.hpp"
#include "commands/command_list.hpp"
#include "help/hlp_embedded.hpp"
#include "msg/message.hpp"
#include "support/core_fixture.hpp"

namespace sup {
namespace {

using commands::kCommandList;

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

const help::Topic* child(const help::Topic& t, const std::string& key) {
  for (auto& s : t.subtopics)
    if (upper(s.key) == upper(key)) return &s;
  return nullptr;
}

const help::Topic& supervisor_topic() {
  const help::Topic* t = child(help::supervisor_help().root, "SUPERVISOR");
  static help::Topic empty;
  return t ? *t : empty;
}

TEST(Consistency, EveryCldActionIsInTheListAndHasAHelpTopic) {
  const auto& model = cli::supervisor_cld();
  ASSERT_EQ(model.verbs.size(), 1u);
  const auto* actions = model.find_type("SUP_ACTIONS");
  ASSERT_NE(actions, nullptr);
  for (auto& kw : actions->keywords) {
    const auto action = commands::find_keyword(kw.name);
    ASSERT_TRUE(action.has_value()) << kw.name << " is not in the command list";
    const commands::CommandSpec& e = commands::spec(*action);
    EXPECT_EQ(e.keyword, kw.name) << kw.name;
    EXPECT_EQ(e.syntax, kw.syntax) << kw.name;
    const help::Topic* topic = child(supervisor_topic(), std::string(e.help_topic));
    ASSERT_NE(topic, nullptr) << kw.name << " has no help topic";
    // Every qualifier of the action's syntax is documented under its Qualifiers topic.
    const auto* syntax = model.find_syntax(kw.syntax);
    ASSERT_NE(syntax, nullptr);
    const help::Topic* quals = child(*topic, "Qualifiers");
    for (auto& q : syntax->qualifiers) {
      ASSERT_NE(quals, nullptr) << kw.name << " has qualifiers but no Qualifiers topic";
      EXPECT_NE(child(*quals, "/" + q.name), nullptr) << kw.name << " /" << q.name;
    }
  }
}

TEST(Consistency, EveryActionOfTheListIsInTheCldInOrderAndInHelp) {
  const auto* actions = cli::supervisor_cld().find_type("SUP_ACTIONS");
  ASSERT_NE(actions, nullptr);
  ASSERT_EQ(actions->keywords.size(), commands::kActionCount);
  for (std::size_t i = 0; i < commands::kActionCount; ++i) {
    const auto& e = kCommandList[i];
    EXPECT_EQ(actions->keywords[i].name, e.keyword) << "SUP_ACTIONS lists the actions in order";
    EXPECT_EQ(actions->keywords[i].syntax, e.syntax) << e.keyword;
    EXPECT_NE(cli::supervisor_cld().find_syntax(std::string(e.syntax)), nullptr) << e.syntax;
    EXPECT_NE(child(supervisor_topic(), std::string(e.help_topic)), nullptr) << e.keyword;
  }
}

// What the list says an action takes is what its DEFINE SYNTAX declares.
TEST(Consistency, TheListsPropertiesMatchEachSyntax) {
  for (const auto& e : kCommandList) {
    const cli::cld::Definition* syntax = cli::supervisor_cld().find_syntax(std::string(e.syntax));
    ASSERT_NE(syntax, nullptr) << e.syntax;
    const auto* p2 = syntax->find_parameter("PROGRAM_NAME");
    const auto* program = syntax->find_qualifier("PROGRAM");
    const bool all = syntax->find_qualifier("ALL") != nullptr;
    const bool more = syntax->find_parameter("PROGRAM_NAME_8") != nullptr;
    switch (e.names) {
      case commands::Names::None:
        EXPECT_TRUE(!p2 && !program && !all) << e.keyword << " takes no names";
        break;
      case commands::Names::AtMostOne:
        ASSERT_TRUE(p2 && program) << e.keyword;
        EXPECT_FALSE(p2->value.list || program->value.list || all || more) << e.keyword;
        break;
      case commands::Names::Optional:
      case commands::Names::Required:
        ASSERT_TRUE(p2 && program) << e.keyword;
        EXPECT_TRUE(p2->value.list && program->value.list && all && more) << e.keyword;
        // Required names cannot be REQUIRED in the CLD (/PROGRAM or /ALL may give them):
        // the client asks for them with P2's prompt, so there must be one.
        if (e.names == commands::Names::Required) {
          EXPECT_FALSE(p2->prompt.empty()) << e.keyword;
        }
        break;
    }
    const bool wait = syntax->find_qualifier("WAIT") != nullptr;
    const bool timeout = syntax->find_qualifier("TIMEOUT") != nullptr;
    EXPECT_EQ(wait, e.waits) << e.keyword << " /[NO]WAIT";
    EXPECT_EQ(timeout, e.waits) << e.keyword << " /TIMEOUT";
    EXPECT_EQ(e.action == commands::Action::Help, syntax->find_parameter("TOPIC") != nullptr)
        << e.keyword;
  }
}

// The level-2 topics under SUPERVISOR that are not actions.
const std::set<std::string> kGeneralTopics = {
    "EXIT_STATUS", "MESSAGES", "CONFIGURATION", "SUPERVISORD", "PROTOCOL", "TABLE", "SOURCE_FILES"};

TEST(Consistency, EveryOtherHelpTopicIsAnActionOfTheList) {
  for (const auto& t : supervisor_topic().subtopics) {
    if (kGeneralTopics.count(upper(t.key))) continue;
    EXPECT_TRUE(std::any_of(std::begin(kCommandList), std::end(kCommandList),
                            [&](const auto& e) { return upper(t.key) == e.help_topic; }))
        << "help topic " << t.key << " is neither an action of the list nor a general topic";
  }
  for (const auto& general : kGeneralTopics)
    EXPECT_NE(child(supervisor_topic(), general), nullptr) << general;
}

// IVACTION's explanation names the actions there are: all of them.
TEST(Consistency, IvactionHelpNamesEveryAction) {
  const help::Topic* messages = child(supervisor_topic(), "Messages");
  ASSERT_NE(messages, nullptr);
  const help::Topic* iv = child(*messages, "IVACTION");
  ASSERT_NE(iv, nullptr);
  std::string text;
  for (const auto& line : iv->text) text += line + " ";
  for (const auto& e : kCommandList)
    EXPECT_NE(text.find(std::string(e.keyword)), std::string::npos) << e.keyword;
}

// The daemon's side: every CLD keyword the list sends to supervisord, typed as a DCL
// line and parsed against the CLD, encodes as a record that a real Supervisor decodes
// and hands to a handler (not refused as unknown, malformed or misused); HELP is the
// client's own and never leaves it.
class ConsistencyDaemon : public test::CoreFixture {};

TEST_F(ConsistencyDaemon, EveryCldActionForTheDaemonReachesAHandler) {
  add("web", 0);
  boot();
  const auto* actions = cli::supervisor_cld().find_type("SUP_ACTIONS");
  ASSERT_NE(actions, nullptr);
  platform::RequestId id = 1;
  for (const auto& kw : actions->keywords) {
    const auto action = commands::find_keyword(kw.name);
    ASSERT_TRUE(action.has_value()) << kw.name;
    const commands::CommandSpec& e = commands::spec(*action);
    std::string line = kw.name;
    if (e.names == commands::Names::Required) line += " web";
    if (e.waits) line += " /NOWAIT";
    cli::DclRequestResult parsed = cli::parse_dcl_request(line);
    ASSERT_TRUE(parsed.ok()) << line << ": " << parsed.condition.text();
    EXPECT_EQ(parsed.request.action, *action) << line;
    auto record = core::encode_request(parsed.request);
    ASSERT_TRUE(record.has_value()) << line;
    sup->handle(test::FakePlatform::raw_request(id, *record));
    const auto& replies = fake.replies[id];
    ASSERT_FALSE(replies.empty()) << line;
    const std::uint32_t c = replies.back().condition;
    if (e.runs == commands::Runs::InClient) {
      EXPECT_EQ(c, SUP__IVACTION) << line << ": the daemon has no handler for it";
    } else {
      for (std::uint32_t refused : {SUP__IVACTION, SUP__BADREQ, SUP__BADVERSION, SUP__USAGE})
        EXPECT_NE(c, refused) << line << ": " << replies.back().text;
    }
    ++id;
  }
}

TEST(Consistency, HelpDocumentsExitStatusMessagesAndConfiguration) {
  EXPECT_NE(child(supervisor_topic(), "Exit_Status"), nullptr);
  const help::Topic* messages = child(supervisor_topic(), "Messages");
  ASSERT_NE(messages, nullptr);
  for (std::size_t i = 0; i < msg::kMessageCount; ++i)
    EXPECT_NE(child(*messages, std::string(msg::kMessageTable[i].ident)), nullptr)
        << msg::kMessageTable[i].ident << " is not explained under Messages";
  EXPECT_NE(child(supervisor_topic(), "Configuration"), nullptr);
}

// The text of every source file under src/.
std::string all_sources() {
  std::string all;
  for (auto& e :
       std::filesystem::recursive_directory_iterator(std::string(SUP_SOURCE_DIR) + "/src")) {
    auto ext = e.path().extension();
    if (ext != ".cpp" && ext != ".hpp") continue;
    std::ifstream in(e.path());
    std::ostringstream ss;
    ss << in.rdbuf();
    all += ss.str();
  }
  return all;
}

TEST(Consistency, EveryConditionIsDefinedAndEveryMessageIsUsed) {
  std::string src = all_sources();
  std::set<std::string> defined;
  for (std::size_t i = 0; i < msg::kMessageCount; ++i)
    defined.insert(std::string(msg::kMessageTable[i].ident));
  std::set<std::string> used;
  std::regex name(R"(SUP__([A-Z0-9_]+))");
  for (std::sregex_iterator it(src.begin(), src.end(), name), end; it != end; ++it)
    used.insert((*it)[1].str());
  used.erase("FACILITY");
  for (auto& u : used) EXPECT_TRUE(defined.count(u)) << "SUP__" << u << " is not in SUPERVISOR.MSG";
  for (auto& d : defined) EXPECT_TRUE(used.count(d)) << d << " is in SUPERVISOR.MSG but never used";
}

}  // namespace
}  // namespace sup
