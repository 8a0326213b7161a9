/* Shared by the spatial bindings (l_spatial.c, l_spatial_geo.c,
 * l_spatial_stats.c): the cbal.Weights type and the openers that add
 * their functions to the cbal.core._spatial table. */
#ifndef L_SPATIAL_H
#define L_SPATIAL_H

#include <lua.h>

#include "core/spatial.h"

#define CBAL_WEIGHTS "cbal.Weights"

/* The weights at idx; raises on another type. */
cb_weights *cbL_checkweights(lua_State *L, int idx);

/* Add their functions to the table on top of the stack. */
void cbL_spatial_geometry(lua_State *L);
void cbL_spatial_stats(lua_State *L);

#endif
