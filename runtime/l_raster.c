/* cbal.open_raster -> cbal.Raster: one band of a GDAL dataset (a file, a
 * subdataset by name, or tiles mosaicked in memory), with its grid, CRS,
 * nodata set, valid range and scale/offset, and row reads; cbal.glob. */
#include <stdlib.h>
#include <string.h>

#include "core/crs.h"
#include "core/layer.h"
#include "core/mosaic.h"
#include "core/raster.h"
#include "core/zonal.h"
#include "l_util.h"

#define CBAL_RASTER "cbal.Raster"

typedef struct {
  cb_raster *r; /* NULL once closed */
} raster_ud;

cb_raster *cbL_checkraster(lua_State *L, int idx) {
  raster_ud *u = luaL_checkudata(L, idx, CBAL_RASTER);
  if (!u->r) luaL_error(L, "attempt to use a closed raster");
  return u->r;
}

/* Reads option nodata: a number, a list of numbers, or false (none). */
static void opt_nodata(lua_State *L, int idx, cb_raster_opts *o, double *buf,
                       size_t cap) {
  if (lua_isnoneornil(L, idx)) return;
  int t = lua_getfield(L, idx, "nodata");
  if (t == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  o->nodata_given = 1;
  o->nodata = buf;
  if (t == LUA_TBOOLEAN && !lua_toboolean(L, -1)) {
    o->nnodata = 0;
  } else if (t == LUA_TNUMBER) {
    buf[0] = lua_tonumber(L, -1);
    o->nnodata = 1;
  } else if (t == LUA_TTABLE) {
    size_t n = (size_t)luaL_len(L, -1);
    if (n > cap)
      luaL_error(L, "open_raster: option 'nodata' has %d values (at most %d)",
                 (int)n, (int)cap);
    for (size_t i = 0; i < n; i++) {
      if (lua_geti(L, -1, (lua_Integer)i + 1) != LUA_TNUMBER)
        luaL_error(L, "open_raster: option 'nodata' element %d must be a "
                   "number", (int)i + 1);
      buf[i] = lua_tonumber(L, -1);
      lua_pop(L, 1);
    }
    o->nnodata = n;
  } else {
    luaL_error(L, "open_raster: option 'nodata' must be a number, a list of "
               "numbers or false, got %s", luaL_typename(L, -1));
  }
  lua_pop(L, 1);
}

static void opt_range(lua_State *L, int idx, cb_raster_opts *o) {
  if (lua_isnoneornil(L, idx)) return;
  int t = lua_getfield(L, idx, "range");
  if (t != LUA_TNIL) {
    int ok = t == LUA_TTABLE && luaL_len(L, -1) == 2;
    ok = ok && lua_geti(L, -1, 1) == LUA_TNUMBER;
    o->lo = lua_tonumber(L, -1);
    ok = ok && lua_geti(L, -2, 2) == LUA_TNUMBER;
    o->hi = lua_tonumber(L, -1);
    if (!ok)
      luaL_error(L, "open_raster: option 'range' must be {low, high} (raw "
                 "values, before scale/offset)");
    o->has_range = 1;
    lua_pop(L, 2);
  }
  lua_pop(L, 1);
}

/* Option geotransform: six numbers, for a file that has none. */
static void opt_gt(lua_State *L, int idx, cb_raster_opts *o) {
  if (lua_getfield(L, idx, "geotransform") != LUA_TNIL) {
    size_t n;
    double *v = cbL_tovalues(L, -1, &n);
    if (n != 6)
      luaL_error(L, "open_raster: option 'geotransform' must be six numbers "
                 "{x0, dx, 0, y0, 0, dy}, got %d", (int)n);
    memcpy(o->gt, v, sizeof o->gt);
    o->has_gt = 1;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/* The options of the table at idx into o (nd: room for 64 nodata values). */
static void read_opts(lua_State *L, int idx, cb_raster_opts *o, double *nd) {
  lua_Integer band = cbL_optintfield(L, idx, "band", 1);
  if (band < 1 || band > 65535)
    luaL_error(L, "open_raster: option 'band' is %I; bands are numbered "
               "from 1", band);
  o->band = (int)band;
  opt_nodata(L, idx, o, nd, 64);
  opt_range(L, idx, o);
  lua_getfield(L, idx, "scale");
  o->has_scale = !lua_isnil(L, -1);
  lua_getfield(L, idx, "offset");
  o->has_offset = !lua_isnil(L, -1);
  lua_pop(L, 2);
  o->scale = cbL_optnumfield(L, idx, "scale", 1);
  o->offset = cbL_optnumfield(L, idx, "offset", 0);
  o->crs = cbL_optstrfield(L, idx, "crs", NULL);
  o->no_mask = !cbL_optboolfield(L, idx, "mask", 1);
  o->subdataset = cbL_optstrfield(L, idx, "subdataset", NULL);
  opt_gt(L, idx, o);
}

/* The list `paths` of the options at idx as C strings in a userdata left
 * on the stack; *n receives its length. */
static const char **opt_paths(lua_State *L, int idx, size_t *n) {
  if (lua_getfield(L, idx, "paths") != LUA_TTABLE)
    luaL_error(L, "open_raster: give a path, or {paths = {...}} (a list of "
               "tiles), got %s", luaL_typename(L, -1));
  *n = (size_t)luaL_len(L, -1);
  if (*n == 0)
    luaL_error(L, "open_raster: option 'paths' is empty (give the tiles' "
               "files; cbal.glob(pattern) lists the files a pattern matches)");
  const char **v = lua_newuserdatauv(L, *n * sizeof *v, 0);
  for (size_t i = 0; i < *n; i++) {
    if (lua_geti(L, -2, (lua_Integer)i + 1) != LUA_TSTRING)
      luaL_error(L, "open_raster: paths[%d] must be a file name, got %s",
                 (int)i + 1, luaL_typename(L, -1));
    v[i] = lua_tostring(L, -1); /* kept alive by the paths table */
    lua_pop(L, 1);
  }
  return v;
}

static void free_strings(void *p, size_t n) { cb_strings_free(p, n); }

static void push_strings(lua_State *L, char **s, size_t n) {
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    lua_pushstring(L, s[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

/* cbal.open_raster(path [, opts]) or cbal.open_raster{paths = {...}, ...};
 * opts: band=, nodata=, range=, scale=, offset=, crs=, mask=, subdataset=,
 * geotransform=. */
static int l_open_raster(lua_State *L) {
  static const char *const keys[] = {
      "band", "nodata", "range", "scale", "offset", "crs", "mask",
      "subdataset", "geotransform", "paths", NULL};
  int tiled = lua_istable(L, 1), oi = tiled ? 1 : 2;
  const char *path = tiled ? NULL : luaL_checkstring(L, 1);
  if (tiled && !lua_isnoneornil(L, 2))
    return luaL_error(L, "open_raster: with {paths = ...}, give the options "
                      "in that same table");
  int has = cbL_checkopts(L, oi, "open_raster", keys);
  cb_raster_opts o = {0};
  double nd[64];
  size_t n = 0;
  const char **paths = NULL;
  if (has) {
    read_opts(L, oi, &o, nd);
    lua_getfield(L, oi, "paths");
    int given = !lua_isnil(L, -1);
    lua_pop(L, 1);
    if (given && !tiled)
      return luaL_error(L, "open_raster: option 'paths' goes in the first "
                        "argument: cbal.open_raster{paths = {...}, ...}");
  }
  if (tiled) paths = opt_paths(L, oi, &n);
  raster_ud *u = lua_newuserdatauv(L, sizeof *u, 1);
  u->r = NULL;
  luaL_setmetatable(L, CBAL_RASTER);
  cb_err e;
  char **names = NULL;
  /* the tiles' names, freed even when pushing them raises */
  cbL_box *b = cbL_newbox(L, 0, free_strings);
  u->r = tiled ? cb_raster_open_tiles(paths, n, &o, &names, &e)
               : cb_raster_open(path, &o, &e);
  if (!u->r) return cbL_raise(L, &e);
  if (names) {
    b->p = names, b->n = n;
    push_strings(L, names, n);
    lua_setiuservalue(L, -3, 1);
  }
  cbL_freebox(b);
  lua_pop(L, 1);
  return 1;
}

/* cbal.glob(pattern) -> the matching files, sorted ({} when none). */
static int l_glob(lua_State *L) {
  const char *pat = luaL_checkstring(L, 1);
  char **v;
  size_t n;
  cb_err e;
  cbL_box *b = cbL_newbox(L, 0, free_strings);
  if (cb_glob(pat, &v, &n, &e)) return cbL_raise(L, &e);
  b->p = v, b->n = n;
  push_strings(L, v, n);
  cbL_freebox(b);
  return 1;
}

static int m_close(lua_State *L) {
  raster_ud *u = luaL_checkudata(L, 1, CBAL_RASTER);
  cb_raster_close(u->r);
  u->r = NULL;
  return 0;
}

static int m_crs(lua_State *L) {
  lua_pushstring(L, cb_raster_srs_wkt(cbL_checkraster(L, 1))); /* nil if none */
  return 1;
}

/* r:same_grid(s) -> true, or false and what differs ("size", "cell
 * size", "origin", "crs"): whether one coverage (cbal.zones) serves both,
 * by the comparison zones:stats makes. */
static int m_same_grid(lua_State *L) {
  cb_raster *r = cbL_checkraster(L, 1), *s = cbL_checkraster(L, 2);
  cb_grid g = {{0}, cb_raster_width(r), cb_raster_height(r)};
  cb_raster_geotransform(r, g.gt);
  const char *what = cb_zonal_grid_differs(&g, s);
  const char *a = cb_raster_srs_wkt(r), *b = cb_raster_srs_wkt(s);
  if (!what && a && b && !cb_crs_same(a, b)) what = "crs";
  lua_pushboolean(L, !what);
  if (what) lua_pushstring(L, what);
  return what ? 2 : 1;
}

/* r:read(row [, nrows]) -> cbal.Array of nrows*width values (row-major,
 * rows 1-based), invalid cells NaN, scale/offset applied. */
static int m_read(lua_State *L) {
  cb_raster *r = cbL_checkraster(L, 1);
  lua_Integer row = luaL_checkinteger(L, 2), n = luaL_optinteger(L, 3, 1);
  int h = cb_raster_height(r);
  if (row < 1 || row > h)
    return luaL_error(L, "read: row %I is outside '%s' (rows 1..%d)", row,
                      cb_raster_path(r), h);
  if (n < 0 || n > h - row + 1) /* not row - 1 + n: n may be huge */
    return luaL_error(L, "read: %I rows from row %I pass the last row of "
                      "'%s' (%d; at most %I rows from there)", n, row,
                      cb_raster_path(r), h, h - row + 1);
  cbL_array *a = cbL_newarray(L, (size_t)n * (size_t)cb_raster_width(r));
  cb_err e;
  if (cb_raster_read_rows(cb_raster_main_reader(r), (int)row - 1,
                          (int)(row - 1 + n), a->v, &e))
    return cbL_raise(L, &e);
  return 1;
}

static void push_numbers(lua_State *L, const double *v, size_t n) {
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    lua_pushnumber(L, v[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

/* Pushes property k; returns 0 when there is no such property. */
static int property(lua_State *L, cb_raster *r, const char *k) { /* r at 1 */
  double v[6], lo, hi;
  int bx, by;
  if (strcmp(k, "path") == 0) lua_pushstring(L, cb_raster_path(r));
  else if (strcmp(k, "width") == 0) lua_pushinteger(L, cb_raster_width(r));
  else if (strcmp(k, "height") == 0) lua_pushinteger(L, cb_raster_height(r));
  else if (strcmp(k, "bands") == 0) lua_pushinteger(L, cb_raster_nbands(r));
  else if (strcmp(k, "band") == 0) lua_pushinteger(L, cb_raster_band(r));
  else if (strcmp(k, "type") == 0) lua_pushstring(L, cb_raster_type_name(r));
  else if (strcmp(k, "scale") == 0) lua_pushnumber(L, cb_raster_scale(r));
  else if (strcmp(k, "offset") == 0) lua_pushnumber(L, cb_raster_offset(r));
  else if (strcmp(k, "masked") == 0) lua_pushboolean(L, cb_raster_masked(r));
  else if (strcmp(k, "tiles") == 0) lua_getiuservalue(L, 1, 1); /* nil: one file */
  else if (strcmp(k, "geotransform") == 0) {
    cb_raster_geotransform(r, v);
    push_numbers(L, v, 6);
  } else if (strcmp(k, "block") == 0) {
    cb_raster_block_size(r, &bx, &by);
    lua_createtable(L, 2, 0);
    lua_pushinteger(L, bx);
    lua_rawseti(L, -2, 1);
    lua_pushinteger(L, by);
    lua_rawseti(L, -2, 2);
  } else if (strcmp(k, "nodata") == 0) {
    const double *nd;
    size_t n = cb_raster_nodata(r, &nd);
    if (n) push_numbers(L, nd, n); else lua_pushnil(L);
  } else if (strcmp(k, "declared_nodata") == 0) {
    if (cb_raster_declared_nodata(r, &lo)) lua_pushnumber(L, lo);
    else lua_pushnil(L);
  } else if (strcmp(k, "range") == 0) {
    if (cb_raster_range(r, &lo, &hi)) {
      v[0] = lo, v[1] = hi;
      push_numbers(L, v, 2);
    } else lua_pushnil(L);
  } else return 0;
  return 1;
}

/* Methods first (so :close() works on a closed raster), then properties. */
static int m_index(lua_State *L) {
  luaL_checkudata(L, 1, CBAL_RASTER);
  const char *k = luaL_checkstring(L, 2);
  if (cbL_getmethod(L, CBAL_RASTER, k)) return 1;
  if (property(L, cbL_checkraster(L, 1), k)) return 1;
  return luaL_error(L, "cbal.Raster has no field or method '%s'", k);
}

static int m_tostring(lua_State *L) {
  raster_ud *u = luaL_checkudata(L, 1, CBAL_RASTER);
  if (!u->r)
    lua_pushstring(L, "cbal.Raster (closed)");
  else
    lua_pushfstring(L, "cbal.Raster('%s', band %d, %dx%d %s)",
                    cb_raster_path(u->r), cb_raster_band(u->r),
                    cb_raster_width(u->r), cb_raster_height(u->r),
                    cb_raster_type_name(u->r));
  return 1;
}

static const luaL_Reg methods[] = {
    {"close", m_close}, {"crs", m_crs}, {"read", m_read},
    {"same_grid", m_same_grid}, {NULL, NULL}};

static const luaL_Reg meta[] = {{"__index", m_index},
                                {"__gc", m_close},
                                {"__close", m_close},
                                {"__tostring", m_tostring},
                                {NULL, NULL}};

static const luaL_Reg funcs[] = {
    {"open_raster", l_open_raster}, {"glob", l_glob}, {NULL, NULL}};

void cbL_open_raster(lua_State *L) {
  cbL_newtype(L, CBAL_RASTER, methods, meta);
  luaL_setfuncs(L, funcs, 0);
}
