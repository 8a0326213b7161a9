/* The cbal.Zones userdata, shared by its constructor and properties
 * (l_zones.c) and its statistics and dumps (l_zonal.c). */
#ifndef L_ZONES_H
#define L_ZONES_H

#include <lua.h>
#include <stddef.h>

#include "core/coverage.h"

#define CBAL_ZONES "cbal.Zones"

/* Uservalue 1 of a zones userdata: its ids (a cbal.Array or a list of
 * strings), or nil. */
typedef struct {
  cb_coverage *c; /* NULL once closed */
  char *srs;      /* the grid's CRS (WKT), NULL when none */
  char *layer;    /* layer name, for messages */
  double *areas;  /* true cell area per coverage row, computed on first use */
  int reprojected;
  int busy;       /* stats running: closing must wait */
} zones_ud;

/* The open zones at idx; raises on another type or closed zones. */
zones_ud *cbL_checkzones(lua_State *L, int idx);

/* The true area (m^2) of one cell of each coverage row (c->row_y order),
 * computed once; raises when the grid has no CRS. */
const double *cbL_zones_row_areas(lua_State *L, zones_ud *z);

/* Appends " (id X)" for zone i (0-based) of the zones at idx to buf when
 * they have ids; buf stays as it is otherwise. */
void cbL_zones_idtext(lua_State *L, int idx, size_t i, char *buf, size_t len);

/* zones:stats, zones:dump and zones:fits (l_zonal.c). */
int cbL_zones_stats(lua_State *L);
int cbL_zones_dump(lua_State *L);
int cbL_zones_fits(lua_State *L);

#endif
