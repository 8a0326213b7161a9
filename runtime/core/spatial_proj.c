/* lon/lat <-> the planar analysis CRS through PROJ, and geodesics. A PROJ
 * object serves one thread, so polygon sets are projected by threads that
 * each build their own from the CRS string. */
#include <geodesic.h>
#include <math.h>
#include <proj.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spatial_proj.h"

struct cb_proj {
  PJ_CONTEXT *ctx;
  PJ *pj;
  char *crs;
};

const char *cb_proj_albers_for(const double bb[4], char *buf, size_t len) {
  double lat0 = bb[1], lat1 = bb[3], span = lat1 - lat0;
  snprintf(buf, len,
           "+proj=aea +lat_0=%.6f +lon_0=%.6f +lat_1=%.6f +lat_2=%.6f "
           "+x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs +type=crs",
           (lat0 + lat1) / 2, (bb[0] + bb[2]) / 2, lat0 + span / 6,
           lat1 - span / 6);
  return buf;
}

static int proj_fail(PJ_CONTEXT *ctx, cb_err *e, const char *what,
                     const char *crs) {
  int err = proj_context_errno(ctx);
  return cb_err_set(e, "%s '%s'%s%s", what, crs, err ? ": " : "",
                    err ? proj_context_errno_string(ctx, err) : "");
}

/* Checks that crs is a projected CRS whose first axis is in metres. */
static int check_metres(PJ_CONTEXT *ctx, const char *crs, cb_err *e) {
  PJ *c = proj_create(ctx, crs);
  if (!c) return proj_fail(ctx, e, "cannot read the CRS", crs);
  PJ_TYPE t = proj_get_type(c);
  int ok = t == PJ_TYPE_PROJECTED_CRS;
  double f = 0;
  if (ok) {
    PJ *cs = proj_crs_get_coordinate_system(ctx, c);
    ok = cs && proj_cs_get_axis_info(ctx, cs, 0, NULL, NULL, NULL, &f, NULL,
                                     NULL, NULL) && f == 1.0;
    proj_destroy(cs);
  }
  proj_destroy(c);
  if (!ok)
    return cb_err_set(e, "the CRS '%s' is not a projected CRS in metres "
                      "(distances, snap and areas are measured in it; give "
                      "an equal-area CRS such as an Albers projection)", crs);
  return 0;
}

static PJ *make_pj(PJ_CONTEXT *ctx, const char *crs) {
  PJ *raw = proj_create_crs_to_crs(ctx, "EPSG:4326", crs, NULL);
  if (!raw) return NULL;
  PJ *pj = proj_normalize_for_visualization(ctx, raw); /* lon, lat order */
  proj_destroy(raw);
  return pj;
}

cb_proj *cb_proj_new(const char *crs, cb_err *e) {
  cb_proj *p = calloc(1, sizeof *p);
  if (!p || !(p->crs = strdup(crs)) || !(p->ctx = proj_context_create())) {
    cb_proj_free(p);
    cb_err_set(e, "out of memory");
    return NULL;
  }
  if (check_metres(p->ctx, crs, e)) {
    cb_proj_free(p);
    return NULL;
  }
  p->pj = make_pj(p->ctx, crs);
  if (!p->pj) {
    proj_fail(p->ctx, e, "no transformation from EPSG:4326 to", crs);
    cb_proj_free(p);
    return NULL;
  }
  return p;
}

void cb_proj_free(cb_proj *p) {
  if (!p) return;
  if (p->pj) proj_destroy(p->pj);
  if (p->ctx) proj_context_destroy(p->ctx);
  free(p->crs);
  free(p);
}

/* n points with x and y every `step` doubles; the 1-based index of the
 * first point that did not transform, 0 when all did. */
static size_t trans(PJ *pj, double *x, double *y, size_t step, size_t n,
                    int inverse) {
  proj_trans_generic(pj, inverse ? PJ_INV : PJ_FWD, x, step * sizeof *x, n,
                     y, step * sizeof *y, n, NULL, 0, 0, NULL, 0, 0);
  for (size_t i = 0; i < n; i++)
    if (!isfinite(x[i * step]) || !isfinite(y[i * step])) return i + 1;
  return 0;
}

int cb_proj_points(cb_proj *p, double *x, double *y, size_t n, int inverse,
                   cb_err *e) {
  size_t bad = trans(p->pj, x, y, 1, n, inverse);
  if (bad)
    return cb_err_set(e, "point %zu cannot be transformed %s '%s'", bad,
                      inverse ? "back to lon/lat from" : "from lon/lat to",
                      p->crs);
  return 0;
}

typedef struct {
  const char *crs;
  cb_polyset *ps;
  size_t from, to;
  size_t bad; /* 1-based feature that failed, 0 when none */
} job;

static void *run_job(void *arg) {
  job *j = arg;
  PJ_CONTEXT *ctx = proj_context_create();
  PJ *pj = ctx ? make_pj(ctx, j->crs) : NULL;
  for (size_t i = j->from; i < j->to && !j->bad; i++) {
    cb_polygon *g = &j->ps->polys[i];
    for (size_t r = 0; r < g->nrings; r++) {
      cb_ring *ring = &g->rings[r];
      if (!pj || trans(pj, ring->xy, ring->xy + 1, 2, ring->n, 0)) {
        j->bad = i + 1;
        break;
      }
    }
  }
  if (pj) proj_destroy(pj);
  if (ctx) proj_context_destroy(ctx);
  return NULL;
}

int cb_proj_polyset(cb_proj *p, cb_polyset *ps, int threads, cb_err *e) {
  if (threads < 1) threads = 1;
  if (threads > 16) threads = 16;
  job jobs[16];
  pthread_t th[16];
  int started = 0;
  for (int t = 0; t < threads; t++) {
    jobs[t] = (job){p->crs, ps, ps->n * t / threads, ps->n * (t + 1) / threads, 0};
    if (t > 0 && pthread_create(&th[t], NULL, run_job, &jobs[t]) == 0)
      started |= 1 << t;
    else if (t > 0)
      run_job(&jobs[t]);
  }
  run_job(&jobs[0]);
  for (int t = 1; t < threads; t++)
    if (started & (1 << t)) pthread_join(th[t], NULL);
  for (int t = 0; t < threads; t++)
    if (jobs[t].bad)
      return cb_err_set(e, "feature %zu cannot be transformed from lon/lat "
                        "to '%s'", jobs[t].bad, p->crs);
  cb_polyset_bbox(ps);
  free(ps->srs_wkt);
  ps->srs_wkt = strdup(p->crs);
  return 0;
}

void cb_geodesic(double lon1, double lat1, double lon2, double lat2,
                 double *dist, double *azimuth) {
  struct geod_geodesic g;
  geod_init(&g, 6378137.0, 1 / 298.257223563);
  double s12 = 0, a1 = 0;
  geod_inverse(&g, lat1, lon1, lat2, lon2, &s12, &a1, NULL);
  if (dist) *dist = s12;
  if (azimuth) *azimuth = fmod(a1 + 360.0, 360.0);
}
