#include "core/request_waits.hpp"

#include <chrono>

#include "core/protocol.hpp"
#include "core/status_format.hpp"
#include "msg/message.hpp"

namespace sup::core {
namespace {
// The most text one packed Line record carries: the record limit less the header, the
// two field lengths and the condition, with room to spare.
constexpr std::size_t kPackedText = kMaxRecord - kHeaderSize - 64;
}  // namespace

namespace {

int rank(std::uint32_t condition) {
  switch (msg::severity_of(condition)) {
    case msg::Severity::Success:
      return 0;
    case msg::Severity::Informational:
      return 1;
    case msg::Severity::Warning:
      return 2;
    case msg::Severity::Error:
      return 3;
    case msg::Severity::Fatal:
      return 4;
  }
  return 4;  // reserved severities count as the worst
}

std::string say(std::uint32_t condition, const std::string& name) {
  return msg::text(condition, {name});
}

}  // namespace

std::uint32_t worse_condition(std::uint32_t a, std::uint32_t b) {
  return rank(b) > rank(a) ? b : a;
}

void RequestWaits::begin(platform::RequestId id, std::uint32_t timeout_seconds) {
  Open o;
  o.timeout = timeout_seconds;
  if (timeout_seconds > 0) o.deadline = platform_.now() + std::chrono::seconds(timeout_seconds);
  open_[id] = std::move(o);
}

void RequestWaits::account(Open& o, std::uint32_t condition, const std::string* note_text) {
  if (o.worst && worse_condition(*o.worst, condition) == *o.worst) return;
  o.worst = condition;
  o.worst_text = note_text ? *note_text : std::string();
}

void RequestWaits::add_line(platform::RequestId id, std::uint32_t condition, std::string text) {
  auto it = open_.find(id);
  if (it == open_.end()) return;
  Entry e;
  e.done = true;
  e.lines.push_back(Line{condition, std::move(text)});
  it->second.entries.push_back(std::move(e));
}

void RequestWaits::note(platform::RequestId id, std::uint32_t condition, std::string text) {
  auto it = open_.find(id);
  if (it != open_.end()) account(it->second, condition, &text);
}

void RequestWaits::add_wait(platform::RequestId id, WaitItem item, const Program& program) {
  auto it = open_.find(id);
  if (it == open_.end()) return;
  Entry e;
  e.item = std::move(item);
  e.done = judge(e, program);
  if (!e.done) waiting_[e.item.program].push_back(Waiting{id, it->second.entries.size()});
  it->second.entries.push_back(std::move(e));
}

bool RequestWaits::judge(Entry& e, const Program& p) {
  const std::string n = namespec(p.config);  // as supervisorctl names it: "group:name"
  auto finish = [&](std::uint32_t condition, std::string text) {
    e.lines.push_back(Line{condition, std::move(text)});
    return true;
  };
  if (e.item.stop || e.item.awaiting_stop) {
    if (p.state == State::Stopping) return false;
    if (p.state == State::Unknown)
      return finish(SUP__SYSERR, msg::text(SUP__SYSERR, {n, p.reason}));
    if (e.item.stop) {
      bool stopped =
          p.state == State::Stopped || p.state == State::Exited || p.state == State::Fatal;
      return finish(stopped ? SUP__STOPPED : SUP__ABNORMAL,
                    say(stopped ? SUP__STOPPED : SUP__ABNORMAL, n));
    }
    // The stop phase of a restart is over; what follows is a start.
    e.item.awaiting_stop = false;
    if (e.item.report_stop) e.lines.push_back(Line{SUP__STOPPED, say(SUP__STOPPED, n)});
  }
  if (e.item.created) {
    if (p.state == State::Starting && p.pid == 0) return false;  // being created
    const bool failed = p.spawn_error && (p.state == State::Backoff || p.state == State::Fatal);
    return finish(failed ? SUP__SPAWNERR : SUP__STARTED,
                  say(failed ? SUP__SPAWNERR : SUP__STARTED, n));
  }
  switch (p.state) {
    case State::Starting:
      return false;
    case State::Running:
      return finish(SUP__STARTED, say(SUP__STARTED, n));
    case State::Backoff:
    case State::Fatal:
      return finish(p.spawn_error ? SUP__SPAWNERR : SUP__ABNORMAL,
                    say(p.spawn_error ? SUP__SPAWNERR : SUP__ABNORMAL, n));
    case State::Stopped:
    case State::Stopping:
    case State::Exited:
    case State::Unknown:
      return finish(SUP__ABNORMAL, say(SUP__ABNORMAL, n));
  }
  return finish(SUP__ABNORMAL, say(SUP__ABNORMAL, n));
}

void RequestWaits::seal(platform::RequestId id) {
  auto it = open_.find(id);
  if (it == open_.end()) return;
  it->second.sealed = true;
  if (flush(id, it->second)) open_.erase(it);
}

bool RequestWaits::flush(platform::RequestId id, Open& o) {
  // Consecutive success lines travel together, newline-separated, in records of up to
  // kPackedText bytes: `status` of 2000 programs is then some 40 records, not 2000 (one
  // send and one receive each).  Other lines go alone: the client prints each as a
  // condition of its own.
  std::uint32_t packed_condition = 0;
  std::string packed;
  auto send_packed = [&] {
    if (!packed.empty()) platform_.reply(id, encode_line(packed_condition, packed));
    packed.clear();
  };
  while (o.sent < o.entries.size() && o.entries[o.sent].done) {
    for (const auto& line : o.entries[o.sent].lines) {
      account(o, line.condition, nullptr);
      bool packable = msg::is_success(line.condition) && line.text.find('\n') == std::string::npos;
      if (!packed.empty() && (!packable || line.condition != packed_condition ||
                              packed.size() + 1 + line.text.size() > kPackedText))
        send_packed();
      if (!packable) {
        platform_.reply(id, encode_line(line.condition, line.text));
        continue;
      }
      if (!packed.empty()) packed += '\n';
      packed += line.text;
      packed_condition = line.condition;
    }
    ++o.sent;
  }
  send_packed();
  if (!o.sealed || o.sent < o.entries.size()) return false;
  // The worst condition, unless every line was a plain success.
  bool all_success = !o.worst || rank(*o.worst) == 0;
  std::uint32_t final_condition = all_success ? SUP__NORMAL : *o.worst;
  platform_.reply(
      id, encode_final(final_condition, final_condition == SUP__NORMAL ? "" : o.worst_text));
  platform_.finish(id);
  return true;
}

void RequestWaits::on_change(const Program& p) {
  const auto w = waiting_.find(p.config.name);
  if (w == waiting_.end()) return;
  std::vector<Waiting> items;
  items.swap(w->second);
  waiting_.erase(w);
  std::vector<platform::RequestId> touched;
  for (const Waiting& item : items) {
    const auto it = open_.find(item.id);
    if (it == open_.end()) continue;  // finished, timed out or its client went away
    Entry& e = it->second.entries[item.entry];
    if (e.done) continue;
    e.done = judge(e, p);
    if (!e.done) waiting_[p.config.name].push_back(item);
    if (touched.empty() || touched.back() != item.id) touched.push_back(item.id);
  }
  for (platform::RequestId id : touched) {
    const auto it = open_.find(id);
    if (it != open_.end() && flush(it->first, it->second)) open_.erase(it);
  }
}

void RequestWaits::expire(platform::TimePoint now) {
  for (auto it = open_.begin(); it != open_.end();) {
    Open& o = it->second;
    if (o.deadline && *o.deadline <= now) {
      o.deadline.reset();
      for (auto& e : o.entries) {
        if (e.done) continue;
        e.done = true;
        e.lines.push_back(Line{
            SUP__TIMEOUT, msg::text(SUP__TIMEOUT, {e.item.program, std::uint64_t{o.timeout}})});
      }
    }
    it = flush(it->first, o) ? open_.erase(it) : std::next(it);
  }
}

void RequestWaits::forget(platform::RequestId id) {
  open_.erase(id);
}

void RequestWaits::close_all(std::uint32_t condition, const std::string& text) {
  for (auto& [id, o] : open_) {
    platform_.reply(id, encode_final(condition, text));
    platform_.finish(id);
  }
  open_.clear();
  waiting_.clear();
}

std::optional<platform::TimePoint> RequestWaits::next_deadline() const {
  std::optional<platform::TimePoint> best;
  for (const auto& [id, o] : open_)
    if (o.deadline && (!best || *o.deadline < *best)) best = o.deadline;
  return best;
}

}  // namespace sup::core
