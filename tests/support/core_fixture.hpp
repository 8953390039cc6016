// A Supervisor on a FakePlatform, with helpers to configure programs, send requests,
// report exits and move the clock.  Shared by the tests/core_*_test.cpp files.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/activity_log.hpp"
#include "core/supervisor.hpp"
#include "support/fake_platform.hpp"

namespace sup::test {

// A request for the action of keyword `action` ("stop"); `flags` as on the wire
// (core::kFlagNoWait).
inline core::Request make_request(std::string_view action, std::vector<std::string> names = {},
                                  std::uint32_t flags = 0, std::uint32_t timeout = 0,
                                  std::string password = "") {
  core::Request r;
  auto a = commands::find_keyword(action);
  if (!a) ADD_FAILURE() << "no action " << action;
  r.action = a.value_or(commands::Action::Help);
  r.names = std::move(names);
  r.wait = (flags & core::kFlagNoWait) == 0;
  r.timeout = timeout;
  r.password = std::move(password);
  return r;
}

class CoreFixture : public ::testing::Test {
 protected:
  // A program with test-friendly settings (POSIX exit codes {0}).
  config::ProgramConfig& add(const std::string& name, int startsecs = 10, bool autostart = true) {
    config::ProgramConfig p;
    p.name = name;
    p.process_name = name;
    p.image = "/bin/" + name;
    p.startsecs = startsecs;
    p.autostart = autostart;
    p.exitcodes = {0};
    cfg.programs.push_back(p);
    return cfg.programs.back();
  }

  void boot() {
    sup = std::make_unique<core::Supervisor>(fake, cfg, options, log);
    sup->start();
    pump();
  }

  // Delivers the outcomes of the spawns so far (Created, Started, SpawnFailed), and of
  // the spawns they lead to, as the loop would at its next wait().  Every helper below
  // pumps after acting, unless hold_spawns is set (a test then pumps when it chooses).
  void pump() {
    if (hold_spawns) return;
    for (int round = 0; round < 1000; ++round) {
      auto events = fake.take_spawn_events();
      if (events.empty()) return;
      for (const auto& e : events) sup->handle(e);
    }
    ADD_FAILURE() << "spawns never settle";
  }
  bool hold_spawns = false;

  const core::Program& prog(const std::string& name) {
    const core::Program* p = sup->program(name);
    if (!p) ADD_FAILURE() << "no program " << name;
    static const core::Program kNone;
    return p ? *p : kNone;
  }

  core::State state(const std::string& name) { return prog(name).state; }
  platform::ProcessId pid(const std::string& name) { return prog(name).pid; }

  // Sends a request and returns what was replied to it so far.
  std::vector<core::Reply>& ask(platform::RequestId id, std::string_view action,
                                std::vector<std::string> names = {}, std::uint32_t flags = 0,
                                std::uint32_t timeout = 0, const std::string& password = "") {
    sup->handle(FakePlatform::request(id, make_request(action, names, flags, timeout, password)));
    pump();
    return fake.replies[id];
  }

  void exit_with(platform::ProcessId p, std::uint32_t code) {
    sup->handle(FakePlatform::exited(p, code));
    pump();
  }
  void kill_by(platform::ProcessId p, std::uint32_t signal) {
    sup->handle(FakePlatform::signaled(p, signal));
    pump();
  }
  void event(platform::Event::Kind kind) {
    sup->handle(FakePlatform::simple(kind));
    pump();
  }

  // Moves the clock and fires what is due, as one loop iteration would.
  void tick(int seconds) {
    fake.advance(seconds);
    sup->fire_due();
    pump();
  }

  std::string logged() const { return log_text.str(); }
  bool logged(const std::string& part) const { return logged().find(part) != std::string::npos; }

  // The texts of a reply's records, "L:" for a Line, "F:" for the Final.
  static std::vector<std::string> texts(const std::vector<core::Reply>& replies) {
    std::vector<std::string> out;
    for (const auto& r : replies)
      out.push_back((r.type == core::RecordType::Final ? "F:" : "L:") + r.text);
    return out;
  }
  static std::uint32_t final_condition(const std::vector<core::Reply>& replies) {
    if (replies.empty() || replies.back().type != core::RecordType::Final) return 0xDEADu;
    return replies.back().condition;
  }

  FakePlatform fake;
  std::ostringstream log_text;
  core::ActivityLog log{"", &log_text, [this] { return fake.wall_now() * 1000; }};
  config::Config cfg;
  core::Options options;
  std::unique_ptr<core::Supervisor> sup;
};

}  // namespace sup::test
