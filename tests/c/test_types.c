/* The one type registration (cbL_newtype): every native type has its own
 * name, a reopened module registers its types again harmlessly, and a
 * second type under a taken name is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
/* cmocka needs the headers above first */
#include <cmocka.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "l_util.h"

int luaopen_cbal_core(lua_State *L);

static lua_State *open_state(void) {
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  luaL_requiref(L, "cbal.core", luaopen_cbal_core, 0);
  lua_pop(L, 1);
  return L;
}

static int noop(lua_State *L) {
  (void)L;
  return 0;
}

/* Registers a made-up type under the name given as argument 1. */
static int register_other(lua_State *L) {
  static const luaL_Reg meta[] = {{"__gc", noop}, {NULL, NULL}};
  cbL_newtype(L, luaL_checkstring(L, 1), NULL, meta);
  return 0;
}

static void test_names_distinct(void **state) {
  (void)state;
  lua_State *L = open_state();
  /* each registered name is a metatable whose __name is that name */
  lua_getfield(L, LUA_REGISTRYINDEX, "cbal.types");
  assert_int_equal(lua_type(L, -1), LUA_TTABLE);
  int n = 0, figure_panel = 0;
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    const char *name = lua_tostring(L, -2);
    assert_int_equal(strncmp(name, "cbal.", 5), 0);
    assert_int_equal(luaL_getmetatable(L, name), LUA_TTABLE);
    lua_getfield(L, -1, "__name");
    assert_string_equal(lua_tostring(L, -1), name);
    figure_panel += strcmp(name, "cbal.FigurePanel") == 0;
    lua_pop(L, 3);
    n++;
  }
  assert_true(n >= 10);
  assert_int_equal(figure_panel, 1);
  /* the data panel's name (lua/cbal/panel.lua) is no native type's */
  assert_int_equal(luaL_getmetatable(L, "cbal.Panel"), LUA_TNIL);
  lua_close(L);
}

static void test_reopen_and_clash(void **state) {
  (void)state;
  lua_State *L = open_state();
  lua_pushcfunction(L, luaopen_cbal_core); /* opening again is fine */
  assert_int_equal(lua_pcall(L, 0, 1, 0), LUA_OK);
  lua_pop(L, 1);
  lua_pushcfunction(L, register_other);
  lua_pushstring(L, "cbal.Raster");
  assert_int_equal(lua_pcall(L, 1, 0, 0), LUA_ERRRUN);
  assert_string_equal(lua_tostring(L, -1),
                      "two native types are named 'cbal.Raster'");
  lua_pop(L, 1);
  lua_pushcfunction(L, register_other); /* a free name is taken */
  lua_pushstring(L, "cbal.Other");
  assert_int_equal(lua_pcall(L, 1, 0, 0), LUA_OK);
  lua_close(L);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_names_distinct),
      cmocka_unit_test(test_reopen_and_clash),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
