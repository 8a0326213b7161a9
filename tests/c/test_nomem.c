/* Allocation-failure sweep of the Lua bindings: each scenario runs in a
 * fresh lua_State whose allocator fails after N allocations, for N = 0, 1,
 * 2, ... until the scenario completes. Every failure must be a clean "not
 * enough memory" error: no crash, and (under `make check-asan`) no leak of
 * what core allocated while the bindings were pushing results. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
/* cmocka needs the headers above first */
#include <cmocka.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

int luaopen_cbal_core(lua_State *L);

typedef struct limit {
  int armed;
  size_t count, max; /* allocations while armed; fail past max */
  int hit;           /* an allocation was refused */
} limit;

static void *failing_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  limit *l = ud;
  if (nsize == 0) {
    free(ptr);
    return NULL;
  }
  /* Lua assumes shrinking never fails; only growth counts */
  if (l->armed && (!ptr || nsize > osize) && ++l->count > l->max) {
    l->hit = 1;
    return NULL;
  }
  return realloc(ptr, nsize);
}

#include "tmpdir_fixture.h"

/* A state with the standard libraries, cbal.core as global `cbal`, `dir`,
 * and `prep` run (unarmed) to make the scenario's inputs. */
static lua_State *new_state(limit *l, const char *prep) {
  lua_State *L = lua_newstate(failing_alloc, l);
  assert_non_null(L);
  luaL_openlibs(L);
  luaL_requiref(L, "cbal.core", luaopen_cbal_core, 0);
  lua_setglobal(L, "cbal");
  lua_pushstring(L, dir);
  lua_setglobal(L, "dir");
  if (prep && luaL_dostring(L, prep) != LUA_OK)
    fail_msg("preparation failed: %s", lua_tostring(L, -1));
  return L;
}

/* Runs `code` with the allocator failing after N = 0, 1, 2, ...
 * allocations until it completes; returns the number of runs. */
static size_t sweep(const char *name, const char *prep, const char *code) {
  for (size_t n = 0;; n++) {
    limit l = {0, 0, n, 0};
    lua_State *L = new_state(&l, prep);
    if (luaL_loadstring(L, code) != LUA_OK)
      fail_msg("%s: %s", name, lua_tostring(L, -1));
    l.armed = 1;
    int status = lua_pcall(L, 0, 0, 0);
    l.armed = 0;
    const char *msg = lua_tostring(L, -1);
    if (status != LUA_OK && !l.hit)
      fail_msg("%s: failed without a refused allocation: %s", name, msg);
    if (status != LUA_OK && status != LUA_ERRMEM &&
        !(msg && strstr(msg, "not enough memory")))
      fail_msg("%s, allocation %zu refused: '%s' is not a memory error", name,
               n + 1, msg ? msg : "(no message)");
    lua_close(L);
    if (status == LUA_OK && !l.hit) {
      print_message("%s: %zu runs\n", name, n + 1);
      return n + 1;
    }
    if (n > 100000) fail_msg("%s: no end to the sweep", name);
  }
}

static void test_arrays(void **state) {
  (void)state;
  sweep("arrays", NULL,
        "local a = cbal.array { 1, 2, 3, 0 / 0 }\n"
        "local b = (a + a * 2):where(a:gt(1), 0)\n"
        "assert(b:sum() == 15 and #b:totable() == 4)\n"
        "local s = cbal.seq(1, 10):slice(2, 4):copy()\n"
        "assert(tostring(s):find('cbal.array'))");
}

static void test_tables(void **state) {
  (void)state;
  sweep("tables", NULL,
        "local p = dir .. '/t.csv'\n"
        "cbal.write_table(p, { a = cbal.array { 1, 2 }, b = { 'x', '玄武区' } },\n"
        "  { order = { 'b', 'a' } })\n"
        "local c, names, n = cbal.read_table(p, { text = { 'b' } })\n"
        "assert(n == 2 and c.b[2] == '玄武区' and names[1] == 'b')\n"
        "assert(#cbal.table_sheets(p) == 1)");
}

static const char *layer_prep =
    "cbal.write_layer(dir .. '/l.geojson', { crs = 'EPSG:4326',\n"
    "  fields = { { name = 'id', type = 'integer' }, { name = 'name' } },\n"
    "  features = { { id = 1, name = 'a', geometry = { { { 0, 0, 2, 0, 2, 2, 0, 2 } } } },\n"
    "               { id = 2, name = 'b', geometry = { { { 2, 0, 4, 0, 4, 2, 2, 2 } } } } } })\n"
    "cbal.write_raster(dir .. '/r.tif', { width = 4, height = 2,\n"
    "  geotransform = { 0, 1, 0, 2, 0, -1 }, crs = 'EPSG:4326',\n"
    "  values = cbal.seq(1, 8) })\n";

static void test_layers(void **state) {
  (void)state;
  sweep("layers", layer_prep,
        "local l = cbal.open_layer(dir .. '/l.geojson')\n"
        "assert(#l == 2 and l:field('id')[2] == 2 and l:field('name')[1] == 'a')\n"
        "assert(#l:fields() == 2 and #l:polygons() == 2)\n"
        "l:close()");
}

static void test_zones(void **state) {
  (void)state;
  sweep("zones", layer_prep,
        "local l = cbal.open_layer(dir .. '/l.geojson')\n"
        "local r = cbal.open_raster(dir .. '/r.tif')\n"
        "local z = cbal.zones(l, r, { id = 'id' })\n"
        "local s = z:stats(r, { 'sum', 'mean', 'count' })\n"
        "assert(s.sum[1] == 1 + 2 + 5 + 6)");
}

static void test_zonal_values(void **state) {
  (void)state;
  sweep("zonal values", layer_prep,
        "local l = cbal.open_layer(dir .. '/l.geojson')\n"
        "local r = cbal.open_raster(dir .. '/r.tif')\n"
        "local z = cbal.zones(l, r, { id = 'id' })\n"
        "local s = z:stats(r, { 'median', 'quantile(q=0.9)', 'majority', 'frac',\n"
        "  'unique', { name = 'n', fn = function(v, c) return #v end } })\n"
        "assert(s.median[1] == 3.5 and s.frac_1[1] == 0.25 and #s.unique[2] == 4)\n"
        "assert(s.n[2] == 4 and #s.columns == 13)\n"
        "local d = z:dump(r, 2, { nodata = true })\n"
        "assert(#d.cell_id == 4 and d.values[4] == 8)");
}

static void test_writers(void **state) {
  (void)state;
  sweep("writers", NULL,
        "cbal.write_raster(dir .. '/w.tif', { width = 3, height = 2, type = 'Byte',\n"
        "  geotransform = { 0, 1, 0, 0, 0, -1 }, crs = 'EPSG:4326',\n"
        "  values = function(y) return { y, y + 1, y + 2 } end })\n"
        "cbal.write_layer(dir .. '/w.gpkg', { crs = 'EPSG:4326',\n"
        "  fields = { { name = 'v', type = 'real' } },\n"
        "  features = { { v = 1.5, geometry = { { { 0, 0, 1, 0, 1, 1 } } } } } })\n"
        "local g = cbal.geom_op({ { { 0, 0, 4, 0, 4, 4, 0, 4 } } },\n"
        "  { { { 1, 1, 2, 1, 2, 2, 1, 2 } } }, 'difference')\n"
        "assert(#g[1] == 2)\n"
        "local a = cbal.rasterize({ { { { 0, 0, 2, 0, 2, -2, 0, -2 } } } },\n"
        "  { width = 2, height = 2, geotransform = { 0, 1, 0, 0, 0, -1 }, crs = 'EPSG:3857' })\n"
        "assert(a:sum() == 4)");
}

static void test_figures(void **state) {
  (void)state;
  sweep("figures", NULL,
        "local f = cbal.figure { width_mm = 40, height_mm = 30, dpi = 30 }\n"
        "f:panel { row = 1, col = 1 }:map {\n"
        "  polygons = { { { 0, 0, 1, 0, 1, 1, 0, 1 } }, { { 1, 0, 2, 0, 2, 1, 1, 1 } } },\n"
        "  values = { 1, 2 }, breaks = { 0, 1.5, 3 }, labels = { 'a', 'b' } }\n"
        "f:save(dir .. '/f.png')");
}

static void test_sandbox(void **state) {
  (void)state;
  sweep("sandbox", NULL,
        "local sb = cbal.sandbox()\n"
        "local t = sb:dostring('return { n = 2, f = function(x) return x[1] * 2 end }', 'c.lua')\n"
        "assert(t.n == 2 and t.f(cbal.array { 3 }) == 6)\n"
        "sb:close()");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_arrays),  cmocka_unit_test(test_tables),
      cmocka_unit_test(test_layers),  cmocka_unit_test(test_zones),
      cmocka_unit_test(test_zonal_values),
      cmocka_unit_test(test_writers), cmocka_unit_test(test_figures),
      cmocka_unit_test(test_sandbox),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
