/* descrip.h: string descriptors as the backend uses them.
 * Codes [V VSIPY Modules/vms/dscdef/_dscdef.c, generated from STARLET]; layout: an 8-byte
 * 32-bit descriptor, length word, dtype byte, class byte, 32-bit address [V DSC$K_S_BLN 8].
 * dsc$a_pointer is a 4-byte address field (vmssim_base.h, spec section 5). */
#ifndef __DESCRIP_LOADED
#define __DESCRIP_LOADED

#include "vmssim_base.h"

#define DSC$K_DTYPE_Z 0
#define DSC$K_DTYPE_V 1
#define DSC$K_DTYPE_BU 2
#define DSC$K_DTYPE_WU 3
#define DSC$K_DTYPE_LU 4
#define DSC$K_DTYPE_QU 5
#define DSC$K_DTYPE_B 6
#define DSC$K_DTYPE_W 7
#define DSC$K_DTYPE_L 8
#define DSC$K_DTYPE_Q 9
#define DSC$K_DTYPE_T 14
#define DSC$K_DTYPE_NU 15
#define DSC$K_DTYPE_DSC 24
#define DSC$K_DTYPE_VT 37

#define DSC$K_CLASS_Z 0
#define DSC$K_CLASS_S 1
#define DSC$K_CLASS_D 2
#define DSC$K_CLASS_V 3
#define DSC$K_CLASS_A 4
#define DSC$K_CLASS_P 5
#define DSC$K_CLASS_SD 9
#define DSC$K_CLASS_NCA 10
#define DSC$K_CLASS_VS 11

#define DSC$K_Z_BLN 8
#define DSC$K_S_BLN 8
#define DSC$K_D_BLN 8

struct dsc$descriptor {
  unsigned short dsc$w_length;
  unsigned char dsc$b_dtype;
  unsigned char dsc$b_class;
  VMSSIM_PTR32(char) dsc$a_pointer;
};

struct dsc$descriptor_s {
  unsigned short dsc$w_length;
  unsigned char dsc$b_dtype;
  unsigned char dsc$b_class;
  VMSSIM_PTR32(char) dsc$a_pointer;
};

struct dsc$descriptor_d {
  unsigned short dsc$w_length;
  unsigned char dsc$b_dtype;
  unsigned char dsc$b_class;
  VMSSIM_PTR32(char) dsc$a_pointer;
};

/* $DESCRIPTOR(name, "literal"): a class S text descriptor of a string literal (DEC's
 * macro; the literal is static storage, below 2 GiB in a vmssim_program image). */
#define $DESCRIPTOR(name, string) \
  struct dsc$descriptor_s name = {sizeof(string) - 1, DSC$K_DTYPE_T, DSC$K_CLASS_S, (char*)string}

#endif /* __DESCRIP_LOADED */
