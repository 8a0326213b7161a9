/* zones:stats(raster [, stats [, opts]]): statistic names (exactextract's)
 * parsed into a request, one streaming pass over the raster, and the result
 * as ordered columns of cbal.Arrays. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/layer.h"
#include "core/raster.h"
#include "core/zonal.h"
#include "l_util.h"
#include "l_zones.h"

enum {
  K_COUNT, K_SUM, K_MEAN, K_MIN, K_MAX, K_STDEV, K_VARIANCE, K_CV, K_WEIGHT,
  K_WSUM, K_WMEAN, K_WSTDEV, K_WVARIANCE, K_COVAREA
};

#define F_WEIGHTS 1 /* needs the weights option */
#define F_USESW 2   /* uses the weights when given */
#define F_AREAS 4   /* needs true cell areas */

static const struct {
  const char *name;
  int kind, flags;
} defs[] = {
    {"count", K_COUNT, 0},
    {"sum", K_SUM, 0},
    {"mean", K_MEAN, 0},
    {"min", K_MIN, 0},
    {"max", K_MAX, 0},
    {"stddev", K_STDEV, 0},
    {"stdev", K_STDEV, 0},
    {"variance", K_VARIANCE, 0},
    {"coefficient_of_variation", K_CV, 0},
    {"weight", K_WEIGHT, F_USESW},
    {"weighted_sum", K_WSUM, F_WEIGHTS},
    {"weighted_mean", K_WMEAN, F_WEIGHTS},
    {"weighted_stdev", K_WSTDEV, F_WEIGHTS},
    {"weighted_variance", K_WVARIANCE, F_WEIGHTS},
    {"coverage_area", K_COVAREA, F_AREAS},
};
#define NDEFS (sizeof defs / sizeof *defs)

/* The statistics asked without a list (those of earlier versions). */
static const char *const default_stats[] = {"count", "sum",    "mean", "min",
                                            "max",   "stddev", "weight"};

/* One asked statistic: its kind and its column name. */
typedef struct {
  int kind, flags;
  char col[64];
} req;

static int find_def(const char *name, size_t len) {
  for (size_t i = 0; i < NDEFS; i++)
    if (strlen(defs[i].name) == len && strncmp(defs[i].name, name, len) == 0)
      return (int)i;
  return -1;
}

static int unknown_stat(lua_State *L, const char *s) {
  char list[600] = "";
  for (size_t i = 0; i < NDEFS; i++) {
    size_t used = strlen(list);
    snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
             defs[i].name);
  }
  return luaL_error(L, "stats: unknown statistic '%s' (expected one of: %s)",
                    s, list);
}

/* Parses one statistic name into q; raises naming it when unknown. */
static void parse_one(lua_State *L, const char *s, req *q) {
  size_t len = strcspn(s, "(");
  int d = find_def(s, len);
  if (d < 0) unknown_stat(L, s);
  if (s[len])
    luaL_error(L, "stats: '%s': this statistic takes no arguments (give "
               "min_coverage_frac, coverage_weight and default_weight as "
               "options of stats)", s);
  q->kind = defs[d].kind;
  q->flags = defs[d].flags;
  snprintf(q->col, sizeof q->col, "%s", defs[d].name);
}

/* Reads the stats list at idx (nil: the default list) into a request
 * array kept on the stack; returns it and its length in *n. */
static req *parse_stats(lua_State *L, int idx, size_t *n) {
  int given = !lua_isnoneornil(L, idx);
  if (given) luaL_checktype(L, idx, LUA_TTABLE);
  size_t m = given ? (size_t)luaL_len(L, idx)
                   : sizeof default_stats / sizeof *default_stats;
  if (given && m == 0)
    luaL_error(L, "stats: the list of statistics is empty (give e.g. "
               "{\"sum\", \"mean\"}, or nil for the default list)");
  req *rq = lua_newuserdatauv(L, (m ? m : 1) * sizeof *rq, 0);
  for (size_t k = 0; k < m; k++) {
    if (!given) {
      parse_one(L, default_stats[k], &rq[k]);
      continue;
    }
    lua_geti(L, idx, (lua_Integer)k + 1);
    if (lua_type(L, -1) != LUA_TSTRING)
      luaL_error(L, "stats: entry %d must be a statistic name, got %s",
                 (int)k + 1, luaL_typename(L, -1));
    parse_one(L, lua_tostring(L, -1), &rq[k]);
    lua_pop(L, 1);
    for (size_t i = 0; i < k; i++)
      if (strcmp(rq[i].col, rq[k].col) == 0)
        luaL_error(L, "stats: '%s' is asked twice", rq[k].col);
  }
  *n = m;
  return rq;
}

/* Checks that weights and weighted statistics come together. */
static void check_weights(lua_State *L, const req *rq, size_t n, int given,
                          int listed) {
  int uses = 0;
  for (size_t i = 0; i < n; i++) {
    if ((rq[i].flags & F_WEIGHTS) && !given)
      luaL_error(L, "stats: '%s' needs weights: give {weights = a raster} or "
                 "{weights = \"area\"}", rq[i].col);
    uses |= rq[i].flags & (F_WEIGHTS | F_USESW);
  }
  if (given && (!listed || !uses))
    luaL_error(L, "stats: option 'weights' is used by weighted_sum, "
               "weighted_mean, weighted_stdev, weighted_variance and weight "
               "only; list those you want (sum, mean and stddev are "
               "weighted by coverage alone, as in exactextract)");
}

/* The weights option: "area", a cbal.Raster, or "coverage"/nil (none). */
static cb_weight_kind opt_weights(lua_State *L, int idx, cb_raster **wr) {
  *wr = NULL;
  if (lua_isnoneornil(L, idx)) return CB_WEIGHT_NONE;
  int t = lua_getfield(L, idx, "weights");
  cb_weight_kind k = CB_WEIGHT_NONE;
  if (t == LUA_TSTRING && strcmp(lua_tostring(L, -1), "area") == 0)
    k = CB_WEIGHT_AREA;
  else if (t == LUA_TUSERDATA && luaL_testudata(L, -1, "cbal.Raster")) {
    *wr = cbL_checkraster(L, lua_gettop(L));
    k = CB_WEIGHT_RASTER;
  } else if (!(t == LUA_TNIL ||
               (t == LUA_TSTRING && strcmp(lua_tostring(L, -1), "coverage") == 0)))
    luaL_error(L, "stats: option 'weights' must be \"area\" or a cbal.Raster "
               "on the same grid");
  lua_pop(L, 1);
  return k;
}

static const char *const covw_names[] = {
    "fraction", "none", "area_cartesian", "area_spherical_m2",
    "area_spherical_km2", NULL};

static void read_opts(lua_State *L, int idx, cb_zonal_opts *o) {
  static const char *const keys[] = {"weights", "threads", "coverage_weight",
                                     "min_coverage_frac", "default_weight",
                                     NULL};
  cbL_checkopts(L, idx, "stats", keys);
  memset(o, 0, sizeof *o);
  o->threads = (int)cbL_optintfield(L, idx, "threads", 0);
  luaL_argcheck(L, o->threads >= 0, idx, "threads must be >= 0 (0: default)");
  o->weights = opt_weights(L, idx, &o->weight_raster);
  o->cover_weight = (cb_cover_weight)cbL_optenum(L, idx, "coverage_weight", 0,
                                                 covw_names);
  o->min_coverage = cbL_optnumfield(L, idx, "min_coverage_frac", 0);
  if (!(o->min_coverage >= 0 && o->min_coverage <= 1))
    cbL_errorf(L, "stats: option 'min_coverage_frac' must be between 0 and "
               "1, got %g", o->min_coverage);
  o->default_weight = cbL_optnumfield(L, idx, "default_weight", NAN);
}

static void free_result(void *p, size_t n) {
  (void)n;
  cb_zonal_free(p);
}

/* The column of numbers of request q. */
static const double *column(const cb_zonal_result *res, const req *q,
                            int weighted) {
  switch (q->kind) {
  case K_COUNT: return res->count;
  case K_SUM: return res->sum;
  case K_MEAN: return res->mean;
  case K_MIN: return res->min;
  case K_MAX: return res->max;
  case K_STDEV: return res->stdev;
  case K_VARIANCE: return res->variance;
  case K_CV: return res->cv;
  case K_WEIGHT: return weighted ? res->wcount : res->count;
  case K_WSUM: return res->wsum;
  case K_WMEAN: return res->wmean;
  case K_WSTDEV: return res->wstdev;
  case K_WVARIANCE: return res->wvariance;
  default: return NULL;
  }
}

static void push_copy(lua_State *L, const double *v, size_t n) {
  cbL_array *a = cbL_newarray(L, n);
  memcpy(a->v, v, n * sizeof *v);
}

/* Pushes {columns = {...}, <column> = array, ..., cells, valid, missing}. */
static void push_result(lua_State *L, const cb_zonal_result *res,
                        const req *rq, size_t nreq, const double *area,
                        int weighted) {
  lua_createtable(L, 0, (int)nreq + 4);
  lua_createtable(L, (int)nreq, 0);
  for (size_t i = 0; i < nreq; i++) {
    const double *v = rq[i].kind == K_COVAREA ? area : column(res, &rq[i], weighted);
    push_copy(L, v, res->n);
    lua_setfield(L, -3, rq[i].col);
    lua_pushstring(L, rq[i].col);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "columns");
  push_copy(L, res->cells, res->n);
  lua_setfield(L, -2, "cells");
  push_copy(L, res->valid, res->n);
  lua_setfield(L, -2, "valid");
  push_copy(L, res->missing, res->n);
  lua_setfield(L, -2, "missing");
}

/* Warns when the raster has no valid value in any zone, and names the
 * zones with an infinite value (their sums are infinite or NaN). */
static void warn_values(lua_State *L, const cb_zonal_result *res,
                        const cb_raster *r) {
  if (res->total_cells > 0 && res->total_valid == 0)
    cb_warn("raster '%s' has no valid value inside any zone (all nodata?); "
            "counts are 0 and means NaN", cb_raster_path(r));
  char list[600] = "";
  size_t n = 0;
  for (size_t z = 0; z < res->n; z++) {
    if (!(res->count[z] > 0) || (isfinite(res->min[z]) && isfinite(res->max[z])))
      continue;
    if (++n > 8) continue;
    size_t used = strlen(list);
    snprintf(list + used, sizeof list - used, "%szone %zu", used ? ", " : "",
             z + 1);
    cbL_zones_idtext(L, 1, z, list, sizeof list);
  }
  if (n)
    cb_warn("raster '%s' has infinite values in %zu zone%s, so %s sums and "
            "means are infinite or NaN: %s%s; if they mean no data, open the "
            "raster with {nodata = ...} or {range = {low, high}}",
            cb_raster_path(r), n, n == 1 ? "" : "s", n == 1 ? "its" : "their",
            list, n > 8 ? ", ..." : "");
}

static void check_crs(lua_State *L, const zones_ud *z, const cb_raster *r) {
  const char *rs = cb_raster_srs_wkt(r);
  if (rs && z->srs && !cb_srs_same(rs, z->srs)) {
    char a[128], b[128];
    luaL_error(L, "stats: raster '%s' is in %s, the zones in %s; build zones "
               "for it with cbal.zones(layer, raster)", cb_raster_path(r),
               cb_srs_label(rs, a, sizeof a), cb_srs_label(z->srs, b, sizeof b));
  }
}

/* Σ coverage x true cell area per zone (m^2), over cells covered at least
 * min_coverage; pushed as an array. */
static const double *push_cover_area(lua_State *L, zones_ud *z,
                                     const cb_zonal_opts *o) {
  const double *areas = cbL_zones_row_areas(L, z);
  cbL_array *a = cbL_newarray(L, z->c->nzones);
  cb_zonal_cover_area(z->c, areas, o->min_coverage, a->v);
  return a->v;
}

/* zones:stats(raster [, stats [, {weights=, threads=, coverage_weight=,
 * min_coverage_frac=, default_weight=}]]) */
int cbL_zones_stats(lua_State *L) {
  zones_ud *z = cbL_checkzones(L, 1);
  cb_raster *r = cbL_checkraster(L, 2);
  cb_zonal_opts o;
  read_opts(L, 4, &o);
  size_t nreq;
  req *rq = parse_stats(L, 3, &nreq);
  check_weights(L, rq, nreq, o.weights != CB_WEIGHT_NONE, !lua_isnoneornil(L, 3));
  check_crs(L, z, r);
  int areas = o.weights == CB_WEIGHT_AREA;
  for (size_t i = 0; i < nreq; i++) areas |= rq[i].flags & F_AREAS;
  if (areas) o.row_areas = cbL_zones_row_areas(L, z);
  const double *cover_area = NULL;
  for (size_t i = 0; i < nreq && !cover_area; i++)
    if (rq[i].kind == K_COVAREA) cover_area = push_cover_area(L, z, &o);
  /* a bar only for long work (a terminal only: see core/progress.h) */
  double ncells = (double)cb_raster_width(r) * cb_raster_height(r);
  o.label = ncells > 16e6 ? "zonal stats" : NULL;
  cbL_box *box = cbL_newbox(L, sizeof(cb_zonal_result), free_result);
  cb_zonal_result *res = box->p;
  cb_err e;
  z->busy = 1;
  int rc = cb_zonal_stats(z->c, r, &o, res, &e);
  z->busy = 0;
  if (rc) return cbL_raise(L, &e);
  warn_values(L, res, r);
  push_result(L, res, rq, nreq, cover_area, o.weights != CB_WEIGHT_NONE);
  return 1;
}
