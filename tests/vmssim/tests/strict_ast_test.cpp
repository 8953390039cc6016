// --strict-ast (spec 3.3 in tests/vmssim/SPEC.md; ASTs only record and wake; the runner sets
// VMSSIM_STRICT_AST=1): allocation or stdio at AST level aborts the process.  Each case runs in a
// child of this binary.
#include <efndef.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <ssdef.h>
#include <starlet.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "rt_test_util.hpp"

namespace {

using namespace vmssim_test;

std::atomic<int> g_done{0};
void* volatile g_sink = nullptr;

void allocating_ast(__int64) {
  g_sink = std::malloc(32);
  g_done.store(1);
}

void printing_ast(__int64) {
  std::printf("printed at AST level\n");
  g_done.store(1);
}

void quiet_ast(__int64) {
  g_done.store(1);
}

void run_ast(void (*routine)(__int64)) {
  long long at = delta_ms(10);
  ASSERT_EQ(
      sys$setimr(EFN$C_ENF, q(at), reinterpret_cast<void (*)(__unknown_params)>(routine), 0, 0),
      SS$_NORMAL);
  ASSERT_TRUE(spin_until([] { return g_done.load() != 0; }));
  std::free(g_sink);  // what the lax run's AST allocated
  // Allocation and stdio outside AST level are fine even in strict mode.
  g_sink = std::malloc(32);
  std::free(g_sink);
  std::printf("mainline output\n");
}

TEST(VmsStrictAstChild, DISABLED_Malloc) {
  run_ast(allocating_ast);
}
TEST(VmsStrictAstChild, DISABLED_Printf) {
  run_ast(printing_ast);
}
TEST(VmsStrictAstChild, DISABLED_Quiet) {
  run_ast(quiet_ast);
}

bool aborted(const ChildResult& r) {
  return WIFSIGNALED(r.status) && WTERMSIG(r.status) == SIGABRT;
}
bool passed(const ChildResult& r) {
  return WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0;
}

TEST(VmsStrictAst, AllocationAtAstLevelAborts) {
  ChildResult r = run_self("VmsStrictAstChild.DISABLED_Malloc", {"VMSSIM_STRICT_AST=1"});
  EXPECT_TRUE(aborted(r)) << r.status << " " << r.err;
  EXPECT_NE(r.err.find("strict-ast"), std::string::npos) << r.err;
}

TEST(VmsStrictAst, StdioAtAstLevelAborts) {
  ChildResult r = run_self("VmsStrictAstChild.DISABLED_Printf", {"VMSSIM_STRICT_AST=1"});
  EXPECT_TRUE(aborted(r)) << r.status << " " << r.err;
  EXPECT_NE(r.err.find("strict-ast"), std::string::npos) << r.err;
}

TEST(VmsStrictAst, CleanAstsAndNonStrictModePass) {
  ChildResult quiet = run_self("VmsStrictAstChild.DISABLED_Quiet", {"VMSSIM_STRICT_AST=1"});
  EXPECT_TRUE(passed(quiet)) << quiet.status << " " << quiet.err;
  ChildResult lax = run_self("VmsStrictAstChild.DISABLED_Malloc",
                             {"VMSSIM_STRICT_AST=0", "VMSSIM_VARIANTS=strict_ast=0"});
  EXPECT_TRUE(passed(lax)) << lax.status << " " << lax.err;
}

}  // namespace
