// Replies in progress: the requests whose outcome depends on programs' future states
// (start waits for RUNNING, stop for STOPPED), their lines in request order, their
// timeouts, and the Final once everything is known.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/program_runtime.hpp"
#include "platform/platform.hpp"

namespace sup::core {

// What one program of a request waits for.
struct WaitItem {
  std::string program;         // the configured name
  bool stop = false;           // the goal is "stopped" (else "started")
  bool awaiting_stop = false;  // start goal: the program must first finish stopping
  bool report_stop = false;    // restart: say "stopped" when that happens
  bool created = false;        // start /NOWAIT: done once the spawn has an outcome (a pid,
                               // or a spawn error), not when it is RUNNING
};

// The worse of two conditions by severity: fatal > error > warning > informational >
// success; the first one wins a tie.
std::uint32_t worse_condition(std::uint32_t a, std::uint32_t b);

class RequestWaits {
 public:
  explicit RequestWaits(platform::Platform& platform) : platform_(platform) {}

  // Opens the reply to `id`; timeout_seconds 0 = wait for ever.
  void begin(platform::RequestId id, std::uint32_t timeout_seconds);

  // Adds a finished line (e.g. "web: ERROR (no such process)").
  void add_line(platform::RequestId id, std::uint32_t condition, std::string text);

  // Adds a condition for the Final that no line shows (status: "2 programs not running").
  void note(platform::RequestId id, std::uint32_t condition, std::string text);

  // Adds a program to wait for, judged at once against its present state.
  void add_wait(platform::RequestId id, WaitItem item, const Program& program);

  // The request is complete: sends what is ready, and the Final once all is known.
  void seal(platform::RequestId id);

  // A program's state changed: judges the items waiting for it.
  void on_change(const Program& program);

  // Ends the waits whose timeout has passed with a TIMEOUT line.
  void expire(platform::TimePoint now);

  // The client went away: nothing more is sent to it.
  void forget(platform::RequestId id);

  // Ends every open reply with a Final `condition` (the daemon is going away).
  void close_all(std::uint32_t condition, const std::string& text);

  // The earliest request timeout, if any.
  std::optional<platform::TimePoint> next_deadline() const;

  // Open replies (for tests).
  std::size_t open_count() const { return open_.size(); }

 private:
  struct Line {
    std::uint32_t condition;
    std::string text;
  };
  struct Entry {
    WaitItem item;
    bool done = false;
    std::vector<Line> lines;
  };
  struct Open {
    std::vector<Entry> entries;
    std::size_t sent = 0;  // entries already sent
    std::optional<platform::TimePoint> deadline;
    std::uint32_t timeout = 0;
    std::optional<std::uint32_t> worst;  // none yet: success
    std::string worst_text;              // the Final's text when the worst is a note
    bool sealed = false;
  };

  static bool judge(Entry& entry, const Program& program);
  static void account(Open& open, std::uint32_t condition, const std::string* note_text);
  // Sends what is ready; true when the reply is complete (then `open` is erased).
  bool flush(platform::RequestId id, Open& open);

  platform::Platform& platform_;
  std::map<platform::RequestId, Open> open_;
  // Program name -> the requests with an entry still waiting for it: a change of one
  // program judges only those, not every entry of every open request.
  struct Waiting {
    platform::RequestId id;
    std::size_t entry;  // index into Open::entries (which only grows)
  };
  std::unordered_map<std::string, std::vector<Waiting>> waiting_;
};

}  // namespace sup::core
