// The inih adapter: line numbers, continuation lines, comments and syntax errors.
#include <gtest/gtest.h>

#include <string>

#include "config/config_ini_reader.hpp"

namespace sup::config::detail {
namespace {

const std::string kFile = "test.conf";

std::vector<std::string> texts(const RawFile& f) {
  std::vector<std::string> out;
  for (const auto& d : f.diagnostics) out.push_back(d.to_string());
  return out;
}

TEST(ConfigIni, SectionsAndKeysCarryTheirLines) {
  const auto f = read_ini(
      "; comment\n"
      "[supervisord]\n"
      "nodaemon = true\n"
      "\n"
      "[program:web]\n"
      "User=alice\n"
      "image: /bin/true\n",
      kFile);
  ASSERT_TRUE(f.diagnostics.empty()) << texts(f)[0];
  ASSERT_EQ(f.sections.size(), 2u);
  EXPECT_EQ(f.sections[0].name, "supervisord");
  EXPECT_EQ(f.sections[0].line, 2);
  EXPECT_EQ(f.sections[1].name, "program:web");
  EXPECT_EQ(f.sections[1].line, 5);
  ASSERT_EQ(f.sections[1].keys.size(), 2u);
  EXPECT_EQ(f.sections[1].keys[0].name, "user");  // keys are lower case, as in ConfigParser
  EXPECT_EQ(f.sections[1].keys[0].value, "alice");
  EXPECT_EQ(f.sections[1].keys[0].line, 6);
  EXPECT_EQ(f.sections[1].keys[1].value, "/bin/true");
  EXPECT_EQ(f.sections[1].keys[1].line, 7);
}

TEST(ConfigIni, ContinuationLinesAreJoinedWithoutTheirComments) {
  const auto f = read_ini(
      "[program:a]\n"
      "quotas = ASTLM=600,  ; first\n"
      "    BYTLM=131072, ; second\n"
      "\n"
      "# a comment between does not end the value\n"
      "    FILLM=50\n"
      "user = bob\n",
      kFile);
  ASSERT_TRUE(f.diagnostics.empty());
  const auto& keys = f.sections[0].keys;
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].value, "ASTLM=600,\nBYTLM=131072,\nFILLM=50");
  EXPECT_EQ(keys[0].line, 2);
  EXPECT_EQ(keys[1].line, 7);
}

TEST(ConfigIni, InlineCommentsNeedASpaceBefore) {
  const auto f = read_ini("[p]\na = x;y ; comment\nb = 1 # not a comment\n", kFile);
  ASSERT_EQ(f.sections[0].keys.size(), 2u);
  EXPECT_EQ(f.sections[0].keys[0].value, "x;y");
  EXPECT_EQ(f.sections[0].keys[1].value, "1 # not a comment");
}

TEST(ConfigIni, KeysBeforeAnySectionAreKept) {
  const auto f = read_ini("a = 1\n[p]\n", kFile);
  ASSERT_EQ(f.sections.size(), 2u);
  EXPECT_EQ(f.sections[0].line, 0);
  EXPECT_EQ(f.sections[0].keys[0].name, "a");
}

TEST(ConfigIni, EmptySectionsAreSeen) {
  const auto f = read_ini("[program:a]\n[program:b]\n", kFile);
  ASSERT_EQ(f.sections.size(), 2u);
  EXPECT_EQ(f.sections[1].line, 2);
}

TEST(ConfigIni, EverySyntaxErrorIsReported) {
  const auto f = read_ini(
      "[program:a]\n"
      "no equals sign\n"
      "= value\n"
      "[broken\n"
      "key = ignored in the broken section\n"
      "[program:b] trailing\n"
      "ok = 1\n",
      kFile);
  const auto t = texts(f);
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0], "test.conf:2: expected 'key = value', a [section] header or a comment");
  EXPECT_EQ(t[1], "test.conf:3: missing key name before '='");
  EXPECT_EQ(t[2], "test.conf:4: missing ']' at the end of the section header");
  EXPECT_EQ(t[3], "test.conf:6: unexpected text after ']' in the section header");
  ASSERT_EQ(f.sections.size(), 2u);
  EXPECT_TRUE(f.sections[0].keys.empty());
  EXPECT_EQ(f.sections[1].keys.size(), 1u);
}

TEST(ConfigIni, OverlongLinesAreReportedWithTheirLine) {
  const std::string ok_value(198 - 4, 'x');  // "a = " + value: exactly inih's limit
  const std::string long_value(300, 'y');
  const auto f = read_ini("[p]\na = " + ok_value + "\nb = " + long_value +
                              "\n    continuation of b\nc = 3\n; " + long_value + "\n[" +
                              std::string(60, 'n') + "]\nd = 4\n",
                          kFile);
  const auto t = texts(f);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0],
            "test.conf:3: line is 304 characters long; at most 198 are allowed (continue a "
            "long value on indented lines)");
  const auto& keys = f.sections[0].keys;
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_EQ(keys[0].value, ok_value);
  EXPECT_EQ(keys[1].name, "b");
  EXPECT_TRUE(keys[1].broken);
  EXPECT_EQ(keys[2].line, 5);
  // A long comment is harmless, and a long header keeps its whole name.
  ASSERT_EQ(f.sections.size(), 2u);
  EXPECT_EQ(f.sections[1].name, std::string(60, 'n'));
  EXPECT_EQ(f.sections[1].keys[0].line, 8);
}

TEST(ConfigIni, OverlongContinuationBreaksItsKey) {
  const auto f = read_ini("[p]\na = 1,\n    " + std::string(250, 'z') + "\n    3\nb = 2\n", kFile);
  ASSERT_EQ(f.diagnostics.size(), 1u);
  EXPECT_EQ(f.diagnostics[0].line, 3);
  EXPECT_TRUE(f.sections[0].keys[0].broken);
  EXPECT_FALSE(f.sections[0].keys[1].broken);
}

TEST(ConfigIni, CrLfBomAndNulBytes) {
  const char text[] = "\xEF\xBB\xBF[p]\r\na = 1\r\nb = x\0y\r\n";
  const auto f = read_ini(std::string(text, sizeof text - 1), kFile);
  const auto t = texts(f);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0], "test.conf:3: line contains a NUL character");
  ASSERT_EQ(f.sections.size(), 1u);
  EXPECT_EQ(f.sections[0].name, "p");
  EXPECT_EQ(f.sections[0].keys[0].value, "1");
}

TEST(ConfigIni, IndentedLineAfterHeaderIsAKey) {
  const auto f = read_ini("[p]\n  a = 1\n  b = 2\n", kFile);
  // As in ConfigParser: the second indented line continues the first key.
  ASSERT_EQ(f.sections[0].keys.size(), 1u);
  EXPECT_EQ(f.sections[0].keys[0].value, "1\nb = 2");
}

bool only_daemon(std::string_view name) {
  return name == "supervisord";
}

TEST(ConfigIni, AFilterKeepsTheSameSectionsExactlyAndSkipsTheOthers) {
  // Lines of skipped sections still decide what follows: an indented "[supervisord]"
  // after a key continues it, a broken header ends a section, comments stay comments.
  const std::string text =
      "top = 1\n[program:a]\nk = v\n  [supervisord]\n  still = a\nbad line\n"
      "[supervisord]\ntable = /t ; c\n  more\n[program:b\nuser = x\n[supervisord] junk\n"
      "table = /u\n;[program:c]\nuser = y\n[other]\n" +
      std::string(300, 'x') + " = 1\n";
  auto all = read_ini(text, kFile);
  const auto some = read_ini(text, kFile, only_daemon);
  // Keys before any header are not kept (their nameless section is dropped).
  ASSERT_EQ(all.sections.front().line, 0);
  all.sections.erase(all.sections.begin());
  ASSERT_EQ(all.sections.size(), some.sections.size());
  for (std::size_t i = 0; i < all.sections.size(); ++i) {
    EXPECT_EQ(all.sections[i].name, some.sections[i].name);
    EXPECT_EQ(all.sections[i].line, some.sections[i].line);
    if (all.sections[i].name != "supervisord") {
      EXPECT_TRUE(some.sections[i].keys.empty()) << all.sections[i].name;
      continue;
    }
    ASSERT_EQ(all.sections[i].keys.size(), some.sections[i].keys.size());
    for (std::size_t k = 0; k < all.sections[i].keys.size(); ++k) {
      EXPECT_EQ(all.sections[i].keys[k].name, some.sections[i].keys[k].name);
      EXPECT_EQ(all.sections[i].keys[k].value, some.sections[i].keys[k].value);
      EXPECT_EQ(all.sections[i].keys[k].line, some.sections[i].keys[k].line);
    }
  }
  // The two [supervisord] sections: table and the continued value, then table and user
  // (the commented header is no header).
  ASSERT_EQ(some.sections.size(), 4u);
  EXPECT_EQ(some.sections[1].name, "supervisord");
  ASSERT_EQ(some.sections[1].keys.size(), 1u);
  EXPECT_EQ(some.sections[1].keys[0].value, "/t\nmore");
  ASSERT_EQ(some.sections[2].keys.size(), 2u);
  EXPECT_EQ(some.sections[2].keys[1].value, "y");
  // Errors: without a filter everywhere; with one, in kept sections and broken headers.
  ASSERT_GE(texts(all).size(), 3u);
  EXPECT_EQ(texts(all)[0], "test.conf:6: expected 'key = value', a [section] header or a comment");
  EXPECT_EQ(texts(some), (std::vector<std::string>{
                             "test.conf:10: missing ']' at the end of the section header",
                             "test.conf:12: unexpected text after ']' in the section header"}));
  EXPECT_EQ(all.broken_headers, std::vector<int>{10});
  EXPECT_EQ(some.broken_headers, std::vector<int>{10});
}

TEST(ConfigIni, FirstOnlyStopsAtTheHeaderThatEndsTheFirstKeptSection) {
  const std::string text =
      "[program:a]\nbad line\n[supervisord]\ntable = /t\n[program:b]\nbad line\n"
      "[supervisord]\ntable = /u\n";
  const auto f = read_ini(text, kFile, only_daemon, true);
  ASSERT_EQ(f.sections.size(), 3u);  // program:a, supervisord, and program:b that ends it
  EXPECT_EQ(f.sections[2].name, "program:b");
  EXPECT_EQ(f.sections[2].line, 5);
  ASSERT_EQ(f.sections[1].keys.size(), 1u);
  EXPECT_EQ(f.sections[1].keys[0].value, "/t");
  EXPECT_TRUE(f.diagnostics.empty()) << texts(f)[0];
  // A broken header ends it as well, and is reported.
  const auto broken =
      read_ini("[supervisord]\ntable = /t\n[program:b\nbad\n", kFile, only_daemon, true);
  EXPECT_EQ(broken.broken_headers, std::vector<int>{3});
  EXPECT_EQ(texts(broken),
            std::vector<std::string>{"test.conf:3: missing ']' at the end of the section header"});
}

}  // namespace
}  // namespace sup::config::detail
