// The layers of doc/architecture.md section 2, kept by the #include lines: a module may
// include only itself and the modules below it.  CMake links each module's library only
// to the libraries below it; this test catches a header included from above, which the
// linker would not notice while the code it needs is inline.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// The layer of a path inside src/ ("core/supervisor.hpp" -> "core"); the seam header is
// a layer of its own, and each backend directory is one.
std::string layer_of(const std::string& path) {
  if (path == "platform/platform.hpp") return "seam";
  if (path.rfind("platform/", 0) == 0) {
    const auto rest = path.substr(9);
    return rest.substr(0, rest.find('/'));  // "posix", "vms"
  }
  return path.substr(0, path.find('/'));
}

// What each layer may include (itself always).  The mains may include everything.
const std::map<std::string, std::set<std::string>>& allowed() {
  static const std::map<std::string, std::set<std::string>> table = {
      {"msg", {}},
      {"commands", {"msg"}},
      {"config", {"msg"}},
      {"cli", {"msg", "commands"}},
      {"help", {"msg"}},
      {"seam", {}},
      {"core", {"msg", "commands", "config", "seam"}},
      {"posix", {"msg", "config", "seam"}},
      {"vms", {"msg", "config", "seam"}},
  };
  return table;
}

// True when a file of layer `from` may include the project header `header` (a path
// relative to src/, or a bare name for a header generated into the build directory).
bool may_include(const std::string& from, const std::string& header) {
  if (from == "supervisord" || from == "supervisor" || from == "sup_check") return true;
  // Generated headers have no directory: sup_messages.hpp belongs to msg.
  const std::string to = header.find('/') == std::string::npos ? "msg" : layer_of(header);
  if (to == from) return true;
  const auto it = allowed().find(from);
  return it != allowed().end() && it->second.count(to) != 0;
}

// "src/core/x.cpp:12: includes \"platform/posix/posix_fd.hpp\"" for every bad line.
std::vector<std::string> violations(const fs::path& src) {
  static const std::regex include(R"re(^\s*#\s*include\s*"([^"]+)")re");
  std::vector<std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(src)) {
    const auto ext = entry.path().extension();
    if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp")) continue;
    const std::string rel = fs::relative(entry.path(), src).generic_string();
    const std::string from = layer_of(rel);
    std::ifstream in(entry.path());
    int n = 0;
    std::smatch m;
    for (std::string line; std::getline(in, line);) {
      ++n;
      if (std::regex_search(line, m, include) && !may_include(from, m[1]))
        out.push_back("src/" + rel + ":" + std::to_string(n) + ": " + from + " includes \"" +
                      m[1].str() + "\"");
    }
  }
  return out;
}

TEST(Layering, EveryIncludeIsOfTheSameLayerOrBelow) {
  const fs::path src = fs::path(SUP_SOURCE_DIR) / "src";
  ASSERT_TRUE(fs::is_directory(src));
  for (const auto& v : violations(src)) ADD_FAILURE() << v;
}

TEST(Layering, TheRulesRefuseWhatIsAbove) {
  EXPECT_TRUE(may_include("core", "platform/platform.hpp"));
  EXPECT_TRUE(may_include("core", "config/config.hpp"));
  EXPECT_TRUE(may_include("posix", "config/config.hpp"));
  EXPECT_TRUE(may_include("msg", "sup_messages.hpp"));
  EXPECT_TRUE(may_include("supervisor", "platform/posix/posix_channel.hpp"));
  EXPECT_FALSE(may_include("core", "platform/posix/posix_fd.hpp"));  // the seam, not a backend
  EXPECT_FALSE(may_include("posix", "core/supervisor.hpp"));  // a backend never sees the core
  EXPECT_FALSE(may_include("msg", "config/config.hpp"));
  EXPECT_FALSE(may_include("config", "cli/request_parse.hpp"));
  EXPECT_FALSE(may_include("commands", "cli/request_parse.hpp"));
  EXPECT_FALSE(may_include("help", "commands/command_list.hpp"));
  EXPECT_FALSE(may_include("cli", "help/help_session.hpp"));
  EXPECT_FALSE(may_include("help", "core/protocol.hpp"));
  EXPECT_FALSE(may_include("seam", "msg/message.hpp"));  // the seam is plain C++ types
  EXPECT_FALSE(may_include("core", "supervisor/client_exec.hpp"));
}

}  // namespace
