// vmssim_img_lnm_probe TABLE NAME RESULT: writes "absent" or "present" to the file RESULT,
// whether TABLE has NAME in this simulated system (checklist 35: a new vmssim starts with no
// shared tables).  [G]
#include <descrip.h>
#include <iledef.h>
#include <lnmdef.h>
#include <ssdef.h>
#include <starlet.h>

#include <cstdio>
#include <cstring>
#include <string>

extern "C" char* _strdup32(const char* s);
extern "C" void* _malloc32(std::size_t n);

namespace {
dsc$descriptor_s* desc(const char* s) {
  auto* d = static_cast<dsc$descriptor_s*>(_malloc32(sizeof(dsc$descriptor_s)));
  d->dsc$w_length = static_cast<unsigned short>(std::strlen(s));
  d->dsc$b_dtype = DSC$K_DTYPE_T;
  d->dsc$b_class = DSC$K_CLASS_S;
  d->dsc$a_pointer = _strdup32(s);
  return d;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) return 2;
  auto* items = static_cast<ILE3*>(_malloc32(2 * sizeof(ILE3)));
  std::memset(items, 0, 2 * sizeof(ILE3));
  auto* buf = static_cast<char*>(_malloc32(256));
  items[0].ile3$w_length = 255;
  items[0].ile3$w_code = LNM$_STRING;
  items[0].ile3$ps_bufaddr = buf;
  const int st = sys$trnlnm(nullptr, desc(argv[1]), desc(argv[2]), nullptr, items);
  if (FILE* f = std::fopen(argv[3], "w")) {
    std::fprintf(f, "%s %d\n", (st & 1) ? "present" : "absent", st);
    std::fclose(f);
  }
  return 0;
}
