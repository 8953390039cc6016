// libFuzzer target: the .MSG parser must never crash, whatever the input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "msg/message.hpp"
#include "msg/msg_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<sup::msg::MsgError> errors;
  auto file = sup::msg::parse_message_file(text, errors);
  if (file)
    for (auto& m : file->messages)
      (void)sup::msg::fao(m.text, {std::string("x"), std::uint64_t{1}});
  return 0;
}
