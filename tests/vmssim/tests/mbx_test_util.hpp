// Termination mailboxes for the process tests (checklist 14-17, 24, 38, 41): a mailbox, its
// unit, and reading one termination message with its IOSB.
#pragma once

#include <accdef.h>
#include <dvidef.h>
#include <iodef.h>
#include <msgdef.h>

#include "proc_test_util.hpp"

namespace proc_test {

// A mailbox channel, deassigned at the end of its scope (a test's BYTLM comes back).
struct Mbx {
  int status = 0;
  unsigned short chan = 0;
  unsigned int unit = 0;

  Mbx() = default;
  Mbx(const Mbx&) = delete;
  Mbx& operator=(const Mbx&) = delete;
  Mbx(Mbx&& o) noexcept : status(o.status), chan(o.chan), unit(o.unit) { o.chan = 0; }
  ~Mbx() {
    if (chan) sys$dassgn(chan);
  }
};

// A temporary mailbox (or a permanent one named `name`) and its unit ($GETDVIW DVI$_UNIT).
inline Mbx make_mbx(unsigned int maxmsg = 84, unsigned int bufquo = 1000, bool permanent = false,
                    const std::string& name = "") {
  Mbx m;
  auto* chan = static_cast<unsigned short*>(_malloc32(2));
  m.status = sys$crembx(permanent ? 1 : 0, chan, maxmsg, bufquo, 0, 0,
                        name.empty() ? nullptr : desc(name), 0, 0);
  m.chan = *chan;
  if (!(m.status & 1)) return m;
  auto* items = static_cast<ILE3*>(_malloc32(2 * sizeof(ILE3)));
  auto* unit = static_cast<unsigned int*>(_malloc32(4));
  auto* iosb = static_cast<IOSB*>(_malloc32(sizeof(IOSB)));
  items[0] = {4, DVI$_UNIT, unit, nullptr};
  std::memset(&items[1], 0, sizeof(ILE3));
  m.status = sys$getdviw(EFN$C_ENF, m.chan, nullptr, items, iosb, nullptr, 0, nullptr);
  if (m.status & 1) m.status = static_cast<int>(iosb->iosb$l_getxxi_status);
  m.unit = *unit;
  return m;
}

struct TermMsg {
  int status = 0;  // the $QIOW's
  IOSB iosb{};
  unsigned char raw[ACC$K_TERMLEN] = {};
  unsigned short msgtyp() const { return static_cast<unsigned short>(raw[0] | raw[1] << 8); }
  unsigned short word2() const { return static_cast<unsigned short>(raw[2] | raw[3] << 8); }
  unsigned int at(unsigned off) const {
    unsigned int v;
    std::memcpy(&v, raw + off, 4);
    return v;
  }
  unsigned int finalsts() const { return at(4); }
  unsigned int pid() const { return at(8); }
  unsigned int owner() const { return at(80); }
};

// Reads one message (waiting, or at once with IO$M_NOW).
inline TermMsg read_term(const Mbx& m, bool now = false) {
  TermMsg t;
  auto* buf = static_cast<unsigned char*>(_malloc32(ACC$K_TERMLEN + 16));
  auto* iosb = static_cast<IOSB*>(_malloc32(sizeof(IOSB)));
  t.status = sys$qiow(EFN$C_ENF, m.chan, IO$_READVBLK | (now ? IO$M_NOW : 0), iosb, nullptr, 0, buf,
                      ACC$K_TERMLEN + 16, 0, 0, 0, 0);
  t.iosb = *iosb;
  std::memcpy(t.raw, buf, ACC$K_TERMLEN);
  return t;
}

}  // namespace proc_test
