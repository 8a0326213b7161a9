/* Distance-based weights on points: k nearest neighbours and distance
 * bands, planar (Euclidean) or geodesic on WGS84 (PROJ's geodesic
 * routines, Karney 2013); geodesic candidates are picked by chord length,
 * which never exceeds the geodesic distance. */
#include <geodesic.h>
#include <math.h>
#include <stdlib.h>

#include "spatial.h"

#define WGS84_A 6378137.0
#define WGS84_F (1 / 298.257223563)

double cb_dist(cb_dist_metric m, double x1, double y1, double x2, double y2) {
  if (m == CB_DIST_PLANAR) return hypot(x2 - x1, y2 - y1);
  struct geod_geodesic g;
  geod_init(&g, WGS84_A, WGS84_F);
  double s12 = 0;
  geod_inverse(&g, y1, x1, y2, x2, &s12, NULL, NULL);
  return s12;
}

/* Earth-centred coordinates (metres) of lon/lat degrees on WGS84. */
static void ecef(double lon, double lat, double out[3]) {
  double e2 = WGS84_F * (2 - WGS84_F), p = lat * M_PI / 180, l = lon * M_PI / 180;
  double nu = WGS84_A / sqrt(1 - e2 * sin(p) * sin(p));
  out[0] = nu * cos(p) * cos(l);
  out[1] = nu * cos(p) * sin(l);
  out[2] = nu * (1 - e2) * sin(p);
}

typedef struct {
  double d;
  int32_t j;
} cand;

static int cand_less(const cand *a, const cand *b) {
  return a->d < b->d || (a->d == b->d && a->j < b->j);
}

/* Keeps the k best candidates in a max-heap h of size *m (<= k). */
static void heap_push(cand *h, size_t *m, size_t k, cand c) {
  if (*m == k) {
    if (!cand_less(&c, &h[0])) return;
    size_t i = 0;
    h[0] = c;
    for (;;) { /* sift down */
      size_t l = 2 * i + 1, r = l + 1, big = i;
      if (l < k && cand_less(&h[big], &h[l])) big = l;
      if (r < k && cand_less(&h[big], &h[r])) big = r;
      if (big == i) break;
      cand t = h[i];
      h[i] = h[big];
      h[big] = t;
      i = big;
    }
    return;
  }
  size_t i = (*m)++;
  h[i] = c;
  while (i > 0 && cand_less(&h[(i - 1) / 2], &h[i])) {
    cand t = h[i];
    h[i] = h[(i - 1) / 2];
    h[(i - 1) / 2] = t;
    i = (i - 1) / 2;
  }
}

typedef struct {
  const double *x, *y;
  double *xyz; /* geodesic: 3 per point */
  size_t n;
  cb_dist_metric m;
  struct geod_geodesic g;
} points;

static double chord(const points *p, size_t i, size_t j) {
  const double *a = p->xyz + 3 * i, *b = p->xyz + 3 * j;
  return sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) +
              (a[2] - b[2]) * (a[2] - b[2]));
}

static double geod(const points *p, size_t i, size_t j) {
  double s12 = 0;
  geod_inverse(&p->g, p->y[i], p->x[i], p->y[j], p->x[j], &s12, NULL, NULL);
  return s12;
}

/* The k nearest of point i into h (a max-heap of k). */
static void nearest(const points *p, size_t i, size_t k, cand *h) {
  size_t m = 0;
  for (size_t j = 0; j < p->n; j++) {
    if (j == i) continue;
    double d = p->m == CB_DIST_PLANAR ? hypot(p->x[j] - p->x[i], p->y[j] - p->y[i])
                                      : chord(p, i, j);
    heap_push(h, &m, k, (cand){d, (int32_t)j});
  }
  if (p->m == CB_DIST_PLANAR) return;
  /* the k-th geodesic distance is at most the largest geodesic distance of
   * the k nearest by chord; every point within it has a chord within it */
  double reach = 0;
  for (size_t t = 0; t < k; t++) reach = fmax(reach, geod(p, i, (size_t)h[t].j));
  m = 0;
  for (size_t j = 0; j < p->n; j++)
    if (j != i && chord(p, i, j) <= reach)
      heap_push(h, &m, k, (cand){geod(p, i, j), (int32_t)j});
}

static int init_points(points *p, const double *x, const double *y, size_t n,
                       cb_dist_metric m) {
  *p = (points){.x = x, .y = y, .n = n, .m = m};
  if (m == CB_DIST_PLANAR) return 0;
  geod_init(&p->g, WGS84_A, WGS84_F);
  p->xyz = malloc((n ? n : 1) * 3 * sizeof *p->xyz);
  if (!p->xyz) return -1;
  for (size_t i = 0; i < n; i++) ecef(x[i], y[i], p->xyz + 3 * i);
  return 0;
}

static int check_points(const double *x, const double *y, size_t n, cb_err *e) {
  for (size_t i = 0; i < n; i++)
    if (!isfinite(x[i]) || !isfinite(y[i]))
      return cb_err_set(e, "point %zu has no finite coordinates (an empty "
                        "geometry?)", i + 1);
  return 0;
}

cb_weights *cb_weights_knn(const double *x, const double *y, size_t n,
                           size_t k, cb_dist_metric m, cb_err *e) {
  if (k < 1 || k >= n) {
    cb_err_set(e, "k = %zu nearest neighbours needs 1 <= k < the number of "
               "units (%zu)", k, n);
    return NULL;
  }
  if (check_points(x, y, n, e)) return NULL;
  points p = {0};
  cand *h = malloc(k * sizeof *h);
  cb_weights *w = NULL;
  if (!h || init_points(&p, x, y, n, m) || !(w = cb_weights_new(n, n * k, e))) {
    cb_err_set(e, "out of memory for %zu nearest neighbours", k);
    free(h);
    free(p.xyz);
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    nearest(&p, i, k, h);
    for (size_t t = 0; t < k; t++) {
      w->nb[i * k + t] = h[t].j;
      w->w[i * k + t] = 1.0;
    }
    w->off[i + 1] = (i + 1) * k;
  }
  free(h);
  free(p.xyz);
  /* rows in index order */
  for (size_t i = 0; i < n; i++)
    for (size_t a = i * k + 1; a < (i + 1) * k; a++)
      for (size_t b = a; b > i * k && w->nb[b - 1] > w->nb[b]; b--) {
        int32_t t = w->nb[b];
        w->nb[b] = w->nb[b - 1];
        w->nb[b - 1] = t;
      }
  return w;
}

typedef struct {
  int32_t *i, *j;
  size_t n, cap;
} tripl;

static int tripl_push(tripl *t, size_t i, size_t j) {
  if (t->n == t->cap) {
    size_t cap = t->cap ? 2 * t->cap : 1024;
    int32_t *a = realloc(t->i, cap * sizeof *a);
    if (!a) return -1;
    t->i = a;
    int32_t *b = realloc(t->j, cap * sizeof *b);
    if (!b) return -1;
    t->j = b;
    t->cap = cap;
  }
  t->i[t->n] = (int32_t)i;
  t->j[t->n++] = (int32_t)j;
  return 0;
}

cb_weights *cb_weights_band(const double *x, const double *y, size_t n,
                            double band, cb_dist_metric m, cb_err *e) {
  if (!(band > 0) || !isfinite(band)) {
    cb_err_set(e, "the distance band must be a positive number of metres, "
               "got %g", band);
    return NULL;
  }
  if (check_points(x, y, n, e)) return NULL;
  points p = {0};
  tripl t = {0};
  int oom = init_points(&p, x, y, n, m);
  for (size_t i = 0; !oom && i < n; i++)
    for (size_t j = 0; !oom && j < n; j++) {
      if (j == i) continue;
      int in = m == CB_DIST_PLANAR
                   ? hypot(x[j] - x[i], y[j] - y[i]) <= band
                   : chord(&p, i, j) <= band && geod(&p, i, j) <= band;
      if (in) oom = tripl_push(&t, i, j);
    }
  cb_weights *w = NULL;
  if (oom)
    cb_err_set(e, "out of memory for the neighbours within %g m", band);
  else
    w = cb_weights_from_triplets(n, t.n, t.i, t.j, NULL, e);
  free(t.i);
  free(t.j);
  free(p.xyz);
  return w;
}
