// The configuration files shipped in conf/ load without errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "config/config.hpp"

namespace sup::config {
namespace {

using ::testing::HasSubstr;

Environment demo_env(bool with_user) {
  Environment env;
  env.uid = 1000;
  env.cwd = "/";
  env.getenv = [with_user](const std::string& name) -> std::optional<std::string> {
    if (with_user && name == "USER") return std::string("demo");
    return std::nullopt;
  };
  return env;
}

std::string all(const LoadResult& r) {
  std::string out;
  for (const auto& d : r.diagnostics) out += d.to_string() + "\n";
  return out;
}

TEST(ConfigFiles, DemoLoadsWithoutDiagnostics) {
  const std::string path = SUP_SOURCE_DIR "/conf/demo.conf";
  const auto r = load_file(path, Flavor::Posix, demo_env(true));
  ASSERT_TRUE(r.ok()) << all(r);
  EXPECT_TRUE(r.diagnostics.empty()) << all(r);
  const auto& c = *r.config;
  const std::string demo_dir = std::string(SUP_SOURCE_DIR) + "/build/demo";
  EXPECT_EQ(c.daemon.logfile, demo_dir + "/supervisord.log");
  EXPECT_EQ(c.daemon.table, demo_dir + "/table");
  ASSERT_GE(c.programs.size(), 3u);
  const auto* ticker = c.find("ticker");
  ASSERT_NE(ticker, nullptr);
  EXPECT_EQ(ticker->user, "demo");
  EXPECT_EQ(ticker->image, "/bin/sh");
  EXPECT_EQ(ticker->arguments,
            std::vector<std::string>({"-c", "while true; do date; sleep 2; done"}));
  EXPECT_EQ(ticker->stdout_file, demo_dir + "/ticker.log");
  const auto* flaky = c.find("flaky");
  ASSERT_NE(flaky, nullptr);
  EXPECT_EQ(flaky->autorestart, Autorestart::True);
  EXPECT_EQ(flaky->startsecs, 1);
  EXPECT_THAT(flaky->arguments.at(1), HasSubstr("exit 1"));
  const auto* greeter = c.find("greeter");
  ASSERT_NE(greeter, nullptr);
  EXPECT_FALSE(greeter->autostart);
  EXPECT_THAT(greeter->arguments.at(1), HasSubstr("hello from greeter"));
}

TEST(ConfigFiles, DemoNeedsTheUserVariable) {
  const auto r = load_file(SUP_SOURCE_DIR "/conf/demo.conf", Flavor::Posix, demo_env(false));
  EXPECT_FALSE(r.ok());
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_THAT(r.diagnostics[0].to_string(),
              HasSubstr("demo.conf:17: [program:ticker] user: %(ENV_USER)s: the environment "
                        "variable USER is not set"));
}

TEST(ConfigFiles, TemplateLoadsAsVmsWithoutDiagnostics) {
  const auto r =
      load_file(SUP_SOURCE_DIR "/conf/supervisord.conf_template", Flavor::Vms, demo_env(false));
  ASSERT_TRUE(r.ok()) << all(r);
  EXPECT_TRUE(r.diagnostics.empty()) << all(r);
  const auto& c = *r.config;
  EXPECT_EQ(c.daemon.user, "SYSTEM");
  EXPECT_EQ(c.daemon.table, "SUPERVISORD_TABLE");
  ASSERT_EQ(c.programs.size(), 2u);
  const auto& web = c.programs[0];
  EXPECT_EQ(web.process_name, "WEB_web");
  EXPECT_EQ(web.quotas.size(), 13u);
  EXPECT_EQ(web.privileges, std::vector<std::string>({"TMPMBX", "NETMBX"}));
  EXPECT_EQ(web.exitcodes, std::vector<std::uint32_t>({1, 0x10000001}));
}

}  // namespace
}  // namespace sup::config
