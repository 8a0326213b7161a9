/* Tapio's decoupling elasticity and its eight states. */
#include <math.h>

#include "spatial_describe.h"

static unsigned char state(double dc, double dg, double e) {
  int coupled = e >= 0.8 && e <= 1.2;
  if (dg > 0) {
    if (dc < 0) return 1;
    return e < 0.8 ? 2 : coupled ? 3 : 4;
  }
  if (dc > 0) return 5;
  return e < 0.8 ? 6 : coupled ? 7 : 8;
}

size_t cb_tapio(const double *c0, const double *c1, const double *g0,
                const double *g1, size_t n, double *e, unsigned char *st) {
  size_t bad = 0;
  for (size_t i = 0; i < n; i++) {
    double dc = (c1[i] - c0[i]) / c0[i], dg = (g1[i] - g0[i]) / g0[i];
    int ok = c0[i] > 0 && g0[i] > 0 && isfinite(dc) && isfinite(dg) && dg != 0;
    e[i] = ok ? dc / dg : NAN;
    st[i] = ok ? state(dc, dg, e[i]) : 0;
    bad += !ok;
  }
  return bad;
}
