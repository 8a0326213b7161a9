/* Bindings for analytics (to be filled). */
#include "l_util.h"

void cbL_open_analytics(lua_State *L) { (void)L; }
