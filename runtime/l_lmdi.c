/* Bindings for LMDI-I decomposition: cbal.lmdi, cbal.lmdi_chain,
 * cbal.logmean. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/lmdi.h"
#include "l_util.h"

/* Reads the list of factor arrays at idx (a state) into ptrs (room for nf;
 * when *nf is 0 it is set from the list, likewise *n from the first
 * factor). Converted tables stay on the stack. what names the argument. */
static void read_state(lua_State *L, int idx, const double **ptrs, size_t cap,
                       size_t *nf, size_t *n, const char *what) {
  idx = lua_absindex(L, idx);
  if (!lua_istable(L, idx) || cbL_testarray(L, idx))
    cbL_errorf(L, "lmdi: %s must be a list of factor arrays, got %s", what,
               luaL_typename(L, idx));
  size_t len = (size_t)luaL_len(L, idx);
  if (len == 0) cbL_errorf(L, "lmdi: %s has no factors", what);
  if (*nf == 0 && len <= cap) *nf = len;
  if (len != *nf)
    cbL_errorf(L, "lmdi: %s has %zu factors, expected %zu", what, len, *nf);
  luaL_checkstack(L, 2 * (int)len + 4, "too many factors");
  for (size_t k = 0; k < len; k++) {
    lua_geti(L, idx, (lua_Integer)k + 1);
    if (!lua_istable(L, -1) && !cbL_testarray(L, -1))
      cbL_errorf(L, "lmdi: factor %zu of %s is a %s, expected an array or a "
                 "table of numbers", k + 1, what, luaL_typename(L, -1));
    size_t m;
    ptrs[k] = cbL_tovalues(L, -1, &m);
    if (*n == (size_t)-1) *n = m;
    if (m != *n)
      cbL_errorf(L, "lmdi: factor %zu of %s has %zu items, expected %zu",
                 k + 1, what, m, *n);
  }
}

static cb_lmdi_method check_method(lua_State *L, int opts, const char *fname) {
  static const char *const allowed[] = {"method", "names", NULL};
  cbL_checkopts(L, opts, fname, allowed);
  static const char *const methods[] = {"additive", "multiplicative", NULL};
  return cbL_optenum(L, opts, fname, "method", 0, methods)
             ? CB_LMDI_MULTIPLICATIVE : CB_LMDI_ADDITIVE;
}

/* Output buffers as Lua values: items (and item_log) lists of arrays and
 * the undefined mask, pushed in that order. */
typedef struct {
  int items, logs, mask;
} outrefs;

static void new_outputs(lua_State *L, cb_lmdi_out *o, size_t nf, size_t n,
                        cb_lmdi_method m, outrefs *r) {
  luaL_checkstack(L, 10, "too many factors or states");
  o->effect = lua_newuserdatauv(L, nf * sizeof(double), 0);
  o->item = lua_newuserdatauv(L, nf * sizeof(double *), 0);
  o->item_log = m == CB_LMDI_MULTIPLICATIVE
                    ? lua_newuserdatauv(L, nf * sizeof(double *), 0)
                    : NULL;
  o->undefined = lua_newuserdatauv(L, n ? n : 1, 0);
  lua_createtable(L, (int)nf, 0);
  r->items = lua_gettop(L);
  for (size_t k = 0; k < nf; k++) {
    o->item[k] = cbL_newarray(L, n)->v;
    lua_rawseti(L, r->items, (lua_Integer)k + 1);
  }
  r->logs = 0;
  if (o->item_log) {
    lua_createtable(L, (int)nf, 0);
    r->logs = lua_gettop(L);
    for (size_t k = 0; k < nf; k++) {
      o->item_log[k] = cbL_newarray(L, n)->v;
      lua_rawseti(L, r->logs, (lua_Integer)k + 1);
    }
  }
  cbL_newarray(L, n);
  r->mask = lua_gettop(L);
}

/* Also keys a list at t (absolute) by the factor names given in opts. */
static void name_list(lua_State *L, int t, int opts, size_t nf) {
  if (lua_isnoneornil(L, opts)) return;
  if (lua_getfield(L, opts, "names") == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  int names = lua_gettop(L);
  for (size_t k = 0; k < nf; k++) {
    if (lua_geti(L, names, (lua_Integer)k + 1) != LUA_TSTRING)
      cbL_errorf(L, "lmdi: option 'names' must list %zu factor names "
                 "(strings)", nf);
    lua_geti(L, t, (lua_Integer)k + 1);
    lua_rawset(L, t);
  }
  lua_pop(L, 1);
}

/* Builds the result table from o and the output refs. */
static void push_result(lua_State *L, const cb_lmdi_out *o, size_t nf,
                        size_t n, cb_lmdi_method m, const outrefs *r,
                        int opts, int chained) {
  cbL_array *mask = cbL_checkarray(L, r->mask);
  luaL_checkstack(L, 8, "too many factors or states");
  lua_createtable(L, 0, 12);
  int t = lua_gettop(L);
  lua_pushstring(L, m == CB_LMDI_ADDITIVE ? "additive" : "multiplicative");
  lua_setfield(L, t, "method");
  lua_pushboolean(L, chained);
  lua_setfield(L, t, "chained");
  lua_createtable(L, (int)nf, 0);
  for (size_t k = 0; k < nf; k++) {
    lua_pushnumber(L, o->effect[k]);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  name_list(L, lua_gettop(L), opts, nf);
  lua_setfield(L, t, "effects");
  name_list(L, r->items, opts, nf);
  lua_pushvalue(L, r->items);
  lua_setfield(L, t, "items");
  if (r->logs) {
    name_list(L, r->logs, opts, nf);
    lua_pushvalue(L, r->logs);
    lua_setfield(L, t, "item_log");
  }
  lua_createtable(L, (int)o->nundefined, 0);
  lua_Integer u = 0;
  for (size_t i = 0; i < n; i++) {
    mask->v[i] = o->undefined[i];
    if (o->undefined[i]) {
      lua_pushinteger(L, (lua_Integer)i + 1);
      lua_rawseti(L, -2, ++u);
    }
  }
  lua_setfield(L, t, "undefined");
  lua_pushvalue(L, r->mask);
  lua_setfield(L, t, "undefined_mask");
  lua_pushnumber(L, o->v0);
  lua_setfield(L, t, "v0");
  lua_pushnumber(L, o->v1);
  lua_setfield(L, t, "v1");
  lua_pushnumber(L, o->change);
  lua_setfield(L, t, "change");
  lua_pushnumber(L, o->unexplained);
  lua_setfield(L, t, "unexplained");
}

/* cbal.lmdi(x0, x1 [, {method=, names=}]) -> result table */
static int l_lmdi(lua_State *L) {
  lua_settop(L, 3); /* opts stays at 3 as the stack grows */
  cb_lmdi_method m = check_method(L, 3, "lmdi");
  luaL_checktype(L, 1, LUA_TTABLE);
  size_t cap = (size_t)luaL_len(L, 1);
  size_t nf = 0, n = (size_t)-1;
  const double **p0 = lua_newuserdatauv(L, (cap ? cap : 1) * sizeof *p0, 0);
  const double **p1 = lua_newuserdatauv(L, (cap ? cap : 1) * sizeof *p1, 0);
  read_state(L, 1, p0, cap, &nf, &n, "x0");
  read_state(L, 2, p1, cap, &nf, &n, "x1");
  cb_lmdi_out o;
  outrefs r;
  new_outputs(L, &o, nf, n, m, &r);
  cb_err e;
  if (cb_lmdi(p0, p1, nf, n, m, &o, &e)) return cbL_raise(L, &e);
  push_result(L, &o, nf, n, m, &r, 3, 0);
  return 1;
}

/* cbal.lmdi_chain(states [, {method=, names=}]) -> result table (chained)
 * whose `steps` lists the result of each consecutive pair. */
static int l_lmdi_chain(lua_State *L) {
  lua_settop(L, 2);
  cb_lmdi_method m = check_method(L, 2, "lmdi_chain");
  luaL_checktype(L, 1, LUA_TTABLE);
  size_t ns = (size_t)luaL_len(L, 1);
  if (ns < 2)
    return cbL_errorf(L, "lmdi_chain: need a list of at least 2 states, got "
                      "%zu", ns);
  lua_geti(L, 1, 1);
  if (!lua_istable(L, -1))
    return cbL_errorf(L, "lmdi_chain: state 1 must be a list of factor "
                      "arrays, got %s", luaL_typename(L, -1));
  size_t cap = (size_t)luaL_len(L, -1);
  lua_pop(L, 1);
  size_t nf = 0, n = (size_t)-1;
  const double ***st = lua_newuserdatauv(L, ns * sizeof *st, 0);
  for (size_t s = 0; s < ns; s++) {
    st[s] = lua_newuserdatauv(L, (cap ? cap : 1) * sizeof **st, 0);
    char what[32];
    snprintf(what, sizeof what, "state %zu", s + 1);
    lua_geti(L, 1, (lua_Integer)s + 1);
    read_state(L, -1, st[s], cap, &nf, &n, what);
  }
  cb_lmdi_out o;
  outrefs r;
  new_outputs(L, &o, nf, n, m, &r);
  /* the steps' buffers too: the chain fills them as it goes */
  cb_lmdi_out *so = lua_newuserdatauv(L, (ns - 1) * sizeof *so, 0);
  outrefs *sr = lua_newuserdatauv(L, (ns - 1) * sizeof *sr, 0);
  for (size_t s = 0; s + 1 < ns; s++)
    new_outputs(L, &so[s], nf, n, m, &sr[s]);
  cb_err e;
  if (cb_lmdi_chain((const double *const *const *)st, ns, nf, n, m, &o, so,
                    &e))
    return cbL_raise(L, &e);
  push_result(L, &o, nf, n, m, &r, 2, 1);
  int res = lua_gettop(L);
  lua_createtable(L, (int)ns - 1, 0);
  for (size_t s = 0; s + 1 < ns; s++) {
    push_result(L, &so[s], nf, n, m, &sr[s], 2, 0);
    lua_rawseti(L, res + 1, (lua_Integer)s + 1);
  }
  lua_setfield(L, res, "steps");
  return 1;
}

/* cbal.logmean(a, b) -> L(a, b) */
static int l_logmean(lua_State *L) {
  lua_pushnumber(L, cb_logmean(luaL_checknumber(L, 1), luaL_checknumber(L, 2)));
  return 1;
}

static const luaL_Reg funcs[] = {{"lmdi", l_lmdi},
                                 {"lmdi_chain", l_lmdi_chain},
                                 {"logmean", l_logmean},
                                 {NULL, NULL}};

void cbL_open_lmdi(lua_State *L) { luaL_setfuncs(L, funcs, 0); }
