// supervisord as a command: a bad configuration is refused with every error and its
// line, -h, --check, daemon mode (detach, stdout_file, [supervisord] command), SIGHUP
// reload and SIGUSR2 log reopening, all with the real binaries.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "support/daemon_fixture.hpp"

namespace sup::testing {
namespace {

using namespace std::chrono_literals;

std::string user() {
  return current_user();
}

std::string sleeper(const std::string& name, int secs = 300) {
  return "[program:" + name + "]\nimage = /bin/sleep\narguments = " + std::to_string(secs) +
         "\nstartsecs = 0\nuser = " + user() + "\n\n";
}

TEST(DaemonCli, BadConfigurationListsEveryErrorWithItsLineAndFails) {
  TempDir t;
  std::string conf = t.write("bad.conf",
                             "[supervisord]\n"           // 1
                             "table = %(here)s/table\n"  // 2
                             "[program:a]\n"             // 3
                             "image = /bin/true\n"       // 4
                             "startsecs = soon\n"        // 5
                             "[program:b]\n"             // 6
                             "user = " +
                                 user() +
                                 "\n"                         // 7
                                 "autorestart = sometimes\n"  // 8
                                 "bogus = 1\n"                // 9
                                 "[frobnicate]\n");           // 10
  auto r = run_command({binary("supervisord"), "-n", "-c", conf});
  EXPECT_NE(r.exit_code, 0);
  for (auto where : {"bad.conf:5:", "bad.conf:8:", "bad.conf:9:", "bad.conf:10:", "bad.conf:3:"})
    EXPECT_NE(r.err.find(where), std::string::npos) << where << "\n" << r.err;
  EXPECT_NE(r.err.find("%SUPERVISOR-E-CFGERR"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("%SUPERVISOR-E-CFGINVALID"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("user"), std::string::npos) << r.err;  // [program:a] has none
  EXPECT_FALSE(std::filesystem::exists(t.path() + "/table/SUPERVISORD_CMD"));
}

TEST(DaemonCli, MissingConfigurationAndBadArguments) {
  auto missing = run_command({binary("supervisord"), "-n", "-c", "/no/such/file.conf"});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("%SUPERVISOR-E-NOCONFIG"), std::string::npos) << missing.err;
  auto bad = run_command({binary("supervisord"), "--frobnicate"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--frobnicate"), std::string::npos) << bad.err;
  auto help = run_command({binary("supervisord"), "-h"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--configuration"), std::string::npos);
}

TEST(DaemonCli, CheckValidatesWithoutStarting) {
  TempDir t;
  std::string conf = t.write("ok.conf", "[supervisord]\ntable = %(here)s/table\n" + sleeper("a"));
  auto r = run_command({binary("supervisord"), "--check", "-c", conf});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("%SUPERVISOR-S-CFGVALID"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(t.path() + "/table"));
}

TEST(DaemonCli, TheOpenVmsTemplateChecksCleanWithVmsRules) {
  std::string tmpl = std::string(SUP_SOURCE_DIR) + "/conf/supervisord.conf_template";
  auto r = run_command({binary("supervisord"), "--check", "--vms", "-c", tmpl});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  // With POSIX rules its OpenVMS file specifications are errors, not silently kept.
  auto posix = run_command({binary("supervisord"), "--check", "-c", tmpl});
  EXPECT_NE(posix.exit_code, 0);
  EXPECT_NE(posix.err.find("%SUPERVISOR-E-CFGERR"), std::string::npos);
  EXPECT_EQ(run_command({binary("supervisord"), "--vms", "-c", tmpl}).exit_code, 2);
}

TEST(DaemonCli, VmsOnlyKeysWarnThatTheyHaveNoEffect) {
  TempDir t;
  std::string conf = t.write("w.conf", "[supervisord]\ntable = %(here)s/table\n" + sleeper("a") +
                                           "nouaf = true\nkt_limit = 4\n");
  auto r = run_command({binary("supervisord"), "--check", "-c", conf});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("%SUPERVISOR-W-CFGWARN"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nouaf"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("kt_limit"), std::string::npos) << r.err;
}

TEST(DaemonCli, DaemonModeDetachesAndWritesStdoutFile) {
  Daemon d(sleeper("bg"), "stdout_file = %(here)s/daemon_stdout.log\n");
  // Without -n the command returns at once; the detached daemon serves the socket.
  auto r = run_command({binary("supervisord"), "-c", d.config()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(wait_for([&] { return d.state_of("bg") == "RUNNING"; }, 30s));
  long daemon_pid = std::atol(d.ctl({"pid"}).out.c_str());
  EXPECT_TRUE(process_alive(daemon_pid));
  EXPECT_EQ(d.ctl({"shutdown"}).exit_code, 0);
  EXPECT_TRUE(wait_for([&] { return !process_alive(daemon_pid); }));
  EXPECT_TRUE(std::filesystem::exists(d.dir() + "/daemon_stdout.log"));
  // The program was left running; stop it through a new foreground daemon.
  ASSERT_TRUE(d.start());
  EXPECT_EQ(d.ctl({"stop", "all"}).exit_code, 0);
}

TEST(DaemonCli, DaemonModeReportsStartupFailuresAndFollowsARelativeConfig) {
  Daemon d(sleeper("first"), "stdout_file = %(here)s/out.log\n");
  ASSERT_TRUE(d.start());  // a foreground daemon holds the table
  // A detached second daemon fails after its forks: the command still says why.
  auto second = run_command({binary("supervisord"), "-c", d.config()});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(second.err.find("another supervisord"), std::string::npos) << second.err;
  EXPECT_EQ(d.ctl({"shutdown"}).exit_code, 0);
  ASSERT_EQ(d.wait_exit(), 0);
  // Detached, started with a relative -c: HUP must still find the file, USR2 reopens
  // stdout_file.
  auto started =
      run_command({"/bin/sh", "-c",
                   "cd " + d.dir() + " && exec " + binary("supervisord") + " -c supervisord.conf"});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  long pid = std::atol(d.ctl({"pid"}).out.c_str());
  ASSERT_GT(pid, 1);
  std::ofstream(d.config(), std::ios::app) << "\n" << sleeper("second");
  kill(static_cast<pid_t>(pid), SIGHUP);
  EXPECT_TRUE(d.wait_state("second", "RUNNING")) << d.log();
  std::filesystem::rename(d.dir() + "/out.log", d.dir() + "/out.log.1");
  kill(static_cast<pid_t>(pid), SIGUSR2);
  EXPECT_TRUE(wait_for([&] { return std::filesystem::exists(d.dir() + "/out.log"); }));
  EXPECT_EQ(d.ctl({"stop", "all"}).exit_code, 0);
  kill(static_cast<pid_t>(pid), SIGTERM);
  EXPECT_TRUE(wait_for([&] { return !process_alive(pid); }));
}

TEST(DaemonCli, CommandProcedureRunsInsteadOfTheImage) {
  TempDir t;
  // The POSIX twin of the seed's supervisord.com: a script that runs supervisord -n.
  std::string marker = t.path() + "/procedure_ran";
  std::string script =
      t.write("supervisord.sh", "touch " + marker + "\nexec " + binary("supervisord") + " -n -c " +
                                    t.path() + "/s.conf\n");
  t.write("s.conf", "[supervisord]\ntable = %(here)s/table\nlogfile = %(here)s/log\ncommand = " +
                        script + "\n" + sleeper("viaproc"));
  auto r = run_command({binary("supervisord"), "-c", t.path() + "/s.conf"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(wait_for([&] { return std::filesystem::exists(marker); }));
  auto status = [&] {
    return run_command({binary("supervisor"), "-c", t.path() + "/s.conf", "status"});
  };
  EXPECT_TRUE(wait_for([&] { return status().out.find("RUNNING") != std::string::npos; }));
  // SIGTERM through the pid the daemon reports: stops the program and the daemon.
  long pid =
      std::atol(run_command({binary("supervisor"), "-c", t.path() + "/s.conf", "pid"}).out.c_str());
  ASSERT_GT(pid, 1);
  long prog =
      std::atol(run_command({binary("supervisor"), "-c", t.path() + "/s.conf", "pid", "viaproc"})
                    .out.c_str());
  kill(static_cast<pid_t>(pid), SIGTERM);
  EXPECT_TRUE(wait_for([&] { return !process_alive(pid) && !process_alive(prog); }));
}

TEST(DaemonCli, HangupReloadsOnlyWhatChanged) {
  Daemon d(sleeper("stays") + sleeper("goes"));
  ASSERT_TRUE(d.start());
  ASSERT_TRUE(d.wait_state("stays", "RUNNING"));
  ASSERT_TRUE(d.wait_state("goes", "RUNNING"));
  long stays = d.pid_of("stays"), goes = d.pid_of("goes");
  std::string text = "[supervisord]\ntable = %(here)s/table\nlogfile = %(here)s/supervisord.log\n" +
                     sleeper("stays") + sleeper("comes");
  std::ofstream(d.config()) << text;
  d.signal(SIGHUP);
  EXPECT_TRUE(d.wait_state("comes", "RUNNING"));
  EXPECT_TRUE(wait_for([&] { return !process_alive(goes); }));
  EXPECT_EQ(d.pid_of("stays"), stays) << d.log();
  EXPECT_EQ(d.ctl({"status", "goes"}).exit_code, 4);
  // A broken file on reload keeps the running configuration.  (The client reads the
  // same file to find the socket, so it is pointed at the socket directly here.)
  std::string sock;
  std::getline(std::ifstream(d.table() + "/SUPERVISORD_CMD"), sock);
  std::ofstream(d.config()) << "[program:broken\n";
  d.signal(SIGHUP);
  EXPECT_TRUE(wait_for([&] { return d.log().find("reload refused") != std::string::npos; }))
      << d.log();
  auto pid = d.ctl({"pid", "stays"}, {"SUPERVISORD_CMD=" + sock});
  EXPECT_EQ(std::atol(pid.out.c_str()), stays) << pid.err;
  EXPECT_TRUE(d.running());
}

TEST(DaemonCli, Usr2ReopensTheLog) {
  Daemon d(sleeper("x"));
  ASSERT_TRUE(d.start());
  ASSERT_TRUE(d.wait_state("x", "RUNNING"));
  std::string log = d.dir() + "/supervisord.log";
  std::filesystem::rename(log, log + ".1");
  d.signal(SIGUSR2);
  EXPECT_TRUE(wait_for([&] { return std::filesystem::exists(log); }));
  d.ctl({"stop", "x"});
  EXPECT_TRUE(
      wait_for([&] { return d.log().find("x: RUNNING -> STOPPING") != std::string::npos; }));
}

}  // namespace
}  // namespace sup::testing
