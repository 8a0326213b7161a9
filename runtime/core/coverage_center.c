/* Center kernel: GDAL's default scanline rule (GDALdllImageFilledPolygon),
 * re-derived for our active-edge sweep. A cell belongs when its centre lies
 * inside by the even-odd rule over all rings of the feature; crossings are
 * half-open in y (an edge owns its lower end, not its upper one), a cell
 * whose centre lies exactly on a crossing belongs to the span on its left,
 * and horizontal edges on a centre line fill when they run right to left. */
#include <math.h>
#include <stdlib.h>

#include "coverage_int.h"

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* First cell whose centre is right of x: floor(x + 0.5) as GDAL rounds. */
static int32_t cell_at(double x) {
  double c = floor(x + 0.5);
  if (c < -1.0) return -1;
  if (c > 2147483000.0) return 2147483000;
  return (int32_t)c;
}

static size_t add_interval(int32_t *iv, size_t k, int32_t a, int32_t b,
                           int ncols) {
  if (a < 0) a = 0;
  if (b > ncols) b = ncols;
  if (b <= a) return k;
  iv[2 * k] = a;
  iv[2 * k + 1] = b;
  return k + 1;
}

size_t cov_center_intervals(const cov_poly *p, int r, int ncols,
                            double *ints, int32_t *ivals) {
  const double dy = r + 0.5;
  size_t nints = 0, k = 0;
  for (size_t i = 0; i < p->nactive; i++) {
    const cov_edge *ed = &p->edges[p->active[i]];
    double dy1 = ed->y0, dy2 = ed->y1, dx1, dx2;
    if ((dy1 < dy && dy2 < dy) || (dy1 > dy && dy2 > dy)) continue;
    if (dy1 < dy2) {
      dx1 = ed->x0;
      dx2 = ed->x1;
    } else if (dy1 > dy2) {
      dy1 = ed->y1;
      dy2 = ed->y0;
      dx1 = ed->x1;
      dx2 = ed->x0;
    } else {
      /* A horizontal edge on the centre line: GDAL fills it when it runs
       * right to left (the bottom of a counter-clockwise ring). */
      if (ed->x0 > ed->x1)
        k = add_interval(ivals, k, cell_at(ed->x1), cell_at(ed->x0), ncols);
      continue;
    }
    if (dy < dy2 && dy >= dy1)
      ints[nints++] = (dy - dy1) * (dx2 - dx1) / (dy2 - dy1) + dx1;
  }
  qsort(ints, nints, sizeof *ints, cmp_double);
  for (size_t i = 0; i + 1 < nints; i += 2)
    k = add_interval(ivals, k, cell_at(ints[i]), cell_at(ints[i + 1]), ncols);
  return k;
}
