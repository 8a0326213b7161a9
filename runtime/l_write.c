/* Bindings for write (to be filled). */
#include "l_util.h"

void cbL_open_write(lua_State *L) { (void)L; }
