// SUPERVISORD_TABLE on POSIX: a directory with one file per name.  A value is replaced by
// writing a temporary file (.tmp.PID) and renaming it over NAME, so a reader sees the old
// or the new value, never half of one.  The daemon's exclusive hold on the table is a flock on
// DIR/.lock.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "platform/platform.hpp"
#include "platform/posix/posix_fd.hpp"

namespace sup::posix {

// True for a valid logical name: [A-Z0-9_$]+, at most 255 characters.
bool valid_table_name(const std::string& name);

class DirTable : public platform::LogicalTable {
 public:
  // A table whose entries are trusted when root or `owner` owns them.
  DirTable(std::string dir, unsigned owner) : dir_(std::move(dir)), owner_(owner) {}
  // The same with `owner` our effective uid.
  explicit DirTable(std::string dir);
  // Writes DIR/.tmp.PID then renames it to NAME.  Error text names the file and the errno.
  [[nodiscard]] std::string set(const std::string& name, const std::string& value) override;
  // The contents of DIR/NAME; nullopt when absent, when the name is invalid, and when
  // the entry is not a regular file owned by root or the table's owner (an entry left by
  // another user, from a time when the directory was open to others, is not believed).
  std::optional<std::string> get(const std::string& name) const override;
  // Unlinks DIR/NAME (absent is fine).
  [[nodiscard]] std::string remove(const std::string& name) override;
  // Valid names present, sorted; dotfiles and *.tmp are skipped.
  std::vector<std::string> names() const override;

 private:
  std::string path(const std::string& name) const { return dir_ + "/" + name; }
  std::string dir_;
  unsigned owner_;
};

// Creates `dir` (absolute) and its missing parents with mode 0700 (existing ones are left
// alone), then makes sure that nobody but root and our effective uid can change it or
// replace it (secure_directory): the daemon refuses a table another user could write.
// Returns an error text naming the directory, its owner and its mode; empty on success.
[[nodiscard]] std::string make_directories(const std::string& dir);

// Takes the exclusive lock DIR/.lock for the life of the returned descriptor and writes
// our pid into it.  When another process holds it: an invalid Fd and the error
// "another supervisord (pid N) already uses table DIR".
[[nodiscard]] Fd lock_table(const std::string& dir, std::string& error);

}  // namespace sup::posix
