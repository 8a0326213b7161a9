/* One polygon of the coverage sweep: its edges in pixel space, an
 * active-edge list advanced row by row, and one row of scratch; emits the
 * spans of each row in exact, touched or center mode. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "coverage_int.h"

static double px(const cov_xform *t, double x) { return t->ax + x * t->bx; }
static double py(const cov_xform *t, double y) { return t->ay + y * t->by; }

int cov_poly_bbox(const cb_polygon *p, const cov_xform *t, size_t feature,
                  double bb[4], cb_err *e) {
  int any = 0;
  bb[0] = bb[1] = INFINITY;
  bb[2] = bb[3] = -INFINITY;
  for (size_t j = 0; j < p->nrings; j++) {
    const cb_ring *rg = &p->rings[j];
    for (size_t i = 0; i < rg->n; i++) {
      double x = px(t, rg->xy[2 * i]), y = py(t, rg->xy[2 * i + 1]);
      if (!isfinite(x) || !isfinite(y))
        return cb_err_set(e, "feature %zu has a non-finite coordinate (ring "
                          "%zu, point %zu): repair or drop that feature",
                          feature, j + 1, i + 1);
      if (x < bb[0]) bb[0] = x;
      if (x > bb[2]) bb[2] = x;
      if (y < bb[1]) bb[1] = y;
      if (y > bb[3]) bb[3] = y;
      any = 1;
    }
  }
  return any;
}

static double clampd(double v, double lo, double hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

/* Cross product of the clamped images of P + ta*D and P + tb*D. */
static double clamped_cross(const double p[2], const double d[2], double ta,
                            double tb, double W, double H) {
  double ax = clampd(p[0] + ta * d[0], 0, W), ay = clampd(p[1] + ta * d[1], 0, H);
  double bx = clampd(p[0] + tb * d[0], 0, W), by = clampd(p[1] + tb * d[1], 0, H);
  return ax * by - bx * ay;
}

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Signed area of the ring projected onto the box [0,W]x[0,H] (each point
 * clamped, each edge split where it crosses a box line): the winding
 * number is unchanged inside the box and zero outside, so this is the
 * signed area of the ring's part inside the box. */
static double ring_area_in_box(const cb_ring *rg, const cov_xform *t,
                               double W, double H, double *whole) {
  double in = 0.0, all = 0.0;
  for (size_t i = 0; i < rg->n; i++) {
    size_t k = (i + 1) % rg->n;
    double p[2] = {px(t, rg->xy[2 * i]), py(t, rg->xy[2 * i + 1])};
    double q[2] = {px(t, rg->xy[2 * k]), py(t, rg->xy[2 * k + 1])};
    double d[2] = {q[0] - p[0], q[1] - p[1]};
    all += p[0] * q[1] - q[0] * p[1];
    double ts[6] = {0.0};
    int nt = 1;
    double lines[4] = {0.0, W, 0.0, H};
    for (int a = 0; a < 4; a++) {
      double dd = d[a / 2], pp = p[a / 2];
      if (dd == 0.0) continue;
      double tt = (lines[a] - pp) / dd;
      if (tt > 0.0 && tt < 1.0) ts[nt++] = tt;
    }
    qsort(ts + 1, (size_t)(nt - 1), sizeof(double), cmp_d);
    ts[nt++] = 1.0;
    for (int a = 0; a + 1 < nt; a++) in += clamped_cross(p, d, ts[a], ts[a + 1], W, H);
  }
  *whole = all / 2.0;
  return in / 2.0;
}

void cov_poly_areas(const cb_polygon *p, const cov_xform *t, int ncols,
                    int nrows, double *total, double *inside) {
  *total = *inside = 0.0;
  for (size_t j = 0; j < p->nrings; j++) {
    double whole, in = ring_area_in_box(&p->rings[j], t, ncols, nrows, &whole);
    double s = (whole < 0 ? -1.0 : 1.0) * (p->rings[j].hole ? -1.0 : 1.0);
    *total += s * whole;
    *inside += s * in;
  }
}

/* Rows [ra, rb] an edge spanning y in [lo, hi] can touch, clipped to
 * [0, nrows - 1]; returns 0 when none. */
static int edge_rows(double lo, double hi, cb_cover_mode m, int nrows, int *ra,
                     int *rb) {
  double a, b;
  if (m == CB_COVER_CENTER) {
    a = floor(lo - 0.5);
    b = ceil(hi - 0.5);
  } else {
    if (hi <= lo) return 0; /* horizontal: no area */
    a = floor(lo);
    b = ceil(hi) - 1.0;
  }
  if (b < 0.0 || a > nrows - 1.0) return 0;
  *ra = a < 0.0 ? 0 : (int)a;
  *rb = b > nrows - 1.0 ? nrows - 1 : (int)b;
  return *ra <= *rb;
}

static void ring_edges(cov_poly *p, const cb_ring *rg, int part,
                       const cov_xform *t, const cb_grid *g, cb_cover_mode m) {
  double a2 = 0.0;
  for (size_t i = 0; i < rg->n; i++) {
    size_t k = (i + 1) % rg->n;
    a2 += px(t, rg->xy[2 * i]) * py(t, rg->xy[2 * k + 1]) -
          px(t, rg->xy[2 * k]) * py(t, rg->xy[2 * i + 1]);
  }
  /* The row prefix sum yields -(shoelace area) per ring, so a ring with a
   * positive shoelace area needs f = -1 to add; holes take the opposite. */
  double f = (a2 > 0.0 ? -1.0 : 1.0) * (rg->hole ? -1.0 : 1.0);
  for (size_t i = 0; i < rg->n; i++) {
    size_t k = (i + 1) % rg->n;
    cov_edge ed = {px(t, rg->xy[2 * i]), py(t, rg->xy[2 * i + 1]),
                   px(t, rg->xy[2 * k]), py(t, rg->xy[2 * k + 1]), f, 0, 0, part, 0};
    ed.rev = a2 < 0.0;
    double lo = ed.y0 < ed.y1 ? ed.y0 : ed.y1, hi = ed.y0 < ed.y1 ? ed.y1 : ed.y0;
    if (!edge_rows(lo, hi, m, g->nrows, &ed.ra, &ed.rb)) continue;
    p->edges[p->nedges++] = ed;
  }
}

/* Orders edges by first row with a counting sort (stable: ring order is
 * kept within a row, so sums do not depend on anything but the input). */
static int sort_edges(cov_poly *p) {
  size_t nr = (size_t)(p->r1 - p->r0) + 2;
  size_t *at = calloc(nr, sizeof *at);
  cov_edge *out = malloc(p->nedges * sizeof *out);
  if (!at || !out) {
    free(at);
    free(out);
    return -1;
  }
  for (size_t i = 0; i < p->nedges; i++) at[p->edges[i].ra - p->r0 + 1]++;
  for (size_t r = 1; r < nr; r++) at[r] += at[r - 1];
  for (size_t i = 0; i < p->nedges; i++) out[at[p->edges[i].ra - p->r0]++] = p->edges[i];
  free(at);
  free(p->edges);
  p->edges = out;
  return 0;
}

int cov_poly_init(cov_poly *p, const cb_polygon *poly, uint32_t zone,
                  const cov_xform *t, const cb_grid *g, cb_cover_mode m) {
  memset(p, 0, sizeof *p);
  p->zone = zone;
  p->r0 = 1;
  p->r1 = 0;
  size_t n = 0;
  double xmin = INFINITY, xmax = -INFINITY;
  for (size_t j = 0; j < poly->nrings; j++) {
    n += poly->rings[j].n;
    for (size_t i = 0; i < poly->rings[j].n; i++) {
      double x = px(t, poly->rings[j].xy[2 * i]);
      if (x < xmin) xmin = x;
      if (x > xmax) xmax = x;
    }
  }
  if (n == 0) return 0;
  double c0 = clampd(floor(xmin), 0, g->ncols), c1 = clampd(floor(xmax) + 1.0, 0, g->ncols);
  if (c1 <= c0) return 0;
  p->c0 = (int)c0;
  p->w = (int)c1 - p->c0;
  p->edges = malloc(n * sizeof *p->edges);
  if (!p->edges) return -1;
  int part = 0;
  for (size_t j = 0; j < poly->nrings; j++) {
    if (j > 0 && !poly->rings[j].hole) part++;
    ring_edges(p, &poly->rings[j], part, t, g, m);
  }
  if (p->nedges == 0) return 0;
  p->r0 = INT32_MAX;
  p->r1 = 0;
  for (size_t i = 0; i < p->nedges; i++) {
    if (p->edges[i].ra < p->r0) p->r0 = p->edges[i].ra;
    if (p->edges[i].rb > p->r1) p->r1 = p->edges[i].rb;
  }
  p->active = malloc(p->nedges * sizeof *p->active);
  if (!p->active || sort_edges(p)) return -1;
  if (m == CB_COVER_CENTER) {
    p->ints = malloc(p->nedges * sizeof *p->ints);
    p->ivals = malloc(2 * p->nedges * sizeof *p->ivals);
    if (!p->ints || !p->ivals) return -1;
  } else {
    p->row = calloc((size_t)p->w + 2, sizeof *p->row);
    if (!p->row) return -1;
  }
  return 0;
}

static double x_at(const cov_edge *e, double y) {
  if (y == e->y0) return e->x0;
  if (y == e->y1) return e->x1;
  return e->x0 + (y - e->y0) * (e->x1 - e->x0) / (e->y1 - e->y0);
}

static void activate(cov_poly *p, int r) {
  while (p->next < p->nedges && p->edges[p->next].ra <= r)
    p->active[p->nactive++] = p->next++;
}

static void retire(cov_poly *p, int r) {
  size_t k = 0;
  for (size_t i = 0; i < p->nactive; i++)
    if (p->edges[p->active[i]].rb > r) p->active[k++] = p->active[i];
  p->nactive = k;
}

/* Exact and touched: accumulate the row, prefix-sum, emit runs of full
 * cells as one span and partial cells one by one. */
static int area_row(cov_poly *p, int r, cb_cover_mode m, cov_out *o) {
  double *row = p->row;
  for (size_t i = 0; i < p->nactive; i++) {
    const cov_edge *e = &p->edges[p->active[i]];
    double lo = e->y0 < e->y1 ? e->y0 : e->y1, hi = e->y0 < e->y1 ? e->y1 : e->y0;
    double ylo = lo > r ? lo : r, yhi = hi < r + 1.0 ? hi : r + 1.0;
    if (yhi <= ylo) continue;
    double d = (e->y1 > e->y0 ? 1.0 : -1.0) * (yhi - ylo) * e->f;
    cov_deposit(row, p->w, x_at(e, ylo) - p->c0, x_at(e, yhi) - p->c0, d);
  }
  /* One pass: prefix-sum, clear the scratch, classify only where the sum
   * changes (empty stretches and full runs cost one test per cell). */
  double s = 0.0, v = 0.0;
  int run = -1, cls = 0; /* 0 empty, 1 full, 2 partial */
  for (int j = 0; j < p->w; j++) {
    double a = row[j];
    if (a != 0.0) {
      row[j] = 0.0;
      s += a;
      v = s > 1.0 ? 1.0 : s;
      if (m == CB_COVER_TOUCHED) cls = v > CB_COVER_EPS;
      else cls = (float)v >= 1.0f ? 1 : v > CB_COVER_EPS ? 2 : 0;
    }
    if (cls == 1) {
      if (run < 0) run = j;
      p->cells += m == CB_COVER_TOUCHED ? 1.0 : v;
      continue;
    }
    if (run >= 0 && cov_emit(o, p->c0 + run, p->c0 + j, p->zone, 1.0f)) return -1;
    run = -1;
    if (cls == 2) {
      if (cov_emit(o, p->c0 + j, p->c0 + j + 1, p->zone, (float)v)) return -1;
      p->cells += v;
    }
  }
  if (run >= 0 && cov_emit(o, p->c0 + run, p->c0 + p->w, p->zone, 1.0f)) return -1;
  row[p->w] = row[p->w + 1] = 0.0;
  return 0;
}

static int cmp_ival(const void *a, const void *b) {
  const int32_t *x = a, *y = b;
  if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
  return (x[1] > y[1]) - (x[1] < y[1]);
}

/* Center: union of the row's intervals (sorted, merged), weight 1. */
static int center_row(cov_poly *p, int r, int ncols, cov_out *o) {
  size_t k = cov_center_intervals(p, r, ncols, p->ints, p->ivals);
  if (k == 0) return 0;
  qsort(p->ivals, k, 2 * sizeof *p->ivals, cmp_ival);
  int32_t a = p->ivals[0], b = p->ivals[1];
  for (size_t i = 1; i <= k; i++) {
    if (i < k && p->ivals[2 * i] <= b) {
      if (p->ivals[2 * i + 1] > b) b = p->ivals[2 * i + 1];
      continue;
    }
    if (cov_emit(o, a, b, p->zone, 1.0f)) return -1;
    p->cells += b - a;
    if (i < k) {
      a = p->ivals[2 * i];
      b = p->ivals[2 * i + 1];
    }
  }
  return 0;
}

int cov_poly_row(cov_poly *p, int r, const cb_grid *g, cb_cover_mode m,
                 cov_out *o) {
  activate(p, r);
  int rc = m == CB_COVER_CENTER ? center_row(p, r, g->ncols, o) : area_row(p, r, m, o);
  retire(p, r);
  return rc;
}

void cov_poly_free(cov_poly *p) {
  free(p->edges);
  free(p->active);
  free(p->row);
  free(p->ints);
  free(p->ivals);
  memset(p, 0, sizeof *p);
}
