// Pure pieces of the Linux backend: the priority and device mappings, the epoll timeout,
// /proc parsing, exit descriptions, and the rules for `user` when not root.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "platform/posix/posix_child.hpp"
#include "platform/posix/posix_epoll.hpp"
#include "platform/posix/posix_launch.hpp"
#include "platform/posix/posix_proc.hpp"
#include "platform/posix/posix_processes.hpp"
#include "platform/posix/posix_user.hpp"

namespace {

using namespace std::chrono_literals;
using sup::platform::ExitStatus;
using sup::platform::TimePoint;

TEST(PosixLaunch, BasePriorityMapsToNice) {
  const int expected[] = {10, 7, 5, 2, 0, -2, -5, -7, -10, -12, -15, -17, -20, -20};
  for (int baspri = 0; baspri < 14; ++baspri) {
    EXPECT_EQ(sup::posix::baspri_to_nice(baspri), expected[baspri]) << baspri;
  }
  EXPECT_EQ(sup::posix::baspri_to_nice(31), -20);
  EXPECT_EQ(sup::posix::baspri_to_nice(-20), 19);  // out of range: clamped
}

TEST(PosixLaunch, NullDeviceSpellings) {
  for (const char* name : {"", "NLA0:", "nla0:", "Nla0", "_NLA0:"}) {
    EXPECT_EQ(sup::posix::device_path(name), "/dev/null") << name;
  }
  EXPECT_EQ(sup::posix::device_path("/var/log/x.log"), "/var/log/x.log");
  EXPECT_EQ(sup::posix::device_path("NLA0.log"), "NLA0.log");
}

TEST(PosixLaunch, EpollTimeoutFromDeadline) {
  const TimePoint now{std::chrono::seconds(1000)};
  EXPECT_EQ(sup::posix::epoll_timeout_ms(std::nullopt, now), -1);  // idle: block for ever
  EXPECT_EQ(sup::posix::epoll_timeout_ms(now, now), 0);
  EXPECT_EQ(sup::posix::epoll_timeout_ms(now - 5s, now), 0);
  EXPECT_EQ(sup::posix::epoll_timeout_ms(now + 1ns, now), 1);  // rounded up, never early
  EXPECT_EQ(sup::posix::epoll_timeout_ms(now + 1500us, now), 2);
  EXPECT_EQ(sup::posix::epoll_timeout_ms(now + 2s, now), 2000);
  EXPECT_EQ(sup::posix::epoll_timeout_ms(now + std::chrono::hours(24 * 365), now), INT_MAX);
}

TEST(PosixLaunch, StartTimeIsField22EvenWithAStrangeCommandName) {
  const std::string fields = " S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 987654 20 21";
  EXPECT_EQ(sup::posix::parse_start_ticks("42 (a) b) (c)" + fields), 987654u);
  EXPECT_EQ(sup::posix::parse_start_ticks("42 (sleep)" + fields), 987654u);
  EXPECT_EQ(sup::posix::parse_start_ticks("42 (sleep) S 1 2"), std::nullopt);
  EXPECT_EQ(sup::posix::parse_start_ticks("garbage"), std::nullopt);
  EXPECT_TRUE(sup::posix::read_start_ticks(static_cast<std::uint64_t>(::getpid())));
  EXPECT_GT(sup::posix::wall_from_ticks(0), 0);
}

TEST(PosixLaunch, ExitDescriptions) {
  EXPECT_EQ(sup::posix::describe_exit_status({ExitStatus::Kind::Exited, 0}), "exit status 0");
  EXPECT_EQ(sup::posix::describe_exit_status({ExitStatus::Kind::Signaled, 15}),
            "terminated by SIGTERM");
  EXPECT_EQ(sup::posix::describe_exit_status({ExitStatus::Kind::Signaled, 200}),
            "terminated by signal 200");
  EXPECT_EQ(sup::posix::describe_exit_status({ExitStatus::Kind::Unknown, 0}), "status unknown");
}

TEST(PosixLaunch, PlanKeepsArgv0AndPrefersPath) {
  sup::platform::ProcessSpec spec;
  spec.image = "sh";
  spec.arguments = {"-c", "true"};
  std::string error;
  auto plan = sup::posix::prepare_launch(spec, error);
  ASSERT_TRUE(plan) << error;
  EXPECT_EQ(plan->path.back(), 'h');
  EXPECT_NE(plan->path.find('/'), std::string::npos);
  EXPECT_EQ(plan->args, (std::vector<std::string>{"sh", "-c", "true"}));
  EXPECT_EQ(plan->input, "/dev/null");
  EXPECT_FALSE(plan->set_nice);
  EXPECT_FALSE(plan->switch_user);
  spec.image.clear();
  EXPECT_FALSE(sup::posix::prepare_launch(spec, error));
  EXPECT_EQ(error, "no image to execute");
}

// Runs `body` in a child process that first becomes `nobody`; true when it returned true.
template <typename F>
bool as_nobody(F body) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::setgid(65534) < 0 || ::setuid(65534) < 0) ::_exit(2);
    ::_exit(body() ? 0 : 1);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// Runs `check` as an unprivileged account: directly when we are not root, else in a
// child that first becomes nobody.
template <typename F>
bool unprivileged(F check) {
  return ::geteuid() == 0 ? as_nobody(check) : check();
}

TEST(PosixLaunch, UserNeedsRootUnlessItIsTheDaemonsOwn) {
  EXPECT_TRUE(unprivileged([] {
    sup::platform::ProcessSpec spec;
    spec.image = "/bin/true";
    spec.user = "root";
    std::string error;
    return !sup::posix::prepare_launch(spec, error) &&
           error == "cannot run as user root: supervisord is not running as root";
  }));
  EXPECT_TRUE(unprivileged([] {
    sup::platform::ProcessSpec spec;
    spec.image = "/bin/true";
    spec.user = sup::posix::lookup_uid(::geteuid())->name;
    std::string error;
    const auto plan = sup::posix::prepare_launch(spec, error);
    return plan && !plan->switch_user;
  }));
}

TEST(PosixLaunch, RaisingThePriorityNeedsRoot) {
  EXPECT_TRUE(unprivileged([] {
    sup::platform::ProcessSpec spec;
    spec.image = "/bin/true";
    spec.baspri = 6;
    std::string error;
    auto plan = sup::posix::prepare_launch(spec, error);
    if (!plan) return false;
    auto child = sup::posix::start_child(*plan);
    if (!child.ok) return false;
    pollfd ready{child.report.get(), POLLIN, 0};
    ::poll(&ready, 1, 10000);  // the report, or end of file had it exec'd
    const auto r = sup::posix::read_child_report(child.report.get(), *plan);
    ::waitpid(child.pid, nullptr, 0);
    return r.kind == sup::posix::ChildReport::Kind::Failed &&
           r.error == "cannot set the priority (nice -5): Permission denied";
  }));
}

}  // namespace
