// libFuzzer target: the CLD parser must never crash, whatever the input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cli/cld_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto result = sup::cli::cld::parse_cld(text, "FUZZ.CLD");
  if (result.error) (void)result.error->text();
  return 0;
}
