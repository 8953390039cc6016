// One truth: the CLD, the client's command table, the help library and the message file
// agree.  Every verb/syntax of the CLD has a handler and a help topic (with every
// qualifier documented); every handler's topic exists; every SUP__ condition named in the
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
#include "cli/command_table.hpp"
#include "help/hlp_embedded.hpp"
#include "msg/message.hpp"

namespace sup {
namespace {

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

TEST(Consistency, EveryCldActionHasAHandlerAndAHelpTopic) {
  const auto& model = cli::supervisor_cld();
  ASSERT_EQ(model.verbs.size(), 1u);
  const auto* actions = model.find_type("SUP_ACTIONS");
  ASSERT_NE(actions, nullptr);
  for (auto& kw : actions->keywords) {
    const cli::CommandEntry* e = cli::find_command(kw.name);
    ASSERT_NE(e, nullptr) << kw.name << " has no handler";
    EXPECT_EQ(e->syntax, kw.syntax) << kw.name;
    const help::Topic* topic = child(supervisor_topic(), std::string(e->help_topic));
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

TEST(Consistency, EveryHandlerIsInTheCldAndHelp) {
  const auto* actions = cli::supervisor_cld().find_type("SUP_ACTIONS");
  ASSERT_NE(actions, nullptr);
  for (auto& e : cli::command_table()) {
    bool in_cld = std::any_of(actions->keywords.begin(), actions->keywords.end(),
                              [&](auto& k) { return k.name == e.verb; });
    EXPECT_TRUE(in_cld) << e.verb;
    EXPECT_NE(child(supervisor_topic(), std::string(e.help_topic)), nullptr) << e.verb;
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
