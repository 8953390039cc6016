/* gen64def.h: the generic quadword (privilege masks, times, $SCHDWK/$SETIMR times).
 * Layout [M, the union of STARLET's gen64def.h as used by VSIPY]: 8 bytes. */
#ifndef __GEN64DEF_LOADED
#define __GEN64DEF_LOADED

#include "vmssim_base.h"

typedef struct _generic_64 {
  union {
    unsigned __int64 gen64$q_quadword;
    unsigned int gen64$l_longword[2];
    unsigned short gen64$w_word[4];
    unsigned char gen64$b_byte[8];
  } gen64$r_quad_overlay;
} GENERIC_64;

#define gen64$q_quadword gen64$r_quad_overlay.gen64$q_quadword
#define gen64$l_longword gen64$r_quad_overlay.gen64$l_longword
#define gen64$w_word gen64$r_quad_overlay.gen64$w_word
#define gen64$b_byte gen64$r_quad_overlay.gen64$b_byte

#endif /* __GEN64DEF_LOADED */
