/* efndef.h: event flag constants.  Values [V VSIPY Modules/vms/efndef/_efndef.c]. */
#ifndef __EFNDEF_LOADED
#define __EFNDEF_LOADED

#define EFN$C_ENF 128 /* no event flag */
#define EFN$C_CTX 129

#endif /* __EFNDEF_LOADED */
