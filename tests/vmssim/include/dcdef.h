/* dcdef.h: device classes, the value of DVI$_DEVCLASS.
 * DC$_MAILBOX = 160 [P GOVAX testdata/mp/defs/defined.txt, $DCDEF assembled on VAX/VMS
 * 7.3: 0xa0]; the others from the same probe. */
#ifndef __DCDEF_LOADED
#define __DCDEF_LOADED

#define DC$_DISK 1
#define DC$_TAPE 2
#define DC$_TERM 66
#define DC$_MAILBOX 160

#endif /* __DCDEF_LOADED */
