// The Linux backend with real processes: stopping whole process groups, adopting a
// process of an earlier daemon, signals as events, the table lock, wait deadlines.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "platform/posix/posix_fd.hpp"
#include "platform/posix/posix_platform.hpp"
#include "platform/posix/posix_proc.hpp"
#include "platform/posix/posix_processes.hpp"
#include "support/posix_fixture.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using sup::platform::Clock;
using sup::platform::Event;
using sup::platform::ExitStatus;
using sup::platform::ProcessSpec;
using sup::posix::Fd;

// The seed's stop, kept by these tests: SIGTERM to the program's process group.
const sup::platform::StopMethod kStopGroup{sup::platform::Signal::Term, true};

constexpr int kPatienceMs = 10000;

// A named pipe the test reads the program's output from, line by line, with a timeout:
// the program says when it is ready instead of the test sleeping.
class Fifo {
 public:
  explicit Fifo(const std::string& path) : path_(path) {
    ::mkfifo(path.c_str(), 0600);
    fd_.reset(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  }
  const std::string& path() const { return path_; }
  // The next line (without its newline); "" on timeout or end of file.
  std::string line() {
    const auto deadline = Clock::now() + std::chrono::milliseconds(kPatienceMs);
    while (buffer_.find('\n') == std::string::npos && Clock::now() < deadline) {
      pollfd p{fd_.get(), POLLIN, 0};
      if (::poll(&p, 1, kPatienceMs) <= 0) break;
      char buf[256];
      const ssize_t n = ::read(fd_.get(), buf, sizeof buf);
      if (n <= 0) break;
      buffer_.append(buf, static_cast<std::size_t>(n));
    }
    const auto nl = buffer_.find('\n');
    if (nl == std::string::npos) return "";
    const std::string out = buffer_.substr(0, nl);
    buffer_.erase(0, nl + 1);
    return out;
  }

 private:
  std::string path_;
  Fd fd_;
  std::string buffer_;
};

// True when `pidfd`'s process ends within the patience.
bool ends(const Fd& pidfd) {
  pollfd p{pidfd.get(), POLLIN, 0};
  return ::poll(&p, 1, kPatienceMs) == 1;
}

class PosixPlatform : public sup::testing::PosixPlatformFixture {
 protected:
  // `script` under /bin/sh, its stdout into `fifo`.
  sup::platform::ProcessId start(const std::string& script, const Fifo& fifo) {
    ProcessSpec spec;
    spec.image = "/bin/sh";
    spec.arguments = {"-c", script};
    spec.output = fifo.path();
    const auto r = spawn_now(spec);
    EXPECT_TRUE(r.ok) << r.error;
    return r.pid;
  }

  // The first event of `kind` (and for ChildExited, of `pid`) within 10 s.
  std::optional<Event> next(Event::Kind kind, sup::platform::ProcessId pid = 0) {
    const auto deadline = Clock::now() + 10s;
    while (Clock::now() < deadline) {
      std::vector<Event> events;
      wait_events(deadline, events);
      for (const auto& e : events) {
        if (e.kind == kind && (pid == 0 || e.pid == pid)) return e;
      }
    }
    return std::nullopt;
  }
};

TEST_F(PosixPlatform, RequestStopTerminatesTheWholeGroup) {
  Fifo fifo(dir_ + "/fifo");
  const auto pid = start("sleep 1000 & echo $!; wait", fifo);
  const pid_t grandchild = std::stoi(fifo.line());
  Fd grand(sup::posix::open_pidfd(grandchild));
  ASSERT_TRUE(grand.valid());
  EXPECT_EQ(platform_->request_stop(pid, kStopGroup), "");
  const auto e = next(Event::Kind::ChildExited, pid);
  ASSERT_TRUE(e);
  EXPECT_EQ(platform_->describe_exit(e->status), "terminated by SIGTERM");
  EXPECT_TRUE(ends(grand));
}

TEST_F(PosixPlatform, KillEndsTheWholeGroup) {
  Fifo fifo(dir_ + "/fifo");
  const auto pid = start("trap '' TERM; sleep 1000 & echo $!; wait", fifo);
  const pid_t grandchild = std::stoi(fifo.line());
  Fd grand(sup::posix::open_pidfd(grandchild));
  ASSERT_TRUE(grand.valid());
  EXPECT_EQ(platform_->kill(pid, true), "");
  const auto e = next(Event::Kind::ChildExited, pid);
  ASSERT_TRUE(e);
  EXPECT_EQ(platform_->describe_exit(e->status), "terminated by SIGKILL");
  EXPECT_TRUE(ends(grand));
}

TEST_F(PosixPlatform, ProgramIgnoringTermSurvivesStopAndDiesOnKill) {
  Fifo fifo(dir_ + "/fifo");
  const auto pid = start("trap '' TERM; echo ready; exec sleep 1000", fifo);
  ASSERT_EQ(fifo.line(), "ready");
  // An ignored signal is discarded when sent, so had it worked the status would say TERM.
  EXPECT_EQ(platform_->request_stop(pid, kStopGroup), "");
  EXPECT_EQ(platform_->kill(pid, true), "");
  const auto e = next(Event::Kind::ChildExited, pid);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->status.kind, ExitStatus::Kind::Signaled);
  EXPECT_EQ(e->status.code, static_cast<std::uint32_t>(SIGKILL));
}

TEST_F(PosixPlatform, StoppingAnEndedButUnreapedProcessIsNotAnError) {
  Fifo fifo(dir_ + "/fifo");
  // Ended behind the platform's back, so that no wait() of the test's reaps it first.
  const auto pid = start("exec sleep 300", fifo);
  Fd watch(sup::posix::open_pidfd(static_cast<pid_t>(pid)));
  ASSERT_TRUE(watch.valid());
  ASSERT_EQ(::kill(static_cast<pid_t>(pid), SIGKILL), 0);
  ASSERT_TRUE(ends(watch));  // a zombie now: wait() has not reaped it yet
  EXPECT_EQ(platform_->request_stop(pid, kStopGroup), "");
  EXPECT_EQ(platform_->kill(pid, true), "");
  ASSERT_TRUE(next(Event::Kind::ChildExited, pid));
  // Reaped and forgotten: now it is an error.
  EXPECT_NE(platform_->request_stop(pid, kStopGroup).find("No such process"), std::string::npos);
}

TEST_F(PosixPlatform, AdoptedProcessIsWatchedAndEndsWithUnknownStatus) {
  Fifo fifo(dir_ + "/fifo");
  // The shell leaves an orphan behind: a process that is not our child, like the
  // programs an earlier supervisord started.
  const auto shell = start("sleep 1000 & echo $!", fifo);
  const auto orphan = static_cast<sup::platform::ProcessId>(std::stoul(fifo.line()));
  ASSERT_TRUE(next(Event::Kind::ChildExited, shell));
  const auto ticks = sup::posix::read_start_ticks(orphan);
  ASSERT_TRUE(ticks);
  std::int64_t started = 0;
  EXPECT_FALSE(platform_->adopt(orphan, std::to_string(*ticks + 1), started));
  EXPECT_FALSE(platform_->adopt(orphan, "", started));
  ASSERT_TRUE(platform_->adopt(orphan, std::to_string(*ticks), started));
  EXPECT_LE(std::llabs(started - platform_->wall_now()), 60);
  EXPECT_EQ(platform_->kill(orphan, true), "");  // its group is gone: signalled through its pidfd
  const auto e = next(Event::Kind::ChildExited, orphan);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->status.kind, ExitStatus::Kind::Unknown);
  EXPECT_EQ(platform_->describe_exit(e->status), "status unknown");
}

TEST_F(PosixPlatform, AdoptOfAMissingProcessFails) {
  std::int64_t started = 0;
  EXPECT_FALSE(platform_->adopt(0, "1", started));
  EXPECT_FALSE(platform_->adopt(999999999, "1", started));
}

// Every child carries its table's mark: a later daemon of the same table finds it
// without the table's help, and nothing the child starts in turn is taken for it.
TEST_F(PosixPlatform, SpawnedProcessesAreFoundByTheirTablesMark) {
  Fifo fifo(dir_ + "/fifo");
  ProcessSpec spec;
  spec.program = "web";
  spec.image = "/bin/sh";
  spec.arguments = {"-c", "sleep 1000 & echo $!; wait"};
  spec.output = fifo.path();
  const auto r = spawn_now(spec);
  ASSERT_TRUE(r.ok) << r.error;
  const pid_t grandchild = std::stoi(fifo.line());  // same environment, not a leader
  ASSERT_GT(grandchild, 0);
  const auto marked = platform_->find_marked();
  ASSERT_EQ(marked.size(), 1u);
  EXPECT_EQ(marked[0].program, "web");
  EXPECT_EQ(marked[0].pid, r.pid);
  EXPECT_EQ(marked[0].identity, r.identity);
  EXPECT_GT(marked[0].started_wall, 0);
  // A daemon of another table sees none of them.
  std::string error;
  auto other = sup::posix::make_platform({dir_ + "/other", ""}, error);
  ASSERT_TRUE(other) << error;
  EXPECT_TRUE(other->find_marked().empty());
  EXPECT_EQ(platform_->kill(r.pid, true), "");
  ASSERT_TRUE(next(Event::Kind::ChildExited, r.pid));
  EXPECT_TRUE(platform_->find_marked().empty());
}

TEST(PosixProc, EnvironValuesAndStatFields) {
  const std::string env("A=1\0SUPERVISORD_PROGRAM=web\0EMPTY=\0", 35);
  EXPECT_EQ(sup::posix::environ_value(env, "SUPERVISORD_PROGRAM"), "web");
  EXPECT_EQ(sup::posix::environ_value(env, "EMPTY"), "");
  EXPECT_EQ(sup::posix::environ_value(env, "A"), "1");
  EXPECT_EQ(sup::posix::environ_value(env, "SUPERVISORD"), std::nullopt);
  EXPECT_EQ(sup::posix::environ_value("", "A"), std::nullopt);
  const auto st = sup::posix::parse_stat(
      "42 (a) b) S 1 40 41 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 987654 20 21");
  ASSERT_TRUE(st);
  EXPECT_EQ(st->state, 'S');
  EXPECT_EQ(st->session, 41u);
  EXPECT_EQ(st->cpu_ticks, 23u);  // fields 14 + 15: 11 + 12
  EXPECT_EQ(st->start_ticks, 987654u);
  EXPECT_FALSE(sup::posix::parse_stat("42 (a) S 1 x y"));
}

TEST_F(PosixPlatform, SignalsArriveAsEvents) {
  ASSERT_EQ(::raise(SIGUSR2), 0);  // blocked by the backend: read through its signalfd
  EXPECT_TRUE(next(Event::Kind::ReopenLogs));
  ASSERT_EQ(::raise(SIGHUP), 0);
  EXPECT_TRUE(next(Event::Kind::Reload));
  ASSERT_EQ(::raise(SIGTERM), 0);
  EXPECT_TRUE(next(Event::Kind::Shutdown));
  ASSERT_EQ(::raise(SIGINT), 0);
  EXPECT_TRUE(next(Event::Kind::Shutdown));
}

TEST_F(PosixPlatform, SignalsAreUnblockedAgainAfterwards) {
  platform_.reset();
  sigset_t now;
  ASSERT_EQ(::sigprocmask(SIG_BLOCK, nullptr, &now), 0);
  EXPECT_FALSE(::sigismember(&now, SIGTERM));
  EXPECT_FALSE(::sigismember(&now, SIGUSR2));
}

TEST_F(PosixPlatform, WaitReturnsAtTheDeadline) {
  const auto deadline = Clock::now() + 30ms;
  std::vector<Event> events;
  wait_events(deadline, events);
  EXPECT_TRUE(events.empty());
  EXPECT_GE(Clock::now(), deadline);
}

TEST_F(PosixPlatform, SecondDaemonOnTheSameTableIsRefused) {
  std::string error;
  EXPECT_EQ(sup::posix::make_platform({dir_ + "/table", dir_ + "/other.sock"}, error), nullptr);
  EXPECT_EQ(error, "another supervisord (pid " + std::to_string(::getpid()) +
                       ") already uses table " + dir_ + "/table");
}

TEST_F(PosixPlatform, TableSocketAndIdentity) {
  EXPECT_EQ(platform_->control_address(), dir_ + "/table/supervisord.sock");
  struct stat st {};
  ASSERT_EQ(::stat(platform_->control_address().c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(platform_->table().set("SUPERVISORD_CMD", platform_->control_address()), "");
  EXPECT_EQ(sup::posix::open_table(dir_ + "/table")->get("SUPERVISORD_CMD"),
            platform_->control_address());
  EXPECT_EQ(platform_->self_pid(), static_cast<sup::platform::ProcessId>(::getpid()));
  EXPECT_EQ(platform_->format_pid(4711), "4711");
  platform_.reset();
  EXPECT_FALSE(fs::exists(dir_ + "/table/supervisord.sock"));  // removed on the way out
}

}  // namespace

namespace {

// With max_launching creations in flight, a further spawn waits for its turn: its
// Created comes only after one of those reached its image.  Each child here is held
// before exec by its output, a FIFO nobody reads yet.
TEST(PosixPlatformQueue, CreationsBeyondTheLimitWaitForTheirTurn) {
  char tmpl[] = "/tmp/sup-queue-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  {
    std::string error;
    auto platform = sup::posix::make_platform({dir + "/table", "", 2}, error);
    ASSERT_TRUE(platform) << error;
    std::vector<std::string> fifos;
    std::vector<sup::platform::SpawnId> ids;
    for (int i = 0; i < 3; ++i) {
      fifos.push_back(dir + "/out" + std::to_string(i));
      ASSERT_EQ(::mkfifo(fifos.back().c_str(), 0600), 0);
      ProcessSpec spec;
      spec.program = "p" + std::to_string(i);
      spec.image = "/bin/sh";
      spec.arguments = {"-c", "exec sleep 300"};
      spec.output = fifos.back();
      ids.push_back(platform->spawn(spec));
    }
    // spawn() reports Created at once for what it forked: the first two only.
    std::vector<Event> events;
    platform->wait(Clock::now(), events);
    std::map<sup::platform::SpawnId, sup::platform::ProcessId> created;
    for (const auto& e : events) {
      ASSERT_NE(e.kind, Event::Kind::SpawnFailed) << e.text;
      if (e.kind == Event::Kind::Created) created[e.spawn] = e.pid;
    }
    ASSERT_EQ(created.size(), 2u);
    ASSERT_TRUE(created.count(ids[0]) && created.count(ids[1]));
    // A reader lets the first one open its output and exec: the third one's turn.
    Fd reader(::open(fifos[0].c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    ASSERT_TRUE(reader.valid());
    bool started0 = false;
    const auto deadline = Clock::now() + 20s;
    while (!created.count(ids[2]) && Clock::now() < deadline) {
      events.clear();
      platform->wait(deadline, events);
      for (const auto& e : events) {
        ASSERT_NE(e.kind, Event::Kind::SpawnFailed) << e.text;
        if (e.kind == Event::Kind::Started && e.pid == created[ids[0]]) started0 = true;
        if (e.kind == Event::Kind::Created) {
          EXPECT_TRUE(started0) << "the third creation began before a turn was free";
          created[e.spawn] = e.pid;
        }
      }
    }
    EXPECT_TRUE(started0);
    ASSERT_EQ(created.count(ids[2]), 1u);
    for (const auto& [spawn, pid] : created) EXPECT_EQ(platform->kill(pid, true), "");
    // The two still before exec are ended with the platform; nothing is left behind.
  }
  fs::remove_all(dir);
}

}  // namespace
