// The value grammars of the configuration: valid and invalid inputs for each.
#include <gtest/gtest.h>

#include "config/config.hpp"
#include "config/config_values.hpp"

namespace sup::config::detail {
namespace {

using Codes = std::vector<std::uint32_t>;
using Words = std::vector<std::string>;

TEST(ConfigValues, BoolAcceptsEveryWordInAnyCase) {
  for (const char* t : {"true", "TRUE", "Yes", "on", "1", " true "}) {
    EXPECT_EQ(parse_bool(t).value, std::optional<bool>(true)) << t;
  }
  for (const char* t : {"false", "No", "OFF", "0"}) {
    EXPECT_EQ(parse_bool(t).value, std::optional<bool>(false)) << t;
  }
}

TEST(ConfigValues, BoolRejectsOtherWords) {
  for (const char* t : {"", "maybe", "yesno", "10", "2", "tru", "true false"}) {
    const auto r = parse_bool(t);
    EXPECT_FALSE(r.value) << t;
    EXPECT_NE(r.error.find("expected true or false"), std::string::npos) << r.error;
  }
  EXPECT_NE(parse_bool("maybe").error.find("\"maybe\""), std::string::npos);
}

TEST(ConfigValues, IntWithinRange) {
  EXPECT_EQ(parse_int("0", 0, 31).value, std::optional<int>(0));
  EXPECT_EQ(parse_int("31", 0, 31).value, std::optional<int>(31));
  EXPECT_EQ(parse_int(" 7 ", 0, 31).value, std::optional<int>(7));
}

TEST(ConfigValues, IntOutOfRangeOrMalformed) {
  for (const char* t : {"32", "-1", "", "4x", "x", "3.5", "99999999999999999999999", "+4"}) {
    const auto r = parse_int(t, 0, 31);
    EXPECT_FALSE(r.value) << t;
    EXPECT_NE(r.error.find("expected an integer from 0 to 31"), std::string::npos) << r.error;
  }
}

TEST(ConfigValues, Autorestart) {
  EXPECT_EQ(parse_autorestart("unexpected").value, Autorestart::Unexpected);
  EXPECT_EQ(parse_autorestart("UNEXPECTED").value, Autorestart::Unexpected);
  EXPECT_EQ(parse_autorestart("true").value, Autorestart::True);
  EXPECT_EQ(parse_autorestart("yes").value, Autorestart::True);
  EXPECT_EQ(parse_autorestart("False").value, Autorestart::False);
  EXPECT_EQ(parse_autorestart("off").value, Autorestart::False);
  const auto bad = parse_autorestart("sometimes");
  EXPECT_FALSE(bad.value);
  EXPECT_NE(bad.error.find("expected false, unexpected or true"), std::string::npos);
}

TEST(ConfigValues, PosixExitcodes) {
  EXPECT_EQ(parse_exitcodes("0", Flavor::Posix).value, Codes({0}));
  EXPECT_EQ(parse_exitcodes("0, 2,255", Flavor::Posix).value, Codes({0, 2, 255}));
  for (const char* t : {"", "256", "1,", ",1", "a", "%X1", "-1", "1 2"}) {
    const auto r = parse_exitcodes(t, Flavor::Posix);
    EXPECT_FALSE(r.value) << t;
    EXPECT_NE(r.error.find("exit codes from 0 to 255"), std::string::npos) << r.error;
  }
}

TEST(ConfigValues, VmsExitcodesTakeHexConditionValues) {
  EXPECT_EQ(parse_exitcodes("1", Flavor::Vms).value, Codes({1}));
  EXPECT_EQ(parse_exitcodes("1, %X10000001, %x2C", Flavor::Vms).value,
            Codes({1, 0x10000001, 0x2C}));
  EXPECT_EQ(parse_exitcodes("4294967295", Flavor::Vms).value, Codes({0xFFFFFFFFu}));
  for (const char* t : {"%X", "%X100000000", "4294967296", "X1", "%X 1", "1,,2"}) {
    const auto r = parse_exitcodes(t, Flavor::Vms);
    EXPECT_FALSE(r.value) << t;
    EXPECT_NE(r.error.find("condition values"), std::string::npos) << r.error;
  }
}

TEST(ConfigValues, QuotaListsPlainAndParenthesised) {
  const auto plain = parse_quotas("ASTLM=600, bytlm=131072,FILLM = 50");
  ASSERT_TRUE(plain.value) << plain.error;
  ASSERT_EQ(plain.value->size(), 3u);
  EXPECT_EQ((*plain.value)[1].name, "BYTLM");
  EXPECT_EQ((*plain.value)[1].value, 131072u);
  const auto parens = parse_quotas("(PQL$_ASTLM=600,\nWSEXTENT=4096)");
  ASSERT_TRUE(parens.value) << parens.error;
  EXPECT_EQ((*parens.value)[0].name, "ASTLM");
  EXPECT_EQ((*parens.value)[1].name, "WSEXTENT");
  EXPECT_TRUE(parse_quotas("").value->empty());
  EXPECT_TRUE(parse_quotas("()").value->empty());
}

TEST(ConfigValues, EveryPqlNameIsAccepted) {
  for (const char* n : {"ASTLM", "BIOLM", "BYTLM", "CPULM", "DIOLM", "FILLM", "PGFLQUOTA", "PRCLM",
                        "TQELM", "WSQUOTA", "WSDEFAULT", "ENQLM", "WSEXTENT", "JTQUOTA"}) {
    EXPECT_TRUE(parse_quotas(std::string(n) + "=1").value) << n;
  }
}

TEST(ConfigValues, QuotaErrorsSayWhatIsWrong) {
  EXPECT_NE(parse_quotas("FOOLM=1").error.find("unknown quota FOOLM; expected one of ASTLM"),
            std::string::npos);
  EXPECT_NE(parse_quotas("ASTLM=1, astlm=2").error.find("quota ASTLM is given twice"),
            std::string::npos);
  for (const char* t : {"ASTLM", "ASTLM=", "ASTLM=-1", "ASTLM=4294967296", "ASTLM=1,",
                        "ASTLM=1 BYTLM=2", "(ASTLM=1", "ASTLM=1)"}) {
    const auto r = parse_quotas(t);
    EXPECT_FALSE(r.value) << t;
    EXPECT_NE(r.error.find("expected a quota list like"), std::string::npos) << r.error;
  }
  EXPECT_NE(parse_quotas("ASTLM=1, BYTLM").error.find("near \", BYTLM\""), std::string::npos)
      << parse_quotas("ASTLM=1, BYTLM").error;
}

TEST(ConfigValues, PrivilegesBuildTheMask) {
  const auto r = parse_privileges("TMPMBX, netmbx, SYSNAM");
  ASSERT_TRUE(r.value) << r.error;
  EXPECT_EQ(r.value->names, Words({"TMPMBX", "NETMBX", "SYSNAM"}));
  EXPECT_EQ(r.value->mask, (1ULL << 15) | (1ULL << 20) | (1ULL << 2));
  const auto high = parse_privileges("(READALL,SECURITY)");
  ASSERT_TRUE(high.value);
  EXPECT_EQ(high.value->mask, 0x800000000ULL | (1ULL << 38));
  EXPECT_TRUE(parse_privileges("").value->names.empty());
}

TEST(ConfigValues, PrivilegeSynonymsAreCanonical) {
  const auto r = parse_privileges("DETACH, ACNT, ALTPRI");
  ASSERT_TRUE(r.value) << r.error;
  EXPECT_EQ(r.value->names, Words({"IMPERSONATE", "NOACNT", "SETPRI"}));
  EXPECT_EQ(r.value->mask, (1ULL << 5) | (1ULL << 9) | (1ULL << 13));
}

TEST(ConfigValues, AllThirtyNinePrivilegesAreKnown) {
  const char* names[] = {
      "CMKRNL",  "CMEXEC",    "SYSNAM", "GRPNAM",  "ALLSPOOL", "IMPERSONATE", "DIAGNOSE", "LOG_IO",
      "GROUP",   "NOACNT",    "PRMCEB", "PRMMBX",  "PSWAPM",   "SETPRI",      "SETPRV",   "TMPMBX",
      "WORLD",   "MOUNT",     "OPER",   "EXQUOTA", "NETMBX",   "VOLPRO",      "PHY_IO",   "BUGCHK",
      "PRMGBL",  "SYSGBL",    "PFNMAP", "SHMEM",   "SYSPRV",   "BYPASS",      "SYSLCK",   "SHARE",
      "UPGRADE", "DOWNGRADE", "GRPPRV", "READALL", "IMPORT",   "AUDIT",       "SECURITY"};
  std::string all;
  for (const char* n : names) all += std::string(all.empty() ? "" : ",") + n;
  const auto r = parse_privileges(all);
  ASSERT_TRUE(r.value) << r.error;
  EXPECT_EQ(r.value->mask, (1ULL << 39) - 1);
}

TEST(ConfigValues, PrivilegeErrors) {
  EXPECT_NE(parse_privileges("TMPMBX, ALL").error.find("unknown privilege ALL"), std::string::npos);
  EXPECT_NE(
      parse_privileges("SETPRI, ALTPRI").error.find("ALTPRI is given twice (ALTPRI is SETPRI)"),
      std::string::npos);
  EXPECT_NE(parse_privileges("TMPMBX TMPMBX").error.find("expected a privilege list"),
            std::string::npos);
  EXPECT_NE(parse_privileges("(TMPMBX").error.find("missing ')'"), std::string::npos);
}

TEST(ConfigValues, ArgumentsSplitLikeAShell) {
  EXPECT_EQ(split_arguments("-c \"echo hi; date\"").value, Words({"-c", "echo hi; date"}));
  EXPECT_EQ(split_arguments("  a   b\tc\nd ").value, Words({"a", "b", "c", "d"}));
  EXPECT_EQ(split_arguments("'a \"b\" $HOME'").value, Words({"a \"b\" $HOME"}));
  EXPECT_EQ(split_arguments("\"a \\\"b\\\" \\$X \\n\"").value, Words({"a \"b\" $X \\n"}));
  EXPECT_EQ(split_arguments("a\\ b c\\\\").value, Words({"a b", "c\\"}));
  EXPECT_EQ(split_arguments("x'y'\"z\"").value, Words({"xyz"}));
  EXPECT_EQ(split_arguments("'' \"\"").value, Words({"", ""}));
  EXPECT_EQ(split_arguments("$HOME *.c ~").value, Words({"$HOME", "*.c", "~"}));
  EXPECT_EQ(split_arguments("").value, Words({}));
  EXPECT_EQ(split_arguments("   ").value, Words({}));
}

TEST(ConfigValues, NonAsciiBytesAreRefusedOrKept) {
  // Never valid in a keyword or a number, and must not reach Spirit's ASCII classes.
  EXPECT_FALSE(parse_bool("tr\xC3\xA9").value);
  EXPECT_FALSE(parse_int("\xFF", 0, 9).value);
  EXPECT_NE(parse_quotas("ASTLM=1, \xC3\xA9").error.find("near \"\xC3\xA9\""), std::string::npos);
  EXPECT_FALSE(parse_privileges("TMPMBX,\x80").value);
  EXPECT_FALSE(parse_exitcodes("1,\x80", Flavor::Vms).value);
  // Arguments are bytes: UTF-8 passes through.
  EXPECT_EQ(split_arguments("caf\xC3\xA9 '\xE2\x82\xAC'").value,
            Words({"caf\xC3\xA9", "\xE2\x82\xAC"}));
}

TEST(ConfigValues, ArgumentErrorsPointAtTheCause) {
  EXPECT_EQ(split_arguments("-c 'echo").error, "the ' quote at column 4 is not closed");
  EXPECT_EQ(split_arguments("a \"b").error, "the \" quote at column 3 is not closed");
  EXPECT_EQ(split_arguments("a b\\").error, "a backslash at the end escapes nothing");
}

TEST(ConfigValues, QuotaCounterpartsOnPosix) {
  EXPECT_TRUE(quota_has_posix_counterpart("FILLM"));
  EXPECT_TRUE(quota_has_posix_counterpart("CPULM"));
  EXPECT_TRUE(quota_has_posix_counterpart("PGFLQUOTA"));
  EXPECT_TRUE(quota_has_posix_counterpart("PRCLM"));
  EXPECT_FALSE(quota_has_posix_counterpart("BYTLM"));
  EXPECT_FALSE(quota_has_posix_counterpart("ASTLM"));
  EXPECT_FALSE(quota_has_posix_counterpart("NOSUCH"));
}

TEST(ConfigValues, PosixLimitsConvertUnits) {
  auto limit = [](const char* name, std::uint32_t v) { return posix_limit(Quota{name, v}); };
  ASSERT_TRUE(limit("FILLM", 50));
  EXPECT_EQ(limit("FILLM", 50)->resource, PosixResource::Nofile);
  EXPECT_EQ(limit("FILLM", 50)->value, 50u);
  EXPECT_EQ(limit("CPULM", 100)->value, 1u);  // 100 ticks of 10 ms
  EXPECT_EQ(limit("CPULM", 101)->value, 2u);  // rounded up
  EXPECT_EQ(limit("CPULM", 1)->resource, PosixResource::Cpu);
  EXPECT_EQ(limit("PGFLQUOTA", 40960)->value, 40960u * 512u);
  EXPECT_EQ(limit("PGFLQUOTA", 1)->resource, PosixResource::AddressSpace);
  EXPECT_EQ(limit("PRCLM", 16)->resource, PosixResource::Nproc);
  EXPECT_FALSE(limit("CPULM", 0));  // 0 is "no limit" on OpenVMS
  EXPECT_FALSE(limit("BYTLM", 100));
}

TEST(ConfigValues, PqlCodes) {
  EXPECT_EQ(pql_code("ASTLM"), std::optional<std::uint8_t>(1));
  EXPECT_EQ(pql_code("PGFLQUOTA"), std::optional<std::uint8_t>(7));
  EXPECT_EQ(pql_code("JTQUOTA"), std::optional<std::uint8_t>(14));
  EXPECT_FALSE(pql_code("LISTEND"));
}

}  // namespace
}  // namespace sup::config::detail
