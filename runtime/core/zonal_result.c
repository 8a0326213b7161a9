/* Moments of the zonal engine: per-strip sums, their merge into running
 * means and squared deviations, and the result arrays they end in. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "zonal_int.h"

void zacc_reset(zacc *a) {
  *a = (zacc){0};
  a->k = NAN;
  a->mn = INFINITY;
  a->mx = -INFINITY;
}

void ztotal_reset(ztotal *t) { *t = (ztotal){.mn = INFINITY, .mx = -INFINITY}; }

/* Merges a strip's mean and squared deviations (weight aw, shifted sums
 * a1, a2 around k) into running ones; a NaN weight makes the running
 * values NaN. */
static void merge_moments(double *tw, double *tmean, double *tm2, double aw,
                          double k, double a1, double a2) {
  if (aw == 0) return;
  double mp = k + a1 / aw, m2p = a2 - a1 * a1 / aw;
  if (m2p < 0) m2p = 0;
  if (*tw == 0) {
    *tmean = mp, *tm2 = m2p, *tw = aw;
    return;
  }
  double wn = *tw + aw, d = mp - *tmean;
  *tmean += d * aw / wn;
  *tm2 += m2p + d * d * *tw * aw / wn;
  *tw = wn;
}

void ztotal_merge(ztotal *t, const zacc *a) {
  t->s += a->s;
  t->ws += a->ws;
  t->valid += a->valid;
  t->miss += a->miss;
  t->mn = a->mn < t->mn ? a->mn : t->mn;
  t->mx = a->mx > t->mx ? a->mx : t->mx;
  merge_moments(&t->cnt, &t->mean, &t->m2, a->cnt, a->k, a->a1, a->a2);
  merge_moments(&t->wc, &t->wmean, &t->wm2, a->wc, a->k, a->wa1, a->wa2);
}

/* The result's arrays of one value per zone, in one list for allocating
 * and freeing (those a pass does not compute stay NULL). */
#define RESULT_ARRAYS(r)                                                     \
  &(r)->count, &(r)->sum, &(r)->mean, &(r)->variance, &(r)->stdev,          \
      &(r)->cv, &(r)->min, &(r)->max, &(r)->wcount, &(r)->wsum,            \
      &(r)->wmean, &(r)->wvariance, &(r)->wstdev, &(r)->cells, &(r)->valid, \
      &(r)->missing, &(r)->mode, &(r)->minority, &(r)->variety
#define NMOMENTS 16 /* the first arrays: always there */

int zresult_alloc(cb_zonal_result *res, size_t n, const zvneed *need) {
  memset(res, 0, sizeof *res);
  res->n = n;
  size_t m = n ? n : 1;
  double **f[] = {RESULT_ARRAYS(res)};
  size_t nf = need && need->sort ? sizeof f / sizeof *f : NMOMENTS;
  for (size_t i = 0; i < nf; i++)
    if (!(*f[i] = calloc(m, sizeof(double)))) return -1;
  if (!need) return 0;
  if (need->nq) {
    if (!(res->quantile = calloc(need->nq, sizeof *res->quantile))) return -1;
    res->nq = need->nq;
    for (size_t k = 0; k < need->nq; k++)
      if (!(res->quantile[k] = calloc(m, sizeof(double)))) return -1;
  }
  if (need->hist && !(res->hist = calloc(m, sizeof *res->hist))) return -1;
  return 0;
}

void cb_zonal_free(cb_zonal_result *res) {
  if (!res) return;
  double **f[] = {RESULT_ARRAYS(res)};
  for (size_t i = 0; i < sizeof f / sizeof *f; i++) free(*f[i]);
  for (size_t k = 0; res->quantile && k < res->nq; k++) free(res->quantile[k]);
  free(res->quantile);
  for (size_t z = 0; res->hist && z < res->n; z++) {
    free(res->hist[z].v);
    free(res->hist[z].c);
    free(res->hist[z].cw);
  }
  free(res->hist);
  memset(res, 0, sizeof *res);
}

double zonal_cover_factor(const cb_zonal_opts *o, const cb_grid *g, int y) {
  switch (o->cover_weight) {
  case CB_COVW_AREA_CARTESIAN:
    return fabs(g->gt[1] * g->gt[5]);
  case CB_COVW_AREA_SPHERICAL_M2:
  case CB_COVW_AREA_SPHERICAL_KM2: {
    /* exactextract's sphere (radius 6378137 m) over the row's latitudes */
    const double r2 = 6378137.0 * 6378137.0, d2r = M_PI / 180;
    double y0 = g->gt[3] + y * g->gt[5], y1 = y0 + g->gt[5];
    double a = r2 * d2r * fabs(sin(y0 * d2r) - sin(y1 * d2r)) * fabs(g->gt[1]);
    return o->cover_weight == CB_COVW_AREA_SPHERICAL_KM2 ? a * 1e-6 : a;
  }
  default:
    return 1.0;
  }
}

static double ratio(double a, double b) { return b != 0 ? a / b : NAN; }

void zresult_fill(cb_zonal_result *res, const cb_coverage *c,
                  const ztotal *tot, int weighted, int spread) {
  for (size_t z = 0; z < c->nzones; z++) {
    const ztotal *t = &tot[z];
    res->count[z] = t->cnt;
    res->sum[z] = t->s;
    res->mean[z] = ratio(t->s, t->cnt);
    res->variance[z] = spread ? ratio(t->m2, t->cnt) : NAN;
    res->stdev[z] = sqrt(res->variance[z]);
    res->cv[z] = res->stdev[z] / res->mean[z];
    res->min[z] = t->cnt > 0 ? t->mn : NAN;
    res->max[z] = t->cnt > 0 ? t->mx : NAN;
    res->wcount[z] = weighted ? t->wc : NAN;
    res->wsum[z] = weighted ? t->ws : NAN;
    res->wmean[z] = weighted ? ratio(t->ws, t->wc) : NAN;
    res->wvariance[z] = weighted && spread ? ratio(t->wm2, t->wc) : NAN;
    res->wstdev[z] = sqrt(res->wvariance[z]);
    res->valid[z] = t->valid;
    res->cells[z] = c->zone_cells[z];
    res->missing[z] = t->miss + c->zone_area_outside[z];
    res->total_valid += t->valid;
    res->total_cells += c->zone_cells[z];
  }
}

void cb_zonal_cover_area(const cb_coverage *c, const double *row_areas,
                         double min_coverage, double *out) {
  float minc = (float)min_coverage;
  memset(out, 0, c->nzones * sizeof *out);
  for (size_t u = 0; u < c->nrows; u++)
    for (size_t i = c->row_off[u]; i < c->row_off[u + 1]; i++) {
      const cb_span *sp = &c->spans[i];
      if (sp->w >= minc) out[sp->zone] += (double)sp->w * (sp->x1 - sp->x0) * row_areas[u];
    }
}
