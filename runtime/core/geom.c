/* Plain polygon sets: making and freeing them, bounds and areas. */
#include "geom.h"

#include <math.h>
#include <stdlib.h>

cb_polyset *cb_polyset_new(size_t n) {
  cb_polyset *ps = calloc(1, sizeof *ps);
  if (!ps) return NULL;
  if (!(ps->polys = calloc(n ? n : 1, sizeof *ps->polys))) {
    free(ps);
    return NULL;
  }
  ps->n = n;
  ps->bbox[0] = ps->bbox[1] = INFINITY;
  ps->bbox[2] = ps->bbox[3] = -INFINITY;
  return ps;
}

void cb_polygon_clear(cb_polygon *p) {
  for (size_t i = 0; i < p->nrings; i++) free(p->rings[i].xy);
  free(p->rings);
  p->rings = NULL;
  p->nrings = 0;
}

void cb_polyset_free(cb_polyset *ps) {
  if (!ps) return;
  for (size_t i = 0; ps->polys && i < ps->n; i++) cb_polygon_clear(&ps->polys[i]);
  free(ps->polys);
  free(ps->srs_wkt);
  free(ps);
}

void cb_polyset_bbox(cb_polyset *ps) {
  double *b = ps->bbox;
  b[0] = b[1] = INFINITY;
  b[2] = b[3] = -INFINITY;
  for (size_t i = 0; i < ps->n; i++)
    for (size_t r = 0; r < ps->polys[i].nrings; r++) {
      const cb_ring *g = &ps->polys[i].rings[r];
      for (size_t k = 0; k < g->n; k++) {
        double x = g->xy[2 * k], y = g->xy[2 * k + 1];
        if (x < b[0]) b[0] = x;
        if (y < b[1]) b[1] = y;
        if (x > b[2]) b[2] = x;
        if (y > b[3]) b[3] = y;
      }
    }
}

double cb_ring_area(const cb_ring *r) {
  double a = 0.0;
  if (r->n < 3) return 0.0;
  const double *p = r->xy;
  for (size_t i = 0; i < r->n; i++) {
    size_t j = (i + 1) % r->n;
    a += p[2 * i] * p[2 * j + 1] - p[2 * j] * p[2 * i + 1];
  }
  return a / 2.0;
}

void cb_ring_moments(const cb_ring *r, double *a, double *mx, double *my) {
  *a = *mx = *my = 0;
  if (r->n < 3) return;
  double x0 = r->xy[0], y0 = r->xy[1];
  for (size_t i = 0; i < r->n; i++) {
    size_t j = (i + 1) % r->n;
    double xi = r->xy[2 * i] - x0, yi = r->xy[2 * i + 1] - y0;
    double xj = r->xy[2 * j] - x0, yj = r->xy[2 * j + 1] - y0;
    double c = xi * yj - xj * yi;
    *a += c / 2;
    *mx += (xi + xj) * c / 6;
    *my += (yi + yj) * c / 6;
  }
  /* back to absolute coordinates: M = A * (centroid offset + origin) */
  *mx += *a * x0;
  *my += *a * y0;
}

double cb_polygon_area(const cb_polygon *p) {
  double a = 0;
  for (size_t r = 0; r < p->nrings; r++) {
    double ra = fabs(cb_ring_area(&p->rings[r]));
    a += p->rings[r].hole ? -ra : ra;
  }
  return a;
}
