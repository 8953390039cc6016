// Mailbox services in the client library (spec 4.3-4.5): $CREMBX, $DELMBX, $ASSIGN,
// $DASSGN, $QIO/$QIOW, $CANCEL, $GETDVI/$GETDVIW.  Each checks its arguments here (spec 5,
// 3.7, 3.8), then asks the executive (exec/mailbox_services.cpp); I/O completions come back
// through the receiver thread and rt::complete(), attention ASTs through rt::queue_ast().
#include <cmbdef.h>
#include <dvidef.h>
#include <efndef.h>
#include <iodef.h>
#include <iosbdef.h>
#include <ssdef.h>
#include <starlet.h>

#include <algorithm>
#include <cstring>

#include "../exec/mbx_protocol.hpp"
#include "ipc.hpp"
#include "kernel.hpp"
#include "svc_mbx_common.hpp"

namespace vmssim::svc {
namespace {

// The logical- and physical-block forms act as the virtual ones on a mailbox [V IOREF84].
constexpr unsigned kIoWritepblk = 11;
constexpr unsigned kIoReadpblk = 12;
constexpr unsigned kIoWritelblk = 32;
constexpr unsigned kIoReadlblk = 33;

// [receiver thread] An attention AST: an AST no request counted (spec 4.4).
void on_attention(const proto::Header&, const std::uint8_t* body, std::size_t len) {
  auto m = proto::body_as<proto::AttentionMsg>(body, len);
  rt::queue_ast(reinterpret_cast<rt::AstRoutine>(m.routine), m.param);
}

// [main] Registers with the executive and installs the attention handler (idempotent).
void connect() {
  static bool installed = false;
  ipc::ensure_registered();
  if (!installed) {
    ipc::set_async_handler(proto::kAsyncAttention, &on_attention);
    installed = true;
  }
}

int chan_request(std::uint32_t type, unsigned short chan) {
  rt::ServiceScope scope;
  connect();
  proto::ChanReq req{chan};
  return static_cast<int>(ipc::call(type, req).status);
}

bool valid_flags(unsigned flags) {
  return flags == 0 || flags == CMB$M_READONLY || flags == CMB$M_WRITEONLY;
}

}  // namespace

int crembx(char prmflg, unsigned short* chan, unsigned maxmsg, unsigned bufquo, unsigned promsk,
           unsigned acmode, void* lognam, unsigned flags) {
  rt::ServiceScope scope;
  if (!rt::addr32_ok(chan, sizeof *chan)) return SS$_ACCVIO;
  std::string_view name;
  if (lognam != nullptr) {
    const int st = read_desc(lognam, true, &name);
    if (!(st & 1)) return st;
  }
  // Other flag values are refused loudly (spec 1.4).
  if (!valid_flags(flags)) return unimplemented("$CREMBX", "flags", flags);
  connect();
  proto::CrembxReq req{static_cast<std::uint32_t>(static_cast<unsigned char>(prmflg)),
                       maxmsg,
                       bufquo,
                       promsk,
                       acmode,
                       flags};
  ipc::Reply rep = ipc::call(proto::kCrembx, req, name.data(), name.size());
  if (rep.status & 1) *chan = rep.as<proto::ChanRep>().chan;
  return static_cast<int>(rep.status);
}

int assign(void* devnam, unsigned short* chan, unsigned acmode, void* mbxnam, unsigned flags) {
  rt::ServiceScope scope;
  if (!rt::addr32_ok(chan, sizeof *chan)) return SS$_ACCVIO;
  std::string_view dev;
  const int st = read_desc(devnam, true, &dev);
  if (!(st & 1)) return st;
  if (mbxnam != nullptr) return unimplemented("$ASSIGN", "mbxnam", 1);
  if (!valid_flags(flags)) return unimplemented("$ASSIGN", "flags", flags);
  connect();
  proto::AssignReq req{acmode, flags};
  ipc::Reply rep = ipc::call(proto::kAssign, req, dev.data(), dev.size());
  if (rep.status & 1) *chan = rep.as<proto::ChanRep>().chan;
  return static_cast<int>(rep.status);
}

int qio(unsigned efn, unsigned short chan, unsigned func, struct _iosb* iosb,
        void (*astadr)(__unknown_params), __int64 astprm, void* p1, __int64 p2) {
  rt::ServiceScope scope;
  const int efn_status = check_efn(efn);
  if (!(efn_status & 1)) return efn_status;
  if (iosb != nullptr && !rt::addr32_ok(iosb, sizeof *iosb)) return SS$_ACCVIO;
  const unsigned fcode = func & IO$M_FCODE;
  const bool is_write = fcode == IO$_WRITEVBLK || fcode == kIoWritelblk || fcode == kIoWritepblk;
  const bool is_read = fcode == IO$_READVBLK || fcode == kIoReadlblk || fcode == kIoReadpblk;
  // p1 may be a 64-bit address (spec 5): only its presence is checked.
  if ((is_write || is_read) && p2 != 0 && p1 == nullptr) return SS$_ACCVIO;
  if ((is_write || is_read) && (p2 < 0 || p2 > 65535)) return SS$_BADPARAM;
  if (astadr != nullptr && !rt::astlm_take()) return SS$_EXQUOTA;  // spec 3.1
  connect();
  // Spec 3.8: the flag is cleared and the IOSB zeroed (zero means pending).
  if (efn != EFN$C_ENF) rt::clear_flag(efn);
  if (iosb != nullptr) std::memset(static_cast<void*>(iosb), 0, sizeof *iosb);
  proto::QioReq req{};
  req.func = func;
  req.chan = chan;
  req.size = is_read ? static_cast<std::uint32_t>(p2) : 0;
  req.efn = efn;
  req.iosb = reinterpret_cast<std::uintptr_t>(iosb);
  req.ast = reinterpret_cast<std::uintptr_t>(astadr);
  req.astprm = astprm;
  req.buf = is_read ? reinterpret_cast<std::uintptr_t>(p1) : 0;
  req.p1 = reinterpret_cast<std::uintptr_t>(p1);
  req.p2 = p2;
  ipc::Reply rep = is_write ? ipc::call(proto::kQio, req, p1, static_cast<std::size_t>(p2))
                            : ipc::call(proto::kQio, req);
  // A refused request queues no AST (spec 3.8): its ASTLM unit comes back.
  if (!(rep.status & 1) && astadr != nullptr) rt::astlm_give();
  return static_cast<int>(rep.status);
}

// $GETDVI items of a mailbox (spec 4.3); others are refused loudly.
int fill_dvi_items(const void* itmlst, const proto::DviRep& d) {
  const auto* e = static_cast<const ILE3*>(itmlst);
  for (;; ++e) {
    if (!rt::addr32_ok(e, sizeof(std::uint32_t))) return SS$_ACCVIO;
    if (e->ile3$w_length == 0 && e->ile3$w_code == 0) break;
    if (!rt::addr32_ok(e, sizeof *e) || !ile3_ok(*e, true)) return SS$_ACCVIO;
  }
  for (e = static_cast<const ILE3*>(itmlst); e->ile3$w_length != 0 || e->ile3$w_code != 0; ++e) {
    std::uint32_t value = 0;
    const char* text = nullptr;
    std::size_t text_len = 0;
    switch (e->ile3$w_code) {
      case DVI$_UNIT:
        value = d.unit;
        break;
      case DVI$_REFCNT:
        value = d.refcnt;
        break;
      case DVI$_DEVBUFSIZ:
        value = d.devbufsiz;
        break;
      case DVI$_DEVCLASS:
        value = d.devclass;
        break;
      case DVI$_DEVNAM:
      case DVI$_FULLDEVNAM:
        text = d.devnam;
        text_len = d.devnam_len;
        break;
      default:
        return unimplemented("$GETDVI", "item", e->ile3$w_code);
    }
    void* buf = ile3_buf(*e);
    std::size_t n;
    if (text != nullptr) {
      n = std::min<std::size_t>(text_len, e->ile3$w_length);
      std::memcpy(buf, text, n);
    } else {
      n = std::min<std::size_t>(sizeof value, e->ile3$w_length);
      std::memcpy(buf, &value, n);
    }
    if (unsigned short* ret = ile3_retlen(*e)) *ret = static_cast<unsigned short>(n);
  }
  return SS$_NORMAL;
}

int getdvi(unsigned efn, unsigned short chan, void* devnam, void* itmlst, struct _iosb* iosb,
           void (*astadr)(__unknown_params), __int64 astprm) {
  rt::ServiceScope scope;
  const int efn_status = check_efn(efn);
  if (!(efn_status & 1)) return efn_status;
  if (iosb != nullptr && !rt::addr32_ok(iosb, sizeof *iosb)) return SS$_ACCVIO;
  if (itmlst == nullptr || !rt::addr32_ok(itmlst, sizeof(std::uint32_t))) return SS$_ACCVIO;
  std::string_view dev;
  if (chan == 0) {
    const int st = read_desc(devnam, true, &dev);
    if (!(st & 1)) return st;
  }
  if (astadr != nullptr && !rt::astlm_take()) return SS$_EXQUOTA;
  connect();
  if (efn != EFN$C_ENF) rt::clear_flag(efn);
  if (iosb != nullptr) std::memset(static_cast<void*>(iosb), 0, sizeof *iosb);
  proto::ChanReq req{chan};
  ipc::Reply rep = ipc::call(proto::kGetdvi, req, dev.data(), dev.size());
  int status = static_cast<int>(rep.status);
  if (status & 1) status = fill_dvi_items(itmlst, rep.as<proto::DviRep>());
  if (!(status & 1)) {
    if (astadr != nullptr) rt::astlm_give();
    return status;
  }
  // The status goes in the IOSB's first longword (spec 4.3) [C CSWS; VSIPY].
  unsigned char value[8] = {};
  const std::uint32_t normal = SS$_NORMAL;
  std::memcpy(value, &normal, sizeof normal);
  rt::complete(iosb, value, efn, reinterpret_cast<rt::AstRoutine>(astadr), astprm);
  return SS$_NORMAL;
}

}  // namespace vmssim::svc

using namespace vmssim;

extern "C" {

int sys$crembx(char prmflg, unsigned short int* chan, unsigned int maxmsg, unsigned int bufquo,
               unsigned int promsk, unsigned int acmode, void* lognam, unsigned int flags,
               unsigned int /*nullarg*/) {
  return svc::crembx(prmflg, chan, maxmsg, bufquo, promsk, acmode, lognam, flags);
}

int sys$delmbx(unsigned short int chan) {
  return svc::chan_request(proto::kDelmbx, chan);
}

int sys$assign(void* devnam, unsigned short int* chan, unsigned int acmode, void* mbxnam,
               unsigned int flags) {
  return svc::assign(devnam, chan, acmode, mbxnam, flags);
}

int sys$dassgn(unsigned short int chan) {
  return svc::chan_request(proto::kDassgn, chan);
}

int sys$cancel(unsigned short int chan) {
  return svc::chan_request(proto::kCancel, chan);
}

int sys$qio(unsigned int efn, unsigned short int chan, unsigned int func, struct _iosb* iosb,
            void (*astadr)(__unknown_params), __int64 astprm, void* p1, __int64 p2, __int64,
            __int64, __int64, __int64) {
  return svc::qio(efn, chan, func, iosb, astadr, astprm, p1, p2);
}

int sys$qiow(unsigned int efn, unsigned short int chan, unsigned int func, struct _iosb* iosb,
             void (*astadr)(__unknown_params), __int64 astprm, void* p1, __int64 p2, __int64 p3,
             __int64 p4, __int64 p5, __int64 p6) {
  // $QIOW is $QIO plus $SYNCH (spec 3.9); without an IOSB it waits on one of its own.
  struct _iosb own {};
  struct _iosb* wait_on = iosb != nullptr ? iosb : &own;
  int status = sys$qio(efn, chan, func, wait_on, astadr, astprm, p1, p2, p3, p4, p5, p6);
  if (status & 1) status = sys$synch(efn, wait_on);
  return status;
}

int sys$getdvi(unsigned int efn, unsigned short int chan, void* devnam, void* itmlst,
               struct _iosb* iosb, void (*astadr)(__unknown_params), __int64 astprm,
               struct _generic_64*) {
  return svc::getdvi(efn, chan, devnam, itmlst, iosb, astadr, astprm);
}

int sys$getdviw(unsigned int efn, unsigned short int chan, void* devnam, void* itmlst,
                struct _iosb* iosb, void (*astadr)(__unknown_params), __int64 astprm,
                struct _generic_64* nullarg) {
  struct _iosb own {};
  struct _iosb* wait_on = iosb != nullptr ? iosb : &own;
  int status = sys$getdvi(efn, chan, devnam, itmlst, wait_on, astadr, astprm, nullarg);
  if (status & 1) status = sys$synch(efn, wait_on);
  return status;
}

}  // extern "C"
