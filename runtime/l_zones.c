/* Bindings for zones (to be filled). */
#include "l_util.h"

void cbL_open_zones(lua_State *L) { (void)L; }
