// The thin layer over STARLET that the rest of the OpenVMS backend uses: status tests,
// message texts ($GETMSG), string descriptors and item lists built in 32-bit storage, the
// $GETJPI and $GETDVI queries the backend needs, and time conversions.
//
// The one rule of this file (doc/vms_facts.md, VMS-REAL-USAGE section 11): VSI C++ on x86
// is LP64 and its heap is 64-bit (P2), while descriptors and ILE3 item lists hold 32-bit
// addresses.  So nothing here puts a std::string's or a heap buffer's address into one:
// every descriptor and item list is built over a buffer of its own, and the types that
// hold them (Text32, the query functions' locals) are for the stack only.  Buffers that
// outlive a call (I/O status blocks of asynchronous reads) live in static storage
// (vms_ast.hpp), which is in P0 on OpenVMS.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

// The standard headers come first: a STARLET header seen before <variant> breaks it under
// VSI clang (VMS-REAL-USAGE section 11, point 8).
#define __NEW_STARLET 1
#include <descrip.h>
#include <dvidef.h>
#include <efndef.h>
#include <gen64def.h>
#include <iledef.h>
#include <iosbdef.h>
#include <jpidef.h>
#include <lnmdef.h>
#include <ssdef.h>
#include <starlet.h>
#include <stsdef.h>

namespace sup::vms {

// Condition values: success is the low bit, never equality with SS$_NORMAL.
inline bool ok(unsigned status) {
  return (status & 1u) != 0;
}

// The control bits (28-31) masked off, as a final status is compared and shown.
inline constexpr std::uint32_t kConditionMask = 0x0FFFFFFFu;

// The text $GETMSG gives for `status` ("%SYSTEM-F-DUPLNAM, duplicate name"); "%X0000xxxx"
// when $GETMSG itself fails.
std::string message_text(std::uint32_t status);

// "what: %SYSTEM-F-xxx, text" (an error text of the seam's kind).
std::string failure(const std::string& what, std::uint32_t status);

// A string descriptor (class S, type T) over its own 255-byte buffer: what every service
// argument of a text is built from.  Stack only (see the file comment).  A text longer
// than 255 bytes (the longest logical name, LNM$C_NAMLENGTH) does not fit: fits() is
// false and the descriptor is empty, for the caller to report.
class Text32 {
 public:
  static constexpr std::size_t kCapacity = 255;
  explicit Text32(const std::string& text);
  Text32(const Text32&) = delete;
  Text32& operator=(const Text32&) = delete;
  bool fits() const { return fits_; }
  struct dsc$descriptor_s* get() {
    return &desc_;
  }
  // For a buffer the service fills: the descriptor covers the whole capacity.
  static void as_output(Text32& t);

 private:
  char buf_[kCapacity + 1];
  struct dsc$descriptor_s desc_;
  bool fits_ = true;
};

// What $GETJPIW tells of one process (the items the backend uses).
struct ProcessInfo {
  std::uint32_t pid = 0;
  std::string name;         // JPI$_PRCNAM, empty when cleared (the process is ending)
  std::uint64_t login = 0;  // JPI$_LOGINTIM, a VMS time
  std::uint32_t uic = 0;    // JPI$_UIC
  std::uint32_t owner = 0;  // JPI$_OWNER: 0 for a detached process
  std::uint32_t tmbu = 0;   // JPI$_TMBU: the unit of its termination mailbox, 0 if none
  std::string username;     // JPI$_USERNAME, trailing blanks removed
};

// $GETJPIW of `pid` (0 = this process).  Returns the status (the service's, else the
// IOSB's longword): SS$_NONEXPR when there is no such process, which alone means "gone"
// (Ingres pcalive.c: SS$_NOPRIV and SS$_SUSPENDED mean it is there).
std::uint32_t process_info(std::uint32_t pid, ProcessInfo& out);

// The same, for the next process of a $PROCESS_SCAN context (or a wildcard -1 start):
// `context` is updated by the service.  SS$_NOMOREPROC ends the walk.
std::uint32_t next_process(std::uint32_t& context, ProcessInfo& out);

// What $GETDVIW tells of a mailbox channel.
struct DeviceInfo {
  std::uint32_t unit = 0;      // DVI$_UNIT (the word $CREPRC's mbxunt takes)
  std::string name;            // DVI$_DEVNAM, e.g. "_MBA123:"
  std::uint32_t owner = 0;     // DVI$_OWNUIC
  std::uint32_t vprot = 0;     // DVI$_VPROT: the protection mask, set bits deny
  std::uint32_t devclass = 0;  // DVI$_DEVCLASS (DC$_MAILBOX = 160)
};

// $GETDVIW of an assigned channel.  Returns the status (service's, else IOSB's).
std::uint32_t device_info(unsigned short channel, DeviceInfo& out);

// DC$_MAILBOX: the device class of a mailbox.
inline constexpr std::uint32_t kMailboxClass = 160;

// The protection a channel of ours gets and a mailbox or table must have: SYSTEM and
// OWNER may do everything, GROUP and WORLD nothing (the request carries a password).  A
// protection mask's bits deny: SYSTEM 0-3, OWNER 4-7, GROUP 8-11, WORLD 12-15.
inline constexpr std::uint32_t kPrivateProtection = 0xFF00;

// True when `vprot` denies GROUP and WORLD every access that kPrivateProtection denies.
inline bool private_protection(std::uint32_t vprot) {
  return (vprot & kPrivateProtection) == kPrivateProtection;
}

// The UIC of SYSTEM, [1,4]: with the daemon's own account, the one caller and owner
// trusted (as root and the daemon's uid on POSIX).
inline constexpr std::uint32_t kSystemUic = (1u << 16) | 4u;

// "[1,4]": a UIC as DCL shows it (octal group and member).
std::string format_uic(std::uint32_t uic);

// "%X2040012C": a PID as OpenVMS shows it is 8 hex digits; format_pid gives the digits.
std::string format_pid(std::uint32_t pid);

// A VMS time (100 ns since 17-Nov-1858) as seconds since the Unix epoch.
std::int64_t unix_seconds(std::uint64_t vms_time);

// A process's identity: its login time (16 hex digits) and its process name, so that a
// later process reusing the PID, or one renamed, is not taken for it.
std::string make_identity(std::uint64_t login, const std::string& process_name);

// Assigns a channel to `device` ($ASSIGN).  Returns the status.
std::uint32_t assign(const std::string& device, unsigned short& channel);

// Deassigns a channel, ignoring the status (a destructor's use: the channel is gone
// either way).
void deassign(unsigned short channel);

}  // namespace sup::vms
