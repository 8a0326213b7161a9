/* Keys (legends) of line and bar charts: entries laid out in rows above a
 * plot, then drawn as a line/marker or a filled box with a label. */
#ifndef CBC_KEY_H
#define CBC_KEY_H

#include <stddef.h>

#include "plot.h"

typedef struct cbc_key_entry {
  char label[96];
  cbc_rgb color;
  int box;            /* 1: filled box; 0: line with marker; 2: marker */
  int marker;         /* 0 none, 1 circle, 2 square, 3 triangle, 4 diamond */
  int dashed;
  cbc_rect swatch;    /* computed */
  cbc_rect text;      /* computed */
} cbc_key_entry;

/* Lays entries out left to right from (x, y), wrapping at width w; returns
 * the height used (0 for no entries). */
double cbc_key_layout(cbc_key_entry *k, size_t n, double x, double y,
                      double w, cbc_text *tx, const cbc_style *st);

void cbc_key_render(const cbc_key_entry *k, size_t n, cairo_t *cr,
                    cbc_text *tx, const cbc_style *st);

/* Draws a marker of the given kind centred at (x, y), size mm across. */
void cbc_marker(cairo_t *cr, int kind, double x, double y, double size,
                cbc_rgb color);

#endif
