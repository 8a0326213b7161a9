/* Nice numbers, tick sets and number labels. */
#include "scale.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

double cbc_nice_num(double x, int round) {
  if (!(x > 0) || !isfinite(x)) return 1.0;
  double e = floor(log10(x));
  double p = pow(10.0, e);
  double f = x / p, nf;
  if (round)
    nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  else
    nf = f <= 1 + 1e-9 ? 1 : f <= 2 + 1e-9 ? 2 : f <= 5 + 1e-9 ? 5 : 10;
  return nf * p;
}

void cbc_ticks_make(double dmin, double dmax, int want, cbc_ticks *t) {
  memset(t, 0, sizeof *t);
  if (want < 2) want = 2;
  if (want > 12) want = 12;
  if (!isfinite(dmin) || !isfinite(dmax)) dmin = 0, dmax = 1;
  if (dmin > dmax) {
    double s = dmin;
    dmin = dmax, dmax = s;
  }
  if (dmax - dmin <= 1e-12 * fmax(fabs(dmin), fabs(dmax))) {
    /* One value: centre it in a range of its own magnitude. */
    double d = dmin == 0 ? 1 : fabs(dmin) * 0.5;
    dmin -= d, dmax += d;
  }
  /* Of the steps {1, 2, 5, 10} x 10^k near range/want, the one whose
   * covering tick count is closest to want (ties: the larger step). */
  double base = pow(10, floor(log10((dmax - dmin) / want)));
  static const double mult[] = {1, 2, 5, 10};
  double step = base, lo = 0, hi = 0;
  int n = 0, best = -1;
  for (int i = 0; i < 4; i++) {
    double s = base * mult[i];
    double l = floor(dmin / s + 1e-9) * s, h = ceil(dmax / s - 1e-9) * s;
    int c = (int)llround((h - l) / s) + 1;
    int d = abs(c - want);
    if (c <= CBC_MAX_TICKS && (best < 0 || d <= best))
      best = d, step = s, lo = l, hi = h, n = c;
  }
  t->lo = lo, t->hi = hi, t->step = step, t->n = n;
  for (int i = 0; i < n; i++) {
    double v = lo + i * step;
    if (fabs(v) < step * 1e-9) v = 0;
    t->v[i] = v;
  }
  int d = (int)-floor(log10(step) + 1e-9);
  t->decimals = d > 0 ? d : 0;
}

void cbc_fmt_fixed(double v, int decimals, char *buf, size_t len) {
  snprintf(buf, len, "%.*f", decimals, v);
  /* "-0", "-0.0": drop the sign of a zero */
  if (buf[0] == '-') {
    int zero = 1;
    for (const char *p = buf + 1; *p; p++)
      if (*p != '0' && *p != '.') zero = 0;
    if (zero) memmove(buf, buf + 1, strlen(buf));
  }
}

void cbc_fmt_sig(double v, int sig, char *buf, size_t len) {
  if (isinf(v)) {
    snprintf(buf, len, "%s", v > 0 ? "inf" : "-inf");
    return;
  }
  if (v == 0 || isnan(v)) {
    snprintf(buf, len, "%s", isnan(v) ? "nan" : "0");
    return;
  }
  double a = fabs(v);
  int mag = (int)floor(log10(a));
  int dec = sig - 1 - mag;
  if (dec < 0) dec = 0;
  if (a >= 1e9 || a < 1e-6) {
    snprintf(buf, len, "%.*g", sig, v);
    return;
  }
  cbc_fmt_fixed(v, dec, buf, len);
  if (strchr(buf, '.')) {
    size_t n = strlen(buf);
    while (n > 0 && buf[n - 1] == '0') buf[--n] = 0;
    if (n > 0 && buf[n - 1] == '.') buf[--n] = 0;
  }
}

void cbc_typeset_minus(char *buf, size_t len) {
  size_t n = strlen(buf);
  if (buf[0] != '-' || n + 3 > len) return;
  memmove(buf + 3, buf + 1, n); /* moves the terminator too */
  memcpy(buf, "\xe2\x88\x92", 3);
}

double cbc_lin_map(const cbc_lin *s, double v) {
  double dd = s->d1 - s->d0;
  if (dd == 0) return (s->r0 + s->r1) / 2;
  return s->r0 + (v - s->d0) / dd * (s->r1 - s->r0);
}
