/* Small native helpers for command-line programs written in Lua (cbal
 * zonal): file name patterns (cbal.glob), CRS comparison and labels
 * (cbal.crs_same, cbal.crs_label), the driver of a layer file
 * (cbal.layer_format). */
#include <glob.h>

#include "core/layer.h"
#include "core/write.h"
#include "l_util.h"

/* cbal.crs_same(a, b) -> boolean: the same CRS semantically (WKT, EPSG:n,
 * PROJ); false when either cannot be understood. */
static int l_crs_same(lua_State *L) {
  const char *a = luaL_checkstring(L, 1), *b = luaL_checkstring(L, 2);
  lua_pushboolean(L, cb_srs_same(a, b));
  return 1;
}

/* cbal.crs_label(crs) -> "EPSG:4326" or the CRS's name, for messages. */
static int l_crs_label(lua_State *L) {
  char buf[128];
  lua_pushstring(L, cb_srs_label(luaL_checkstring(L, 1), buf, sizeof buf));
  return 1;
}

/* cbal.layer_format(path) -> the OGR driver cbal.write_layer uses for path
 * ("GPKG", "GeoJSON", "FlatGeobuf", "Parquet"); raises naming the path when
 * the extension is unknown or this GDAL lacks the driver. */
static int l_layer_format(lua_State *L) {
  cb_err e;
  const char *d = cb_layer_driver(luaL_checkstring(L, 1), &e);
  if (!d) return cbL_raise(L, &e);
  lua_pushstring(L, d);
  return 1;
}

#define GLOB_HOLDER "cbal.Glob"

/* Owns a glob_t while its paths are copied into Lua (which may raise). */
typedef struct {
  glob_t g;
  int live;
} glob_ud;

static int glob_gc(lua_State *L) {
  glob_ud *u = luaL_checkudata(L, 1, GLOB_HOLDER);
  if (u->live) globfree(&u->g);
  u->live = 0;
  return 0;
}

/* cbal.glob(pattern) -> the paths matching a shell pattern (* ? [...]),
 * sorted; an empty list when nothing matches. */
static int l_glob(lua_State *L) {
  const char *pat = luaL_checkstring(L, 1);
  glob_ud *u = lua_newuserdatauv(L, sizeof *u, 0);
  u->live = 0;
  luaL_setmetatable(L, GLOB_HOLDER);
  int rc = glob(pat, 0, NULL, &u->g);
  u->live = rc == 0 || rc == GLOB_NOMATCH;
  if (rc == GLOB_NOSPACE) return luaL_error(L, "glob: out of memory");
  if (rc != 0 && rc != GLOB_NOMATCH)
    return luaL_error(L, "glob: cannot read the folders of '%s'", pat);
  size_t n = rc == 0 ? u->g.gl_pathc : 0;
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    lua_pushstring(L, u->g.gl_pathv[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

static const luaL_Reg funcs[] = {{"glob", l_glob},
                                 {"crs_same", l_crs_same},
                                 {"crs_label", l_crs_label},
                                 {"layer_format", l_layer_format},
                                 {NULL, NULL}};

void cbL_open_cli(lua_State *L) {
  static const luaL_Reg meta[] = {{"__gc", glob_gc}, {NULL, NULL}};
  cbL_newtype(L, GLOB_HOLDER, NULL, meta);
  luaL_setfuncs(L, funcs, 0);
}
