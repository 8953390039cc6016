// Mailboxes: see mailbox.hpp.  Sources: spec 4.3-4.5 with their tags.
#include "exec/mailbox.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

namespace vmssim::mbx {
namespace {

Effect reply(std::uint32_t pid, std::uint32_t status, std::uint16_t chan = 0) {
  Effect e;
  e.kind = Effect::Kind::kReply;
  e.pid = pid;
  e.status = status;
  e.chan = chan;
  return e;
}

Effect completion(std::uint32_t pid, const Tag& tag, std::uint32_t status, std::uint32_t count,
                  std::uint32_t iosb_pid) {
  Effect e;
  e.kind = Effect::Kind::kCompletion;
  e.pid = pid;
  e.tag = tag;
  e.status = status;
  e.count = count;
  e.iosb_pid = iosb_pid;
  return e;
}

std::string unit_name(std::uint32_t unit) {
  return "MBA" + std::to_string(unit) + ":";
}

bool is_read(std::uint32_t f) {
  return f == kIoReadvblk || f == kIoReadlblk || f == kIoReadpblk;
}
bool is_write(std::uint32_t f) {
  return f == kIoWritevblk || f == kIoWritelblk || f == kIoWritepblk;
}

// A Caller that may delete a mailbox's name in any shared table.
Caller system_caller() {
  Caller c;
  c.privs = kPrvSysnam | kPrvSysprv;
  return c;
}

}  // namespace

bool parse_mailbox_name(std::string_view dev, std::uint32_t* unit) {
  if (dev.size() < 4 || dev.substr(0, 3) != "MBA" || dev.size() > 13) return false;
  std::uint64_t n = 0;
  for (char c : dev.substr(3)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (n > 0xFFFFFFFFu) return false;
  *unit = static_cast<std::uint32_t>(n);
  return true;
}

Mailboxes::Mailboxes(Options options) : options_(options) {}

Mailboxes::Channel* Mailboxes::channel(std::uint32_t pid, std::uint16_t chan) {
  return const_cast<Channel*>(static_cast<const Mailboxes*>(this)->channel(pid, chan));
}

const Mailboxes::Channel* Mailboxes::channel(std::uint32_t pid, std::uint16_t chan) const {
  auto p = channels_.find(pid);
  if (p == channels_.end()) return nullptr;
  auto c = p->second.find(chan);
  return c == p->second.end() ? nullptr : &c->second;
}

std::uint16_t Mailboxes::open_channel(std::uint32_t pid, Mailbox& box, std::uint32_t flags) {
  auto& mine = channels_[pid];
  if (mine.size() >= options_.max_channels) return 0;
  // Sparse, non-zero words (spec 2.2): multiples of 16 from 32, the lowest free [G].
  std::uint16_t chan = 32;
  while (mine.count(chan) != 0) chan = static_cast<std::uint16_t>(chan + 16);
  mine[chan] = Channel{box.unit, flags};
  ++box.refcnt;
  if ((flags & kWriteonly) == 0) ++box.readers;
  if ((flags & kReadonly) == 0) ++box.writers;
  return chan;
}

std::uint32_t Mailboxes::cost(std::size_t bytes) const {
  return static_cast<std::uint32_t>(bytes) + options_.overhead;  // variant mbx_overhead [M]
}
std::uint32_t Mailboxes::cost(const Message& m) const {
  return cost(m.data.size());
}

bool Mailboxes::fits(const Mailbox& box, std::size_t bytes) const {
  // Full when the queued bytes plus this message exceed bufquo (spec 4.4).  An empty
  // mailbox takes any message up to maxmsg, so that a small bufquo cannot block forever [G].
  return box.queue.empty() || box.queued_bytes + cost(bytes) <= box.bufquo;
}

std::uint32_t Mailboxes::bytes_charged(std::uint32_t pid) const {
  auto it = charged_.find(pid);
  return it == charged_.end() ? 0 : it->second;
}

void Mailboxes::fire(Mailbox& box, std::uint32_t kind, Effects* out) {
  // Each arming fires once, in the process that armed it [V IOREF73 4.3.4; C CSWS, GTM].
  auto& arms = box.arms;
  for (auto it = arms.begin(); it != arms.end();) {
    if (it->kind == kind) {
      Effect e;
      e.kind = Effect::Kind::kAttention;
      e.pid = it->pid;
      e.routine = it->routine;
      e.param = it->param;
      out->push_back(std::move(e));
      it = arms.erase(it);
    } else {
      ++it;
    }
  }
}

Effects Mailboxes::crembx(const Caller& who, lnm::Lnm& names, std::uint32_t prmflg,
                          std::uint32_t maxmsg, std::uint32_t bufquo, std::uint32_t promsk,
                          std::string_view lognam, std::uint32_t flags) {
  Effects out;
  if (prmflg > 1 || maxmsg > 65535 || (flags & ~(kReadonly | kWriteonly)) != 0 ||
      flags == (kReadonly | kWriteonly)) {
    out.push_back(reply(who.pid, ss::kBadparam));  // [M]
    return out;
  }
  const bool permanent = prmflg == 1;
  // PRMMBX / TMPMBX, and SYSNAM for a name in the system table [V HELP, SECGUIDE].
  const std::uint64_t need =
      permanent ? (kPrvPrmmbx | (lognam.empty() ? 0 : kPrvSysnam)) : kPrvTmpmbx;
  if ((who.privs & need) != need) {
    out.push_back(reply(who.pid, ss::kNopriv));
    return out;
  }
  if (lognam.size() > lnm::kNameLength) {
    out.push_back(reply(who.pid, ss::kIvlognam));
    return out;
  }
  const char* alias = permanent ? "LNM$PERMANENT_MAILBOX" : "LNM$TEMPORARY_MAILBOX";
  if (!lognam.empty()) {
    // A lognam that names a mailbox only assigns a channel to it, ignoring the new sizes
    // [V HELP; M for the status and sizes].
    lnm::Translation t = names.trnlnm(who, 0, alias, lognam, -1);
    std::uint32_t unit = 0;
    if (t.status == ss::kNormal && !t.name.eqv.empty()) {
      std::string dev = t.name.eqv[0].value;
      if (!dev.empty() && dev[0] == '_') dev.erase(0, 1);
      if (!dev.empty() && dev.back() == ':') dev.pop_back();
      auto box = boxes_.end();
      if (parse_mailbox_name(dev, &unit)) box = boxes_.find(unit);
      if (box != boxes_.end()) {
        const std::uint16_t chan = open_channel(who.pid, box->second, flags);
        out.push_back(reply(who.pid, chan ? ss::kNormal : ss::kNoiochan, chan));
        return out;
      }
    }
  }
  if (maxmsg == 0) maxmsg = options_.default_maxmsg;  // 0 means the default [V]
  if (bufquo == 0) bufquo = options_.default_bufquo;
  if (!permanent && bytes_charged(who.pid) + bufquo > who.bytlm) {
    out.push_back(reply(who.pid, ss::kExquota));  // BYTLM [V rule; M status]
    return out;
  }
  if (channels_[who.pid].size() >= options_.max_channels) {
    out.push_back(reply(who.pid, ss::kNoiochan));
    return out;
  }
  Mailbox box;
  box.unit = next_unit_;
  box.permanent = permanent;
  box.maxmsg = maxmsg;
  box.bufquo = bufquo;
  box.promsk = promsk;
  box.creator = who.pid;
  box.owner_uic = who.uic;
  if (!lognam.empty()) {
    lnm::Name value;
    value.eqv.push_back({unit_name(box.unit), 0});
    const std::uint32_t st = names.crelnm(who, 0, alias, lognam, kUserMode, value);
    if ((st & 1) == 0) {
      out.push_back(reply(who.pid, st));
      return out;
    }
    box.lognam = std::string(lognam);
    box.table = names.trnlnm(who, 0, alias, lognam, -1).table;
  }
  ++next_unit_;
  if (!permanent) {
    box.charged = bufquo;
    charged_[who.pid] += bufquo;
  }
  Mailbox& stored = boxes_.emplace(box.unit, std::move(box)).first->second;
  const std::uint16_t chan = open_channel(who.pid, stored, flags);
  out.push_back(reply(who.pid, ss::kNormal, chan));
  return out;
}

Effects Mailboxes::delmbx(const Caller& who, lnm::Lnm& names, std::uint16_t chan) {
  Effects out;
  const Channel* c = channel(who.pid, chan);
  if (c == nullptr) {
    out.push_back(reply(who.pid, ss::kIvchan));
    return out;
  }
  if ((who.privs & kPrvPrmmbx) == 0) {  // [V HELP]
    out.push_back(reply(who.pid, ss::kNopriv));
    return out;
  }
  Mailbox& box = boxes_.at(c->unit);
  // Marks a permanent mailbox; it goes once no channel is left.  On a temporary one it does
  // nothing [V HELP; M].
  if (box.permanent) {
    box.delete_pending = true;
    maybe_delete(box, names);
  }
  out.push_back(reply(who.pid, ss::kNormal));
  return out;
}

Effects Mailboxes::assign(const Caller& who, const lnm::Lnm& names, std::string_view devnam,
                          std::uint32_t flags) {
  Effects out;
  if (devnam.empty() || devnam.size() > lnm::kNameLength ||
      (flags & ~(kReadonly | kWriteonly)) != 0) {
    out.push_back(reply(who.pid, devnam.empty() ? ss::kIvdevnam : ss::kBadparam));
    return out;
  }
  // devnam is translated iteratively (spec 4.3) [M].
  const std::string dev = lnm::translate_device(names, who, devnam);
  if (dev.empty() || std::any_of(dev.begin(), dev.end(), [](char ch) {
        return !(std::isalnum(static_cast<unsigned char>(ch)) || ch == '$' || ch == '_');
      })) {
    out.push_back(reply(who.pid, ss::kIvdevnam));
    return out;
  }
  std::uint32_t unit = 0;
  auto box = boxes_.end();
  if (parse_mailbox_name(dev, &unit)) box = boxes_.find(unit);
  if (box == boxes_.end()) {
    // Only mailboxes are devices here [G].
    out.push_back(reply(who.pid, ss::kNosuchdev));
    return out;
  }
  const std::uint16_t chan = open_channel(who.pid, box->second, flags);
  out.push_back(reply(who.pid, chan ? ss::kNormal : ss::kNoiochan, chan));
  return out;
}

void Mailboxes::cancel_channel(Mailbox& box, std::uint32_t pid, std::uint16_t chan, Effects* out) {
  // Every pending request completes: cancel_status, ABORT by default [V HELP; C MBU, CSWS;
  // T GOVAX uses CANCEL].  A later message goes to the next read, never here.
  const std::uint32_t status = options_.cancel_status;
  for (auto it = box.reads.begin(); it != box.reads.end();) {
    if (it->pid == pid && it->chan == chan) {
      out->push_back(completion(pid, it->tag, status, 0, 0));
      it = box.reads.erase(it);
    } else {
      ++it;
    }
  }
  bool freed = false;
  for (auto it = box.queue.begin(); it != box.queue.end();) {
    // A write waiting for its reader is withdrawn with its message [M].
    if (it->waiting && it->writer == pid && it->writer_chan == chan) {
      out->push_back(completion(pid, it->writer_tag, status, 0, 0));
      box.queued_bytes -= cost(*it);
      it = box.queue.erase(it);
      freed = true;
    } else {
      ++it;
    }
  }
  box.arms.erase(std::remove_if(box.arms.begin(), box.arms.end(),
                                [&](const Arm& a) { return a.pid == pid && a.chan == chan; }),
                 box.arms.end());
  if (freed) unblock(box, out);
}

Effects Mailboxes::cancel(const Caller& who, std::uint16_t chan) {
  Effects out;
  const Channel* c = channel(who.pid, chan);
  if (c == nullptr) {
    out.push_back(reply(who.pid, ss::kIvchan));
    return out;
  }
  cancel_channel(boxes_.at(c->unit), who.pid, chan, &out);
  out.push_back(reply(who.pid, ss::kNormal));
  return out;
}

void Mailboxes::maybe_delete(Mailbox& box, lnm::Lnm& names) {
  if (box.refcnt != 0 || (box.permanent && !box.delete_pending)) return;
  // A temporary mailbox goes with its last channel; a permanent one after $DELMBX and its
  // last channel.  Its name and messages go with it [V SECGUIDE, HELP].
  if (!box.lognam.empty()) names.dellnm(system_caller(), box.table, box.lognam, kUserMode);
  if (box.charged != 0) {
    auto it = charged_.find(box.creator);
    if (it != charged_.end()) it->second -= std::min(it->second, box.charged);
  }
  boxes_.erase(box.unit);
}

void Mailboxes::close_channel(std::uint32_t pid, std::uint16_t chan, lnm::Lnm& names,
                              Effects* out) {
  auto& mine = channels_[pid];
  const Channel c = mine.at(chan);
  Mailbox& box = boxes_.at(c.unit);
  cancel_channel(box, pid, chan, out);
  mine.erase(chan);
  --box.refcnt;
  if ((c.flags & kWriteonly) == 0) --box.readers;
  if ((c.flags & kReadonly) == 0) --box.writers;
  if (box.writers == 0) {
    // Reads with WRITERCHECK end when the last writer goes [V IOREF84].
    for (auto it = box.reads.begin(); it != box.reads.end();) {
      if (it->writercheck) {
        out->push_back(completion(it->pid, it->tag, ss::kNowriter, 0, 0));
        it = box.reads.erase(it);
      } else {
        ++it;
      }
    }
  }
  maybe_delete(box, names);
}

Effects Mailboxes::dassgn(const Caller& who, lnm::Lnm& names, std::uint16_t chan) {
  Effects out;
  if (channel(who.pid, chan) == nullptr) {
    out.push_back(reply(who.pid, ss::kIvchan));
    return out;
  }
  close_channel(who.pid, chan, names, &out);
  out.push_back(reply(who.pid, ss::kNormal));
  return out;
}

Effect Mailboxes::read_completion(const Read& r, const std::vector<std::uint8_t>& data, bool eof,
                                  std::uint32_t writer) {
  Effect e = completion(r.pid, r.tag, ss::kNormal, 0, writer);
  if (eof) {
    e.status = ss::kEndoffile;  // count 0, the writer's PID [C GTM, VSIPY38; T GOVAX]
  } else if (data.size() > r.size) {
    // A short read gets p2 bytes and BUFFEROVF; the rest is lost [V IOREF84].
    e.status = ss::kBufferovf;
    e.count = r.size;
    e.data.assign(data.begin(), data.begin() + r.size);
  } else {
    e.count = static_cast<std::uint32_t>(data.size());
    e.data = data;
  }
  return e;
}

void Mailboxes::take(Mailbox& box, const Read& r, Effects* out) {
  Message m = std::move(box.queue.front());
  box.queue.pop_front();
  box.queued_bytes -= cost(m);
  out->push_back(read_completion(r, m.data, m.eof, m.writer));
  if (m.waiting) {
    // The write completes now, with the reader's PID [T GOVAX; M].
    out->push_back(completion(m.writer, m.writer_tag, ss::kNormal,
                              static_cast<std::uint32_t>(m.data.size()), r.pid));
  }
  fire(box, kIoMRoomNotify, out);
  unblock(box, out);
}

void Mailboxes::unblock(Mailbox& box, Effects* out) {
  // Writers in resource wait go on, oldest first, while their messages fit [V IOREF84].
  while (!box.blocked.empty() &&
         (!box.reads.empty() || fits(box, box.blocked.front().data.size()))) {
    Blocked w = std::move(box.blocked.front());
    box.blocked.pop_front();
    deliver(box, std::move(w), false, out);
  }
}

void Mailboxes::deliver(Mailbox& box, Blocked&& w, bool termination, Effects* out) {
  const std::uint32_t fcode = w.func & kIoFcodeMask;
  const bool now = termination || (w.func & kIoMNow) != 0;
  const bool eof = fcode == kIoWriteof;
  const auto count = static_cast<std::uint32_t>(w.data.size());
  if (!box.reads.empty()) {
    // A waiting read takes the message at once; both complete [V IOREF84; T GOVAX].
    Read r = box.reads.front();
    box.reads.pop_front();
    out->push_back(read_completion(r, w.data, eof, w.pid));
    if (!termination) {
      out->push_back(completion(w.pid, w.tag, ss::kNormal, count, r.pid));
      out->push_back(reply(w.pid, ss::kNormal));
    }
    return;
  }
  if (!fits(box, w.data.size())) {
    if (termination) return;  // lost silently [T GOVAX quoting the manual]
    if (w.func & kIoMNorswait) {
      out->push_back(reply(w.pid, ss::kMbfull));  // nothing queued [V IOREF84]
      return;
    }
    // Resource wait: $QIO does not return until a read makes room; NOW alone does not
    // prevent it [V IOREF84, GTMDOC; T GOVAX].
    box.blocked.push_back(std::move(w));
    return;
  }
  Message m;
  m.data = std::move(w.data);
  m.eof = eof;
  m.writer = w.pid;
  m.waiting = !now;
  m.writer_chan = w.chan;
  m.writer_tag = w.tag;
  box.queued_bytes += cost(m);
  box.queue.push_back(std::move(m));
  if (!termination) {
    // With NOW the write completes at once, PID 0 as nothing read it [T GOVAX].
    if (now) out->push_back(completion(w.pid, w.tag, ss::kNormal, count, 0));
    out->push_back(reply(w.pid, ss::kNormal));
  }
  fire(box, kIoMWrtattn, out);  // a message with no read waiting [V IOREF73]
}

Effects Mailboxes::qio(const Caller& who, std::uint16_t chan, const Qio& q) {
  Effects out;
  const Channel* c = channel(who.pid, chan);
  if (c == nullptr) {
    out.push_back(reply(who.pid, ss::kIvchan));
    return out;
  }
  const std::uint32_t flags = c->flags;
  Mailbox& box = boxes_.at(c->unit);
  const std::uint32_t fcode = q.func & kIoFcodeMask;
  if (is_read(fcode)) {
    if (flags & kWriteonly) {
      out.push_back(reply(who.pid, ss::kNopriv));  // access [V IOREF84; M]
      return out;
    }
    Read r{who.pid, chan, q.tag, q.size, false};
    if (!box.queue.empty()) {
      take(box, r, &out);
    } else if (q.func & kIoMNow) {
      // An empty mailbox: ENDOFFILE at once, count 0 [T GOVAX].
      out.push_back(completion(who.pid, q.tag, ss::kEndoffile, 0, 0));
    } else if ((q.func & kIoMWritercheck) && (flags & kReadonly) && box.writers == 0) {
      // No writer: NOWRITER; ignored on a read/write channel, itself a writer [V IOREF84].
      out.push_back(completion(who.pid, q.tag, ss::kNowriter, 0, 0));
    } else {
      r.writercheck = (q.func & kIoMWritercheck) && (flags & kReadonly);
      box.reads.push_back(r);
      fire(box, kIoMReadattn, &out);  // a read at an empty mailbox [V IOREF73]
      unblock(box, &out);
    }
    out.push_back(reply(who.pid, ss::kNormal));
    return out;
  }
  if (is_write(fcode) || fcode == kIoWriteof) {
    if (flags & kReadonly) {
      out.push_back(reply(who.pid, ss::kNopriv));
      return out;
    }
    const std::size_t size = fcode == kIoWriteof ? 0 : q.data.size();
    if (size > box.maxmsg) {
      out.push_back(reply(who.pid, ss::kMbtoosml));  // nothing queued [V IOREF84]
      return out;
    }
    if ((q.func & kIoMReadercheck) && box.readers == 0) {
      out.push_back(completion(who.pid, q.tag, ss::kNoreader, 0, 0));  // [M, by symmetry]
      out.push_back(reply(who.pid, ss::kNormal));
      return out;
    }
    Blocked w{who.pid, chan, q.func, q.tag, {}};
    if (fcode != kIoWriteof) w.data = q.data;
    deliver(box, std::move(w), false, &out);
    return out;
  }
  if (fcode == kIoSetmode) {
    const std::uint32_t kinds[] = {kIoMWrtattn, kIoMReadattn, kIoMRoomNotify};
    const std::uint32_t mods = q.func & ~kIoFcodeMask;
    if (mods == 0 || (mods & ~(kIoMWrtattn | kIoMReadattn | kIoMRoomNotify)) != 0) {
      out.push_back(reply(who.pid, ss::kBadparam));  // UNIMPLEMENTED (protection etc.)
      return out;
    }
    for (std::uint32_t kind : kinds) {
      if ((mods & kind) == 0) continue;
      box.arms.erase(std::remove_if(box.arms.begin(), box.arms.end(),
                                    [&](const Arm& a) {
                                      return a.pid == who.pid && a.chan == chan && a.kind == kind;
                                    }),
                     box.arms.end());
      if (q.p1 == 0) continue;  // p1 = 0 disarms [V IOREF73]
      box.arms.push_back(Arm{who.pid, chan, kind, q.p1, q.p2});
      // Due at once when its event has happened: a queued message for WRTATTN, a waiting
      // read for READATTN [V IOREF73; T GOVAX].
      if ((kind == kIoMWrtattn && !box.queue.empty()) ||
          (kind == kIoMReadattn && !box.reads.empty())) {
        fire(box, kind, &out);
      }
    }
    out.push_back(completion(who.pid, q.tag, ss::kNormal, 0, 0));
    out.push_back(reply(who.pid, ss::kNormal));
    return out;
  }
  if (fcode == kIoSensemode) {
    // The count is the number of messages, the second longword their bytes [T GOVAX].
    std::uint32_t bytes = 0;
    for (const auto& m : box.queue) bytes += static_cast<std::uint32_t>(m.data.size());
    out.push_back(completion(who.pid, q.tag, ss::kNormal,
                             static_cast<std::uint32_t>(box.queue.size()), bytes));
    out.push_back(reply(who.pid, ss::kNormal));
    return out;
  }
  out.push_back(reply(who.pid, ss::kIlliofunc));
  return out;
}

DeviceInfo Mailboxes::getdvi(const Caller& who, const lnm::Lnm& names, std::uint16_t chan,
                             std::string_view devnam) const {
  DeviceInfo d;
  std::uint32_t unit = 0;
  if (chan != 0) {
    const Channel* c = channel(who.pid, chan);
    if (c == nullptr) {
      d.status = ss::kIvchan;
      return d;
    }
    unit = c->unit;
  } else {
    const std::string dev = lnm::translate_device(names, who, devnam);
    if (dev.empty()) {
      d.status = ss::kIvdevnam;
      return d;
    }
    if (!parse_mailbox_name(dev, &unit) || boxes_.count(unit) == 0) {
      d.status = ss::kNosuchdev;
      return d;
    }
  }
  const Mailbox& box = boxes_.at(unit);
  d.status = ss::kNormal;
  d.unit = unit;
  d.devnam = "_" + unit_name(unit);
  d.fulldevnam = d.devnam;
  d.refcnt = box.refcnt;
  d.maxmsg = box.maxmsg;
  d.owner_uic = box.owner_uic;
  d.vprot = box.promsk;
  return d;
}

Effects Mailboxes::process_gone(std::uint32_t pid, lnm::Lnm& names) {
  Effects out;
  for (auto& [unit, box] : boxes_) {
    (void)unit;
    box.blocked.erase(std::remove_if(box.blocked.begin(), box.blocked.end(),
                                     [&](const Blocked& b) { return b.pid == pid; }),
                      box.blocked.end());
  }
  auto mine = channels_.find(pid);
  if (mine != channels_.end()) {
    std::vector<std::uint16_t> chans;
    for (const auto& [chan, c] : mine->second) {
      (void)c;
      chans.push_back(chan);
    }
    for (std::uint16_t chan : chans) close_channel(pid, chan, names, &out);
    channels_.erase(pid);
  }
  // Nothing more reaches the dead process.
  out.erase(std::remove_if(out.begin(), out.end(), [&](const Effect& e) { return e.pid == pid; }),
            out.end());
  return out;
}

Effects Mailboxes::write_termination(std::uint32_t unit, std::uint32_t pid,
                                     const std::uint8_t (&msg)[kTermMsgLen]) {
  Effects out;
  auto it = boxes_.find(unit);
  // Lost silently if the unit is gone or maxmsg < 84 (and when full: deliver) [T GOVAX].
  if (it == boxes_.end() || it->second.maxmsg < kTermMsgLen) return out;
  Blocked w{pid, 0, kIoWritevblk | kIoMNow, {}, std::vector<std::uint8_t>(msg, msg + kTermMsgLen)};
  deliver(it->second, std::move(w), true, &out);
  return out;
}

}  // namespace vmssim::mbx
