/* psldef.h: access modes.  Values [V VSIPY psldef; P GOVAX $PSLDEF], VMS-REFERENCE.md 5. */
#ifndef __PSLDEF_LOADED
#define __PSLDEF_LOADED

#define PSL$C_KERNEL 0
#define PSL$C_EXEC 1
#define PSL$C_SUPER 2
#define PSL$C_USER 3

#endif /* __PSLDEF_LOADED */
