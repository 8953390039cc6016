#include "support/fake_platform.hpp"

#include <chrono>
#include <stdexcept>
#include <variant>

namespace sup::test {

std::string FakeTable::set(const std::string& name, const std::string& value) {
  if (!fail_with.empty()) return fail_with;
  entries[name] = value;
  ++writes;
  return {};
}

std::optional<std::string> FakeTable::get(const std::string& name) const {
  auto it = entries.find(name);
  if (it == entries.end()) return std::nullopt;
  return it->second;
}

std::string FakeTable::remove(const std::string& name) {
  if (!fail_with.empty()) return fail_with;
  entries.erase(name);
  return "";
}

std::vector<std::string> FakeTable::names() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : entries) out.push_back(k);
  return out;
}

FakePlatform::FakePlatform() : now_(platform::TimePoint{} + std::chrono::hours(1000)) {}

platform::SpawnId FakePlatform::spawn(const platform::ProcessSpec& spec) {
  spawned.push_back(spec);
  spawn_times.push_back(now_);
  platform::Event e;
  e.spawn = next_spawn_++;
  if (!spawn_failures_.empty()) {
    e.kind = platform::Event::Kind::SpawnFailed;
    e.text = spawn_failures_.front();
    spawn_failures_.pop_front();
    spawn_events_.push_back(e);
    return e.spawn;
  }
  const platform::ProcessId pid = next_pid_++;
  live_.insert(pid);
  e.kind = platform::Event::Kind::Created;
  e.pid = pid;
  e.identity = "id" + std::to_string(pid);
  e.started_wall = wall_;
  spawn_events_.push_back(e);
  platform::Event started;
  started.kind = platform::Event::Kind::Started;
  started.pid = pid;
  spawn_events_.push_back(started);
  return e.spawn;
}

std::vector<platform::Event> FakePlatform::take_spawn_events() {
  std::vector<platform::Event> out;
  out.swap(spawn_events_);
  return out;
}

std::string FakePlatform::request_stop(platform::ProcessId pid, const platform::StopMethod& how) {
  stop_requests.push_back(pid);
  stop_methods.push_back(how);
  if (!stop_error.empty()) return stop_error;
  if (exit_on_stop && live_.count(pid)) pending_exits_.push_back(signaled(pid, 15));
  return {};
}

std::string FakePlatform::send_signal(platform::ProcessId pid, platform::Signal signal) {
  if (!live_.count(pid)) return "cannot send the signal to process " + std::to_string(pid);
  signals.emplace_back(pid, signal);
  return {};
}

std::string FakePlatform::kill(platform::ProcessId pid, bool to_group) {
  kills.push_back(pid);
  kill_groups.push_back(to_group);
  if (!kill_error.empty()) return kill_error;
  if (exit_on_kill && live_.count(pid)) pending_exits_.push_back(signaled(pid, 9));
  return {};
}

bool FakePlatform::adopt(platform::ProcessId pid, const std::string&, std::int64_t& started_wall) {
  auto it = adoptable.find(pid);
  if (it == adoptable.end()) return false;
  started_wall = it->second;
  live_.insert(pid);
  return true;
}

void FakePlatform::wait(std::optional<platform::TimePoint> deadline,
                        std::vector<platform::Event>& out) {
  // A broken loop must fail the test, not hang it.
  if (++wait_calls_ > 10000) throw std::runtime_error("FakePlatform: run() never ends");
  wait_deadlines.push_back(deadline);
  std::vector<platform::Event> batch;
  if (!spawn_events_.empty()) {
    batch.swap(spawn_events_);
  } else if (!pending_exits_.empty()) {
    batch.swap(pending_exits_);
  } else if (!script_.empty() && (!deadline || script_.front().at <= *deadline)) {
    jump_to(script_.front().at);
    batch = std::move(script_.front().events);
    script_.pop_front();
  } else if (deadline) {
    jump_to(*deadline);
    return;
  } else {
    throw std::runtime_error("FakePlatform: wait() for ever with nothing scripted");
  }
  for (auto& e : batch) {
    if (e.kind == platform::Event::Kind::ChildExited) live_.erase(e.pid);
    out.push_back(std::move(e));
  }
}

void FakePlatform::jump_to(platform::TimePoint t) {
  if (t <= now_) return;
  wall_ += std::chrono::ceil<std::chrono::seconds>(t - now_).count();
  now_ = t;
}

void FakePlatform::script(std::vector<platform::Event> batch, int after_seconds) {
  script_.push_back(Scripted{now_ + std::chrono::seconds(after_seconds), std::move(batch)});
}

void FakePlatform::reply(platform::RequestId request, const std::string& record) {
  auto decoded = core::decode_reply(record);
  if (auto* r = std::get_if<core::Reply>(&decoded)) {
    // A Line record may pack several lines: the tests see them one by one.
    std::size_t start = 0, nl;
    while (r->type == core::RecordType::Line &&
           (nl = r->text.find('\n', start)) != std::string::npos) {
      replies[request].push_back(
          core::Reply{r->type, r->condition, r->text.substr(start, nl - start)});
      start = nl + 1;
    }
    replies[request].push_back(core::Reply{r->type, r->condition, r->text.substr(start)});
  } else
    replies[request].push_back(core::Reply{core::RecordType::Line, 0xFFFFFFFFu, "<undecodable>"});
}

void FakePlatform::finish(platform::RequestId request) {
  finished.insert(request);
}

std::string FakePlatform::describe_exit(const platform::ExitStatus& s) const {
  switch (s.kind) {
    case platform::ExitStatus::Kind::Exited:
      return "exit status " + std::to_string(s.code);
    case platform::ExitStatus::Kind::Signaled:
      return "terminated by signal " + std::to_string(s.code);
    case platform::ExitStatus::Kind::Unknown:
      break;
  }
  return "status unknown";
}

void FakePlatform::advance(int seconds) {
  now_ += std::chrono::seconds(seconds);
  wall_ += seconds;
}

platform::Event FakePlatform::exited(platform::ProcessId pid, std::uint32_t code) {
  platform::Event e;
  e.kind = platform::Event::Kind::ChildExited;
  e.pid = pid;
  e.status = {platform::ExitStatus::Kind::Exited, code};
  return e;
}

platform::Event FakePlatform::signaled(platform::ProcessId pid, std::uint32_t signal) {
  platform::Event e = exited(pid, signal);
  e.status.kind = platform::ExitStatus::Kind::Signaled;
  return e;
}

platform::Event FakePlatform::request(platform::RequestId id, const core::Request& r,
                                      bool privileged) {
  platform::Event e = raw_request(id, core::encode_request(r).value_or(std::string()));
  e.caller.privileged = privileged;
  return e;
}

platform::Event FakePlatform::raw_request(platform::RequestId id, std::string payload) {
  platform::Event e;
  e.kind = platform::Event::Kind::ControlRequest;
  e.request = id;
  e.caller = platform::Caller{1001, 777, true};
  e.payload = std::move(payload);
  return e;
}

platform::Event FakePlatform::simple(platform::Event::Kind kind) {
  platform::Event e;
  e.kind = kind;
  return e;
}

}  // namespace sup::test
