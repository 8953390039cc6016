// Unit tests of the executive's mailbox state machine (exec/mailbox.*): each operation's
// replies, completions and attention ASTs, with no running system.
#include "exec/mailbox.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace vmssim::mbx {
namespace {

constexpr std::uint32_t kA = 0x20400011;
constexpr std::uint32_t kB = 0x20400012;
constexpr std::uint32_t kC = 0x20400013;

Caller caller(std::uint32_t pid, std::uint64_t privs = kPrvTmpmbx | kPrvPrmmbx | kPrvSysnam,
              std::uint32_t job = 0) {
  Caller c;
  c.pid = pid;
  c.job = job ? job : pid;
  c.privs = privs;
  c.bytlm = 8192;
  return c;
}

Tag tag(std::uint64_t n) {
  return Tag{n, 0, 0, 0};
}

std::vector<std::uint8_t> bytes(const std::string& s) {
  return std::vector<std::uint8_t>(s.begin(), s.end());
}

const Effect* find(const Effects& fx, Effect::Kind kind, std::uint32_t pid) {
  for (const Effect& e : fx) {
    if (e.kind == kind && e.pid == pid) return &e;
  }
  return nullptr;
}
const Effect* reply_of(const Effects& fx, std::uint32_t pid) {
  return find(fx, Effect::Kind::kReply, pid);
}
const Effect* completion_of(const Effects& fx, std::uint32_t pid, std::uint64_t t) {
  for (const Effect& e : fx) {
    if (e.kind == Effect::Kind::kCompletion && e.pid == pid && e.tag[0] == t) return &e;
  }
  return nullptr;
}
std::size_t attentions(const Effects& fx, std::uint32_t pid) {
  return static_cast<std::size_t>(std::count_if(fx.begin(), fx.end(), [&](const Effect& e) {
    return e.kind == Effect::Kind::kAttention && e.pid == pid;
  }));
}

class MailboxState : public ::testing::Test {
 protected:
  MailboxState() {
    for (std::uint32_t pid : {kA, kB, kC}) names.process_created(pid, pid);
  }

  std::uint16_t create(std::uint32_t pid, std::uint32_t prm = 0, std::uint32_t maxmsg = 0,
                       std::uint32_t bufquo = 0, const std::string& name = "",
                       std::uint32_t flags = 0) {
    Effects fx = mbx.crembx(caller(pid), names, prm, maxmsg, bufquo, 0, name, flags);
    const Effect* r = reply_of(fx, pid);
    EXPECT_NE(r, nullptr);
    EXPECT_EQ(r->status, ss::kNormal);
    EXPECT_NE(r->chan, 0);
    return r->chan;
  }
  std::uint16_t assign(std::uint32_t pid, const std::string& dev, std::uint32_t flags = 0) {
    Effects fx = mbx.assign(caller(pid), names, dev, flags);
    const Effect* r = reply_of(fx, pid);
    EXPECT_NE(r, nullptr);
    EXPECT_EQ(r->status, ss::kNormal) << dev;
    return r->chan;
  }
  std::uint32_t unit(std::uint32_t pid, std::uint16_t chan) {
    return mbx.getdvi(caller(pid), names, chan, "").unit;
  }
  Effects write(std::uint32_t pid, std::uint16_t chan, const std::string& s, std::uint32_t mods,
                std::uint64_t t) {
    Qio q;
    q.func = kIoWritevblk | mods;
    q.tag = tag(t);
    q.data = bytes(s);
    return mbx.qio(caller(pid), chan, q);
  }
  Effects read(std::uint32_t pid, std::uint16_t chan, std::uint32_t size, std::uint32_t mods,
               std::uint64_t t) {
    Qio q;
    q.func = kIoReadvblk | mods;
    q.tag = tag(t);
    q.size = size;
    return mbx.qio(caller(pid), chan, q);
  }
  Effects arm(std::uint32_t pid, std::uint16_t chan, std::uint32_t kind, std::uint64_t routine,
              std::uint64_t param) {
    Qio q;
    q.func = kIoSetmode | kind;
    q.p1 = routine;
    q.p2 = param;
    return mbx.qio(caller(pid), chan, q);
  }

  lnm::Lnm names;
  Mailboxes mbx;
};

// checklist 1: a NOW write before any reader is read whole, with the writer's PID.
TEST_F(MailboxState, NowWriteBeforeReaderKeepsWriterPid) {
  const std::uint16_t wc = create(kA, 0, 0, 0, "C1_MAILBOX_NAME_LONG");
  Effects w = write(kA, wc, "hello from the writer", kIoMNow, 1);
  ASSERT_EQ(reply_of(w, kA)->status, ss::kNormal);
  const Effect* wdone = completion_of(w, kA, 1);
  ASSERT_NE(wdone, nullptr);
  EXPECT_EQ(wdone->iosb_pid, 0u);  // queued: no reader yet
  EXPECT_EQ(wdone->count, 21u);
  // Both processes share the job here so that the temporary name is visible.
  names.process_created(kB, kA);
  const std::uint16_t rc = assign(kB, "C1_MAILBOX_NAME_LONG");
  Effects r = read(kB, rc, 100, 0, 2);
  const Effect* got = completion_of(r, kB, 2);
  ASSERT_NE(got, nullptr);
  EXPECT_EQ(got->status, ss::kNormal);
  EXPECT_EQ(got->count, 21u);
  EXPECT_EQ(std::string(got->data.begin(), got->data.end()), "hello from the writer");
  EXPECT_EQ(got->iosb_pid, kA);
}

// checklist 2: FIFO, one per read; a short read gets BUFFEROVF and p2 bytes.
TEST_F(MailboxState, FifoAndShortRead) {
  const std::uint16_t c = create(kA);
  write(kA, c, "first message", kIoMNow, 1);
  write(kA, c, "second", kIoMNow, 2);
  write(kA, c, "third", kIoMNow, 3);
  Effects r1 = read(kA, c, 5, 0, 10);
  const Effect* e1 = completion_of(r1, kA, 10);
  ASSERT_NE(e1, nullptr);
  EXPECT_EQ(e1->status, ss::kBufferovf);
  EXPECT_EQ(e1->count, 5u);
  EXPECT_EQ(std::string(e1->data.begin(), e1->data.end()), "first");
  Effects r2 = read(kA, c, 100, 0, 11);
  EXPECT_EQ(
      std::string(completion_of(r2, kA, 11)->data.begin(), completion_of(r2, kA, 11)->data.end()),
      "second");
  Effects r3 = read(kA, c, 100, 0, 12);
  EXPECT_EQ(completion_of(r3, kA, 12)->count, 5u);
}

// checklist 3: a write longer than maxmsg gets MBTOOSML and queues nothing.
TEST_F(MailboxState, TooLongWrite) {
  const std::uint16_t c = create(kA, 0, 10, 100);
  Effects w = write(kA, c, "eleven byte", kIoMNow, 1);
  EXPECT_EQ(reply_of(w, kA)->status, ss::kMbtoosml);
  EXPECT_EQ(completion_of(w, kA, 1), nullptr);
  Effects r = read(kA, c, 100, kIoMNow, 2);
  EXPECT_EQ(completion_of(r, kA, 2)->status, ss::kEndoffile);
}

// checklist 4: a write without NOW completes when read, with the reader's PID.
TEST_F(MailboxState, WaitingWriteGetsReaderPid) {
  const std::uint16_t ca = create(kA, 0, 0, 0, "C4_NAME");
  names.process_created(kB, kA);
  const std::uint16_t cb = assign(kB, "C4_NAME");
  Effects w = write(kA, ca, "payload", 0, 1);
  EXPECT_EQ(reply_of(w, kA)->status, ss::kNormal);
  EXPECT_EQ(completion_of(w, kA, 1), nullptr);
  Effects r = read(kB, cb, 100, 0, 2);
  const Effect* wdone = completion_of(r, kA, 1);
  ASSERT_NE(wdone, nullptr);
  EXPECT_EQ(wdone->status, ss::kNormal);
  EXPECT_EQ(wdone->count, 7u);
  EXPECT_EQ(wdone->iosb_pid, kB);
  EXPECT_EQ(completion_of(r, kB, 2)->iosb_pid, kA);
}

// A waiting read takes a later write at once; both complete.
TEST_F(MailboxState, WaitingReadTakesWrite) {
  const std::uint16_t c = create(kA);
  Effects r = read(kA, c, 100, 0, 1);
  EXPECT_EQ(completion_of(r, kA, 1), nullptr);
  Effects w = write(kA, c, "x", 0, 2);
  EXPECT_EQ(completion_of(w, kA, 1)->count, 1u);
  EXPECT_EQ(completion_of(w, kA, 2)->iosb_pid, kA);
}

// checklist 5: full mailbox: NORSWAIT gets MBFULL; without it no reply until room.
TEST_F(MailboxState, FullMailboxAndResourceWait) {
  const std::uint16_t ca = create(kA, 0, 100, 20, "C5_NAME");
  names.process_created(kB, kA);
  const std::uint16_t cb = assign(kB, "C5_NAME");
  write(kA, ca, "0123456789", kIoMNow, 1);
  write(kA, ca, "0123456789", kIoMNow, 2);
  Effects full = write(kA, ca, "abc", kIoMNow | kIoMNorswait, 3);
  EXPECT_EQ(reply_of(full, kA)->status, ss::kMbfull);
  EXPECT_EQ(completion_of(full, kA, 3), nullptr);
  Effects waiting = write(kA, ca, "abc", kIoMNow, 4);
  EXPECT_EQ(reply_of(waiting, kA), nullptr);  // $QIO does not return
  Effects r = read(kB, cb, 100, 0, 5);
  ASSERT_NE(reply_of(r, kA), nullptr);  // now it does
  EXPECT_EQ(reply_of(r, kA)->status, ss::kNormal);
  EXPECT_EQ(completion_of(r, kA, 4)->status, ss::kNormal);
  read(kB, cb, 100, 0, 6);
  Effects last = read(kB, cb, 100, 0, 7);
  EXPECT_EQ(
      std::string(completion_of(last, kB, 7)->data.begin(), completion_of(last, kB, 7)->data.end()),
      "abc");
}

TEST_F(MailboxState, OverheadVariantCountsPerMessage) {
  Options o;
  o.overhead = 16;
  Mailboxes m(o);
  Effects fx = m.crembx(caller(kA), names, 0, 100, 40, 0, "", 0);
  const std::uint16_t c = reply_of(fx, kA)->chan;
  Qio q;
  q.func = kIoWritevblk | kIoMNow | kIoMNorswait;
  q.data = bytes("0123456789");
  EXPECT_EQ(reply_of(m.qio(caller(kA), c, q), kA)->status, ss::kNormal);  // 26
  EXPECT_EQ(reply_of(m.qio(caller(kA), c, q), kA)->status, ss::kMbfull);  // 52 > 40
}

// checklist 6: NOW read of an empty mailbox, and a WRITEOF.
TEST_F(MailboxState, EndOfFile) {
  const std::uint16_t c = create(kA);
  Effects r = read(kA, c, 100, kIoMNow, 1);
  EXPECT_EQ(completion_of(r, kA, 1)->status, ss::kEndoffile);
  EXPECT_EQ(completion_of(r, kA, 1)->count, 0u);
  Qio eof;
  eof.func = kIoWriteof | kIoMNow;
  eof.tag = tag(2);
  mbx.qio(caller(kA), c, eof);
  Effects r2 = read(kA, c, 100, 0, 3);
  EXPECT_EQ(completion_of(r2, kA, 3)->status, ss::kEndoffile);
  EXPECT_EQ(completion_of(r2, kA, 3)->iosb_pid, kA);
}

// checklist 7: READERCHECK and WRITERCHECK.
TEST_F(MailboxState, ReaderAndWriterChecks) {
  const std::uint16_t w = create(kA, 0, 0, 0, "C7_NAME", kWriteonly);
  Effects nr = write(kA, w, "x", kIoMNow | kIoMReadercheck, 1);
  EXPECT_EQ(reply_of(nr, kA)->status, ss::kNormal);
  EXPECT_EQ(completion_of(nr, kA, 1)->status, ss::kNoreader);
  const std::uint16_t rw = assign(kA, "C7_NAME");
  const std::uint16_t ro = assign(kA, "C7_NAME", kReadonly);
  // A writer exists: the read waits, then ends with NOWRITER when the writers go.
  Effects waits = read(kA, ro, 10, kIoMWritercheck, 2);
  EXPECT_EQ(completion_of(waits, kA, 2), nullptr);
  mbx.dassgn(caller(kA), names, w);
  Effects gone = mbx.dassgn(caller(kA), names, rw);
  EXPECT_EQ(completion_of(gone, kA, 2)->status, ss::kNowriter);
  Effects at_once = read(kA, ro, 10, kIoMWritercheck, 3);
  EXPECT_EQ(completion_of(at_once, kA, 3)->status, ss::kNowriter);
  // On a read/write channel it is ignored.
  const std::uint16_t rw2 = assign(kA, "C7_NAME");
  Effects ignored = read(kA, rw2, 10, kIoMWritercheck, 4);
  EXPECT_EQ(completion_of(ignored, kA, 4), nullptr);
}

// checklist 8: attention ASTs, once per arming, in each arming process.
TEST_F(MailboxState, AttentionOncePerArming) {
  const std::uint16_t ca = create(kA, 0, 0, 0, "C8_NAME");
  names.process_created(kB, kA);
  const std::uint16_t cb = assign(kB, "C8_NAME");
  arm(kA, ca, kIoMWrtattn, 0x1000, 7);
  arm(kB, cb, kIoMWrtattn, 0x2000, 8);
  Effects w1 = write(kA, ca, "m1", kIoMNow, 1);
  ASSERT_EQ(attentions(w1, kA), 1u);
  ASSERT_EQ(attentions(w1, kB), 1u);
  const Effect* a = find(w1, Effect::Kind::kAttention, kA);
  EXPECT_EQ(a->routine, 0x1000u);
  EXPECT_EQ(a->param, 7u);
  Effects w2 = write(kA, ca, "m2", kIoMNow, 2);
  EXPECT_EQ(attentions(w2, kA) + attentions(w2, kB), 0u);  // once per arming
  // Armed while a message is queued: fires at once.
  Effects again = arm(kA, ca, kIoMWrtattn, 0x1000, 9);
  EXPECT_EQ(attentions(again, kA), 1u);
  // ROOM_NOTIFY on a read that frees room; READATTN on a read at an empty mailbox.
  arm(kB, cb, kIoMRoomNotify, 0x3000, 10);
  Effects rd = read(kB, cb, 10, 0, 3);
  EXPECT_EQ(attentions(rd, kB), 1u);
  read(kB, cb, 10, 0, 4);
  arm(kA, ca, kIoMReadattn, 0x4000, 11);
  Effects empty = read(kB, cb, 10, 0, 5);
  EXPECT_EQ(attentions(empty, kA), 1u);
  // p1 = 0 disarms.
  arm(kA, ca, kIoMWrtattn, 0x1000, 12);
  arm(kA, ca, kIoMWrtattn, 0, 0);
  Effects w3 = write(kA, ca, "m3", kIoMNow, 6);
  EXPECT_EQ(attentions(w3, kA), 0u);
}

// checklist 9: $CANCEL ends a waiting read; a later message goes to the next read.
TEST_F(MailboxState, CancelWaitingRead) {
  const std::uint16_t c = create(kA);
  read(kA, c, 10, 0, 1);
  arm(kA, c, kIoMWrtattn, 0x1000, 1);
  Effects x = mbx.cancel(caller(kA), c);
  EXPECT_EQ(completion_of(x, kA, 1)->status, ss::kAbort);
  EXPECT_EQ(reply_of(x, kA)->status, ss::kNormal);
  Effects w = write(kA, c, "later", kIoMNow, 2);
  EXPECT_EQ(completion_of(w, kA, 1), nullptr);
  EXPECT_EQ(attentions(w, kA), 0u);  // $CANCEL forgot the arm
  Effects r = read(kA, c, 10, 0, 3);
  EXPECT_EQ(completion_of(r, kA, 3)->count, 5u);
}

TEST_F(MailboxState, CancelStatusVariant) {
  Options o;
  o.cancel_status = ss::kCancel;
  Mailboxes m(o);
  const std::uint16_t c = reply_of(m.crembx(caller(kA), names, 0, 0, 0, 0, "", 0), kA)->chan;
  Qio q;
  q.func = kIoReadvblk;
  q.tag = tag(1);
  q.size = 10;
  m.qio(caller(kA), c, q);
  EXPECT_EQ(completion_of(m.cancel(caller(kA), c), kA, 1)->status, ss::kCancel);
}

// checklist 10: a temporary mailbox goes with its last channel, name and all.
TEST_F(MailboxState, TemporaryGoesWithLastChannel) {
  const std::uint16_t c = create(kA, 0, 0, 0, "C10_NAME");
  const std::uint32_t u = unit(kA, c);
  const std::uint16_t c2 = assign(kA, "MBA" + std::to_string(u) + ":");
  mbx.dassgn(caller(kA), names, c);
  EXPECT_TRUE(mbx.exists(u));
  mbx.dassgn(caller(kA), names, c2);
  EXPECT_FALSE(mbx.exists(u));
  EXPECT_EQ(reply_of(mbx.assign(caller(kA), names, "MBA" + std::to_string(u) + ":", 0), kA)->status,
            ss::kNosuchdev);
  EXPECT_EQ(names.trnlnm(caller(kA), 0, "LNM$TEMPORARY_MAILBOX", "C10_NAME", -1).status,
            ss::kNologname);
  EXPECT_EQ(mbx.bytes_charged(kA), 0u);
  // Units are never reused.
  const std::uint16_t c3 = create(kA);
  EXPECT_GT(unit(kA, c3), u);
}

// checklist 11: a permanent mailbox outlives its creator until $DELMBX and the last channel.
TEST_F(MailboxState, PermanentOutlivesCreator) {
  const std::uint16_t c = create(kA, 1, 0, 0, "C11_PERMANENT_NAME");
  const std::uint32_t u = unit(kA, c);
  write(kA, c, "one", kIoMNow, 1);
  write(kA, c, "two", kIoMNow, 2);
  mbx.process_gone(kA, names);
  names.process_gone(kA);
  EXPECT_TRUE(mbx.exists(u));
  Effects again = mbx.crembx(caller(kB), names, 1, 0, 0, 0, "C11_PERMANENT_NAME", 0);
  const std::uint16_t cb = reply_of(again, kB)->chan;
  EXPECT_EQ(unit(kB, cb), u);
  EXPECT_EQ(completion_of(read(kB, cb, 10, 0, 3), kB, 3)->data, bytes("one"));
  EXPECT_EQ(reply_of(mbx.delmbx(caller(kB), names, cb), kB)->status, ss::kNormal);
  EXPECT_TRUE(mbx.exists(u));  // a channel is left
  EXPECT_EQ(completion_of(read(kB, cb, 10, 0, 4), kB, 4)->data, bytes("two"));
  mbx.dassgn(caller(kB), names, cb);
  EXPECT_FALSE(mbx.exists(u));
  EXPECT_EQ(names.trnlnm(caller(kB), 0, "LNM$PERMANENT_MAILBOX", "C11_PERMANENT_NAME", -1).status,
            ss::kNologname);
}

// checklist 12: privileges and BYTLM.
TEST_F(MailboxState, PrivilegesAndQuota) {
  Effects p = mbx.crembx(caller(kA, kPrvTmpmbx), names, 1, 0, 0, 0, "", 0);
  EXPECT_EQ(reply_of(p, kA)->status, ss::kNopriv);
  Effects t = mbx.crembx(caller(kA, kPrvPrmmbx), names, 0, 0, 0, 0, "", 0);
  EXPECT_EQ(reply_of(t, kA)->status, ss::kNopriv);
  Effects s = mbx.crembx(caller(kA, kPrvPrmmbx), names, 1, 0, 0, 0, "NEEDS_SYSNAM", 0);
  EXPECT_EQ(reply_of(s, kA)->status, ss::kNopriv);
  Effects bad = mbx.crembx(caller(kA), names, 2, 0, 0, 0, "", 0);
  EXPECT_EQ(reply_of(bad, kA)->status, ss::kBadparam);
  const std::uint16_t perm = create(kA, 1);
  EXPECT_EQ(reply_of(mbx.delmbx(caller(kA, kPrvTmpmbx), names, perm), kA)->status, ss::kNopriv);
  create(kA, 0, 0, 8000);
  Effects over = mbx.crembx(caller(kA), names, 0, 0, 200, 0, "", 0);
  EXPECT_EQ(reply_of(over, kA)->status, ss::kExquota);
  EXPECT_EQ(reply_of(mbx.crembx(caller(kA), names, 0, 0, 192, 0, "", 0), kA)->status, ss::kNormal);
}

// checklist 13: $GETDVI items.
TEST_F(MailboxState, GetDvi) {
  const std::uint16_t c = create(kA, 0, 300, 0, "C13_NAME");
  DeviceInfo d = mbx.getdvi(caller(kA), names, c, "");
  EXPECT_EQ(d.status, ss::kNormal);
  EXPECT_EQ(d.devnam, "_MBA" + std::to_string(d.unit) + ":");
  EXPECT_EQ(d.refcnt, 1u);
  EXPECT_EQ(d.maxmsg, 300u);
  EXPECT_EQ(d.devclass, 160u);
  DeviceInfo byname = mbx.getdvi(caller(kA), names, 0, "C13_NAME");
  EXPECT_EQ(byname.unit, d.unit);
  EXPECT_EQ(mbx.getdvi(caller(kA), names, 0x7770, "").status, ss::kIvchan);
  EXPECT_EQ(mbx.getdvi(caller(kA), names, 0, "MBA999999:").status, ss::kNosuchdev);
}

TEST_F(MailboxState, ForeignChannelIsInvalid) {
  const std::uint16_t c = create(kA);
  EXPECT_EQ(reply_of(read(kB, c, 10, kIoMNow, 1), kB)->status, ss::kIvchan);
  EXPECT_EQ(reply_of(mbx.dassgn(caller(kB), names, c), kB)->status, ss::kIvchan);
  Qio q;
  q.func = 63;
  EXPECT_EQ(reply_of(mbx.qio(caller(kA), c, q), kA)->status, ss::kIlliofunc);
}

TEST_F(MailboxState, TerminationMessage) {
  const std::uint16_t c = create(kA, 0, 84, 200);
  std::uint8_t msg[kTermMsgLen] = {3};
  Effects fx = mbx.write_termination(unit(kA, c), kB, msg);
  EXPECT_TRUE(fx.empty());
  Effects r = read(kA, c, 84, 0, 1);
  EXPECT_EQ(completion_of(r, kA, 1)->count, 84u);
  EXPECT_EQ(completion_of(r, kA, 1)->iosb_pid, kB);
  // A waiting read takes it at once.
  read(kA, c, 84, 0, 2);
  Effects direct = mbx.write_termination(unit(kA, c), kC, msg);
  EXPECT_EQ(completion_of(direct, kA, 2)->iosb_pid, kC);
  // Full: lost.  maxmsg < 84: lost.  Gone: lost.
  mbx.write_termination(unit(kA, c), kB, msg);
  mbx.write_termination(unit(kA, c), kB, msg);  // 168 + 84 > 200
  read(kA, c, 84, 0, 3);
  read(kA, c, 84, 0, 4);
  EXPECT_EQ(completion_of(read(kA, c, 84, kIoMNow, 5), kA, 5)->status, ss::kEndoffile);
  const std::uint16_t small = create(kA, 0, 83);
  mbx.write_termination(unit(kA, small), kB, msg);
  EXPECT_EQ(completion_of(read(kA, small, 84, kIoMNow, 6), kA, 6)->status, ss::kEndoffile);
  EXPECT_TRUE(mbx.write_termination(999999, kB, msg).empty());
}

TEST_F(MailboxState, ProcessGoneRundown) {
  const std::uint16_t c = create(kA, 0, 0, 0, "RUNDOWN_NAME");
  names.process_created(kB, kA);
  const std::uint16_t cb = assign(kB, "RUNDOWN_NAME", kReadonly);
  read(kB, cb, 10, kIoMWritercheck, 1);
  (void)c;
  Effects fx = mbx.process_gone(kA, names);
  EXPECT_EQ(completion_of(fx, kB, 1)->status, ss::kNowriter);
}

TEST_F(MailboxState, ExistingNameOnlyAssigns) {
  const std::uint16_t c = create(kA, 0, 100, 0, "SHARED_NAME");
  Effects fx = mbx.crembx(caller(kA), names, 0, 5000, 0, 0, "SHARED_NAME", 0);
  EXPECT_EQ(reply_of(fx, kA)->status, ss::kNormal);
  const std::uint16_t c2 = reply_of(fx, kA)->chan;
  EXPECT_NE(c2, c);
  EXPECT_EQ(unit(kA, c2), unit(kA, c));
  EXPECT_EQ(mbx.getdvi(caller(kA), names, c2, "").maxmsg, 100u);
  EXPECT_EQ(mbx.getdvi(caller(kA), names, c2, "").refcnt, 2u);
}

}  // namespace
}  // namespace vmssim::mbx
