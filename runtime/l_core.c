/* luaopen_cbal_core: the native module, `require "cbal.core"`. Built into
 * the cbal executable and into build/cbal/core.so for stock lua5.4. */
#include <dlfcn.h>
#include <lua.h>

#include "core/gdalx.h"
#include "l_util.h"

/* cbal.core.warnings([clear]): the warnings issued since the last clear, as
 * a list of strings; clears them when `clear` is true. */
static int l_warnings(lua_State *L) {
  int clear = lua_toboolean(L, 1); /* before anything is pushed */
  size_t n = cb_warnings_count();
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    lua_pushstring(L, cb_warnings_get(i));
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  if (clear) cb_warnings_clear();
  return 1;
}

/* cbal.core.warn(msg): a warning through the same channel as native ones. */
static int l_warn(lua_State *L) {
  cb_warn("%s", luaL_checkstring(L, 1));
  return 0;
}

static const luaL_Reg funcs[] = {
    {"warnings", l_warnings}, {"warn", l_warn}, {NULL, NULL}};

/* GDAL, PROJ and fontconfig keep process-wide state (registered drivers,
 * thread contexts, caches) in the libraries this module loads. lua_close
 * unloads the module and with it those libraries, unmapping state they
 * still point to, so the module is pinned for the life of the process
 * (a no-op in the cbal executable, which links it in). */
static void pin_module(void) {
  Dl_info info;
  if (dladdr((void *)pin_module, &info) && info.dli_fname)
    dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
}

__attribute__((visibility("default"))) int luaopen_cbal_core(lua_State *L) {
  pin_module();
  cb_gdal_init();
  luaL_newlib(L, funcs);
  lua_pushstring(L, CBAL_VERSION);
  lua_setfield(L, -2, "version");
  lua_pushstring(L, cb_gdal_version());
  lua_setfield(L, -2, "gdal_version");
  lua_pushstring(L, LUA_RELEASE);
  lua_setfield(L, -2, "lua_version");
  cbL_open_array(L);
  cbL_open_progress(L);
  cbL_open_encode(L);
  cbL_open_table(L);
  cbL_open_raster(L);
  cbL_open_layer(L);
  cbL_open_polygons(L);
  cbL_open_zones(L);
  cbL_open_write(L);
  cbL_open_analytics(L);
  cbL_open_lmdi(L);
  cbL_open_classify(L);
  cbL_open_figure(L);
  cbL_open_sandbox(L);
  cbL_open_gcj02(L);
  cbL_open_fs(L);
  cbL_open_cli(L);
  cbL_open_spatial(L);
  return 1;
}
