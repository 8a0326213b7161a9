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

/* floor and ceil of x, for |x| well below 2^62 (callers clamp first). */
static double floor_s(double x) {
  double t = (double)(int64_t)x;
  return t > x ? t - 1.0 : t;
}

static double ceil_s(double x) {
  double t = (double)(int64_t)x;
  return t < x ? t + 1.0 : t;
}

/* Rows [ra, rb] an edge spanning y in [lo, hi] can touch, clipped to
 * [0, nrows - 1]; returns 0 when none. */
static int edge_rows(double lo, double hi, cb_cover_mode m, int nrows, int *ra,
                     int *rb) {
  double a, b;
  if (m != CB_COVER_CENTER && hi <= lo) return 0; /* horizontal: no area */
  lo = clampd(lo, -2.0, nrows + 2.0); /* rows outside clip the same way */
  hi = clampd(hi, -2.0, nrows + 2.0);
  if (m == CB_COVER_CENTER) {
    a = floor_s(lo - 0.5);
    b = ceil_s(hi - 0.5);
  } else {
    a = floor_s(lo);
    b = ceil_s(hi) - 1.0;
  }
  if (b < 0.0 || a > nrows - 1.0) return 0;
  *ra = a < 0.0 ? 0 : (int)a;
  *rb = b > nrows - 1.0 ? nrows - 1 : (int)b;
  return *ra <= *rb;
}

/* Appends the edges of one ring (each point transformed once) that touch
 * a row; tracks the columns the ring spans in xr[0..1]. */
static void ring_edges(cov_poly *p, const cb_ring *rg, int part,
                       const cov_xform *t, const cb_grid *g, cb_cover_mode m,
                       double xr[2]) {
  if (rg->n == 0) return;
  size_t first = p->nedges;
  double a2 = 0.0;
  double xs = px(t, rg->xy[0]), ys = py(t, rg->xy[1]), x0 = xs, y0 = ys;
  for (size_t i = 0; i < rg->n; i++) {
    double x1 = i + 1 < rg->n ? px(t, rg->xy[2 * i + 2]) : xs;
    double y1 = i + 1 < rg->n ? py(t, rg->xy[2 * i + 3]) : ys;
    a2 += x0 * y1 - x1 * y0;
    if (x0 < xr[0]) xr[0] = x0;
    if (x0 > xr[1]) xr[1] = x0;
    cov_edge ed = {x0, y0, x1, y1, 0.0, 0, 0, part, 0};
    double lo = y0 < y1 ? y0 : y1, hi = y0 < y1 ? y1 : y0;
    if (edge_rows(lo, hi, m, g->nrows, &ed.ra, &ed.rb)) {
      p->edges[p->nedges++] = ed;
      if (ed.ra < p->r0) p->r0 = ed.ra;
      if (ed.rb > p->r1) p->r1 = ed.rb;
    }
    x0 = x1;
    y0 = y1;
  }
  /* The row prefix sum yields -(shoelace area) per ring, so a ring with a
   * positive shoelace area needs f = -1 to add; holes take the opposite. */
  double f = (a2 > 0.0 ? -1.0 : 1.0) * (rg->hole ? -1.0 : 1.0);
  for (size_t i = first; i < p->nedges; i++) {
    p->edges[i].f = f;
    p->edges[i].rev = a2 < 0.0;
  }
}

/* Orders edge indices by first row with a counting sort (stable: ring
 * order is kept within a row, so sums depend on nothing but the input). */
static int sort_edges(cov_poly *p) {
  size_t nr = (size_t)(p->r1 - p->r0) + 2;
  size_t *at = calloc(nr, sizeof *at);
  p->byrow = malloc(p->nedges * sizeof *p->byrow);
  if (!at || !p->byrow) {
    free(at);
    return -1;
  }
  for (size_t i = 0; i < p->nedges; i++) at[p->edges[i].ra - p->r0 + 1]++;
  for (size_t r = 1; r < nr; r++) at[r] += at[r - 1];
  for (size_t i = 0; i < p->nedges; i++) p->byrow[at[p->edges[i].ra - p->r0]++] = (uint32_t)i;
  free(at);
  return 0;
}

/* Scratch of the row sweep: center crossings, or a row of coverage and a
 * bitset of the cells that received deposits. */
static int alloc_scratch(cov_poly *p, cb_cover_mode m) {
  p->active = malloc(p->nedges * sizeof *p->active);
  if (!p->active || sort_edges(p)) return -1;
  if (m == CB_COVER_CENTER) {
    p->ints = malloc(p->nedges * sizeof *p->ints);
    p->ivals = malloc(2 * p->nedges * sizeof *p->ivals);
    return p->ints && p->ivals ? 0 : -1;
  }
  p->row = calloc((size_t)p->w + 2, sizeof *p->row);
  p->bits = calloc((size_t)p->w / 64 + 2, sizeof *p->bits);
  return p->row && p->bits ? 0 : -1;
}

int cov_poly_init(cov_poly *p, const cb_polygon *poly, uint32_t zone,
                  const cov_xform *t, const cb_grid *g, cb_cover_mode m) {
  memset(p, 0, sizeof *p);
  p->zone = zone;
  p->r0 = 1;
  p->r1 = 0;
  size_t n = 0;
  for (size_t j = 0; j < poly->nrings; j++) n += poly->rings[j].n;
  if (n == 0) return 0;
  if (n > UINT32_MAX) return -1; /* edge indices are 32-bit */
  p->edges = malloc(n * sizeof *p->edges);
  if (!p->edges) return -1;
  double xr[2] = {INFINITY, -INFINITY};
  int part = 0;
  p->r0 = INT32_MAX; /* rows of the edges, found as they are made */
  p->r1 = 0;
  for (size_t j = 0; j < poly->nrings; j++) {
    if (j > 0 && !poly->rings[j].hole) part++;
    ring_edges(p, &poly->rings[j], part, t, g, m, xr);
  }
  double c0 = clampd(floor(xr[0]), 0, g->ncols), c1 = clampd(floor(xr[1]) + 1.0, 0, g->ncols);
  if (c1 <= c0 || p->nedges == 0) {
    p->nedges = 0;
    p->r0 = 1; /* no rows */
    p->r1 = 0;
    return 0;
  }
  p->c0 = (int)c0;
  p->w = (int)c1 - p->c0;
  return alloc_scratch(p, m);
}

static double x_at(const cov_edge *e, double y) {
  if (y == e->y0) return e->x0;
  if (y == e->y1) return e->x1;
  return e->x0 + (y - e->y0) * (e->x1 - e->x0) / (e->y1 - e->y0);
}

static void activate(cov_poly *p, int r) {
  while (p->next < p->nedges && p->edges[p->byrow[p->next]].ra <= r)
    p->active[p->nactive++] = p->byrow[p->next++];
}

static void retire(cov_poly *p, int r) {
  size_t k = 0;
  for (size_t i = 0; i < p->nactive; i++)
    if (p->edges[p->active[i]].rb > r) p->active[k++] = p->active[i];
  p->nactive = k;
}

/* Marks the local cells a piece from xa to xb deposits into (cov_deposit
 * writes the cells it crosses and one carry cell right of them), clipped
 * to the scratch row [0, w]. */
static void mark(uint64_t *bits, double xa, double xb, int w) {
  double xl = xa < xb ? xa : xb, xr = xa < xb ? xb : xa;
  if (xl >= w) return;
  int a = xl > 0.0 ? (int)xl : 0; /* floor, for 0 <= xl < w */
  int b = xr > 0.0 ? (xr < w ? (int)xr + 1 : w) : 0;
  if (a >> 6 == b >> 6) { /* one word: the usual short piece */
    bits[a >> 6] |= (~(uint64_t)0 >> (63 - (b - a))) << (a & 63);
    return;
  }
  while (a <= b) {
    int bit = a & 63, n = b - a + 1 < 64 - bit ? b - a + 1 : 64 - bit;
    bits[a >> 6] |= (n == 64 ? ~(uint64_t)0 : (((uint64_t)1 << n) - 1)) << bit;
    a += n;
  }
}

/* The scan state of one row: running coverage s, its clamped value v and
 * class (0 empty, 1 full, 2 partial), the start of the open full run. */
typedef struct scan {
  double s, v;
  int cls, run;
} scan;

/* Cells [j0, j1) where nothing was deposited: the class holds. */
static int scan_gap(cov_poly *p, scan *st, int j0, int j1, cb_cover_mode m,
                    cov_out *o) {
  if (j1 <= j0) return 0;
  if (st->cls == 1) {
    if (st->run < 0) st->run = j0;
    p->cells += (m == CB_COVER_TOUCHED ? 1.0 : st->v) * (j1 - j0);
    return 0;
  }
  if (st->run >= 0 && cov_emit(o, p->c0 + st->run, p->c0 + j0, p->zone, 1.0f))
    return -1;
  st->run = -1;
  for (int j = j0; st->cls == 2 && j < j1; j++) {
    if (cov_emit(o, p->c0 + j, p->c0 + j + 1, p->zone, (float)st->v)) return -1;
    p->cells += st->v;
  }
  return 0;
}

/* Cells [j0, j1) that may have deposits: prefix-sum, clear the scratch,
 * classify where the sum changes. */
static int scan_cells(cov_poly *p, scan *st, int j0, int j1, cb_cover_mode m,
                      cov_out *o) {
  double *row = p->row;
  for (int j = j0; j < j1; j++) {
    double a = row[j];
    if (a != 0.0) {
      row[j] = 0.0;
      st->s += a;
      st->v = st->s > 1.0 ? 1.0 : st->s;
      if (m == CB_COVER_TOUCHED) st->cls = st->v > CB_COVER_EPS;
      else st->cls = (float)st->v >= 1.0f ? 1 : st->v > CB_COVER_EPS ? 2 : 0;
    }
    if (st->cls == 1) {
      if (st->run < 0) st->run = j;
      p->cells += m == CB_COVER_TOUCHED ? 1.0 : st->v;
      continue;
    }
    if (st->run >= 0 && cov_emit(o, p->c0 + st->run, p->c0 + j, p->zone, 1.0f))
      return -1;
    st->run = -1;
    if (st->cls == 2) {
      if (cov_emit(o, p->c0 + j, p->c0 + j + 1, p->zone, (float)st->v)) return -1;
      p->cells += st->v;
    }
  }
  return 0;
}

/* Exact and touched: deposit every active edge's piece of the row, then
 * scan only the cells the pieces marked, in order (a bitset): between them
 * the running sum is constant, so runs of full cells become one span and
 * empty stretches cost nothing. */
static int area_row(cov_poly *p, int r, cb_cover_mode m, cov_out *o) {
  for (size_t i = 0; i < p->nactive; i++) {
    const cov_edge *e = &p->edges[p->active[i]];
    double lo = e->y0 < e->y1 ? e->y0 : e->y1, hi = e->y0 < e->y1 ? e->y1 : e->y0;
    double ylo = lo > r ? lo : r, yhi = hi < r + 1.0 ? hi : r + 1.0;
    if (yhi <= ylo) continue;
    double d = (e->y1 > e->y0 ? 1.0 : -1.0) * (yhi - ylo) * e->f;
    double xa = x_at(e, ylo) - p->c0, xb = x_at(e, yhi) - p->c0;
    cov_deposit(p->row, p->w, xa, xb, d);
    mark(p->bits, xa, xb, p->w);
  }
  scan st = {0.0, 0.0, 0, -1};
  int j = 0;
  for (int k = 0; k <= p->w >> 6; k++) {
    uint64_t word = p->bits[k];
    p->bits[k] = 0;
    while (word) {
      int c = (k << 6) + __builtin_ctzll(word);
      word &= word - 1;
      if (c >= p->w) break; /* the carry cell right of the row */
      if (scan_gap(p, &st, j, c, m, o) || scan_cells(p, &st, c, c + 1, m, o))
        return -1;
      j = c + 1;
    }
  }
  if (scan_gap(p, &st, j, p->w, m, o)) return -1;
  if (st.run >= 0 && cov_emit(o, p->c0 + st.run, p->c0 + p->w, p->zone, 1.0f))
    return -1;
  p->row[p->w] = p->row[p->w + 1] = 0.0;
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
  free(p->byrow);
  free(p->row);
  free(p->bits);
  free(p->ints);
  free(p->ivals);
  memset(p, 0, sizeof *p);
}
