/* Bindings for figure (to be filled). */
#include "l_util.h"

void cbL_open_figure(lua_State *L) { (void)L; }
