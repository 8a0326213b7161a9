/* One chunk of the coverage build: a sweep down the rows of a run of
 * polygons. Each joins when the sweep reaches its first row and leaves
 * after its last, so spans come out sorted by row; rows no polygon is on
 * are jumped, and memory is the spans plus the live polygons. */
#include <stdlib.h>

#include "coverage_int.h"

typedef struct live {
  cov_poly *p;
  size_t n, cap;
} live;

static int join(live *l, const cb_polygon *poly, uint32_t zone,
                const cov_xform *t, const cb_coverage *c) {
  if (l->n == l->cap) { /* polygons live at once: usually few */
    size_t cap = l->cap ? 2 * l->cap : 16;
    cov_poly *p = realloc(l->p, cap * sizeof *p);
    if (!p) return -1;
    l->p = p;
    l->cap = cap;
  }
  cov_poly *p = &l->p[l->n];
  if (cov_poly_init(p, poly, zone, t, &c->grid, c->mode)) {
    cov_poly_free(p);
    return -1;
  }
  l->n++;
  return 0;
}

/* Emits row r of every live polygon, in joining order; retires those that
 * end at r (keeping the order of the others). */
static int row(live *l, int r, cb_coverage *c, cov_out *o) {
  size_t k = 0;
  for (size_t j = 0; j < l->n; j++) {
    cov_poly *p = &l->p[j];
    if (p->r0 <= r && r <= p->r1 && cov_poly_row(p, r, &c->grid, c->mode, o))
      return -1;
    if (r >= p->r1) {
      c->zone_cells[p->zone] = p->cells;
      cov_poly_free(p);
    } else {
      l->p[k++] = *p;
    }
  }
  l->n = k;
  return 0;
}

/* Lists row r, whose spans start at offset off; -1 when out of memory. */
static int add_row(cov_chunk *k, int r, size_t off) {
  if (k->nrows + 1 >= k->rcap) {
    size_t cap = k->rcap ? 2 * k->rcap : 64;
    int32_t *y = realloc(k->ry, cap * sizeof *y);
    if (y) k->ry = y;
    size_t *o = realloc(k->ro, cap * sizeof *o);
    if (o) k->ro = o;
    if (!y || !o) return -1;
    k->rcap = cap;
  }
  k->ry[k->nrows] = r;
  k->ro[k->nrows++] = off;
  return 0;
}

int cov_chunk_sweep(cov_chunk *k, const cb_polyset *ps, const size_t *order,
                    const int *start, const cov_xform *t, cb_coverage *c) {
  live l = {0};
  int rc = 0;
  size_t next = k->i0;
  for (int r = start[order[next]]; !rc && (l.n > 0 || next < k->i1); r++) {
    if (l.n == 0) r = start[order[next]]; /* jump to the next polygon */
    while (!rc && next < k->i1 && start[order[next]] == r) {
      size_t i = order[next++];
      rc = join(&l, &ps->polys[i], (uint32_t)i, t, c);
    }
    size_t before = k->out.n;
    if (!rc) rc = row(&l, r, c, &k->out);
    if (!rc && k->out.n > before) rc = add_row(k, r, before);
  }
  if (!rc) rc = add_row(k, 0, k->out.n); /* the end offset */
  if (!rc) k->nrows--;
  for (size_t j = 0; j < l.n; j++) cov_poly_free(&l.p[j]);
  free(l.p);
  return rc;
}
