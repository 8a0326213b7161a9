/* Small native helpers for command-line programs written in Lua (cbal
 * zonal): CRS comparison and labels (cbal.crs_same, cbal.crs_label) and the
 * driver that writes a layer file (cbal.layer_format). */
#include "core/crs.h"
#include "core/layer.h"
#include "core/write.h"
#include "l_util.h"

/* cbal.crs_same(a, b) -> boolean: the same CRS semantically (WKT, EPSG:n,
 * PROJ); false when either cannot be understood. */
static int l_crs_same(lua_State *L) {
  const char *a = luaL_checkstring(L, 1), *b = luaL_checkstring(L, 2);
  lua_pushboolean(L, cb_crs_same(a, b));
  return 1;
}

/* cbal.crs_label(crs) -> "EPSG:4326" or the CRS's name, for messages. */
static int l_crs_label(lua_State *L) {
  char buf[128];
  lua_pushstring(L, cb_crs_label(luaL_checkstring(L, 1), buf, sizeof buf));
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

static const luaL_Reg funcs[] = {{"crs_same", l_crs_same},
                                 {"crs_label", l_crs_label},
                                 {"layer_format", l_layer_format},
                                 {NULL, NULL}};

void cbL_open_cli(lua_State *L) { luaL_setfuncs(L, funcs, 0); }
