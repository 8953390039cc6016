// DESCRIP.MMS (the OpenVMS build) must compile exactly the sources CMake compiles for
// the OpenVMS images (gen/vms_sources.txt, written by the marked block of CMakeLists.txt),
// spelled as OpenVMS file specifications (src/msg/message.cpp -> [.SRC.MSG]MESSAGE.CPP),
// each into an object of the right module's list, linked in the layers' order.  Also
// checks the ODS-2 naming rule: lowercase [a-z0-9_], one dot, unique stems.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// "src/msg/message.cpp" -> "[.SRC.MSG]MESSAGE.CPP"
std::string vms_spec(const std::string& rel) {
  auto slash = rel.rfind('/');
  std::string dir = rel.substr(0, slash), name = rel.substr(slash + 1);
  std::replace(dir.begin(), dir.end(), '/', '.');
  return upper("[." + dir + "]" + name);
}

// "src/msg/message.cpp" -> "MESSAGE"
std::string stem(const std::string& rel) {
  std::string name = rel.substr(rel.rfind('/') + 1);
  return upper(name.substr(0, name.find('.')));
}

std::vector<std::string> read_list(const std::string& path) {
  std::istringstream in(slurp(path));
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

std::vector<std::string> portable_sources() {
  return read_list(SUP_PORTABLE_LIST);
}
std::vector<std::string> vms_sources() {
  return read_list(SUP_VMS_LIST);
}

std::string descrip() {
  return upper(slurp(std::string(SUP_SOURCE_DIR) + "/DESCRIP.MMS"));
}

// A description file read the way MMS reads it: comments ("!" to the end of the line)
// dropped, lines ending in "-" joined to the next, macro definitions "NAME = value"
// collected, and the other lines kept in order.
struct Descrip {
  std::map<std::string, std::string> macros;
  std::vector<std::string> lines;
};

Descrip parse_descrip(const std::string& text) {
  Descrip d;
  std::istringstream in(text);
  std::string pending;
  for (std::string line; std::getline(in, line);) {
    if (auto bang = line.find('!'); bang != std::string::npos) line.erase(bang);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    if (!line.empty() && line.back() == '-') {
      pending += line.substr(0, line.size() - 1) + ' ';
      continue;
    }
    line = pending + line;
    pending.clear();
    // A macro definition starts in column 1; an action line is indented.
    static const std::regex macro(R"(^([A-Z0-9_$]+)\s*=\s*(.*)$)");
    std::smatch m;
    if (std::regex_match(line, m, macro)) {
      d.macros[m[1]] = m[2];
      continue;
    }
    // Blanks collapsed, so that a line reads the same however it was broken.
    std::istringstream words(line);
    std::string word, joined;
    while (words >> word) joined += (joined.empty() ? "" : " ") + word;
    if (!joined.empty()) d.lines.push_back(joined);
  }
  return d;
}

// The object stems of a macro's value: "$(OBJDIR)A.OBJ, $(OBJDIR)B.OBJ" -> {A, B}.
std::vector<std::string> objects_in(const std::string& value) {
  static const std::regex obj(R"(\$\(OBJDIR\)([A-Z0-9_]+)\.OBJ)");
  std::vector<std::string> out;
  for (std::sregex_iterator it(value.begin(), value.end(), obj), end; it != end; ++it)
    out.push_back((*it)[1]);
  return out;
}

// The libraries a macro names, in order: "$(OBJDIR)SUP_CORE.OLB/LIBRARY, ..." -> {SUP_CORE}.
std::vector<std::string> libraries_in(const std::string& value) {
  static const std::regex olb(R"(\$\(OBJDIR\)(SUP_[A-Z]+)\.OLB)");
  std::vector<std::string> out;
  for (std::sregex_iterator it(value.begin(), value.end(), olb), end; it != end; ++it)
    out.push_back((*it)[1]);
  return out;
}

// Where a source of the images must go: its directory's object list.
std::string list_for(const std::string& rel) {
  static const std::map<std::string, std::string> lists = {
      {"src/msg", "MSG_OBJS"},          {"src/commands", "COMMANDS_OBJS"},
      {"src/config", "CONFIG_OBJS"},    {"src/cli", "CLI_OBJS"},
      {"src/help", "HELP_OBJS"},        {"src/core", "CORE_OBJS"},
      {"src/platform/vms", "VMS_OBJS"}, {"src/supervisord", "SUPD_OBJS"},
      {"src/supervisor", "SUPC_OBJS"}};
  auto it = lists.find(rel.substr(0, rel.rfind('/')));
  return it == lists.end() ? "" : it->second;
}

// What is wrong with a description file against the list of the images' sources (empty:
// nothing).  Every source must be compiled (an "$(OBJDIR)STEM.OBJ : [.DIR]STEM.CPP" line)
// into an object of its directory's list; no other [.SRC...] source may be named, but
// the build-time generator's two.
std::vector<std::string> check_sources(const std::string& text,
                                       const std::vector<std::string>& sources) {
  std::vector<std::string> problems;
  const Descrip d = parse_descrip(text);
  std::set<std::string> expected = {"[.SRC.MSG]SUP_GEN.CPP", "[.SRC.MSG]MSG_PARSER.CPP"};
  for (const auto& s : sources) {
    expected.insert(vms_spec(s));
    const std::string dep = "$(OBJDIR)" + stem(s) + ".OBJ : " + vms_spec(s);
    if (std::find(d.lines.begin(), d.lines.end(), dep) == d.lines.end())
      problems.push_back("no rule \"" + dep + "\"");
    const std::string list = list_for(s);
    auto m = d.macros.find(list);
    const auto objs = m == d.macros.end() ? std::vector<std::string>{} : objects_in(m->second);
    if (std::find(objs.begin(), objs.end(), stem(s)) == objs.end())
      problems.push_back(s + " is not in " + (list.empty() ? "any list" : list));
  }
  static const std::regex spec(R"(\[\.SRC(\.[A-Z0-9_]+)+\][A-Z0-9_]+\.(CPP|C|HPP))");
  for (std::sregex_iterator it(text.begin(), text.end(), spec), end; it != end; ++it)
    if (!expected.count(it->str()))
      problems.push_back(it->str() + " is not a source CMake compiles");
  return problems;
}

TEST(DescripMms, CompilesExactlyTheSourcesOfTheOpenVmsImages) {
  const auto sources = vms_sources();
  ASSERT_GT(sources.size(), 50u);
  for (const auto& p : check_sources(descrip(), sources)) ADD_FAILURE() << p;
}

TEST(DescripMms, TheSourceCheckSeesWhatIsMissingOrExtra) {
  const std::string mms =
      "A_OBJS = x\n"
      "CORE_OBJS = $(OBJDIR)TABLE_ENTRY.OBJ, -\n"
      "    $(OBJDIR)OLD.OBJ\n"
      "$(OBJDIR)TABLE_ENTRY.OBJ : [.SRC.CORE]TABLE_ENTRY.CPP\n"
      "$(OBJDIR)OLD.OBJ : [.SRC.CORE]OLD.CPP\n"
      "$(OBJDIR)VMS_X.OBJ : [.SRC.PLATFORM.VMS]VMS_X.CPP ! compiled, in no list\n";
  const auto problems = check_sources(
      mms, {"src/core/table_entry.cpp", "src/core/new.cpp", "src/platform/vms/vms_x.cpp"});
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_NE(problems[0].find("[.SRC.CORE]NEW.CPP"), std::string::npos) << problems[0];
  EXPECT_NE(problems[1].find("new.cpp is not in CORE_OBJS"), std::string::npos) << problems[1];
  EXPECT_NE(problems[2].find("vms_x.cpp is not in VMS_OBJS"), std::string::npos) << problems[2];
  EXPECT_NE(problems[3].find("[.SRC.CORE]OLD.CPP"), std::string::npos) << problems[3];
}

TEST(DescripMms, ListsEveryPortableSource) {
  std::string mms = descrip();
  ASSERT_FALSE(mms.empty());
  auto sources = portable_sources();
  ASSERT_GT(sources.size(), 5u);
  for (auto& s : sources) EXPECT_NE(mms.find(vms_spec(s)), std::string::npos) << s;
}

// The images link their programs' objects and the module libraries, each library before
// every library it uses (the layers of CMakeLists.txt), and every library that an image
// links is built from a list that is defined and not empty.
TEST(DescripMms, LinksBothImagesInLayerOrder) {
  const Descrip d = parse_descrip(descrip());
  const auto sources = vms_sources();
  const bool backend = std::any_of(sources.begin(), sources.end(), [](const std::string& s) {
    return s.rfind("src/platform/vms/", 0) == 0;
  });
  std::vector<std::string> daemon = {"SUP_CORE", "SUP_CONFIG", "SUP_COMMANDS", "SUP_MSG"};
  std::vector<std::string> client = {"SUP_CLI",    "SUP_HELP",     "SUP_CORE",
                                     "SUP_CONFIG", "SUP_COMMANDS", "SUP_MSG"};
  if (backend) {  // sup_vms -> sup_config, sup_msg (as sup_posix)
    daemon.insert(daemon.begin() + 1, "SUP_VMS");
    client.insert(client.begin() + 3, "SUP_VMS");
  }
  ASSERT_TRUE(d.macros.count("DAEMON_LIBS"));
  ASSERT_TRUE(d.macros.count("CLIENT_LIBS"));
  EXPECT_EQ(libraries_in(d.macros.at("DAEMON_LIBS")), daemon);
  EXPECT_EQ(libraries_in(d.macros.at("CLIENT_LIBS")), client);
  auto has_line = [&](const std::string& l) {
    return std::find(d.lines.begin(), d.lines.end(), l) != d.lines.end();
  };
  EXPECT_TRUE(
      has_line("$(LINK)$(LINKFLAGS) $(SUPD_OBJS), $(OBJDIR)SUPERVISOR_MSG.OBJ, $(DAEMON_LIBS)"));
  EXPECT_TRUE(
      has_line("$(LINK)$(LINKFLAGS) $(SUPC_OBJS), $(OBJDIR)SUPERVISOR_CLD.OBJ, "
               "$(OBJDIR)SUPERVISOR_MSG.OBJ, $(CLIENT_LIBS)"));
  // Each library: "$(OBJDIR)SUP_X.OLB : $(X_OBJS)", the list defined and not empty.
  for (const auto& lib : client.size() > daemon.size() ? client : daemon) {
    const std::string list = lib.substr(4) + "_OBJS";
    EXPECT_TRUE(has_line("$(OBJDIR)" + lib + ".OLB : $(" + list + ")")) << lib;
    auto m = d.macros.find(list);
    ASSERT_NE(m, d.macros.end()) << list;
    EXPECT_FALSE(objects_in(m->second).empty()) << list;
  }
  for (const auto& lib : daemon) {
    const auto libs = libraries_in(d.macros.at("LIBS"));
    EXPECT_NE(std::find(libs.begin(), libs.end(), lib), libs.end()) << lib << " is not built";
  }
  // Every macro used is defined here or is one of MMS's own.
  static const std::regex use(R"(\$\(([A-Z0-9_$]+)\))");
  static const std::set<std::string> builtin = {"MMS$TARGET", "MMS$SOURCE", "MMS$ARCH_NAME"};
  std::vector<std::string> uses = d.lines;
  for (const auto& [name, value] : d.macros) uses.push_back(value);
  for (const auto& l : uses)
    for (std::sregex_iterator it(l.begin(), l.end(), use), end; it != end; ++it)
      EXPECT_TRUE(d.macros.count((*it)[1]) || builtin.count((*it)[1])) << (*it)[1] << ": " << l;
}

TEST(DescripMms, HasTheVmsRules) {
  std::string mms = descrip();
  for (const char* needed :
       {".SUFFIXES", ".CPP.OBJ", "SET COMMAND", "MESSAGE", "LIBRARY/CREATE/HELP", "__X86_64__",
        "__IA64__", "MMS$ARCH_NAME", "[.OBJ_$(ARCH)]", "CXXLINK", "SUPERVISOR.CLD",
        "SUPERVISOR.MSG", "SUPERVISOR.HLP",
        "$(OBJDIR)SUPERVISORD.EXE :", "$(OBJDIR)SUPERVISOR.EXE :", "$(OBJDIR)SUPERVISOR.HLB :",
        "$(OBJDIR)SUPERVISOR_MSG.EXE :", "LINK /SHAREABLE"})
    EXPECT_NE(mms.find(needed), std::string::npos) << needed;
}

TEST(FileNames, OpenVmsSourcesAreOds2SafeWithUniqueStems) {
  // The objects DESCRIP.MMS makes from other files share the flat directory too.
  std::set<std::string> stems = {
      "SUP_GEN", "MSG_PARSER",     "SUP_MESSAGES_TABLE", "SUP_EMBEDDED",
      "INI",     "SUPERVISOR_MSG", "SUPERVISOR_CLD",     "SUPERVISOR_MSGFILE"};
  auto sources = vms_sources();
  auto portable = portable_sources();
  sources.insert(sources.end(), portable.begin(), portable.end());
  std::sort(sources.begin(), sources.end());
  sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
  for (auto& s : sources) {
    std::string name = s.substr(s.rfind('/') + 1);
    EXPECT_EQ(std::count(name.begin(), name.end(), '.'), 1) << s;
    EXPECT_LE(name.find('.'), 39u) << s;  // ODS-2: at most 39 characters before the dot
    EXPECT_TRUE(std::all_of(name.begin(), name.end(), [](char c) {
      return std::islower(static_cast<unsigned char>(c)) ||
             std::isdigit(static_cast<unsigned char>(c)) || c == '_' || c == '.';
    })) << s;
    if (s == "src/msg/sup_gen.cpp" || s == "src/msg/msg_parser.cpp") continue;  // listed above
    EXPECT_TRUE(stems.insert(stem(s)).second) << "duplicate stem: " << s;
  }
}

}  // namespace
