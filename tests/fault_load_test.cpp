// supervisord under load, with real processes: a program that exits at once costs the
// daemon almost no CPU on its way to FATAL; 50 clients hammering the command channel
// while programs flap all get well-formed answers, and the daemon's memory stays flat.
// Bounds are on CPU time and memory, never on wall-clock speed.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "core/protocol.hpp"
#include "sup_messages.hpp"
#include "support/daemon_fixture.hpp"

namespace sup::testing {
namespace {

using namespace std::chrono_literals;

std::string user() {
  return current_user();
}

std::string section(const std::string& name, const std::string& image, const std::string& args,
                    const std::string& extra) {
  return "[program:" + name + "]\nimage = " + image + "\narguments = " + args +
         "\nuser = " + user() + "\n" + extra + "\n\n";
}

int count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (std::size_t p = 0; (p = text.find(needle, p)) != std::string::npos; p += needle.size()) ++n;
  return n;
}

// ASan keeps freed memory in quarantine (256 MB by default), which would look like a
// leak to the RSS check: the daemon runs with none (the CI's own options kept, e.g.
// detect_leaks).  Without ASan the variable means nothing.
std::vector<std::string> flat_allocator() {
  const char* existing = std::getenv("ASAN_OPTIONS");
  std::string options = existing && *existing ? std::string(existing) + ":" : "";
  return {"ASAN_OPTIONS=" + options + "quarantine_size_mb=0:thread_local_quarantine_size_kb=0"};
}

TEST(FaultLoad, QuickExitGoesFatalWithLittleCpu) {
  constexpr int kPrograms = 10;
  std::string programs;
  for (int i = 0; i < kPrograms; ++i)
    programs +=
        section("quick" + std::to_string(i), "/bin/false", "", "startsecs = 1\nstartretries = 3");
  Daemon d(programs);
  ASSERT_TRUE(d.start());
  const long before = cpu_ticks(d.daemon_pid());
  ASSERT_GE(before, 0);
  for (int i = 0; i < kPrograms; ++i)
    ASSERT_TRUE(d.wait_state("quick" + std::to_string(i), "FATAL", 120s)) << i;
  const long used = cpu_ticks(d.daemon_pid()) - before;
  // 40 spawns and 6 s of backoff delays (1 + 2 + 3): a daemon that sleeps through its
  // delays uses a few tens of milliseconds; one that polls or spins uses seconds.
  EXPECT_LT(used, ticks_per_second()) << used << " ticks of CPU";
  std::cout << "[ CPU      ] " << used * 1000 / ticks_per_second() << " ms of daemon CPU for "
            << kPrograms << " programs going FATAL" << std::endl;
  const std::string log = d.log();
  for (int i = 0; i < kPrograms; ++i)  // 1 + startretries attempts, not one more
    EXPECT_EQ(count(log, " quick" + std::to_string(i) + ": spawned"), 4) << log;
  auto r = d.ctl({"status", "quick0"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.out.find("FATAL"), std::string::npos) << r.out;
}

// What one client expects of one request: the Final conditions allowed, and a pattern
// every Line must match.
struct Expectation {
  std::set<std::uint32_t> finals;
  std::regex line;
  std::size_t min_lines = 1, max_lines = 1;
};

const std::regex kStatusLine(R"(^[a-z0-9]+ {3,}[A-Z]+ {1,}.*$)");

// Requests the clients cycle through, with what a correct answer looks like.  The
// flappers come and go, so status may say some are not running; the sleepers are
// started and stopped by 50 clients at once, so either outcome of start/stop is fine.
struct Mix {
  std::string action;
  std::vector<std::string> names;
  std::uint32_t flags;
  Expectation expect;
};

std::vector<Mix> request_mix() {
  const std::regex digits(R"(^\d+$)");
  // Concurrent clients start and stop the same sleepers: any outcome of a race is a
  // correct answer, including a waited-for start that another client's stop overtook.
  const std::regex outcome(
      R"(^s\d: (started|stopped|ERROR \((already started|not running|abnormal termination)\))$)");
  const std::set<std::uint32_t> outcomes = {SUP__NORMAL, SUP__ALRSTARTED, SUP__NOTRUNNING,
                                            SUP__ABNORMAL};
  const std::uint32_t nowait = core::kFlagNoWait;
  return {
      {"status", {}, 0, {{SUP__NORMAL, SUP__PROGSTOPPED}, kStatusLine, 8, 8}},
      {"status", {"flap0", "s0"}, 0, {{SUP__NORMAL, SUP__PROGSTOPPED}, kStatusLine, 2, 2}},
      {"pid", {"s0"}, 0, {{SUP__NORMAL}, digits}},
      {"pid", {}, 0, {{SUP__NORMAL}, digits}},
      {"version", {}, 0, {{SUP__VERSION}, digits, 0, 0}},
      {"start", {"s1"}, nowait, {outcomes, outcome}},
      {"stop", {"s1"}, nowait, {outcomes, outcome}},
      {"start", {"s2"}, 0, {outcomes, outcome}},
      {"stop", {"s2"}, 0, {outcomes, outcome}},
      {"restart", {"s3"}, 0, {outcomes, outcome, 1, 2}},  // "stopped" then the start
      {"status",
       {"nosuch"},
       0,
       {{SUP__NOSUCHPROC}, std::regex(R"(^nosuch: ERROR \(no such process\)$)")}},
  };
}

// Checks one answer; an empty string when it is what `m` allows.
std::string judge(const Mix& m, const RawReply& r) {
  std::ostringstream why;
  if (!r.complete) {
    why << m.action << ": not answered: " << r.error;
  } else {
    // The Final carries the worst condition of the lines (NORMAL when all succeeded).
    if (!m.expect.finals.count(r.condition))
      why << m.action << ": final condition " << std::hex << r.condition << " text " << r.text;
    if (r.lines.size() < m.expect.min_lines || r.lines.size() > m.expect.max_lines)
      why << m.action << ": " << r.lines.size() << " lines ";
    for (const auto& [condition, text] : r.lines)
      if (!std::regex_match(text, m.expect.line)) why << m.action << ": bad line [" << text << "] ";
  }
  return why.str();
}

// `clients` threads each send `per_client` requests, cycling through the mix; returns
// the problems found (empty: every request got a well-formed answer).
std::vector<std::string> hammer(const std::string& socket, int clients, int per_client) {
  const std::vector<Mix> mix = request_mix();
  std::mutex lock;
  std::vector<std::string> problems;
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      for (int i = 0; i < per_client; ++i) {
        const Mix& m = mix[static_cast<std::size_t>(c + i) % mix.size()];
        std::string why = judge(m, raw_request(socket, m.action, m.names, m.flags, 60000));
        if (why.empty()) continue;
        std::lock_guard<std::mutex> hold(lock);
        if (problems.size() < 20) problems.push_back(why);
      }
    });
  }
  for (auto& t : threads) t.join();
  return problems;
}

TEST(FaultLoad, FiftyClientsWhileProgramsFlapAllAnsweredMemoryFlat) {
  std::string programs;
  for (int i = 0; i < 4; ++i)  // exit after a moment, restarted at once, for ever
    programs += section("flap" + std::to_string(i), "/bin/sh", "-c \"sleep 0.2; exit 1\"",
                        "startsecs = 0\nautorestart = true");
  for (int i = 0; i < 4; ++i)
    programs +=
        section("s" + std::to_string(i), "/bin/sleep", "300", "startsecs = 0\nstopwaitsecs = 5");
  Daemon d(programs);
  ASSERT_TRUE(d.start_with_env(flat_allocator()));
  ASSERT_TRUE(d.wait_ready());
  ASSERT_TRUE(d.wait_state("s0", "RUNNING"));
  const std::string sock = d.socket();

  // Warm-up: the daemon's allocations reach their working size.
  auto problems = hammer(sock, 50, 20);
  EXPECT_TRUE(problems.empty()) << problems.front();
  const long rss_before = rss_kib(d.daemon_pid());

  // A sample through the real client, alongside the storm of raw clients.
  std::atomic<bool> storm_over{false};
  std::vector<std::string> client_problems;
  std::thread sampler([&] {
    const std::regex pid_line(R"(^\d+\n$)");
    int runs = 0;
    while (!storm_over || runs < 10) {
      auto status = d.ctl({"status"});
      std::istringstream lines(status.out);
      int shown = 0;
      for (std::string l; std::getline(lines, l); ++shown)
        if (!std::regex_match(l, kStatusLine)) client_problems.push_back("status line: " + l);
      if ((status.exit_code != 0 && status.exit_code != 3) || shown != 8)
        client_problems.push_back("status exit " + std::to_string(status.exit_code) + ": " +
                                  status.out + status.err);
      auto pid = d.ctl({"pid", "s0"});
      if (pid.exit_code != 0 || !std::regex_match(pid.out, pid_line))
        client_problems.push_back("pid exit " + std::to_string(pid.exit_code) + ": " + pid.out +
                                  pid.err);
      ++runs;
    }
  });
  problems = hammer(sock, 50, 200);
  storm_over = true;
  sampler.join();
  EXPECT_TRUE(problems.empty()) << problems.size() << " problems, e.g. " << problems.front();
  EXPECT_TRUE(client_problems.empty()) << client_problems.front();

  // The programs kept flapping throughout, and the daemon is still well.
  EXPECT_GE(count(d.log(), "flap0: spawned"), 3);
  EXPECT_TRUE(d.running());
  const long rss_after = rss_kib(d.daemon_pid());
  std::cout << "[ MEMORY   ] VmRSS " << rss_before << " KiB after warm-up, " << rss_after
            << " KiB after 10000 requests" << std::endl;
  EXPECT_LT(rss_after - rss_before, 2048) << rss_before << " KiB -> " << rss_after << " KiB";
  // A clean exit (in a sanitizer build, LeakSanitizer checks the daemon here).
  d.signal(SIGTERM);
  const int exit_code = d.wait_exit();
  const std::string out = d.output();
  EXPECT_EQ(exit_code, 0) << out.substr(out.size() > 8000 ? out.size() - 8000 : 0);
}

}  // namespace
}  // namespace sup::testing
