/* dvidef.h: $GETDVI item codes.
 * Values [V VSIPY Modules/vms/dvidef/_dvidef.c, generated from STARLET; read through the
 * jhamby/vms-cpython copy]; UNIT, DEVNAM, FULLDEVNAM, DEVBUFSIZ, REFCNT also in
 * VMS-REFERENCE.md 3.2. */
#ifndef __DVIDEF_LOADED
#define __DVIDEF_LOADED

#define DVI$_DEVCHAR 2
#define DVI$_DEVCLASS 4
#define DVI$_DEVTYPE 6
#define DVI$_DEVBUFSIZ 8
#define DVI$_DEVDEPEND 10
#define DVI$_UNIT 12
#define DVI$_PID 14
#define DVI$_OWNUIC 16
#define DVI$_VPROT 18
#define DVI$_ERRCNT 20
#define DVI$_OPCNT 22
#define DVI$_REFCNT 30
#define DVI$_DEVNAM 32
#define DVI$_MBX 102
#define DVI$_SHR 94
#define DVI$_DEVSTS 228
#define DVI$_FULLDEVNAM 232
#define DVI$_ALLDEVNAM 236
#define DVI$_MAILBOX_INITIAL_QUOTA 456
#define DVI$_MAILBOX_BUFFER_QUOTA 458

#endif /* __DVIDEF_LOADED */
