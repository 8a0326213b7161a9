/* Statistics for cbal.spatial (in cbal.core._spatial): global Moran and
 * Geary, local Moran, Getis-Ord, Theil, Gini and Tapio over lists of
 * columns. Values are checked (finite, not constant) by spatial.lua, which
 * names the county, variable and year at fault. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/spatial_describe.h"
#include "core/spatial_stats.h"
#include "l_spatial.h"
#include "l_util.h"

/* The list of columns at idx (arrays or lists, each of n values) as one
 * column-major buffer owned by a userdata left on the stack. */
static double *columns(lua_State *L, int idx, size_t n, size_t *ncol) {
  luaL_checktype(L, idx, LUA_TTABLE);
  size_t m = (size_t)luaL_len(L, idx);
  double *x = lua_newuserdatauv(L, (m * n + 1) * sizeof *x, 0);
  int top = lua_gettop(L);
  for (size_t c = 0; c < m; c++) {
    lua_geti(L, idx, (lua_Integer)c + 1);
    size_t len;
    double *v = cbL_tovalues(L, -1, &len);
    if (len != n)
      cbL_errorf(L, "column %zu has %zu values for weights of %zu units", c + 1,
                 len, n);
    for (size_t i = 0; i < n; i++)
      if (!isfinite(v[i]))
        cbL_errorf(L, "column %zu: value %zu is not a finite number", c + 1, i + 1);
    memcpy(x + c * n, v, n * sizeof *v);
    lua_settop(L, top);
  }
  *ncol = m;
  return x;
}

static cb_perm perm_opts(lua_State *L, int idx) {
  static const char *const keys[] = {"permutations", "seed", "threads",
                                     "moments", "alternative", NULL};
  cbL_checkopts(L, idx, "spatial statistics", keys);
  cb_perm p;
  lua_Integer P = cbL_optintfield(L, idx, "permutations", 0);
  if (P < 0 || P > 1000000)
    cbL_errorf(L, "permutations must be 0..1000000, got %lld", (long long)P);
  p.permutations = (int)P;
  p.seed = (uint64_t)cbL_optintfield(L, idx, "seed", 0);
  p.threads = (int)cbL_optintfield(L, idx, "threads", 0);
  return p;
}

static cb_alt check_alt(lua_State *L, int idx, const char *where) {
  static const char *const names[] = {"two.sided", "greater", "less", NULL};
  return (cb_alt)cbL_optenum(L, idx, where, "alternative", 0, names);
}

static void setnum(lua_State *L, const char *k, double v) {
  lua_pushnumber(L, v);
  lua_setfield(L, -2, k);
}

/* _spatial.moran|geary(w, cols [, opts]) -> list of {stat, expect, ...} */
static int global(lua_State *L, int geary) {
  cb_weights *w = cbL_checkweights(L, 1);
  size_t ncol;
  double *x = columns(L, 2, w->n, &ncol);
  cb_perm p = perm_opts(L, 3);
  cb_alt alt = check_alt(L, 3, "spatial statistics");
  cb_global *out = lua_newuserdatauv(L, (ncol + 1) * sizeof *out, 0);
  cb_err e;
  int rc = geary ? cb_geary_global(w, x, ncol, &p, out, &e)
                 : cb_moran_global(w, x, ncol, &p, out, &e);
  if (rc) return cbL_raise(L, &e);
  lua_createtable(L, (int)ncol, 0);
  for (size_t c = 0; c < ncol; c++) {
    cb_global *o = &out[c];
    lua_createtable(L, 0, 10);
    setnum(L, "stat", o->stat);
    setnum(L, "expect", o->expect);
    setnum(L, "var_norm", o->var_norm);
    setnum(L, "var_rand", o->var_rand);
    setnum(L, "z_norm", o->z_norm);
    setnum(L, "z_rand", o->z_rand);
    setnum(L, "p_norm", cb_norm_p(o->z_norm, alt));
    setnum(L, "p_rand", cb_norm_p(o->z_rand, alt));
    setnum(L, "p_sim", o->p_sim);
    setnum(L, "n", o->n);
    lua_rawseti(L, -2, (lua_Integer)c + 1);
  }
  return 1;
}

static int l_moran(lua_State *L) { return global(L, 0); }
static int l_geary(lua_State *L) { return global(L, 1); }

/* Splits a buffer of ncol columns of n into ncol arrays stored under key k
 * in the result tables of the list at `list`. */
static void split(lua_State *L, int list, const char *k, const double *v,
                  size_t n, size_t ncol) {
  for (size_t c = 0; c < ncol; c++) {
    lua_geti(L, list, (lua_Integer)c + 1);
    cbL_array *a = cbL_newarray(L, n);
    memcpy(a->v, v + c * n, n * sizeof *v);
    lua_setfield(L, -2, k);
    lua_pop(L, 1);
  }
}

static void new_list(lua_State *L, size_t ncol) {
  lua_createtable(L, (int)ncol, 0);
  for (size_t c = 0; c < ncol; c++) {
    lua_newtable(L);
    lua_rawseti(L, -2, (lua_Integer)c + 1);
  }
}

/* _spatial.local_moran(w, cols [, opts]) -> list of tables of arrays I, E,
 * V, z, p_norm, p_sim, lag, quad */
static int l_local_moran(lua_State *L) {
  cb_weights *w = cbL_checkweights(L, 1);
  size_t ncol, n = w->n;
  double *x = columns(L, 2, n, &ncol);
  cb_perm p = perm_opts(L, 3);
  static const char *const moms[] = {"conditional", "total", NULL};
  cb_moments mom = (cb_moments)cbL_optenum(L, 3, "spatial statistics",
                                                  "moments", 0, moms);
  cb_alt alt = check_alt(L, 3, "spatial statistics");
  size_t cells = n * ncol + 1;
  double *buf = lua_newuserdatauv(L, 7 * cells * sizeof *buf, 0);
  unsigned char *quad = lua_newuserdatauv(L, cells, 0);
  cb_local o = {buf, buf + cells, buf + 2 * cells, buf + 3 * cells,
                buf + 4 * cells, buf + 5 * cells, buf + 6 * cells, quad};
  cb_err e;
  if (cb_moran_local(w, x, ncol, mom, alt, &p, &o, &e)) return cbL_raise(L, &e);
  new_list(L, ncol);
  int list = lua_gettop(L);
  const char *k[] = {"I", "E", "V", "z", "p_norm", "p_sim", "lag"};
  double *v[] = {o.I, o.E, o.V, o.z, o.p_norm, o.p_sim, o.lag};
  for (int t = 0; t < 7; t++) split(L, list, k[t], v[t], n, ncol);
  double *q = lua_newuserdatauv(L, cells * sizeof *q, 0);
  for (size_t i = 0; i + 1 < cells; i++) q[i] = quad[i];
  lua_pop(L, 1);
  split(L, list, "quad", q, n, ncol);
  lua_settop(L, list);
  return 1;
}

/* _spatial.getis_ord(w, cols, star [, opts]) -> list of {z =, p =} */
static int l_getis_ord(lua_State *L) {
  cb_weights *w = cbL_checkweights(L, 1);
  size_t ncol, n = w->n;
  double *x = columns(L, 2, n, &ncol);
  int star = lua_toboolean(L, 3);
  static const char *const keys[] = {"alternative", NULL};
  cbL_checkopts(L, 4, "getis_ord", keys);
  cb_alt alt = check_alt(L, 4, "getis_ord");
  double *z = lua_newuserdatauv(L, 2 * (n * ncol + 1) * sizeof *z, 0);
  double *pv = z + n * ncol + 1;
  cb_err e;
  if (cb_getis_ord(w, star, x, ncol, alt, z, pv, &e)) return cbL_raise(L, &e);
  new_list(L, ncol);
  int list = lua_gettop(L);
  split(L, list, "z", z, n, ncol);
  split(L, list, "p", pv, n, ncol);
  return 1;
}

/* Optional values at idx (nil or n values). */
static double *opt_values(lua_State *L, int idx, size_t n, const char *what) {
  if (lua_isnoneornil(L, idx)) return NULL;
  size_t m;
  double *v = cbL_tovalues(L, idx, &m);
  if (m != n) cbL_errorf(L, "%zu %s for %zu values", m, what, n);
  return v;
}

/* _spatial.theil(y [, pw [, groups, ng]]) -> {T, L, T_between, ...,
 * groups = {{n, share_y, share_w, T, L}, ...}}; groups are 1..ng */
static int l_theil(lua_State *L) {
  size_t n;
  double *y = cbL_tovalues(L, 1, &n);
  double *pw = opt_values(L, 2, n, "weights");
  double *g = opt_values(L, 3, n, "group numbers");
  lua_Integer ng = g ? luaL_checkinteger(L, 4) : 0;
  luaL_argcheck(L, ng >= 0 && ng <= (lua_Integer)n + 1, 4, "bad group count");
  int32_t *gi = g ? lua_newuserdatauv(L, (n + 1) * sizeof *gi, 0) : NULL;
  cb_theil_group *go = g ? lua_newuserdatauv(L, ((size_t)ng + 1) * sizeof *go, 0) : NULL;
  for (size_t i = 0; g && i < n; i++)
    gi[i] = g[i] >= 1 && g[i] <= (double)ng ? (int32_t)g[i] - 1 : -1;
  cb_theil_out t;
  cb_err e;
  if (cb_theil(y, pw, gi, (size_t)ng, n, &t, go, &e)) return cbL_raise(L, &e);
  lua_createtable(L, 0, 7);
  setnum(L, "T", t.T);
  setnum(L, "L", t.L);
  if (!g) return 1;
  setnum(L, "T_between", t.T_between);
  setnum(L, "T_within", t.T_within);
  setnum(L, "L_between", t.L_between);
  setnum(L, "L_within", t.L_within);
  lua_createtable(L, (int)ng, 0);
  for (lua_Integer k = 0; k < ng; k++) {
    lua_createtable(L, 0, 5);
    lua_pushinteger(L, (lua_Integer)go[k].n);
    lua_setfield(L, -2, "n");
    setnum(L, "share_y", go[k].share_y);
    setnum(L, "share_w", go[k].share_w);
    setnum(L, "T", go[k].T);
    setnum(L, "L", go[k].L);
    lua_rawseti(L, -2, k + 1);
  }
  lua_setfield(L, -2, "groups");
  return 1;
}

/* _spatial.gini(y [, pw]) */
static int l_gini(lua_State *L) {
  size_t n;
  double *y = cbL_tovalues(L, 1, &n), g;
  double *pw = opt_values(L, 2, n, "weights");
  cb_err e;
  if (cb_gini(y, pw, n, &g, &e)) return cbL_raise(L, &e);
  lua_pushnumber(L, g);
  return 1;
}

/* _spatial.tapio(c0, c1, g0, g1) -> elasticity array, state array (0..8) */
static int l_tapio(lua_State *L) {
  size_t n[4];
  double *v[4];
  for (int k = 0; k < 4; k++) v[k] = cbL_tovalues(L, k + 1, &n[k]);
  for (int k = 1; k < 4; k++)
    if (n[k] != n[0])
      return cbL_errorf(L, "tapio: %zu, %zu, %zu and %zu values", n[0], n[1],
                        n[2], n[3]);
  unsigned char *st = lua_newuserdatauv(L, n[0] + 1, 0);
  cbL_array *e = cbL_newarray(L, n[0]), *s = cbL_newarray(L, n[0]);
  cb_tapio(v[0], v[1], v[2], v[3], n[0], e->v, st);
  for (size_t i = 0; i < n[0]; i++) s->v[i] = st[i];
  return 2;
}

static const luaL_Reg funcs[] = {
    {"moran", l_moran}, {"geary", l_geary},   {"local_moran", l_local_moran},
    {"getis_ord", l_getis_ord}, {"theil", l_theil}, {"gini", l_gini},
    {"tapio", l_tapio}, {NULL, NULL}};

void cbL_spatial_stats(lua_State *L) { luaL_setfuncs(L, funcs, 0); }
