/* Total and geometric average annual growth, element-wise. */
#include "growth.h"

#include <math.h>

size_t cb_growth(const double *x0, size_t s0, const double *x1, size_t s1,
                 double years, double *total, double *aagr, size_t n) {
  size_t bad = 0;
  int yok = years > 0 && isfinite(years);
  for (size_t i = 0; i < n; i++) {
    double a = x0[i * s0], b = x1[i * s1];
    double t = NAN, g = NAN;
    if (yok && isfinite(a) && isfinite(b) && a > 0 && b >= 0) {
      double r = b / a;
      t = r - 1;
      /* expm1(log r / n): no cancellation for small rates. */
      g = b == 0 ? -1.0 : expm1(log(r) / years);
    } else {
      bad++;
    }
    if (total) total[i] = t;
    if (aagr) aagr[i] = g;
  }
  return bad;
}
