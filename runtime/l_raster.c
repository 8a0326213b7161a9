/* Bindings for raster (to be filled). */
#include "l_util.h"

void cbL_open_raster(lua_State *L) { (void)L; }
