/* Bindings for output folders: cbal.mkdir (with its parents),
 * cbal.mkdtemp (a staging folder created exclusively) and cbal.exchange
 * (two folders swapped in one step). */
#include "core/atomic.h"
#include "l_util.h"

/* cbal.mkdir(path): creates the folder and its missing parents; raises
 * naming the folder it cannot make. */
static int l_mkdir(lua_State *L) {
  cb_err e;
  if (cb_mkdirs(luaL_checkstring(L, 1), &e)) return cbL_raise(L, &e);
  return 0;
}

/* cbal.mkdtemp(prefix) -> path of a new folder prefix .. "XXXXXX" */
static int l_mkdtemp(lua_State *L) {
  const char *prefix = luaL_checkstring(L, 1);
  char out[4096];
  cb_err e;
  if (cb_atomic_mkdtemp(prefix, out, sizeof out, &e)) return cbL_raise(L, &e);
  lua_pushstring(L, out);
  return 1;
}

/* cbal.exchange(a, b) -> true when swapped, false when the kernel or the
 * file system cannot (nothing changed); raises on other failures. */
static int l_exchange(lua_State *L) {
  const char *a = luaL_checkstring(L, 1), *b = luaL_checkstring(L, 2);
  cb_err e;
  int r = cb_atomic_exchange(a, b, &e);
  if (r < 0) return cbL_raise(L, &e);
  lua_pushboolean(L, r == 0);
  return 1;
}

static const luaL_Reg funcs[] = {
    {"mkdir", l_mkdir}, {"mkdtemp", l_mkdtemp}, {"exchange", l_exchange}, {NULL, NULL}};

void cbL_open_fs(lua_State *L) { luaL_setfuncs(L, funcs, 0); }
