/* Center kernel: GDAL's default scanline rule (GDALdllImageFilledPolygon),
 * re-derived for our active-edge sweep. A cell belongs when its centre lies
 * inside by the even-odd rule over the rings of one part (an exterior and
 * its holes), parts of a multipolygon adding up; crossings are
 * half-open in y (an edge owns its lower end, not its upper one), a cell
 * whose centre lies exactly on a crossing belongs to the span on its left,
 * and horizontal edges on a centre line fill when they run right to left.
 * Checked cell for cell against GDAL 3.6 in tests/c/test_coverage_gdal.c. */
#include <math.h>
#include <stdlib.h>

#include "coverage_int.h"

static int cmp_cross(const void *a, const void *b) {
  const cov_cross *x = a, *y = b;
  if (x->part != y->part) return x->part < y->part ? -1 : 1;
  return (x->x > y->x) - (x->x < y->x);
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
                            cov_cross *ints, int32_t *ivals) {
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
       * right to left, reading every ring (holes too) in the direction
       * that makes its pixel-space shoelace area positive. */
      double xa = ed->rev ? ed->x1 : ed->x0, xb = ed->rev ? ed->x0 : ed->x1;
      if (xa > xb) k = add_interval(ivals, k, cell_at(xb), cell_at(xa), ncols);
      continue;
    }
    if (dy < dy2 && dy >= dy1)
      ints[nints++] = (cov_cross){(dy - dy1) * (dx2 - dx1) / (dy2 - dy1) + dx1, ed->part};
  }
  /* GDAL burns each part of a multipolygon on its own: pair crossings
   * within a part, and let the caller take the union across parts. */
  qsort(ints, nints, sizeof *ints, cmp_cross);
  for (size_t i = 0; i + 1 < nints;) {
    if (ints[i].part != ints[i + 1].part) { /* cannot happen: rings close */
      i++;
      continue;
    }
    k = add_interval(ivals, k, cell_at(ints[i].x), cell_at(ints[i + 1].x), ncols);
    i += 2;
  }
  return k;
}
