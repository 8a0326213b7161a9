/* cbal.base64(s): standard padded base64 of a Lua string. */
#include "core/base64.h"
#include "l_util.h"

static int l_base64(lua_State *L) {
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  luaL_Buffer b;
  char *dst = luaL_buffinitsize(L, &b, cb_base64_len(n));
  cb_base64((const unsigned char *)s, n, dst);
  luaL_pushresultsize(&b, cb_base64_len(n));
  return 1;
}

static const luaL_Reg funcs[] = {{"base64", l_base64}, {NULL, NULL}};

void cbL_open_encode(lua_State *L) { luaL_setfuncs(L, funcs, 0); }
