// Helpers the text services share: reading a string descriptor, returning a string
// through one (class S: copied and truncated; class D: reallocated from the 32-bit heap),
// the section 5 address checks, and SYS$OUTPUT/SYS$ERROR output.  Main thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

struct dsc$descriptor_s;

namespace vmssim::text {

// True when `d` and the text it points at pass the section 5 checks (rt::addr32_ok).
bool readable(const void* d);
// The descriptor's text; `ok` false (and "") when it fails the checks.
std::string read(const void* d, bool* ok = nullptr);
// Stores `s` through `d`: class S (or Z) copies what fits and returns false when `s` was
// truncated; class D reallocates the text with _malloc32 and stores the whole string.
// `len`, if not null, receives the length stored (a word; the caller checks a user's).  `ok` false
// on a bad descriptor (SS$_ACCVIO).
bool write(void* d, const std::string& s, unsigned short* len, bool* ok);
// A line to SYS$OUTPUT, and to SYS$ERROR as well when that is another file [G, spec 2.3:
// they are stdout and stderr].
void put_line(const std::string& line, bool also_error);

}  // namespace vmssim::text
