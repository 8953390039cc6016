// What the client reads of a configuration (load_client_string): [supervisord] table and
// user, with the daemon's reader, expansions and rules; errors in those keys only.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "config/config.hpp"
#include "support/config_env.hpp"

namespace sup::config {
namespace {

using ::testing::ElementsAre;

const std::string kFile = "/etc/sup/supervisord.conf";

Environment test_env(unsigned uid = 1000, std::string runtime_dir = "/run/user/1000") {
  return test::alice_env({{"USER", "alice"}, {"RUN", "/run/app"}}, uid, std::move(runtime_dir));
}

ClientLoadResult client(const std::string& text, const Environment& env = test_env()) {
  return load_client_string(text, kFile, Flavor::Posix, env);
}

std::vector<std::string> messages(const ClientLoadResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics) out.push_back(d.to_string());
  return out;
}

// A program section with errors everywhere: none of the client's business.
const std::string kBrokenProgram =
    "[program:web]\nstartsecs = soon\nbogus = 1\n[frobnicate]\nx = 1\n";

TEST(ConfigClient, ReadsTheTableAndUserAndNothingElse) {
  auto r = client(
      "; a comment\n[supervisord]\nlogfile = /nonexistent/%(ENV_NOPE)s\n"
      "table = /run/sup\nuser = www\n" +
      kBrokenProgram);
  ASSERT_TRUE(r.settings) << messages(r)[0];
  EXPECT_TRUE(r.diagnostics.empty());
  EXPECT_EQ(r.settings->table, "/run/sup");
  EXPECT_EQ(r.settings->user, "www");
  // No program at all, or no [supervisord]: the defaults, as the daemon's.
  auto bare = client("");
  ASSERT_TRUE(bare.settings);
  EXPECT_EQ(bare.settings->table, "/run/user/1000/supervisord");
  EXPECT_EQ(bare.settings->user, "");
  EXPECT_EQ(client("", test_env(0)).settings->table, "/run/supervisord");
  EXPECT_EQ(client("", test_env(1000, "")).settings->table, "/tmp/supervisord-1000");
}

TEST(ConfigClient, TheSameTableAsTheDaemonsLoad) {
  const std::string program = "[program:a]\nuser = alice\n";
  for (const std::string value : {"/run/sup", "%(here)s/table", "table", "../t/./x", "~/t",
                                  "%(ENV_RUN)s/t", "%(ENV_USER)s", "/a/%%b", "  /spaced  "}) {
    const std::string text = "[Supervisord]\ntable = " + value + "\n" + program;
    const auto daemon = load_string(text, kFile, Flavor::Posix, test_env());
    const auto mine = client(text);
    ASSERT_TRUE(daemon.ok()) << value;
    ASSERT_TRUE(mine.settings) << value;
    EXPECT_EQ(mine.settings->table, daemon.config->daemon.table) << value;
  }
  EXPECT_EQ(client("[supervisord]\ntable = %(here)s/t\n").settings->table, "/etc/sup/t");
}

TEST(ConfigClient, ErrorsInItsKeysAreReportedWithTheirLine) {
  auto r = client("[supervisord]\ntable = %(ENV_NOPE)s/t\nuser = a b\ntable = /x\n");
  EXPECT_FALSE(r.settings);
  EXPECT_EQ(r.error_count(), 3);
  const auto m = messages(r);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].rfind(kFile + ":2: [supervisord] table: ", 0), 0u) << m[0];
  EXPECT_NE(m[0].find("NOPE"), std::string::npos) << m[0];
  EXPECT_EQ(m[1].rfind(kFile + ":3: [supervisord] user: expected a user name", 0), 0u) << m[1];
  EXPECT_EQ(m[2], kFile + ":4: [supervisord] table: given twice (first at line 2)");
}

TEST(ConfigClient, SyntaxErrorsCountOnlyInsideSupervisord) {
  // A line that is no key could be the table, misspelt: the client cannot know.
  auto inside = client("[supervisord]\ntable /run/sup\n[program:a]\nuser = x\n");
  EXPECT_FALSE(inside.settings);
  EXPECT_THAT(messages(inside),
              ElementsAre(kFile + ":2: expected 'key = value', a [section] header or a comment"));
  // Elsewhere, or an over-long line of another key, or after a broken header that ends
  // the section: not the client's concern.
  auto outside =
      client("[supervisord]\ntable = /run/sup\ncommand = " + std::string(300, 'x') +
             "\n[program:a\nstray line\n[program:b]\nanother stray\n[supervisord]\ntable = /y\n");
  ASSERT_TRUE(outside.settings) << messages(outside)[0];
  EXPECT_EQ(outside.settings->table, "/run/sup");  // the first [supervisord], as the daemon
}

TEST(ConfigClient, AFileThatCannotBeReadSaysWhy) {
  auto r = load_client_file("/nonexistent/s.conf", Flavor::Posix, test_env());
  EXPECT_FALSE(r.settings);
  EXPECT_EQ(r.open_error, "No such file or directory");
}

}  // namespace
}  // namespace sup::config
