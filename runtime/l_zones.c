/* cbal.zones(layer, raster, opts) -> cbal.Zones: a layer's polygons
 * rasterized once on a raster's grid; its properties, and the warnings about
 * features that cover nothing. zones:stats lives in l_zonal.c. */
#include "l_zones.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/geo.h"
#include "core/crs.h"
#include "core/layer.h"
#include "core/raster.h"
#include "l_util.h"

zones_ud *cbL_checkzones(lua_State *L, int idx) {
  zones_ud *z = luaL_checkudata(L, idx, CBAL_ZONES);
  if (!z->c) luaL_error(L, "attempt to use closed zones");
  return z;
}

/* Names of cb_cover_mode values, in enum order. */
static const char *const mode_names[] = {"exact", "center", "touched", NULL};

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
  z->srs = cb_crs_to_wkt(rsrc, &e);
  if (!z->srs) cbL_raise(L, &e);
  if (!cb_crs_same(lsrc, rsrc)) {
    *reproject = 1;
    if (!cb_quiet()) {
      char a[128], b[128];
      fprintf(stderr, "cbal: reprojecting %s from %s to %s\n",
              cb_layer_name(l), cb_crs_label(lsrc, a, sizeof a),
              cb_crs_label(rsrc, b, sizeof b));
    }
    return z->srs;
  }
  return NULL;
}

static void free_polyset(void *p, size_t n) {
  (void)n;
  cb_polyset_free(p);
}

/* Pushes the values of field `id` (an array, or a list of strings with
 * false for null). */
static void push_ids(lua_State *L, cb_layer *l, const char *id,
                     const char *where) {
  cb_err e;
  int num = cb_layer_field_is_numeric(l, id, &e);
  if (num < 0) cbL_raise(L, &e);
  cbL_pushfield(L, l, id, where, num);
}

void cbL_zones_idtext(lua_State *L, int idx, size_t i, char *buf,
                      size_t len) {
  if (lua_getiuservalue(L, idx, 1) == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  cbL_array *a = cbL_testarray(L, -1);
  size_t used = strlen(buf);
  if (a && i < a->n) {
    snprintf(buf + used, len - used, " (id %.15g)", a->v[i]);
  } else if (!a && lua_istable(L, -1)) {
    lua_rawgeti(L, -1, (lua_Integer)i + 1);
    const char *s = lua_tostring(L, -1);
    if (s) snprintf(buf + used, len - used, " (id %s)", s);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/* One warning naming the features (index and id) whose geometry is null
 * or empty: they cover nothing, so their counts and sums are 0. */
static void warn_empty(lua_State *L, int zi, const cb_polyset *ps,
                       const char *path) {
  char list[600] = "";
  size_t n = 0;
  for (size_t i = 0; i < ps->n; i++) {
    const cb_polygon *p = &ps->polys[i];
    size_t pts = 0;
    for (size_t r = 0; r < p->nrings; r++) pts += p->rings[r].n;
    if (pts > 0 || ++n > 8) continue;
    size_t used = strlen(list);
    snprintf(list + used, sizeof list - used, "%sfeature %zu", used ? ", " : "",
             i + 1);
    cbL_zones_idtext(L, zi, i, list, sizeof list);
  }
  if (n)
    cb_warn("zones: %zu feature%s of '%s' %s no geometry (null or empty) and "
            "cover%s nothing, so %s count and sum are 0: %s%s", n,
            n == 1 ? "" : "s", path, n == 1 ? "has" : "have",
            n == 1 ? "s" : "", n == 1 ? "its" : "their", list,
            n > 8 ? ", ..." : "");
}

/* The raster's grid, checked: a rotated or degenerate grid is an error
 * naming the raster. */
static cb_grid raster_grid(lua_State *L, cb_raster *r) {
  cb_grid g = {{0}, cb_raster_width(r), cb_raster_height(r)};
  cb_raster_geotransform(r, g.gt);
  cb_err e;
  if (cb_coverage_check_grid(&g, &e))
    cbL_errorf(L, "zones: raster '%s': %s", cb_raster_path(r), e.msg);
  return g;
}

/* cbal.zones(layer, raster [, {mode=, id=, where=, crs=}]) */
static int l_zones(lua_State *L) {
  static const char *const keys[] = {"mode", "id", "where", "crs", NULL};
  cb_layer *l = cbL_checklayer(L, 1);
  cb_raster *r = cbL_checkraster(L, 2);
  cbL_checkopts(L, 3, "zones", keys);
  cb_cover_mode mode = (cb_cover_mode)cbL_optenum(L, 3, "zones", "mode", 0,
                                                    mode_names);
  const char *id = cbL_optstrfield(L, 3, "id", NULL);
  const char *where = cbL_optstrfield(L, 3, "where", NULL);
  const char *crs = cbL_optstrfield(L, 3, "crs", NULL);
  cb_grid g = raster_grid(L, r);
  zones_ud *z = lua_newuserdatauv(L, sizeof *z, 1);
  memset(z, 0, sizeof *z);
  luaL_setmetatable(L, CBAL_ZONES);
  int zi = lua_gettop(L);
  if (!(z->layer = strdup(cb_layer_name(l)))) return luaL_error(L, "out of memory");
  const char *target = pick_crs(L, z, l, r, crs, &z->reprojected);
  if (id) {
    push_ids(L, l, id, where);
    lua_setiuservalue(L, zi, 1);
  }
  cb_err e;
  /* the layer's CRS when it has none is the one stated (crs option) */
  const char *assume = cb_layer_srs_wkt(l) ? NULL : crs;
  cbL_box *box = cbL_newbox(L, 0, free_polyset);
  cb_polyset *ps = cb_layer_polygons(l, where, assume, target, &e);
  if (!ps) return cbL_raise(L, &e);
  box->p = ps;
  if (ps->n == 0)
    return luaL_error(L, "zones: '%s' has no features%s; zones need at least "
                      "one polygon", cb_layer_path(l),
                      where ? " passing the where filter" : "");
  warn_empty(L, zi, ps, cb_layer_path(l));
  z->c = cb_coverage_build(&g, ps, mode, &e);
  if (!z->c) return cbL_raise(L, &e);
  cb_polyset_free(ps); /* the polygons are no longer needed: free them now */
  box->p = NULL;
  double cells = 0;
  for (size_t i = 0; i < z->c->nzones; i++) cells += z->c->zone_cells[i];
  if (cells == 0)
    cb_warn("raster '%s' covers none of the %zu polygons of '%s'; counts will "
            "be 0 and means NaN", cb_raster_path(r), z->c->nzones,
            cb_layer_path(l));
  lua_settop(L, zi);
  return 1;
}

static int z_close(lua_State *L) {
  zones_ud *z = luaL_checkudata(L, 1, CBAL_ZONES);
  if (z->busy) return luaL_error(L, "cannot close zones while their stats run");
  cb_coverage_free(z->c);
  free(z->srs);
  free(z->layer);
  free(z->areas);
  memset(z, 0, sizeof *z);
  return 0;
}

static int z_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)cbL_checkzones(L, 1)->c->nzones);
  return 1;
}

const double *cbL_zones_row_areas(lua_State *L, zones_ud *z) {
  if (z->areas) return z->areas;
  z->areas = malloc((z->c->nrows ? z->c->nrows : 1) * sizeof(double));
  if (!z->areas) luaL_error(L, "out of memory");
  cb_err e;
  if (cb_geo_row_areas(&z->c->grid, z->srs, z->c->row_y, z->c->nrows, z->areas,
                       &e)) {
    free(z->areas);
    z->areas = NULL;
    cbL_raise(L, &e);
  }
  return z->areas;
}

static int z_index(lua_State *L) {
  zones_ud *z = luaL_checkudata(L, 1, CBAL_ZONES);
  const char *k = luaL_checkstring(L, 2);
  if (cbL_getmethod(L, CBAL_ZONES, k)) return 1;
  z = cbL_checkzones(L, 1);
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
    {"stats", cbL_zones_stats}, {"dump", cbL_zones_dump},
    {"fits", cbL_zones_fits},   {"close", z_close},
    {NULL, NULL}};

static const luaL_Reg meta[] = {
    {"__index", z_index}, {"__len", z_len},           {"__gc", z_close},
    {"__close", z_close}, {"__tostring", z_tostring}, {NULL, NULL}};

static const luaL_Reg funcs[] = {{"zones", l_zones}, {NULL, NULL}};

void cbL_open_zones(lua_State *L) {
  cbL_newtype(L, CBAL_ZONES, methods, meta);
  luaL_setfuncs(L, funcs, 0);
}
