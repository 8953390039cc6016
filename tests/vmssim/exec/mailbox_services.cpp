// MBX's requests in the executive: mailboxes and logical names (spec 4.3-4.7) served from
// the state machines of mailbox.* and lnm.*, plus the hooks other parts call (termination
// messages, file specs, process lifetimes, boot names).  See ../DESIGN.md, "How to add a
// service".
#include <cstring>
#include <map>
#include <memory>
#include <string>

#include "exec/lnm.hpp"
#include "exec/mailbox.hpp"
#include "exec/mbx_protocol.hpp"
#include "exec/server.hpp"

namespace vmssim::exec {
namespace {

namespace ss = mbx::ss;

// The part's state in the executive (Server::state).
struct MbxState {
  std::unique_ptr<lnm::Lnm> names;
  std::unique_ptr<mbx::Mailboxes> boxes;
  lnm::DeviceTable devices;
  std::map<std::uint32_t, std::uint32_t> job_of;  // pid -> job
  std::map<std::uint32_t, unsigned> job_members;  // job -> live processes
  std::map<std::uint32_t, HeldReply> held;        // writers in resource wait
};

MbxState& state(Server& s) {
  return s.state<MbxState>();
}

mbx::Caller caller_of(Server& s, std::uint32_t pid) {
  MbxState& st = state(s);
  mbx::Caller c;
  c.pid = pid;
  auto j = st.job_of.find(pid);
  c.job = j == st.job_of.end() ? pid : j->second;
  if (Process* p = s.processes().find(pid)) {
    c.privs = p->curpriv;
    c.uic = p->uic;
    c.bytlm = p->quota[3] ? p->quota[3] : pql_defaults()[3];  // PQL$_BYTLM
  }
  return c;
}

std::string take(const std::string& extra, std::size_t* at, std::size_t n) {
  if (*at > extra.size()) return {};
  std::string r = extra.substr(*at, n);
  *at += n;
  return r;
}

// Sends the effects of one operation.  The reply for the request's own caller goes to
// `req`; a reply for another process answers its held request (resource wait).  When the
// caller got no reply, its request is held.
void send_effects(Server& s, const Request* req, const mbx::Effects& fx, const void* body = nullptr,
                  std::size_t body_len = 0) {
  MbxState& st = state(s);
  bool answered = false;
  for (const mbx::Effect& e : fx) {
    switch (e.kind) {
      case mbx::Effect::Kind::kReply: {
        proto::ChanRep rep{e.chan};
        const void* b = body ? body : &rep;
        const std::size_t n = body ? body_len : sizeof rep;
        if (req != nullptr && e.pid == req->caller_pid && !answered) {
          s.reply(*req, e.status, b, n);
          answered = true;
        } else {
          auto h = st.held.find(e.pid);
          if (h != st.held.end()) {
            s.reply_held(h->second, e.status, b, n);
            st.held.erase(h);
          }
        }
        break;
      }
      case mbx::Effect::Kind::kCompletion: {
        proto::Completion c{};
        c.iosb = e.tag[0];
        c.efn = static_cast<std::uint32_t>(e.tag[1]);
        c.ast = e.tag[2];
        c.astprm = static_cast<std::int64_t>(e.tag[3]);
        // IOSB: status word, count word, PID longword (spec 4.4) [V MBU, HOFF].
        const std::uint16_t status = static_cast<std::uint16_t>(e.status);
        const std::uint16_t count = static_cast<std::uint16_t>(e.count);
        std::memcpy(c.iosb_value, &status, 2);
        std::memcpy(c.iosb_value + 2, &count, 2);
        std::memcpy(c.iosb_value + 4, &e.iosb_pid, 4);
        std::vector<Server::Copy> copies;
        if (!e.data.empty() && e.tag[4] != 0) {
          copies.push_back({e.tag[4], std::string(e.data.begin(), e.data.end())});
        }
        s.send_completion(e.pid, c, copies);
        break;
      }
      case mbx::Effect::Kind::kAttention: {
        proto::AttentionMsg m{e.routine, static_cast<std::int64_t>(e.param)};
        s.send_async(e.pid, proto::kAsyncAttention, &m, sizeof m);
        break;
      }
    }
  }
  if (req != nullptr && !answered) st.held[req->caller_pid] = s.hold(*req);
}

void on_crembx(Server& s, const Request& req) {
  auto r = req.as<proto::CrembxReq>();
  MbxState& st = state(s);
  send_effects(s, &req,
               st.boxes->crembx(caller_of(s, req.caller_pid), *st.names, r.prmflg, r.maxmsg,
                                r.bufquo, r.promsk, req.extra<proto::CrembxReq>(), r.flags));
}

void on_delmbx(Server& s, const Request& req) {
  MbxState& st = state(s);
  send_effects(
      s, &req,
      st.boxes->delmbx(caller_of(s, req.caller_pid), *st.names, req.as<proto::ChanReq>().chan));
}

void on_dassgn(Server& s, const Request& req) {
  MbxState& st = state(s);
  send_effects(
      s, &req,
      st.boxes->dassgn(caller_of(s, req.caller_pid), *st.names, req.as<proto::ChanReq>().chan));
}

void on_cancel(Server& s, const Request& req) {
  MbxState& st = state(s);
  send_effects(s, &req,
               st.boxes->cancel(caller_of(s, req.caller_pid), req.as<proto::ChanReq>().chan));
}

void on_assign(Server& s, const Request& req) {
  MbxState& st = state(s);
  auto r = req.as<proto::AssignReq>();
  send_effects(s, &req,
               st.boxes->assign(caller_of(s, req.caller_pid), *st.names,
                                req.extra<proto::AssignReq>(), r.flags));
}

void on_qio(Server& s, const Request& req) {
  MbxState& st = state(s);
  auto r = req.as<proto::QioReq>();
  mbx::Qio q;
  q.func = r.func;
  q.tag = {r.iosb, r.efn, r.ast, static_cast<std::uint64_t>(r.astprm), r.buf};
  const std::string data = req.extra<proto::QioReq>();
  q.data.assign(data.begin(), data.end());
  q.size = r.size;
  q.p1 = r.p1;
  q.p2 = static_cast<std::uint64_t>(r.p2);
  send_effects(s, &req, st.boxes->qio(caller_of(s, req.caller_pid), r.chan, q));
}

void on_getdvi(Server& s, const Request& req) {
  MbxState& st = state(s);
  auto r = req.as<proto::ChanReq>();
  mbx::DeviceInfo d = st.boxes->getdvi(caller_of(s, req.caller_pid), *st.names, r.chan,
                                       req.extra<proto::ChanReq>());
  proto::DviRep rep{};
  rep.unit = d.unit;
  rep.refcnt = d.refcnt;
  rep.devbufsiz = d.maxmsg;
  rep.devclass = d.devclass;
  rep.ownuic = d.owner_uic;
  rep.vprot = d.vprot;
  rep.devnam_len = static_cast<std::uint16_t>(std::min(d.devnam.size(), sizeof rep.devnam));
  std::memcpy(rep.devnam, d.devnam.data(), rep.devnam_len);
  s.reply(req, d.status, &rep, sizeof rep);
}

void on_crelnt(Server& s, const Request& req) {
  MbxState& st = state(s);
  auto r = req.as<proto::CrelntReq>();
  const std::string extra = req.extra<proto::CrelntReq>();
  std::size_t at = 0;
  const std::string tabnam = take(extra, &at, r.tabnam_len);
  const std::string partab = take(extra, &at, r.partab_len);
  std::string resnam;
  const std::uint32_t status =
      st.names->crelnt(caller_of(s, req.caller_pid), r.attr, tabnam, partab, r.quota,
                       static_cast<std::uint8_t>(r.acmode), &resnam);
  proto::CrelntRep rep{};
  rep.resnam_len = static_cast<std::uint16_t>(std::min(resnam.size(), sizeof rep.resnam));
  std::memcpy(rep.resnam, resnam.data(), rep.resnam_len);
  s.reply(req, status, &rep, sizeof rep);
}

void on_crelnm(Server& s, const Request& req) {
  MbxState& st = state(s);
  auto r = req.as<proto::CrelnmReq>();
  const std::string extra = req.extra<proto::CrelnmReq>();
  std::size_t at = 0;
  const std::string tabnam = take(extra, &at, r.tabnam_len);
  const std::string lognam = take(extra, &at, r.lognam_len);
  lnm::Name value;
  value.attributes = r.name_attr;
  for (std::uint32_t i = 0; i < r.neqv && at + sizeof(proto::EqvHeader) <= extra.size(); ++i) {
    proto::EqvHeader h;
    std::memcpy(&h, extra.data() + at, sizeof h);
    at += sizeof h;
    value.eqv.push_back({take(extra, &at, h.len), h.attributes});
  }
  s.reply(req, st.names->crelnm(caller_of(s, req.caller_pid), r.attr, tabnam, lognam,
                                static_cast<std::uint8_t>(r.acmode), value));
}

void on_trnlnm(Server& s, const Request& req) {
  MbxState& st = state(s);
  auto r = req.as<proto::TrnlnmReq>();
  const std::string extra = req.extra<proto::TrnlnmReq>();
  std::size_t at = 0;
  const std::string tabnam = take(extra, &at, r.tabnam_len);
  const std::string lognam = take(extra, &at, r.lognam_len);
  lnm::Translation t =
      st.names->trnlnm(caller_of(s, req.caller_pid), r.attr, tabnam, lognam, r.acmode);
  proto::TrnlnmRep rep{};
  std::string out;
  if (t.status == ss::kNormal) {
    rep.name_attr = t.name.attributes;
    rep.acmode = t.name.acmode;
    rep.neqv = static_cast<std::uint32_t>(t.name.eqv.size());
    rep.table_len = static_cast<std::uint16_t>(t.table.size());
    out = t.table;
    for (const auto& e : t.name.eqv) {
      proto::EqvHeader h{e.attributes, static_cast<std::uint16_t>(e.value.size()), 0};
      out.append(reinterpret_cast<const char*>(&h), sizeof h);
      out += e.value;
    }
  }
  s.reply(req, t.status, &rep, sizeof rep, out.data(), out.size());
}

void on_dellnm(Server& s, const Request& req) {
  MbxState& st = state(s);
  auto r = req.as<proto::DellnmReq>();
  const std::string extra = req.extra<proto::DellnmReq>();
  std::size_t at = 0;
  const std::string tabnam = take(extra, &at, r.tabnam_len);
  const std::string lognam = take(extra, &at, r.lognam_len);
  s.reply(req, st.names->dellnm(caller_of(s, req.caller_pid), tabnam, lognam, r.acmode));
}

}  // namespace

void register_mailbox_services(Server& server) {
  MbxState& st = state(server);
  lnm::Options lo;
  lo.trnlnm_notab = server.variant(proto::kVarTrnlnmNotab);
  st.names = std::make_unique<lnm::Lnm>(lo);
  mbx::Options mo;
  mo.cancel_status = server.variant(proto::kVarCancelStatus);
  mo.overhead = server.variant(proto::kVarMbxOverhead);
  st.boxes = std::make_unique<mbx::Mailboxes>(mo);

  server.add_handler(proto::kCrembx, "$CREMBX", on_crembx);
  server.add_handler(proto::kDelmbx, "$DELMBX", on_delmbx);
  server.add_handler(proto::kAssign, "$ASSIGN", on_assign);
  server.add_handler(proto::kDassgn, "$DASSGN", on_dassgn);
  server.add_handler(proto::kQio, "$QIO", on_qio);
  server.add_handler(proto::kCancel, "$CANCEL", on_cancel);
  server.add_handler(proto::kGetdvi, "$GETDVI", on_getdvi);
  server.add_handler(proto::kCrelnt, "$CRELNT", on_crelnt);
  server.add_handler(proto::kCrelnm, "$CRELNM", on_crelnm);
  server.add_handler(proto::kTrnlnm, "$TRNLNM", on_trnlnm);
  server.add_handler(proto::kDellnm, "$DELLNM", on_dellnm);

  Server* s = &server;
  server.on_boot.push_back([s] {
    // Spec 2.4: the device table, then SYS$SYSTEM and SYS$HELP on SIM$DISK [M; G].
    MbxState& st = state(*s);
    lnm::load_device_table(s->config().root + "/devices", &st.devices);
    if (st.devices.dirs.count("SIM$DISK") == 0)
      st.devices.dirs["SIM$DISK"] = s->config().root + "/disk";
    if (st.devices.dirs.count("DKA0") == 0) st.devices.dirs["DKA0"] = st.devices.dirs["SIM$DISK"];
    mbx::Caller sys;
    sys.privs = mbx::kPrvSysnam | mbx::kPrvSysprv;
    lnm::Name system, help;
    system.eqv.push_back({"SIM$DISK:[SYSTEM]", 0});
    help.eqv.push_back({"SIM$DISK:[HELP]", 0});
    st.names->crelnm(sys, 0, "LNM$SYSTEM", "SYS$SYSTEM", mbx::kExecMode, system);
    st.names->crelnm(sys, 0, "LNM$SYSTEM", "SYS$HELP", mbx::kExecMode, help);
  });
  server.on_process_created.push_back([s](Process& p) {
    MbxState& st = state(*s);
    // A detached process is its own job; a subprocess joins its owner's [V; M].
    std::uint32_t job = p.pid;
    if (!p.detached && p.owner != 0) {
      auto o = st.job_of.find(p.owner);
      job = o == st.job_of.end() ? p.owner : o->second;
    }
    st.job_of[p.pid] = job;
    ++st.job_members[job];
    st.names->process_created(p.pid, job);
    // (PROC) $CREPRC's input, output and error define SYS$INPUT, SYS$OUTPUT and SYS$ERROR,
    // executive mode, in the new process's table (spec 4.1). [V HELP; P GOVAX probe 1]
    mbx::Caller self = caller_of(*s, p.pid);
    self.privs |= mbx::kPrvSysnam;
    const std::pair<const char*, const std::string*> stdio[] = {
        {"SYS$INPUT", &p.input}, {"SYS$OUTPUT", &p.output}, {"SYS$ERROR", &p.error}};
    for (const auto& [lognam, value] : stdio) {
      if (value->empty()) continue;
      lnm::Name name;
      name.eqv.push_back({*value, 0});
      st.names->crelnm(self, 0, "LNM$PROCESS", lognam, mbx::kExecMode, name);
    }
  });
  server.on_process_gone.push_back([s](Process& p) {
    MbxState& st = state(*s);
    st.held.erase(p.pid);
    send_effects(*s, nullptr, st.boxes->process_gone(p.pid, *st.names));
    st.names->process_gone(p.pid);
    auto j = st.job_of.find(p.pid);
    if (j == st.job_of.end()) return;
    const std::uint32_t job = j->second;
    st.job_of.erase(j);
    if (--st.job_members[job] == 0) {
      st.job_members.erase(job);
      st.names->job_gone(job);
    }
  });
  server.write_termination_message = [s](std::uint16_t unit, const std::string& msg,
                                         std::uint32_t sender) {
    if (msg.size() != mbx::kTermMsgLen) return;
    std::uint8_t bytes[mbx::kTermMsgLen];
    std::memcpy(bytes, msg.data(), sizeof bytes);
    MbxState& st = state(*s);
    send_effects(*s, nullptr, st.boxes->write_termination(unit, sender, bytes));
  };
  server.translate_filespec = [s](const std::string& spec, std::uint32_t pid) {
    MbxState& st = state(*s);
    lnm::FileSpec f = lnm::translate_filespec(*st.names, caller_of(*s, pid), st.devices, spec);
    // A mailbox cannot be opened as a file: the LOGINOUT shim pumps it (spec 2.3).
    if (f.status != ss::kNormal || f.kind == lnm::FileSpec::Kind::kMailbox) return std::string();
    return f.path;
  };
}

}  // namespace vmssim::exec
