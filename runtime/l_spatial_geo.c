/* Geometry for cbal.spatial (in cbal.core._spatial): the equal-area CRS of
 * an extent, projecting polygons and points between lon/lat and it,
 * centroids, geodesics, weighted centres and their ellipses. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/spatial_describe.h"
#include "core/par.h"
#include "core/spatial_proj.h"
#include "l_spatial.h"
#include "l_util.h"

#define CBAL_PROJ "cbal.Projection"

typedef struct {
  cb_proj *p;
} proj_ud;

/* _spatial.albers(xmin, ymin, xmax, ymax) -> PROJ string */
static int l_albers(lua_State *L) {
  double bb[4];
  for (int i = 0; i < 4; i++) bb[i] = luaL_checknumber(L, i + 1);
  char buf[256];
  lua_pushstring(L, cb_proj_albers_for(bb, buf, sizeof buf));
  return 1;
}

static int p_gc(lua_State *L) {
  proj_ud *u = luaL_checkudata(L, 1, CBAL_PROJ);
  cb_proj_free(u->p);
  u->p = NULL;
  return 0;
}

/* _spatial.projection(crs) -> a lon/lat <-> crs transformation */
static int l_projection(lua_State *L) {
  const char *crs = luaL_checkstring(L, 1);
  proj_ud *u = lua_newuserdatauv(L, sizeof *u, 0);
  u->p = NULL;
  luaL_setmetatable(L, CBAL_PROJ);
  cb_err e;
  u->p = cb_proj_new(crs, &e);
  if (!u->p) return cbL_raise(L, &e);
  return 1;
}

static cb_proj *checkproj(lua_State *L, int idx) {
  proj_ud *u = luaL_checkudata(L, idx, CBAL_PROJ);
  if (!u->p) luaL_error(L, "attempt to use a freed projection");
  return u->p;
}

/* _spatial.project_polygons(proj, polygons [, threads]): in place */
static int l_project_polygons(lua_State *L) {
  cb_proj *p = checkproj(L, 1);
  cb_polyset *ps = cbL_checkpolygons(L, 2);
  int threads = (int)luaL_optinteger(L, 3, 0);
  cb_err e;
  int nth = cb_par_threads(threads, ps->n, &e);
  if (nth < 0 || cb_proj_polyset(p, ps, nth, &e)) return cbL_raise(L, &e);
  return 0;
}

/* _spatial.transform(proj, x, y [, inverse]) -> new x, y arrays */
static int l_transform(lua_State *L) {
  cb_proj *p = checkproj(L, 1);
  size_t nx, ny;
  double *x = cbL_tovalues(L, 2, &nx), *y = cbL_tovalues(L, 3, &ny);
  if (nx != ny) return cbL_errorf(L, "transform: %zu x but %zu y", nx, ny);
  int inverse = lua_toboolean(L, 4);
  cbL_array *ox = cbL_newarray(L, nx), *oy = cbL_newarray(L, nx);
  memcpy(ox->v, x, nx * sizeof *x);
  memcpy(oy->v, y, nx * sizeof *y);
  cb_err e;
  if (cb_proj_points(p, ox->v, oy->v, nx, inverse, &e)) return cbL_raise(L, &e);
  return 2;
}

/* _spatial.centroids(polygons) -> x, y, area arrays (planar) */
static int l_centroids(lua_State *L) {
  cb_polyset *ps = cbL_checkpolygons(L, 1);
  cbL_array *x = cbL_newarray(L, ps->n), *y = cbL_newarray(L, ps->n),
            *a = cbL_newarray(L, ps->n);
  cb_err e;
  if (cb_polyset_centroids(ps, x->v, y->v, a->v, &e)) return cbL_raise(L, &e);
  return 3;
}

/* _spatial.geodesic(lon1, lat1, lon2, lat2) -> metres, azimuth degrees */
static int l_geodesic(lua_State *L) {
  double v[4], d, az;
  for (int i = 0; i < 4; i++) v[i] = luaL_checknumber(L, i + 1);
  cb_geodesic(v[0], v[1], v[2], v[3], &d, &az);
  lua_pushnumber(L, d);
  lua_pushnumber(L, az);
  return 2;
}

/* _spatial.distance(metric, x1, y1, x2, y2) */
static int l_distance(lua_State *L) {
  static const char *const names[] = {"planar", "geodesic", NULL};
  int m = luaL_checkoption(L, 1, NULL, names);
  double v[4];
  for (int i = 0; i < 4; i++) v[i] = luaL_checknumber(L, i + 2);
  lua_pushnumber(L, cb_dist(m ? CB_DIST_GEODESIC : CB_DIST_PLANAR, v[0], v[1],
                            v[2], v[3]));
  return 1;
}

/* _spatial.centre(x, y, v, sqrt2) -> {x, y, major, minor, rotation} */
static int l_centre(lua_State *L) {
  size_t nx, ny, nv;
  double *x = cbL_tovalues(L, 1, &nx), *y = cbL_tovalues(L, 2, &ny),
         *v = cbL_tovalues(L, 3, &nv);
  if (nx != ny || nx != nv)
    return cbL_errorf(L, "centre: %zu x, %zu y and %zu weights", nx, ny, nv);
  cb_ellipse el;
  cb_err e;
  if (cb_centre(x, y, v, nx, lua_toboolean(L, 4), &el, &e)) return cbL_raise(L, &e);
  lua_createtable(L, 0, 5);
  const char *k[] = {"x", "y", "major", "minor", "rotation"};
  double val[] = {el.x, el.y, el.major, el.minor, el.rotation};
  for (int i = 0; i < 5; i++) {
    lua_pushnumber(L, val[i]);
    lua_setfield(L, -2, k[i]);
  }
  return 1;
}

/* _spatial.ellipse_ring(x, y, major, minor, rotation, npts) -> x, y arrays
 * (npts + 1 points, closed) */
static int l_ellipse_ring(lua_State *L) {
  cb_ellipse el;
  el.x = luaL_checknumber(L, 1);
  el.y = luaL_checknumber(L, 2);
  el.major = luaL_checknumber(L, 3);
  el.minor = luaL_checknumber(L, 4);
  el.rotation = luaL_checknumber(L, 5);
  lua_Integer np = luaL_optinteger(L, 6, 72);
  luaL_argcheck(L, np >= 8 && np <= 100000, 6, "8..100000 points");
  double *xy = lua_newuserdatauv(L, 2 * ((size_t)np + 1) * sizeof *xy, 0);
  cb_ellipse_ring(&el, (size_t)np, xy);
  cbL_array *x = cbL_newarray(L, (size_t)np + 1), *y = cbL_newarray(L, (size_t)np + 1);
  for (size_t k = 0; k <= (size_t)np; k++) {
    x->v[k] = xy[2 * k];
    y->v[k] = xy[2 * k + 1];
  }
  return 2;
}

static const luaL_Reg funcs[] = {{"albers", l_albers},
                                 {"projection", l_projection},
                                 {"project_polygons", l_project_polygons},
                                 {"transform", l_transform},
                                 {"centroids", l_centroids},
                                 {"geodesic", l_geodesic},
                                 {"distance", l_distance},
                                 {"centre", l_centre},
                                 {"ellipse_ring", l_ellipse_ring},
                                 {NULL, NULL}};

static const luaL_Reg proj_meta[] = {{"__gc", p_gc}, {NULL, NULL}};

void cbL_spatial_geometry(lua_State *L) {
  cbL_newtype(L, CBAL_PROJ, NULL, proj_meta);
  luaL_setfuncs(L, funcs, 0);
}
