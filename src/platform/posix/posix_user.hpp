// Account lookups shared by spawn (per-program `user`) and the daemon (`[supervisord] user`).
// They may read /etc/passwd and /etc/group through NSS, so they are done BEFORE fork:
// the child only calls setgroups/setgid/setuid with the answers.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace sup::posix {

struct UserInfo {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
  std::string home;
};

// The account named `name`; nullopt when there is none.
std::optional<UserInfo> lookup_user(const std::string& name);

// The account of the effective uid; nullopt when it has no passwd entry.
std::optional<UserInfo> lookup_uid(uid_t uid);

// The supplementary groups of `user` (what initgroups would set), `user.gid` included.
std::vector<gid_t> user_groups(const UserInfo& user);

}  // namespace sup::posix
