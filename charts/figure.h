/* A figure: a page of w x h millimetres holding a grid of panels, each with
 * an optional title and one plot; saved as PNG (at a dpi), PDF or SVG by
 * the file's extension, atomically. */
#ifndef CBC_FIGURE_H
#define CBC_FIGURE_H

#include <cairo.h>
#include <stddef.h>

#include "core/cb.h"
#include "plot.h"

typedef struct cbc_figure_opts {
  double width_mm, height_mm;   /* 183 x 120 */
  double dpi;                   /* PNG resolution (300) */
  const char *font;             /* family list; NULL: the house font */
  const char *title;            /* NULL: none */
  double font_pt;               /* base text size (7) */
  int draw_text;                /* 0: skip all text (golden images) */
  /* A theme's look (0 / NULL: the defaults in parentheses). */
  double title_pt, label_pt;    /* panel titles (8/7 of font_pt), map
                                   labels (5.5/7 of font_pt) */
  double line_w, edge_w;        /* axes and frames (0.18 mm), polygon
                                   edges (0.08 mm) */
  double margin, gap;           /* page margin (2 mm), between panels
                                   (4 mm) */
  int has_ink;
  cbc_rgb ink;                  /* text and axes (#212121) */
  const char *palettes[3];      /* defaults: sequential (YlOrRd),
                                   diverging (RdBu_r), qualitative
                                   (OkabeIto) */
} cbc_figure_opts;

void cbc_figure_defaults(cbc_figure_opts *o);

typedef struct cbc_figure cbc_figure;

/* A new empty figure; fails on sizes outside 10..2000 mm or dpi outside
 * 30..2400. An unknown font falls back to the house font with a warning. */
cbc_figure *cbc_figure_new(const cbc_figure_opts *o, cb_err *e);
void cbc_figure_free(cbc_figure *f);

/* Adds a panel at row, col (1-based) spanning rowspan x colspan cells;
 * returns its index (0-based) or -1. Overlapping panels are an error. */
int cbc_figure_panel(cbc_figure *f, int row, int col, int rowspan,
                     int colspan, const char *title, cb_err *e);

/* Gives panel i its plot; the figure takes ownership (also on failure).
 * A panel holds one plot: a second one is an error. */
int cbc_figure_set_plot(cbc_figure *f, int i, cbc_plot *p, cb_err *e);

size_t cbc_figure_npanels(const cbc_figure *f);

/* Relative widths of the grid's columns (or heights of its rows), e.g.
 * {1, 1, 0.4}; columns beyond n get weight 1. Fails on a weight <= 0 or
 * more than 50 weights. */
int cbc_figure_weights(cbc_figure *f, int rows, const double *w, size_t n,
                       cb_err *e);

/* Lays out all panels and builds their plots (done by render and save
 * too; call it to read layouts). */
int cbc_figure_layout(cbc_figure *f, cb_err *e);

/* The content box of panel i (below its title) after layout, in mm. */
cbc_rect cbc_figure_panel_box(const cbc_figure *f, int i);

/* Draws the whole figure on cr, whose user space must be millimetres. */
int cbc_figure_render(cbc_figure *f, cairo_t *cr, cb_err *e);

/* A new RGB image of the figure at its dpi on white (no alpha: journals
 * want opaque PNGs); the caller destroys it. NULL with e filled on
 * failure. */
cairo_surface_t *cbc_figure_image(cbc_figure *f, cb_err *e);

/* Writes path as .png, .pdf or .svg (by extension, case-insensitive)
 * through a temporary file and a rename; on failure nothing is left. */
int cbc_figure_save(cbc_figure *f, const char *path, cb_err *e);

/* The figure's default palette of a kind: 0 sequential, 1 diverging, 2
 * qualitative. */
const char *cbc_figure_palette(const cbc_figure *f, int kind);

/* The plot of panel i (NULL when it has none yet). */
cbc_plot *cbc_figure_panel_plot(const cbc_figure *f, int i);

#endif
