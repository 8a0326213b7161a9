/* Values crossing between the host and a cbal.Sandbox state: results are
 * copied out (functions stay inside, reached by id), arguments copied in
 * (cbal arrays become plain number tables). */
#include "l_sandbox.h"

#define MAX_DEPTH 64

/* Gives the function at idx, or every function reachable from the table at
 * idx, an integer id in `fns` (function -> id and id -> function); `seen`
 * holds the tables already walked. */
static void register_fns(lua_State *S, int idx, int seen, int fns, int depth) {
  luaL_checkstack(S, 6, "values nested too deeply");
  idx = lua_absindex(S, idx);
  int t = lua_type(S, idx);
  if (t == LUA_TFUNCTION) {
    lua_pushvalue(S, idx);
    if (lua_rawget(S, fns) == LUA_TNIL) {
      lua_Integer id = (lua_Integer)lua_rawlen(S, fns) + 1;
      lua_pushvalue(S, idx);
      lua_rawseti(S, fns, id);
      lua_pushvalue(S, idx);
      lua_pushinteger(S, id);
      lua_rawset(S, fns);
    }
    lua_pop(S, 1);
    return;
  }
  if (t != LUA_TTABLE) return;
  if (depth > MAX_DEPTH) luaL_error(S, "values nested deeper than %d", MAX_DEPTH);
  lua_pushvalue(S, idx);
  if (lua_rawget(S, seen) != LUA_TNIL) {
    lua_pop(S, 1);
    return;
  }
  lua_pop(S, 1);
  lua_pushvalue(S, idx);
  lua_pushboolean(S, 1);
  lua_rawset(S, seen);
  lua_pushnil(S);
  while (lua_next(S, idx)) {
    register_fns(S, -1, seen, fns, depth + 1);
    register_fns(S, -2, seen, fns, depth + 1);
    lua_pop(S, 1);
  }
}

int cbL_sandbox_register(lua_State *S) {
  int top = lua_gettop(S);
  lua_newtable(S);
  lua_getfield(S, LUA_REGISTRYINDEX, "cbal.fns");
  for (int i = 1; i <= top; i++) register_fns(S, i, top + 1, top + 2, 0);
  lua_settop(S, top);
  return top;
}

/* Copies the sandbox value at sidx into L (no code runs in the sandbox and
 * nothing is allocated there). `seen` (in L) maps sandbox tables to their
 * copies; functions become cbal.SandboxFunction values tied to the sandbox
 * userdata at sbidx. Raises in L on an unsupported value. */
static void copy_out(cbL_sandbox *sb, int sidx, lua_State *L, int seen,
                     int sbidx, int depth) {
  lua_State *S = sb->S;
  if (!lua_checkstack(S, 4)) luaL_error(L, "%s: values nested too deeply", sb->name);
  luaL_checkstack(L, 6, "values nested too deeply");
  sidx = lua_absindex(S, sidx);
  switch (lua_type(S, sidx)) {
  case LUA_TNIL: lua_pushnil(L); return;
  case LUA_TBOOLEAN: lua_pushboolean(L, lua_toboolean(S, sidx)); return;
  case LUA_TNUMBER:
    if (lua_isinteger(S, sidx))
      lua_pushinteger(L, lua_tointeger(S, sidx));
    else
      lua_pushnumber(L, lua_tonumber(S, sidx));
    return;
  case LUA_TSTRING: {
    size_t n;
    const char *s = lua_tolstring(S, sidx, &n);
    lua_pushlstring(L, s, n);
    return;
  }
  case LUA_TFUNCTION: {
    lua_getfield(S, LUA_REGISTRYINDEX, "cbal.fns");
    lua_pushvalue(S, sidx);
    lua_rawget(S, -2);
    lua_Integer id = lua_tointeger(S, -1);
    lua_pop(S, 2);
    lua_Integer *f = lua_newuserdatauv(L, sizeof *f, 1);
    *f = id;
    lua_pushvalue(L, sbidx);
    lua_setiuservalue(L, -2, 1);
    luaL_setmetatable(L, SANDBOX_FN);
    return;
  }
  case LUA_TTABLE: break;
  default:
    luaL_error(L, "%s: a %s value cannot leave the sandbox (return numbers, "
               "strings, booleans, tables and functions)",
               sb->name, lua_typename(S, lua_type(S, sidx)));
  }
  if (depth > MAX_DEPTH)
    luaL_error(L, "%s: values nested deeper than %d", sb->name, MAX_DEPTH);
  lua_pushlightuserdata(L, (void *)lua_topointer(S, sidx));
  if (lua_rawget(L, seen) != LUA_TNIL) return;
  lua_pop(L, 1);
  lua_newtable(L);
  lua_pushlightuserdata(L, (void *)lua_topointer(S, sidx));
  lua_pushvalue(L, -2);
  lua_rawset(L, seen);
  int dst = lua_gettop(L);
  lua_pushnil(S);
  while (lua_next(S, sidx)) {
    int kt = lua_type(S, -2);
    if (kt != LUA_TNUMBER && kt != LUA_TSTRING && kt != LUA_TBOOLEAN)
      luaL_error(L, "%s: table keys must be numbers, strings or booleans, "
                 "got a %s", sb->name, lua_typename(S, kt));
    copy_out(sb, -2, L, seen, sbidx, depth + 1);
    copy_out(sb, -1, L, seen, sbidx, depth + 1);
    lua_rawset(L, dst);
    lua_pop(S, 1);
  }
}

/* Copies out one value at a time, sharing `seen` so a table reached twice
 * (or a cycle) is copied once. */
int cbL_sandbox_results(lua_State *L, cbL_sandbox *sb, int sbidx, int base) {
  int n = lua_gettop(sb->S) - base;
  luaL_checkstack(L, n + 2, "too many results");
  lua_newtable(L);
  int seen = lua_gettop(L);
  for (int i = 1; i <= n; i++) copy_out(sb, base + i, L, seen, sbidx, 0);
  lua_remove(L, seen);
  lua_settop(sb->S, base);
  return n;
}

/* The cbal.Array at idx in L (read without allocating), or NULL. */
static cbL_array *host_array(lua_State *L, int idx, const void *mt) {
  if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx))
    return NULL;
  int is = lua_topointer(L, -1) == mt;
  lua_pop(L, 1);
  return is ? lua_touserdata(L, idx) : NULL;
}

/* Protected (sandbox side): pushes copies of host values; only reads L. */
static void copy_in(lua_State *S, lua_State *L, int idx, int depth,
                    const void *mt) {
  luaL_checkstack(S, 4, "values nested too deeply");
  if (!lua_checkstack(L, 3)) luaL_error(S, "arguments nested too deeply");
  cbL_array *arr = host_array(L, idx, mt);
  if (arr) {
    lua_createtable(S, (int)arr->n, 0);
    for (size_t k = 0; k < arr->n; k++) {
      lua_pushnumber(S, arr->v[k]);
      lua_rawseti(S, -2, (lua_Integer)k + 1);
    }
    return;
  }
  switch (lua_type(L, idx)) {
  case LUA_TNIL: lua_pushnil(S); return;
  case LUA_TBOOLEAN: lua_pushboolean(S, lua_toboolean(L, idx)); return;
  case LUA_TNUMBER:
    if (lua_isinteger(L, idx))
      lua_pushinteger(S, lua_tointeger(L, idx));
    else
      lua_pushnumber(S, lua_tonumber(L, idx));
    return;
  case LUA_TSTRING: {
    size_t n;
    const char *s = lua_tolstring(L, idx, &n);
    lua_pushlstring(S, s, n);
    return;
  }
  case LUA_TTABLE: break;
  default:
    luaL_error(S, "a %s value cannot enter the sandbox (pass numbers, "
               "strings, booleans and tables of them)", luaL_typename(L, idx));
  }
  if (depth > 16) luaL_error(S, "arguments nested deeper than 16 (a cycle?)");
  idx = lua_absindex(L, idx);
  lua_newtable(S);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    copy_in(S, L, -2, depth + 1, mt);
    copy_in(S, L, -1, depth + 1, mt);
    lua_rawset(S, -3);
    lua_pop(L, 1);
  }
}

int cbL_sandbox_push_args(lua_State *S) {
  cbL_sandbox_args *a = lua_touserdata(S, 1);
  lua_pop(S, 1);
  for (int i = 0; i < a->n; i++) copy_in(S, a->L, a->first + i, 0, a->array_mt);
  return a->n;
}
