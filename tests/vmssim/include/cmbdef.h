/* cmbdef.h: $CREMBX flags.  Values [V VSIPY Modules/vms/cmbdef/_cmbdef.c]. */
#ifndef __CMBDEF_LOADED
#define __CMBDEF_LOADED

#define CMB$M_READONLY 0x1
#define CMB$M_WRITEONLY 0x2

#endif /* __CMBDEF_LOADED */
