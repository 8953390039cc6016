// The .MSG parser, condition values (expected values worked out by hand from the
// layout in doc/vms_facts.md sections 1-2), FAO formatting and the exit-status mapping.
#include <gtest/gtest.h>

#include "msg/embedded.hpp"
#include "msg/message.hpp"
#include "msg/msg_parser.hpp"

namespace sup::msg {
namespace {

MessageFile parse_ok(std::string_view text) {
  std::vector<MsgError> errors;
  auto f = parse_message_file(text, errors);
  EXPECT_TRUE(f.has_value()) << (errors.empty() ? "" : errors[0].text);
  return f.value_or(MessageFile{});
}

TEST(MsgParser, ReproducesMmkConditionValues) {
  // MMK's real compiled output: facility 1044, first message NOOPNDSC fatal = 0x0C14800C,
  // the next one 0x0C148014 (code 2).
  auto f = parse_ok(
      ".FACILITY MMK,1044/PREFIX=MMK__\n.SEVERITY FATAL\nNOOPNDSC <no operand>\n"
      "NEXT <next one>\n");
  ASSERT_EQ(f.messages.size(), 2u);
  EXPECT_EQ(f.messages[0].value, 0x0C14800Cu);
  EXPECT_EQ(f.messages[1].value, 0x0C148014u);
  EXPECT_EQ(f.prefix, "MMK__");
}

TEST(MsgParser, CodesCountAcrossSeverityChangesAndHonourBase) {
  auto f = parse_ok(
      ".TITLE T\n.IDENT \"V1\"\n.FACILITY SUP,1 ! comment\n.SEVERITY SUCCESS\nA <a>\n"
      ".SEVERITY WARNING\nB <b !AS>/FAO=1\n.BASE 100\nC <c>/ERROR\n.END\nD <ignored>\n");
  ASSERT_EQ(f.messages.size(), 3u);
  // facility 1 -> field 0x801 (customer bit); A: code 1 success: 0x0801_8000|8|1.
  EXPECT_EQ(f.messages[0].value, 0x08018009u);
  // B: code 2 warning: 0x08018000 | (2<<3) | 0.
  EXPECT_EQ(f.messages[1].value, 0x08018010u);
  EXPECT_EQ(f.messages[1].fao_count, 1);
  // C: .BASE 100 -> code 100 error: 0x08018000 | (100<<3) | 2 = 0x08018322.
  EXPECT_EQ(f.messages[2].value, 0x08018322u);
  EXPECT_EQ(f.messages[2].severity, Severity::Error);
  EXPECT_EQ(f.title, "T");
  EXPECT_EQ(f.ident, "V1");
  EXPECT_EQ(f.prefix, "SUP$_");
}

TEST(MsgParser, QuotedTextAndExclamationInsideText) {
  auto f = parse_ok(".FACILITY X,5\n.SEVERITY I\nM \"say !AS!\"/FAO_COUNT=1 ! trailing\n");
  ASSERT_EQ(f.messages.size(), 1u);
  EXPECT_EQ(f.messages[0].text, "say !AS!");
}

TEST(MsgParser, ReportsEveryErrorWithItsLine) {
  std::vector<MsgError> errors;
  auto f = parse_message_file(
      ".FACILITY X,5\nA <no severity>\n.SEVERITY BOGUS\n.SEVERITY E\nB no delimiters\nC <ok>\n"
      "C <dup>\n.WHAT\n",
      errors);
  EXPECT_FALSE(f.has_value());
  ASSERT_EQ(errors.size(), 5u);
  EXPECT_EQ(errors[0].line, 2);
  EXPECT_EQ(errors[1].line, 3);
  EXPECT_EQ(errors[2].line, 5);
  EXPECT_EQ(errors[3].line, 7);
  EXPECT_NE(errors[3].text.find("duplicate"), std::string::npos);
  EXPECT_EQ(errors[4].line, 8);
}

TEST(MsgParser, RejectsBadFacility) {
  std::vector<MsgError> errors;
  EXPECT_FALSE(parse_message_file(".FACILITY X,0\n", errors));
  EXPECT_FALSE(parse_message_file(".SEVERITY E\n", errors));
  EXPECT_FALSE(parse_message_file(".FACILITY X,1/SUPER\n", errors));
  EXPECT_FALSE(parse_message_file(".FACILITY X\n", errors));
}

// --- Issue 10: the rules MESSAGE follows on real files (doc/vms_facts.md section 3).
// One test per rule, each with a minimal example.

std::vector<MsgError> parse_errors(std::string_view text) {
  std::vector<MsgError> errors;
  EXPECT_FALSE(parse_message_file(text, errors).has_value()) << text;
  return errors;
}

// Rule 13: .TITLE takes a name and then free text.
TEST(MsgRealRules, Rule13TitleIsANameThenFreeText) {
  auto f = parse_ok(".TITLE  Info-ZIP UnZip Error Messages ! comment\n.FACILITY X,5\n");
  EXPECT_EQ(f.title, "Info-ZIP UnZip Error Messages");
  EXPECT_EQ(parse_ok("\t.TITLE\t\tCURLMSG Message files\n.FACILITY X,5\n").title,
            "CURLMSG Message files");
  const auto errors = parse_errors(".FACILITY X,5\n.TITLE\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 2);
}

// Rule 14: .IDENT takes any pair of matching delimiters or a bare word.
TEST(MsgRealRules, Rule14IdentTakesAnyMatchingDelimitersOrAWord) {
  EXPECT_EQ(parse_ok(".IDENT \"V1.12\"\n.FACILITY X,5\n").ident, "V1.12");
  EXPECT_EQ(parse_ok(".IDENT 'V6.1-000'\n.FACILITY X,5\n").ident, "V6.1-000");
  EXPECT_EQ(parse_ok(".IDENT /01-001/\n.FACILITY X,5\n").ident, "01-001");
  EXPECT_EQ(parse_ok(".IDENT <V2 beta>\n.FACILITY X,5\n").ident, "V2 beta");
  EXPECT_EQ(parse_ok(".IDENT V1-2\n.FACILITY X,5\n").ident, "V1-2");
  EXPECT_EQ(parse_errors(".FACILITY X,5\n.IDENT 'open\n")[0].line, 2);
  EXPECT_EQ(parse_errors(".FACILITY X,5\n.IDENT /a/ b\n")[0].line, 2);
}

// Rule 15: .FACILITY [/qualifiers] name[,] number [/qualifiers]: blanks anywhere, the
// comma optional, /SYSTEM, /SHARED and /PREFIX= before or after.
TEST(MsgRealRules, Rule15FacilityQualifiersEitherSideCommaOptional) {
  // /SYSTEM clears bit 27: IZ_UNZIP 1954 = 0x7A2, OK code 0 success -> 0x07A28001.
  auto zip = parse_ok(".FACILITY IZ_UNZIP, 1954 /SYSTEM\n.BASE 0\nOK /SUCCESS <fine>\n");
  EXPECT_EQ(zip.facility, "IZ_UNZIP");
  EXPECT_EQ(zip.facility_number, 1954u);
  EXPECT_TRUE(zip.system);
  ASSERT_EQ(zip.messages.size(), 1u);
  EXPECT_EQ(zip.messages[0].value, 0x07A28001u);
  // Blanks before the qualifier (curl's file).
  EXPECT_EQ(parse_ok(".FACILITY\tCURL,1793\t/PREFIX=CURL_\n").prefix, "CURL_");
  // Qualifiers before the name, no comma; /SHARED clears bit 15: facility 5 customer ->
  // 0x08050000, code 1 error -> 0x0805000A.
  auto shared = parse_ok(".FACILITY /SHARED /PREFIX=S$_ SHR 5\n.SEVERITY E\nA <a>\n");
  EXPECT_EQ(shared.prefix, "S$_");
  EXPECT_EQ(shared.facility, "SHR");
  EXPECT_EQ(shared.messages.at(0).value, 0x0805000Au);
  EXPECT_EQ(parse_ok(".FACILITY IPACP, 99/PREFIX=NET$_\n").prefix, "NET$_");
  EXPECT_EQ(parse_errors(".FACILITY /PREFIX=P_\n")[0].line, 1);
}

// Rule 16: a message's qualifiers may come before and/or after its text.
TEST(MsgRealRules, Rule16MessageQualifiersBeforeAndOrAfterTheText) {
  auto f = parse_ok(
      ".FACILITY X,5\n.SEVERITY W\nA /ERROR <a !AS> /FAO=1\nB /FATAL /FAO_COUNT=2 <b !AS !AS>\n"
      "C <c>/I\nD\t/SUCCESS\t\t<d>\n");
  ASSERT_EQ(f.messages.size(), 4u);
  EXPECT_EQ(f.messages[0].severity, Severity::Error);
  EXPECT_EQ(f.messages[0].fao_count, 1);
  EXPECT_EQ(f.messages[1].severity, Severity::Fatal);
  EXPECT_EQ(f.messages[1].fao_count, 2);
  EXPECT_EQ(f.messages[2].severity, Severity::Informational);
  EXPECT_EQ(f.messages[3].severity, Severity::Success);
  EXPECT_EQ(f.messages[3].text, "d");
  const auto errors = parse_errors(".FACILITY X,5\n.SEVERITY W\nA <a> /BOGUS\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 3);
}

// Rule 17: a trailing "-" continues a line; errors name the line where it starts.
TEST(MsgRealRules, Rule17TrailingHyphenContinuesTheLine) {
  auto f = parse_ok(
      ".FACILITY -\n   X,5\n.SEVERITY W\nMSGBAD -\n   /fao=0-\n   /fatal\nNEXT -  ! comment\n"
      "  <text with a - in it> -\n  /FAO=1\nLAST <!AS->/FAO=1\n! a comment ending in -\n"
      "AFTER <a>\n");
  ASSERT_EQ(f.messages.size(), 4u);
  EXPECT_EQ(f.facility, "X");
  EXPECT_EQ(f.messages[0].ident, "MSGBAD");
  EXPECT_EQ(f.messages[0].severity, Severity::Fatal);
  EXPECT_EQ(f.messages[0].line, 4);
  EXPECT_EQ(f.messages[1].text, "text with a - in it");
  EXPECT_EQ(f.messages[1].fao_count, 1);
  EXPECT_EQ(f.messages[2].text, "!AS-");
  EXPECT_EQ(f.messages[3].ident, "AFTER");
  EXPECT_EQ(f.messages[3].line, 12);
  const auto errors = parse_errors(".FACILITY X,5\n.SEVERITY W\nA -\n <a> -\n /NOPE\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 3);
}

// Rule 18: a file with only comments is valid and defines nothing.
TEST(MsgRealRules, Rule18OnlyCommentsIsValidAndDefinesNothing) {
  for (const char* text : {"", "! only\n! comments\r\n\n   ! indented\n"}) {
    auto f = parse_ok(text);
    EXPECT_TRUE(f.facility.empty());
    EXPECT_TRUE(f.messages.empty());
  }
}

// A record file copied byte for byte (as one project committed its .MSG) is one clear
// error naming the line, not a crash or a page of syntax errors.
TEST(MsgRealRules, BinaryRecordFileIsOneErrorWithItsLine) {
  const std::string records("\x0b\0\t.title DFU\0\x05\0\t.end\0", 22);
  const auto errors = parse_errors(records);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 1);
  EXPECT_NE(errors[0].text.find("binary record file"), std::string::npos);
}

TEST(MsgTable, GeneratedTableMatchesTheSourceFile) {
  std::vector<MsgError> errors;
  auto f = parse_message_file(embedded::msg_source, errors);
  ASSERT_TRUE(f);
  ASSERT_EQ(f->messages.size(), kMessageCount);
  for (std::size_t i = 0; i < kMessageCount; ++i) {
    EXPECT_EQ(kMessageTable[i].value, f->messages[i].value);
    EXPECT_EQ(kMessageTable[i].ident, f->messages[i].ident);
  }
  EXPECT_EQ(f->facility, "SUPERVISOR");
  // NORMAL is the first message, success: facility 1201 = 0x4B1 -> 0x0CB1 field.
  EXPECT_EQ(SUP__NORMAL, 0x0CB18009u);
  EXPECT_EQ(SUP__FACILITY, 1201u + 2048u);
}

TEST(MsgTable, FaoCountsMatchDirectives) {
  for (std::size_t i = 0; i < kMessageCount; ++i) {
    std::string_view t = kMessageTable[i].text;
    int n = 0;
    for (std::size_t p = 0; (p = t.find('!', p)) != std::string_view::npos; ++p) {
      auto d = t.substr(p + 1, 2);
      if (d == "AS" || d == "UL" || d == "XL" || d == "AZ" || d == "SL") ++n;
      if (d == "AD") n += 2;
    }
    EXPECT_EQ(n, kMessageTable[i].fao_count) << kMessageTable[i].ident;
  }
}

TEST(Fao, Directives) {
  EXPECT_EQ(fao("!AS: pid !UL", {std::string("web"), std::uint64_t{42}}), "web: pid 42");
  EXPECT_EQ(fao("pid !XL", {std::uint64_t{0x2040011C}}), "pid 2040011C");
  EXPECT_EQ(fao("[!AD]", {std::string("abc")}), "[abc]");
  EXPECT_EQ(fao("!UL program!%S", {std::uint64_t{1}}), "1 program");
  EXPECT_EQ(fao("!UL program!%S", {std::uint64_t{3}}), "3 programs");
  EXPECT_EQ(fao("!5AS|!4UL|!4ZL", {std::string("ab"), std::uint64_t{7}, std::uint64_t{7}}),
            "ab   |   7|0007");
  EXPECT_EQ(fao("a!!b!/c!_d", {}), "a!b\nc\td");
  EXPECT_EQ(fao("!AS and !AS", {std::string("one")}), "one and ???");
  EXPECT_EQ(fao("!XW", {std::uint64_t{0xAB}}), "00AB");
}

// The .MSG fuzz target found "!<many digits>AS" overflowing the width (UBSan): a width
// saturates at FAO's limit, a word.
TEST(Fao, HugeWidthSaturatesInsteadOfOverflowing) {
  const std::string out = fao("!99999999999999999999999999AS|", {std::string("x")});
  EXPECT_EQ(out.size(), 65536u);
  EXPECT_EQ(out.substr(0, 2), "x ");
  EXPECT_EQ(out.back(), '|');
  EXPECT_EQ(fao("!65535UL", {std::uint64_t{7}}).size(), 65535u);
}

TEST(Format, AsDclPrintsIt) {
  EXPECT_EQ(format(SUP__NOSUCHPROC, {std::string("web")}),
            "%SUPERVISOR-E-NOSUCHPROC, web: ERROR (no such process)");
  EXPECT_EQ(format(SUP__NORMAL), "%SUPERVISOR-S-NORMAL, normal successful completion");
  EXPECT_EQ(text(SUP__STARTED, {std::string("web")}), "web: started");
  // Control bits (e.g. STS$M_INHIB_MSG) do not change the lookup.
  EXPECT_EQ(text(SUP__STARTED | 0x10000000u, {std::string("a")}), "a: started");
  EXPECT_EQ(format(0x0801C012u), "%NONAME-E-NOMSG, Message number 0801C012");
}

TEST(ExitStatus, FollowsSupervisorctlConventions) {
  EXPECT_EQ(posix_exit_code(SUP__NORMAL), 0);
  EXPECT_EQ(posix_exit_code(SUP__ALRSTARTED), 0);
  EXPECT_EQ(posix_exit_code(SUP__PROGSTOPPED), 3);
  EXPECT_EQ(posix_exit_code(SUP__NODAEMON), 4);
  EXPECT_EQ(posix_exit_code(SUP__NOSUCHPROC), 4);
  EXPECT_EQ(posix_exit_code(SUP__SPAWNERR), 7);
  EXPECT_EQ(posix_exit_code(SUP__ABNORMAL), 7);
  EXPECT_EQ(posix_exit_code(SUP__USAGE), 2);
  EXPECT_EQ(posix_exit_code(SUP__BADPASSWORD), 1);
  EXPECT_EQ(posix_exit_code(SUP__BUG), 1);
}

}  // namespace
}  // namespace sup::msg
