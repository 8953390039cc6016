// Protocol records (doc/protocol.md section 1): exact bytes, round trips, and every way a record
// can be wrong (truncated, oversized, wrong version, bad lengths, trailing bytes).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <variant>

#include "core/protocol.hpp"

namespace sup::core {
namespace {

using namespace std::string_literals;

// A copy: the Decoded is often a temporary.
template <class T>
DecodeError error_of(const Decoded<T>& d) {
  const auto* e = std::get_if<DecodeError>(&d);
  EXPECT_NE(e, nullptr) << "expected a decode error";
  return e ? *e : DecodeError{DecodeError::Kind::Malformed, "<decoded fine>", 0};
}

using commands::Action;

Request make(Action action, std::vector<std::string> names = {}, bool wait = true,
             std::uint32_t timeout = 0, std::string password = "") {
  Request r;
  r.action = action;
  r.names = std::move(names);
  r.wait = wait;
  r.timeout = timeout;
  r.password = std::move(password);
  return r;
}

Request sample() {
  return make(Action::Start, {"web", "api"}, false, 30, "s3cret\0x"s);
}

TEST(CoreProtocol, FinalHasTheDocumentedBytes) {
  std::string rec = encode_final(0x0801C012u, "");
  // header: "SV", version 2, type 3, payload 12 (2+8 condition, 2+0 text)
  EXPECT_EQ(rec, "SV\x02\x03\x0C\x00\x00\x00"s + "\x08\x00"s + "0801C012" + "\x00\x00"s);
  // A refusal of a version-1 client's request is written in version 1, byte for byte
  // what that client reads.
  EXPECT_EQ(encode_reply(Reply{RecordType::Final, 0x0801C012u, ""}, 1),
            "SV\x01\x03\x0C\x00\x00\x00"s + "\x08\x00"s + "0801C012" + "\x00\x00"s);
}

TEST(CoreProtocol, RequestHasTheDocumentedBytes) {
  // header: "SV", version 2, type 1, payload 16; action code 2 (stop), password "",
  // flags 1 (nowait), timeout 0, one name.
  EXPECT_EQ(*encode_request(make(Action::Stop, {"web"}, false)),
            "SV\x02\x01\x10\x00\x00\x00"s + "\x01\x00"s + "2" + "\x00\x00"s + "\x01\x00"s + "1" +
                "\x01\x00"s + "0" + "\x03\x00"s + "web");
}

TEST(CoreProtocol, RequestRoundTrips) {
  auto rec = encode_request(sample());
  ASSERT_TRUE(rec.has_value());
  EXPECT_EQ(rec->substr(0, 4), "SV\x02\x01"s);
  auto d = decode_request(*rec);
  ASSERT_TRUE(std::holds_alternative<Request>(d)) << error_of(d).text;
  const auto& r = std::get<Request>(d);
  EXPECT_EQ(r.action, Action::Start);
  EXPECT_EQ(r.password, "s3cret\0x"s);
  EXPECT_FALSE(r.wait);
  EXPECT_EQ(r.timeout, 30u);
  EXPECT_EQ(r.names, (std::vector<std::string>{"web", "api"}));
}

// Every action the daemon carries out travels as its code and comes back the same; the
// client's own (HELP) is not a request the daemon accepts.
TEST(CoreProtocol, EveryDaemonActionRoundTripsAsItsCode) {
  for (const auto& c : commands::kCommandList) {
    auto rec = encode_request(make(c.action));
    ASSERT_TRUE(rec.has_value()) << c.keyword;
    auto d = decode_request(*rec);
    if (c.runs == commands::Runs::InDaemon) {
      ASSERT_TRUE(std::holds_alternative<Request>(d)) << c.keyword << ": " << error_of(d).text;
      EXPECT_EQ(std::get<Request>(d).action, c.action);
      EXPECT_TRUE(std::get<Request>(d).wait);
    } else {
      EXPECT_EQ(error_of(d).kind, DecodeError::Kind::UnknownAction) << c.keyword;
    }
  }
}

TEST(CoreProtocol, RequestFieldsAreDecimalText) {
  auto rec = *encode_request(make(Action::Status, {}, true, 4294967295u));
  EXPECT_NE(rec.find("4294967295"), std::string::npos);
  EXPECT_EQ(std::get<Request>(decode_request(rec)).timeout, 4294967295u);
}

// Only the wire part travels: the client's own fields never leave it.
TEST(CoreProtocol, ClientOnlyFieldsAreNotSent) {
  Request r = make(Action::Status, {"web"});
  r.output_file = "out.txt";
  r.config_file = "secret.conf";
  r.help_topics = {"topic"};
  r.config_given = r.password_given = true;
  auto rec = *encode_request(r);
  EXPECT_EQ(rec, *encode_request(make(Action::Status, {"web"})));
  EXPECT_EQ(rec.find("secret.conf"), std::string::npos);
}

TEST(CoreProtocol, RepliesRoundTrip) {
  for (auto type : {RecordType::Line, RecordType::Final}) {
    std::string rec = encode_reply(Reply{type, 0xABCDEF01u, "web: started"});
    auto d = decode_reply(rec);
    ASSERT_TRUE(std::holds_alternative<Reply>(d)) << error_of(d).text;
    const auto& r = std::get<Reply>(d);
    EXPECT_EQ(r.type, type);
    EXPECT_EQ(r.condition, 0xABCDEF01u);
    EXPECT_EQ(r.text, "web: started");
  }
}

TEST(CoreProtocol, EveryTruncationIsMalformed) {
  std::string rec = *encode_request(sample());
  for (std::size_t n = 0; n < rec.size(); ++n) {
    auto d = decode_request(rec.substr(0, n));
    EXPECT_EQ(error_of(d).kind, DecodeError::Kind::Malformed) << n;
  }
}

TEST(CoreProtocol, OversizedRecordsAreRefused) {
  std::string big(kMaxRecord + 1, 'x');
  const auto& e = error_of(decode_request(big));
  EXPECT_EQ(e.kind, DecodeError::Kind::Oversized);
  EXPECT_EQ(e.value, kMaxRecord + 1);
  // The largest record that fits decodes.
  Request r = make(Action::Status);
  std::size_t used = kHeaderSize + (2 + 1) + 2 + (2 + 1) + (2 + 1);
  r.names.push_back(std::string(kMaxRecord - used - 2, 'n'));
  auto rec = encode_request(r);
  ASSERT_TRUE(rec.has_value());
  EXPECT_EQ(rec->size(), kMaxRecord);
  EXPECT_TRUE(std::holds_alternative<Request>(decode_request(*rec)));
  r.names.back() += 'n';
  EXPECT_FALSE(encode_request(r).has_value());
}

TEST(CoreProtocol, WrongVersionIsReportedWithTheVersion) {
  std::string rec = *encode_request(sample());
  rec[2] = '\x07';
  const auto& e = error_of(decode_request(rec));
  EXPECT_EQ(e.kind, DecodeError::Kind::WrongVersion);
  EXPECT_EQ(e.value, 7u);
  // A version-1 request (the action as text) is refused by its version, not parsed.
  std::string v1 = "SV\x01\x01\x10\x00\x00\x00"s + "\x06\x00"s + "status" + "\x00\x00"s +
                   "\x01\x00"s + "0" + "\x01\x00"s + "0";
  const auto& old = error_of(decode_request(v1));
  EXPECT_EQ(old.kind, DecodeError::Kind::WrongVersion);
  EXPECT_EQ(old.value, 1u);
  // And a reply of another version is refused by the client the same way.
  EXPECT_EQ(error_of(decode_reply(encode_reply(Reply{RecordType::Final, 1, ""}, 1))).kind,
            DecodeError::Kind::WrongVersion);
}

TEST(CoreProtocol, BadHeadersAreMalformed) {
  std::string rec = *encode_request(sample());
  auto bad = [&](std::size_t at, char c) {
    std::string r = rec;
    r[at] = c;
    return error_of(decode_request(r)).kind;
  };
  EXPECT_EQ(bad(0, 'X'), DecodeError::Kind::Malformed);     // magic
  EXPECT_EQ(bad(3, '\x00'), DecodeError::Kind::Malformed);  // type 0
  EXPECT_EQ(bad(3, '\x04'), DecodeError::Kind::Malformed);  // type 4
  EXPECT_EQ(bad(3, '\x02'), DecodeError::Kind::Malformed);  // a Line is not a request
  EXPECT_EQ(bad(4, static_cast<char>(rec[4] + 1)), DecodeError::Kind::Malformed);  // length
  EXPECT_EQ(bad(4, static_cast<char>(rec[4] - 1)), DecodeError::Kind::Malformed);
  EXPECT_EQ(bad(7, '\x01'), DecodeError::Kind::Malformed);  // length high byte
  EXPECT_EQ(error_of(decode_reply(rec)).kind, DecodeError::Kind::Malformed);
}

// Rewrites the header's payload length after the test has changed the payload.
std::string fix_length(std::string rec) {
  std::size_t n = rec.size() - kHeaderSize;
  for (int i = 0; i < 4; ++i)
    rec[4 + static_cast<std::size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xFF);
  return rec;
}

TEST(CoreProtocol, TrailingBytesAndOverrunningFieldsAreMalformed) {
  std::string rec = *encode_request(sample());
  EXPECT_NE(error_of(decode_request(fix_length(rec + "\x01"))).text.find("truncated"),
            std::string::npos);
  EXPECT_NE(error_of(decode_request(fix_length(rec + "\x05\x00" + "ab"))).text.find("overruns"),
            std::string::npos);
  // A field length pointing past the end.
  std::string r2 = rec;
  r2[kHeaderSize] = '\x7F';
  EXPECT_EQ(error_of(decode_request(r2)).kind, DecodeError::Kind::Malformed);
}

std::string raw(RecordType type, const std::vector<std::string>& fields) {
  std::string payload;
  for (const auto& f : fields) {
    payload += static_cast<char>(f.size() & 0xFF);
    payload += static_cast<char>(f.size() >> 8);
    payload += f;
  }
  return fix_length("SV\x02"s + static_cast<char>(type) + "\0\0\0\0"s + payload);
}

TEST(CoreProtocol, RequestFieldContentsAreChecked) {
  auto kind_of = [](const std::vector<std::string>& f) {
    return std::holds_alternative<Request>(decode_request(raw(RecordType::Request, f)))
               ? "ok"
               : error_of(decode_request(raw(RecordType::Request, f))).text;
  };
  EXPECT_EQ(kind_of({"4", "", "0", "0"}), "ok");
  EXPECT_EQ(kind_of({"4", "", "1", "0"}), "ok");           // nowait
  EXPECT_NE(kind_of({"4", "", "0"}), "ok");                // 3 fields
  EXPECT_NE(kind_of({"4", "", "x", "0"}), "ok");           // flags
  EXPECT_NE(kind_of({"4", "", "-1", "0"}), "ok");          // sign
  EXPECT_NE(kind_of({"4", "", "2", "0"}), "ok");           // unknown flag bit
  EXPECT_NE(kind_of({"4", "", "0", "4294967296"}), "ok");  // overflow
  EXPECT_NE(kind_of({"4", "", "0", ""}), "ok");            // empty number
  EXPECT_NE(kind_of({"", "", "0", "0"}), "ok");            // empty action
  EXPECT_NE(kind_of({"status", "", "0", "0"}), "ok");      // action as text (version 1)
  EXPECT_NE(kind_of({"4 ", "", "0", "0"}), "ok");          // not only digits
  EXPECT_NE(kind_of({"4", "", "0", "0", ""}), "ok");       // empty name
  EXPECT_NE(kind_of({"4", "", "0", "0", "we\nb"}), "ok");  // control character
  // Well-formed codes of no action the daemon carries out: their own kind of error.
  for (std::string code : {"0", "8", "255", "4294967295"}) {
    auto d = decode_request(raw(RecordType::Request, {code, "", "0", "0"}));
    EXPECT_EQ(error_of(d).kind, DecodeError::Kind::UnknownAction) << code;
    EXPECT_EQ(error_of(d).text, "action code " + code);
  }
}

TEST(CoreProtocol, ReplyFieldContentsAreChecked) {
  EXPECT_TRUE(
      std::holds_alternative<Reply>(decode_reply(raw(RecordType::Final, {"0801C012", ""}))));
  EXPECT_FALSE(
      std::holds_alternative<Reply>(decode_reply(raw(RecordType::Final, {"0801c012", ""}))));
  EXPECT_FALSE(
      std::holds_alternative<Reply>(decode_reply(raw(RecordType::Line, {"801C012", "x"}))));
  EXPECT_FALSE(std::holds_alternative<Reply>(decode_reply(raw(RecordType::Line, {"0801C012"}))));
  EXPECT_FALSE(
      std::holds_alternative<Reply>(decode_reply(raw(RecordType::Line, {"0801C012", "a", "b"}))));
}

TEST(CoreProtocol, FieldCountIsLimited) {
  std::vector<std::string> fields{"4", "", "0", "0"};
  while (fields.size() < kMaxFields) fields.push_back("n");
  EXPECT_TRUE(std::holds_alternative<Request>(decode_request(raw(RecordType::Request, fields))));
  fields.push_back("n");
  EXPECT_NE(error_of(decode_request(raw(RecordType::Request, fields))).text.find("1024"),
            std::string::npos);
  Request many = make(Action::Start, std::vector<std::string>(kMaxFields, "n"));
  EXPECT_FALSE(encode_request(many).has_value());
}

TEST(CoreProtocol, LongReplyTextIsCutToFit) {
  std::string rec = encode_line(1, std::string(3 * kMaxRecord, 'z'));
  EXPECT_EQ(rec.size(), kMaxRecord);
  auto d = decode_reply(rec);
  ASSERT_TRUE(std::holds_alternative<Reply>(d));
  EXPECT_EQ(std::get<Reply>(d).text, std::string(kMaxRecord - kHeaderSize - 12, 'z'));
}

TEST(CoreProtocol, RandomAndMutatedInputNeverCrashes) {
  std::mt19937 rng(12345);
  std::string good = *encode_request(sample());
  for (int i = 0; i < 20000; ++i) {
    std::string s = good;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits; ++k) {
      std::size_t at = rng() % s.size();
      switch (rng() % 3) {
        case 0:
          s[at] = static_cast<char>(rng());
          break;
        case 1:
          s.erase(at, 1 + rng() % 4);
          break;
        default:
          s.insert(at, 1, static_cast<char>(rng()));
          break;
      }
      if (s.empty()) s = "S";
    }
    (void)decode_request(s);
    (void)decode_reply(s);
  }
  SUCCEED();
}

// The fuzz seed corpus stays meaningful: good seeds decode, bad_* seeds do not.
TEST(CoreProtocol, FuzzSeedsDecodeAsTheirNamesSay) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(SUP_SOURCE_DIR) / "tests" / "fuzz" / "protocol";
  int seen = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string name = entry.path().filename().string();
    bool request_ok = std::holds_alternative<Request>(decode_request(bytes));
    bool reply_ok = std::holds_alternative<Reply>(decode_reply(bytes));
    bool bad = name.rfind("bad_", 0) == 0;
    EXPECT_EQ(request_ok || reply_ok, !bad) << name;
    ++seen;
  }
  EXPECT_GE(seen, 10);
}

TEST(CoreProtocol, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("secret", "secret"));
  EXPECT_FALSE(constant_time_equal("secret", "secreT"));
  EXPECT_FALSE(constant_time_equal("secret", "secret\0"s));
  EXPECT_FALSE(constant_time_equal("secret", ""));
  EXPECT_FALSE(constant_time_equal("", "x"));
}

}  // namespace
}  // namespace sup::core
