#include "supervisor/client_config.hpp"

#include <iostream>

#include "config/config_report.hpp"

namespace sup::client {

TableLookup find_table(const std::string& path, const config::Environment& env,
                       config::Flavor flavor) {
  TableLookup r;
  auto loaded = config::load_client_file(path, flavor, env);
  if (!loaded.open_error.empty()) {
    r.condition = {SUP__NOCONFIG, {path, loaded.open_error}};
    return r;
  }
  if (!loaded.diagnostics.empty()) {
    std::cout.flush();
    for (auto& d : loaded.diagnostics) std::cerr << config::format_diagnostic(d) << '\n';
  }
  if (!loaded.settings) {
    r.condition = {SUP__CFGINVALID, {path, std::uint64_t(loaded.error_count())}};
    return r;
  }
  r.table = loaded.settings->table;
  r.user = loaded.settings->user;
  return r;
}

}  // namespace sup::client
