/* Bindings for layer (to be filled). */
#include "l_util.h"

void cbL_open_layer(lua_State *L) { (void)L; }
