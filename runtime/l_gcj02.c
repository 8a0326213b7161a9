/* cbal.gcj02's native half (core._gcj02): GCJ-02 <-> WGS84 on numbers or
 * on arrays of longitudes and latitudes. */
#include "core/gcj02.h"
#include "l_util.h"

typedef void (*one_fn)(double, double, double *, double *);
typedef void (*many_fn)(const double *, const double *, double *, double *,
                        size_t);

/* (lon, lat) numbers -> two numbers; arrays or lists -> two new arrays. */
static int convert(lua_State *L, const char *name, one_fn one, many_fn many) {
  if (lua_type(L, 1) == LUA_TNUMBER) {
    double x, y, lat = luaL_checknumber(L, 2);
    one(lua_tonumber(L, 1), lat, &x, &y);
    lua_pushnumber(L, x);
    lua_pushnumber(L, y);
    return 2;
  }
  if (!cbL_testarray(L, 1) && !lua_istable(L, 1))
    return luaL_error(L, "gcj02.%s: give (lon, lat) as two numbers or as two "
                      "arrays, got %s", name, luaL_typename(L, 1));
  size_t n, m;
  const double *lon = cbL_tovalues(L, 1, &n);
  const double *lat = cbL_tovalues(L, 2, &m);
  if (n != m)
    return cbL_errorf(L, "gcj02.%s: %zu longitudes but %zu latitudes", name,
                      n, m);
  cbL_array *a = cbL_newarray(L, n), *b = cbL_newarray(L, n);
  many(lon, lat, a->v, b->v, n);
  return 2;
}

static int l_to_wgs84(lua_State *L) {
  return convert(L, "to_wgs84", cb_gcj02_to_wgs84, cb_gcj02_to_wgs84_n);
}

static int l_from_wgs84(lua_State *L) {
  return convert(L, "from_wgs84", cb_gcj02_from_wgs84, cb_gcj02_from_wgs84_n);
}

static int l_outside(lua_State *L) {
  lua_pushboolean(L, cb_gcj02_outside(luaL_checknumber(L, 1),
                                      luaL_checknumber(L, 2)));
  return 1;
}

static const luaL_Reg funcs[] = {{"to_wgs84", l_to_wgs84},
                                 {"from_wgs84", l_from_wgs84},
                                 {"outside", l_outside},
                                 {NULL, NULL}};

void cbL_open_gcj02(lua_State *L) {
  luaL_newlib(L, funcs);
  lua_setfield(L, -2, "_gcj02");
}
