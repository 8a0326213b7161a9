/* Test helpers for the coverage builder: polysets from literal rings, and
 * coverages expanded to dense per-zone grids. Header-only, for tests. */
#ifndef CB_TEST_COVERAGE_UTIL_H
#define CB_TEST_COVERAGE_UTIL_H

#include <stdlib.h>
#include <string.h>

#include "core/coverage.h"

/* An empty polyset with room for n features. */
static inline cb_polyset *tp_new(size_t n) {
  cb_polyset *ps = calloc(1, sizeof *ps);
  ps->polys = calloc(n ? n : 1, sizeof *ps->polys);
  ps->n = n;
  return ps;
}

/* Adds a ring of n points (xy interleaved) to feature i. */
static inline void tp_ring(cb_polyset *ps, size_t i, const double *xy, size_t n, int hole) {
  cb_polygon *p = &ps->polys[i];
  p->rings = realloc(p->rings, (p->nrings + 1) * sizeof *p->rings);
  cb_ring *r = &p->rings[p->nrings++];
  r->xy = malloc(2 * n * sizeof *r->xy);
  memcpy(r->xy, xy, 2 * n * sizeof *r->xy);
  r->n = n;
  r->hole = hole;
}

/* Expands zone z of c into a dense nrows x ncols grid (row-major). Checks
 * spans are in range; returns the number of spans seen for z. */
static inline size_t tp_dense(const cb_coverage *c, uint32_t z, double *out) {
  size_t n = (size_t)c->grid.nrows * c->grid.ncols, k = 0;
  memset(out, 0, n * sizeof *out);
  for (size_t u = 0; u < c->nrows; u++)
    for (size_t i = c->row_off[u]; i < c->row_off[u + 1]; i++) {
      const cb_span *s = &c->spans[i];
      size_t r = (size_t)c->row_y[u];
      if (s->zone != z) continue;
      for (int x = s->x0; x < s->x1; x++) out[r * c->grid.ncols + x] += s->w;
      k++;
    }
  return k;
}

static inline cb_grid tp_grid(double x0, double ytop, double cell, int ncols, int nrows) {
  cb_grid g = {{x0, cell, 0, ytop, 0, -cell}, ncols, nrows};
  return g;
}

#endif
