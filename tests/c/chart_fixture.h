/* Test data for the chart tests: deterministic irregular polygons (a
 * jittered grid clipped to an ellipse) and values, no files needed. */
#ifndef CHART_FIXTURE_H
#define CHART_FIXTURE_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/geom.h"

static unsigned fx_seed = 12345;
static double fx_rand(void) { /* LCG in [0, 1) */
  fx_seed = fx_seed * 1103515245u + 12345u;
  return ((fx_seed >> 8) & 0xffffff) / (double)0x1000000;
}

/* nx x ny jittered cells of dx x dy from (x0, y0), keeping the cells inside
 * an ellipse; shared corners, so the polygons tile without gaps. */
static cb_polyset *fx_grid(int nx, int ny, double x0, double y0, double dx,
                           double dy, unsigned seed) {
  fx_seed = seed;
  double *px = malloc((nx + 1) * (ny + 1) * sizeof(double));
  double *py = malloc((nx + 1) * (ny + 1) * sizeof(double));
  for (int i = 0; i <= nx; i++)
    for (int j = 0; j <= ny; j++) {
      int inner = i > 0 && i < nx && j > 0 && j < ny;
      px[i * (ny + 1) + j] = x0 + i * dx + (inner ? (fx_rand() - 0.5) * dx * 0.6 : 0);
      py[i * (ny + 1) + j] = y0 + j * dy + (inner ? (fx_rand() - 0.5) * dy * 0.6 : 0);
    }
  cb_polyset *ps = calloc(1, sizeof *ps);
  ps->polys = calloc(nx * ny, sizeof *ps->polys);
  ps->bbox[0] = ps->bbox[1] = INFINITY, ps->bbox[2] = ps->bbox[3] = -INFINITY;
  for (int i = 0; i < nx; i++)
    for (int j = 0; j < ny; j++) {
      double cx = (i + 0.5) / nx - 0.5, cy = (j + 0.5) / ny - 0.5;
      if (cx * cx + cy * cy * 0.8 >= 0.22) continue;
      cb_polygon *pg = &ps->polys[ps->n++];
      pg->nrings = 1;
      pg->rings = calloc(1, sizeof *pg->rings);
      pg->rings[0].n = 4;
      double *xy = pg->rings[0].xy = malloc(8 * sizeof(double));
      int ci[4] = {i, i + 1, i + 1, i}, cj[4] = {j, j, j + 1, j + 1};
      for (int k = 0; k < 4; k++) {
        xy[2 * k] = px[ci[k] * (ny + 1) + cj[k]];
        xy[2 * k + 1] = py[ci[k] * (ny + 1) + cj[k]];
        ps->bbox[0] = fmin(ps->bbox[0], xy[2 * k]);
        ps->bbox[2] = fmax(ps->bbox[2], xy[2 * k]);
        ps->bbox[1] = fmin(ps->bbox[1], xy[2 * k + 1]);
        ps->bbox[3] = fmax(ps->bbox[3], xy[2 * k + 1]);
      }
    }
  free(px);
  free(py);
  return ps;
}

/* n positive values spread over about three orders of magnitude. */
static double *fx_values(size_t n, unsigned seed) {
  fx_seed = seed;
  double *v = malloc(n * sizeof *v);
  for (size_t i = 0; i < n; i++) v[i] = exp(fx_rand() * 4) * (1 + (double)i / n);
  return v;
}

#endif
