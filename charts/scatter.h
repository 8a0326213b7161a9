/* Scatter plots: points with labels placed so they never overlap, the 1:1
 * line, the least-squares line of y on x and a box of metrics in the
 * emptiest corner; linear or log10 axes. */
#ifndef CBC_SCATTER_H
#define CBC_SCATTER_H

#include <stddef.h>

#include "plot.h"
#include "scale.h"

#define CBC_SCATTER_MAX_LINES 8

typedef struct cbc_scatter_spec {
  const double *x, *y;        /* n points; a pair with a non-finite value,
                                 or a value <= 0 on log axes, is left out */
  size_t n;
  const char *const *labels;  /* n labels (NULL entries: none), or NULL */
  int one_to_one;             /* draw y = x; both axes get the same range */
  int fit;                    /* draw the least-squares line of y on x */
  int log;                    /* log10 axes (fit and r on log10 values) */
  int metrics;                /* 1: a corner box of metrics */
  const char *const *lines;   /* nlines given lines replace the computed
                                 ones (n, r, R², the fit, RMSE) */
  size_t nlines;
  const char *xlabel, *ylabel;
  int has_color;
  cbc_rgb color;              /* the points (default: a dark blue) */
} cbc_scatter_spec;

typedef struct cbc_scatter_label {
  size_t point;               /* index of the point in the input */
  size_t drawn;               /* its index among the points drawn */
  cbc_rect box;               /* text box (mm) */
  int placed;                 /* 0: no room, not drawn */
  int leader;                 /* 1: set apart, with a leader line */
} cbc_scatter_label;

typedef struct cbc_scatter_layout {
  cbc_rect plot;              /* the data rectangle */
  cbc_ticks x, y;             /* linear: values; log: exponents of 10 */
  cbc_lin mx, my;             /* data (log10 data on log axes) -> mm */
  size_t n, dropped;          /* points drawn; points left out */
  double slope, intercept, r; /* least squares of y on x; NaN when n < 2
                                 or x is constant */
  int corner;                 /* metrics box: 0 top-left, 1 top-right,
                                 2 bottom-right, 3 bottom-left */
  cbc_rect box;               /* the metrics box (w = 0: none) */
  char lines[CBC_SCATTER_MAX_LINES][96];
  size_t nlines;
  cbc_scatter_label *labels;  /* nlabels, owned by the plot */
  size_t nlabels, nplaced;
} cbc_scatter_layout;

typedef struct cbc_scatter cbc_scatter;

/* Copies and checks the spec: x and y of equal length, at least one
 * drawable point, at most CBC_SCATTER_MAX_LINES given lines. NULL and e
 * filled otherwise. */
cbc_scatter *cbc_scatter_new(const cbc_scatter_spec *s, cb_err *e);
cbc_plot *cbc_scatter_plot(cbc_scatter *p);
const cbc_scatter_layout *cbc_scatter_layout_get(const cbc_scatter *p);

/* Least squares of y on x over the n pairs where both are finite: slope,
 * intercept and Pearson r (NaN when fewer than 2 pairs or x constant);
 * returns the number of pairs used. */
size_t cbc_scatter_fit(const double *x, const double *y, size_t n,
                       double *slope, double *intercept, double *r);

#endif
