/* msgdef.h: mailbox message types.  Values [P GOVAX $MSGDEF assembled on VAX/VMS 7.3,
 * testdata/mp/defs/defined.txt], VMS-REFERENCE.md 2: the termination message is
 * MSG$_DELPROC (3). */
#ifndef __MSGDEF_LOADED
#define __MSGDEF_LOADED

#define MSG$_TRMUNSOLIC 1
#define MSG$_CRUNSOLIC 2
#define MSG$_DELPROC 3
#define MSG$_PURPROC 11
#define MSG$_DELIMAG 12
#define MSG$_PURIMAG 13

#endif /* __MSGDEF_LOADED */
