// The runtime's variant switches (spec 2.5), each run in a child of this binary with
// VMSSIM_VARIANTS as the runner writes it: spurious_wake (checklist 28's $HIBER may
// "complete prematurely") and ast_jitter_us (completions delayed at random, order kept:
// checklist 29).
#include <efndef.h>
#include <gtest/gtest.h>
#include <ssdef.h>
#include <starlet.h>

#include <atomic>
#include <thread>

#include "../lib/kernel.hpp"
#include "rt_test_util.hpp"

namespace {

using namespace vmssim_test;
namespace rt = vmssim::rt;

// With spurious_wake=1000 every $HIBER returns unwoken, within its 10 ms; a safety wake at
// 20 s tells a hang apart.
TEST(VmsVariantChild, DISABLED_SpuriousWake) {
  long long safety = delta_ms(20000);
  ASSERT_EQ(sys$schdwk(nullptr, nullptr, q(safety), nullptr), SS$_NORMAL);
  auto t0 = Clock::now();
  for (int i = 0; i < 5; ++i) ASSERT_EQ(sys$hiber(), SS$_NORMAL);
  EXPECT_LT(ms_since(t0), 10000);
  EXPECT_EQ(sys$canwak(nullptr, nullptr), SS$_NORMAL);
}

// With ast_jitter_us=20000, 20 completions take at least 20 ms between them (each is
// delayed up to 20 ms at random), and each still writes the IOSB before queuing its AST.
IOSB g_iosb[20];
std::atomic<int> g_ok{0};
std::atomic<int> g_bad{0};

void check_iosb_ast(__int64 i) {
  if (iosb_status(&g_iosb[i]) == 1) {
    g_ok.fetch_add(1);
  } else {
    g_bad.fetch_add(1);
  }
}

TEST(VmsVariantChild, DISABLED_AstJitter) {
  auto t0 = Clock::now();
  std::thread receiver([] {
    for (int i = 0; i < 20; ++i) {
      ASSERT_TRUE(rt::astlm_take());
      const unsigned char value[8] = {1};
      rt::complete(&g_iosb[i], value, EFN$C_ENF, check_iosb_ast, i);
    }
  });
  EXPECT_TRUE(spin_until([] { return g_ok.load() + g_bad.load() == 20; }));
  receiver.join();
  EXPECT_GE(ms_since(t0), 20);
  EXPECT_EQ(g_bad.load(), 0);
}

bool passed(const ChildResult& r) {
  return WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0;
}

TEST(VmsVariants, SpuriousWakeMakesHiberReturnUnwoken) {
  ChildResult r = run_self("VmsVariantChild.DISABLED_SpuriousWake",
                           {"VMSSIM_VARIANTS=ast_jitter_us=0,spurious_wake=1000"});
  EXPECT_TRUE(passed(r)) << r.status << " " << r.err;
}

TEST(VmsVariants, AstJitterDelaysCompletionsAndKeepsTheirOrder) {
  ChildResult r = run_self("VmsVariantChild.DISABLED_AstJitter",
                           {"VMSSIM_VARIANTS=ast_jitter_us=20000,spurious_wake=0"});
  EXPECT_TRUE(passed(r)) << r.status << " " << r.err;
}

}  // namespace
