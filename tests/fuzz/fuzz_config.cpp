// libFuzzer target: the configuration loader (inih + the X3 value grammars) must never
// crash, on either platform's rules.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "config/config.hpp"
#include "config/config_report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  sup::config::Environment env;
  env.uid = 1000;
  env.cwd = "/w";
  env.home = "/h";
  env.getenv = [](const std::string& v) -> std::optional<std::string> {
    if (v == "USER") return "u";
    return std::nullopt;
  };
  for (auto flavor : {sup::config::Flavor::Posix, sup::config::Flavor::Vms}) {
    auto r = sup::config::load_string({reinterpret_cast<const char*>(data), size}, "f.conf", flavor,
                                      env);
    for (auto& d : r.diagnostics) (void)sup::config::format_diagnostic(d);
  }
  return 0;
}
