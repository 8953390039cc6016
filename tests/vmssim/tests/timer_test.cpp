// $SETIMR / $CANTIM (spec 4.6): checklist 30.
#include <efndef.h>
#include <gtest/gtest.h>
#include <ssdef.h>
#include <starlet.h>

#include <atomic>

#include "../lib/kernel.hpp"
#include "rt_test_util.hpp"

namespace {

using namespace vmssim_test;
namespace rt = vmssim::rt;

std::atomic<long long> g_prm{0};
std::atomic<int> g_runs{0};
void timer_ast(__int64 reqidt) {
  g_prm.store(reqidt);
  g_runs.fetch_add(1);
}

bool flag_set(unsigned efn) {
  unsigned state;
  return sys$readef(efn, &state) == SS$_WASSET;
}

// Waits, taking ASTs, until an unrelated timer on `efn` expires `ms` from now.
void wait_ms(unsigned efn, long long ms) {
  long long t = delta_ms(ms);
  ASSERT_EQ(sys$setimr(efn, q(t), nullptr, 0, 0), SS$_NORMAL);
  ASSERT_EQ(sys$waitfr(efn), SS$_NORMAL);
}

// checklist 30: a delta of -N*10^7 fires no earlier than N s; the efn is cleared at the
// request and set at expiry; the AST gets reqidt.
TEST(VmsTimer, DeltaFiresNoEarlierAndTheAstGetsReqidt) {
  g_prm = 0;
  g_runs = 0;
  ASSERT_EQ(sys$setef(3) & 1, 1);
  long long one_second = -1 * 10000000LL;
  auto t0 = Clock::now();
  ASSERT_EQ(sys$setimr(3, q(one_second), ast<timer_ast>(), 0x1234567890LL, 0), SS$_NORMAL);
  EXPECT_FALSE(flag_set(3)) << "the efn was not cleared at the request";
  EXPECT_EQ(sys$waitfr(3), SS$_NORMAL);
  EXPECT_GE(ms_since(t0), 1000);
  EXPECT_TRUE(spin_until([] { return g_runs.load() == 1; }));
  EXPECT_EQ(g_prm.load(), 0x1234567890LL);
}

// spec 4.6: a positive time is absolute, and is not early either.
TEST(VmsTimer, AbsoluteTimeFiresNoEarlier) {
  long long now = 0;
  ASSERT_EQ(sys$gettim(q(now)), SS$_NORMAL);
  long long at = now + 300 * 10000LL;
  auto t0 = Clock::now();
  ASSERT_EQ(sys$setimr(4, q(at), nullptr, 0, 0), SS$_NORMAL);
  EXPECT_EQ(sys$waitfr(4), SS$_NORMAL);
  // The absolute time was taken before t0; allow the difference between the two clocks.
  EXPECT_GE(ms_since(t0), 290);
  long long end = 0;
  ASSERT_EQ(sys$gettim(q(end)), SS$_NORMAL);
  EXPECT_GE(end, at);
}

// checklist 30: $CANTIM(reqidt) prevents the timer: no flag, no AST.
TEST(VmsTimer, CantimReqidtPreventsIt) {
  g_runs = 0;
  long long t = delta_ms(100);
  ASSERT_EQ(sys$setimr(5, q(t), ast<timer_ast>(), 77, 0), SS$_NORMAL);
  ASSERT_EQ(sys$setimr(6, q(t), ast<timer_ast>(), 78, 0), SS$_NORMAL);
  EXPECT_EQ(sys$cantim(77, 0), SS$_NORMAL);
  wait_ms(7, 500);
  EXPECT_FALSE(flag_set(5));
  EXPECT_TRUE(flag_set(6));
  EXPECT_EQ(g_runs.load(), 1);
  EXPECT_EQ(g_prm.load(), 78);
}

// checklist 30: $CANTIM(0) cancels them all.
TEST(VmsTimer, CantimZeroCancelsAll) {
  g_runs = 0;
  long long t = delta_ms(100);
  ASSERT_EQ(sys$setimr(5, q(t), ast<timer_ast>(), 1, 0), SS$_NORMAL);
  ASSERT_EQ(sys$setimr(6, q(t), ast<timer_ast>(), 2, 0), SS$_NORMAL);
  EXPECT_EQ(sys$cantim(0, 0), SS$_NORMAL);
  wait_ms(7, 400);
  EXPECT_FALSE(flag_set(5));
  EXPECT_FALSE(flag_set(6));
  EXPECT_EQ(g_runs.load(), 0);
}

// spec 4.6: past TQELM, EXQUOTA.
TEST(VmsTimer, PastTqelmExquota) {
  rt::set_tqelm(2);
  long long t = delta_ms(60000);
  EXPECT_EQ(sys$setimr(10, q(t), nullptr, 501, 0), SS$_NORMAL);
  EXPECT_EQ(sys$setimr(11, q(t), nullptr, 501, 0), SS$_NORMAL);
  EXPECT_EQ(sys$setimr(12, q(t), nullptr, 501, 0), SS$_EXQUOTA);
  EXPECT_EQ(sys$cantim(501, 0), SS$_NORMAL);
  EXPECT_EQ(sys$setimr(12, q(t), nullptr, 502, 0), SS$_NORMAL);
  EXPECT_EQ(sys$cantim(502, 0), SS$_NORMAL);
  rt::set_tqelm(8);
}

// spec 1.4: an unimplemented flag is refused loudly.
TEST(VmsTimer, CpuTimeFlagIsUnimplemented) {
  long long t = delta_ms(10);
  EXPECT_EQ(sys$setimr(10, q(t), nullptr, 0, 1), SS$_BADPARAM);
}

}  // namespace
