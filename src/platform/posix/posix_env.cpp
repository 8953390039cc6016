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
  env.getenv = env_value;
  return env;
}

}  // namespace sup::posix
