/* Scales and ticks: nice numbers (Heckbert), tick sets covering a data
 * range, linear maps from data to millimetres, number labels. */
#ifndef CBC_SCALE_H
#define CBC_SCALE_H

#include <stddef.h>

#define CBC_MAX_TICKS 32

/* The nice number near x > 0 from {1, 2, 5} x 10^k: the nearest one when
 * round is set, else the smallest one >= x. */
double cbc_nice_num(double x, int round);

/* Ticks for a data range: lo..hi is the axis extent (whole steps covering
 * the data), v[0..n) the tick values, step their spacing, decimals the
 * digits a label needs. */
typedef struct cbc_ticks {
  double lo, hi, step;
  int n, decimals;
  double v[CBC_MAX_TICKS];
} cbc_ticks;

/* Fills t for data in [dmin, dmax] with about `want` ticks (2..12). A
 * single value (dmin == dmax) gets a range around it; non-finite input
 * gives 0..1. Never fails. */
void cbc_ticks_make(double dmin, double dmax, int want, cbc_ticks *t);

/* Formats v with a fixed number of decimals (no "-0"). */
void cbc_fmt_fixed(double v, int decimals, char *buf, size_t len);

/* Formats v with `sig` significant digits, no exponent for |v| < 1e9 and
 * no trailing zeros: 0.234, 12.5, 40, 12346. */
void cbc_fmt_sig(double v, int sig, char *buf, size_t len);

/* Replaces a leading hyphen-minus by the typographic minus U+2212 (as
 * journals print it), in place within len bytes. */
void cbc_typeset_minus(char *buf, size_t len);

/* A linear map from data [d0, d1] to millimetres [r0, r1]. */
typedef struct cbc_lin {
  double d0, d1, r0, r1;
} cbc_lin;

double cbc_lin_map(const cbc_lin *s, double v);

#endif
