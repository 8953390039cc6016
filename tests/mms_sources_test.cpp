// DESCRIP.MMS (the OpenVMS build) must list every portable source that CMake compiles,
// spelled as an OpenVMS file specification: src/msg/message.cpp -> [.SRC.MSG]MESSAGE.CPP.
// Also checks the ODS-2 naming rule: lowercase [a-z0-9_], one dot, unique stems.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

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

std::vector<std::string> portable_sources() {
  std::istringstream in(slurp(SUP_PORTABLE_LIST));
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

TEST(DescripMms, ListsEveryPortableSource) {
  std::string mms = upper(slurp(std::string(SUP_SOURCE_DIR) + "/DESCRIP.MMS"));
  ASSERT_FALSE(mms.empty());
  auto sources = portable_sources();
  ASSERT_GT(sources.size(), 5u);
  for (auto& s : sources) EXPECT_NE(mms.find(vms_spec(s)), std::string::npos) << s;
}

TEST(DescripMms, HasTheVmsRules) {
  std::string mms = upper(slurp(std::string(SUP_SOURCE_DIR) + "/DESCRIP.MMS"));
  for (const char* needed :
       {".SUFFIXES", ".CPP.OBJ", "SET COMMAND", "MESSAGE", "LIBRARY/CREATE/HELP", "__X86_64__",
        "SUPERVISOR.CLD", "SUPERVISOR.MSG", "SUPERVISOR.HLP"})
    EXPECT_NE(mms.find(needed), std::string::npos) << needed;
}

TEST(FileNames, PortableSourcesAreOds2SafeWithUniqueStems) {
  std::set<std::string> stems;
  for (auto& s : portable_sources()) {
    std::string name = s.substr(s.rfind('/') + 1);
    EXPECT_EQ(std::count(name.begin(), name.end(), '.'), 1) << s;
    EXPECT_TRUE(std::all_of(name.begin(), name.end(), [](char c) {
      return std::islower(c) || std::isdigit(c) || c == '_' || c == '.';
    })) << s;
    EXPECT_TRUE(stems.insert(name.substr(0, name.find('.'))).second) << "duplicate stem: " << s;
  }
}

}  // namespace
