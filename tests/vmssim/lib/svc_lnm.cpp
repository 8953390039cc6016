// Logical-name services in the client library (spec 4.7): $CRELNT, $CRELNM, $TRNLNM,
// $DELLNM.  Arguments are checked here (spec 5: these take their arguments "by 32- or
// 64-bit reference", so only the descriptors' and item lists' address fields are held to
// the 2 GiB rule), the executive does the rest (exec/lnm.*), and $TRNLNM's items are filled
// here from the whole translation it returns.
#include <lnmdef.h>
#include <psldef.h>
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

constexpr unsigned kMaxEqv = 128;  // LNM$_INDEX 0..127 [V]

// One request's variable bytes.  Static: services never nest (spec 2.1) and must not
// allocate.
struct Packer {
  unsigned char bytes[64 * 1024];
  std::size_t len = 0;
  bool put(const void* p, std::size_t n) {
    if (len + n > sizeof bytes) return false;
    std::memcpy(bytes + len, p, n);
    len += n;
    return true;
  }
};
Packer g_pack;

int read_optional_u32(const unsigned* p, unsigned dflt, unsigned* out) {
  *out = p == nullptr ? dflt : *p;
  return SS$_NORMAL;
}

// Walks an ILE3 list, checking each entry's address fields (spec 5).
template <class Fn>
int each_item(const void* itmlst, Fn fn) {
  if (itmlst == nullptr) return SS$_NORMAL;
  for (const auto* e = static_cast<const ILE3*>(itmlst);; ++e) {
    if (e->ile3$w_length == 0 && e->ile3$w_code == 0) return SS$_NORMAL;
    if (!ile3_ok(*e, true)) return SS$_ACCVIO;
    const int st = fn(*e);
    if (!(st & 1)) return st;
  }
}

void put_word(const ILE3& e, std::size_t n) {
  if (unsigned short* ret = ile3_retlen(e)) *ret = static_cast<unsigned short>(n);  // [C GTM]
}

std::size_t put_bytes(const ILE3& e, const void* p, std::size_t n) {
  n = std::min<std::size_t>(n, e.ile3$w_length);
  std::memcpy(ile3_buf(e), p, n);
  put_word(e, n);
  return n;
}

}  // namespace

int crelnt(unsigned* attr, void* resnam, unsigned* reslen, unsigned* quota, void* tabnam,
           void* partab, unsigned char* acmode) {
  rt::ServiceScope scope;
  std::string_view tab, parent;
  if (tabnam == nullptr) return unimplemented("$CRELNT", "tabnam omitted", 0);
  int st = read_desc(tabnam, false, &tab);
  if (!(st & 1)) return st;
  st = read_desc(partab, false, &parent);
  if (!(st & 1)) return st;
  std::string_view out;
  if (resnam != nullptr) {
    st = read_desc(resnam, false, &out);
    if (!(st & 1)) return st;
  }
  unsigned a = 0, q = 0;
  read_optional_u32(attr, 0, &a);
  read_optional_u32(quota, 0, &q);
  ipc::ensure_registered();
  proto::CrelntReq req{a, q, acmode ? *acmode : static_cast<unsigned>(PSL$C_USER),
                       static_cast<std::uint16_t>(tab.size()),
                       static_cast<std::uint16_t>(parent.size())};
  g_pack.len = 0;
  g_pack.put(tab.data(), tab.size());
  g_pack.put(parent.data(), parent.size());
  ipc::Reply rep = ipc::call(proto::kCrelnt, req, g_pack.bytes, g_pack.len);
  if (rep.status & 1) {
    auto r = rep.as<proto::CrelntRep>();
    const std::size_t n = std::min<std::size_t>(r.resnam_len, out.size());
    if (resnam != nullptr) std::memcpy(const_cast<char*>(out.data()), r.resnam, n);
    if (reslen != nullptr) {
      const unsigned short w = static_cast<unsigned short>(n);
      std::memcpy(reslen, &w, sizeof w);  // a word [V HELP]
    }
  }
  return static_cast<int>(rep.status);
}

int crelnm(unsigned* attr, void* tabnam, void* lognam, unsigned char* acmode, void* itmlst) {
  rt::ServiceScope scope;
  std::string_view tab, name;
  int st = read_desc(tabnam, false, &tab);
  if (!(st & 1)) return st;
  st = read_desc(lognam, false, &name);
  if (!(st & 1)) return st;
  struct Eqv {
    const char* p;
    std::uint16_t len;
    std::uint32_t attr;
  };
  static Eqv eqv[kMaxEqv];
  unsigned neqv = 0, index = 0, next_attr = 0, name_attr = 0;
  st = each_item(itmlst, [&](const ILE3& e) -> int {
    switch (e.ile3$w_code) {
      case LNM$_STRING:
        if (index >= kMaxEqv) return SS$_BADPARAM;
        eqv[index] = {static_cast<const char*>(ile3_buf(e)), e.ile3$w_length, next_attr};
        next_attr = 0;
        neqv = std::max(neqv, index + 1);
        ++index;
        return SS$_NORMAL;
      case LNM$_ATTRIBUTES: {  // of the next equivalence string [V HELP]
        std::uint32_t v = 0;
        std::memcpy(&v, ile3_buf(e), std::min<std::size_t>(sizeof v, e.ile3$w_length));
        next_attr = v & (LNM$M_CONCEALED | LNM$M_TERMINAL);
        return SS$_NORMAL;
      }
      case LNM$_INDEX: {
        std::uint32_t v = 0;
        std::memcpy(&v, ile3_buf(e), std::min<std::size_t>(sizeof v, e.ile3$w_length));
        if (v >= kMaxEqv || v > neqv) return unimplemented("$CRELNM", "sparse LNM$_INDEX", v);
        index = v;
        return SS$_NORMAL;
      }
      default:
        return unimplemented("$CRELNM", "item", e.ile3$w_code);
    }
  });
  if (!(st & 1)) return st;
  if (neqv == 0) return unimplemented("$CRELNM", "no LNM$_STRING", 0);
  unsigned a = 0;
  read_optional_u32(attr, 0, &a);
  name_attr = a & (LNM$M_CONFINE | LNM$M_NO_ALIAS);
  ipc::ensure_registered();
  proto::CrelnmReq req{a,
                       acmode ? *acmode : static_cast<unsigned>(PSL$C_USER),
                       name_attr,
                       static_cast<std::uint16_t>(tab.size()),
                       static_cast<std::uint16_t>(name.size()),
                       neqv};
  g_pack.len = 0;
  bool ok = g_pack.put(tab.data(), tab.size()) && g_pack.put(name.data(), name.size());
  for (unsigned i = 0; ok && i < neqv; ++i) {
    proto::EqvHeader h{eqv[i].attr, eqv[i].len, 0};
    ok = g_pack.put(&h, sizeof h) && g_pack.put(eqv[i].p, eqv[i].len);
  }
  if (!ok) return SS$_IVLOGNAM;
  return static_cast<int>(ipc::call(proto::kCrelnm, req, g_pack.bytes, g_pack.len).status);
}

int trnlnm(unsigned* attr, void* tabnam, void* lognam, unsigned char* acmode, void* itmlst) {
  rt::ServiceScope scope;
  std::string_view tab, name;
  int st = read_desc(tabnam, false, &tab);
  if (!(st & 1)) return st;
  st = read_desc(lognam, false, &name);
  if (!(st & 1)) return st;
  unsigned a = 0;
  read_optional_u32(attr, 0, &a);
  // Check the whole list before anything is written.
  st = each_item(itmlst, [](const ILE3&) { return SS$_NORMAL; });
  if (!(st & 1)) return st;
  ipc::ensure_registered();
  proto::TrnlnmReq req{a, acmode ? static_cast<std::int32_t>(*acmode) : -1,
                       static_cast<std::uint16_t>(tab.size()),
                       static_cast<std::uint16_t>(name.size())};
  g_pack.len = 0;
  g_pack.put(tab.data(), tab.size());
  g_pack.put(name.data(), name.size());
  ipc::Reply rep = ipc::call(proto::kTrnlnm, req, g_pack.bytes, g_pack.len);
  if (!(rep.status & 1)) return static_cast<int>(rep.status);
  const auto r = rep.as<proto::TrnlnmRep>();
  // The reply's variable part: the table's name, then the equivalences.
  const unsigned char* p = rep.body + sizeof r;
  const unsigned char* end = rep.body + rep.len;
  const char* table = reinterpret_cast<const char*>(p);
  p += r.table_len;
  struct Eqv {
    const char* p;
    std::uint16_t len;
    std::uint32_t attr;
  };
  static Eqv eqv[kMaxEqv];
  unsigned neqv = 0;
  for (; neqv < r.neqv && neqv < kMaxEqv && p + sizeof(proto::EqvHeader) <= end; ++neqv) {
    proto::EqvHeader h;
    std::memcpy(&h, p, sizeof h);
    p += sizeof h;
    eqv[neqv] = {reinterpret_cast<const char*>(p), h.len, h.attributes};
    p += h.len;
  }
  unsigned index = 0;
  return each_item(itmlst, [&](const ILE3& e) -> int {
    const bool have = index < neqv;
    switch (e.ile3$w_code) {
      case LNM$_INDEX: {
        std::uint32_t v = 0;
        std::memcpy(&v, ile3_buf(e), std::min<std::size_t>(sizeof v, e.ile3$w_length));
        index = v;
        return SS$_NORMAL;
      }
      case LNM$_STRING:
        if (have) {
          put_bytes(e, eqv[index].p, eqv[index].len);
        } else {
          put_word(e, 0);
        }
        return SS$_NORMAL;
      case LNM$_LENGTH: {
        const std::uint32_t v = have ? eqv[index].len : 0;
        put_bytes(e, &v, sizeof v);
        return SS$_NORMAL;
      }
      case LNM$_ATTRIBUTES: {
        std::uint32_t v = r.name_attr;
        if (have) v |= eqv[index].attr | LNM$M_EXISTS;
        put_bytes(e, &v, sizeof v);
        return SS$_NORMAL;
      }
      case LNM$_MAX_INDEX: {
        // The highest index; -1 when there is no equivalence (spec 4.7).
        const std::int32_t v = static_cast<std::int32_t>(neqv) - 1;
        put_bytes(e, &v, sizeof v);
        return SS$_NORMAL;
      }
      case LNM$_TABLE:
        put_bytes(e, table, r.table_len);
        return SS$_NORMAL;
      case LNM$_ACMODE: {
        const unsigned char v = static_cast<unsigned char>(r.acmode);
        put_bytes(e, &v, sizeof v);
        return SS$_NORMAL;
      }
      default:
        return unimplemented("$TRNLNM", "item", e.ile3$w_code);
    }
  });
}

int dellnm(void* tabnam, void* lognam, unsigned char* acmode) {
  rt::ServiceScope scope;
  std::string_view tab, name;
  int st = read_desc(tabnam, false, &tab);
  if (!(st & 1)) return st;
  if (lognam != nullptr) {
    st = read_desc(lognam, false, &name);
    if (!(st & 1)) return st;
  }
  ipc::ensure_registered();
  proto::DellnmReq req{acmode ? static_cast<std::int32_t>(*acmode) : -1,
                       static_cast<std::uint16_t>(tab.size()),
                       static_cast<std::uint16_t>(name.size())};
  g_pack.len = 0;
  g_pack.put(tab.data(), tab.size());
  g_pack.put(name.data(), name.size());
  return static_cast<int>(ipc::call(proto::kDellnm, req, g_pack.bytes, g_pack.len).status);
}

}  // namespace vmssim::svc

extern "C" {

int sys$crelnt(unsigned int* attr, void* resnam, unsigned int* reslen, unsigned int* quota,
               unsigned short int*, void* tabnam, void* partab, unsigned char* acmode) {
  return vmssim::svc::crelnt(attr, resnam, reslen, quota, tabnam, partab, acmode);
}

int sys$crelnm(unsigned int* attr, void* tabnam, void* lognam, unsigned char* acmode,
               void* itmlst) {
  return vmssim::svc::crelnm(attr, tabnam, lognam, acmode, itmlst);
}

int sys$trnlnm(unsigned int* attr, void* tabnam, void* lognam, unsigned char* acmode,
               void* itmlst) {
  return vmssim::svc::trnlnm(attr, tabnam, lognam, acmode, itmlst);
}

int sys$dellnm(void* tabnam, void* lognam, unsigned char* acmode) {
  return vmssim::svc::dellnm(tabnam, lognam, acmode);
}

}  // extern "C"
