// Loading whole configurations: defaults, every key, expansions, errors and warnings.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "config/config.hpp"
#include "support/config_env.hpp"

namespace sup::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kPosixFile = "/etc/sup/supervisord.conf";
const std::string kVmsFile = "DISK$APP:[APP]SUPERVISORD.CONF";

Environment test_env(unsigned uid = 1000, std::string runtime_dir = "/run/user/1000") {
  return test::alice_env({{"USER", "alice"}, {"LOGS", "/var/log/app"}}, uid,
                         std::move(runtime_dir));
}

LoadResult posix(const std::string& text, const Environment& env = test_env()) {
  return load_string(text, kPosixFile, Flavor::Posix, env);
}

LoadResult vms(const std::string& text) {
  return load_string(text, kVmsFile, Flavor::Vms, test_env());
}

std::vector<std::string> messages(const LoadResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics) out.push_back(d.to_string());
  return out;
}

// The only program of a configuration that must load without any diagnostic.
ProgramConfig only_program(const LoadResult& r) {
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.diagnostics.empty()) << messages(r)[0];
  if (!r.config || r.config->programs.size() != 1) {
    ADD_FAILURE() << "expected one program";
    return {};
  }
  return r.config->programs[0];
}

// The one diagnostic of a configuration, as text.
std::string only_message(const LoadResult& r) {
  const auto m = messages(r);
  EXPECT_EQ(m.size(), 1u);
  return m.empty() ? std::string() : m[0];
}

TEST(ConfigLoader, PosixDefaults) {
  const auto r = posix("[program:web]\nuser = alice\n");
  const auto p = only_program(r);
  EXPECT_EQ(p.name, "web");
  EXPECT_EQ(p.line, 1);
  EXPECT_EQ(p.image, "/bin/sh");
  EXPECT_EQ(p.command, "/dev/null");
  EXPECT_EQ(p.process_name, "web");
  EXPECT_EQ(p.user, "alice");
  EXPECT_TRUE(p.arguments.empty());
  EXPECT_TRUE(p.autostart);
  EXPECT_EQ(p.stdout_file, "/dev/null");
  EXPECT_EQ(p.stderr_file, "/dev/null");
  EXPECT_EQ(p.startsecs, 10);
  EXPECT_EQ(p.startretries, 3);
  EXPECT_EQ(p.stopwaitsecs, 10);
  EXPECT_EQ(p.kt_limit, 0);
  EXPECT_EQ(p.baspri, 4);
  EXPECT_FALSE(p.nouaf);
  EXPECT_TRUE(p.quotas.empty());
  EXPECT_TRUE(p.privileges.empty());
  EXPECT_EQ(p.privilege_mask, 0u);
  EXPECT_EQ(p.autorestart, Autorestart::Unexpected);
  EXPECT_EQ(p.exitcodes, std::vector<std::uint32_t>({0}));
  const auto& c = *r.config;
  EXPECT_EQ(c.path, kPosixFile);
  EXPECT_EQ(c.here, "/etc/sup");
  EXPECT_EQ(c.flavor, Flavor::Posix);
  EXPECT_EQ(c.daemon.line, 0);
  EXPECT_FALSE(c.daemon.nodaemon);
  EXPECT_EQ(c.daemon.user, "");
  EXPECT_EQ(c.daemon.command, "");
  EXPECT_EQ(c.daemon.stdout_file, "/dev/null");
  EXPECT_EQ(c.daemon.logfile, "/etc/sup/supervisord.log");
  EXPECT_EQ(c.daemon.table, "/run/user/1000/supervisord");
}

TEST(ConfigLoader, VmsDefaults) {
  const auto r = vms("[program:web]\nuser = appuser\n");
  const auto p = only_program(r);
  EXPECT_EQ(p.image, "SYS$SYSTEM:LOGINOUT.EXE");
  EXPECT_EQ(p.command, "NLA0:");
  EXPECT_EQ(p.stdout_file, "NLA0:");
  EXPECT_EQ(p.stderr_file, "NLA0:");
  EXPECT_EQ(p.user, "APPUSER");
  EXPECT_EQ(p.exitcodes, std::vector<std::uint32_t>({1}));
  EXPECT_EQ(p.baspri, 4);
  const auto& c = *r.config;
  EXPECT_EQ(c.path, kVmsFile);
  EXPECT_EQ(c.here, "DISK$APP:[APP]");
  EXPECT_EQ(c.daemon.user, "SYSTEM");
  EXPECT_EQ(c.daemon.command, "");
  EXPECT_EQ(c.daemon.stdout_file, "NLA0:");
  EXPECT_EQ(c.daemon.logfile, "supervisord.log");
  EXPECT_EQ(c.daemon.table, "SUPERVISORD_TABLE");
}

TEST(ConfigLoader, PosixTableDefaultsDependOnTheUser) {
  const std::string text = "[program:a]\nuser=x\n";
  EXPECT_EQ(posix(text, test_env(0)).config->daemon.table, "/run/supervisord");
  EXPECT_EQ(posix(text, test_env(1000, "")).config->daemon.table, "/tmp/supervisord-1000");
  EXPECT_EQ(posix(text, test_env(1000, "/run/user/1000")).config->daemon.table,
            "/run/user/1000/supervisord");
}

TEST(ConfigLoader, RelativeConfigPathUsesTheWorkingDirectory) {
  const auto r = load_string("[program:a]\nuser=x\nstdout_file=out.log\n", "conf/s.conf",
                             Flavor::Posix, test_env());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.config->path, "/srv/conf/s.conf");
  EXPECT_EQ(r.config->here, "/srv/conf");
  EXPECT_EQ(r.config->programs[0].stdout_file, "/srv/conf/out.log");
}

TEST(ConfigLoader, EveryPosixProgramKey) {
  const auto p =
      only_program(posix("[program:worker]\n"
                         "image = /usr/bin/python3\n"
                         "arguments = -u \"my app.py\" --flag\n"
                         "command = scripts/run.sh\n"
                         "process_name = wrk_%(program_name)s\n"
                         "user = %(ENV_USER)s\n"
                         "autostart = no\n"
                         "stdout_file = /var/log/worker.out\n"
                         "stderr_file = nla0:\n"
                         "startsecs = 0\n"
                         "startretries = 7\n"
                         "stopwaitsecs = 30\n"
                         "baspri = 6\n"
                         "quotas = FILLM=64, CPULM=1000\n"
                         "autorestart = true\n"
                         "exitcodes = 0, 2\n"));
  EXPECT_EQ(p.image, "/usr/bin/python3");
  EXPECT_EQ(p.arguments, std::vector<std::string>({"-u", "my app.py", "--flag"}));
  EXPECT_EQ(p.command, "/etc/sup/scripts/run.sh");
  EXPECT_EQ(p.process_name, "wrk_worker");
  EXPECT_EQ(p.user, "alice");
  EXPECT_FALSE(p.autostart);
  EXPECT_EQ(p.stdout_file, "/var/log/worker.out");
  EXPECT_EQ(p.stderr_file, "/dev/null");
  EXPECT_EQ(p.startsecs, 0);
  EXPECT_EQ(p.startretries, 7);
  EXPECT_EQ(p.stopwaitsecs, 30);
  EXPECT_EQ(p.baspri, 6);
  ASSERT_EQ(p.quotas.size(), 2u);
  EXPECT_EQ(p.quotas[1].name, "CPULM");
  EXPECT_EQ(p.quotas[1].value, 1000u);
  EXPECT_EQ(p.autorestart, Autorestart::True);
  EXPECT_EQ(p.exitcodes, std::vector<std::uint32_t>({0, 2}));
}

TEST(ConfigLoader, EveryVmsProgramKey) {
  const auto p =
      only_program(vms("[program:web]\n"
                       "image = SYS$SYSTEM:LOGINOUT.EXE\n"
                       "command = DISK$APP:[APP]RUN_WEB.COM\n"
                       "process_name = WEB_SERVER\n"
                       "user = web\n"
                       "autostart = false\n"
                       "stdout_file = DISK$APP:[APP.LOG]WEB.LOG\n"
                       "stderr_file = DISK$APP:[APP.LOG]WEB.ERR\n"
                       "startsecs = 5\n"
                       "startretries = 1\n"
                       "stopwaitsecs = 20\n"
                       "kt_limit = 8\n"
                       "baspri = 5\n"
                       "nouaf = true\n"
                       "quotas = (ASTLM=600, BYTLM=131072, FILLM=50)\n"
                       "privileges = TMPMBX, NETMBX, SYSNAM\n"
                       "autorestart = unexpected\n"
                       "exitcodes = 1, %X10000001\n"));
  EXPECT_EQ(p.command, "DISK$APP:[APP]RUN_WEB.COM");
  EXPECT_EQ(p.process_name, "WEB_SERVER");
  EXPECT_EQ(p.user, "WEB");
  EXPECT_FALSE(p.autostart);
  EXPECT_EQ(p.stdout_file, "DISK$APP:[APP.LOG]WEB.LOG");
  EXPECT_EQ(p.stderr_file, "DISK$APP:[APP.LOG]WEB.ERR");
  EXPECT_EQ(p.startsecs, 5);
  EXPECT_EQ(p.startretries, 1);
  EXPECT_EQ(p.stopwaitsecs, 20);
  EXPECT_EQ(p.kt_limit, 8);
  EXPECT_EQ(p.baspri, 5);
  EXPECT_TRUE(p.nouaf);
  ASSERT_EQ(p.quotas.size(), 3u);
  EXPECT_EQ(p.quotas[0].name, "ASTLM");
  EXPECT_EQ(p.quotas[0].value, 600u);
  EXPECT_EQ(p.privileges, std::vector<std::string>({"TMPMBX", "NETMBX", "SYSNAM"}));
  EXPECT_EQ(p.privilege_mask, (1ULL << 15) | (1ULL << 20) | (1ULL << 2));
  EXPECT_EQ(p.autorestart, Autorestart::Unexpected);
  EXPECT_EQ(p.exitcodes, std::vector<std::uint32_t>({1, 0x10000001}));
}

TEST(ConfigLoader, EveryDaemonKey) {
  const std::string text =
      "[supervisord]\n"
      "nodaemon = true\n"
      "user = operator\n"
      "command = %s\n"
      "stdout_file = %s\n"
      "logfile = %s\n"
      "table = %s\n"
      "[program:a]\nuser = x\n";
  auto fill = [&](std::string t, std::vector<std::string> v) {
    for (const auto& s : v) t.replace(t.find("%s"), 2, s);
    return t;
  };
  const auto p = posix(fill(text, {"start.sh", "NLA0:", "logs/sup.log", "/run/sup"}));
  ASSERT_TRUE(p.ok()) << messages(p)[0];
  EXPECT_EQ(p.config->daemon.line, 1);
  EXPECT_TRUE(p.config->daemon.nodaemon);
  EXPECT_EQ(p.config->daemon.user, "operator");
  EXPECT_EQ(p.config->daemon.command, "/etc/sup/start.sh");
  EXPECT_EQ(p.config->daemon.stdout_file, "/dev/null");
  EXPECT_EQ(p.config->daemon.logfile, "/etc/sup/logs/sup.log");
  EXPECT_EQ(p.config->daemon.table, "/run/sup");
  const auto v = vms(fill(text, {"SYS$STARTUP:SUPERVISORD.COM", "SYS$MANAGER:SUPERVISORD.OUT",
                                 "SYS$MANAGER:SUPERVISORD.LOG", "my_table"}));
  ASSERT_TRUE(v.ok()) << messages(v)[0];
  EXPECT_EQ(v.config->daemon.user, "OPERATOR");
  EXPECT_EQ(v.config->daemon.command, "SYS$STARTUP:SUPERVISORD.COM");
  EXPECT_EQ(v.config->daemon.stdout_file, "SYS$MANAGER:SUPERVISORD.OUT");
  EXPECT_EQ(v.config->daemon.logfile, "SYS$MANAGER:SUPERVISORD.LOG");
  EXPECT_EQ(v.config->daemon.table, "MY_TABLE");
}

TEST(ConfigLoader, VmsTableMustBeATableName) {
  EXPECT_EQ(only_message(vms("[supervisord]\ntable = /run/x\n[program:a]\nuser=x\n")),
            kVmsFile +
                ":2: [supervisord] table: expected a logical name table name (1 to 31 letters, "
                "digits, _ or $), got \"/run/x\"");
}

TEST(ConfigLoader, Expansions) {
  const auto p =
      only_program(posix("[program:web]\n"
                         "user = %(ENV_USER)s\n"
                         "stdout_file = %(ENV_LOGS)s/%(program_name)s.log\n"
                         "stderr_file = %(here)s/../err/%(program_name)s.err\n"
                         "arguments = -c \"echo 100%% done\" %done\n"));
  EXPECT_EQ(p.stdout_file, "/var/log/app/web.log");
  EXPECT_EQ(p.stderr_file, "/etc/err/web.err");
  EXPECT_EQ(p.arguments, std::vector<std::string>({"-c", "echo 100% done", "%done"}));
}

TEST(ConfigLoader, ExpansionErrorsNameTheKeyAndLine) {
  EXPECT_EQ(
      only_message(posix("[program:web]\nuser = %(ENV_NOBODY)s\n")),
      kPosixFile +
          ":2: [program:web] user: %(ENV_NOBODY)s: the environment variable NOBODY is not set");
  EXPECT_EQ(only_message(posix("[program:web]\nuser = x\ncommand = %(host)s\n")),
            kPosixFile +
                ":3: [program:web] command: unknown expansion %(host); expected "
                "%(program_name)s, %(group_name)s, %(process_num)d, %(numprocs)d, "
                "%(host_node_name)s, %(here)s or %(ENV_name)s");
  EXPECT_EQ(only_message(posix("[program:web]\nuser = x\nprocess_name = %(program_name)d\n")),
            kPosixFile +
                ":3: [program:web] process_name: %(program_name)d: this expansion is a "
                "text: write %(program_name)s");
  EXPECT_EQ(only_message(posix("[program:web]\nuser = x\ncommand = %(here\n")),
            kPosixFile + ":3: [program:web] command: \"%(\" is not closed by \")\"");
  EXPECT_EQ(only_message(posix("[supervisord]\nlogfile = %(program_name)s.log\n"
                               "[program:a]\nuser=x\n")),
            kPosixFile +
                ":2: [supervisord] logfile: %(program_name)s can only be used in a [program:x] "
                "section");
}

TEST(ConfigLoader, PosixFileNames) {
  const auto p =
      only_program(posix("[program:web]\nuser = x\n"
                         "image = bin/server\n"
                         "command = ~/run.sh\n"
                         "stdout_file = ./logs/../logs/web.log\n"
                         "stderr_file = NlA0:\n"));
  EXPECT_EQ(p.image, "/etc/sup/bin/server");
  EXPECT_EQ(p.command, "/home/alice/run.sh");
  EXPECT_EQ(p.stdout_file, "/etc/sup/logs/web.log");
  EXPECT_EQ(p.stderr_file, "/dev/null");
  EXPECT_EQ(only_program(posix("[program:a]\nuser=x\nimage = python3\n")).image, "python3");
}

TEST(ConfigLoader, VmsFileSpecificationsAreRefusedOnPosix) {
  EXPECT_EQ(only_message(posix("[program:web]\nuser = x\ncommand = DISK$APP:[APP]RUN.COM\n")),
            kPosixFile +
                ":3: [program:web] command: an OpenVMS file specification cannot be used on POSIX "
                "(only NLA0:, which means /dev/null); give a path");
  for (const char* spec : {"SYS$OUTPUT:", "SYS$MANAGER:X.LOG", "dka0:<dir>x.y"}) {
    EXPECT_THAT(
        only_message(posix(std::string("[program:web]\nuser = x\nstdout_file = ") + spec + "\n")),
        HasSubstr(":3: [program:web] stdout_file: an OpenVMS file specification"))
        << spec;
  }
  // Colons elsewhere are ordinary POSIX file name characters.
  EXPECT_EQ(only_program(posix("[program:web]\nuser = x\nstdout_file = ./a:b\n")).stdout_file,
            "/etc/sup/a:b");
  EXPECT_EQ(only_program(posix("[program:web]\nuser = x\nstdout_file = /x/a:b\n")).stdout_file,
            "/x/a:b");
}

TEST(ConfigLoader, VmsOnlyKeysWarnOnPosix) {
  const auto r = posix(
      "[program:web]\nuser = x\n"
      "kt_limit = 4\n"
      "nouaf = yes\n"
      "privileges = TMPMBX\n"
      "quotas = FILLM=50, BYTLM=100, ASTLM=10\n");
  EXPECT_TRUE(r.ok());
  EXPECT_THAT(
      messages(r),
      ElementsAre(kPosixFile + ":3: warning: [program:web] kt_limit: has no effect on POSIX "
                               "(OpenVMS only)",
                  kPosixFile + ":4: warning: [program:web] nouaf: has no effect on POSIX "
                               "(OpenVMS only)",
                  kPosixFile + ":5: warning: [program:web] privileges: has no effect on "
                               "POSIX (OpenVMS only)",
                  kPosixFile + ":6: warning: [program:web] quotas: BYTLM, ASTLM have no "
                               "effect on POSIX (only FILLM, CPULM, PGFLQUOTA and PRCLM "
                               "apply there, as resource limits)"));
  for (const auto& d : r.diagnostics) EXPECT_EQ(d.level, Diagnostic::Level::Warning);
  // The values are still checked and kept.
  EXPECT_EQ(r.config->programs[0].kt_limit, 4);
  EXPECT_EQ(r.config->programs[0].quotas.size(), 3u);
}

TEST(ConfigLoader, PosixQuotasWithCounterpartsDoNotWarn) {
  EXPECT_TRUE(posix("[program:a]\nuser=x\nquotas=FILLM=1,CPULM=2,PGFLQUOTA=3,PRCLM=4\n")
                  .diagnostics.empty());
}

TEST(ConfigLoader, VmsOnlyKeysAreStillCheckedOnPosix) {
  const auto r = posix("[program:a]\nuser=x\nprivileges = NOSUCH\n");
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(messages(r),
              ElementsAre(kPosixFile + ":3: warning: [program:a] privileges: has no effect on "
                                       "POSIX (OpenVMS only)",
                          kPosixFile + ":3: [program:a] privileges: unknown privilege NOSUCH; "
                                       "expected OpenVMS privilege names such as TMPMBX, NETMBX, "
                                       "SYSNAM"));
}

TEST(ConfigLoader, ArgumentsWarnOnVms) {
  EXPECT_EQ(only_message(vms("[program:a]\nuser=x\narguments = -c x\n")),
            kVmsFile + ":3: warning: [program:a] arguments: has no effect on OpenVMS (POSIX only)");
}

TEST(ConfigLoader, MalformedValuesSayWhatIsExpected) {
  const auto r = posix(
      "[program:a]\nuser = x\n"
      "autostart = maybe\n"
      "startsecs = -5\n"
      "startretries = lots\n"
      "stopwaitsecs = 1e3\n"
      "baspri = 32\n"
      "autorestart = always\n"
      "exitcodes = 0;1\n"
      "quotas = ASTLM:600\n"
      "arguments = -c 'oops\n");
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.config);
  EXPECT_THAT(
      messages(r),
      ElementsAre(
          kPosixFile + ":3: [program:a] autostart: expected true or false (or yes/no, on/off, "
                       "1/0), got \"maybe\"",
          kPosixFile + ":4: [program:a] startsecs: expected an integer from 0 to 86400, got \"-5\"",
          kPosixFile +
              ":5: [program:a] startretries: expected an integer from 0 to 1000000, got \"lots\"",
          kPosixFile +
              ":6: [program:a] stopwaitsecs: expected an integer from 0 to 86400, got \"1e3\"",
          kPosixFile + ":7: [program:a] baspri: expected an integer from 0 to 31, got \"32\"",
          kPosixFile +
              ":8: [program:a] autorestart: expected false, unexpected or true, got \"always\"",
          kPosixFile +
              ":9: [program:a] exitcodes: expected a comma-separated list of exit codes from 0 to "
              "255, near \";1\"",
          kPosixFile +
              ":10: [program:a] quotas: expected a quota list like \"ASTLM=600, BYTLM=131072\" "
              "(values 0 to 4294967295), near \"ASTLM:600\"",
          kPosixFile + ":11: [program:a] arguments: the ' quote at column 4 is not closed"));
}

TEST(ConfigLoader, StructuralErrors) {
  EXPECT_EQ(
      only_message(posix("[program:a]\n")),
      kPosixFile + ":1: [program:a] user: missing: it names the account that runs the program");
  EXPECT_EQ(only_message(posix("[supervisord]\n")),
            kPosixFile + ": warning: no [program:name] section: supervisord has no program to run");
  EXPECT_EQ(only_message(posix("[program:a]\nuser=x\n[web_server]\nport=9001\n")),
            kPosixFile +
                ":3: [web_server] unknown section; expected [supervisord], [program:name], "
                "[group:name], [include] or one of supervisor's other sections");
  EXPECT_EQ(only_message(posix("[program:a]\nuser=x\nstartsec=1\n")),
            kPosixFile + ":3: [program:a] startsec: unknown key; did you mean startsecs?");
  EXPECT_THAT(only_message(posix("[program:a]\nuser=x\nflavour=A=1\n")),
              HasSubstr(":3: [program:a] flavour: unknown key; expected one of image, command, "
                        "process_name, user,"));
  EXPECT_EQ(only_message(posix("[program:a]\nuser=x\nUser=y\n")),
            kPosixFile + ":3: [program:a] user: given twice (first at line 2)");
  EXPECT_EQ(only_message(posix("nodaemon=true\n[program:a]\nuser=x\n")),
            kPosixFile +
                ":1: nodaemon: key outside any section; put it under [supervisord] or "
                "[program:name]");
  EXPECT_EQ(only_message(posix("[supervisord]\n[program:a]\nuser=x\n[supervisord]\n")),
            kPosixFile +
                ":4: [supervisord] only one [supervisord] section is allowed (the first "
                "is at line 1)");
}

TEST(ConfigLoader, ProgramNames) {
  EXPECT_EQ(only_message(posix("[program:]\nuser=x\n")),
            kPosixFile + ":1: [program:] the program name is missing: write [program:name]");
  EXPECT_EQ(only_message(posix("[program:all]\nuser=x\n")),
            kPosixFile + ":1: [program:all] ALL cannot name a program: it means every program");
  EXPECT_EQ(only_message(posix("[program:a/b]\nuser=x\n")),
            kPosixFile +
                ":1: [program:a/b] the program name \"a/b\" may only contain letters, "
                "digits, _, $, - and .");
  EXPECT_EQ(only_message(posix("[program:Web]\nuser=x\n[PROGRAM:web]\nuser=x\n")),
            kPosixFile +
                ":3: [PROGRAM:web] program web is already defined at line 1 (program "
                "names are compared without regard to case)");
  // The keys of a duplicate section are still checked.
  EXPECT_EQ(posix("[program:Web]\nuser=x\n[PROGRAM:web]\nuser=x\nbaspri=99\n").error_count(), 2);
  EXPECT_TRUE(posix("[Program: web ]\nuser=x\n").ok());
  EXPECT_EQ(posix("[Program: web ]\nuser=x\n").config->programs[0].name, "web");
}

TEST(ConfigLoader, ProcessNames) {
  EXPECT_EQ(only_message(vms("[program:a_very_long_name_1]\nuser=x\n")),
            kVmsFile +
                ":1: [program:a_very_long_name_1] process_name: process name "
                "\"a_very_long_name_1\" is 18 characters long; at most 15 are allowed on "
                "OpenVMS (set process_name to a shorter name)");
  EXPECT_TRUE(vms("[program:a_very_long_name_1]\nuser=x\nprocess_name=short\n").ok());
  // On POSIX a process name is only SUPERVISOR_PROCESS_NAME: supervisor's names load.
  EXPECT_TRUE(posix("[program:a_very_long_name_1]\nuser=x\n").ok());
  EXPECT_EQ(only_message(posix("[program:a]\nuser=x\nprocess_name=P1\n"
                               "[program:b]\nuser=x\nprocess_name=P1\n")),
            kPosixFile +
                ":6: [program:b] process_name: process name P1 is also used by "
                "[program:a] (line 1)");
  EXPECT_EQ(only_message(posix("[program:a]\nuser=x\n[program:b]\nuser=x\nprocess_name=a\n")),
            kPosixFile +
                ":5: [program:b] process_name: process name a is also used by "
                "[program:a] (line 1)");
  EXPECT_EQ(only_message(posix("[program:a]\nuser=x\nprocess_name=\n")),
            kPosixFile + ":3: [program:a] process_name: expected a value, got nothing");
}

TEST(ConfigLoader, UserNames) {
  EXPECT_EQ(only_message(vms("[program:a]\nuser = some.body\n")),
            kVmsFile +
                ":2: [program:a] user: expected an OpenVMS user name (1 to 32 letters, "
                "digits, _ or $), got \"some.body\"");
  EXPECT_EQ(
      only_message(posix("[program:a]\nuser = a:b\n")),
      kPosixFile + ":2: [program:a] user: expected a user name or a numeric uid, got \"a:b\"");
  EXPECT_EQ(only_message(posix("[program:a]\nuser =\n")),
            kPosixFile + ":2: [program:a] user: expected a user name, got nothing");
}

TEST(ConfigLoader, EveryErrorOfAFileIsReported) {
  const auto r = posix(
      "[supervisord]\n"                 // 1
      "nodaemon = perhaps\n"            // 2
      "colour = blue\n"                 // 3
      "[program:web]\n"                 // 4
      "startsecs = ten\n"               // 5
      "kt_limit = 2\n"                  // 6: warning
      "this line is wrong\n"            // 7
      "[program:web_server_process]\n"  // 8: a long process name is fine on POSIX
      "user = %(ENV_MISSING)s\n"        // 9: not "missing", but undefined
      "[program:db]\n"                  // 10
      "user = x\n"                      // 11
      "process_name = web\n"            // 12: taken by [program:web]
      "quotas = ASTLM=1, ASTLM=2\n"     // 13
      "[group:all]\n");                 // 14
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error_count(), 9);
  EXPECT_THAT(
      messages(r),
      ElementsAre(
          kPosixFile + ":2: [supervisord] nodaemon: expected true or false (or yes/no, on/off, "
                       "1/0), got \"perhaps\"",
          kPosixFile + ":3: [supervisord] colour: unknown key; expected one of nodaemon, user, "
                       "command, stdout_file, logfile, table, environment, loglevel, umask, "
                       "minfds, minprocs, pidfile, silent, directory, identifier",
          kPosixFile + ":4: [program:web] user: missing: it names the account that runs the "
                       "program",
          kPosixFile + ":5: [program:web] startsecs: expected an integer from 0 to 86400, got "
                       "\"ten\"",
          kPosixFile + ":6: warning: [program:web] kt_limit: has no effect on POSIX (OpenVMS only)",
          kPosixFile + ":7: expected 'key = value', a [section] header or a comment",
          kPosixFile + ":9: [program:web_server_process] user: %(ENV_MISSING)s: the environment "
                       "variable MISSING is not set",
          kPosixFile + ":12: [program:db] process_name: process name web is also used by "
                       "[program:web] (line 4)",
          kPosixFile + ":13: [program:db] quotas: quota ASTLM is given twice",
          kPosixFile + ":14: [group:all] as a group name: ALL cannot name a program: it "
                       "means every program"));
}

TEST(ConfigLoader, OverlongLineIsAnErrorWithItsLine) {
  const auto r = posix("[program:a]\nuser = x\narguments = -c \"" + std::string(200, 'x') + "\"\n");
  EXPECT_EQ(only_message(r),
            kPosixFile +
                ":3: line is 217 characters long; at most 198 are allowed (continue a "
                "long value on indented lines)");
}

TEST(ConfigLoader, ListsMaySpanContinuationLines) {
  const auto p =
      only_program(vms("[program:a]\n"
                       "user = x\n"
                       "quotas = ASTLM=600,   ; asynchronous system traps\n"
                       "         BYTLM=131072,\n"
                       "         FILLM=50\n"
                       "privileges = (TMPMBX,\n"
                       "              NETMBX)\n"
                       "baspri = 5\n"));
  EXPECT_EQ(p.quotas.size(), 3u);
  EXPECT_EQ(p.privileges.size(), 2u);
  EXPECT_EQ(p.baspri, 5);
  const auto q = only_program(posix("[program:a]\nuser=x\narguments = -c\n    \"echo 1\"\n"));
  EXPECT_EQ(q.arguments, std::vector<std::string>({"-c", "echo 1"}));
}

TEST(ConfigLoader, SingleValuesCannotSpanLines) {
  EXPECT_EQ(only_message(posix("[program:a]\n  user = x\n  image = /bin/sh\n")),
            kPosixFile +
                ":2: [program:a] user: the value continues on an indented line, which "
                "only lists and arguments may do (remove the indentation if the next "
                "line is a key of its own)");
}

TEST(ConfigLoader, FindIgnoresCase) {
  const auto r = posix("[program:Web]\nuser=x\n[program:db]\nuser=x\n");
  ASSERT_TRUE(r.ok());
  ASSERT_NE(r.config->find("WEB"), nullptr);
  EXPECT_EQ(r.config->find("WEB")->name, "Web");
  EXPECT_EQ(r.config->find("db")->line, 3);
  EXPECT_EQ(r.config->find("nope"), nullptr);
}

TEST(ConfigLoader, DiagnosticText) {
  Diagnostic d;
  d.file = "f.conf";
  d.text = "bad";
  EXPECT_EQ(d.to_string(), "f.conf: bad");
  d.line = 4;
  d.key = "user";
  EXPECT_EQ(d.to_string(), "f.conf:4: user: bad");
  d.section = "program:a";
  EXPECT_EQ(d.to_string(), "f.conf:4: [program:a] user: bad");
  d.level = Diagnostic::Level::Warning;
  EXPECT_EQ(d.to_string(), "f.conf:4: warning: [program:a] user: bad");
}

TEST(ConfigLoader, MissingFile) {
  const auto r = load_file("/nonexistent/dir/supervisord.conf", Flavor::Posix, test_env());
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.open_error.empty());
  EXPECT_EQ(only_message(r),
            "/nonexistent/dir/supervisord.conf: cannot open the configuration "
            "file: " +
                r.open_error);
  const auto dir = load_file(SUP_SOURCE_DIR "/conf", Flavor::Posix, test_env());
  EXPECT_FALSE(dir.ok());
  EXPECT_FALSE(dir.open_error.empty());
  const auto endless = load_file("/dev/zero", Flavor::Posix, test_env());
  EXPECT_EQ(endless.open_error, "it is larger than 16 MiB");
}

}  // namespace
}  // namespace sup::config
