/* Lua functions as statistics of zones:stats: function(values, coverage
 * [, weights]) called once per zone, protected, from the engine's thread. */
#include <math.h>
#include <string.h>

#include "l_util.h"
#include "l_zonal.h"

static void push_values(lua_State *L, const double *v, size_t n) {
  cbL_array *a = cbL_newarray(L, n);
  if (n) memcpy(a->v, v, n * sizeof *v);
}

/* (list of functions, ctx): calls each with the zone's values, coverage
 * (and weights); stores what it returns. Runs protected. */
static int call_fns(lua_State *L) {
  fnctx *x = lua_touserdata(L, 2);
  push_values(L, x->v, x->n);
  push_values(L, x->c, x->n);
  if (x->w) push_values(L, x->w, x->n);
  int nargs = x->w ? 3 : 2, base = lua_gettop(L) - nargs;
  for (size_t k = 0; k < x->nfn; k++) {
    x->cur = k;
    lua_geti(L, 1, (lua_Integer)k + 1);
    for (int i = 1; i <= nargs; i++) lua_pushvalue(L, base + i);
    lua_call(L, nargs, 1);
    int t = lua_type(L, -1);
    if (t != LUA_TNUMBER && t != LUA_TNIL)
      return luaL_error(L, "returned a %s (return a number, or nil for "
                        "none)", luaL_typename(L, -1));
    x->out[k][x->zone] = t == LUA_TNIL ? NAN : lua_tonumber(L, -1);
    lua_pop(L, 1);
  }
  return 0;
}

static int tostr(lua_State *L) {
  luaL_tolstring(L, 1, NULL);
  return 1;
}

/* The engine's zone callback: runs call_fns protected; an error stops the
 * pass with a message naming the function and the zone. */
static int zone_cb(void *ud, size_t zone, const double *v, const double *c,
                   const double *w, size_t n, cb_err *e) {
  fnctx *x = ud;
  lua_State *L = x->L;
  x->zone = zone, x->n = n, x->v = v, x->c = c, x->w = w, x->cur = 0;
  lua_pushcfunction(L, call_fns);
  lua_pushvalue(L, x->fns);
  lua_pushlightuserdata(L, x);
  if (lua_pcall(L, 2, 0, 0) == LUA_OK) return 0;
  lua_pushcfunction(L, tostr); /* the error's text, __tostring included */
  lua_insert(L, -2);
  const char *msg = lua_pcall(L, 1, 1, 0) == LUA_OK ? lua_tostring(L, -1) : NULL;
  cb_err_set(e, "stats: function '%s' failed on zone %zu: %s",
             x->fn[x->cur]->col, zone + 1, msg ? msg : "(an error object)");
  lua_pop(L, 1);
  return -1;
}

void cbL_zonal_fns(lua_State *L, req *rq, size_t nreq, size_t nzones,
                   fnctx *x, cb_zonal_opts *o) {
  memset(x, 0, sizeof *x);
  for (size_t i = 0; i < nreq; i++) x->nfn += rq[i].kind == K_FN;
  if (!x->nfn) return;
  x->L = L;
  x->fn = lua_newuserdatauv(L, x->nfn * sizeof *x->fn, 0);
  x->out = lua_newuserdatauv(L, x->nfn * sizeof *x->out, 0);
  lua_createtable(L, (int)x->nfn, 0);
  x->fns = lua_gettop(L);
  size_t k = 0;
  for (size_t i = 0; i < nreq; i++) {
    if (rq[i].kind != K_FN) continue;
    lua_pushvalue(L, rq[i].fn);
    lua_rawseti(L, x->fns, (lua_Integer)k + 1);
    cbL_array *a = cbL_newarray(L, nzones);
    for (size_t z = 0; z < nzones; z++) a->v[z] = NAN;
    rq[i].out = lua_gettop(L);
    x->fn[k] = &rq[i];
    x->out[k++] = a->v;
  }
  luaL_checkstack(L, 16, "too many statistics");
  o->zone_fn = zone_cb;
  o->zone_ud = x;
}

