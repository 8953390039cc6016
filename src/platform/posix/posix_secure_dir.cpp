#include "platform/posix/posix_secure_dir.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <deque>

#include "platform/posix/posix_fd.hpp"
#include "platform/posix/posix_user.hpp"

namespace sup::posix {
namespace {

// As the kernel's MAXSYMLINKS: more links than this on one path is a loop.
constexpr int kMaxLinks = 40;

std::string octal_mode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// The components of `path`, without empty ones and ".".
std::deque<std::string> components(const std::string& path) {
  std::deque<std::string> out;
  for (std::size_t at = 0; at <= path.size();) {
    std::size_t end = path.find('/', at);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(at, end - at);
    if (!part.empty() && part != ".") out.push_back(std::move(part));
    at = end + 1;
  }
  return out;
}

class Walk {
 public:
  Walk(const std::vector<uid_t>& trusted, bool create) : trusted_(trusted), create_(create) {}

  DirCheck run(const std::string& dir) {
    if (dir.empty() || dir.front() != '/') {
      fail("not an absolute path: " + dir);
      return out_;
    }
    todo_ = components(dir);
    struct stat st {};
    if (!look("/", st) || !check_above("/", st)) return out_;
    while (!todo_.empty()) {
      const std::string part = todo_.front();
      todo_.pop_front();
      if (part == "..") {
        at_ = at_.substr(0, at_.rfind('/'));  // `at_` has no links left: its parent is real
        continue;
      }
      const std::string next = at_ + "/" + part;
      if (!look(next, st)) return out_;
      if (S_ISLNK(st.st_mode)) {
        if (!follow(next, st)) return out_;
        continue;
      }
      if (!S_ISDIR(st.st_mode)) {
        fail(next + " is not a directory");
        return out_;
      }
      // The last component is the table itself: the strict rule below applies to it.
      if (!todo_.empty() && !check_above(next, st)) return out_;
      at_ = next;
    }
    // The directory itself, after "..": looked at once more, with the strict rule.
    const std::string self = at_.empty() ? "/" : at_;
    if (look(self, st)) check_self(self, st);
    return out_;
  }

 private:
  // lstat() of `path`, creating it (0700) when missing and allowed.
  bool look(const std::string& path, struct stat& st) {
    if (::lstat(path.c_str(), &st) == 0) return true;
    if (errno == ENOENT && create_) {
      if (::mkdir(path.c_str(), 0700) == 0 || errno == EEXIST) {
        if (::lstat(path.c_str(), &st) == 0) return true;
      } else {
        return fail(sys_error("cannot create directory " + path));
      }
    }
    out_.missing = errno == ENOENT;
    return fail(sys_error("cannot use directory " + path));
  }

  bool trusted(uid_t uid) const {
    return uid == 0 || std::find(trusted_.begin(), trusted_.end(), uid) != trusted_.end();
  }

  // Root, then the trusted accounts by name: "root or alice (uid 1000)".
  std::string trusted_names() const {
    std::string out = "root";
    for (uid_t u : trusted_)
      if (u != 0) out += " or " + describe_uid(u);
    return out;
  }

  std::string owned(const std::string& path, const struct stat& st) const {
    return path + " is owned by " + describe_uid(st.st_uid) + " with mode " +
           octal_mode(st.st_mode);
  }

  // A link someone else owns could point anywhere that person likes, at any moment.
  bool follow(const std::string& path, const struct stat& st) {
    if (!trusted(st.st_uid))
      return fail("the symbolic link " + path + ", on the way to the table, is owned by " +
                  describe_uid(st.st_uid) + ": it must be owned by " + trusted_names());
    if (++links_ > kMaxLinks) return fail("too many symbolic links on the way to " + path);
    std::string target(4096, '\0');
    const ssize_t n = ::readlink(path.c_str(), target.data(), target.size());
    if (n < 0 || static_cast<std::size_t>(n) >= target.size())
      return fail(sys_error("cannot read the symbolic link " + path));
    target.resize(static_cast<std::size_t>(n));
    if (!target.empty() && target.front() == '/') at_.clear();
    auto parts = components(target);
    todo_.insert(todo_.begin(), parts.begin(), parts.end());
    return true;
  }

  bool check_above(const std::string& path, const struct stat& st) {
    const bool others_write = (st.st_mode & 022) != 0 && (st.st_mode & S_ISVTX) == 0;
    if (trusted(st.st_uid) && !others_write) return true;
    return fail("the directory " + owned(path, st) + ": a directory on the way to the table " +
                "must be owned by " + trusted_names() +
                " and writable by nobody else, unless it has the sticky bit (as /tmp has)");
  }

  bool check_self(const std::string& path, const struct stat& st) {
    if (!S_ISDIR(st.st_mode)) return fail(path + " is not a directory");
    if (trusted(st.st_uid) && (st.st_mode & 022) == 0) {
      out_.owner = st.st_uid;
      return true;
    }
    return fail(
        "the table directory " + owned(path, st) + ": it must be owned by " + trusted_names() +
        " and writable by nobody else (another user could replace the socket and the entries)");
  }

  // Records the error; false, for the caller to return.
  bool fail(std::string text) {
    out_.error = std::move(text);
    return false;
  }

  const std::vector<uid_t>& trusted_;
  const bool create_;
  std::deque<std::string> todo_;
  std::string at_;  // the real directory reached so far, "" for /
  int links_ = 0;
  DirCheck out_;
};

}  // namespace

DirCheck secure_directory(const std::string& dir, const std::vector<uid_t>& trusted, bool create) {
  return Walk(trusted, create).run(dir);
}

std::string describe_uid(uid_t uid) {
  const std::string number = "uid " + std::to_string(uid);
  if (auto info = lookup_uid(uid)) return info->name + " (" + number + ")";
  return number;
}

}  // namespace sup::posix
