/* Pretty class limits: computed breaks moved to round numbers (1-2-5
 * steps, as R's pretty and classInt print them) inside the gaps between
 * the values, so that no value changes class when that can be done. */
#include "breaks.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The step after d in the 1-2-5 sequence going down: 10 -> 5 -> 2 -> 1. */
static double step_down(double d, int *lead) {
  if (*lead == 1) return *lead = 5, d / 2;
  if (*lead == 5) return *lead = 2, d * 2 / 5;
  return *lead = 1, d / 2;
}

/* k * d as the double nearest the decimal number it stands for (d is 1, 2
 * or 5 x 10^p): below 1, divide by the exact integer 1/d. */
static double mult(double k, double d) {
  return d >= 1 ? k * d : k / round(1 / d);
}

/* The round number c in (lo, hi) (open: ends excluded) nearest x, on the
 * coarsest 1-2-5 step not above `scale`, going down to steps of three
 * significant digits of scale; 0 wins when inside. Returns 1 and fills
 * *c, or 0 when there is none. */
static int pretty_in(double lo, double hi, int open, double x, double scale,
                     double *c) {
  if (open ? lo < 0 && 0 < hi : lo <= 0 && 0 <= hi) {
    *c = 0;
    return 1;
  }
  if (!(scale > 0) || !isfinite(scale)) return 0;
  double d = pow(10, floor(log10(scale))), last = d / 100 * (1 - 1e-9);
  int lead = 1;
  if (5 * d <= scale) d *= 5, lead = 5;
  else if (2 * d <= scale) d *= 2, lead = 2;
  for (; d >= last; d = step_down(d, &lead)) {
    double k0 = ceil(lo / d), k1 = floor(hi / d);
    if (open && mult(k0, d) <= lo) k0++;
    if (open && mult(k1, d) >= hi) k1--;
    if (k0 > k1) continue;
    double k = round(x / d);
    *c = mult(k < k0 ? k0 : k > k1 ? k1 : k, d);
    return 1;
  }
  return 0;
}

/* Index of the first value > x in sorted v[0..n) (n when none). */
static size_t upper(const double *v, size_t n, double x) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (v[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* A round inner edge for x: in the gap around it (searched up to
 * max(|x|, range / 10) above x) when there is one; else x at two
 * significant digits, stepped off any value. */
static double round_inner(double x, const double *v, size_t n, double range) {
  size_t u = upper(v, n, x);
  double c;
  if (u && u < n) {
    double lo = v[u - 1], hi = fmin(v[u], x + fmax(fabs(x), range / 10));
    if (pretty_in(lo, hi, 1, x, fmax(fabs(lo), fabs(hi)), &c)) return c;
  }
  if (x == 0) return 0;
  double d = pow(10, floor(log10(fabs(x))) - 1), k = round(x / d);
  for (int i = 0; i < 100; i++) { /* off the values: k, k + 1, k - 1, ... */
    c = mult(k + (i % 2 ? 1 : -1) * ((i + 1) / 2), d);
    size_t w = upper(v, n, c);
    if (!(w && v[w - 1] == c)) return c;
  }
  return x;
}

/* Outer edges move outwards by at most a tenth of the range, not across
 * zero, to a round number (at most three significant digits). */
static double round_outer(double x, double range, int top) {
  double lo = top ? x : x - range / 10, hi = top ? x + range / 10 : x, c;
  if (!top && x >= 0 && lo < 0) lo = 0;
  if (top && x <= 0 && hi > 0) hi = 0;
  return pretty_in(lo, hi, 0, x, fmax(fabs(lo), fabs(hi)), &c) ? c : x;
}

/* Values whose right-closed class differs between edges a and b. */
static size_t moved_values(const double *v, size_t n, const double *a,
                           const double *b, size_t ne) {
  size_t moved = 0;
  for (size_t j = 1; j + 1 < ne; j++) {
    double lo = fmin(a[j], b[j]), hi = fmax(a[j], b[j]);
    size_t i0 = upper(v, n, lo), i1 = upper(v, n, hi);
    moved += i1 - i0; /* values in (lo, hi] cross edge j */
  }
  return moved;
}

void cb_breaks_round_sorted(double *edges, size_t ne, const double *v,
                            size_t n, size_t *moved) {
  if (moved) *moved = 0;
  if (ne < 2 || n == 0 || !(v[n - 1] > v[0])) return;
  double *r = malloc(ne * sizeof *r);
  if (!r) return; /* out of memory: the exact limits are still right */
  double range = v[n - 1] - v[0];
  for (size_t j = 0; j < ne; j++) {
    double x = edges[j];
    if (!isfinite(x)) r[j] = x;
    else if (j == 0) r[j] = round_outer(x, range, 0);
    else if (j == ne - 1) r[j] = round_outer(x, range, 1);
    else r[j] = round_inner(x, v, n, range);
  }
  /* Keep the edges increasing: a pair that would not stays exact. */
  for (int changed = 1; changed;) {
    changed = 0;
    for (size_t j = 1; j < ne; j++)
      if (!(r[j] > r[j - 1]) && (r[j] != edges[j] || r[j - 1] != edges[j - 1]))
        r[j] = edges[j], r[j - 1] = edges[j - 1], changed = 1;
  }
  if (moved) *moved = moved_values(v, n, edges, r, ne);
  memcpy(edges, r, ne * sizeof *r);
  free(r);
}

int cb_breaks_round(double *edges, size_t ne, const double *const *parts,
                    const size_t *lens, size_t nparts, size_t *moved,
                    cb_err *e) {
  size_t total = 0, n = 0;
  for (size_t p = 0; p < nparts; p++) total += lens[p];
  double *v = malloc((total ? total : 1) * sizeof *v);
  if (!v) return cb_err_set(e, "breaks: out of memory");
  for (size_t p = 0; p < nparts; p++)
    for (size_t i = 0; i < lens[p]; i++)
      if (isfinite(parts[p][i])) v[n++] = parts[p][i];
  qsort(v, n, sizeof *v, cmp_double);
  cb_breaks_round_sorted(edges, ne, v, n, moved);
  free(v);
  return 0;
}
