// A gtest fixture for the POSIX backend: a fresh temporary directory holding the table,
// and a Platform on it; both gone after each test.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "platform/posix/posix_platform.hpp"

namespace sup::testing {

class PosixPlatformFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sup-posix-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::string error;
    platform_ = sup::posix::make_platform({dir_ + "/table", ""}, error);
    ASSERT_TRUE(platform_) << error;
  }
  void TearDown() override {
    platform_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A spawn's outcome, as the tests want it at once.
  struct Spawned {
    bool ok = false;
    sup::platform::ProcessId pid = 0;
    std::string identity;
    std::int64_t started_wall = 0;
    std::string error;  // SpawnFailed's text
  };

  // spawn(), then its outcome: Created and Started, or SpawnFailed (waited for up to
  // 20 s, longer than a creation may take).  Other events that come meanwhile are kept
  // for wait_events().
  Spawned spawn_now(const sup::platform::ProcessSpec& spec) {
    using K = sup::platform::Event::Kind;
    Spawned r;
    const auto id = platform_->spawn(spec);
    const auto deadline = sup::platform::Clock::now() + std::chrono::seconds(20);
    std::deque<sup::platform::Event> others;
    bool done = false;
    while (!done && sup::platform::Clock::now() < deadline) {
      std::vector<sup::platform::Event> events;
      platform_->wait(deadline, events);
      for (auto& e : events) {
        if (done) {
          others.push_back(std::move(e));
        } else if (e.kind == K::Created && e.spawn == id) {
          r.pid = e.pid;
          r.identity = e.identity;
          r.started_wall = e.started_wall;
        } else if (e.kind == K::Started && r.pid != 0 && e.pid == r.pid) {
          r.ok = done = true;
        } else if (e.kind == K::SpawnFailed && e.spawn == id) {
          r.error = e.text;
          done = true;
        } else {
          others.push_back(std::move(e));
        }
      }
    }
    for (auto& e : others) stash_.push_back(std::move(e));
    if (!done) r.error = "no outcome within 20 s";
    return r;
  }

  // platform_->wait(), after the events spawn_now() kept.
  void wait_events(std::optional<sup::platform::TimePoint> deadline,
                   std::vector<sup::platform::Event>& out) {
    if (!stash_.empty()) {
      for (auto& e : stash_) out.push_back(std::move(e));
      stash_.clear();
      return;
    }
    platform_->wait(deadline, out);
  }

  std::string dir_;
  std::unique_ptr<sup::platform::Platform> platform_;
  std::deque<sup::platform::Event> stash_;
};

}  // namespace sup::testing
