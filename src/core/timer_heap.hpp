// Program deadlines in a min-heap, so that finding the next one and firing the due ones
// costs O(log n) per timer instead of a walk over every program at every event.
//
// Entries are never removed in place: re-arming or clearing a program's deadline bumps
// its generation, and an entry whose generation is no longer current is dropped when it
// reaches the top (lazy deletion).  Programs are named by a serial, not a pointer, so
// that an entry may outlive its program.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <queue>
#include <vector>

#include "platform/platform.hpp"

namespace sup::core {

class TimerHeap {
 public:
  // Is (serial, generation) still the program's current deadline?
  using Live = std::function<bool(std::uint64_t serial, std::uint64_t generation)>;

  // Adds a deadline.  Earlier entries of the same serial become stale by the caller's
  // generation count.
  void arm(platform::TimePoint at, std::uint64_t serial, std::uint64_t generation) {
    heap_.push(Entry{at, serial, generation});
  }

  // The earliest live deadline; stale entries on top are dropped on the way.
  [[nodiscard]] std::optional<platform::TimePoint> next(const Live& live) {
    drop_stale(live);
    if (heap_.empty()) return std::nullopt;
    return heap_.top().at;
  }

  // Removes and returns the serials of the live entries due at `now`, earliest first.
  [[nodiscard]] std::vector<std::uint64_t> take_due(platform::TimePoint now, const Live& live) {
    std::vector<std::uint64_t> due;
    for (drop_stale(live); !heap_.empty() && heap_.top().at <= now; drop_stale(live)) {
      due.push_back(heap_.top().serial);
      heap_.pop();
    }
    return due;
  }

  std::size_t size() const { return heap_.size(); }

 private:
  struct Entry {
    platform::TimePoint at;
    std::uint64_t serial;
    std::uint64_t generation;
    bool operator>(const Entry& other) const { return at > other.at; }
  };

  void drop_stale(const Live& live) {
    while (!heap_.empty() && !live(heap_.top().serial, heap_.top().generation)) heap_.pop();
  }

  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap_;
};

}  // namespace sup::core
