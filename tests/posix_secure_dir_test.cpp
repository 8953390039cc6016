// secure_directory on the real file system: which table directories the daemon and the
// client trust, and what the refusal says.  Ownership by another account needs root
// (chown); those tests skip with the reason when the tests do not run as root.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "platform/posix/posix_secure_dir.hpp"
#include "platform/posix/posix_table.hpp"

namespace {

namespace fs = std::filesystem;
using sup::posix::secure_directory;

// The account that plays "another user" (nobody on Debian).
constexpr uid_t kOther = 65534;

mode_t mode_of(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0;
}

class SecureDir : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sup-secure-dir-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  // A directory `name` under the test's directory with `mode` (set after the umask).
  std::string make(const std::string& name, mode_t mode) const {
    const std::string p = dir_ + "/" + name;
    EXPECT_EQ(::mkdir(p.c_str(), 0700), 0) << p;
    EXPECT_EQ(::chmod(p.c_str(), mode), 0) << p;
    return p;
  }
  std::vector<uid_t> me() const { return {::geteuid()}; }
  std::string dir_;
};

TEST_F(SecureDir, MissingDirectoriesAreCreatedPrivate) {
  const std::string deep = dir_ + "/a/b/table";
  const auto check = secure_directory(deep, me(), true);
  EXPECT_EQ(check.error, "");
  EXPECT_EQ(check.owner, ::geteuid());
  for (const auto& p : {dir_ + "/a", dir_ + "/a/b", deep}) EXPECT_EQ(mode_of(p), 0700u) << p;
  // Without `create` a missing directory is reported as such, and not made.
  const auto absent = secure_directory(dir_ + "/nope/t", me(), false);
  EXPECT_TRUE(absent.missing);
  EXPECT_NE(absent.error.find(dir_ + "/nope"), std::string::npos) << absent.error;
  EXPECT_FALSE(fs::exists(dir_ + "/nope"));
  // make_directories is the daemon's use of it.
  EXPECT_EQ(sup::posix::make_directories(dir_ + "/c/d"), "");
  EXPECT_EQ(mode_of(dir_ + "/c/d"), 0700u);
}

TEST_F(SecureDir, ATableOthersCanWriteIsRefusedWithItsOwnerAndMode) {
  for (mode_t mode : {0777, 0770, 0720, 0702, 01777}) {
    const std::string t = make("t" + std::to_string(mode), mode);
    const auto check = secure_directory(t, me(), false);
    EXPECT_FALSE(check.missing);
    char octal[8];
    std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode));
    EXPECT_NE(check.error.find("the table directory " + t + " is owned by "), std::string::npos)
        << check.error;
    EXPECT_NE(check.error.find("uid " + std::to_string(::geteuid())), std::string::npos)
        << check.error;
    EXPECT_NE(check.error.find("with mode " + std::string(octal)), std::string::npos)
        << check.error;
    EXPECT_NE(sup::posix::make_directories(t), "") << t;  // the daemon refuses it too
  }
  for (mode_t mode : {0700, 0750, 0755, 0705}) {  // others may read, but not write
    const std::string t = make("ok" + std::to_string(mode), mode);
    EXPECT_EQ(secure_directory(t, me(), false).error, "") << std::oct << mode;
  }
}

TEST_F(SecureDir, ADirectoryAboveThatOthersCanWriteIsRefusedUnlessSticky) {
  const std::string open = make("open", 0777);
  ASSERT_EQ(::mkdir((open + "/t").c_str(), 0700), 0);
  const auto check = secure_directory(open + "/t", me(), false);
  EXPECT_NE(check.error.find("the directory " + open + " is owned by"), std::string::npos)
      << check.error;
  EXPECT_NE(check.error.find("mode 0777"), std::string::npos) << check.error;
  EXPECT_NE(check.error.find("sticky"), std::string::npos) << check.error;
  // Nothing is created under a directory that fails.
  EXPECT_NE(secure_directory(open + "/new/t", me(), true).error, "");
  EXPECT_FALSE(fs::exists(open + "/new"));
  // Like /tmp: others may write, but not rename or remove what is ours.
  const std::string sticky = make("sticky", 01777);
  EXPECT_EQ(secure_directory(sticky + "/t", me(), true).error, "");
  EXPECT_EQ(mode_of(sticky + "/t"), 0700u);
}

TEST_F(SecureDir, SymbolicLinksAreFollowedAndTheTargetChecked) {
  const std::string good = make("good", 0700);
  const std::string bad = make("bad", 0777);
  ASSERT_EQ(::symlink(good.c_str(), (dir_ + "/to_good").c_str()), 0);
  ASSERT_EQ(::symlink("bad", (dir_ + "/to_bad").c_str()), 0);  // relative
  EXPECT_EQ(secure_directory(dir_ + "/to_good", me(), false).error, "");
  const auto check = secure_directory(dir_ + "/to_bad", me(), false);
  EXPECT_NE(check.error.find("the table directory " + bad + " is owned by"), std::string::npos)
      << check.error;
  ASSERT_EQ(::symlink("loop", (dir_ + "/loop").c_str()), 0);
  EXPECT_NE(secure_directory(dir_ + "/loop", me(), false).error.find("too many symbolic links"),
            std::string::npos);
  EXPECT_EQ(secure_directory(dir_ + "/good/../good/./", me(), false).error, "");
  std::ofstream(dir_ + "/file") << "x";
  EXPECT_NE(secure_directory(dir_ + "/file", me(), false).error.find("not a directory"),
            std::string::npos);
}

TEST_F(SecureDir, AnotherAccountsDirectoryOrLinkIsRefusedUnlessTrusted) {
  if (::geteuid() != 0)
    GTEST_SKIP() << "needs root: the directories must belong to another account (chown)";
  const std::string theirs = make("theirs", 0700);
  ASSERT_EQ(::chown(theirs.c_str(), kOther, kOther), 0);
  const auto check = secure_directory(theirs, me(), false);
  EXPECT_NE(check.error.find("the table directory " + theirs + " is owned by "), std::string::npos)
      << check.error;
  EXPECT_NE(check.error.find("uid 65534) with mode 0700"), std::string::npos) << check.error;
  EXPECT_NE(check.error.find("must be owned by root"), std::string::npos) << check.error;
  EXPECT_NE(sup::posix::make_directories(theirs), "");
  // Trusted (the client trusts the account the configuration says the daemon runs as).
  const auto trusted = secure_directory(theirs, {::geteuid(), kOther}, false);
  EXPECT_EQ(trusted.error, "");
  EXPECT_EQ(trusted.owner, kOther);
  // Above the table: another account could rename our table and put its own there.
  ASSERT_EQ(::mkdir((theirs + "/t").c_str(), 0700), 0);
  EXPECT_NE(secure_directory(theirs + "/t", me(), false).error.find("the directory " + theirs),
            std::string::npos);
  // A link another account owns could be pointed elsewhere at any moment.
  const std::string good = make("good", 0700);
  const std::string link = dir_ + "/link";
  ASSERT_EQ(::symlink(good.c_str(), link.c_str()), 0);
  ASSERT_EQ(::lchown(link.c_str(), kOther, kOther), 0);
  EXPECT_NE(secure_directory(link, me(), false).error.find("the symbolic link " + link),
            std::string::npos);
}

TEST_F(SecureDir, TableEntriesMustBeRegularFilesOfTheOwnerOrRoot) {
  sup::posix::DirTable t(dir_);
  ASSERT_EQ(t.set("GOOD", "1"), "");
  EXPECT_EQ(t.get("GOOD"), "1");
  ASSERT_EQ(::symlink((dir_ + "/GOOD").c_str(), (dir_ + "/LINK").c_str()), 0);
  EXPECT_EQ(t.get("LINK"), std::nullopt);
  ASSERT_EQ(::mkfifo((dir_ + "/FIFO").c_str(), 0600), 0);
  EXPECT_EQ(t.get("FIFO"), std::nullopt);  // and it did not block
  if (::geteuid() != 0)
    GTEST_SKIP() << "needs root: an entry must belong to another account (chown)";
  ASSERT_EQ(::chown((dir_ + "/GOOD").c_str(), kOther, kOther), 0);
  EXPECT_EQ(t.get("GOOD"), std::nullopt);  // left by another user: not believed
  EXPECT_EQ(sup::posix::DirTable(dir_, kOther).get("GOOD"), "1");  // that user's table
}

}  // namespace
