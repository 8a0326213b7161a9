/* Coverage builder: one sweep down the grid's rows; each polygon joins when
 * the sweep reaches its first row and leaves after its last, so spans come
 * out already sorted by row and memory is the spans plus the live polygons. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "coverage_int.h"

int cov_grow(cov_out *o) {
  size_t cap = o->cap ? o->cap + o->cap / 2 : 1024;
  cb_span *s = realloc(o->spans, cap * sizeof *s);
  if (!s) return -1;
  o->spans = s;
  o->cap = cap;
  return 0;
}

void cb_coverage_free(cb_coverage *c) {
  if (!c) return;
  free(c->spans);
  free(c->row_y);
  free(c->row_off);
  free(c->zone_cells);
  free(c->zone_area_outside);
  free(c);
}

size_t cb_coverage_bytes(const cb_coverage *c) {
  if (!c) return 0;
  return sizeof *c + c->nspans * sizeof *c->spans +
         c->nrows * sizeof *c->row_y + (c->nrows + 1) * sizeof *c->row_off +
         2 * c->nzones * sizeof(double);
}

int cb_coverage_check_grid(const cb_grid *g, cb_err *e) {
  for (int i = 0; i < 6; i++)
    if (!isfinite(g->gt[i]))
      return cb_err_set(e, "grid geotransform has a non-finite term (gt[%d]): "
                        "check the raster's georeferencing", i);
  if (g->gt[2] != 0.0 || g->gt[4] != 0.0)
    return cb_err_set(e, "rotated grid (geotransform terms gt[2]=%g, gt[4]=%g) "
                      "is not supported: warp the raster north-up first "
                      "(gdalwarp)", g->gt[2], g->gt[4]);
  if (g->gt[1] == 0.0 || g->gt[5] == 0.0)
    return cb_err_set(e, "grid has a zero cell size (gt[1]=%g, gt[5]=%g)",
                      g->gt[1], g->gt[5]);
  if (g->ncols <= 0 || g->nrows <= 0)
    return cb_err_set(e, "grid has no cells (%d x %d)", g->ncols, g->nrows);
  return 0;
}

/* First row a polygon with pixel bbox bb can touch, or -1 for none. */
static int first_row(const double bb[4], const cb_grid *g, cb_cover_mode m) {
  double lo = m == CB_COVER_CENTER ? floor(bb[1] - 0.5) : floor(bb[1]);
  double hi = m == CB_COVER_CENTER ? ceil(bb[3] - 0.5) : ceil(bb[3]) - 1.0;
  if (bb[2] < 0.0 || bb[0] > g->ncols || hi < 0.0 || lo > g->nrows - 1.0) return -1;
  return lo < 0.0 ? 0 : (int)lo;
}

typedef struct sweep {
  cb_coverage *c;
  int *start;        /* per polygon: first row, -1 when it touches none */
  size_t *order;     /* polygons with a first row, by (row, index) */
  size_t norder, next;
  cov_poly *live;
  size_t nlive, cap;
  cov_out out;
  size_t rcap;       /* room in c->row_y and c->row_off */
} sweep;

static const int *sort_start; /* qsort has no context argument */
static int cmp_start(const void *a, const void *b) {
  size_t i = *(const size_t *)a, j = *(const size_t *)b;
  if (sort_start[i] != sort_start[j]) return sort_start[i] < sort_start[j] ? -1 : 1;
  return (i > j) - (i < j);
}

/* Validates every polygon, records the part outside the grid and the first
 * row of each; orders polygons by (first row, index). */
static int prepare(sweep *s, const cb_polyset *ps, const cov_xform *t, cb_err *e) {
  cb_coverage *c = s->c;
  const cb_grid *g = &c->grid;
  for (size_t i = 0; i < ps->n; i++) {
    double bb[4];
    int any = cov_poly_bbox(&ps->polys[i], t, i + 1, bb, e);
    if (any < 0) return -1;
    s->start[i] = any ? first_row(bb, g, c->mode) : -1;
    if (any && (bb[0] < 0 || bb[1] < 0 || bb[2] > g->ncols || bb[3] > g->nrows)) {
      double total, inside;
      cov_poly_areas(&ps->polys[i], t, g->ncols, g->nrows, &total, &inside);
      c->zone_area_outside[i] = total - inside > 0.0 ? total - inside : 0.0;
    }
    if (s->start[i] >= 0) s->order[s->norder++] = i;
  }
  sort_start = s->start;
  qsort(s->order, s->norder, sizeof *s->order, cmp_start);
  return 0;
}

/* Lists row r, whose spans start at offset off; -1 when out of memory. */
static int add_row(sweep *s, int r, size_t off) {
  cb_coverage *c = s->c;
  if (c->nrows + 1 >= s->rcap) {
    size_t cap = s->rcap ? 2 * s->rcap : 256;
    int32_t *y = realloc(c->row_y, cap * sizeof *y);
    if (y) c->row_y = y;
    size_t *o = realloc(c->row_off, cap * sizeof *o);
    if (o) c->row_off = o;
    if (!y || !o) return -1;
    s->rcap = cap;
  }
  c->row_y[c->nrows] = r;
  c->row_off[c->nrows++] = off;
  return 0;
}

static int sweep_row(sweep *s, const cb_polyset *ps, const cov_xform *t, int r) {
  cb_coverage *c = s->c;
  while (s->next < s->norder && s->start[s->order[s->next]] == r) {
    size_t i = s->order[s->next++];
    if (s->nlive == s->cap) { /* polygons live at once: usually few */
      size_t cap = s->cap ? 2 * s->cap : 64;
      cov_poly *l = realloc(s->live, cap * sizeof *l);
      if (!l) return -1;
      s->live = l;
      s->cap = cap;
    }
    cov_poly *p = &s->live[s->nlive];
    if (cov_poly_init(p, &ps->polys[i], (uint32_t)i, t, &c->grid, c->mode)) {
      cov_poly_free(p);
      return -1;
    }
    s->nlive++;
  }
  size_t k = 0;
  for (size_t j = 0; j < s->nlive; j++) {
    cov_poly *p = &s->live[j];
    if (p->r0 <= r && r <= p->r1 && cov_poly_row(p, r, &c->grid, c->mode, &s->out))
      return -1;
    if (r >= p->r1) {
      c->zone_cells[p->zone] = p->cells;
      cov_poly_free(p);
    } else {
      s->live[k++] = *p;
    }
  }
  s->nlive = k;
  return 0;
}

static void sweep_free(sweep *s) {
  for (size_t j = 0; j < s->nlive; j++) cov_poly_free(&s->live[j]);
  free(s->live);
  free(s->start);
  free(s->order);
  free(s->out.spans);
}

cb_coverage *cb_coverage_build(const cb_grid *g, const cb_polyset *polys,
                               cb_cover_mode mode, cb_err *e) {
  if (cb_coverage_check_grid(g, e)) return NULL;
  if (polys->n > UINT32_MAX) {
    cb_err_set(e, "too many polygons (%zu) for one coverage", polys->n);
    return NULL;
  }
  cov_xform t = {-g->gt[0] / g->gt[1], 1.0 / g->gt[1], -g->gt[3] / g->gt[5],
                 1.0 / g->gt[5]};
  cb_coverage *c = calloc(1, sizeof *c);
  sweep s = {0};
  size_t n = polys->n ? polys->n : 1;
  if (!c) goto oom;
  c->grid = *g;
  c->mode = mode;
  c->nzones = polys->n;
  c->zone_cells = calloc(n, sizeof *c->zone_cells);
  c->zone_area_outside = calloc(n, sizeof *c->zone_area_outside);
  s.c = c;
  s.start = malloc(n * sizeof *s.start);
  s.order = malloc(n * sizeof *s.order);
  if (!c->zone_cells || !c->zone_area_outside || !s.start || !s.order)
    goto oom;
  if (prepare(&s, polys, &t, e)) goto fail;
  /* the sweep jumps over rows no polygon is on */
  for (int r = 0; r < g->nrows; r++) {
    if (s.nlive == 0) {
      if (s.next == s.norder) break;
      r = s.start[s.order[s.next]];
    }
    size_t before = s.out.n;
    if (sweep_row(&s, polys, &t, r)) goto oom;
    if (s.out.n > before && add_row(&s, r, before)) goto oom;
  }
  if (add_row(&s, 0, s.out.n)) goto oom; /* the end offset */
  c->nrows--;
  c->nspans = s.out.n;
  c->spans = s.out.n ? realloc(s.out.spans, s.out.n * sizeof *c->spans) : NULL;
  if (s.out.n && !c->spans) c->spans = s.out.spans;
  if (!s.out.n) free(s.out.spans);
  s.out.spans = NULL;
  sweep_free(&s);
  return c;
oom:
  cb_err_set(e, "out of memory building the coverage of %zu polygons on a "
             "%d x %d grid", polys->n, g->ncols, g->nrows);
fail:
  sweep_free(&s);
  cb_coverage_free(c);
  return NULL;
}
