/* The result table of zones:stats: its columns in the order asked, with
 * one column per class value for frac and weighted_frac and a list per
 * zone for unique. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/table.h"
#include "l_util.h"
#include "l_zonal.h"

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
  case K_MEDIAN: case K_QUANTILE: return res->quantile[q->out];
  case K_MODE: return res->mode;
  case K_MINORITY: return res->minority;
  case K_VARIETY: return res->variety;
  default: return NULL;
  }
}

static void push_copy(lua_State *L, const double *v, size_t n) {
  cbL_array *a = cbL_newarray(L, n);
  memcpy(a->v, v, n * sizeof *v);
}

/* Sets result[col] = the value on top (popped) and appends col to the
 * columns list at cols (a stack index); *k counts the columns. */
static void add_column(lua_State *L, int result, int cols, const char *col,
                       lua_Integer *k) {
  lua_setfield(L, result, col);
  lua_pushstring(L, col);
  lua_rawseti(L, cols, ++*k);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The distinct values of every zone's histogram, ascending, as a Lua
 * userdata on the stack; *n gets their number. Raises beyond MAX_CLASSES. */
static double *classes(lua_State *L, const cb_zonal_result *res, size_t *n,
                       const char *stat, const cb_raster *r) {
  size_t total = 0;
  for (size_t z = 0; z < res->n; z++) total += res->hist[z].n;
  double *v = lua_newuserdatauv(L, (total ? total : 1) * sizeof *v, 0);
  size_t k = 0;
  for (size_t z = 0; z < res->n; z++)
    for (size_t i = 0; i < res->hist[z].n; i++) v[k++] = res->hist[z].v[i];
  qsort(v, k, sizeof *v, cmp_double);
  size_t m = 0;
  for (size_t i = 0; i < k; i++)
    if (i == 0 || v[i] != v[m - 1]) v[m++] = v[i];
  if (m > MAX_CLASSES)
    luaL_error(L, "stats: '%s' makes one column per distinct value and raster "
               "'%s' has %d of them in the zones (at most %d): %s is for class "
               "rasters such as land cover", stat, cb_raster_path(r), (int)m,
               MAX_CLASSES, stat);
  *n = m;
  return v;
}

/* frac_<v> (or weighted_frac_<v>) for class value v: the shortest text
 * that reads back as v. */
static void class_col(char *col, size_t len, const char *stat, double v) {
  char num[40];
  cb_table_fmtnum(v, num, sizeof num);
  snprintf(col, len, "%s_%s", stat, num);
}

/* Σc of value v in zone z's histogram (0 when absent; Σcw when w). */
static double hist_get(const cb_zonal_hist *h, double v, int w) {
  size_t lo = 0, hi = h->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (h->v[mid] < v) lo = mid + 1; else hi = mid;
  }
  if (lo == h->n || h->v[lo] != v) return 0;
  return w ? h->cw[lo] : h->c[lo];
}

/* One column per class value for frac (share of Σc) or weighted_frac
 * (share of Σcw); NaN for a zone without valid cells. */
static void push_frac(lua_State *L, const cb_zonal_result *res, const req *q,
                      const cb_raster *r, int result, int cols,
                      lua_Integer *k) {
  int w = q->kind == K_WFRAC;
  size_t nc;
  double *cl = classes(L, res, &nc, q->col, r);
  for (size_t i = 0; i < nc; i++) {
    cbL_array *a = cbL_newarray(L, res->n);
    for (size_t z = 0; z < res->n; z++) {
      double den = w ? res->wcount[z] : res->count[z];
      a->v[z] = den != 0 ? hist_get(&res->hist[z], cl[i], w) / den : NAN;
    }
    char col[96];
    class_col(col, sizeof col, q->col, cl[i]);
    add_column(L, result, cols, col, k);
  }
  lua_pop(L, 1); /* the classes */
}

/* unique: a list per zone of its distinct values, ascending. */
static void push_unique(lua_State *L, const cb_zonal_result *res) {
  lua_createtable(L, (int)res->n, 0);
  for (size_t z = 0; z < res->n; z++) {
    const cb_zonal_hist *h = &res->hist[z];
    lua_createtable(L, (int)h->n, 0);
    for (size_t i = 0; i < h->n; i++) {
      lua_pushnumber(L, h->v[i]);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_rawseti(L, -2, (lua_Integer)z + 1);
  }
}

void cbL_zonal_push(lua_State *L, const cb_zonal_result *res, const req *rq,
                    size_t nreq, const double *area, int weighted,
                    const cb_raster *r) {
  lua_createtable(L, 0, (int)nreq + 4);
  lua_createtable(L, (int)nreq, 0);
  int result = lua_gettop(L) - 1, cols = lua_gettop(L);
  lua_Integer k = 0;
  for (size_t i = 0; i < nreq; i++) {
    const req *q = &rq[i];
    if (q->kind == K_FRAC || q->kind == K_WFRAC) {
      push_frac(L, res, q, r, result, cols, &k);
      continue;
    }
    if (q->kind == K_UNIQUE) push_unique(L, res);
    else if (q->kind == K_FN) lua_pushvalue(L, q->out);
    else push_copy(L, q->kind == K_COVAREA ? area : column(res, q, weighted), res->n);
    add_column(L, result, cols, q->col, &k);
  }
  lua_setfield(L, result, "columns");
  push_copy(L, res->cells, res->n);
  lua_setfield(L, -2, "cells");
  push_copy(L, res->valid, res->n);
  lua_setfield(L, -2, "valid");
  push_copy(L, res->missing, res->n);
  lua_setfield(L, -2, "missing");
}

