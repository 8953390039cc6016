// The activity log: supervisord.log's line format, append mode, the mirror stream,
// reopen, and failures that are reported once and never stop the daemon.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/activity_log.hpp"

namespace sup::core {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class CoreLog : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("core_log_test_" +
           std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  fs::path dir;
  std::int64_t ms = 1764093601123;  // any instant; local time depends on TZ
  ActivityLog::WallClockMs clock = [this] { return ms; };
};

TEST(CoreLogFormat, TimestampLikeSupervisord) {
  std::tm t{};
  t.tm_year = 2026 - 1900;
  t.tm_mon = 10;
  t.tm_mday = 25;
  t.tm_hour = 18;
  t.tm_min = 0;
  t.tm_sec = 1;
  EXPECT_EQ(format_log_time(t, 123), "2026-11-25 18:00:01,123");
  EXPECT_EQ(format_log_time(t, 7), "2026-11-25 18:00:01,007");
}

TEST(CoreLogFormat, LevelsFromSeverity) {
  EXPECT_EQ(level_name(level_of(SUP__STARTED)), "INFO");
  EXPECT_EQ(level_name(level_of(SUP__STATECHG)), "INFO");
  EXPECT_EQ(level_name(level_of(SUP__PROGSTOPPED)), "WARN");
  EXPECT_EQ(level_name(level_of(SUP__NOPRIV)), "ERRO");
  EXPECT_EQ(level_name(level_of(SUP__BUG)), "CRIT");
}

TEST_F(CoreLog, AppendsTimestampedLinesAndMirrors) {
  fs::path file = dir / "supervisord.log";
  { std::ofstream(file) << "earlier line\n"; }
  std::ostringstream mirror;
  {
    ActivityLog log(file.string(), &mirror, clock);
    log.log(SUP__STARTED, {std::string("web")});
    ms += 5;
    log.write(LogLevel::Warn, "careful");
    EXPECT_TRUE(log.error().empty());
  }
  std::string text = slurp(file);
  std::regex line(
      "earlier line\n"
      "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,123 INFO web: started\n"
      "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,128 WARN careful\n");
  EXPECT_TRUE(std::regex_match(text, line)) << text;
  EXPECT_EQ(mirror.str(), text.substr(std::string("earlier line\n").size()));
}

TEST_F(CoreLog, ReopenFollowsARotatedFile) {
  fs::path file = dir / "supervisord.log";
  ActivityLog log(file.string(), nullptr, clock);
  log.write(LogLevel::Info, "before");
  fs::rename(file, dir / "supervisord.log.1");
  log.write(LogLevel::Info, "still old");
  log.reopen();
  log.write(LogLevel::Info, "after");
  EXPECT_NE(slurp(dir / "supervisord.log.1").find("still old"), std::string::npos);
  std::string now = slurp(file);
  EXPECT_NE(now.find("after"), std::string::npos);
  EXPECT_EQ(now.find("before"), std::string::npos);
}

TEST_F(CoreLog, OpenFailureIsReportedOnceAndLoggingGoesOn) {
  std::ostringstream mirror;
  ActivityLog log((dir / "no" / "such" / "dir.log").string(), &mirror, clock);
  EXPECT_NE(log.error().find("cannot open"), std::string::npos);
  log.write(LogLevel::Info, "one");
  log.write(LogLevel::Info, "two");
  std::string m = mirror.str();
  EXPECT_EQ(m.find("activity log"), m.rfind("activity log"));  // reported once
  EXPECT_NE(m.find("INFO one"), std::string::npos);            // the mirror still works
  EXPECT_NE(m.find("INFO two"), std::string::npos);
}

TEST_F(CoreLog, WriteFailureIsRememberedAndReportedOnce) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full here";
  std::ostringstream mirror;
  ActivityLog log("/dev/full", &mirror, clock);
  log.write(LogLevel::Info, "lost");
  log.write(LogLevel::Info, "lost too");
  EXPECT_NE(log.error().find("cannot write /dev/full"), std::string::npos);
  std::string m = mirror.str();
  EXPECT_NE(m.find("activity log: cannot write"), std::string::npos);
  EXPECT_EQ(m.find("activity log"), m.rfind("activity log"));
  log.reopen();  // a reopen gives it another chance, and a new report
  EXPECT_TRUE(log.error().empty());
  log.write(LogLevel::Info, "lost again");
  EXPECT_NE(mirror.str().find("activity log"), mirror.str().rfind("activity log"));
}

TEST_F(CoreLog, NoFileMeansMirrorOnly) {
  std::ostringstream mirror;
  ActivityLog log("", &mirror, clock);
  log.log(SUP__LOGREOPEN);
  EXPECT_TRUE(log.error().empty());
  EXPECT_NE(mirror.str().find(",123 INFO log files reopened\n"), std::string::npos);
}

}  // namespace
}  // namespace sup::core
