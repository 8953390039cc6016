#include "platform/posix/posix_env.hpp"

#include <unistd.h>

#include <cstdlib>

#include "platform/posix/posix_user.hpp"

namespace sup::posix {
namespace {

std::optional<std::string> env_value(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (!v) return std::nullopt;
  return std::string(v);
}

// %(ENV_X)s lookups.  USER and LOGNAME fall back to the account's name, as a login would
// set them: a root shell in a container often has neither, and "user = %(ENV_USER)s" is
// the usual way to say "whoever runs it".
std::optional<std::string> env_for_config(const std::string& name) {
  if (auto v = env_value(name)) return v;
  if (name == "USER" || name == "LOGNAME")
    if (auto self = lookup_uid(::geteuid())) return self->name;
  return std::nullopt;
}

std::string current_directory() {
  std::string buf(4096, '\0');
  if (!::getcwd(buf.data(), buf.size())) return "";
  buf.resize(buf.find('\0'));
  return buf;
}

}  // namespace

config::Environment posix_environment() {
  config::Environment env;
  env.uid = static_cast<unsigned>(::geteuid());
  if (auto home = env_value("HOME"); home && !home->empty()) {
    env.home = *home;
  } else if (auto self = lookup_uid(::geteuid())) {
    env.home = self->home;
  }
  env.runtime_dir = env_value("XDG_RUNTIME_DIR").value_or("");
  env.cwd = current_directory();
  env.getenv = env_for_config;
  return env;
}

}  // namespace sup::posix
