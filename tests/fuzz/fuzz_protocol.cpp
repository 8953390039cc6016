// libFuzzer target: the protocol record decoders (what the daemon reads from any client,
// and what the client reads from the socket) must never crash or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view record(reinterpret_cast<const char*>(data), size);
  auto request = sup::core::decode_request(record);
  if (auto* r = std::get_if<sup::core::Request>(&request)) {
    // What decodes must survive a round trip unchanged.
    auto again = sup::core::encode_request(*r);
    if (!again) __builtin_trap();
    auto back = sup::core::decode_request(*again);
    auto* b = std::get_if<sup::core::Request>(&back);
    if (!b || b->action != r->action || b->password != r->password || b->wait != r->wait ||
        b->timeout != r->timeout || b->names != r->names)
      __builtin_trap();
  }
  (void)sup::core::decode_reply(record);
  return 0;
}
