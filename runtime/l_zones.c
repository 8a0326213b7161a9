/* cbal.zones(layer, raster, opts) -> cbal.Zones: a layer's polygons
 * rasterized once on a raster's grid; zones:stats(raster, ...) streams any
 * raster on that grid into per-zone statistics. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/coverage.h"
#include "core/geo.h"
#include "core/layer.h"
#include "core/raster.h"
#include "core/zonal.h"
#include "l_util.h"

#define CBAL_ZONES "cbal.Zones"

typedef struct {
  cb_coverage *c; /* NULL once closed */
  char *srs;      /* the grid's CRS (WKT), NULL when none */
  char *layer;    /* layer name, for messages */
  double *areas;  /* cell area per row, computed on first use */
  int reprojected;
} zones_ud;

static zones_ud *checkzones(lua_State *L, int idx) {
  zones_ud *z = luaL_checkudata(L, idx, CBAL_ZONES);
  if (!z->c) luaL_error(L, "attempt to use closed zones");
  return z;
}

/* Names of cb_cover_mode values, in enum order. */
static const char *const mode_names[] = {"exact", "center", "touched"};

/* Decides the CRS the polygons are read in (NULL: as they are); sets
 * *reproject when they change CRS. Raises on a one-sided CRS. */
static const char *pick_crs(lua_State *L, zones_ud *z, cb_layer *l,
                            cb_raster *r, const char *given, int *reproject) {
  const char *ls = cb_layer_srs_wkt(l), *rs = cb_raster_srs_wkt(r);
  if (given && ls && rs)
    luaL_error(L, "zones: option 'crs' is only for a side without a CRS, "
               "and both '%s' and '%s' have one", cb_layer_path(l),
               cb_raster_path(r));
  const char *lsrc = ls ? ls : given, *rsrc = rs ? rs : given;
  *reproject = 0;
  if (!lsrc && !rsrc) {
    cb_warn("neither '%s' nor '%s' has a CRS; taking both as the same plane "
            "(pass {crs = \"EPSG:...\"} to state it)", cb_layer_path(l),
            cb_raster_path(r));
    return NULL;
  }
  if (!lsrc || !rsrc)
    luaL_error(L, "zones: '%s' has a CRS but '%s' has none; state the "
               "missing one with cbal.zones(layer, raster, {crs = "
               "\"EPSG:...\"}) or open the file with {crs = ...}",
               lsrc ? cb_layer_path(l) : cb_raster_path(r),
               lsrc ? cb_raster_path(r) : cb_layer_path(l));
  cb_err e;
  z->srs = cb_srs_to_wkt(rsrc, &e);
  if (!z->srs) cbL_raise(L, &e);
  if (!cb_srs_same(lsrc, rsrc)) {
    *reproject = 1;
    if (!cb_quiet()) {
      char a[128], b[128];
      fprintf(stderr, "cbal: reprojecting %s from %s to %s\n",
              cb_layer_name(l), cb_srs_label(lsrc, a, sizeof a),
              cb_srs_label(rsrc, b, sizeof b));
    }
    return z->srs;
  }
  return NULL;
}

static void push_ids(lua_State *L, cb_layer *l, const char *id,
                     const char *where) {
  cb_err e;
  int num = cb_layer_field_is_numeric(l, id, &e);
  if (num < 0) cbL_raise(L, &e);
  size_t n;
  if (num) {
    double *v;
    if (cb_layer_field_doubles(l, id, where, &v, &n, &e)) cbL_raise(L, &e);
    cbL_array *a = cbL_newarray(L, n);
    memcpy(a->v, v, n * sizeof *v);
    free(v);
    return;
  }
  char **s;
  if (cb_layer_field_strings(l, id, where, &s, &n, &e)) cbL_raise(L, &e);
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    if (s[i]) lua_pushstring(L, s[i]); else lua_pushboolean(L, 0);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  cb_strings_free(s, n);
}

static cb_cover_mode opt_mode(lua_State *L, int idx) {
  const char *m = cbL_optstrfield(L, idx, "mode", "exact");
  for (int i = 0; i <= CB_COVER_TOUCHED; i++)
    if (strcmp(m, mode_names[i]) == 0) return (cb_cover_mode)i;
  luaL_error(L, "zones: option 'mode' must be \"exact\", \"center\" or "
             "\"touched\", got '%s'", m);
  return CB_COVER_EXACT;
}

/* cbal.zones(layer, raster [, {mode=, id=, where=, crs=}]) */
static int l_zones(lua_State *L) {
  static const char *const keys[] = {"mode", "id", "where", "crs", NULL};
  cb_layer *l = cbL_checklayer(L, 1);
  cb_raster *r = cbL_checkraster(L, 2);
  cbL_checkopts(L, 3, "zones", keys);
  cb_cover_mode mode = opt_mode(L, 3);
  const char *id = cbL_optstrfield(L, 3, "id", NULL);
  const char *where = cbL_optstrfield(L, 3, "where", NULL);
  const char *crs = cbL_optstrfield(L, 3, "crs", NULL);
  zones_ud *z = lua_newuserdatauv(L, sizeof *z, 1);
  memset(z, 0, sizeof *z);
  luaL_setmetatable(L, CBAL_ZONES);
  int zi = lua_gettop(L);
  if (!(z->layer = strdup(cb_layer_name(l)))) return luaL_error(L, "out of memory");
  const char *target = pick_crs(L, z, l, r, crs, &z->reprojected);
  cb_err e;
  /* the layer's CRS when it has none is the one stated (crs option) */
  const char *assume = cb_layer_srs_wkt(l) ? NULL : crs;
  cb_polyset *ps = cb_layer_polygons(l, where, assume, target, &e);
  if (!ps) return cbL_raise(L, &e);
  if (ps->n == 0) {
    cb_polyset_free(ps);
    return luaL_error(L, "zones: '%s' has no features%s; zones need at least "
                      "one polygon", cb_layer_path(l),
                      where ? " passing the where filter" : "");
  }
  cb_grid g = {{0}, cb_raster_width(r), cb_raster_height(r)};
  cb_raster_geotransform(r, g.gt);
  cb_coverage *c = cb_coverage_build(&g, ps, mode, &e);
  cb_polyset_free(ps); /* the polygons are no longer needed: free them now */
  if (!c) return cbL_raise(L, &e);
  z->c = c;
  double cells = 0;
  for (size_t i = 0; i < c->nzones; i++) cells += c->zone_cells[i];
  if (cells == 0)
    cb_warn("raster '%s' covers none of the %zu polygons of '%s'; counts will "
            "be 0 and means NaN", cb_raster_path(r), c->nzones,
            cb_layer_path(l));
  if (id) {
    push_ids(L, l, id, where);
    lua_setiuservalue(L, zi, 1);
  }
  lua_settop(L, zi);
  return 1;
}

static int z_close(lua_State *L) {
  zones_ud *z = luaL_checkudata(L, 1, CBAL_ZONES);
  cb_coverage_free(z->c);
  free(z->srs);
  free(z->layer);
  free(z->areas);
  memset(z, 0, sizeof *z);
  return 0;
}

static int z_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)checkzones(L, 1)->c->nzones);
  return 1;
}

static const char *const stat_names[] = {"count", "sum",    "mean",  "min",
                                         "max",   "stddev", "weight", NULL};

/* The weights option: "coverage" (default), "area", or a cbal.Raster. */
static cb_weight_kind opt_weights(lua_State *L, int idx, cb_raster **wr) {
  *wr = NULL;
  if (lua_isnoneornil(L, idx)) return CB_WEIGHT_COVERAGE;
  int t = lua_getfield(L, idx, "weights");
  cb_weight_kind k = CB_WEIGHT_COVERAGE;
  if (t == LUA_TSTRING && strcmp(lua_tostring(L, -1), "area") == 0)
    k = CB_WEIGHT_AREA;
  else if (t == LUA_TUSERDATA && luaL_testudata(L, -1, "cbal.Raster")) {
    *wr = cbL_checkraster(L, lua_gettop(L));
    k = CB_WEIGHT_RASTER;
  } else if (!(t == LUA_TNIL ||
               (t == LUA_TSTRING && strcmp(lua_tostring(L, -1), "coverage") == 0)))
    luaL_error(L, "stats: option 'weights' must be \"coverage\", \"area\" or "
               "a cbal.Raster on the same grid");
  lua_pop(L, 1);
  return k;
}

static void push_result(lua_State *L, const cb_zonal_result *res,
                        const int want[]) {
  double *cols[] = {res->count, res->sum, res->mean, res->min,
                    res->max,   res->stddev, res->weight};
  lua_newtable(L);
  for (int i = 0; stat_names[i]; i++) {
    if (!want[i]) continue;
    cbL_array *a = cbL_newarray(L, res->n);
    memcpy(a->v, cols[i], res->n * sizeof(double));
    lua_setfield(L, -2, stat_names[i]);
  }
  const char *extra[] = {"cells", "valid", "missing"};
  double *ev[] = {res->cells, res->valid, res->missing};
  for (int i = 0; i < 3; i++) {
    cbL_array *a = cbL_newarray(L, res->n);
    memcpy(a->v, ev[i], res->n * sizeof(double));
    lua_setfield(L, -2, extra[i]);
  }
}

static void check_stats(lua_State *L, int idx, int want[]) {
  if (lua_isnoneornil(L, idx)) {
    for (int i = 0; stat_names[i]; i++) want[i] = 1;
    return;
  }
  luaL_checktype(L, idx, LUA_TTABLE);
  lua_Integer n = luaL_len(L, idx);
  for (lua_Integer k = 1; k <= n; k++) {
    lua_geti(L, idx, k);
    const char *s = lua_tostring(L, -1);
    int found = 0;
    for (int i = 0; s && stat_names[i]; i++)
      if (strcmp(s, stat_names[i]) == 0) want[i] = found = 1;
    if (!found)
      luaL_error(L, "stats: unknown statistic '%s' (expected count, sum, "
                 "mean, min, max, stddev or weight)", luaL_tolstring(L, -1, NULL));
    lua_pop(L, 1);
  }
}

static const double *row_areas(lua_State *L, zones_ud *z) {
  if (z->areas) return z->areas;
  z->areas = malloc((size_t)z->c->grid.nrows * sizeof(double));
  if (!z->areas) luaL_error(L, "out of memory");
  cb_err e;
  if (cb_geo_row_areas(&z->c->grid, z->srs, z->areas, &e)) {
    free(z->areas);
    z->areas = NULL;
    cbL_raise(L, &e);
  }
  return z->areas;
}

/* zones:stats(raster [, stats [, {weights=, threads=}]]) */
static int z_stats(lua_State *L) {
  static const char *const keys[] = {"weights", "threads", NULL};
  zones_ud *z = checkzones(L, 1);
  cb_raster *r = cbL_checkraster(L, 2);
  int want[8] = {0};
  check_stats(L, 3, want);
  cbL_checkopts(L, 4, "stats", keys);
  cb_zonal_opts o = {0};
  o.threads = (int)cbL_optintfield(L, 4, "threads", 0);
  luaL_argcheck(L, o.threads >= 0, 4, "threads must be >= 0 (0: default)");
  o.weights = opt_weights(L, 4, &o.weight_raster);
  const char *rs = cb_raster_srs_wkt(r);
  if (rs && z->srs && !cb_srs_same(rs, z->srs)) {
    char a[128], b[128];
    return luaL_error(L, "stats: raster '%s' is in %s, the zones in %s; "
                      "build zones for it with cbal.zones(layer, raster)",
                      cb_raster_path(r), cb_srs_label(rs, a, sizeof a),
                      cb_srs_label(z->srs, b, sizeof b));
  }
  if (o.weights == CB_WEIGHT_AREA) o.row_areas = row_areas(L, z);
  /* a bar only for long work (a terminal only: see core/progress.h) */
  double ncells = (double)cb_raster_width(r) * cb_raster_height(r);
  o.label = ncells > 16e6 ? "zonal stats" : NULL;
  cb_zonal_result res;
  cb_err e;
  if (cb_zonal_stats(z->c, r, &o, &res, &e)) return cbL_raise(L, &e);
  if (res.total_cells > 0 && res.total_valid == 0)
    cb_warn("raster '%s' has no valid value inside any zone (all nodata?); "
            "counts are 0 and means NaN", cb_raster_path(r));
  push_result(L, &res, want);
  cb_zonal_free(&res);
  return 1;
}

static int z_index(lua_State *L) {
  zones_ud *z = luaL_checkudata(L, 1, CBAL_ZONES);
  const char *k = luaL_checkstring(L, 2);
  if (cbL_getmethod(L, CBAL_ZONES, k)) return 1;
  z = checkzones(L, 1);
  if (strcmp(k, "mode") == 0) lua_pushstring(L, mode_names[z->c->mode]);
  else if (strcmp(k, "reprojected") == 0) lua_pushboolean(L, z->reprojected);
  else if (strcmp(k, "layer") == 0) lua_pushstring(L, z->layer);
  else if (strcmp(k, "bytes") == 0)
    lua_pushinteger(L, (lua_Integer)cb_coverage_bytes(z->c));
  else if (strcmp(k, "crs") == 0) lua_pushstring(L, z->srs); /* nil if none */
  else if (strcmp(k, "ids") == 0) lua_getiuservalue(L, 1, 1);
  else if (strcmp(k, "cells") == 0) {
    cbL_array *a = cbL_newarray(L, z->c->nzones);
    memcpy(a->v, z->c->zone_cells, z->c->nzones * sizeof(double));
  } else
    return luaL_error(L, "cbal.Zones has no field or method '%s'", k);
  return 1;
}

static int z_tostring(lua_State *L) {
  zones_ud *z = luaL_checkudata(L, 1, CBAL_ZONES);
  if (!z->c)
    lua_pushstring(L, "cbal.Zones (closed)");
  else
    lua_pushfstring(L, "cbal.Zones(%d zones of '%s', %s, %dx%d grid)",
                    (int)z->c->nzones, z->layer, mode_names[z->c->mode],
                    z->c->grid.ncols, z->c->grid.nrows);
  return 1;
}

static const luaL_Reg methods[] = {
    {"stats", z_stats}, {"close", z_close}, {NULL, NULL}};

static const luaL_Reg meta[] = {
    {"__index", z_index}, {"__len", z_len},           {"__gc", z_close},
    {"__close", z_close}, {"__tostring", z_tostring}, {NULL, NULL}};

static const luaL_Reg funcs[] = {{"zones", l_zones}, {NULL, NULL}};

void cbL_open_zones(lua_State *L) {
  cbL_newtype(L, CBAL_ZONES, methods, meta);
  luaL_setfuncs(L, funcs, 0);
}
