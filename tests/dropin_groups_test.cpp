// Groups, numprocs instances and priorities with real processes (README "Groups,
// instances and includes"): the daemon's autostart, START ALL, STOP ALL and the stop by
// SIGTERM, each in priority order.  Every program appends to one file what it found at
// its start and that it stopped, so the order is the programs' own observation.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/daemon_fixture.hpp"

namespace sup::testing {
namespace {

// NAME LOG OTHER... : at its start, looks for the processes of the OTHER programs (they
// must exist already: lower priorities are created first), then logs "start NAME
// found: ... missing: ..."; on SIGTERM logs "stop NAME" and exits 0.
constexpr const char* kProgram = R"(name=$1; log=$2; shift 2
found=""; missing=""
for other in "$@"; do
  if pgrep -f "$0 $other " >/dev/null; then found="$found $other"; else missing="$missing $other"; fi
done
trap 'echo "stop $name" >> "$log"; exit 0' TERM
echo "start $name found:$found missing:$missing" >> "$log"
while :; do sleep 5 & wait $!; done
)";

// db (group priority 10, priority 1), cache (10, 2): [group:backend]; worker_00 and
// worker_01 (30): numprocs.  The file lists them in the opposite order, so that file
// order alone would get every check wrong.
std::string configuration() {
  const std::string user = "user = " + current_user() + "\nstartsecs = 0\nimage = /bin/sh\n";
  return "[program:worker]\nnumprocs = 2\nprocess_name = %(program_name)s_%(process_num)02d\n"
         "priority = 30\narguments = %(here)s/prog.sh %(program_name)s_%(process_num)02d "
         "%(here)s/order.log db cache\n" +
         user +
         "\n[program:cache]\npriority = 2\n"
         "arguments = %(here)s/prog.sh cache %(here)s/order.log db\n" +
         user +
         "\n[group:backend]\nprograms = cache, db\npriority = 10\n"
         "\n[program:db]\npriority = 1\narguments = %(here)s/prog.sh db %(here)s/order.log\n" +
         user;
}

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<std::string> lines_starting(const std::string& path, const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& l : lines_of(path))
    if (l.rfind(prefix, 0) == 0) out.push_back(l);
  return out;
}

// Waits for `count` lines starting with `prefix` (the order file is cleared in between).
std::vector<std::string> wait_lines(const std::string& path, const std::string& prefix,
                                    std::size_t count) {
  wait_for([&] { return lines_starting(path, prefix).size() >= count; }, std::chrono::seconds(60));
  return lines_starting(path, prefix);
}

// Every program found each program it needed.
void expect_started_in_order(const std::string& path) {
  const auto starts = wait_lines(path, "start ", 4);
  ASSERT_EQ(starts.size(), 4u);
  for (const auto& line : starts) {
    EXPECT_NE(line.find("missing:"), std::string::npos) << line;
    EXPECT_EQ(line.substr(line.find("missing:")), "missing:") << line;
  }
}

// The workers stopped first (in either order), then cache, then db.
void expect_stopped_in_order(const std::string& path) {
  const auto stops = wait_lines(path, "stop ", 4);
  ASSERT_EQ(stops.size(), 4u);
  EXPECT_EQ(stops[0].rfind("stop worker_0", 0), 0u) << stops[0];
  EXPECT_EQ(stops[1].rfind("stop worker_0", 0), 0u) << stops[1];
  EXPECT_EQ(stops[2], "stop cache");
  EXPECT_EQ(stops[3], "stop db");
}

TEST(DropinGroups, GroupsInstancesAndPrioritiesOnRealProcesses) {
  Daemon d(configuration());
  std::ofstream(d.dir() + "/prog.sh") << kProgram;
  const std::string order = d.dir() + "/order.log";
  ASSERT_TRUE(d.start()) << d.output();
  ASSERT_TRUE(d.wait_ready());
  expect_started_in_order(order);

  // supervisorctl's names: group:name where they differ, the plain name where not.
  const auto status = d.ctl({"status"});
  for (const char* name : {"backend:db", "backend:cache", "worker:worker_00", "worker:worker_01"})
    EXPECT_NE(status.out.find(std::string(name) + " "), std::string::npos) << status.out;
  EXPECT_TRUE(d.wait_state("worker_01", "RUNNING"));

  auto stop = d.ctl({"stop", "all"});
  EXPECT_EQ(stop.exit_code, 0) << stop.out << stop.err;
  EXPECT_NE(stop.out.find("backend:db: stopped"), std::string::npos) << stop.out;
  expect_stopped_in_order(order);

  std::ofstream(order, std::ios::trunc).close();
  auto start = d.ctl({"start", "all"});
  EXPECT_EQ(start.exit_code, 0) << start.out << start.err;
  expect_started_in_order(order);

  std::ofstream(order, std::ios::trunc).close();
  d.signal(SIGTERM);
  EXPECT_EQ(d.wait_exit(), 0);
  expect_stopped_in_order(order);
}

}  // namespace
}  // namespace sup::testing
