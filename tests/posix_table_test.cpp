// The POSIX SUPERVISORD_TABLE: a directory, one file per name, atomic replacement.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "platform/posix/posix_platform.hpp"
#include "platform/posix/posix_table.hpp"

namespace {

namespace fs = std::filesystem;
using sup::posix::DirTable;

class PosixTable : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sup-posix-table-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

TEST_F(PosixTable, SetGetReplaceRemove) {
  DirTable t(dir_);
  EXPECT_EQ(t.get("SUPERVISORD_CMD"), std::nullopt);
  EXPECT_EQ(t.set("SUPERVISORD_CMD", "/run/x.sock"), "");
  EXPECT_EQ(t.get("SUPERVISORD_CMD"), "/run/x.sock");
  EXPECT_EQ(t.set("SUPERVISORD_CMD", "second"), "");
  EXPECT_EQ(t.get("SUPERVISORD_CMD"), "second");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()),
            1);  // no temp file left
  EXPECT_EQ(t.remove("SUPERVISORD_CMD"), "");
  EXPECT_EQ(t.get("SUPERVISORD_CMD"), std::nullopt);
  EXPECT_EQ(t.remove("SUPERVISORD_CMD"), "");  // absent: no error
}

TEST_F(PosixTable, ValuesAreKeptByteForByte) {
  DirTable t(dir_);
  const std::string value = std::string("a b\nc\t") + '\0' + "z";
  ASSERT_EQ(t.set("X", value), "");
  EXPECT_EQ(t.get("X"), value);
  EXPECT_EQ(t.set("EMPTY", ""), "");
  EXPECT_EQ(t.get("EMPTY"), "");
}

TEST_F(PosixTable, NamesAreValidated) {
  DirTable t(dir_);
  for (const std::string& bad :
       std::vector<std::string>{"", "lower", "A/B", "..", "A.B", "A B", std::string(256, 'A')}) {
    const std::string error = t.set(bad, "v");
    EXPECT_NE(error.find("invalid logical name"), std::string::npos) << bad;
    EXPECT_EQ(t.get(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(t.set(std::string(255, 'A'), "v"), "");
  EXPECT_EQ(t.set("SUP$PROG_1_PID", "42"), "");
  EXPECT_EQ(t.get("SUP$PROG_1_PID"), "42");
}

TEST_F(PosixTable, NamesSkipDotfilesTempFilesAndStrangers) {
  DirTable t(dir_);
  ASSERT_EQ(t.set("B", "2"), "");
  ASSERT_EQ(t.set("A", "1"), "");
  std::ofstream(dir_ + "/.lock") << "1";
  std::ofstream(dir_ + "/C.tmp") << "half";
  std::ofstream(dir_ + "/lower") << "x";
  EXPECT_EQ(t.names(), (std::vector<std::string>{"A", "B"}));
}

TEST_F(PosixTable, WriteErrorNamesTheFile) {
  DirTable t(dir_ + "/missing");
  const std::string error = t.set("A", "1");
  EXPECT_NE(error.find("cannot create " + dir_ + "/missing/.tmp."), std::string::npos) << error;
  EXPECT_NE(error.find("No such file or directory"), std::string::npos) << error;
  EXPECT_TRUE(t.names().empty());
}

TEST_F(PosixTable, OpenTableReadsWithoutCreatingOrLocking) {
  auto absent = sup::posix::open_table(dir_ + "/nope");
  EXPECT_EQ(absent->get("SUPERVISORD_CMD"), std::nullopt);
  EXPECT_FALSE(fs::exists(dir_ + "/nope"));
  ASSERT_EQ(DirTable(dir_).set("SUPERVISORD_CMD", "/s"), "");
  EXPECT_EQ(sup::posix::open_table(dir_)->get("SUPERVISORD_CMD"), "/s");
  EXPECT_FALSE(fs::exists(dir_ + "/.lock"));
}

TEST_F(PosixTable, MakeDirectoriesCreatesParentsPrivately) {
  const std::string deep = dir_ + "/a/b/c";
  EXPECT_EQ(sup::posix::make_directories(deep), "");
  struct stat st {};
  ASSERT_EQ(::stat(deep.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_EQ(sup::posix::make_directories(deep), "");  // existing: fine
  std::ofstream(dir_ + "/file") << "x";
  EXPECT_NE(sup::posix::make_directories(dir_ + "/file").find("not a directory"),
            std::string::npos);
}

TEST_F(PosixTable, LockIsExclusiveAndNamesTheHolder) {
  std::string error;
  sup::posix::Fd first = sup::posix::lock_table(dir_, error);
  ASSERT_TRUE(first.valid()) << error;
  sup::posix::Fd second = sup::posix::lock_table(dir_, error);
  EXPECT_FALSE(second.valid());
  EXPECT_EQ(error, "another supervisord (pid " + std::to_string(::getpid()) +
                       ") already uses table " + dir_);
  first.reset();
  error.clear();
  sup::posix::Fd third = sup::posix::lock_table(dir_, error);
  EXPECT_TRUE(third.valid()) << error;
}

}  // namespace
