// A gtest fixture for the POSIX backend: a fresh temporary directory holding the table,
// and a Platform on it; both gone after each test.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "platform/posix/posix_platform.hpp"

namespace sup::testing {

class PosixPlatformFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sup-posix-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::string error;
    platform_ = sup::posix::make_platform({dir_ + "/table", ""}, error);
    ASSERT_TRUE(platform_) << error;
  }
  void TearDown() override {
    platform_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string dir_;
  std::unique_ptr<sup::platform::Platform> platform_;
};

}  // namespace sup::testing
