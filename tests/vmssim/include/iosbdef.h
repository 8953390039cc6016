/* iosbdef.h: the 8-byte I/O status block.
 * Layout [C STARLET iosbdef.h as quoted in public code]: the status word, then either a
 * 16-bit count and a longword (device-dependent data, or the PID a mailbox read or write
 * reports [V MBU, HOFF]) or a 32-bit count; $GETxxI's status is the first longword
 * [C CSWS, VSIPY: spec 4.3, 4.8]. */
#ifndef __IOSBDEF_LOADED
#define __IOSBDEF_LOADED

#define IOSB$K_LENGTH 8
#define IOSB$C_LENGTH 8

/* Only the two count variants are packed (the PID longword sits at offset 4 after a word
 * at 2); the block itself keeps longword alignment, so the status word can be read
 * atomically while a completion is pending. */
typedef struct _iosb {
  union {
    struct {
      unsigned short iosb$w_status;
      union {
        struct __attribute__((packed)) {
          unsigned short iosb$w_bcnt;
          union {
            unsigned int iosb$l_dev_depend;
            unsigned int iosb$l_pid;
          } iosb$r_l;
        } iosb$r_bcnt_16;
        struct __attribute__((packed)) {
          unsigned int iosb$l_bcnt;
          unsigned short iosb$w_dev_depend_high;
        } iosb$r_bcnt_32;
      } iosb$r_devdepend;
    } iosb$r_io_64;
    struct {
      union {
        unsigned int iosb$l_getxxi_status;
        unsigned int iosb$l_reg_status;
      } iosb$r_l_status;
      unsigned int iosb$l_reserved;
    } iosb$r_get_64;
  } iosb$r_io_get;
} IOSB;

#define iosb$w_status iosb$r_io_get.iosb$r_io_64.iosb$w_status
#define iosb$w_bcnt iosb$r_io_get.iosb$r_io_64.iosb$r_devdepend.iosb$r_bcnt_16.iosb$w_bcnt
#define iosb$l_dev_depend \
  iosb$r_io_get.iosb$r_io_64.iosb$r_devdepend.iosb$r_bcnt_16.iosb$r_l.iosb$l_dev_depend
#define iosb$l_pid iosb$r_io_get.iosb$r_io_64.iosb$r_devdepend.iosb$r_bcnt_16.iosb$r_l.iosb$l_pid
#define iosb$l_bcnt iosb$r_io_get.iosb$r_io_64.iosb$r_devdepend.iosb$r_bcnt_32.iosb$l_bcnt
#define iosb$w_dev_depend_high \
  iosb$r_io_get.iosb$r_io_64.iosb$r_devdepend.iosb$r_bcnt_32.iosb$w_dev_depend_high
#define iosb$l_getxxi_status iosb$r_io_get.iosb$r_get_64.iosb$r_l_status.iosb$l_getxxi_status
#define iosb$l_reg_status iosb$r_io_get.iosb$r_get_64.iosb$r_l_status.iosb$l_reg_status
#define iosb$l_reserved iosb$r_io_get.iosb$r_get_64.iosb$l_reserved

#endif /* __IOSBDEF_LOADED */
