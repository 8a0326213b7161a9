/* Axes of line and bar charts: tick marks and labels along one side of a
 * plot rectangle, and the margin they need. */
#ifndef CBC_AXIS_H
#define CBC_AXIS_H

#include "plot.h"
#include "scale.h"

typedef enum { CBC_BOTTOM, CBC_LEFT, CBC_RIGHT } cbc_side;

/* The widest tick label of t (mm), to thin ticks whose labels would touch. */
double cbc_axis_label_width(const cbc_ticks *t, cbc_text *tx,
                            const cbc_style *st);

/* Space in mm an axis needs beside the plot for its tick labels and title. */
double cbc_axis_margin(const cbc_ticks *t, cbc_side side, const char *title,
                       cbc_text *tx, const cbc_style *st);

/* Draws the axis line, ticks and labels along `side` of rect, mapping tick
 * values with map (data -> mm along the axis). */
void cbc_axis_render(cairo_t *cr, const cbc_ticks *t, const cbc_lin *map,
                     cbc_side side, cbc_rect r, const char *title,
                     cbc_text *tx, const cbc_style *st);

#endif
