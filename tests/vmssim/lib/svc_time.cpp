// Time and timers (spec 4.6): $GETTIM, $BINTIM, $ASCTIM, $NUMTIM, $SETIMR, $CANTIM.
// A time is a signed quadword of 100-ns units since 17-Nov-1858 (MJD 0); a negative value
// is a delta [V].  The host clock is taken as the VMS system time (UTC) [G].
#include <descrip.h>
#include <efndef.h>
#include <ssdef.h>
#include <starlet.h>

#include <cctype>
#include <cstdio>
#include <cstring>

#include "runtime_internal.hpp"

namespace vmssim::rt::detail {
namespace {

constexpr long long kUnitsPerSecond = 10000000LL;
constexpr long long kUnitsPerDay = 86400LL * kUnitsPerSecond;
constexpr long long kMjdOfUnixEpoch = 40587;  // 1-Jan-1970 is MJD 40587
constexpr const char* kMonths[12] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                     "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

// Days since 1-Jan-1970 <-> civil date (proleptic Gregorian; H. Hinnant's algorithms).
long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  long long era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = static_cast<unsigned>(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

void civil_from_days(long long z, long long& y, unsigned& m, unsigned& d) {
  z += 719468;
  long long era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<long long>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

unsigned days_in_month(long long y, unsigned m) {
  static const unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// The seven words of $NUMTIM: year, month, day, hour, minute, second, hundredth.  A delta
// has year and month 0 and its day count in `day` [V SSREF].
void split(long long t, unsigned short out[7]) {
  bool delta = t < 0;
  long long units = delta ? -t : t;
  long long days = units / kUnitsPerDay;
  long long rest = units % kUnitsPerDay;
  if (delta) {
    out[0] = 0;
    out[1] = 0;
    out[2] = static_cast<unsigned short>(days);
  } else {
    long long y;
    unsigned m, d;
    civil_from_days(days - kMjdOfUnixEpoch, y, m, d);
    out[0] = static_cast<unsigned short>(y);
    out[1] = static_cast<unsigned short>(m);
    out[2] = static_cast<unsigned short>(d);
  }
  out[3] = static_cast<unsigned short>(rest / (3600 * kUnitsPerSecond));
  out[4] = static_cast<unsigned short>(rest / (60 * kUnitsPerSecond) % 60);
  out[5] = static_cast<unsigned short>(rest / kUnitsPerSecond % 60);
  out[6] = static_cast<unsigned short>(rest / 100000 % 100);
}

// A text descriptor's bytes, or false when it is unusable (null, or an address the 32-bit
// rule refuses: spec 5).
bool text_of(const void* desc, char*& text, unsigned short& len) {
  if (!desc || !addr32_ok(desc, sizeof(dsc$descriptor_s))) return false;
  const auto* d = static_cast<const dsc$descriptor_s*>(desc);
  len = d->dsc$w_length;
  if (!addr32_ok(reinterpret_cast<const void*>(static_cast<std::uintptr_t>(d->dsc$a_pointer.raw())),
                 len))
    return false;
  text = d->dsc$a_pointer;
  return true;
}

// A small cursor over the $BINTIM text.
struct Scanner {
  const char* p;
  const char* end;
  bool at_end() const { return p == end; }
  bool peek(char c) const { return p != end && *p == c; }
  bool eat(char c) {
    if (!peek(c)) return false;
    ++p;
    return true;
  }
  // Up to max_digits digits; `digits` is how many were read.
  long long number(int max_digits, int& digits) {
    long long v = 0;
    digits = 0;
    while (p != end && digits < max_digits && std::isdigit(static_cast<unsigned char>(*p))) {
      v = v * 10 + (*p++ - '0');
      ++digits;
    }
    return v;
  }
  void skip_blanks() {
    while (p != end && (*p == ' ' || *p == '\t')) ++p;
  }
};

// "hh:mm:ss.cc" with trailing fields, or any field's digits, allowed to be absent (0)
// [V HOFF "0 ::10"; M for the absolute form].  Returns the units, or -1.
long long parse_clock(Scanner& s) {
  int n;
  long long h = s.number(2, n), m = 0, sec = 0, cc = 0;
  if (s.eat(':')) {
    m = s.number(2, n);
    if (s.eat(':')) {
      sec = s.number(2, n);
      if (s.eat('.')) {
        cc = s.number(2, n);
        if (n == 1) cc *= 10;  // ".5" is 50 hundredths
      }
    }
  }
  if (h > 23 || m > 59 || sec > 59) return -1;
  return ((h * 60 + m) * 60 + sec) * kUnitsPerSecond + cc * 100000;
}

// Returns IVTIME or NORMAL and the time in `out`.
int parse_time(const char* text, unsigned short len, long long& out) {
  Scanner s{text, text + len};
  s.skip_blanks();
  int n;
  long long first = s.number(4, n);
  if (n == 0) return SS$_IVTIME;
  if (s.eat('-')) {
    // Absolute: dd-MMM-yyyy [hh:mm:ss.cc]
    if (n > 2 || first < 1) return SS$_IVTIME;
    char mon[3];
    for (char& c : mon) {
      if (s.at_end()) return SS$_IVTIME;
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(*s.p++)));
    }
    unsigned month = 0;
    for (unsigned i = 0; i < 12; ++i)
      if (std::memcmp(mon, kMonths[i], 3) == 0) month = i + 1;
    if (month == 0 || !s.eat('-')) return SS$_IVTIME;
    long long year = s.number(4, n);
    if (n != 4 || year < 1858 || first > days_in_month(year, month)) return SS$_IVTIME;
    long long clock = 0;
    if (s.eat(' ') || s.eat(':')) {
      s.skip_blanks();
      clock = parse_clock(s);
      if (clock < 0) return SS$_IVTIME;
    }
    s.skip_blanks();
    if (!s.at_end()) return SS$_IVTIME;
    long long mjd = days_from_civil(year, month, static_cast<unsigned>(first)) + kMjdOfUnixEpoch;
    out = mjd * kUnitsPerDay + clock;
    if (out < 0) return SS$_IVTIME;
    return SS$_NORMAL;
  }
  // Delta: dddd hh:mm:ss.cc, a negative result [V].
  if (!s.eat(' ')) return SS$_IVTIME;
  s.skip_blanks();
  long long clock = parse_clock(s);
  if (clock < 0) return SS$_IVTIME;
  s.skip_blanks();
  if (!s.at_end()) return SS$_IVTIME;
  out = -(first * kUnitsPerDay + clock);
  return SS$_NORMAL;
}

// A by-reference argument (spec 5): only "by 32- or 64-bit reference" arguments are exempt
// from the 2 GiB rule, and spec 5's list of those names no time service [G; the HELP
// mechanism lines are to be checked on a target].  `optional` allows a null pointer.
bool ref_ok(const void* p, std::size_t n, bool optional) {
  if (!p) return optional;
  return addr32_ok(p, n);
}

}  // namespace
}  // namespace vmssim::rt::detail

using namespace vmssim::rt;
using namespace vmssim::rt::detail;

extern "C" {

int sys$gettim(struct _generic_64* timadr, unsigned int flags) {
  ServiceScope scope;
  (void)flags;  // 0 (the default) or a clock choice; one clock here
  if (!ref_ok(timadr, 8, false)) return SS$_ACCVIO;
  long long now = now_vms();
  std::memcpy(timadr, &now, sizeof now);
  return SS$_NORMAL;
}

int sys$numtim(unsigned short int timbuf[7], struct _generic_64* timadr) {
  ServiceScope scope;
  if (!ref_ok(timbuf, 14, false) || !ref_ok(timadr, 8, true)) return SS$_ACCVIO;
  long long t = now_vms();
  if (timadr) std::memcpy(&t, timadr, sizeof t);
  split(t, timbuf);
  return SS$_NORMAL;
}

int sys$asctim(unsigned short int* timlen, void* timbuf, struct _generic_64* timadr, char cvtflg) {
  ServiceScope scope;
  char* out;
  unsigned short room;
  if (!text_of(timbuf, out, room) || !ref_ok(timlen, 2, true) || !ref_ok(timadr, 8, true))
    return SS$_ACCVIO;
  long long t = now_vms();
  if (timadr) std::memcpy(&t, timadr, sizeof t);
  unsigned short w[7];
  split(t, w);
  char text[40];
  int n;
  if (cvtflg & 1) {
    n = std::snprintf(text, sizeof text, "%02u:%02u:%02u.%02u", w[3], w[4], w[5], w[6]);
  } else if (t < 0) {
    // [V] "dddd hh:mm:ss.cc", the day count right-aligned in four columns.
    n = std::snprintf(text, sizeof text, "%4u %02u:%02u:%02u.%02u", w[2], w[3], w[4], w[5], w[6]);
  } else {
    // [V] "dd-MMM-yyyy hh:mm:ss.cc"; a one-digit day is blank-padded [M: as F$TIME shows].
    n = std::snprintf(text, sizeof text, "%2u-%s-%04u %02u:%02u:%02u.%02u", w[2], kMonths[w[1] - 1],
                      w[0], w[3], w[4], w[5], w[6]);
  }
  unsigned short len = static_cast<unsigned short>(n);
  int status = SS$_NORMAL;
  if (len > room) {
    len = room;
    status = SS$_BUFFEROVF;
  }
  std::memcpy(out, text, len);
  if (timlen) *timlen = len;
  return status;
}

int sys$bintim(void* timbuf, struct _generic_64* timadr) {
  ServiceScope scope;
  char* text;
  unsigned short len;
  if (!text_of(timbuf, text, len) || !ref_ok(timadr, 8, false)) return SS$_ACCVIO;
  long long t = 0;
  int status = parse_time(text, len, t);
  if (!(status & 1)) return status;
  std::memcpy(timadr, &t, sizeof t);
  return SS$_NORMAL;
}

int sys$setimr(unsigned int efn, struct _generic_64* daytim, void (*astadr)(__unknown_params),
               unsigned __int64 reqidt, unsigned int flags) {
  ServiceScope scope;
  if (int err = efn_error(efn, true)) return err;
  if (flags != 0) return unimplemented("$SETIMR flags (TIMR$M_CPU)");
  if (!ref_ok(daytim, 8, false)) return SS$_ACCVIO;
  long long when;
  std::memcpy(&when, daytim, sizeof when);
  AstRoutine ast = reinterpret_cast<AstRoutine>(astadr);
  // A pending request that names an AST holds an ASTLM unit (spec 3.1).
  if (ast && !astlm_take()) return SS$_EXQUOTA;
  // [C MBU, LIBUV, VSIPY38; M] the flag is cleared at the request and set at expiry.
  if (efn < 64) clear_flag(efn);
  if (!timer_arm(delay_until(when), efn, ast, static_cast<long long>(reqidt))) {
    if (ast) astlm_give();
    return SS$_EXQUOTA;  // TQELM
  }
  return SS$_NORMAL;
}

int sys$cantim(unsigned __int64 reqidt, unsigned int acmode) {
  ServiceScope scope;
  (void)acmode;  // access modes are not modelled (spec 7)
  timer_cancel(static_cast<long long>(reqidt), reqidt == 0);
  return SS$_NORMAL;
}

}  // extern "C"
