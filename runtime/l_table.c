/* Bindings for table (to be filled). */
#include "l_util.h"

void cbL_open_table(lua_State *L) { (void)L; }
