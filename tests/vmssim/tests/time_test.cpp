// $GETTIM, $BINTIM, $ASCTIM, $NUMTIM (spec 4.6), and their part of checklist 39.
#include <descrip.h>
#include <gtest/gtest.h>
#include <ssdef.h>
#include <starlet.h>

#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>

#include "rt_test_util.hpp"

namespace {

using namespace vmssim_test;

constexpr long long kUnixEpoch = 0x007C95674BEB4000LL;  // spec 4.6
constexpr long long kSecond = 10000000LL;

// $BINTIM of a text held in a static buffer (below 2 GiB).
int bintim(const char* text, long long& out) {
  static char buf[64];
  std::strncpy(buf, text, sizeof buf - 1);
  struct dsc$descriptor_s d = {static_cast<unsigned short>(std::strlen(buf)), DSC$K_DTYPE_T,
                               DSC$K_CLASS_S, buf};
  return sys$bintim(&d, q(out));
}

std::string asctim(long long t, char cvtflg, int* status = nullptr, unsigned short room = 40) {
  char buf[40];
  struct dsc$descriptor_s d = {room, DSC$K_DTYPE_T, DSC$K_CLASS_S, buf};
  unsigned short len = 0;
  int s = sys$asctim(&len, &d, q(t), cvtflg);
  if (status) *status = s;
  return std::string(buf, len);
}

TEST(VmsTime, BintimReadsAbsoluteTimes) {
  long long t = -1;
  ASSERT_EQ(bintim("17-NOV-1858 00:00:00.00", t), SS$_NORMAL);
  EXPECT_EQ(t, 0);
  ASSERT_EQ(bintim("1-JAN-1970 00:00:00.00", t), SS$_NORMAL);
  EXPECT_EQ(t, kUnixEpoch);
  ASSERT_EQ(bintim(" 2-dec-2026 13:08:54.25", t), SS$_NORMAL);
  EXPECT_EQ(t, kUnixEpoch + (1796216934LL) * kSecond + 25 * 100000LL);
  ASSERT_EQ(bintim("29-FEB-2024 23:59", t), SS$_NORMAL);
}

TEST(VmsTime, BintimReadsDeltaTimes) {
  long long t = 0;
  ASSERT_EQ(bintim("0 ::10", t), SS$_NORMAL);  // [V HOFF]
  EXPECT_EQ(t, -10 * kSecond);
  ASSERT_EQ(bintim("   1 02:03:04.05", t), SS$_NORMAL);
  EXPECT_EQ(t, -((((24 + 2) * 60 + 3) * 60 + 4) * kSecond + 5 * 100000LL));
  ASSERT_EQ(bintim("0 00:00:00.50", t), SS$_NORMAL);
  EXPECT_EQ(t, -kSecond / 2);
}

TEST(VmsTime, BintimGivesIvtimeOtherwise) {
  long long t = 0;
  EXPECT_EQ(bintim("", t), SS$_IVTIME);
  EXPECT_EQ(bintim("garbage", t), SS$_IVTIME);
  EXPECT_EQ(bintim("32-JAN-2020 00:00:00.00", t), SS$_IVTIME);
  EXPECT_EQ(bintim("29-FEB-2023 00:00:00.00", t), SS$_IVTIME);
  EXPECT_EQ(bintim("1-FOO-2020 00:00:00.00", t), SS$_IVTIME);
  EXPECT_EQ(bintim("0 25:00:00.00", t), SS$_IVTIME);
  EXPECT_EQ(bintim("10:00:00", t), SS$_IVTIME);
  EXPECT_EQ(bintim("0 ::10 x", t), SS$_IVTIME);
}

TEST(VmsTime, AsctimWritesVmsFormat) {
  EXPECT_EQ(asctim(kUnixEpoch, 0), " 1-JAN-1970 00:00:00.00");
  EXPECT_EQ(asctim(kUnixEpoch + (1796216934LL) * kSecond + 25 * 100000LL, 0),
            " 2-DEC-2026 13:08:54.25");
  EXPECT_EQ(asctim(kUnixEpoch + 86400LL * 30 * kSecond, 0), "31-JAN-1970 00:00:00.00");
  EXPECT_EQ(asctim(-10 * kSecond, 0), "   0 00:00:10.00");
  EXPECT_EQ(asctim(-(3 * 86400LL + 5) * kSecond, 0), "   3 00:00:05.00");
  EXPECT_EQ(asctim(kUnixEpoch + 3723 * kSecond, 1), "01:02:03.00");
  int status = 0;
  EXPECT_EQ(asctim(kUnixEpoch, 0, &status, 11), " 1-JAN-1970");
  EXPECT_EQ(status, SS$_BUFFEROVF);
}

TEST(VmsTime, AsctimAndBintimRoundTrip) {
  long long now = 0;
  ASSERT_EQ(sys$gettim(q(now)), SS$_NORMAL);
  now -= now % 100000;  // hundredths
  std::string text = asctim(now, 0);
  long long back = 0;
  ASSERT_EQ(bintim(text.c_str(), back), SS$_NORMAL) << text;
  EXPECT_EQ(back, now);
}

TEST(VmsTime, GettimIsTheHostClock) {
  long long now = 0;
  ASSERT_EQ(sys$gettim(q(now)), SS$_NORMAL);
  long long host = kUnixEpoch + static_cast<long long>(std::time(nullptr)) * kSecond;
  EXPECT_LT(std::llabs(now - host), 5 * kSecond);
}

TEST(VmsTime, NumtimSplitsTimes) {
  unsigned short w[7] = {};
  long long t = kUnixEpoch + (1796216934LL) * kSecond + 25 * 100000LL;
  ASSERT_EQ(sys$numtim(w, q(t)), SS$_NORMAL);
  const unsigned short want[7] = {2026, 12, 2, 13, 8, 54, 25};
  for (int i = 0; i < 7; ++i) EXPECT_EQ(w[i], want[i]) << i;
  long long d = -(2 * 86400LL + 61) * kSecond;
  ASSERT_EQ(sys$numtim(w, q(d)), SS$_NORMAL);
  const unsigned short want_delta[7] = {0, 0, 2, 0, 1, 1, 0};
  for (int i = 0; i < 7; ++i) EXPECT_EQ(w[i], want_delta[i]) << i;
  ASSERT_EQ(sys$numtim(w, nullptr), SS$_NORMAL);
  EXPECT_GE(w[0], 2024);
}

// checklist 39 (the time services' part): a malloc address in a descriptor gets ACCVIO; a
// stack, static or _malloc32 one works.
TEST(VmsTime, HeapAddressInADescriptorGetsAccvio) {
  char* p = static_cast<char*>(std::malloc(64));
  std::strcpy(p, "0 00:00:01.00");
  struct dsc$descriptor_s d = {13, DSC$K_DTYPE_T, DSC$K_CLASS_S, p};
  long long t = 0;
  EXPECT_EQ(sys$bintim(&d, q(t)), SS$_ACCVIO);
  unsigned short len = 0;
  d.dsc$w_length = 40;
  EXPECT_EQ(sys$asctim(&len, &d, q(t), 0), SS$_ACCVIO);
  std::free(p);

  char* p32 = static_cast<char*>(_malloc32(64));
  ASSERT_NE(p32, nullptr);
  std::strcpy(p32, "0 00:00:01.00");
  struct dsc$descriptor_s d32 = {13, DSC$K_DTYPE_T, DSC$K_CLASS_S, p32};
  EXPECT_EQ(sys$bintim(&d32, q(t)), SS$_NORMAL);
  EXPECT_EQ(t, -kSecond);
  std::free(p32);

  char stack[32] = "0 00:00:02.00";
  struct dsc$descriptor_s ds = {13, DSC$K_DTYPE_T, DSC$K_CLASS_S, stack};
  EXPECT_EQ(sys$bintim(&ds, q(t)), SS$_NORMAL);
  EXPECT_EQ(t, -2 * kSecond);

  $DESCRIPTOR(literal, "0 00:00:03.00");
  EXPECT_EQ(sys$bintim(&literal, q(t)), SS$_NORMAL);
  EXPECT_EQ(t, -3 * kSecond);
}

// spec 5: by-reference arguments (not "by 32- or 64-bit reference") follow the same rule.
TEST(VmsTime, HeapAddressByReferenceGetsAccvio) {
  std::unique_ptr<long long> heap_time(new long long(-kSecond));
  std::unique_ptr<unsigned short[]> heap_words(new unsigned short[7]);
  std::unique_ptr<unsigned> heap_state(new unsigned(0));
  EXPECT_EQ(sys$gettim(q(*heap_time)), SS$_ACCVIO);
  EXPECT_EQ(sys$numtim(heap_words.get(), nullptr), SS$_ACCVIO);
  EXPECT_EQ(sys$setimr(1, q(*heap_time), nullptr, 0, 0), SS$_ACCVIO);
  EXPECT_EQ(sys$schdwk(nullptr, nullptr, q(*heap_time), nullptr), SS$_ACCVIO);
  EXPECT_EQ(sys$readef(1, heap_state.get()), SS$_ACCVIO);
  long long stack_time = 0;
  EXPECT_EQ(sys$gettim(q(stack_time)), SS$_NORMAL);
}

}  // namespace
