/* Shared helpers for the Lua bindings: option tables, core errors, types. */
#include "l_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int cbL_checkopts(lua_State *L, int idx, const char *fname,
                  const char *const allowed[]) {
  if (lua_isnoneornil(L, idx)) return 0;
  luaL_checktype(L, idx, LUA_TTABLE);
  idx = lua_absindex(L, idx);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    int known = 0;
    if (lua_type(L, -1) == LUA_TSTRING) {
      const char *k = lua_tostring(L, -1);
      for (int i = 0; allowed[i]; i++)
        if (strcmp(k, allowed[i]) == 0) known = 1;
    }
    if (!known) {
      char list[512] = "";
      for (int i = 0; allowed[i]; i++) cb_list_add(list, sizeof list, allowed[i]);
      const char *key = luaL_tolstring(L, -1, NULL);
      return luaL_error(L, "unknown key '%s' in %s (expected one of: %s)",
                        key, fname, list);
    }
  }
  return 1;
}

int cbL_optenum(lua_State *L, int idx, const char *where, const char *key,
                int def, const char *const names[]) {
  const char *s = cbL_optstrfield(L, idx, key, NULL);
  return s ? cbL_enum(L, s, where, key, names) : def;
}

int cbL_enum(lua_State *L, const char *s, const char *where, const char *key,
             const char *const names[]) {
  for (int i = 0; names[i]; i++)
    if (strcmp(s, names[i]) == 0) return i;
  char list[256] = "";
  for (int i = 0; names[i]; i++) cb_list_add(list, sizeof list, names[i]);
  return luaL_error(L, "%s%soption '%s': unknown value '%s' (expected one of: "
                    "%s)", where ? where : "", where ? ": " : "", key, s, list);
}

static int getfield(lua_State *L, int idx, const char *key) {
  if (lua_isnoneornil(L, idx)) return LUA_TNIL;
  return lua_getfield(L, idx, key);
}

double cbL_optnumfield(lua_State *L, int idx, const char *key, double def) {
  int t = getfield(L, idx, key);
  if (t == LUA_TNIL) {
    if (!lua_isnoneornil(L, idx)) lua_pop(L, 1);
    return def;
  }
  if (t != LUA_TNUMBER)
    luaL_error(L, "option '%s' must be a number, got %s", key,
               luaL_typename(L, -1));
  double v = lua_tonumber(L, -1);
  lua_pop(L, 1);
  return v;
}

lua_Integer cbL_optintfield(lua_State *L, int idx, const char *key,
                            lua_Integer def) {
  int t = getfield(L, idx, key);
  if (t == LUA_TNIL) {
    if (!lua_isnoneornil(L, idx)) lua_pop(L, 1);
    return def;
  }
  int ok = 0;
  lua_Integer v = lua_tointegerx(L, -1, &ok);
  if (!ok)
    luaL_error(L, "option '%s' must be an integer, got %s", key,
               luaL_typename(L, -1));
  lua_pop(L, 1);
  return v;
}

const char *cbL_optstrfield(lua_State *L, int idx, const char *key,
                            const char *def) {
  int t = getfield(L, idx, key);
  if (t == LUA_TNIL) {
    if (!lua_isnoneornil(L, idx)) lua_pop(L, 1);
    return def;
  }
  if (t != LUA_TSTRING)
    luaL_error(L, "option '%s' must be a string, got %s", key,
               luaL_typename(L, -1));
  /* The string stays alive: it is referenced by the options table. */
  const char *s = lua_tostring(L, -1);
  lua_pop(L, 1);
  return s;
}

int cbL_optboolfield(lua_State *L, int idx, const char *key, int def) {
  int t = getfield(L, idx, key);
  if (t == LUA_TNIL) {
    if (!lua_isnoneornil(L, idx)) lua_pop(L, 1);
    return def;
  }
  if (t != LUA_TBOOLEAN)
    luaL_error(L, "option '%s' must be a boolean, got %s", key,
               luaL_typename(L, -1));
  int v = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return v;
}

int cbL_errorf(lua_State *L, const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return luaL_error(L, "%s", buf);
}

const char *cbL_errmsg(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  int t = lua_type(L, idx);
  if (t == LUA_TSTRING || t == LUA_TNUMBER) return luaL_tolstring(L, idx, NULL);
  if (luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
    lua_pop(L, 1);
    return luaL_tolstring(L, idx, NULL);
  }
  return lua_pushfstring(L, "(error object is a %s value)",
                         luaL_typename(L, idx));
}

int cbL_raise(lua_State *L, const cb_err *e) {
  return luaL_error(L, "%s", e->msg);
}

#define CBAL_BOX "cbal.Box"

static int box_gc(lua_State *L) {
  cbL_freebox(luaL_checkudata(L, 1, CBAL_BOX));
  return 0;
}

void cbL_freebox(cbL_box *b) {
  if (b->p && b->fn) b->fn(b->p, b->n);
  b->p = NULL;
}

cbL_box *cbL_newbox(lua_State *L, size_t inline_size,
                    void (*fn)(void *p, size_t n)) {
  static const luaL_Reg box_meta[] = {{"__gc", box_gc}, {NULL, NULL}};
  size_t head = (sizeof(cbL_box) + 15) / 16 * 16;
  cbL_box *b = lua_newuserdatauv(L, head + inline_size, 0);
  memset(b, 0, head + inline_size);
  b->fn = fn;
  if (inline_size) b->p = (char *)b + head;
  if (luaL_getmetatable(L, CBAL_BOX) == LUA_TNIL) { /* once per state */
    lua_pop(L, 1);
    cbL_newtype(L, CBAL_BOX, NULL, box_meta);
    luaL_getmetatable(L, CBAL_BOX);
  }
  lua_setmetatable(L, -2);
  return b;
}

/* Records that the type `id` (its method or metamethod list) owns the name
 * tname in this state; raises when another type has it already (two types
 * sharing a name would pass each other's luaL_checkudata). */
static void claim_name(lua_State *L, const char *tname, const void *id) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, "cbal.types");
  if (lua_getfield(L, -1, tname) != LUA_TNIL && lua_touserdata(L, -1) != id)
    luaL_error(L, "two native types are named '%s'", tname);
  lua_pop(L, 1);
  lua_pushlightuserdata(L, (void *)id);
  lua_setfield(L, -2, tname);
  lua_pop(L, 1);
}

void cbL_newtype(lua_State *L, const char *tname, const luaL_Reg *methods,
                 const luaL_Reg *meta) {
  claim_name(L, tname, meta ? (const void *)meta : (const void *)methods);
  luaL_newmetatable(L, tname);
  if (meta) luaL_setfuncs(L, meta, 0);
  if (methods) {
    int custom_index = lua_getfield(L, -1, "__index") != LUA_TNIL;
    lua_pop(L, 1);
    lua_newtable(L);
    luaL_setfuncs(L, methods, 0);
    lua_setfield(L, -2, custom_index ? "methods" : "__index");
  }
  lua_pop(L, 1);
}

int cbL_getmethod(lua_State *L, const char *tname, const char *key) {
  int top = lua_gettop(L);
  luaL_getmetatable(L, tname);
  if (lua_getfield(L, -1, "methods") == LUA_TTABLE &&
      lua_getfield(L, -1, key) != LUA_TNIL) {
    lua_replace(L, top + 1);
    lua_settop(L, top + 1);
    return 1;
  }
  lua_settop(L, top);
  return 0;
}
