#include "platform/vms/vms_sys.hpp"

#include <cstdio>
#include <cstring>

namespace sup::vms {
namespace {

// The difference between the VMS epoch (17-Nov-1858) and the Unix epoch, in 100 ns.
constexpr std::uint64_t kUnixEpoch = 0x007C95674BEB4000ull;
constexpr std::uint64_t kTicksPerSecond = 10'000'000ull;

// $GETMSG flags: text, identification, severity, facility (%FAC-S-IDENT, text).
constexpr unsigned kAllMessageParts = 0x0F;

std::string hex8(std::uint32_t value) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08X", value);
  return buf;
}

// One ILE3 entry.  Buffer and return-length addresses must be 32-bit: callers pass
// stack storage only.
void item(ILE3& e, unsigned short code, void* buf, unsigned short len, unsigned short* retlen) {
  e.ile3$w_length = len;
  e.ile3$w_code = code;
  e.ile3$ps_bufaddr = buf;
  e.ile3$ps_retlen_addr = retlen;
}

void end_list(ILE3& e) {
  std::memset(&e, 0, sizeof e);
}

std::string trimmed(const char* buf, unsigned short len) {
  std::string s(buf, len);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

// $GETJPIW with the backend's items, into stack buffers.  `pidadr` is a PID, 0 (this
// process), or a $PROCESS_SCAN / wildcard context, which the service updates.
std::uint32_t getjpi(std::uint32_t* pidadr, ProcessInfo& out) {
  unsigned int pid = 0, uic = 0, owner = 0, tmbu = 0;
  char name[16] = {}, user[13] = {};
  GENERIC_64 login{};
  unsigned short name_len = 0, user_len = 0;
  ILE3 items[8];
  item(items[0], JPI$_PID, &pid, sizeof pid, nullptr);
  item(items[1], JPI$_PRCNAM, name, 15, &name_len);
  item(items[2], JPI$_LOGINTIM, &login, sizeof login, nullptr);
  item(items[3], JPI$_UIC, &uic, sizeof uic, nullptr);
  item(items[4], JPI$_OWNER, &owner, sizeof owner, nullptr);
  item(items[5], JPI$_TMBU, &tmbu, sizeof tmbu, nullptr);
  item(items[6], JPI$_USERNAME, user, 12, &user_len);
  end_list(items[7]);
  IOSB iosb{};
  unsigned int* ctx = reinterpret_cast<unsigned int*>(pidadr);
  std::uint32_t status =
      sys$getjpiw(EFN$C_ENF, pidadr && *pidadr ? ctx : nullptr, nullptr, items, &iosb, nullptr, 0);
  if (ok(status)) status = iosb.iosb$l_getxxi_status;
  if (!ok(status)) return status;
  out.pid = pid;
  out.name.assign(name, name_len);
  out.login = login.gen64$q_quadword;
  out.uic = uic;
  out.owner = owner;
  out.tmbu = tmbu;
  out.username = trimmed(user, user_len);
  return status;
}

}  // namespace

std::string message_text(std::uint32_t status) {
  char buf[256];
  struct dsc$descriptor_s d;
  d.dsc$w_length = sizeof buf - 1;
  d.dsc$b_dtype = DSC$K_DTYPE_T;
  d.dsc$b_class = DSC$K_CLASS_S;
  d.dsc$a_pointer = buf;
  unsigned short len = 0;
  unsigned char out[4] = {};
  const unsigned s = sys$getmsg(status, &len, &d, kAllMessageParts, out);
  if (!ok(s) || len == 0) return "%X" + hex8(status);
  return std::string(buf, len);
}

std::string failure(const std::string& what, std::uint32_t status) {
  return what + ": " + message_text(status);
}

Text32::Text32(const std::string& text) {
  desc_.dsc$b_dtype = DSC$K_DTYPE_T;
  desc_.dsc$b_class = DSC$K_CLASS_S;
  desc_.dsc$a_pointer = buf_;
  if (text.size() > kCapacity) {
    fits_ = false;
    desc_.dsc$w_length = 0;
    buf_[0] = '\0';
    return;
  }
  text.copy(buf_, text.size());
  buf_[text.size()] = '\0';
  desc_.dsc$w_length = static_cast<unsigned short>(text.size());
}

void Text32::as_output(Text32& t) {
  t.desc_.dsc$w_length = kCapacity;
}

std::uint32_t process_info(std::uint32_t pid, ProcessInfo& out) {
  std::uint32_t p = pid;
  return getjpi(&p, out);
}

std::uint32_t next_process(std::uint32_t& context, ProcessInfo& out) {
  std::uint32_t c = context;  // a stack copy: the service writes it back
  const std::uint32_t status = getjpi(&c, out);
  context = c;
  return status;
}

std::uint32_t device_info(unsigned short channel, DeviceInfo& out) {
  unsigned int unit = 0, owner = 0, vprot = 0, devclass = 0;
  char name[65] = {};
  unsigned short name_len = 0;
  ILE3 items[6];
  item(items[0], DVI$_UNIT, &unit, sizeof unit, nullptr);
  item(items[1], DVI$_DEVNAM, name, 64, &name_len);
  item(items[2], DVI$_OWNUIC, &owner, sizeof owner, nullptr);
  item(items[3], DVI$_VPROT, &vprot, sizeof vprot, nullptr);
  item(items[4], DVI$_DEVCLASS, &devclass, sizeof devclass, nullptr);
  end_list(items[5]);
  IOSB iosb{};
  std::uint32_t status =
      sys$getdviw(EFN$C_ENF, channel, nullptr, items, &iosb, nullptr, 0, nullptr);
  if (ok(status)) status = iosb.iosb$l_getxxi_status;
  if (!ok(status)) return status;
  out.unit = unit;
  out.name.assign(name, name_len);
  out.owner = owner;
  out.vprot = vprot;
  out.devclass = devclass;
  return status;
}

std::string format_uic(std::uint32_t uic) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "[%o,%o]", uic >> 16, uic & 0xFFFFu);
  return buf;
}

std::string format_pid(std::uint32_t pid) {
  return hex8(pid);
}

std::int64_t unix_seconds(std::uint64_t vms_time) {
  if (vms_time < kUnixEpoch) return 0;
  return static_cast<std::int64_t>((vms_time - kUnixEpoch) / kTicksPerSecond);
}

std::string make_identity(std::uint64_t login, const std::string& process_name) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llX", static_cast<unsigned long long>(login));
  return std::string(buf) + "/" + process_name;
}

std::uint32_t assign(const std::string& device, unsigned short& channel) {
  Text32 dev(device);
  if (!dev.fits()) return SS$_IVDEVNAM;
  unsigned short chan = 0;
  const std::uint32_t status = sys$assign(dev.get(), &chan, 0, nullptr, 0);
  if (ok(status)) channel = chan;
  return status;
}

void deassign(unsigned short channel) {
  if (channel != 0) (void)sys$dassgn(channel);
}

}  // namespace sup::vms
