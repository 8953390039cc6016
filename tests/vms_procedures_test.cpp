// The DCL procedures of com/ (build, install, startup, the daemon's SUPERVISORD.COM template,
// the smoke test) cannot run here.  These tests check what can be checked without
// OpenVMS: that each procedure is well formed (every line a command or a continuation,
// every label it jumps to defined, IF/ENDIF and SUBROUTINE/ENDSUBROUTINE balanced), and
// that it agrees with the project: every file it names is built by DESCRIP.MMS or is in
// the repository and is installed by INSTALL.COM; the verb, its image's logical name, the
// help topic, the actions and the messages are those of the .CLD, .HLP and .MSG; the
// daemon's privileges are the seed's, everywhere they are listed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

const fs::path kRoot = SUP_SOURCE_DIR;

// The procedures: every *.COM of com/ and the template of SUPERVISORD.COM.
std::vector<fs::path> procedures() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(kRoot / "com")) {
    const std::string name = upper(e.path().filename().string());
    if (name.size() > 4 &&
        (name.substr(name.size() - 4) == ".COM" || name == "SUPERVISORD.COM_TEMPLATE"))
      out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A line without its comment: "!" outside a quoted string ("" inside quotes is a quote).
std::string strip_comment(const std::string& line) {
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    if (line[i] == '!' && !quoted) return line.substr(0, i);
  }
  return line;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// The commands of a procedure, upper case, comments removed, continuation lines ("-" at
// the end) joined; each problem of form goes to `problems`.
std::vector<std::string> commands_of(const std::string& text, std::vector<std::string>& problems) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string pending;
  bool continued = false;
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty()) continue;
    if (!continued) {
      if (line[0] != '$') {
        problems.push_back("line " + std::to_string(number) + " is neither a command nor a " +
                           "continuation: " + line);
        continue;
      }
      line = line.substr(1);
    }
    std::string body = trim(strip_comment(line));
    continued = !body.empty() && body.back() == '-';
    if (continued) body.pop_back();
    pending += (pending.empty() ? "" : " ") + trim(body);
    if (!continued) {
      if (!pending.empty()) out.push_back(upper(pending));
      pending.clear();
    }
  }
  if (continued) problems.push_back("the last line ends in a continuation");
  return out;
}

// A command with its quoted strings emptied ("GOTO x" written to a file is no jump).
std::string unquoted(const std::string& command) {
  std::string out;
  bool quoted = false;
  for (char c : command) {
    if (c == '"') quoted = !quoted;
    if (!quoted || c == '"') out += c;
  }
  return out;
}

// The problems of form of one procedure.
std::vector<std::string> lint(const std::string& text) {
  std::vector<std::string> problems;
  auto commands = commands_of(text, problems);
  for (auto& c : commands) c = unquoted(c);
  static const std::regex label(R"(^([A-Z0-9_$]+):\s*(SUBROUTINE)?$)");
  static const std::regex jump(
      R"(\b(GOTO|GOSUB|CALL)\s+([A-Z0-9_$]+)|/(ERROR|END_OF_FILE)=([A-Z0-9_$]+))");
  std::set<std::string> labels, subroutines;
  std::smatch m;
  for (const auto& c : commands)
    if (std::regex_match(c, m, label)) (m[2].matched ? subroutines : labels).insert(m[1]);
  int ifs = 0, endifs = 0, subs = 0, endsubs = 0;
  for (const auto& c : commands) {
    for (std::sregex_iterator it(c.begin(), c.end(), jump), end; it != end; ++it) {
      const auto& j = *it;
      if (j[1].matched && j[1] == "CALL") {
        if (!subroutines.count(j[2])) problems.push_back("CALL of no SUBROUTINE " + j[2].str());
      } else {
        const std::string target = j[2].matched ? j[2].str() : j[4].str();
        if (!labels.count(target)) problems.push_back("jump to no label " + target);
      }
    }
    if (c.rfind("IF ", 0) == 0 && c.find(" THEN") == std::string::npos) ++ifs;
    if (c == "ENDIF") ++endifs;
    if (std::regex_match(c, m, label) && m[2].matched) ++subs;
    if (c == "ENDSUBROUTINE") ++endsubs;
  }
  if (ifs != endifs)
    problems.push_back(std::to_string(ifs) + " IF blocks, " + std::to_string(endifs) + " ENDIF");
  if (subs != endsubs)
    problems.push_back(std::to_string(subs) + " SUBROUTINE, " + std::to_string(endsubs) +
                       " ENDSUBROUTINE");
  return problems;
}

TEST(VmsProcedures, AreWellFormed) {
  const auto files = procedures();
  ASSERT_GE(files.size(), 5u);  // BUILD, INSTALL, SUPERVISOR_STARTUP, SUPERVISOR_SMOKE, template
  for (const auto& f : files)
    for (const auto& p : lint(slurp(f))) ADD_FAILURE() << f.filename() << ": " << p;
}

TEST(VmsProcedures, TheLintSeesWhatIsWrong) {
  const auto problems = lint(
      "$ IF x\n"
      "$ THEN\n"
      "$   GOTO nowhere\n"
      "$ CALL nosub\n"
      "$ here:\n"
      "$ GOTO here     ! fine\n"
      "$ WRITE out \"$ GOTO elsewhere\"  ! a line written to a file, no jump\n"
      "not a command\n");
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_NE(problems[0].find("not a command"), std::string::npos) << problems[0];
  EXPECT_NE(problems[1].find("NOWHERE"), std::string::npos) << problems[1];
  EXPECT_NE(problems[2].find("NOSUB"), std::string::npos) << problems[2];
  EXPECT_NE(problems[3].find("1 IF blocks, 0 ENDIF"), std::string::npos) << problems[3];
}

std::string procedure(const std::string& name) {
  for (const auto& f : procedures())
    if (upper(f.filename().string()) == name) return upper(slurp(f));
  ADD_FAILURE() << "no com/" << name;
  return "";
}

// Is there a file of this name (case-blind, as on OpenVMS) in the repository directory?
bool in_repo(const std::string& dir, const std::string& name) {
  if (!fs::is_directory(kRoot / dir)) return false;
  for (const auto& e : fs::directory_iterator(kRoot / dir))
    if (upper(e.path().filename().string()) == upper(name)) return true;
  return false;
}

// Every NAME.TYP the procedures (and the CLD) take from SUPERVISOR_DIR: is put there by
// INSTALL.COM: built by DESCRIP.MMS into [.OBJ_<arch>] (and part of its target ALL), or
// copied from a file of the repository.  Every SYS$STARTUP: file they use, likewise.
TEST(VmsProcedures, EveryFileTheyUseIsBuiltOrShippedAndInstalled) {
  const std::string install = procedure("INSTALL.COM");
  const std::string mms = upper(slurp(kRoot / "DESCRIP.MMS"));
  const auto all =
      mms.substr(mms.find("\nALL :"), mms.find("\n\t", mms.find("\nALL :")) - mms.find("\nALL :"));
  std::smatch m;
  std::set<std::string> built;  // INSTALL's list of what MMS builds
  ASSERT_TRUE(std::regex_search(install, m, std::regex(R"re(\$ FILES = "([A-Z0-9_.,$]+)")re")));
  for (std::size_t at = 0, next; at <= m[1].str().size(); at = next + 1) {
    next = m[1].str().find(',', at);
    if (next == std::string::npos) next = m[1].str().size();
    const std::string f = m[1].str().substr(at, next - at);
    built.insert(f);
    EXPECT_NE(mms.find("\n$(OBJDIR)" + f + " :"), std::string::npos) << f << ": no rule";
    EXPECT_NE(all.find("$(OBJDIR)" + f), std::string::npos) << f << ": not in ALL";
  }
  // The files INSTALL copies from the repository: COPY 'prot' [.DIR]NAME 'where'NAME.
  static const std::regex copy(R"(COPY 'PROT' \[\.([A-Z]+)\]([A-Z0-9_.$]+) (\S+))");
  std::set<std::string> shipped;
  for (std::sregex_iterator it(install.begin(), install.end(), copy), end; it != end; ++it) {
    const std::string dir = (*it)[1], name = (*it)[2], to = (*it)[3];
    std::string repo_dir = dir;
    for (auto& c : repo_dir) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_TRUE(in_repo(repo_dir, name))
        << "INSTALL copies [." << dir << "]" << name << ", which is not in the repository";
    if (to.rfind("SYS$STARTUP:", 0) == 0)
      shipped.insert(to);
    else
      shipped.insert("SUPERVISOR_DIR:" + to.substr(to.find('\'', 1) + 1));
  }
  for (const auto& f : built) shipped.insert("SUPERVISOR_DIR:" + f);
  // What is used: SUPERVISOR_DIR:NAME.TYP and SYS$STARTUP:NAME.TYP in the procedures, the
  // CLD's IMAGE, and the configuration template's [supervisord] command.
  std::string users = upper(slurp(kRoot / "cld/SUPERVISOR.CLD"));
  for (const auto& f : procedures()) users += upper(slurp(f));
  users += upper(slurp(kRoot / "conf/supervisord.conf_template"));
  static const std::regex use(R"((SUPERVISOR_DIR:|SYS\$STARTUP:)([A-Z0-9_$]+\.[A-Z0-9_$]+))");
  std::set<std::string> used;
  for (std::sregex_iterator it(users.begin(), users.end(), use), end; it != end; ++it)
    used.insert((*it)[1].str() + (*it)[2].str());
  ASSERT_GE(used.size(), 6u);
  for (const auto& u : used) {
    if (u == "SUPERVISOR_DIR:SUPERVISORD.CONF") continue;  // the site's, from the template
    EXPECT_TRUE(shipped.count(u)) << u << " is not installed";
  }
}

// The .MSG's messages and their severities (W S E I F = 0..4, as $SEVERITY).
std::map<std::string, int> message_severities(std::string& facility) {
  std::map<std::string, int> out;
  static const std::map<std::string, int> severity = {
      {"WARNING", 0}, {"SUCCESS", 1}, {"ERROR", 2}, {"INFORMATIONAL", 3}, {"FATAL", 4}};
  std::istringstream in(upper(slurp(kRoot / "msg/SUPERVISOR.MSG")));
  int current = -1;
  std::smatch m;
  for (std::string line; std::getline(in, line);) {
    line = trim(line);
    if (std::regex_match(line, m, std::regex(R"(\.FACILITY\s+([A-Z0-9_$]+),.*)"))) facility = m[1];
    if (std::regex_match(line, m, std::regex(R"(\.SEVERITY\s+([A-Z]+))")))
      current = severity.at(m[1]);
    else if (std::regex_match(line, m, std::regex(R"(([A-Z0-9_]+)\s+<.*)")))
      out[m[1]] = current;
  }
  return out;
}

TEST(VmsProcedures, AgreeWithTheCldHlpAndMsg) {
  const std::string cld = upper(slurp(kRoot / "cld/SUPERVISOR.CLD"));
  const std::string hlp = upper(slurp(kRoot / "help/SUPERVISOR.HLP"));
  const std::string startup = procedure("SUPERVISOR_STARTUP.COM");
  const std::string smoke = procedure("SUPERVISOR_SMOKE.COM");
  const std::string daemon = procedure("SUPERVISORD.COM_TEMPLATE");
  std::smatch m;
  // The verb and its image: the logical name of the IMAGE clause is the one the startup
  // (system-wide) and the smoke test (for its process) define.
  ASSERT_TRUE(std::regex_search(cld, m, std::regex(R"(DEFINE VERB ([A-Z_]+))")));
  const std::string verb = m[1];
  ASSERT_TRUE(std::regex_search(cld, m, std::regex(R"re(IMAGE "([A-Z_$]+):([A-Z_]+\.EXE)")re")));
  const std::string logical = m[1];
  EXPECT_NE(startup.find("DEFINE/SYSTEM/EXECUTIVE_MODE/NOLOG " + logical + " "), std::string::npos);
  EXPECT_NE(smoke.find("DEFINE/PROCESS/NOLOG " + logical + " "), std::string::npos);
  EXPECT_NE(startup.find("SET COMMAND/TABLES=SYS$LIBRARY:DCLTABLES"), std::string::npos);
  // The help library's top topic is the verb (HELP SUPERVISOR), installed as HLP$LIBRARY_n.
  EXPECT_TRUE(std::regex_search(hlp, m, std::regex("\n1 ([A-Z_]+)\n")));
  EXPECT_EQ(m[1], verb);
  EXPECT_NE(startup.find("HLP$LIBRARY_"), std::string::npos);
  // The table: the configuration's default, created with no access for GROUP/WORLD.
  const std::string conf = upper(slurp(kRoot / "conf/supervisord.conf_template"));
  EXPECT_NE(conf.find(";TABLE = SUPERVISORD_TABLE"), std::string::npos);
  EXPECT_NE(startup.find("/PARENT_TABLE=LNM$SYSTEM_DIRECTORY"), std::string::npos);
  EXPECT_NE(startup.find("/PROTECTION=(S:RWCD,O:RWCD,G,W) SUPERVISORD_TABLE"), std::string::npos);
  // The process name the startup gives the daemon is the one its procedure keeps.
  EXPECT_NE(startup.find("/PROCESS_NAME=\"SUPERVISORD\""), std::string::npos);
  EXPECT_NE(daemon.find("SET PROCESS/NAME=\"SUPERVISORD\""), std::string::npos);
  // Every action the smoke test runs is a keyword of the verb's actions, and every
  // message it expects has the severity it expects in the .MSG, under its facility.
  std::set<std::string> actions;
  static const std::regex keyword(R"(KEYWORD ([A-Z]+),)");
  for (std::sregex_iterator it(cld.begin(), cld.end(), keyword), end; it != end; ++it)
    actions.insert((*it)[1]);
  std::string facility;
  const auto severities = message_severities(facility);
  EXPECT_EQ(facility, verb);
  EXPECT_NE(smoke.find("\"%" + facility + "-\""), std::string::npos);
  static const std::regex expect(R"re(CALL EXPECT ([0-4]) "([A-Z_]*)" "([A-Z]+)[ "])re");
  int checks = 0;
  for (std::sregex_iterator it(smoke.begin(), smoke.end(), expect), end; it != end; ++it) {
    ++checks;
    const auto& e = *it;
    EXPECT_TRUE(actions.count(e[3])) << e[3] << " is not an action of the verb";
    if (e[2].length() == 0) continue;
    auto s = severities.find(e[2]);
    ASSERT_NE(s, severities.end()) << e[2] << " is not in SUPERVISOR.MSG";
    EXPECT_EQ(s->second, std::stoi(e[1])) << e[2];
  }
  EXPECT_GE(checks, 8);
  EXPECT_NE(smoke.find("SUPERVISOR STATUS SMOKE"), std::string::npos);
}

// The daemon's privileges are the seed's list (supervisor-vms-README.txt: ALTPRI,
// SYSNAM, PRMMBX, IMPERSONATE, SETPRV, WORLD) in the procedure that enables them, the
// smoke test, INSTALL's advice and the README.
TEST(VmsProcedures, TheDaemonsPrivilegesAreTheSeedsEverywhere) {
  const std::vector<std::string> seed = {"ALTPRI",      "SYSNAM", "PRMMBX",
                                         "IMPERSONATE", "SETPRV", "WORLD"};
  std::smatch m;
  for (const char* name : {"SUPERVISORD.COM_TEMPLATE", "SUPERVISOR_SMOKE.COM"}) {
    const std::string text = procedure(name);
    ASSERT_TRUE(std::regex_search(text, m, std::regex(R"re(PRIVILEGES = "([A-Z_,]+)")re"))) << name;
    std::vector<std::string> listed;
    std::istringstream in(m[1].str());
    for (std::string p; std::getline(in, p, ',');) listed.push_back(p);
    EXPECT_EQ(listed, seed) << name;
  }
  const std::string install = procedure("INSTALL.COM");
  const std::string readme = upper(slurp(kRoot / "README.md"));
  const auto vms = readme.find("## ON OPENVMS");
  ASSERT_NE(vms, std::string::npos);
  for (const auto& p : seed) {
    EXPECT_NE(install.find(p), std::string::npos) << p;
    EXPECT_NE(readme.find(p, vms), std::string::npos) << p;
  }
}

}  // namespace
