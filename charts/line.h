/* Line charts: several series against a shared x, markers, a key above
 * the plot or names at the lines' ends, and an optional secondary y axis
 * on the right. */
#ifndef CBC_LINE_H
#define CBC_LINE_H

#include <stddef.h>

#include "key.h"
#include "plot.h"
#include "scale.h"

#define CBC_MAX_SERIES 32

typedef struct cbc_series_spec {
  const char *name;
  const double *x, *y;    /* n points; NaN y leaves a gap */
  size_t n;
  int axis;               /* 0 left, 1 right */
  int has_color;
  cbc_rgb color;          /* default: the palette's i-th colour */
  int marker;             /* -1 auto (by series), 0 none, 1..4 */
  int dashed;
} cbc_series_spec;

typedef struct cbc_line_spec {
  const cbc_series_spec *series;
  size_t nseries;
  const char *xlabel, *ylabel, *y2label;
  int legend;             /* key above the plot (1) */
  int direct_labels;      /* names at the series' ends instead of a key */
  const char *palette;    /* OkabeIto */
  int has_ylim, has_y2lim;
  double ylim[2], y2lim[2];
} cbc_line_spec;

/* A series name written at the end of its line (direct labels). */
typedef struct cbc_end_label {
  int on;
  double x_end, y_end;    /* the line's last point, mm */
  cbc_rect box;           /* the text, moved apart from the others */
} cbc_end_label;

typedef struct cbc_line_layout {
  cbc_rect plot;          /* the data rectangle */
  cbc_ticks x, y, y2;
  int has_y2;
  cbc_lin mx, my, my2;    /* data -> mm */
  cbc_key_entry key[CBC_MAX_SERIES];
  size_t nkey;
  cbc_end_label ends[CBC_MAX_SERIES]; /* direct labels, one per series */
} cbc_line_layout;

typedef struct cbc_line cbc_line;

/* Copies and checks the spec: at least one series, equal x/y lengths, a
 * finite value per axis; a single-valued series gets a range around it. */
cbc_line *cbc_line_new(const cbc_line_spec *s, cb_err *e);
cbc_plot *cbc_line_plot(cbc_line *l);
const cbc_line_layout *cbc_line_layout_get(const cbc_line *l);

#endif
