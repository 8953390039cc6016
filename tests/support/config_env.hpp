// A fixed process environment for the configuration tests: user alice (uid 1000 unless
// told), home /home/alice, cwd /srv, and the given environment variables.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "config/config.hpp"

namespace sup::test {

inline config::Environment alice_env(std::map<std::string, std::string> vars, unsigned uid,
                                     std::string runtime_dir) {
  config::Environment env;
  env.uid = uid;
  env.home = "/home/alice";
  env.runtime_dir = std::move(runtime_dir);
  env.cwd = "/srv";
  env.getenv = [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  return env;
}

}  // namespace sup::test
