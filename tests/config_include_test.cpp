// [include] files = ...: globs relative to the including file, in sorted order; nested
// includes; cycles, missing and unreadable files reported at the include line; and the
// diagnostics of an included file naming that file.  Real files in a temporary directory.
#include <glob.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "support/config_env.hpp"
#include "support/daemon_fixture.hpp"

namespace sup::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Environment globbing_env() {
  Environment env = test::alice_env({{"CONFD", "conf.d"}}, 1000, "/run/user/1000");
  env.glob = [](const std::string& pattern) {
    std::vector<std::string> out;
    glob_t found{};
    if (::glob(pattern.c_str(), 0, nullptr, &found) == 0)
      for (std::size_t i = 0; i < found.gl_pathc; ++i) out.emplace_back(found.gl_pathv[i]);
    globfree(&found);
    // Reversed, so that the test sees the loader sort them.
    return std::vector<std::string>(out.rbegin(), out.rend());
  };
  return env;
}

std::vector<std::string> messages(const LoadResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics) out.push_back(d.to_string());
  return out;
}

std::vector<std::string> program_names(const LoadResult& r) {
  std::vector<std::string> out;
  if (r.config)
    for (const auto& p : r.config->programs) out.push_back(p.name);
  return out;
}

class ConfigInclude : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(path(name)).parent_path());
    return dir_.write(name, text);
  }
  LoadResult load(const std::string& main) {
    return load_file(dir_.path() + "/" + main, Flavor::Posix, globbing_env());
  }
  std::string path(const std::string& name) const { return dir_.path() + "/" + name; }

  sup::testing::TempDir dir_;
};

TEST_F(ConfigInclude, GlobsRelativeToTheIncludingFileInSortedOrder) {
  write("conf.d/b.conf", "[program:b]\nuser=x\nstdout_file=%(here)s/b.log\n");
  write("conf.d/a.conf", "[program:a]\nuser=x\n");
  write("conf.d/skip.ini", "[program:skipped]\nuser=x\n");
  write("main.conf", "[include]\nfiles = %(ENV_CONFD)s/*.conf other.ini\n[program:m]\nuser=x\n");
  write("other.ini", "[group:g]\nprograms=a,m\n");
  const auto r = load("main.conf");
  ASSERT_TRUE(r.ok()) << messages(r)[0];
  EXPECT_THAT(program_names(r), ElementsAre("a", "b", "m"));
  EXPECT_EQ(r.config->programs[1].stdout_file, path("conf.d") + "/b.log");  // its own %(here)s
  EXPECT_EQ(r.config->programs[0].group, "g");
  EXPECT_EQ(r.config->programs[0].file, path("conf.d/a.conf"));
}

TEST_F(ConfigInclude, DiagnosticsOfAnIncludedFileNameThatFile) {
  write("conf.d/bad.conf", "[program:bad]\nuser=x\nstartsecs=never\n");
  write("main.conf", "[include]\nfiles=conf.d/*.conf\n[program:m]\nuser=x\nstartsecs=-1\n");
  const auto r = load("main.conf");
  EXPECT_THAT(
      messages(r),
      ElementsAre(HasSubstr(path("main.conf") + ":5: [program:m] startsecs: expected"),
                  HasSubstr(path("conf.d/bad.conf") + ":3: [program:bad] startsecs: expected")));
}

TEST_F(ConfigInclude, NestedIncludesAndCycles) {
  write("a.conf", "[include]\nfiles=b.conf\n[program:a]\nuser=x\n");
  write("b.conf", "[program:b]\nuser=x\n[include]\nfiles=a.conf\n");
  write("main.conf", "[include]\nfiles=a.conf\n");
  const auto r = load("main.conf");
  EXPECT_THAT(messages(r),
              ElementsAre(path("b.conf") + ":4: [include] files: the files include each other: " +
                          path("a.conf") + " -> " + path("b.conf") + " -> " + path("a.conf")));
  write("self.conf", "[program:s]\nuser=x\n[include]\nfiles=self.conf\n");
  EXPECT_THAT(messages(load("self.conf")), ElementsAre(HasSubstr(":4: [include] files: the files "
                                                                 "include each other")));
}

TEST_F(ConfigInclude, MissingUnreadableAndEmptyGlobs) {
  write("main.conf", "[program:m]\nuser=x\n[include]\nfiles = nothing/*.conf\n  missing.conf\n");
  const auto r = load("main.conf");
  EXPECT_THAT(messages(r),
              ElementsAre(path("main.conf") + ":4: warning: [include] files: no file matches " +
                              path("nothing/*.conf"),
                          HasSubstr(path("main.conf") + ":4: [include] files: cannot read " +
                                    path("missing.conf") + ": ")));
  write("twice.conf", "[program:m]\nuser=x\n[include]\nfiles=x.conf x.conf\n");
  write("x.conf", "[program:x]\nuser=x\n");
  EXPECT_THAT(messages(load("twice.conf")),
              ElementsAre(HasSubstr(":4: [include] files: " + path("x.conf") +
                                    " is already included (line 4)")));
  write("nofiles.conf", "[program:m]\nuser=x\n[include]\nfile=x.conf\n");
  EXPECT_THAT(messages(load("nofiles.conf")),
              ElementsAre(HasSubstr(":3: [include] files: missing"),
                          HasSubstr(":4: [include] file: unknown key; expected files")));
}

TEST_F(ConfigInclude, DuplicateProgramAcrossFilesNamesTheOtherFile) {
  write("one.conf", "[program:web]\nuser=x\n");
  write("main.conf", "[include]\nfiles=one.conf\n[program:web]\nuser=x\n");
  EXPECT_THAT(
      messages(load("main.conf")),
      ElementsAre(path("main.conf") + ":3: [program:web] program web is already defined at " +
                  path("one.conf") + ":1 (program names are compared without regard to case)"));
}

TEST_F(ConfigInclude, WithoutGlobOnlyPlainNames) {
  write("one.conf", "[program:one]\nuser=x\n");
  write("main.conf", "[include]\nfiles=one.conf *.conf\n");
  Environment env = globbing_env();
  env.glob = nullptr;
  const auto r = load_file(path("main.conf"), Flavor::Posix, env);
  EXPECT_THAT(messages(r), ElementsAre(HasSubstr(":2: [include] files: cannot expand the wildcard "
                                                 "in \"*.conf\" on this platform")));
}

}  // namespace
}  // namespace sup::config
