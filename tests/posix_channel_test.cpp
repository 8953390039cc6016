// The command channel on Linux: SOCK_SEQPACKET records between a real client socket and
// the backend's wait() loop, in one process.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "platform/posix/posix_channel.hpp"
#include "platform/posix/posix_platform.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using sup::platform::ClientChannel;
using sup::platform::Clock;
using sup::platform::Event;

class PosixChannel : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sup-posix-channel-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    socket_ = dir_ + "/s.sock";
  }
  void TearDown() override {
    platform_.reset();
    fs::remove_all(dir_);
  }
  void open_daemon() {
    std::string error;
    platform_ = sup::posix::make_platform({dir_ + "/table", socket_}, error);
    ASSERT_TRUE(platform_) << error;
  }
  std::unique_ptr<ClientChannel> client() {
    std::string error;
    auto c = sup::posix::connect_channel(socket_, error);
    EXPECT_TRUE(c) << error;
    return c;
  }
  // Waits up to 10 s for the first event of `kind`.
  std::optional<Event> next(Event::Kind kind) {
    const auto deadline = Clock::now() + 10s;
    while (Clock::now() < deadline) {
      std::vector<Event> events;
      platform_->wait(deadline, events);
      for (const auto& e : events) {
        if (e.kind == kind) return e;
      }
    }
    return std::nullopt;
  }
  // Lets the backend accept what is pending (accepting produces no event).
  void pump() {
    std::vector<Event> events;
    platform_->wait(Clock::now() + 50ms, events);
  }

  std::string dir_, socket_;
  std::unique_ptr<sup::platform::Platform> platform_;
};

TEST_F(PosixChannel, RoundTripWithPeerCredentials) {
  open_daemon();
  auto c = client();
  ASSERT_EQ(c->send("hello"), "");
  const auto req = next(Event::Kind::ControlRequest);
  ASSERT_TRUE(req);
  EXPECT_EQ(req->payload, "hello");
  EXPECT_EQ(req->caller.uid, ::geteuid());
  EXPECT_EQ(req->caller.pid, static_cast<std::uint64_t>(::getpid()));
  EXPECT_TRUE(req->caller.privileged);
  platform_->reply(req->request, "one");
  platform_->reply(req->request, "two");
  platform_->finish(req->request);
  platform_->reply(req->request, "ignored after finish");
  std::string error;
  EXPECT_EQ(c->receive(5000, error), "one");
  EXPECT_EQ(c->receive(5000, error), "two");
  EXPECT_EQ(c->receive(5000, error), std::nullopt);  // closed after the final record
  EXPECT_EQ(error, "");
}

TEST_F(PosixChannel, EachRecordIsItsOwnRequest) {
  open_daemon();
  auto c = client();
  ASSERT_EQ(c->send("a"), "");
  ASSERT_EQ(c->send("b"), "");
  std::vector<Event> got;
  const auto deadline = Clock::now() + 10s;
  while (got.size() < 2 && Clock::now() < deadline) platform_->wait(deadline, got);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].payload, "a");
  EXPECT_EQ(got[1].payload, "b");
  EXPECT_NE(got[0].request, got[1].request);
}

TEST_F(PosixChannel, OversizedRecordReachesTheCoreAsSuch) {
  open_daemon();
  auto c = client();
  ASSERT_EQ(c->send(std::string(20000, 'x')), "");
  const auto req = next(Event::Kind::ControlRequest);
  ASSERT_TRUE(req);
  EXPECT_EQ(req->payload.size(), sup::posix::kRecordLimit + 1);
  ASSERT_EQ(c->send(std::string(sup::posix::kRecordLimit, 'y')), "");
  const auto fits = next(Event::Kind::ControlRequest);
  ASSERT_TRUE(fits);
  EXPECT_EQ(fits->payload.size(), sup::posix::kRecordLimit);
}

TEST_F(PosixChannel, HangUpBecomesClientGone) {
  open_daemon();
  auto c = client();
  ASSERT_EQ(c->send("status"), "");
  const auto req = next(Event::Kind::ControlRequest);
  ASSERT_TRUE(req);
  c.reset();
  const auto gone = next(Event::Kind::ClientGone);
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->request, req->request);
  platform_->reply(req->request, "nobody listens");  // ignored, no second ClientGone
  std::vector<Event> events;
  platform_->wait(Clock::now() + 20ms, events);
  EXPECT_TRUE(events.empty());
}

TEST_F(PosixChannel, ClientThatNeverReadsIsDropped) {
  open_daemon();
  auto c = client();
  ASSERT_EQ(c->send("tail"), "");
  const auto req = next(Event::Kind::ControlRequest);
  ASSERT_TRUE(req);
  const std::string record(8000, 'r');
  for (int i = 0; i < 200; ++i) platform_->reply(req->request, record);  // 1.6 MB unread
  const auto gone = next(Event::Kind::ClientGone);
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->request, req->request);
}

TEST_F(PosixChannel, StaleSocketFileIsReplaced) {
  {  // a socket file left behind by a daemon that died
    const int fd = ::socket(AF_UNIX, SOCK_SEQPACKET, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    socket_.copy(addr.sun_path, socket_.size());
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ::close(fd);
  }
  std::string error;
  EXPECT_EQ(sup::posix::connect_channel(socket_, error), nullptr);
  EXPECT_EQ(error, "connect " + socket_ + ": Connection refused");
  open_daemon();
  auto c = client();
  ASSERT_EQ(c->send("x"), "");
  EXPECT_TRUE(next(Event::Kind::ControlRequest));
}

TEST_F(PosixChannel, SomethingElseAtTheSocketPathIsNotRemoved) {
  std::ofstream(socket_) << "precious";
  std::string error;
  EXPECT_EQ(sup::posix::make_platform({dir_ + "/table", socket_}, error), nullptr);
  EXPECT_EQ(error, "cannot bind " + socket_ + ": it exists and is not a socket");
  EXPECT_TRUE(fs::exists(socket_));
}

TEST_F(PosixChannel, ConnectWithoutDaemonSaysWhy) {
  std::string error;
  EXPECT_EQ(sup::posix::connect_channel(dir_ + "/none.sock", error), nullptr);
  EXPECT_EQ(error, "connect " + dir_ + "/none.sock: No such file or directory");
}

TEST_F(PosixChannel, ReceiveTimesOut) {
  open_daemon();
  auto c = client();
  std::string error;
  EXPECT_EQ(c->receive(10, error), std::nullopt);
  EXPECT_EQ(error, "timed out waiting for supervisord");
}

TEST_F(PosixChannel, SilentConnectionsAtTheCapMakeRoomForNewOnes) {
  open_daemon();
  std::vector<std::unique_ptr<ClientChannel>> clients;
  while (clients.size() < sup::posix::kMaxConnections) {
    for (int i = 0; i < 32 && clients.size() < sup::posix::kMaxConnections; ++i)
      clients.push_back(client());
    pump();  // within the listen backlog each round
  }
  // The cap is reached by clients that never send: a new one is served all the same,
  // and the oldest silent one is closed to make room.
  auto extra = client();
  pump();
  ASSERT_EQ(extra->send("served"), "");
  const auto req = next(Event::Kind::ControlRequest);
  ASSERT_TRUE(req);
  EXPECT_EQ(req->payload, "served");
  std::string error;
  EXPECT_EQ(clients.front()->receive(5000, error), std::nullopt);  // closed by the daemon
  EXPECT_EQ(error, "");
  ASSERT_EQ(clients.back()->send("still served"), "");
  const auto req2 = next(Event::Kind::ControlRequest);
  ASSERT_TRUE(req2);
  EXPECT_EQ(req2->payload, "still served");
}

}  // namespace
