#include "platform/posix/posix_user.hpp"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

namespace sup::posix {
namespace {

// getpwnam_r/getpwuid_r need a caller buffer; sysconf gives a hint that may be -1.
std::size_t passwd_buffer_size() {
  const long hint = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  return hint > 0 ? static_cast<std::size_t>(hint) : 16384;
}

UserInfo to_info(const passwd& pw) {
  return UserInfo{pw.pw_name, pw.pw_uid, pw.pw_gid, pw.pw_dir ? pw.pw_dir : ""};
}

}  // namespace

std::optional<UserInfo> lookup_user(const std::string& name) {
  std::vector<char> buf(passwd_buffer_size());
  passwd pw{};
  passwd* found = nullptr;
  if (name.empty() || ::getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &found) != 0 ||
      found == nullptr) {
    return std::nullopt;
  }
  return to_info(pw);
}

std::optional<UserInfo> lookup_uid(uid_t uid) {
  std::vector<char> buf(passwd_buffer_size());
  passwd pw{};
  passwd* found = nullptr;
  if (::getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) != 0 || found == nullptr) {
    return std::nullopt;
  }
  return to_info(pw);
}

std::vector<gid_t> user_groups(const UserInfo& user) {
  std::vector<gid_t> groups(64);
  for (int attempt = 0; attempt < 4; ++attempt) {
    int count = static_cast<int>(groups.size());
    if (::getgrouplist(user.name.c_str(), user.gid, groups.data(), &count) >= 0) {
      groups.resize(static_cast<std::size_t>(count));
      return groups;
    }
    // Too small: `count` now holds the number needed.
    groups.resize(static_cast<std::size_t>(count > 0 ? count : 0) + 64);
  }
  return {user.gid};
}

}  // namespace sup::posix
