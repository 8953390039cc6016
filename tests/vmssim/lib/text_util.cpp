#include "text_util.hpp"

#include <descrip.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "kernel.hpp"

// VSI's 32-bit heap (lib/mem32.cpp); free() is wrapped to give arena memory back.
extern "C" void* _malloc32(std::size_t size);

namespace vmssim::text {

bool readable(const void* d) {
  if (!rt::addr32_ok(d, 8)) return false;
  const auto* ds = static_cast<const dsc$descriptor_s*>(d);
  if (ds->dsc$w_length == 0) return true;
  return rt::addr32_ok(static_cast<const char*>(ds->dsc$a_pointer), ds->dsc$w_length);
}

std::string read(const void* d, bool* ok) {
  bool good = d != nullptr && readable(d);
  if (ok) *ok = good;
  if (!good) return "";
  const auto* ds = static_cast<const dsc$descriptor_s*>(d);
  if (ds->dsc$w_length == 0) return "";
  return std::string(static_cast<const char*>(ds->dsc$a_pointer), ds->dsc$w_length);
}

bool write(void* d, const std::string& s, unsigned short* len, bool* ok) {
  *ok = false;
  if (d == nullptr || !rt::addr32_ok(d, 8)) return false;
  auto* ds = static_cast<dsc$descriptor_s*>(d);
  if (ds->dsc$b_class == DSC$K_CLASS_D) {
    std::size_t n = s.size() > 65535 ? 65535 : s.size();
    char* p = static_cast<char*>(_malloc32(n ? n : 1));
    if (p == nullptr) return false;
    std::memcpy(p, s.data(), n);
    char* old = static_cast<char*>(ds->dsc$a_pointer);
    if (old != nullptr && ds->dsc$w_length != 0) std::free(old);
    ds->dsc$a_pointer = p;
    ds->dsc$w_length = static_cast<unsigned short>(n);
    if (len) *len = static_cast<unsigned short>(n);
    *ok = true;
    return n == s.size();
  }
  if (ds->dsc$w_length != 0 &&
      !rt::addr32_ok(static_cast<char*>(ds->dsc$a_pointer), ds->dsc$w_length))
    return false;
  std::size_t n = s.size() < ds->dsc$w_length ? s.size() : ds->dsc$w_length;
  if (n) std::memcpy(static_cast<char*>(ds->dsc$a_pointer), s.data(), n);
  if (len) *len = static_cast<unsigned short>(n);
  *ok = true;
  return n == s.size();
}

void put_line(const std::string& line, bool also_error) {
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
  if (!also_error) return;
  struct stat out {
  }, err{};
  if (::fstat(1, &out) == 0 && ::fstat(2, &err) == 0 && out.st_dev == err.st_dev &&
      out.st_ino == err.st_ino)
    return;  // the same file: written once
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fputc('\n', stderr);
  std::fflush(stderr);
}

}  // namespace vmssim::text
