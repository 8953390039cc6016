// The project's CLD, embedded in the binary by the build and parsed on first use.
#include "cli/cld_parser.hpp"
#include "msg/embedded.hpp"

namespace sup::cli {
namespace {

const cld::CldResult& embedded_result() {
  static const cld::CldResult result = cld::parse_cld(embedded::cld_source, "SUPERVISOR.CLD");
  return result;
}

}  // namespace

const cld::Model& supervisor_cld() {
  static const cld::Model empty;
  const auto& result = embedded_result();
  return result.model ? *result.model : empty;
}

const std::optional<cld::CldError>& supervisor_cld_error() {
  return embedded_result().error;
}

}  // namespace sup::cli
