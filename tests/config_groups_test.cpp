// Groups, instances, priorities, supervisor's expansions and its other sections
// (README "Groups, instances and includes"): each rule, and its errors with file:line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/config.hpp"
#include "support/config_env.hpp"

namespace sup::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kFile = "/etc/sup/supervisord.conf";
const std::string kVmsFile = "DISK$APP:[APP]SUPERVISORD.CONF";

Environment env_with_host() {
  Environment env = test::alice_env({{"WORKERS", "3"}}, 1000, "/run/user/1000");
  env.host_node_name = "box1";
  return env;
}

LoadResult posix(const std::string& text) {
  return load_string(text, kFile, Flavor::Posix, env_with_host());
}

LoadResult vms(const std::string& text) {
  return load_string(text, kVmsFile, Flavor::Vms, env_with_host());
}

std::vector<std::string> messages(const LoadResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics) out.push_back(d.to_string());
  return out;
}

// The first diagnostic, for failure messages.
std::string first(const LoadResult& r) {
  return r.diagnostics.empty() ? "(none)" : r.diagnostics[0].to_string();
}

std::vector<std::string> names(const LoadResult& r) {
  std::vector<std::string> out;
  if (r.config)
    for (const auto& p : r.config->programs) out.push_back(p.name);
  return out;
}

TEST(ConfigGroups, AProgramInNoGroupIsItsOwnGroup) {
  const auto r = posix("[program:web]\nuser=x\npriority=5\n");
  ASSERT_TRUE(r.ok()) << first(r);
  const auto& p = r.config->programs[0];
  EXPECT_EQ(p.group, "web");
  EXPECT_EQ(p.program, "web");
  EXPECT_EQ(p.priority, 5);
  EXPECT_EQ(p.group_priority, 5);  // supervisor: a homogeneous group has its program's priority
  EXPECT_TRUE(r.config->groups.empty());
}

TEST(ConfigGroups, GroupGathersProgramsWhereverItIsWritten) {
  const auto r = posix(
      "[program:a]\nuser=x\npriority=2\n"
      "[group:back]\nprograms = a , b\npriority=-10\n"
      "[program:b]\nuser=x\n"
      "[program:c]\nuser=x\n");
  ASSERT_TRUE(r.ok()) << first(r);
  const auto& ps = r.config->programs;
  ASSERT_EQ(ps.size(), 3u);
  EXPECT_EQ(ps[0].group, "back");
  EXPECT_EQ(ps[0].group_priority, -10);
  EXPECT_EQ(ps[0].priority, 2);
  EXPECT_EQ(ps[1].group, "back");
  EXPECT_EQ(ps[1].priority, 999);
  EXPECT_EQ(ps[2].group, "c");
  ASSERT_EQ(r.config->groups.size(), 1u);
  EXPECT_THAT(r.config->groups[0].programs, ElementsAre("a", "b"));
  EXPECT_EQ(r.config->groups[0].line, 4);
}

TEST(ConfigGroups, ProgramInTwoGroupsIsAnErrorNamingBoth) {
  const auto r = posix(
      "[group:g1]\nprograms=a\n"
      "[group:g2]\nprograms=b,a\n"
      "[program:a]\nuser=x\n[program:b]\nuser=x\n");
  EXPECT_THAT(messages(r),
              ElementsAre(kFile + ":4: [group:g2] programs: program a is already in "
                                  "[group:g1] (line 2); a program belongs to one group"));
}

TEST(ConfigGroups, GroupNamingAMissingProgramIsAnError) {
  const auto r = posix("[program:a]\nuser=x\n[group:g]\npriority=1\nprograms=a,nope\n");
  EXPECT_THAT(messages(r),
              ElementsAre(kFile + ":5: [group:g] programs: there is no [program:nope] section"));
}

TEST(ConfigGroups, GroupKeysAndNamesAreChecked) {
  EXPECT_THAT(
      messages(posix("[program:a]\nuser=x\n[group:g]\nprograms=a\nprio=1\n")),
      ElementsAre(kFile + ":5: [group:g] prio: unknown key; expected programs or priority"));
  EXPECT_THAT(messages(posix("[program:a]\nuser=x\n[group:g]\nprograms=a\npriority=high\n")),
              ElementsAre(HasSubstr(":5: [group:g] priority: expected an integer")));
  EXPECT_THAT(messages(posix("[program:a]\nuser=x\n[group:g]\nprograms=a\n[group:G]\nprograms=\n")),
              ElementsAre(HasSubstr(":5: [group:G] group G is already defined at line 3")));
  EXPECT_THAT(messages(posix("[program:a]\nuser=x\n[group:g]\nprograms=,a\n")),
              ElementsAre(HasSubstr("a program name is empty")));
  EXPECT_THAT(messages(posix("[program:a]\nuser=x\n[group:g]\nprograms=a,A\n")),
              ElementsAre(HasSubstr("program A is listed twice")));
  // A group of the name of a program that is a group of its own.
  EXPECT_THAT(
      messages(posix("[program:a]\nuser=x\n[program:b]\nuser=x\n[group:a]\nprograms=b\n")),
      ElementsAre(kFile + ":5: [group:a] the group name a is taken: [program:a] (line 1) is in "
                          "no [group:x], so it is a group of that name itself"));
  // But a group may have the name of one of its programs.
  EXPECT_TRUE(posix("[program:a]\nuser=x\n[group:a]\nprograms=a\n").ok());
  // An empty group only warns, as in supervisor it is allowed and does nothing.
  EXPECT_THAT(messages(posix("[program:a]\nuser=x\n[group:g]\n")),
              ElementsAre(HasSubstr("warning: [group:g] programs: missing")));
}

TEST(ConfigInstances, NumprocsMakesNamedInstancesInTheProgramsGroup) {
  const auto r = posix(
      "[program:web]\nuser=x\nnumprocs=3\nnumprocs_start=8\n"
      "process_name=%(program_name)s_%(process_num)02d\n"
      "arguments=--port=80%(process_num)d --of=%(numprocs)d --group=%(group_name)s\n"
      "stdout_file=/var/log/%(program_name)s-%(process_num)d.log\n");
  ASSERT_TRUE(r.ok()) << first(r);
  EXPECT_THAT(names(r), ElementsAre("web_08", "web_09", "web_10"));
  const auto& last = r.config->programs[2];
  EXPECT_EQ(last.group, "web");
  EXPECT_EQ(last.program, "web");
  EXPECT_EQ(last.process_name, "web_10");
  EXPECT_EQ(last.process_num, 10);
  EXPECT_EQ(last.numprocs, 3);
  EXPECT_THAT(last.arguments, ElementsAre("--port=8010", "--of=3", "--group=web"));
  EXPECT_EQ(last.stdout_file, "/var/log/web-10.log");
}

TEST(ConfigInstances, NumprocsInAGroupAndFromTheEnvironment) {
  const auto r = posix(
      "[group:pool]\nprograms=w\n"
      "[program:w]\nuser=x\nnumprocs=%(ENV_WORKERS)s\nprocess_name=w-%(process_num)s\n");
  ASSERT_TRUE(r.ok()) << first(r);
  EXPECT_THAT(names(r), ElementsAre("w-0", "w-1", "w-2"));
  EXPECT_EQ(r.config->programs[1].group, "pool");
}

TEST(ConfigInstances, NumprocsNeedsProcessNumInProcessName) {
  EXPECT_THAT(messages(posix("[program:w]\nuser=x\nnumprocs=2\n")),
              ElementsAre(kFile + ":1: [program:w] process_name: must contain %(process_num) when "
                                  "numprocs is more than 1, e.g. "
                                  "process_name=%(program_name)s_%(process_num)02d"));
  EXPECT_THAT(messages(posix("[program:w]\nuser=x\nnumprocs=2\nprocess_name=w\n")),
              ElementsAre(HasSubstr(":4: [program:w] process_name: must contain")));
  EXPECT_THAT(messages(posix("[program:w]\nuser=x\nnumprocs=0\n")),
              ElementsAre(HasSubstr(":3: [program:w] numprocs: expected an integer from 1")));
  EXPECT_THAT(messages(posix("[program:w]\nuser=x\nnumprocs=%(process_num)d\n")),
              ElementsAre(HasSubstr("cannot be used in numprocs")));
}

TEST(ConfigInstances, AnInstanceNameTakenElsewhereIsAnErrorNamingTheInstance) {
  const auto r = posix(
      "[program:w_1]\nuser=x\n"
      "[program:w]\nuser=x\nnumprocs=2\nprocess_name=w_%(process_num)d\n");
  EXPECT_THAT(messages(r),
              ElementsAre(kFile + ":6: [program:w] process_name: the name w_1 of instance 1 of "
                                  "[program:w] is also the name of [program:w_1] (line 1)"));
  EXPECT_THAT(
      messages(posix("[program:w]\nuser=x\nnumprocs=2\nprocess_name=w %(process_num)d\n")),
      ::testing::Contains(HasSubstr("the process name names the program instance 0 of "
                                    "[program:w]: the program name \"w 0\" may only contain")));
}

TEST(ConfigInstances, ErrorsOfEveryInstanceAreReportedOnce) {
  const auto r = posix(
      "[program:w]\nuser=x\nnumprocs=4\nprocess_name=w%(process_num)d\n"
      "startsecs=soon\n");
  EXPECT_THAT(messages(r),
              ElementsAre(HasSubstr(":5: [program:w] startsecs: expected an integer")));
}

TEST(ConfigInstances, OpenVmsProcessNamesAreAtMost15AndUnique) {
  const auto r =
      vms("[program:worker]\nuser=x\nnumprocs=2\n"
          "process_name=%(program_name)s_long_%(process_num)02d\n");
  EXPECT_TRUE(r.ok()) << first(r);  // 14 characters fit
  const auto bad =
      vms("[program:worker]\nuser=x\nnumprocs=2\n"
          "process_name=%(program_name)s_longer_%(process_num)02d\n");
  EXPECT_THAT(messages(bad),
              ElementsAre(kVmsFile + ":4: [program:worker] process_name: process name "
                                     "\"worker_longer_00\" is 16 characters long; at most 15 are "
                                     "allowed on OpenVMS (set process_name to a shorter name) "
                                     "(instance 0)",
                          HasSubstr("\"worker_longer_01\" is 16 characters long")));
  // On POSIX the name is only SUPERVISOR_PROCESS_NAME: supervisor's long names load.
  EXPECT_TRUE(posix("[program:worker]\nuser=x\nnumprocs=2\n"
                    "process_name=%(program_name)s_longer_%(process_num)02d\n")
                  .ok());
  const auto dup =
      vms("[program:a]\nuser=x\nprocess_name=A_1\n"
          "[program:b]\nuser=x\nnumprocs=2\nprocess_name=A_%(process_num)d\n");
  EXPECT_THAT(messages(dup), ElementsAre(HasSubstr(":7: [program:b] process_name: process name "
                                                   "A_1 (instance 1) is also used by "
                                                   "[program:a] (line 1)")));
}

TEST(ConfigExpand, PrintfWidthsHostAndGroupName) {
  const auto r = posix(
      "[group:g]\nprograms=p\n"
      "[program:p]\nuser=x\n"
      "arguments=\"%(process_num)03d|%(process_num)-3d|%(program_name)5s|%(host_node_name)s|"
      "%(group_name)s|%(numprocs)s|100%%\"\n");
  ASSERT_TRUE(r.ok()) << first(r);
  EXPECT_THAT(r.config->programs[0].arguments, ElementsAre("000|0  |    p|box1|g|1|100%"));
  EXPECT_THAT(
      messages(posix("[program:p]\nuser=x\nprocess_name=%(program_name)d\n")),
      ElementsAre(kFile + ":3: [program:p] process_name: %(program_name)d: this expansion is "
                          "a text: write %(program_name)s"));
  EXPECT_THAT(
      messages(posix("[supervisord]\nlogfile=/l/%(process_num)d.log\n[program:p]\nuser=x\n")),
      ElementsAre(HasSubstr("%(process_num)d can only be used in a [program:x] section")));
  Environment no_host = env_with_host();
  no_host.host_node_name.clear();
  EXPECT_THAT(messages(load_string("[program:p]\nuser=x\nprocess_name=%(host_node_name)s\n", kFile,
                                   Flavor::Posix, no_host)),
              ElementsAre(HasSubstr("the host's name is not known to this program")));
}

TEST(ConfigPriority, PriorityMayBeNegative) {
  const auto r = posix("[program:p]\nuser=x\npriority=-1\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.config->programs[0].priority, -1);
  EXPECT_THAT(messages(posix("[program:p]\nuser=x\npriority=1.5\n")),
              ElementsAre(HasSubstr(":3: [program:p] priority: expected an integer")));
}

TEST(ConfigInertSections, EachIsCheckedAndWarnsOnce) {
  const auto r = posix(
      "[unix_http_server]\nfile=/run/supervisor.sock\nchmod=0700\n"
      "[inet_http_server]\nport=127.0.0.1:9001\n"
      "[supervisorctl]\nserverurl=unix:///run/supervisor.sock\n"
      "[rpcinterface:supervisor]\n"
      "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n"
      "[ctlplugin:x]\nsupervisor.ctl_factory = x:make\nanything = 1\n"
      "[eventlistener:mon]\ncommand=/bin/mon\nevents=PROCESS_STATE\nbuffer_size=10\n"
      "[fcgi-program:php]\ncommand=/bin/php\nsocket=tcp://localhost:9000\n"
      "[program:p]\nuser=x\n");
  ASSERT_TRUE(r.ok()) << first(r);
  const auto m = messages(r);
  ASSERT_EQ(m.size(), 7u);
  EXPECT_THAT(m[0], HasSubstr(":1: warning: [unix_http_server] has no effect yet"));
  EXPECT_THAT(m[1], HasSubstr(":4: warning: [inet_http_server] has no effect yet"));
  EXPECT_THAT(m[2], HasSubstr(":6: warning: [supervisorctl] has no effect"));
  EXPECT_THAT(m[5], HasSubstr("[eventlistener:mon] has no effect yet: events are not"));
  EXPECT_THAT(m[6], HasSubstr("[fcgi-program:php] has no effect yet"));
}

TEST(ConfigInertSections, UnknownAndMissingKeysAreErrors) {
  const auto r = posix(
      "[inet_http_server]\nprot=9001\n"
      "[eventlistener:mon]\ncommand=/bin/mon\nredirect_stderr=true\n"
      "[program:p]\nuser=x\n");
  EXPECT_THAT(messages(r),
              ElementsAre(HasSubstr(":1: [inet_http_server] port: missing"),
                          HasSubstr(":1: warning: [inet_http_server]"),
                          HasSubstr(":2: [inet_http_server] prot: unknown key"),
                          HasSubstr(":3: [eventlistener:mon] events: missing"),
                          HasSubstr(":3: warning: [eventlistener:mon]"),
                          HasSubstr(":5: [eventlistener:mon] redirect_stderr: not allowed")));
  EXPECT_THAT(messages(posix("[eventlistener:]\n[program:p]\nuser=x\n")),
              ElementsAre(HasSubstr("the name is missing")));
}

}  // namespace
}  // namespace sup::config
