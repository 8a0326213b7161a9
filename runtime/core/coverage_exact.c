/* Exact coverage kernel: signed-area accumulation along an edge piece within
 * one row, as font rasterizers do. Each piece deposits, per cell it crosses,
 * its area to the right of the edge plus a carry for the cells further right;
 * the prefix sum of the row gives area(polygon ∩ cell) with no clipping. */
#include <math.h>

#include "coverage_int.h"

/* The part of the piece inside column c, spanning x in [s, e] with signed
 * height d: the cell gets d times the fraction of the cell right of the
 * piece (linear in x, so the midpoint is exact), the next cell the rest. */
static void deposit_cell(double *row, int c, double s, double e, double d) {
  double xm = 0.5 * (s + e) - c;
  row[c] += d * (1.0 - xm);
  row[c + 1] += d * xm;
}

void cov_deposit(double *row, int w, double xa, double xb, double d) {
  double xl = xa < xb ? xa : xb, xr = xa < xb ? xb : xa;
  if (d == 0.0 || xl >= w) return; /* right of the window: no cell gains */
  if (xr <= 0.0) {                 /* left of the window: a full carry */
    row[0] += d;
    return;
  }
  if (xl >= 0.0 && xr < w) { /* within one column (vertical included) */
    int c = (int)xl;            /* floor: xl >= 0 here */
    if (xr <= c + 1.0) {
      deposit_cell(row, c, xl, xr, d);
      return;
    }
  }
  double per_x = d / (xr - xl);
  if (xl < 0.0) {
    row[0] += per_x * (0.0 - xl);
    xl = 0.0;
  }
  double end = xr < w ? xr : (double)w;
  int c = (int)xl;
  for (double s = xl; s < end; c++) {
    double e = c + 1.0 < end ? c + 1.0 : end;
    if (e > s) deposit_cell(row, c, s, e, per_x * (e - s));
    s = e;
  }
}
