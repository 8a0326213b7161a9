/* Plain polygon sets: freeing and ring areas. */
#include "geom.h"

#include <stdlib.h>

void cb_polyset_free(cb_polyset *ps) {
  if (!ps) return;
  for (size_t i = 0; i < ps->n; i++) {
    for (size_t j = 0; j < ps->polys[i].nrings; j++) free(ps->polys[i].rings[j].xy);
    free(ps->polys[i].rings);
  }
  free(ps->polys);
  free(ps->srs_wkt);
  free(ps);
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
