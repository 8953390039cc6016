#include "core/protocol.hpp"

#include <algorithm>

namespace sup::core {
namespace {

constexpr std::size_t kRequestFixedFields = 4;  // action, password, flags, timeout

void put_u16(std::string& out, std::size_t v) {
  out += static_cast<char>(v & 0xFFu);
  out += static_cast<char>((v >> 8) & 0xFFu);
}

std::uint32_t get_u32(std::string_view s, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i)
    v |= static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + i])) << (8 * i);
  return v;
}

std::string header(RecordType type, std::size_t payload, std::uint8_t version) {
  std::string h = "SV";
  h += static_cast<char>(version);
  h += static_cast<char>(type);
  for (int i = 0; i < 4; ++i) h += static_cast<char>((payload >> (8 * i)) & 0xFFu);
  return h;
}

// Joins fields into a record; nullopt when it would not fit.
std::optional<std::string> build(RecordType type, const std::vector<std::string_view>& fields,
                                 std::uint8_t version = kProtocolVersion) {
  if (fields.size() > kMaxFields) return std::nullopt;
  std::string payload;
  for (auto f : fields) {
    if (kHeaderSize + payload.size() + 2 + f.size() > kMaxRecord) return std::nullopt;
    put_u16(payload, f.size());
    payload.append(f.data(), f.size());
  }
  return header(type, payload.size(), version) + payload;
}

DecodeError malformed(std::string text) {
  return DecodeError{DecodeError::Kind::Malformed, std::move(text), 0};
}

// Checks the header and splits the payload into fields (views into `record`).
std::optional<DecodeError> split(std::string_view record, RecordType& type,
                                 std::vector<std::string_view>& fields) {
  if (record.size() > kMaxRecord)
    return DecodeError{DecodeError::Kind::Oversized,
                       "record of " + std::to_string(record.size()) + " bytes exceeds " +
                           std::to_string(kMaxRecord),
                       record.size()};
  if (record.size() < kHeaderSize)
    return malformed("record of " + std::to_string(record.size()) +
                     " bytes is shorter than its header");
  if (record[0] != 'S' || record[1] != 'V') return malformed("bad magic (not \"SV\")");
  auto version = static_cast<unsigned char>(record[2]);
  if (version != kProtocolVersion)
    return DecodeError{DecodeError::Kind::WrongVersion,
                       "protocol version " + std::to_string(version), version};
  auto t = static_cast<unsigned char>(record[3]);
  if (t < 1 || t > 3) return malformed("unknown record type " + std::to_string(t));
  type = static_cast<RecordType>(t);
  if (get_u32(record, 4) != record.size() - kHeaderSize)
    return malformed("payload length " + std::to_string(get_u32(record, 4)) + " but " +
                     std::to_string(record.size() - kHeaderSize) + " bytes follow the header");
  std::size_t at = kHeaderSize;
  while (at < record.size()) {
    if (fields.size() == kMaxFields) return malformed("more than 1024 fields");
    if (record.size() - at < 2) return malformed("truncated field length");
    std::size_t len = static_cast<unsigned char>(record[at]) |
                      (static_cast<std::size_t>(static_cast<unsigned char>(record[at + 1])) << 8);
    at += 2;
    if (len > record.size() - at)
      return malformed("field " + std::to_string(fields.size() + 1) + " of " + std::to_string(len) +
                       " bytes overruns the record");
    fields.push_back(record.substr(at, len));
    at += len;
  }
  return std::nullopt;
}

// A decimal u32 of 1-10 digits, nothing else.
std::optional<std::uint32_t> parse_decimal(std::string_view s) {
  if (s.empty() || s.size() > 10) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v > 0xFFFFFFFFu) return std::nullopt;
  return static_cast<std::uint32_t>(v);
}

// Exactly 8 upper-case hex digits.
std::optional<std::uint32_t> parse_condition(std::string_view s) {
  if (s.size() != 8) return std::nullopt;
  std::uint32_t v = 0;
  for (char c : s) {
    std::uint32_t d;
    if (c >= '0' && c <= '9')
      d = static_cast<std::uint32_t>(c - '0');
    else if (c >= 'A' && c <= 'F')
      d = static_cast<std::uint32_t>(c - 'A' + 10);
    else
      return std::nullopt;
    v = (v << 4) | d;
  }
  return v;
}

std::string hex8(std::uint32_t v) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string s(8, '0');
  for (int i = 7; i >= 0; --i, v >>= 4) s[static_cast<std::size_t>(i)] = kDigits[v & 0xFu];
  return s;
}

// Names end up in logs and replies: no control characters.
bool printable(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
  });
}

}  // namespace

std::optional<std::string> encode_request(const Request& request) {
  std::string action = std::to_string(static_cast<unsigned>(request.action));
  std::string flags = std::to_string(request.wait ? 0u : kFlagNoWait);
  std::string timeout = std::to_string(request.timeout);
  std::vector<std::string_view> fields{action, request.password, flags, timeout};
  for (const auto& n : request.names) fields.emplace_back(n);
  return build(RecordType::Request, fields);
}

std::string encode_reply(const Reply& reply, std::uint8_t version) {
  std::string cond = hex8(reply.condition);
  std::string_view text = reply.text;
  // Room for the header and two length-prefixed fields.
  std::size_t room = kMaxRecord - kHeaderSize - 4 - cond.size();
  if (text.size() > room) text = text.substr(0, room);
  return build(reply.type, {cond, text}, version).value_or(std::string());
}

std::string encode_line(std::uint32_t condition, std::string_view text) {
  return encode_reply(Reply{RecordType::Line, condition, std::string(text)});
}

std::string encode_final(std::uint32_t condition, std::string_view text) {
  return encode_reply(Reply{RecordType::Final, condition, std::string(text)});
}

Decoded<Request> decode_request(std::string_view record) {
  RecordType type{};
  std::vector<std::string_view> f;
  if (auto err = split(record, type, f)) return *err;
  if (type != RecordType::Request) return malformed("expected a request record");
  if (f.size() < kRequestFixedFields)
    return malformed("a request needs 4 fields, got " + std::to_string(f.size()));
  auto code = parse_decimal(f[0]);
  auto flags = parse_decimal(f[2]);
  auto timeout = parse_decimal(f[3]);
  if (!code) return malformed("action field is not a decimal number");
  if (!flags) return malformed("flags field is not a decimal number");
  if (!timeout) return malformed("timeout field is not a decimal number");
  if ((*flags & ~kFlagNoWait) != 0) return malformed("flags field has unknown bits");
  auto action = commands::from_code(*code);
  if (!action || commands::spec(*action).runs != commands::Runs::InDaemon)
    return DecodeError{DecodeError::Kind::UnknownAction, "action code " + std::to_string(*code),
                       *code};
  Request r;
  r.action = *action;
  r.password = std::string(f[1]);
  r.wait = (*flags & kFlagNoWait) == 0;
  r.timeout = *timeout;
  for (std::size_t i = kRequestFixedFields; i < f.size(); ++i) {
    if (f[i].empty() || !printable(f[i]))
      return malformed("program name " + std::to_string(i - kRequestFixedFields + 1) +
                       " is empty or has control characters");
    r.names.emplace_back(f[i]);
  }
  return r;
}

Decoded<Reply> decode_reply(std::string_view record) {
  RecordType type{};
  std::vector<std::string_view> f;
  if (auto err = split(record, type, f)) return *err;
  if (type == RecordType::Request) return malformed("expected a reply record");
  if (f.size() != 2) return malformed("a reply needs 2 fields, got " + std::to_string(f.size()));
  auto cond = parse_condition(f[0]);
  if (!cond) return malformed("condition field is not 8 hex digits");
  return Reply{type, *cond, std::string(f[1])};
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  // Every byte of the longer string is visited whatever the contents; only the lengths
  // (which a timing observer may learn) change the amount of work.
  std::size_t n = std::max(a.size(), b.size());
  unsigned diff = a.size() == b.size() ? 0u : 1u;
  for (std::size_t i = 0; i < n; ++i) {
    auto x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0u;
    auto y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0u;
    diff |= x ^ y;
  }
  return diff == 0;
}

}  // namespace sup::core
