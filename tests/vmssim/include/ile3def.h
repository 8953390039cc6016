/* ile3def.h: OpenVMS declares ILE3 in <iledef.h>; this name is kept for code written
 * against the simulator's first layout.  The backend should include <iledef.h>. */
#ifndef __ILE3DEF_LOADED
#define __ILE3DEF_LOADED
#include "iledef.h"
#endif
