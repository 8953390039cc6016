// Conformance tests of the mailbox services, checklist items 1-13 (spec 4.3-4.5).  Each
// runs as a process of its own simulated system (`vmssim --`).
#include <gtest/gtest.h>
#include <jpidef.h>
#include <prvdef.h>

#include <atomic>
#include <chrono>

#include "mbxsvc_util.hpp"

using namespace mbxsvc;

namespace {

std::atomic<int> g_ast_count{0};
std::atomic<long long> g_ast_param{0};
void count_ast(long long param) {
  g_ast_param.store(param);
  g_ast_count.fetch_add(1);
}

template <class F>
void* routine(F* f) {
  return reinterpret_cast<void*>(f);
}

int arm(unsigned short chan, unsigned kind, long long param, void* ast = routine(&count_ast)) {
  auto* iosb = low<IOSB>();
  return sys$qiow(EFN$C_ENF, chan, IO$_SETMODE | kind, iosb, nullptr, 0, ast, param, 0, 0, 0, 0);
}

// Deassigns what a test left assigned (its BYTLM comes back).
class VmssimMailbox : public ::testing::Test {
 protected:
  void TearDown() override { release_all(); }
};

}  // namespace

// checklist 1: a NOW write made before any reader has assigned a channel is returned whole
// by the first read, with the writer's PID in the IOSB.
TEST_F(VmssimMailbox, Checklist01NowWriteBeforeReader) {
  unsigned short wchan = 0;
  ASSERT_EQ(crembx(&wchan, 0, 0, 0, "", CMB$M_WRITEONLY), SS$_NORMAL);
  const std::string dev = mba(unit_of(wchan));
  const std::string text = "a message longer than fifteen bytes, written with IO$M_NOW";
  Peer peer = start_peer("assign " + dev + " wo\nwrite " + std::string("first_message_of_item_1") +
                         " now\npid\nexit\n");
  ASSERT_EQ(peer.status, SS$_NORMAL);
  auto w = fields(peer.line("write "));
  ASSERT_EQ(w.size(), 5u);
  EXPECT_EQ(w[1], "1");         // $QIOW status
  EXPECT_EQ(w[2], "1");         // IOSB NORMAL at once (NOW)
  EXPECT_EQ(w[4], "00000000");  // queued: no reader's PID
  unsigned short rchan = 0;
  ASSERT_EQ(assign(dev, &rchan, CMB$M_READONLY), SS$_NORMAL);
  Io r = qread(rchan, 512);
  EXPECT_EQ(r.status, SS$_NORMAL);
  EXPECT_EQ(r.iosb_status, SS$_NORMAL);
  EXPECT_EQ(r.data, "first_message_of_item_1");
  EXPECT_EQ(r.pid, peer.pid);
  (void)text;
}

// checklist 2: FIFO, one message per read; a short read gets BUFFEROVF and p2 bytes, and the
// next read gets the next message.
TEST_F(VmssimMailbox, Checklist02FifoAndShortRead) {
  unsigned short chan = 0;
  ASSERT_EQ(crembx(&chan), SS$_NORMAL);
  ASSERT_EQ(qwrite(chan, "the first message, rather long").iosb_status, SS$_NORMAL);
  ASSERT_EQ(qwrite(chan, "the second message").iosb_status, SS$_NORMAL);
  ASSERT_EQ(qwrite(chan, "third").iosb_status, SS$_NORMAL);
  Io r1 = qread(chan, 9);
  EXPECT_EQ(r1.iosb_status, SS$_BUFFEROVF);
  EXPECT_EQ(r1.count, 9u);
  EXPECT_EQ(r1.data, "the first");
  Io r2 = qread(chan);
  EXPECT_EQ(r2.iosb_status, SS$_NORMAL);
  EXPECT_EQ(r2.data, "the second message");
  EXPECT_EQ(r2.pid, self_pid());
  EXPECT_EQ(qread(chan).data, "third");
}

// checklist 3: a write longer than maxmsg gets MBTOOSML and queues nothing.
TEST_F(VmssimMailbox, Checklist03WriteOverMaxmsg) {
  unsigned short chan = 0;
  ASSERT_EQ(crembx(&chan, 0, 16, 200), SS$_NORMAL);
  Io w = qwrite(chan, "seventeen bytes!!");
  EXPECT_EQ(w.status, SS$_MBTOOSML);
  EXPECT_EQ(qread(chan, 64, IO$M_NOW).iosb_status, SS$_ENDOFFILE);
  EXPECT_EQ(qwrite(chan, "sixteen bytes!!!").status, SS$_NORMAL);
}

// checklist 4: a write without NOW completes only when read, and carries the reader's PID.
TEST_F(VmssimMailbox, Checklist04WaitingWriteGetsReaderPid) {
  unsigned short chan = 0;
  ASSERT_EQ(crembx(&chan), SS$_NORMAL);
  const std::string go = env("VMSSIM_ROOT") + "/" + unique("go4");
  Peer peer =
      start_peer("assign " + mba(unit_of(chan)) + "\nwaitfile " + go + "\nread 100\nexit\n");
  ASSERT_EQ(peer.status, SS$_NORMAL);
  auto* buf = static_cast<char*>(_malloc32(32));
  std::strcpy(buf, "waits for its reader");
  auto* iosb = low<IOSB>();
  ASSERT_EQ(sys$qio(EFN$C_ENF, chan, IO$_WRITEVBLK, iosb, nullptr, 0, buf, 20, 0, 0, 0, 0),
            SS$_NORMAL);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(iosb->iosb$w_status, 0u) << "completed before any read";
  std::ofstream(go) << "go";
  ASSERT_TRUE(wait_until([&] { return iosb_status(iosb) != 0; }));
  EXPECT_EQ(iosb->iosb$w_status, SS$_NORMAL);
  EXPECT_EQ(iosb->iosb$w_bcnt, 20u);
  EXPECT_EQ(iosb->iosb$l_pid, peer.pid);
  auto r = fields(peer.line("read "));
  ASSERT_GE(r.size(), 5u);
  EXPECT_EQ(r[4], [] {
    char b[16];
    std::snprintf(b, sizeof b, "%08X", self_pid());
    return std::string(b);
  }());
}

namespace {
std::atomic<long long> g_timer_ran_at{0};  // steady_clock ticks
void timer_ast(long long) {
  g_timer_ran_at.store(std::chrono::steady_clock::now().time_since_epoch().count());
}
}  // namespace

// checklist 5: full mailbox: NORSWAIT gets MBFULL; without it $QIO blocks, taking no ASTs,
// until room is freed.
TEST_F(VmssimMailbox, Checklist05FullMailbox) {
  unsigned short chan = 0;
  // Room for exactly two 20-byte messages, with the mbx_overhead variant's charge each.
  const unsigned overhead = variant("mbx_overhead", 0);
  ASSERT_EQ(crembx(&chan, 0, 64, 40 + 2 * overhead), SS$_NORMAL);
  ASSERT_EQ(qwrite(chan, "twenty bytes, twenty").status, SS$_NORMAL);
  ASSERT_EQ(qwrite(chan, "twenty more bytes!!!").status, SS$_NORMAL);
  Io full = qwrite(chan, "no room", IO$M_NOW | IO$M_NORSWAIT);
  EXPECT_EQ(full.status, SS$_MBFULL);
  // A peer frees room after a while; meanwhile a timer AST comes due.
  Peer peer = start_peer("assign " + mba(unit_of(chan)) + "\nsleepms 1500\nread 100\nexit\n");
  ASSERT_EQ(peer.status, SS$_NORMAL);
  auto* delta = low<long long>();
  *delta = -2000000;  // 200 ms
  ASSERT_EQ(sys$setimr(EFN$C_ENF, reinterpret_cast<struct _generic_64*>(delta),
                       reinterpret_cast<void (*)(...)>(&timer_ast), 5, 0),
            SS$_NORMAL);
  const auto t0 = std::chrono::steady_clock::now();
  Io waited = qwrite(chan, "waits for room", IO$M_NOW);
  const auto waited_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  EXPECT_EQ(waited.status, SS$_NORMAL);
  EXPECT_GE(waited_ms, 1000) << "the write did not wait for room";
  ASSERT_TRUE(wait_until([] { return g_timer_ran_at.load() != 0; }));
  // The timer came due at 200 ms, during the wait; its AST ran only after room was freed.
  const auto ast_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::duration(g_timer_ran_at.load()) - t0.time_since_epoch())
          .count();
  EXPECT_GE(ast_ms, 1000) << "an AST ran during the resource wait";
  EXPECT_EQ(fields(peer.line("read "))[5], "twenty");
}

// checklist 6: a NOW read of an empty mailbox gets ENDOFFILE with count 0; a read that
// reaches a WRITEOF gets ENDOFFILE and the writer's PID.
TEST_F(VmssimMailbox, Checklist06EndOfFile) {
  unsigned short chan = 0;
  ASSERT_EQ(crembx(&chan), SS$_NORMAL);
  Io empty = qread(chan, 100, IO$M_NOW);
  EXPECT_EQ(empty.status, SS$_NORMAL);
  EXPECT_EQ(empty.iosb_status, SS$_ENDOFFILE);
  EXPECT_EQ(empty.count, 0u);
  auto* iosb = low<IOSB>();
  ASSERT_EQ(
      sys$qiow(EFN$C_ENF, chan, IO$_WRITEOF | IO$M_NOW, iosb, nullptr, 0, nullptr, 0, 0, 0, 0, 0),
      SS$_NORMAL);
  EXPECT_EQ(iosb->iosb$w_status, SS$_NORMAL);
  Io eof = qread(chan);
  EXPECT_EQ(eof.iosb_status, SS$_ENDOFFILE);
  EXPECT_EQ(eof.count, 0u);
  EXPECT_EQ(eof.pid, self_pid());
}

// checklist 7: READERCHECK with no reader gets NOREADER.  WRITERCHECK with no writer gets
// NOWRITER on a read-only channel; on a read/write channel it is ignored.
TEST_F(VmssimMailbox, Checklist07ReaderWriterCheck) {
  unsigned short wo = 0;
  ASSERT_EQ(crembx(&wo, 0, 0, 0, "", CMB$M_WRITEONLY), SS$_NORMAL);
  Io nr = qwrite(wo, "nobody reads", IO$M_NOW | IO$M_READERCHECK);
  EXPECT_EQ(nr.status, SS$_NORMAL);
  EXPECT_EQ(nr.iosb_status, SS$_NOREADER);
  unsigned short ro = 0;
  ASSERT_EQ(assign(mba(unit_of(wo)), &ro, CMB$M_READONLY), SS$_NORMAL);
  ASSERT_EQ(sys$dassgn(wo), SS$_NORMAL);  // the mailbox stays: ro is left
  Io nw = qread(ro, 100, IO$M_WRITERCHECK);
  EXPECT_EQ(nw.iosb_status, SS$_NOWRITER);
  unsigned short rw = 0;
  ASSERT_EQ(assign(mba(unit_of(ro)), &rw), SS$_NORMAL);
  auto* buf = static_cast<char*>(_malloc32(100));
  auto* iosb = low<IOSB>();
  ASSERT_EQ(sys$qio(EFN$C_ENF, rw, IO$_READVBLK | IO$M_WRITERCHECK, iosb, nullptr, 0, buf, 100, 0,
                    0, 0, 0),
            SS$_NORMAL);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(iosb->iosb$w_status, 0u) << "WRITERCHECK was not ignored on a read/write channel";
  ASSERT_EQ(qwrite(rw, "now it ends").status, SS$_NORMAL);
  ASSERT_TRUE(wait_until([&] { return iosb_status(iosb) != 0; }));
  EXPECT_EQ(iosb->iosb$w_status, SS$_NORMAL);
}

// checklist 8: WRTATTN fires once per arming (at once if a message is queued), in each
// arming process, with p1 and p2.  READATTN fires on an empty read, ROOM_NOTIFY on freed
// room.
TEST_F(VmssimMailbox, Checklist08AttentionAsts) {
  unsigned short chan = 0;
  ASSERT_EQ(crembx(&chan), SS$_NORMAL);
  Peer peer = start_peer("assign " + mba(unit_of(chan)) + "\narm 77\nwaitast\nexit\n");
  ASSERT_EQ(peer.status, SS$_NORMAL);
  ASSERT_EQ(peer.line("arm "), "arm 1");
  g_ast_count = 0;
  ASSERT_EQ(arm(chan, IO$M_WRTATTN, 0x1234), SS$_NORMAL);
  EXPECT_EQ(g_ast_count.load(), 0);
  ASSERT_EQ(qwrite(chan, "wakes both").status, SS$_NORMAL);
  ASSERT_TRUE(wait_until([] { return g_ast_count.load() == 1; }));
  EXPECT_EQ(g_ast_param.load(), 0x1234);
  EXPECT_EQ(peer.line("ast "), "ast 77");
  // Once per arming.
  ASSERT_EQ(qwrite(chan, "no ast").status, SS$_NORMAL);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(g_ast_count.load(), 1);
  // Armed with messages queued: at once.
  ASSERT_EQ(arm(chan, IO$M_WRTATTN, 0x55), SS$_NORMAL);
  ASSERT_TRUE(wait_until([] { return g_ast_count.load() == 2; }));
  EXPECT_EQ(g_ast_param.load(), 0x55);
  // ROOM_NOTIFY when a read frees room.
  ASSERT_EQ(arm(chan, IO$M_MB_ROOM_NOTIFY, 0x66), SS$_NORMAL);
  ASSERT_EQ(qread(chan).data, "wakes both");
  ASSERT_TRUE(wait_until([] { return g_ast_count.load() == 3; }));
  EXPECT_EQ(g_ast_param.load(), 0x66);
  ASSERT_EQ(qread(chan).data, "no ast");
  // READATTN when a read arrives at an empty mailbox.
  ASSERT_EQ(arm(chan, IO$M_READATTN, 0x77), SS$_NORMAL);
  auto* buf = static_cast<char*>(_malloc32(100));
  auto* iosb = low<IOSB>();
  ASSERT_EQ(sys$qio(EFN$C_ENF, chan, IO$_READVBLK, iosb, nullptr, 0, buf, 100, 0, 0, 0, 0),
            SS$_NORMAL);
  ASSERT_TRUE(wait_until([] { return g_ast_count.load() == 4; }));
  EXPECT_EQ(g_ast_param.load(), 0x77);
  ASSERT_EQ(sys$cancel(chan), SS$_NORMAL);
}

namespace {
std::atomic<long long> g_read_ast{0};
void read_done(long long p) {
  g_read_ast.store(p);
}
}  // namespace

// checklist 9: $CANCEL ends a waiting read with ABORT, setting its flag and queuing its AST.
// A later message goes to the next read.
TEST_F(VmssimMailbox, Checklist09CancelWaitingRead) {
  unsigned short chan = 0;
  ASSERT_EQ(crembx(&chan), SS$_NORMAL);
  auto* buf = static_cast<char*>(_malloc32(100));
  std::memset(buf, 0, 100);
  auto* iosb = low<IOSB>();
  ASSERT_EQ(sys$setef(5) & 1, 1);
  ASSERT_EQ(sys$qio(5, chan, IO$_READVBLK, iosb, reinterpret_cast<void (*)(...)>(&read_done), 99,
                    buf, 100, 0, 0, 0, 0),
            SS$_NORMAL);
  auto* state = low<unsigned>();
  ASSERT_EQ(sys$readef(5, state), SS$_WASCLR);
  ASSERT_EQ(sys$cancel(chan), SS$_NORMAL);
  ASSERT_TRUE(wait_until([] { return g_read_ast.load() == 99; }));
  // ABORT by default; the cancel_status variant may make it CANCEL (spec 2.5, 4.5).
  EXPECT_EQ(iosb->iosb$w_status, variant("cancel_status", SS$_ABORT));
  EXPECT_EQ(sys$readef(5, state), SS$_WASSET);
  ASSERT_EQ(qwrite(chan, "after the cancel").status, SS$_NORMAL);
  EXPECT_EQ(buf[0], 0) << "a cancelled buffer received data";
  EXPECT_EQ(qread(chan).data, "after the cancel");
}

// checklist 10: when the last channel to a temporary mailbox is deassigned, the mailbox and
// its name go, and MBAn: gets NOSUCHDEV.
TEST_F(VmssimMailbox, Checklist10TemporaryGoes) {
  const std::string name = unique("MBX_ITEM10_TEMPORARY");
  unsigned short c1 = 0, c2 = 0;
  ASSERT_EQ(crembx(&c1, 0, 0, 0, name), SS$_NORMAL);
  const unsigned unit = unit_of(c1);
  ASSERT_EQ(assign(name, &c2), SS$_NORMAL);
  EXPECT_EQ(unit_of(c2), unit);
  unsigned refcnt = 0;
  ASSERT_EQ(dvi_long(c1, DVI$_REFCNT, &refcnt), SS$_NORMAL);
  EXPECT_EQ(refcnt, 2u);
  ASSERT_EQ(sys$dassgn(c1), SS$_NORMAL);
  unsigned short c3 = 0;
  ASSERT_EQ(assign(mba(unit), &c3), SS$_NORMAL);
  ASSERT_EQ(sys$dassgn(c2), SS$_NORMAL);
  ASSERT_EQ(sys$dassgn(c3), SS$_NORMAL);
  EXPECT_EQ(assign(mba(unit), &c3), SS$_NOSUCHDEV);
  EXPECT_EQ(assign(name, &c3), SS$_NOSUCHDEV);
  EXPECT_EQ(sys$dassgn(c1), SS$_IVCHAN);
}

// checklist 11: after the creator of a permanent mailbox exits, the mailbox, its name and
// its messages stay until $DELMBX and the last deassign; $CREMBX with that name reaches the
// same unit and the old messages, in order.
TEST_F(VmssimMailbox, Checklist11PermanentOutlivesCreator) {
  const std::string name = unique("MBX_ITEM11_PERMANENT");
  Peer peer = start_peer("crembx " + name + " 128 2000\nwrite message_one now\n" +
                         "write message_two now\nexit\n");
  ASSERT_EQ(peer.status, SS$_NORMAL);
  auto c = fields(peer.line("crembx "));
  ASSERT_EQ(c.size(), 3u);
  ASSERT_EQ(c[1], "1");
  const unsigned unit = static_cast<unsigned>(std::stoul(c[2]));
  ASSERT_EQ(fields(peer.line("write ")).at(1), "1");
  ASSERT_TRUE(wait_gone(peer.pid));  // the creator is gone
  unsigned short chan = 0;
  ASSERT_EQ(crembx(&chan, 1, 0, 0, name), SS$_NORMAL);
  EXPECT_EQ(unit_of(chan), unit);
  Io one = qread(chan);
  EXPECT_EQ(one.data, "message_one");
  EXPECT_EQ(one.pid, peer.pid);
  ASSERT_EQ(sys$delmbx(chan), SS$_NORMAL);
  unsigned short other = 0;
  ASSERT_EQ(assign(mba(unit), &other), SS$_NORMAL);  // still there: channels remain
  EXPECT_EQ(qread(chan).data, "message_two");
  ASSERT_EQ(sys$dassgn(chan), SS$_NORMAL);
  ASSERT_EQ(sys$dassgn(other), SS$_NORMAL);
  EXPECT_EQ(assign(mba(unit), &other), SS$_NOSUCHDEV);
  EXPECT_EQ(assign(name, &other), SS$_NOSUCHDEV);
}

// checklist 12: without PRMMBX, a permanent $CREMBX and $DELMBX get NOPRIV.  A temporary
// bufquo beyond the BYTLM left is refused.
TEST_F(VmssimMailbox, Checklist12PrivilegesAndQuota) {
  unsigned short perm = 0;
  ASSERT_EQ(crembx(&perm, 1), SS$_NORMAL);
  auto* mask = low<unsigned long long>();
  *mask = PRV$M_PRMMBX;
  ASSERT_EQ(sys$setprv(0, reinterpret_cast<struct _generic_64*>(mask), 0, nullptr) & 1, 1);
  unsigned short chan = 0;
  EXPECT_EQ(crembx(&chan, 1), SS$_NOPRIV);
  EXPECT_EQ(sys$delmbx(perm), SS$_NOPRIV);
  ASSERT_EQ(sys$setprv(1, reinterpret_cast<struct _generic_64*>(mask), 0, nullptr) & 1, 1);
  EXPECT_EQ(sys$delmbx(perm), SS$_NORMAL);
  // BYTLM.
  auto* items = low<ILE3>(2);
  auto* bytlm = low<unsigned>();
  auto* iosb = low<IOSB>();
  items[0].ile3$w_length = 4;
  items[0].ile3$w_code = JPI$_BYTLM;
  items[0].ile3$ps_bufaddr = bytlm;
  ASSERT_EQ(sys$getjpiw(EFN$C_ENF, nullptr, nullptr, items, iosb, nullptr, 0), SS$_NORMAL);
  ASSERT_GT(*bytlm, 100u);
  const unsigned half = *bytlm / 2 + 1;
  ASSERT_EQ(crembx(&chan, 0, 64, half), SS$_NORMAL);
  unsigned short second = 0;
  EXPECT_EQ(crembx(&second, 0, 64, half), SS$_EXQUOTA);
  ASSERT_EQ(sys$dassgn(chan), SS$_NORMAL);  // the charge comes back
  EXPECT_EQ(crembx(&second, 0, 64, half), SS$_NORMAL);
  // Without TMPMBX, a temporary one gets NOPRIV.
  *mask = PRV$M_TMPMBX;
  ASSERT_EQ(sys$setprv(0, reinterpret_cast<struct _generic_64*>(mask), 0, nullptr) & 1, 1);
  EXPECT_EQ(crembx(&chan), SS$_NOPRIV);
  ASSERT_EQ(sys$setprv(1, reinterpret_cast<struct _generic_64*>(mask), 0, nullptr) & 1, 1);
}

// checklist 13: $GETDVIW DVI$_UNIT gives n for MBAn; the IOSB longword holds NORMAL.
TEST_F(VmssimMailbox, Checklist13GetdviUnit) {
  unsigned short chan = 0;
  ASSERT_EQ(crembx(&chan, 0, 300), SS$_NORMAL);
  auto* items = low<ILE3>(4);
  auto* unit = low<unsigned>();
  auto* name = static_cast<char*>(_malloc32(64));
  auto* namelen = low<unsigned short>();
  auto* bufsiz = low<unsigned>();
  auto* iosb = low<IOSB>();
  std::memset(iosb, 0xFF, sizeof *iosb);
  items[0].ile3$w_length = 4;
  items[0].ile3$w_code = DVI$_UNIT;
  items[0].ile3$ps_bufaddr = unit;
  items[1].ile3$w_length = 64;
  items[1].ile3$w_code = DVI$_DEVNAM;
  items[1].ile3$ps_bufaddr = name;
  items[1].ile3$ps_retlen_addr = namelen;
  items[2].ile3$w_length = 4;
  items[2].ile3$w_code = DVI$_DEVBUFSIZ;
  items[2].ile3$ps_bufaddr = bufsiz;
  ASSERT_EQ(sys$getdviw(EFN$C_ENF, chan, nullptr, items, iosb, nullptr, 0, nullptr), SS$_NORMAL);
  EXPECT_EQ(iosb->iosb$l_getxxi_status, static_cast<unsigned>(SS$_NORMAL));
  EXPECT_EQ(std::string(name, *namelen), "_MBA" + std::to_string(*unit) + ":");
  EXPECT_EQ(*bufsiz, 300u);
  unsigned devclass = 0;
  ASSERT_EQ(dvi_long(chan, DVI$_DEVCLASS, &devclass), SS$_NORMAL);
  EXPECT_EQ(devclass, 160u);
  unsigned by_name = 0;
  ASSERT_EQ(dvi_long(0, DVI$_UNIT, &by_name, mba(*unit)), SS$_NORMAL);
  EXPECT_EQ(by_name, *unit);
  // A descriptor whose text is a heap address (above 2 GiB) is refused (spec 5).
  auto* heap_items = low<ILE3>(2);
  heap_items[0].ile3$w_length = 4;
  heap_items[0].ile3$w_code = DVI$_UNIT;
  unsigned* heap = new unsigned(0);
  heap_items[0].ile3$ps_bufaddr = heap;
  EXPECT_EQ(sys$getdviw(EFN$C_ENF, chan, nullptr, heap_items, iosb, nullptr, 0, nullptr),
            SS$_ACCVIO);
  delete heap;
}
