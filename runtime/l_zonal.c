/* zones:stats(raster [, stats [, opts]]): statistic names (exactextract's)
 * parsed into a request, one streaming pass over the raster, and the result
 * as ordered columns of cbal.Arrays. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crs.h"
#include "core/layer.h"
#include "core/par.h"
#include "core/raster.h"
#include "core/zonal.h"
#include "l_util.h"
#include "l_zonal.h"
#include "l_zones.h"

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
    {"median", K_MEDIAN, F_Q},
    {"quantile", K_QUANTILE, F_Q},
    {"mode", K_MODE, F_VALUES},
    {"majority", K_MODE, F_VALUES},
    {"minority", K_MINORITY, F_VALUES},
    {"variety", K_VARIETY, F_VALUES},
    {"frac", K_FRAC, F_HIST},
    {"weighted_frac", K_WFRAC, F_HIST | F_WEIGHTS},
    {"unique", K_UNIQUE, F_HIST},
};
#define NDEFS (sizeof defs / sizeof *defs)

/* The statistics asked without a list (those of earlier versions). */
static const char *const default_stats[] = {"count", "sum",    "mean", "min",
                                            "max",   "stddev", "weight"};

static int find_def(const char *name, size_t len) {
  for (size_t i = 0; i < NDEFS; i++)
    if (strlen(defs[i].name) == len && strncmp(defs[i].name, name, len) == 0)
      return (int)i;
  return -1;
}

static int unknown_stat(lua_State *L, const char *s) {
  char list[600] = "";
  for (size_t i = 0; i < NDEFS; i++) cb_list_add(list, sizeof list, defs[i].name);
  return luaL_error(L, "stats: unknown statistic '%s' (expected one of: %s)",
                    s, list);
}

/* Reads "q=<number>" (the one argument quantile takes) from args, the
 * text between the parentheses of statistic s. */
static double parse_q(lua_State *L, const char *s, const char *args) {
  while (*args == ' ') args++;
  if (strncmp(args, "q", 1) != 0)
    luaL_error(L, "stats: '%s': quantile takes one argument, q (e.g. "
               "\"quantile(q=0.9)\")", s);
  args++;
  while (*args == ' ') args++;
  char *end = NULL;
  double q = *args == '=' ? strtod(args + 1, &end) : NAN;
  while (end && *end == ' ') end++;
  if (!end || end == args + 1 || *end != ')' || end[1])
    luaL_error(L, "stats: '%s': write q as a number, e.g. \"quantile(q=0.9)\"", s);
  if (!(q >= 0 && q <= 1))
    luaL_error(L, "stats: '%s': q must be between 0 and 1", s);
  return q;
}

/* quantile_90 for q = 0.9 (exactextract's name), quantile_12.5 for 0.125. */
static void quantile_col(char *col, size_t len, double q) {
  double pc = q * 100;
  if (fabs(pc - round(pc)) < 1e-9)
    snprintf(col, len, "quantile_%d", (int)round(pc));
  else
    snprintf(col, len, "quantile_%.10g", pc);
}

/* Parses one statistic name into q; raises naming it when unknown. */
static void parse_one(lua_State *L, const char *s, req *q) {
  size_t len = strcspn(s, "(");
  int d = find_def(s, len);
  if (d < 0) unknown_stat(L, s);
  q->kind = defs[d].kind;
  q->flags = defs[d].flags;
  q->q = q->kind == K_MEDIAN ? 0.5 : NAN;
  snprintf(q->col, sizeof q->col, "%s", defs[d].name);
  if (q->kind == K_QUANTILE) {
    if (!s[len])
      luaL_error(L, "stats: 'quantile' needs q, e.g. \"quantile(q=0.9)\"");
    size_t n = strlen(s);
    if (s[n - 1] != ')') luaL_error(L, "stats: '%s': a ')' is missing", s);
    q->q = parse_q(L, s, s + len + 1);
    quantile_col(q->col, sizeof q->col, q->q);
  } else if (s[len]) {
    luaL_error(L, "stats: '%s': this statistic takes no arguments (give "
               "min_coverage_frac, coverage_weight and default_weight as "
               "options of stats)", s);
  }
}

/* A Lua function entry: a function, or {name =, fn =}. Leaves the function
 * on the stack (q->fn is its index). */
static void parse_fn(lua_State *L, int k, req *q) {
  q->kind = K_FN;
  q->flags = F_USESW; /* gets the weights when they are given */
  q->q = NAN;
  if (lua_isfunction(L, -1)) {
    snprintf(q->col, sizeof q->col, "fn%d", k);
  } else {
    if (lua_getfield(L, -1, "fn") != LUA_TFUNCTION)
      luaL_error(L, "stats: entry %d: a table entry needs fn = a function "
                 "(and name = its column)", k);
    if (lua_getfield(L, -2, "name") != LUA_TSTRING)
      luaL_error(L, "stats: entry %d: a table entry needs name = a string "
                 "(its column)", k);
    const char *name = lua_tostring(L, -1);
    if (!*name || strlen(name) >= sizeof q->col)
      luaL_error(L, "stats: entry %d: name must have 1 to %d characters", k,
                 (int)sizeof q->col - 1);
    snprintf(q->col, sizeof q->col, "%s", name);
    lua_pop(L, 1);
    lua_replace(L, -2); /* the function in place of the table */
  }
  q->fn = lua_gettop(L);
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
  memset(rq, 0, (m ? m : 1) * sizeof *rq);
  for (size_t k = 0; k < m; k++) {
    if (!given) {
      parse_one(L, default_stats[k], &rq[k]);
      continue;
    }
    int t = lua_geti(L, idx, (lua_Integer)k + 1);
    if (t == LUA_TSTRING) {
      parse_one(L, lua_tostring(L, -1), &rq[k]);
      lua_pop(L, 1);
    } else if (t == LUA_TFUNCTION || t == LUA_TTABLE) {
      parse_fn(L, (int)k + 1, &rq[k]); /* the function stays on the stack */
    } else {
      luaL_error(L, "stats: entry %d must be a statistic name or a function, "
                 "got %s", (int)k + 1, luaL_typename(L, -1));
    }
    for (size_t i = 0; i < k; i++)
      if (strcmp(rq[i].col, rq[k].col) == 0)
        luaL_error(L, "stats: column '%s' is asked twice", rq[k].col);
    if (!strcmp(rq[k].col, "columns") || !strcmp(rq[k].col, "cells") ||
        !strcmp(rq[k].col, "valid") || !strcmp(rq[k].col, "missing"))
      luaL_error(L, "stats: '%s' is a key of every result; name the function "
                 "otherwise", rq[k].col);
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
               "weighted_mean, weighted_stdev, weighted_variance, "
               "weighted_frac, weight and Lua functions only; list those you "
               "want (sum, mean and stddev are "
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

/* The options of stats (keys) and dump (dump_keys) into o. */
static void read_opts(lua_State *L, int idx, cb_zonal_opts *o, int dump) {
  static const char *const keys[] = {"weights", "threads", "coverage_weight",
                                     "min_coverage_frac", "default_weight",
                                     NULL};
  static const char *const dump_keys[] = {"weights", "coverage_weight",
                                          "min_coverage_frac",
                                          "default_weight", "nodata", NULL};
  cbL_checkopts(L, idx, dump ? "dump" : "stats", dump ? dump_keys : keys);
  memset(o, 0, sizeof *o);
  o->threads = (int)cbL_optintfield(L, idx, "threads", 0);
  luaL_argcheck(L, o->threads >= 0, idx, "threads must be >= 0 (0: default)");
  o->weights = opt_weights(L, idx, &o->weight_raster);
  o->cover_weight = (cb_cover_weight)cbL_optenum(
      L, idx, dump ? "dump" : "stats", "coverage_weight", 0, covw_names);
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

/* Fills e when raster r and zones z both have a CRS and they differ;
 * returns 0 when r's CRS is fine for z. */
static int crs_differs(const zones_ud *z, const cb_raster *r, cb_err *e) {
  const char *rs = cb_raster_srs_wkt(r);
  if (!(rs && z->srs && !cb_crs_same(rs, z->srs))) return 0;
  char a[128], b[128];
  return cb_err_set(e, "raster '%s' is in %s, the zones in %s; build zones "
                    "for it with cbal.zones(layer, raster)", cb_raster_path(r),
                    cb_crs_label(rs, a, sizeof a),
                    cb_crs_label(z->srs, b, sizeof b));
}

static void check_crs(lua_State *L, const char *what, const zones_ud *z,
                      const cb_raster *r) {
  cb_err e;
  if (crs_differs(z, r, &e)) cbL_errorf(L, "%s: %s", what, e.msg);
}

/* zones:fits(raster) -> true, or false and why not: whether stats and dump
 * take the raster (same grid, and the same CRS when both have one). */
int cbL_zones_fits(lua_State *L) {
  zones_ud *z = cbL_checkzones(L, 1);
  cb_raster *r = cbL_checkraster(L, 2);
  cb_err e;
  int bad = crs_differs(z, r, &e) || cb_zonal_check_grid(&z->c->grid, r, &e);
  lua_pushboolean(L, !bad);
  if (!bad) return 1;
  lua_pushstring(L, e.msg);
  return 2;
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

/* The value statistics of the request into the engine's options: the
 * quantiles (a userdata on the stack), mode/minority/variety, histograms. */
static void setup_values(lua_State *L, req *rq, size_t nreq,
                         cb_zonal_opts *o) {
  size_t nq = 0;
  for (size_t i = 0; i < nreq; i++) nq += (rq[i].flags & F_Q) != 0;
  double *q = lua_newuserdatauv(L, (nq ? nq : 1) * sizeof *q, 0);
  nq = 0;
  for (size_t i = 0; i < nreq; i++) {
    if (rq[i].flags & F_Q) {
      q[nq] = rq[i].q;
      rq[i].out = (int)nq++;
    }
    o->values |= (rq[i].flags & F_VALUES) != 0;
    o->keep_hist |= (rq[i].flags & F_HIST) != 0;
    if (rq[i].kind == K_FRAC || rq[i].kind == K_WFRAC) o->max_classes = MAX_CLASSES;
  }
  o->quantiles = q, o->nq = nq;
}

/* A core error of the pass as a Lua error; the class limit is explained. */
static int pass_error(lua_State *L, const cb_err *e, const cb_raster *r,
                      const cb_zonal_opts *o) {
  if (o->max_classes && strstr(e->msg, "distinct values, more than"))
    return cbL_errorf(L, "stats: frac and weighted_frac make one column per "
                      "distinct value, and raster '%s' has too many (%s; at "
                      "most %d): they are for class rasters such as land "
                      "cover", cb_raster_path(r), e->msg, MAX_CLASSES);
  return cbL_raise(L, e);
}

/* Several rasters' passes at once, each on its own thread(s). */
typedef struct many {
  const cb_coverage *c;
  cb_raster **r;
  const cb_zonal_opts *o;
  cb_zonal_result *res;
  int *rc;
  cb_err *err;
} many;

static void one_pass(void *ctx, size_t i, int thread) {
  many *m = ctx;
  (void)thread;
  m->rc[i] = cb_zonal_stats(m->c, m->r[i], m->o, &m->res[i], &m->err[i]);
}

static void free_many(void *p, size_t n) {
  cb_zonal_result *res = p;
  for (size_t i = 0; i < n; i++) cb_zonal_free(&res[i]);
  free(res);
}

/* Whether the rasters of list idx (n of them, into r) can run at once:
 * distinct rasters, plain statistics (nothing kept per cell, no Lua
 * function, no weight raster read by every pass). */
static int runs_at_once(lua_State *L, int idx, size_t n, cb_raster **r) {
  int ok = n > 1;
  for (size_t i = 0; i < n; i++) {
    lua_geti(L, idx, (lua_Integer)i + 1);
    r[i] = cbL_checkraster(L, -1);
    lua_pop(L, 1);
    for (size_t k = 0; k < i; k++) ok &= r[k] != r[i];
  }
  return ok;
}

/* zones:stats({raster, ...}, stats, opts): a list of results, as one call
 * per raster gives them. Plain statistics of distinct rasters run as
 * several passes at once, a thread each (passes are the same for any
 * thread count), which keeps both cores busy from pass to pass. */
static int stats_many(lua_State *L) {
  lua_settop(L, 4);
  zones_ud *z = cbL_checkzones(L, 1);
  size_t n = (size_t)luaL_len(L, 2);
  cb_raster **r = lua_newuserdatauv(L, (n ? n : 1) * sizeof *r, 0);
  int at_once = runs_at_once(L, 2, n, r);
  cb_zonal_opts o;
  read_opts(L, 4, &o, 0);
  size_t nreq;
  req *rq = parse_stats(L, 3, &nreq);
  for (size_t i = 0; i < nreq; i++)
    at_once &= !(rq[i].flags & (F_Q | F_VALUES | F_HIST | F_AREAS)) && rq[i].kind != K_FN &&
               rq[i].kind != K_COVAREA;
  cb_err e;
  int nth = cb_zonal_threads(o.threads, &e);
  if (nth < 0) return cbL_raise(L, &e);
  lua_createtable(L, (int)n, 0);
  int out = lua_gettop(L);
  if (!at_once || o.weights != CB_WEIGHT_NONE || nth < 2) {
    for (size_t i = 0; i < n; i++) { /* one call each */
      lua_pushcfunction(L, cbL_zones_stats);
      lua_pushvalue(L, 1);
      lua_geti(L, 2, (lua_Integer)i + 1);
      lua_pushvalue(L, 3);
      lua_pushvalue(L, 4);
      lua_call(L, 4, 1);
      lua_seti(L, out, (lua_Integer)i + 1);
    }
    return 1;
  }
  check_weights(L, rq, nreq, 0, !lua_isnoneornil(L, 3));
  for (size_t i = 0; i < n; i++) check_crs(L, "stats", z, r[i]);
  setup_values(L, rq, nreq, &o);
  o.no_spread = 1;
  for (size_t i = 0; i < nreq; i++)
    if (rq[i].kind == K_STDEV || rq[i].kind == K_VARIANCE || rq[i].kind == K_CV)
      o.no_spread = 0;
  size_t k = n < (size_t)nth ? n : (size_t)nth;
  o.threads = nth / (int)k;
  cbL_box *box = cbL_newbox(L, 0, free_many);
  cb_zonal_result *res = box->p = calloc(n, sizeof *res);
  int *rc = lua_newuserdatauv(L, n * sizeof *rc, 0);
  cb_err *err = lua_newuserdatauv(L, n * sizeof *err, 0);
  if (!res) return luaL_error(L, "out of memory");
  box->n = n;
  many m = {z->c, r, &o, res, rc, err};
  z->busy++;
  cb_par_run((int)k, n, one_pass, &m);
  z->busy--;
  for (size_t i = 0; i < n; i++) {
    if (rc[i]) return pass_error(L, &err[i], r[i], &o);
    warn_values(L, &res[i], r[i]);
    cbL_zonal_push(L, &res[i], rq, nreq, NULL, 0, r[i]);
    lua_seti(L, out, (lua_Integer)i + 1);
  }
  lua_pushvalue(L, out);
  return 1;
}

/* zones:stats(raster [, stats [, {weights=, threads=, coverage_weight=,
 * min_coverage_frac=, default_weight=}]]), or a list of rasters (see
 * stats_many). */
int cbL_zones_stats(lua_State *L) {
  if (lua_type(L, 2) == LUA_TTABLE) return stats_many(L);
  zones_ud *z = cbL_checkzones(L, 1);
  cb_raster *r = cbL_checkraster(L, 2);
  cb_zonal_opts o;
  read_opts(L, 4, &o, 0);
  size_t nreq;
  req *rq = parse_stats(L, 3, &nreq);
  check_weights(L, rq, nreq, o.weights != CB_WEIGHT_NONE, !lua_isnoneornil(L, 3));
  check_crs(L, "stats", z, r);
  int areas = o.weights == CB_WEIGHT_AREA;
  for (size_t i = 0; i < nreq; i++) areas |= rq[i].flags & F_AREAS;
  if (areas) o.row_areas = cbL_zones_row_areas(L, z);
  const double *cover_area = NULL;
  for (size_t i = 0; i < nreq && !cover_area; i++)
    if (rq[i].kind == K_COVAREA) cover_area = push_cover_area(L, z, &o);
  setup_values(L, rq, nreq, &o);
  o.no_spread = 1; /* the variance sums only for the statistics that use them */
  for (size_t i = 0; i < nreq; i++)
    if (rq[i].kind == K_STDEV || rq[i].kind == K_VARIANCE || rq[i].kind == K_CV ||
        rq[i].kind == K_WSTDEV || rq[i].kind == K_WVARIANCE)
      o.no_spread = 0;
  fnctx fx;
  cbL_zonal_fns(L, rq, nreq, z->c->nzones, &fx, &o);
  /* a bar only for long work (a terminal only: see core/progress.h) */
  double ncells = (double)cb_raster_width(r) * cb_raster_height(r);
  o.label = ncells > 16e6 ? "zonal stats" : NULL;
  cbL_box *box = cbL_newbox(L, sizeof(cb_zonal_result), free_result);
  cb_zonal_result *res = box->p;
  cb_err e;
  z->busy++;
  int rc = cb_zonal_stats(z->c, r, &o, res, &e);
  z->busy--;
  if (rc) return pass_error(L, &e, r, &o);
  warn_values(L, res, r);
  cbL_zonal_push(L, res, rq, nreq, cover_area, o.weights != CB_WEIGHT_NONE, r);
  return 1;
}

static void free_dump(void *p, size_t n) {
  (void)n;
  cb_zonal_dump_free(p);
}

/* zones:dump(raster, zone [, {weights=, coverage_weight=, min_coverage_frac=,
 * default_weight=, nodata=}]) -> {cell_id =, values =, coverage =
 * [, weights =]}: the cells of one zone (1-based), as exactextract's
 * cell_id, values, coverage and weights operations list them. */
int cbL_zones_dump(lua_State *L) {
  zones_ud *z = cbL_checkzones(L, 1);
  cb_raster *r = cbL_checkraster(L, 2);
  lua_Integer zone = luaL_checkinteger(L, 3);
  if (zone < 1 || (size_t)zone > z->c->nzones)
    return luaL_error(L, "dump: zone %d does not exist (the zones are 1..%d)",
                      (int)zone, (int)z->c->nzones);
  cb_zonal_opts o;
  read_opts(L, 4, &o, 1);
  int nodata = cbL_optboolfield(L, 4, "nodata", 0);
  check_crs(L, "dump", z, r);
  if (o.weights == CB_WEIGHT_AREA) o.row_areas = cbL_zones_row_areas(L, z);
  cbL_box *box = cbL_newbox(L, sizeof(cb_zonal_dump), free_dump);
  cb_zonal_dump *d = box->p;
  cb_err e;
  if (cb_zonal_dump_zone(z->c, r, (size_t)zone - 1, &o, nodata, d, &e))
    return cbL_raise(L, &e);
  lua_createtable(L, 0, 4);
  const char *names[] = {"cell_id", "values", "coverage", "weights"};
  double *cols[] = {d->cell, d->v, d->c, d->w};
  for (int i = 0; i < (o.weights != CB_WEIGHT_NONE ? 4 : 3); i++) {
    cbL_array *a = cbL_newarray(L, d->n);
    if (d->n) memcpy(a->v, cols[i], d->n * sizeof(double));
    lua_setfield(L, -2, names[i]);
  }
  return 1;
}
