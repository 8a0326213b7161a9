/* cbal.Weights (spatial weights in compressed rows, with a table of
 * attributes that lua/cbal/spatial.lua fills) and the native builders and
 * geometry helpers behind cbal.spatial, in cbal.core._spatial. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/spatial.h"
#include "core/spatial_describe.h"
#include "core/spatial_proj.h"
#include "l_spatial.h"
#include "l_util.h"

typedef struct {
  cb_weights *w; /* NULL once collected */
} weights_ud;

/* Pushes an empty cbal.Weights (with an empty attribute table) for the
 * caller to fill at once with what core returns, so that no raise can come
 * between core's allocation and its owner. */
static weights_ud *new_weights(lua_State *L) {
  weights_ud *u = lua_newuserdatauv(L, sizeof *u, 1);
  u->w = NULL;
  luaL_setmetatable(L, CBAL_WEIGHTS);
  lua_newtable(L);
  lua_setiuservalue(L, -2, 1);
  return u;
}

cb_weights *cbL_checkweights(lua_State *L, int idx) {
  weights_ud *u = luaL_checkudata(L, idx, CBAL_WEIGHTS);
  if (!u->w) luaL_error(L, "attempt to use freed weights");
  return u->w;
}

/* Gives w to the weights u on top of the stack, or raises e when w is
 * NULL. */
static int fill(lua_State *L, weights_ud *u, cb_weights *w, const cb_err *e) {
  if (!w) return cbL_raise(L, e);
  u->w = w;
  return 1;
}

static int w_gc(lua_State *L) {
  weights_ud *u = luaL_checkudata(L, 1, CBAL_WEIGHTS);
  cb_weights_free(u->w);
  u->w = NULL;
  return 0;
}

static int w_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)cbL_checkweights(L, 1)->n);
  return 1;
}

static size_t check_unit(lua_State *L, const cb_weights *w, int idx) {
  lua_Integer i = luaL_checkinteger(L, idx);
  if (i < 1 || (size_t)i > w->n)
    cbL_errorf(L, "neighbours: unit %lld is out of range (1..%zu)",
               (long long)i, w->n);
  return (size_t)i - 1;
}

/* w:neighbours(i) -> list of neighbour indices (1-based), list of weights */
static int w_neighbours(lua_State *L) {
  cb_weights *w = cbL_checkweights(L, 1);
  size_t i = check_unit(L, w, 2), a = w->off[i], k = cb_weights_card(w, i);
  lua_createtable(L, (int)k, 0);
  lua_createtable(L, (int)k, 0);
  for (size_t t = 0; t < k; t++) {
    lua_pushinteger(L, (lua_Integer)w->nb[a + t] + 1);
    lua_rawseti(L, -3, (lua_Integer)t + 1);
    lua_pushnumber(L, w->w[a + t]);
    lua_rawseti(L, -2, (lua_Integer)t + 1);
  }
  return 2;
}

/* w:cardinalities() -> cbal.Array of neighbour counts */
static int w_card(lua_State *L) {
  cb_weights *w = cbL_checkweights(L, 1);
  cbL_array *a = cbL_newarray(L, w->n);
  for (size_t i = 0; i < w->n; i++) a->v[i] = (double)cb_weights_card(w, i);
  return 1;
}

/* w:triplets() -> i, j, w arrays (1-based units), row by row */
static int w_triplets(lua_State *L) {
  cb_weights *w = cbL_checkweights(L, 1);
  size_t nnz = cb_weights_nnz(w);
  cbL_array *ti = cbL_newarray(L, nnz), *tj = cbL_newarray(L, nnz),
            *tw = cbL_newarray(L, nnz);
  for (size_t i = 0; i < w->n; i++)
    for (size_t k = w->off[i]; k < w->off[i + 1]; k++) {
      ti->v[k] = (double)i + 1;
      tj->v[k] = (double)w->nb[k] + 1;
      tw->v[k] = w->w[k];
    }
  return 3;
}

/* w:constants() -> S0, S1, S2 */
static int w_constants(lua_State *L) {
  cb_weights *w = cbL_checkweights(L, 1);
  double s[3];
  cb_err e;
  if (cb_weights_constants(w, &s[0], &s[1], &s[2], &e)) return cbL_raise(L, &e);
  for (int k = 0; k < 3; k++) lua_pushnumber(L, s[k]);
  return 3;
}

static char check_style(lua_State *L, int idx) {
  static const char *const names[] = {"B", "W", NULL};
  return names[luaL_checkoption(L, idx, NULL, names)][0];
}

static cb_weights *copy(const cb_weights *w, cb_err *e) {
  unsigned char *all = malloc(w->n ? w->n : 1);
  if (!all) {
    cb_err_set(e, "out of memory");
    return NULL;
  }
  memset(all, 1, w->n);
  cb_weights *c = cb_weights_subset(w, all, e);
  free(all);
  return c;
}

/* w:restyled("B" | "W") -> a new weights object (attributes not copied) */
static int w_restyled(lua_State *L) {
  cb_weights *w = cbL_checkweights(L, 1);
  char s = check_style(L, 2);
  cb_err e;
  weights_ud *u = new_weights(L);
  cb_weights *c = copy(w, &e);
  if (c) cb_weights_style(c, s);
  return fill(L, u, c, &e);
}

/* w:subset(keep) -> the units whose keep[i] is non-zero (an array or list) */
static int w_subset(lua_State *L) {
  cb_weights *w = cbL_checkweights(L, 1);
  size_t n;
  double *keep = cbL_tovalues(L, 2, &n);
  if (n != w->n)
    return cbL_errorf(L, "subset: %zu flags for %zu units", n, w->n);
  unsigned char *k = lua_newuserdatauv(L, n ? n : 1, 0);
  for (size_t i = 0; i < n; i++) k[i] = keep[i] != 0 && keep[i] == keep[i];
  cb_err e;
  weights_ud *u = new_weights(L);
  return fill(L, u, cb_weights_subset(w, k, &e), &e);
}

/* w:with_self("B" | "W") -> each unit its own neighbour too (for G*) */
static int w_with_self(lua_State *L) {
  cb_weights *w = cbL_checkweights(L, 1);
  char s = check_style(L, 2);
  cb_err e;
  weights_ud *u = new_weights(L);
  return fill(L, u, cb_weights_with_self(w, s, &e), &e);
}

/* Methods first, then `n`, then the attribute table. */
static int w_index(lua_State *L) {
  cb_weights *w = cbL_checkweights(L, 1);
  const char *k = luaL_checkstring(L, 2);
  if (cbL_getmethod(L, CBAL_WEIGHTS, k)) return 1;
  if (strcmp(k, "n") == 0) {
    lua_pushinteger(L, (lua_Integer)w->n);
    return 1;
  }
  lua_getiuservalue(L, 1, 1);
  if (lua_getfield(L, -1, k) == LUA_TNIL)
    return luaL_error(L, "cbal.Weights has no field or method '%s'", k);
  return 1;
}

static int w_tostring(lua_State *L) {
  cb_weights *w = cbL_checkweights(L, 1);
  lua_getiuservalue(L, 1, 1);
  lua_getfield(L, -1, "rule");
  lua_getfield(L, -2, "style");
  lua_pushfstring(L, "cbal.Weights(%I units, %I links, %s, style %s)",
                  (lua_Integer)w->n, (lua_Integer)cb_weights_nnz(w),
                  lua_isstring(L, -2) ? lua_tostring(L, -2) : "custom",
                  lua_isstring(L, -1) ? lua_tostring(L, -1) : "?");
  return 1;
}

/* _spatial.attributes(w) -> the attribute table, for spatial.lua to fill */
static int l_attributes(lua_State *L) {
  cbL_checkweights(L, 1);
  lua_getiuservalue(L, 1, 1);
  return 1;
}

/* _spatial.methods() -> the method table of cbal.Weights, for spatial.lua
 * to add the methods written in Lua (write) */
static int l_methods(lua_State *L) {
  luaL_getmetatable(L, CBAL_WEIGHTS);
  lua_getfield(L, -1, "methods");
  return 1;
}

/* _spatial.contiguity(polygons, "queen" | "rook", snap [, threads]) */
static int l_contiguity(lua_State *L) {
  cb_polyset *ps = cbL_checkpolygons(L, 1);
  static const char *const rules[] = {"queen", "rook", NULL};
  int rule = luaL_checkoption(L, 2, NULL, rules);
  double snap = luaL_checknumber(L, 3);
  luaL_argcheck(L, snap >= 0 && isfinite(snap), 3, "snap must be >= 0 metres");
  int threads = (int)luaL_optinteger(L, 4, 0);
  cb_err e;
  cb_contig_rule r = rule ? CB_CONTIG_ROOK : CB_CONTIG_QUEEN;
  weights_ud *u = new_weights(L);
  return fill(L, u, cb_weights_contiguity(ps, snap, r, threads, &e), &e);
}

static cb_dist_metric check_metric(lua_State *L, int idx) {
  static const char *const names[] = {"planar", "geodesic", NULL};
  return luaL_checkoption(L, idx, NULL, names) ? CB_DIST_GEODESIC : CB_DIST_PLANAR;
}

/* Two coordinate arrays of one length at idx, idx + 1. */
static size_t coords(lua_State *L, int idx, double **x, double **y) {
  size_t nx, ny;
  *x = cbL_tovalues(L, idx, &nx);
  *y = cbL_tovalues(L, idx + 1, &ny);
  if (nx != ny) cbL_errorf(L, "%zu x but %zu y coordinates", nx, ny);
  return nx;
}

/* _spatial.knn(x, y, k, metric) */
static int l_knn(lua_State *L) {
  double *x, *y;
  size_t n = coords(L, 1, &x, &y);
  lua_Integer k = luaL_checkinteger(L, 3);
  cb_dist_metric m = check_metric(L, 4);
  cb_err e;
  weights_ud *u = new_weights(L);
  return fill(L, u, cb_weights_knn(x, y, n, k < 0 ? 0 : (size_t)k, m, &e), &e);
}

/* _spatial.band(x, y, band, metric) */
static int l_band(lua_State *L) {
  double *x, *y;
  size_t n = coords(L, 1, &x, &y);
  double band = luaL_checknumber(L, 3);
  cb_dist_metric m = check_metric(L, 4);
  cb_err e;
  weights_ud *u = new_weights(L);
  return fill(L, u, cb_weights_band(x, y, n, band, m, &e), &e);
}

/* _spatial.from_triplets(n, i, j [, w]) with 1-based i, j */
static int l_from_triplets(lua_State *L) {
  lua_Integer n = luaL_checkinteger(L, 1);
  luaL_argcheck(L, n >= 0 && n < INT32_MAX, 1, "bad number of units");
  size_t ni, nj, nw = 0;
  double *vi = cbL_tovalues(L, 2, &ni), *vj = cbL_tovalues(L, 3, &nj);
  double *vw = lua_isnoneornil(L, 4) ? NULL : cbL_tovalues(L, 4, &nw);
  if (ni != nj || (vw && nw != ni))
    return cbL_errorf(L, "from_triplets: %zu i, %zu j and %zu weights", ni, nj, nw);
  int32_t *ti = lua_newuserdatauv(L, (ni + 1) * sizeof *ti, 0);
  int32_t *tj = lua_newuserdatauv(L, (ni + 1) * sizeof *tj, 0);
  for (size_t k = 0; k < ni; k++) {
    ti[k] = vi[k] >= 1 && vi[k] <= (double)n ? (int32_t)vi[k] - 1 : -1;
    tj[k] = vj[k] >= 1 && vj[k] <= (double)n ? (int32_t)vj[k] - 1 : -1;
  }
  cb_err e;
  weights_ud *u = new_weights(L);
  return fill(L, u, cb_weights_from_triplets((size_t)n, ni, ti, tj, vw, &e), &e);
}

static const luaL_Reg w_methods[] = {
    {"neighbours", w_neighbours}, {"cardinalities", w_card},
    {"triplets", w_triplets},     {"constants", w_constants},
    {"restyled", w_restyled},     {"subset", w_subset},
    {"with_self", w_with_self},   {NULL, NULL}};

static const luaL_Reg w_meta[] = {{"__index", w_index},
                                  {"__len", w_len},
                                  {"__gc", w_gc},
                                  {"__tostring", w_tostring},
                                  {NULL, NULL}};

static const luaL_Reg funcs[] = {{"attributes", l_attributes},
                                 {"methods", l_methods},
                                 {"contiguity", l_contiguity},
                                 {"knn", l_knn},
                                 {"band", l_band},
                                 {"from_triplets", l_from_triplets},
                                 {NULL, NULL}};

void cbL_open_spatial(lua_State *L) {
  cbL_newtype(L, CBAL_WEIGHTS, w_methods, w_meta);
  lua_newtable(L);
  luaL_setfuncs(L, funcs, 0);
  cbL_spatial_geometry(L);
  cbL_spatial_stats(L);
  lua_setfield(L, -2, "_spatial");
}
