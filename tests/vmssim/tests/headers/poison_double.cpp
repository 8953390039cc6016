// The header tests' stand-in for lib/mem32.cpp's vmssim_poison32(): the header tests run
// without the simulator's runtime, so they only need a fixed 32-bit value to see that an
// address at or above 2 GiB is replaced by whatever vmssim_poison32() returns.  Not part
// of any simulated process (vmssim_tests links the real one).
#include <vmssim.h>

extern "C" unsigned int vmssim_poison32(void) {
  return 0x7FFF0000u;
}
