// supervisorctl's status line pieces, exactly: column widths, uptimes (Python's
// str(timedelta)), stop dates, and the description per state.
#include <gtest/gtest.h>

#include "core/status_format.hpp"
#include "core/table_entry.hpp"

namespace sup::core {
namespace {

TEST(CoreStatus, NameColumnIsMax30OrLongestPlus3) {
  EXPECT_EQ(status_name_width({}), 33u);
  EXPECT_EQ(status_name_width({"web", "api"}), 33u);
  EXPECT_EQ(status_name_width({"web", std::string(40, 'x')}), 43u);
}

TEST(CoreStatus, LineLikeSupervisorctl) {
  // supervisorctl: '%(namespec)-' + str(maxlen+3) + 's%(state)-10s%(desc)s', maxlen >= 30:
  // "web" then 30 blanks.  (Hand-written examples of this line have been seen with one
  // blank more: the rule in doc/behaviour.md section 4 is what counts.)
  std::string pad(30, ' ');
  EXPECT_EQ(format_status_line("web", 33, State::Running, "pid 4711, uptime 0:03:12"),
            "web" + pad + "RUNNING   pid 4711, uptime 0:03:12");
  EXPECT_EQ(format_status_line("web", 33, State::Starting, ""), "web" + pad + "STARTING  ");
  // A name longer than the column is never cut.
  EXPECT_EQ(format_status_line("abcdef", 4, State::Fatal, "x"), "abcdefFATAL     x");
}

TEST(CoreStatus, UptimeLikePythonTimedelta) {
  EXPECT_EQ(format_uptime(0), "0:00:00");
  EXPECT_EQ(format_uptime(5), "0:00:05");
  EXPECT_EQ(format_uptime(192), "0:03:12");
  EXPECT_EQ(format_uptime(86399), "23:59:59");
  EXPECT_EQ(format_uptime(86400), "1 day, 0:00:00");
  EXPECT_EQ(format_uptime(86400 + 2 * 3600 + 11 * 60 + 57), "1 day, 2:11:57");
  EXPECT_EQ(format_uptime(3 * 86400 + 1), "3 days, 0:00:01");
  EXPECT_EQ(format_uptime(-5), "0:00:00");
}

TEST(CoreStatus, StopTimeLikeStrftimeBdIMp) {
  std::tm t{};
  t.tm_mon = 10;
  t.tm_mday = 25;
  t.tm_hour = 18;
  t.tm_min = 19;
  EXPECT_EQ(format_stop_time(t), "Nov 25 06:19 PM");
  t.tm_mon = 0;
  t.tm_mday = 3;
  t.tm_hour = 0;
  t.tm_min = 5;
  EXPECT_EQ(format_stop_time(t), "Jan 03 12:05 AM");
  t.tm_hour = 12;
  EXPECT_EQ(format_stop_time(t), "Jan 03 12:05 PM");
}

TEST(CoreStatus, DescriptionPerState) {
  StatusFacts f;
  f.name = "web";
  f.pid = "4711";
  f.uptime = 192;
  f.state = State::Running;
  EXPECT_EQ(status_description(f), "pid 4711, uptime 0:03:12");
  f.state = State::Stopped;
  EXPECT_EQ(status_description(f), "Not started");
  f.state = State::Exited;
  f.ever_started = true;
  f.stopped_wall = 1764094740;
  EXPECT_EQ(status_description(f), format_stop_time(std::int64_t{1764094740}));
  f.state = State::Fatal;
  f.reason = "cannot execute /x: No such file or directory";
  EXPECT_EQ(status_description(f), f.reason);
  f.reason.clear();
  f.state = State::Backoff;
  EXPECT_EQ(status_description(f), "unknown error (try \"tail web\")");
  for (State s : {State::Starting, State::Stopping, State::Unknown}) {
    f.state = s;
    EXPECT_EQ(status_description(f), "");
  }
}

TEST(CoreTableEntry, RoundTripsAndRejectsGarbage) {
  TableEntry e{4711, "8823411", 1764093600, "RUNNING"};
  EXPECT_EQ(format_table_entry(e), "4711 8823411 1764093600 RUNNING");
  auto back = parse_table_entry("4711 mbx 77 x 1764093600 RUNNING");
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->pid, 4711u);
  EXPECT_EQ(back->identity, "mbx 77 x");
  EXPECT_EQ(back->started_wall, 1764093600);
  EXPECT_EQ(back->state, "RUNNING");
  auto empty_id = parse_table_entry(format_table_entry({5, "", 9, "STARTING"}));
  ASSERT_TRUE(empty_id.has_value());
  EXPECT_EQ(empty_id->identity, "");
  for (const char* bad : {"", "garbage", "0 x 1 RUNNING", "12 x y RUNNING", "x 1 2 RUNNING",
                          "12 x 1 ", "-3 x 1 RUNNING"})
    EXPECT_FALSE(parse_table_entry(bad).has_value()) << bad;
}

TEST(CoreTableEntry, KeysAreUpperCaseAndSafe) {
  EXPECT_EQ(program_key("web"), "SUPERVISORD_PRG_WEB");
  EXPECT_EQ(program_key("my-app_2"), "SUPERVISORD_PRG_MY-APP_2");
  EXPECT_EQ(program_key("a/b c"), "SUPERVISORD_PRG_A_B_C");
}

}  // namespace
}  // namespace sup::core
