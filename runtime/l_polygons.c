/* cbal.Polygons (a cb_polyset owned by a userdata) and the one Lua form of
 * a geometry, read and written for maps, write_layer, rasterize, geom_op. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/geom.h"
#include "l_util.h"

/* cbal.Polygons keeps the set as its first member, so the userdata reads
 * as cb_polyset ** too. */
typedef struct {
  cb_polyset *ps;
} polys_ud;

cb_polyset **cbL_pushpolygons(lua_State *L) {
  polys_ud *u = lua_newuserdatauv(L, sizeof *u, 0);
  u->ps = NULL;
  luaL_setmetatable(L, CBAL_POLYGONS);
  return &u->ps;
}

cb_polyset *cbL_checkpolygons(lua_State *L, int idx) {
  polys_ud *u = luaL_checkudata(L, idx, CBAL_POLYGONS);
  if (!u->ps) luaL_error(L, "attempt to use freed polygons");
  return u->ps;
}

cb_polyset *cbL_newpolygons(lua_State *L, size_t n) {
  cb_polyset **slot = cbL_pushpolygons(L);
  if (!(*slot = cb_polyset_new(n))) luaL_error(L, "not enough memory");
  return *slot;
}

/* ---- reading the Lua form --------------------------------------------- */

/* Where a ring is, for messages: "<what>: feature F, ring R" (no feature
 * when F is 0, no ring when R is 0). */
typedef struct {
  const char *what;
  size_t feature, ring;
} place;

/* Raises "<place><detail>", detail starting with ": " or " ". */
static int fail(lua_State *L, const place *p, const char *detail) {
  char f[40] = "", r[40] = "";
  if (p->feature) snprintf(f, sizeof f, ": feature %zu", p->feature);
  if (p->ring) snprintf(r, sizeof r, "%sring %zu", p->feature ? ", " : ": ", p->ring);
  return cbL_errorf(L, "%s%s%s%s", p->what, f, r, detail);
}

/* The number at index k of the table at the top of the stack: a finite
 * number, or an error naming coordinate num (a string is not taken). */
static double coord(lua_State *L, const place *p, lua_Integer k, size_t num) {
  int t = lua_rawgeti(L, -1, k);
  double v = lua_tonumber(L, -1);
  if (t != LUA_TNUMBER || !isfinite(v)) {
    char d[160];
    if (t == LUA_TSTRING)
      snprintf(d, sizeof d, ": coordinate %zu is not a finite number (got "
               "string '%.40s')", num, lua_tostring(L, -1));
    else if (t == LUA_TNUMBER)
      snprintf(d, sizeof d, ": coordinate %zu is not a finite number (got "
               "%g)", num, v);
    else
      snprintf(d, sizeof d, ": coordinate %zu is not a finite number (got "
               "%s)", num, luaL_typename(L, -1));
    fail(L, p, d);
  }
  lua_pop(L, 1);
  return v;
}

/* The point k (0-based) of the ring of pairs at the top of the stack. */
static void read_pair(lua_State *L, const place *p, size_t k, double *xy) {
  if (lua_rawgeti(L, -1, (lua_Integer)k + 1) != LUA_TTABLE) {
    char d[64];
    snprintf(d, sizeof d, ": point %zu must be {x, y}", k + 1);
    fail(L, p, d);
  }
  xy[0] = coord(L, p, 1, 2 * k + 1);
  xy[1] = coord(L, p, 2, 2 * k + 2);
  lua_pop(L, 1);
}

/* The ring at the top of the stack into r: {x1, y1, x2, y2, ...} or
 * {{x1, y1}, {x2, y2}, ...}, at least 3 points. */
static void read_ring(lua_State *L, const place *p, cb_ring *r) {
  char d[120];
  if (!lua_istable(L, -1)) {
    snprintf(d, sizeof d, " must be a list {x1, y1, x2, y2, ...}, got %s",
             luaL_typename(L, -1));
    fail(L, p, d);
  }
  size_t len = lua_rawlen(L, -1);
  int pairs = lua_rawgeti(L, -1, 1) == LUA_TTABLE;
  lua_pop(L, 1);
  size_t n = pairs ? len : len / 2;
  if ((!pairs && len % 2) || n < 3) {
    snprintf(d, sizeof d, " has %zu %s; give x, y pairs for at least 3 "
             "points", len, pairs ? "points" : "numbers");
    fail(L, p, d);
  }
  if (!(r->xy = malloc(2 * n * sizeof *r->xy))) luaL_error(L, "not enough memory");
  r->n = n;
  for (size_t k = 0; k < n; k++) {
    if (pairs) {
      read_pair(L, p, k, &r->xy[2 * k]);
    } else {
      r->xy[2 * k] = coord(L, p, (lua_Integer)(2 * k + 1), 2 * k + 1);
      r->xy[2 * k + 1] = coord(L, p, (lua_Integer)(2 * k + 2), 2 * k + 2);
    }
  }
}

/* Whether the geometry at the top of the stack is a list of parts (2) or
 * one part, a list of rings (1): a ring is a list of numbers or of pairs,
 * and a pair has 2 coordinates where a flat ring has at least 6 (a pair
 * of anything but tables, so that {"118.5", 32} is read as a pair and its
 * coordinate named, not taken for a ring of 2 numbers). */
static int depth(lua_State *L) {
  int top = lua_gettop(L), d = 1;
  if (lua_rawgeti(L, -1, 1) == LUA_TTABLE &&
      lua_rawgeti(L, -1, 1) == LUA_TTABLE &&
      !(lua_rawgeti(L, -1, 1) != LUA_TTABLE && lua_rawlen(L, -2) == 2))
    d = 2;
  lua_settop(L, top);
  return d;
}

/* Counts the rings of the geometry at the top of the stack (its parts at
 * depth 2); raises on a part that is not a list. */
static size_t count_rings(lua_State *L, const place *p, int d) {
  size_t n = lua_rawlen(L, -1);
  if (d == 1) return n;
  size_t nr = 0;
  for (size_t i = 1; i <= n; i++) {
    if (lua_rawgeti(L, -1, (lua_Integer)i) != LUA_TTABLE) {
      char d[80];
      snprintf(d, sizeof d, ": part %zu must be a list of rings {outer, "
               "hole, ...}", i);
      fail(L, p, d);
    }
    nr += lua_rawlen(L, -1);
    lua_pop(L, 1);
  }
  return nr;
}

/* The rings of the part at the top of the stack into g (first outer, the
 * others holes). */
static void read_part(lua_State *L, place *p, cb_polygon *g) {
  size_t n = lua_rawlen(L, -1);
  for (size_t j = 1; j <= n; j++) {
    cb_ring *r = &g->rings[g->nrings++];
    r->hole = j > 1;
    p->ring = g->nrings;
    lua_rawgeti(L, -1, (lua_Integer)j);
    read_ring(L, p, r);
    lua_pop(L, 1);
  }
}

void cbL_readgeometry(lua_State *L, int idx, cb_polygon *g, const char *what,
                      size_t feature) {
  place p = {what, feature, 0};
  int t = lua_type(L, idx);
  if (t == LUA_TNIL) return; /* a feature without a geometry */
  if (t != LUA_TTABLE) {
    char d[120];
    snprintf(d, sizeof d, ": a geometry is a list of parts {outer, hole, "
             "...} (or one part), got %s", luaL_typename(L, idx));
    fail(L, &p, d);
  }
  lua_pushvalue(L, idx);
  int d = depth(L);
  size_t nr = count_rings(L, &p, d);
  if (nr && !(g->rings = calloc(nr, sizeof *g->rings)))
    luaL_error(L, "not enough memory");
  if (d == 1) {
    read_part(L, &p, g);
  } else {
    for (size_t i = 1; i <= lua_rawlen(L, -1); i++) {
      lua_rawgeti(L, -1, (lua_Integer)i);
      read_part(L, &p, g);
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
}

cb_polyset *cbL_topolygons(lua_State *L, int idx, const char *what) {
  idx = lua_absindex(L, idx);
  if (luaL_testudata(L, idx, CBAL_POLYGONS)) {
    lua_pushvalue(L, idx);
    return cbL_checkpolygons(L, idx);
  }
  if (!lua_istable(L, idx))
    cbL_errorf(L, "%s: expected a list of geometries or cbal.Polygons, got %s",
               what, luaL_typename(L, idx));
  size_t n = lua_rawlen(L, idx);
  cb_polyset *ps = cbL_newpolygons(L, n);
  for (size_t i = 0; i < n; i++) {
    lua_rawgeti(L, idx, (lua_Integer)i + 1);
    cbL_readgeometry(L, -1, &ps->polys[i], what, i + 1);
    lua_pop(L, 1);
  }
  cb_polyset_bbox(ps);
  return ps;
}

/* ---- writing it ------------------------------------------------------- */

void cbL_pushgeometry(lua_State *L, const cb_polygon *g) {
  lua_newtable(L);
  lua_Integer np = 0, nr = 0;
  for (size_t i = 0; i < g->nrings; i++) {
    const cb_ring *r = &g->rings[i];
    if (!r->hole || np == 0) {
      lua_newtable(L);
      lua_rawseti(L, -2, ++np);
      nr = 0;
    }
    lua_rawgeti(L, -1, np);
    lua_createtable(L, (int)(2 * r->n), 0);
    for (size_t k = 0; k < 2 * r->n; k++) {
      lua_pushnumber(L, r->xy[k]);
      lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    lua_rawseti(L, -2, ++nr);
    lua_pop(L, 1);
  }
}

/* ---- the cbal.Polygons type ------------------------------------------- */

static int p_gc(lua_State *L) {
  polys_ud *u = luaL_checkudata(L, 1, CBAL_POLYGONS);
  cb_polyset_free(u->ps);
  u->ps = NULL;
  return 0;
}

static int p_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)cbL_checkpolygons(L, 1)->n);
  return 1;
}

/* polys:bbox() -> xmin, ymin, xmax, ymax */
static int p_bbox(lua_State *L) {
  cb_polyset *ps = cbL_checkpolygons(L, 1);
  for (int i = 0; i < 4; i++) lua_pushnumber(L, ps->bbox[i]);
  return 4;
}

static int p_crs(lua_State *L) {
  lua_pushstring(L, cbL_checkpolygons(L, 1)->srs_wkt); /* nil if none */
  return 1;
}

/* polys:area(i) -> planar area of feature i (holes subtracted), in CRS
 * units squared. */
static int p_area(lua_State *L) {
  cb_polyset *ps = cbL_checkpolygons(L, 1);
  lua_Integer i = luaL_checkinteger(L, 2);
  luaL_argcheck(L, i >= 1 && (size_t)i <= ps->n, 2, "feature index out of range");
  lua_pushnumber(L, cb_polygon_area(&ps->polys[i - 1]));
  return 1;
}

/* polys:totable() -> a list of geometries in the Lua form */
static int p_totable(lua_State *L) {
  cb_polyset *ps = cbL_checkpolygons(L, 1);
  lua_createtable(L, (int)ps->n, 0);
  for (size_t i = 0; i < ps->n; i++) {
    cbL_pushgeometry(L, &ps->polys[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

static const luaL_Reg methods[] = {{"bbox", p_bbox},
                                   {"crs", p_crs},
                                   {"area", p_area},
                                   {"totable", p_totable},
                                   {NULL, NULL}};

static const luaL_Reg meta[] = {{"__gc", p_gc}, {"__len", p_len}, {NULL, NULL}};

void cbL_open_polygons(lua_State *L) {
  cbL_newtype(L, CBAL_POLYGONS, methods, meta);
}
