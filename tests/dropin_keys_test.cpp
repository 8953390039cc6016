// supervisor 4.2.5's keys that the seed did not have (doc/supervisor_keys.md): the
// `command` rule, environment, directory, umask, serverurl, stopsignal, stopasgroup,
// killasgroup, and [supervisord] environment, loglevel, umask, minfds, minprocs.  First
// what the configuration makes of them, then the core with the fake platform, then real
// processes under the real daemon.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/config_dropin.hpp"
#include "platform/posix/posix_launch.hpp"
#include "platform/posix/posix_proc.hpp"
#include "support/config_env.hpp"
#include "support/core_fixture.hpp"
#include "support/daemon_fixture.hpp"
#include "support/posix_fixture.hpp"

namespace sup {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::string kFile = "/etc/sup/supervisord.conf";

config::Environment env() {
  return test::alice_env({{"USER", "alice"}, {"HOME", "/home/alice"}}, 1000, "/run/user/1000");
}

config::LoadResult load_posix(const std::string& text) {
  return config::load_string(text, kFile, config::Flavor::Posix, env());
}

config::LoadResult load_vms(const std::string& text) {
  return config::load_string(text, "DISK$APP:[APP]SUPERVISORD.CONF", config::Flavor::Vms, env());
}

std::vector<std::string> messages(const config::LoadResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics) out.push_back(d.to_string());
  return out;
}

config::ProgramConfig program(const config::LoadResult& r) {
  EXPECT_TRUE(r.ok()) << ::testing::PrintToString(messages(r));
  if (!r.config || r.config->programs.empty()) return {};
  return r.config->programs.front();
}

std::vector<std::pair<std::string, std::string>> pairs(const std::vector<config::EnvVar>& v) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : v) out.emplace_back(e.name, e.value);
  return out;
}

// --- values

TEST(DropinValues, EnvironmentAsDictOfKeyValuePairs) {
  using config::detail::parse_environment;
  auto r = parse_environment("A=1,B=\"x, y\",C='a b',PATH=\"/opt/bin:/usr/bin\",D=/srv/x.y-z");
  ASSERT_TRUE(r.value) << r.error;
  EXPECT_THAT(pairs(*r.value),
              ElementsAre(std::pair<std::string, std::string>{"A", "1"},
                          std::pair<std::string, std::string>{"B", "x, y"},
                          std::pair<std::string, std::string>{"C", "a b"},
                          std::pair<std::string, std::string>{"PATH", "/opt/bin:/usr/bin"},
                          std::pair<std::string, std::string>{"D", "/srv/x.y-z"}));
  // Blanks around the separators, an empty quoted value, a name given twice (last wins).
  r = parse_environment(" A = 1 , E=\"\", A=2 ");
  ASSERT_TRUE(r.value) << r.error;
  EXPECT_THAT(pairs(*r.value), ElementsAre(std::pair<std::string, std::string>{"A", "2"},
                                           std::pair<std::string, std::string>{"E", ""}));
  r = parse_environment("");
  ASSERT_TRUE(r.value);
  EXPECT_THAT(*r.value, IsEmpty());
}

TEST(DropinValues, EnvironmentErrorsAsSupervisorRefusesThem) {
  using config::detail::parse_environment;
  // Blanks instead of commas, a value with characters shlex splits, a lone name.
  for (const char* bad : {"A=1 B=2", "A=x@y", "A", "A=1,B", "=1"}) {
    SCOPED_TRACE(bad);
    const auto r = parse_environment(bad);
    EXPECT_FALSE(r.value);
    EXPECT_THAT(r.error, HasSubstr("expected"));
  }
  EXPECT_EQ(parse_environment("A=\"open").error, "the \" quote at column 3 is not closed");
  EXPECT_THAT(parse_environment("\"A\"=1").error, HasSubstr("expected a variable name"));
}

TEST(DropinValues, CommandSplitLikeShlexSplit) {
  using config::detail::split_command;
  auto r = split_command(R"(/bin/app "b c" 'd "e' f\ g "x\$y" "q\"r" '' end)");
  ASSERT_TRUE(r.value) << r.error;
  EXPECT_THAT(*r.value, ElementsAre("/bin/app", "b c", "d \"e", "f g", "x\\$y", "q\"r", "", "end"));
  EXPECT_THAT(*split_command("  a\tb  ").value, ElementsAre("a", "b"));
  EXPECT_THAT(*split_command("").value, IsEmpty());
  EXPECT_EQ(split_command("a 'b").error, "the ' quote at column 3 is not closed");
  EXPECT_EQ(split_command("a \\").error, "a backslash at the end escapes nothing");
}

TEST(DropinValues, UmaskSignalsAndLevels) {
  using namespace config::detail;
  EXPECT_EQ(*parse_umask("022").value, 022);
  EXPECT_EQ(*parse_umask("0o27").value, 027);
  EXPECT_EQ(*parse_umask("0").value, 0);
  for (const char* bad : {"8", "1000", "", "0x1", "-1"})
    EXPECT_FALSE(parse_umask(bad).value) << bad;
  EXPECT_EQ(*parse_signal("TERM").value, config::Signal::Term);
  EXPECT_EQ(*parse_signal("sigusr1").value, config::Signal::Usr1);
  EXPECT_EQ(*parse_signal("Hup").value, config::Signal::Hup);
  EXPECT_EQ(*parse_signal("9").value, config::Signal::Kill);
  EXPECT_FALSE(parse_signal("WINCH").value);
  EXPECT_FALSE(parse_signal("10").value);  // USR1 on Linux, not elsewhere
  EXPECT_EQ(*parse_loglevel("WARN").value, config::LogLevel::Warn);
  EXPECT_EQ(*parse_loglevel("blather").value, config::LogLevel::Blather);
  EXPECT_FALSE(parse_loglevel("warning").value);
}

// --- the command rule

TEST(DropinCommand, WithoutImageCommandIsTheProgramAndItsArguments) {
  const auto p =
      program(load_posix("[program:web]\nuser = alice\n"
                         "command = python3 -m http.server \"80 80\"\n"));
  EXPECT_EQ(p.image, "python3");  // found on PATH at each start
  EXPECT_THAT(p.arguments, ElementsAre("-m", "http.server", "80 80"));
  EXPECT_EQ(p.command, "/dev/null");  // stdin
}

TEST(DropinCommand, RelativeProgramPathsFollowDirectoryElseHere) {
  EXPECT_EQ(program(load_posix("[program:a]\nuser=x\ncommand = bin/app -v\n")).image,
            "/etc/sup/bin/app");
  EXPECT_EQ(program(load_posix("[program:a]\nuser=x\ncommand = ./app\ndirectory = /srv/a\n")).image,
            "/srv/a/app");
  EXPECT_EQ(program(load_posix("[program:a]\nuser=x\ncommand = ~/app\n")).image, "/home/alice/app");
}

TEST(DropinCommand, WithImageCommandKeepsTheSeedsMeaning) {
  const auto p =
      program(load_posix("[program:web]\nuser = alice\ncommand = in.txt\nimage = /bin/cat\n"));
  EXPECT_EQ(p.image, "/bin/cat");
  EXPECT_EQ(p.command, "/etc/sup/in.txt");
  EXPECT_THAT(p.arguments, IsEmpty());
  const auto v = program(load_vms("[program:web]\nuser = app\ncommand = DISK$APP:[WEB]RUN.COM\n"));
  EXPECT_EQ(v.image, "SYS$SYSTEM:LOGINOUT.EXE");
  EXPECT_EQ(v.command, "DISK$APP:[WEB]RUN.COM");
}

TEST(DropinCommand, Errors) {
  EXPECT_THAT(
      messages(load_posix("[program:web]\nuser = x\ncommand = app 'x\n")),
      ElementsAre(kFile + ":3: [program:web] command: cannot split the command: the ' quote at "
                          "column 5 is not closed"));
  EXPECT_THAT(messages(load_posix("[program:web]\nuser = x\ncommand = \"\"\n")),
              ElementsAre(HasSubstr("command: the command is empty")));
  EXPECT_THAT(messages(load_posix("[program:web]\nuser = x\ncommand = nla0:\n")),
              ElementsAre(HasSubstr("command: nla0: is the null device, not a program")));
  EXPECT_THAT(messages(load_posix("[program:web]\nuser = x\ncommand = app\narguments = -v\n")),
              ElementsAre(HasSubstr(":4: [program:web] arguments: cannot be used with command "
                                    "when there is no image")));
}

// --- the other program keys

TEST(DropinProgram, EveryKey) {
  const auto p =
      program(load_posix("[program:web]\nuser = alice\ncommand = /bin/app\n"
                         "environment = A=\"1\",B=two\n"
                         "directory = /srv/web\n"
                         "umask = 027\n"
                         "serverurl = unix:///tmp/x.sock\n"
                         "stopsignal = INT\n"
                         "stopasgroup = true\n"));
  EXPECT_THAT(pairs(p.environment), ElementsAre(std::pair<std::string, std::string>{"A", "1"},
                                                std::pair<std::string, std::string>{"B", "two"}));
  EXPECT_EQ(p.directory, "/srv/web");
  EXPECT_EQ(p.umask, 027);
  EXPECT_EQ(p.serverurl, "unix:///tmp/x.sock");
  EXPECT_EQ(p.stopsignal, config::Signal::Int);
  EXPECT_TRUE(p.stopasgroup);
  EXPECT_TRUE(p.killasgroup);  // follows stopasgroup when not given
}

TEST(DropinProgram, Defaults) {
  const auto p = program(load_posix("[program:web]\nuser = alice\n"));
  EXPECT_THAT(p.environment, IsEmpty());
  EXPECT_EQ(p.directory, "");
  EXPECT_EQ(p.umask, -1);
  EXPECT_EQ(p.serverurl, "AUTO");
  EXPECT_EQ(p.stopsignal, config::Signal::Term);
  EXPECT_FALSE(p.stopasgroup);
  EXPECT_FALSE(p.killasgroup);
  EXPECT_TRUE(program(load_posix("[program:a]\nuser=x\nkillasgroup = yes\n")).killasgroup);
  EXPECT_EQ(program(load_posix("[program:a]\nuser=x\nserverurl = auto\n")).serverurl, "AUTO");
}

TEST(DropinProgram, StopasgroupWithoutKillasgroupIsRefused) {
  EXPECT_THAT(
      messages(load_posix("[program:a]\nuser=x\nstopasgroup = true\nkillasgroup = false\n")),
      ElementsAre(HasSubstr(":4: [program:a] killasgroup: cannot be false when "
                            "stopasgroup is true")));
}

TEST(DropinProgram, BadValuesNameTheKey) {
  EXPECT_THAT(messages(load_posix("[program:a]\nuser=x\numask = 99\n")),
              ElementsAre(kFile + ":3: [program:a] umask: expected an octal umask from 0 to 777 "
                                  "(e.g. 022), got \"99\""));
  EXPECT_THAT(messages(load_posix("[program:a]\nuser=x\nstopsignal = WINCH\n")),
              ElementsAre(HasSubstr(":3: [program:a] stopsignal: expected a signal")));
  EXPECT_THAT(messages(load_posix("[program:a]\nuser=x\nenvironment = A=1 B=2\n")),
              ElementsAre(HasSubstr(":3: [program:a] environment: expected NAME=value pairs")));
  EXPECT_THAT(messages(load_posix("[program:a]\nuser=x\ndirectory = DKA0:[WEB]\n")),
              ElementsAre(HasSubstr(":3: [program:a] directory: an OpenVMS file specification")));
}

TEST(DropinProgram, EnvExpansionsSeeTheEnvironmentWhereverItIs) {
  // command comes before environment, [supervisord] after the program: as in 4.2.5,
  // %(ENV_X)s sees the program's entries, then [supervisord]'s, then the real ones.
  const auto r = load_posix(
      "[program:web]\nuser = alice\n"
      "command = /bin/app --port %(ENV_PORT)s --mode %(ENV_MODE)s --home %(ENV_HOME)s\n"
      "environment = PORT=8080,HOME=/srv/web\n"
      "[supervisord]\nenvironment = MODE=prod,PORT=1\n");
  const auto p = program(r);
  EXPECT_THAT(p.arguments, ElementsAre("--port", "8080", "--mode", "prod", "--home", "/srv/web"));
  ASSERT_TRUE(r.config);
  EXPECT_THAT(pairs(r.config->daemon.environment),
              ElementsAre(std::pair<std::string, std::string>{"MODE", "prod"},
                          std::pair<std::string, std::string>{"PORT", "1"}));
  // The environment's own value sees only the real environment.
  EXPECT_THAT(messages(load_posix("[program:a]\nuser=x\nenvironment = A=1,B=%(ENV_A)s\n")),
              ElementsAre(HasSubstr("the environment variable A is not set")));
}

TEST(DropinProgram, KeysWithoutCounterpartWarnOnEachPlatform) {
  const auto r = load_vms(
      "[program:web]\nuser = app\nstopsignal = INT\nstopasgroup = true\n"
      "killasgroup = true\numask = 022\nenvironment = A=1\ndirectory = [WEB]\n"
      "serverurl = AUTO\n");
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(messages(r),
              ElementsAre(HasSubstr("stopsignal: has no effect on OpenVMS (POSIX only)"),
                          HasSubstr("stopasgroup: has no effect on OpenVMS (POSIX only)"),
                          HasSubstr("killasgroup: has no effect on OpenVMS (POSIX only)"),
                          HasSubstr("umask: is not applied on OpenVMS yet (there it means the "
                                    "default file protection"),
                          HasSubstr("environment: is not applied on OpenVMS yet (there it means "
                                    "process logical names"),
                          HasSubstr("directory: is not applied on OpenVMS yet (there it means the "
                                    "default device and directory"),
                          HasSubstr("serverurl: is not applied on OpenVMS yet")));
  for (const auto& d : r.diagnostics) EXPECT_EQ(d.level, config::Diagnostic::Level::Warning);
  EXPECT_THAT(messages(load_posix("[program:a]\nuser=x\nkt_limit = 3\n")),
              ElementsAre(HasSubstr("kt_limit: has no effect on POSIX (OpenVMS only)")));
}

// --- [supervisord]

TEST(DropinDaemon, EveryKeyAndDefaults) {
  auto r = load_posix(
      "[supervisord]\nenvironment = A=1\nloglevel = debug\numask = 077\n"
      "minfds = 4096\nminprocs = 50\n[program:a]\nuser=x\n");
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(messages(r));
  const auto& d = r.config->daemon;
  EXPECT_THAT(pairs(d.environment), ElementsAre(std::pair<std::string, std::string>{"A", "1"}));
  EXPECT_EQ(d.loglevel, config::LogLevel::Debug);
  EXPECT_EQ(d.umask, 077);
  EXPECT_EQ(d.minfds, 4096);
  EXPECT_EQ(d.minprocs, 50);
  r = load_posix("[program:a]\nuser=x\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.config->daemon.loglevel, config::LogLevel::Info);
  EXPECT_EQ(r.config->daemon.umask, 022);
  EXPECT_EQ(r.config->daemon.minfds, 1024);
  EXPECT_EQ(r.config->daemon.minprocs, 200);
  EXPECT_THAT(messages(load_posix("[supervisord]\nloglevel = loud\n[program:a]\nuser=x\n")),
              ElementsAre(HasSubstr(":2: [supervisord] loglevel: expected critical, error, warn")));
  EXPECT_THAT(messages(load_vms("[supervisord]\nminfds = 10\nminprocs = 10\numask = 022\n"
                                "pidfile = SYS$MANAGER:SD.PID\ndirectory = SYS$MANAGER:\n"
                                "[program:a]\nuser=x\n")),
              ElementsAre(HasSubstr("minfds: has no effect on OpenVMS"),
                          HasSubstr("minprocs: has no effect on OpenVMS"),
                          HasSubstr("umask: has no effect on OpenVMS"),
                          HasSubstr("pidfile: has no effect on OpenVMS"),
                          HasSubstr("directory: has no effect on OpenVMS")));
  r = load_posix(
      "[supervisord]\npidfile = run/sd.pid\nsilent = true\ndirectory = /srv\n"
      "identifier = main\n[program:a]\nuser=x\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.config->daemon.pidfile, "/etc/sup/run/sd.pid");
  EXPECT_TRUE(r.config->daemon.silent);
  EXPECT_EQ(r.config->daemon.directory, "/srv");
  EXPECT_THAT(messages(r), ElementsAre(HasSubstr(":5: warning: [supervisord] identifier: has no "
                                                 "effect on either platform")));
}

// --- the core, with the fake platform

class DropinCore : public test::CoreFixture {};

TEST_F(DropinCore, SpawnCarriesEnvironmentDirectoryUmaskAndServerUrl) {
  cfg.daemon.environment = {{"A", "daemon"}, {"B", "daemon"}};
  auto& web = add("web", 0);
  web.environment = {{"B", "web"}};
  web.directory = "/srv/web";
  web.umask = 027;
  auto& api = add("api", 0);
  api.serverurl = "http://127.0.0.1:9001";
  boot();
  ASSERT_EQ(fake.spawned.size(), 2u);
  const auto& s = fake.spawned[0];
  EXPECT_THAT(s.environment, ElementsAre(std::pair<std::string, std::string>{"A", "daemon"},
                                         std::pair<std::string, std::string>{"B", "daemon"},
                                         std::pair<std::string, std::string>{"B", "web"}));
  EXPECT_EQ(s.directory, "/srv/web");
  EXPECT_EQ(s.umask, 027);
  EXPECT_EQ(s.server_url, "/fake/supervisord.sock");  // AUTO: the control address
  EXPECT_EQ(fake.spawned[1].server_url, "http://127.0.0.1:9001");
  EXPECT_EQ(fake.spawned[1].umask, -1);
}

TEST_F(DropinCore, StopUsesStopsignalAndTheGroupsAsConfigured) {
  auto& web = add("web", 0);
  web.stopsignal = config::Signal::Usr1;
  web.stopasgroup = true;
  web.killasgroup = true;
  web.stopwaitsecs = 5;
  add("api", 0);  // supervisor's defaults: TERM to the process, KILL to the process
  boot();
  ask(1, "stop", {"web", "api"});
  ASSERT_EQ(fake.stop_methods.size(), 2u);
  EXPECT_EQ(fake.stop_methods[0].signal, platform::Signal::Usr1);
  EXPECT_TRUE(fake.stop_methods[0].to_group);
  EXPECT_EQ(fake.stop_methods[1].signal, platform::Signal::Term);
  EXPECT_FALSE(fake.stop_methods[1].to_group);
  tick(11);
  ASSERT_EQ(fake.kills.size(), 2u);
  EXPECT_EQ(fake.kill_groups, (std::vector<bool>{true, false}));
}

TEST(DropinLog, LoglevelFiltersTheActivityLog) {
  std::ostringstream out;
  core::ActivityLog log("", &out, [] { return std::int64_t{0}; });
  log.set_threshold(core::threshold_for(config::LogLevel::Warn));
  log.write(core::LogLevel::Info, "hidden");
  log.write(core::LogLevel::Warn, "shown warning");
  log.write(core::LogLevel::Critical, "shown critical");
  log.set_threshold(core::threshold_for(config::LogLevel::Critical));
  log.write(core::LogLevel::Error, "hidden error");
  log.set_threshold(core::threshold_for(config::LogLevel::Blather));
  log.write(core::LogLevel::Debug, "shown debug");
  const std::string text = out.str();
  EXPECT_EQ(text.find("hidden"), std::string::npos) << text;
  EXPECT_THAT(text, HasSubstr("WARN shown warning"));
  EXPECT_THAT(text, HasSubstr("CRIT shown critical"));
  EXPECT_THAT(text, HasSubstr("DEBG shown debug"));
}

// --- the POSIX launch plan

std::vector<std::string> values_of(const std::vector<std::string>& env, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& e : env)
    if (e.rfind(name + "=", 0) == 0) out.push_back(e.substr(name.size() + 1));
  return out;
}

TEST(DropinLaunch, EnvironmentGoesOverTheDaemonsButUnderTheMark) {
  platform::ProcessSpec spec;
  spec.program = "web";
  spec.process_name = "web";
  spec.image = "/bin/true";
  spec.environment = {{"SUPERVISOR_PROCESS_NAME", "mine"},
                      {"DROPIN_X", "daemon"},
                      {"DROPIN_X", "program"},
                      {posix::kMarkTableVar, "forged"}};
  spec.directory = "/srv/web";
  spec.umask = 027;
  spec.server_url = "/run/sup/supervisord.sock";
  std::string error;
  const auto plan = posix::prepare_launch(spec, error, "/run/sup");
  ASSERT_TRUE(plan) << error;
  EXPECT_THAT(values_of(plan->env, "SUPERVISOR_PROCESS_NAME"), ElementsAre("mine"));
  EXPECT_THAT(values_of(plan->env, "DROPIN_X"), ElementsAre("program"));
  EXPECT_THAT(values_of(plan->env, posix::kMarkTableVar), ElementsAre("/run/sup"));
  EXPECT_THAT(values_of(plan->env, "SUPERVISOR_SERVER_URL"),
              ElementsAre("/run/sup/supervisord.sock"));
  EXPECT_EQ(plan->directory, "/srv/web");
  EXPECT_EQ(plan->umask, 027);
  spec.server_url.clear();
  const auto bare = posix::prepare_launch(spec, error, "/run/sup");
  ASSERT_TRUE(bare) << error;
  EXPECT_THAT(values_of(bare->env, "SUPERVISOR_SERVER_URL"), IsEmpty());
}

// --- real processes

using testing::Daemon;

// The seam's send_signal: the signal reaches the process (a trap answers it), and a
// process that is not there is an error.
class DropinPlatform : public testing::PosixPlatformFixture {};

TEST_F(DropinPlatform, SendSignalReachesTheProcess) {
  platform::ProcessSpec spec;
  spec.program = "trapper";
  spec.image = "/bin/sh";
  const std::string ready = dir_ + "/ready";
  spec.arguments = {"-c", "trap 'exit 7' USR2; echo > " + ready + "; while :; do sleep 0.1; done"};
  const auto r = spawn_now(spec);
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_TRUE(testing::wait_for([&] { return ::access(ready.c_str(), F_OK) == 0; }));
  EXPECT_EQ(platform_->send_signal(r.pid, platform::Signal::Usr2), "");
  std::optional<platform::ExitStatus> status;
  const auto deadline = platform::Clock::now() + std::chrono::seconds(30);
  while (!status && platform::Clock::now() < deadline) {
    std::vector<platform::Event> events;
    wait_events(deadline, events);
    for (const auto& e : events)
      if (e.kind == platform::Event::Kind::ChildExited && e.pid == r.pid) status = e.status;
  }
  ASSERT_TRUE(status);
  EXPECT_EQ(status->kind, platform::ExitStatus::Kind::Exited);
  EXPECT_EQ(status->code, 7u);
  EXPECT_THAT(platform_->send_signal(r.pid, platform::Signal::Usr2), HasSubstr("No such process"));
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Waits until the file at `path` holds a line "END" and returns its text.
std::string wait_end(const std::string& path) {
  std::string text;
  testing::wait_for([&] {
    text = read_file(path);
    return text.find("END\n") != std::string::npos;
  });
  return text;
}

std::string user_line() {
  return "user = " + testing::current_user() + "\n";
}

TEST(DropinProcesses, EnvironmentDirectoryUmaskAndServerUrlReachTheProgram) {
  // The program is supervisor's `command` (no image); stdout_file uses %(ENV_OUT)s,
  // defined by the environment written after it.
  Daemon d("[program:probe]\n" + user_line() +
               "command = /bin/sh -c 'echo \"A=$A B=$B C=$C\"&&echo \"URL=$SUPERVISOR_SERVER_URL\""
               "&&pwd&&umask&&echo END&&exec sleep 300'\n"
               "stdout_file = %(here)s/%(ENV_OUT)s\n"
               "environment = A=\"1,2\",B=prog,OUT=probe.out\n"
               "directory = %(here)s/work\n"
               "umask = 027\n"
               "startsecs = 0\n",
           "environment = B=daemon,C=daemon\n");
  ASSERT_EQ(::mkdir((d.dir() + "/work").c_str(), 0755), 0);
  ASSERT_TRUE(d.start());
  ASSERT_TRUE(d.wait_state("probe", "RUNNING"));
  const std::string out = wait_end(d.dir() + "/probe.out");
  EXPECT_THAT(out, HasSubstr("A=1,2 B=prog C=daemon\n"));
  EXPECT_THAT(out, HasSubstr("URL=" + d.socket() + "\n"));
  EXPECT_THAT(out, HasSubstr("\n" + d.dir() + "/work\n"));
  EXPECT_THAT(out, HasSubstr("\n0027\n"));
  // The process supervised is the program itself (exec'd directly, no shell added).
  const std::string comm = "/proc/" + std::to_string(d.pid_of("probe")) + "/comm";
  EXPECT_TRUE(testing::wait_for([&] { return read_file(comm) == "sleep\n"; })) << read_file(comm);
}

TEST(DropinProcesses, AMissingDirectoryIsASpawnError) {
  Daemon d("[program:lost]\n" + user_line() +
           "command = /bin/true\ndirectory = %(here)s/missing\nstartretries = 0\nstartsecs = 0\n");
  ASSERT_TRUE(d.start());
  ASSERT_TRUE(d.wait_state("lost", "FATAL"));
  // The reason is the program's, shown by status.
  const auto status = d.ctl({"status", "lost"});
  EXPECT_THAT(status.out, HasSubstr("cannot change to directory " + d.dir() + "/missing"))
      << status.out << d.log();
}

// A program whose shell starts a `sleep` and reports its pid; the shell is what is
// supervised, the sleep its child in its process group.
std::string group_program(const std::string& name, const std::string& extra,
                          const std::string& trap = "") {
  return "[program:" + name + "]\n" + user_line() + "command = /bin/sh -c '" + trap +
         "sleep 300 & echo $! > %(here)s/" + name + ".child&&wait'\nstartsecs = 0\n" + extra;
}

long child_pid(const Daemon& d, const std::string& name) {
  std::string text;
  testing::wait_for([&] {
    text = read_file(d.dir() + "/" + name + ".child");
    return !text.empty() && text.back() == '\n';
  });
  return text.empty() ? 0 : std::stol(text);
}

// Ends a process the test left behind on purpose.
struct Reaper {
  std::vector<long> pids;
  ~Reaper() {
    for (long p : pids)
      if (p > 0) ::kill(static_cast<pid_t>(p), SIGKILL);
  }
};

TEST(DropinProcesses, StopasgroupDecidesWhetherTheChildrenGetTheStopSignal) {
  Daemon d(group_program("alone", "") + group_program("group", "stopasgroup = true\n"));
  ASSERT_TRUE(d.start());
  ASSERT_TRUE(d.wait_state("alone", "RUNNING"));
  ASSERT_TRUE(d.wait_state("group", "RUNNING"));
  Reaper reaper;
  const long alone_child = child_pid(d, "alone");
  const long group_child = child_pid(d, "group");
  reaper.pids = {alone_child, group_child};
  ASSERT_GT(alone_child, 0);
  ASSERT_GT(group_child, 0);
  EXPECT_EQ(d.ctl({"stop", "alone", "group"}).exit_code, 0);
  EXPECT_TRUE(d.wait_state("alone", "STOPPED"));
  EXPECT_TRUE(d.wait_state("group", "STOPPED"));
  EXPECT_TRUE(testing::wait_for([&] { return !testing::process_alive(group_child); }));
  // supervisor's default: only the program got SIGTERM; its child lives on.
  EXPECT_TRUE(testing::process_alive(alone_child));
}

TEST(DropinProcesses, KillasgroupDecidesWhetherTheChildrenGetSigkill) {
  // Both shells ignore SIGTERM, so each stop ends with SIGKILL after stopwaitsecs.
  const std::string stubborn = "trap \"\" TERM;";
  Daemon d(group_program("alone", "stopwaitsecs = 1\n", stubborn) +
           group_program("group", "stopwaitsecs = 1\nkillasgroup = true\n", stubborn));
  ASSERT_TRUE(d.start());
  ASSERT_TRUE(d.wait_state("alone", "RUNNING"));
  ASSERT_TRUE(d.wait_state("group", "RUNNING"));
  Reaper reaper;
  const long alone_child = child_pid(d, "alone");
  const long group_child = child_pid(d, "group");
  reaper.pids = {alone_child, group_child};
  ASSERT_GT(alone_child, 0);
  ASSERT_GT(group_child, 0);
  d.ctl({"stop", "alone", "group"});
  EXPECT_TRUE(d.wait_state("alone", "STOPPED"));
  EXPECT_TRUE(d.wait_state("group", "STOPPED"));
  EXPECT_TRUE(testing::wait_for([&] { return !testing::process_alive(group_child); }));
  EXPECT_TRUE(testing::process_alive(alone_child));
  EXPECT_THAT(d.log(), HasSubstr("alone: still running after 1 second, sending kill"));
}

TEST(DropinProcesses, StopsignalIsWhatAStopSends) {
  Daemon d("[program:usr1]\n" + user_line() +
           "command = /bin/sh -c 'trap \"echo got-usr1 > %(here)s/usr1.out;exit 0\" USR1;"
           "echo ready > %(here)s/usr1.ready;while :;do sleep 0.1;done'\n"
           "stopsignal = USR1\nstartsecs = 0\n");
  ASSERT_TRUE(d.start());
  ASSERT_TRUE(d.wait_state("usr1", "RUNNING"));
  ASSERT_TRUE(testing::wait_for([&] { return !read_file(d.dir() + "/usr1.ready").empty(); }));
  EXPECT_EQ(d.ctl({"stop", "usr1"}).exit_code, 0);
  EXPECT_TRUE(d.wait_state("usr1", "STOPPED"));
  EXPECT_EQ(read_file(d.dir() + "/usr1.out"), "got-usr1\n");
  // It ended by itself (exit 0), not by a SIGKILL after stopwaitsecs.
  EXPECT_EQ(d.log().find("sending kill"), std::string::npos) << d.log();
}

TEST(DropinProcesses, DaemonUmaskMinfdsAndLoglevelAct) {
  rlimit nofile{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &nofile), 0);
  const rlim_t want = 4096;
  if (!testing::is_root() && nofile.rlim_max != RLIM_INFINITY && nofile.rlim_max < want)
    GTEST_SKIP() << "the hard RLIMIT_NOFILE (" << nofile.rlim_max << ") is below 4096";
  Daemon d("[program:limits]\n" + user_line() +
               "command = /bin/sh -c 'umask&&ulimit -n&&echo END&&exec sleep 300'\n"
               "stdout_file = %(here)s/limits.out\nstartsecs = 0\n",
           "umask = 077\nminfds = 4096\nloglevel = warn\n");
  ASSERT_TRUE(d.start());
  ASSERT_TRUE(d.wait_state("limits", "RUNNING"));
  const std::string out = wait_end(d.dir() + "/limits.out");
  std::istringstream lines(out);
  std::string umask_line, nofile_line;
  std::getline(lines, umask_line);
  std::getline(lines, nofile_line);
  EXPECT_EQ(umask_line, "0077");
  EXPECT_TRUE(nofile_line == "unlimited" || std::stol(nofile_line) >= 4096) << nofile_line;
  // loglevel = warn: the state changes (INFO) are not in the log.
  EXPECT_EQ(d.log().find(" INFO "), std::string::npos) << d.log();
}

TEST(DropinProcesses, DetachedDaemonHonoursDirectoryAndPidfile) {
  testing::TempDir t;
  ASSERT_EQ(::mkdir((t.path() + "/work").c_str(), 0755), 0);
  const std::string conf =
      t.write("s.conf",
              "[supervisord]\ntable = %(here)s/table\nlogfile = %(here)s/log\n"
              "directory = %(here)s/work\npidfile = %(here)s/sd.pid\n[program:where]\n" +
                  user_line() +
                  "command = /bin/sh -c 'pwd > %(here)s/where.out&&exec sleep 300'\n"
                  "startsecs = 0\n");
  const std::string pidfile = t.path() + "/sd.pid";
  const auto r = testing::run_command({testing::binary("supervisord"), "-c", conf});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Written before the starting command returns.
  const std::string pid_text = read_file(pidfile);
  ASSERT_FALSE(pid_text.empty());
  const long pid = std::stol(pid_text);
  EXPECT_EQ(pid_text, std::to_string(pid) + "\n");
  EXPECT_TRUE(testing::process_alive(pid));
  // The program inherits the daemon's working directory.
  EXPECT_TRUE(testing::wait_for([&] {
    return read_file(t.path() + "/where.out") == t.path() + "/work\n";
  })) << read_file(t.path() + "/where.out");
  const long prog =
      std::atol(testing::run_command({testing::binary("supervisor"), "-c", conf, "pid", "where"})
                    .out.c_str());
  ::kill(static_cast<pid_t>(pid), SIGTERM);
  EXPECT_TRUE(testing::wait_for([&] {
    return !testing::process_alive(pid) && (prog <= 0 || !testing::process_alive(prog));
  }));
  EXPECT_FALSE(std::filesystem::exists(pidfile));
}

TEST(DropinProcesses, SilentKeepsTheForegroundLogOffStderr) {
  const std::string prog =
      "[program:quiet]\n" + user_line() + "command = /bin/sleep 300\nstartsecs = 0\n";
  Daemon loud(prog), quiet(prog, "silent = true\n");
  ASSERT_TRUE(loud.start());
  ASSERT_TRUE(quiet.start());
  ASSERT_TRUE(loud.wait_state("quiet", "RUNNING"));
  ASSERT_TRUE(quiet.wait_state("quiet", "RUNNING"));
  EXPECT_TRUE(
      testing::wait_for([&] { return loud.output().find("quiet: spawned") != std::string::npos; }));
  EXPECT_THAT(quiet.log(), HasSubstr("quiet: spawned"));
  EXPECT_EQ(quiet.output().find("quiet: spawned"), std::string::npos) << quiet.output();
}

TEST(DropinProcesses, MinfdsThatCannotBeMetStopsTheDaemon) {
  // Above any hard limit the kernel allows (fs.nr_open is at most 2^30 on Linux).
  Daemon d("[program:a]\n" + user_line() + "command = /bin/true\n", "minfds = 1073741824\n");
  EXPECT_FALSE(d.start());
  const int code = d.wait_exit();
  EXPECT_NE(code, 0);
  EXPECT_THAT(d.output(), HasSubstr("minfds = 1073741824: cannot raise RLIMIT_NOFILE"));
}

}  // namespace
}  // namespace sup
