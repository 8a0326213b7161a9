/* The interface every panel content (map, line chart, bars, legend)
 * implements, and the figure-wide style it draws with. Build computes the
 * layout as plain data inside the plot; render only draws that layout. */
#ifndef CBC_PLOT_H
#define CBC_PLOT_H

#include <cairo.h>

#include "chart.h"
#include "core/cb.h"
#include "text.h"

typedef struct cbc_style {
  double pt;          /* ticks, legends, labels (7 pt) */
  double pt_small;    /* map labels (5.5 pt) */
  double pt_title;    /* panel and axis titles (8 pt) */
  double line_w;      /* axis and frame lines, mm */
  double edge_w;      /* polygon edges of maps, mm (0.08) */
  cbc_rgb ink;        /* axes and text */
  int draw_text;      /* 0 for text-free renders (golden images) */
} cbc_style;

/* Journal defaults scaled from a base text size in points (7). */
void cbc_style_defaults(cbc_style *s, double base_pt);

typedef enum {
  CBC_PLOT_MAP = 1, CBC_PLOT_LINE, CBC_PLOT_BARS, CBC_PLOT_SCATTER
} cbc_plot_kind;

typedef struct cbc_plot cbc_plot;
struct cbc_plot {
  cbc_plot_kind kind;
  /* Lays the plot out inside box (mm); fills the plot's layout data. */
  int (*build)(cbc_plot *p, cbc_rect box, cbc_text *tx, const cbc_style *st,
               cb_err *e);
  /* Draws the built layout. */
  void (*render)(cbc_plot *p, cairo_t *cr, cbc_text *tx, const cbc_style *st);
  void (*free)(cbc_plot *p);
};

/* Draws text only when the style allows it (see cbc_text_draw). */
void cbc_label(cairo_t *cr, cbc_text *tx, const cbc_style *st, const char *s,
               double pt, int bold, double x, double y, double ax, double ay,
               double rot);

/* Text size, or a box of the right height and zero width when text is off
 * (so layouts stay the same shape with and without text). */
void cbc_measure(cbc_text *tx, const cbc_style *st, const char *s, double pt,
                 int bold, double *w, double *h);

/* Copies a string (NULL stays NULL); NULL on out of memory. */
char *cbc_strdup(const char *s);

#endif
