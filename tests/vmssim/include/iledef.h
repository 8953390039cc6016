/* iledef.h: item list entries.  ILE3 [V HOFF, VMS-REFERENCE 3.2]: length word, code word,
 * 32-bit buffer address, 32-bit return-length address; a list ends with a zero longword.
 * 12 bytes: the two address fields are 4-byte fields here (vmssim_base.h, spec 5).
 * ILEB_64 (64-bit item lists) is not provided: the simulator refuses them (spec 5). */
#ifndef __ILEDEF_LOADED
#define __ILEDEF_LOADED

#include "vmssim_base.h"

typedef struct _ile3 {
  unsigned short ile3$w_length;
  unsigned short ile3$w_code;
  VMSSIM_PTR32(void) ile3$ps_bufaddr;
  VMSSIM_PTR32(unsigned short) ile3$ps_retlen_addr;
} ILE3;

typedef struct _ile2 {
  unsigned short ile2$w_length;
  unsigned short ile2$w_code;
  VMSSIM_PTR32(void) ile2$ps_bufaddr;
} ILE2;

#define ILE3$K_LENGTH 12
#define ILE3$C_LENGTH 12
#define ILE2$K_LENGTH 8
#define ILE2$C_LENGTH 8

#endif /* __ILEDEF_LOADED */
