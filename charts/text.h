/* Text through pango (fontconfig fallback, so Chinese names render): a
 * font family list, measuring and drawing in millimetres. */
#ifndef CBC_TEXT_H
#define CBC_TEXT_H

#include <cairo.h>

#include "chart.h"

/* The house font: Chinese glyphs from WenQuanYi Micro Hei, the rest from
 * DejaVu Sans where WenQuanYi lacks them. */
#define CBC_HOUSE_FONT "WenQuanYi Micro Hei, DejaVu Sans"

typedef struct cbc_text cbc_text;

/* A text engine for the comma-separated family list `font` (NULL: the
 * house font). Families that fontconfig does not know are dropped with a
 * warning (cb_warn); when none is left the house font is used. Returns
 * NULL only when out of memory. */
cbc_text *cbc_text_new(const char *font);
void cbc_text_free(cbc_text *t);

/* The family list actually used. */
const char *cbc_text_family(const cbc_text *t);

/* 1 when fontconfig knows the family (case-insensitive; "sans", "serif"
 * and "monospace" always count). */
int cbc_font_known(const char *family);

/* Size in mm of s set at pt points (bold when bold is set). */
void cbc_text_size(cbc_text *t, const char *s, double pt, int bold,
                   double *w, double *h);

/* Number of characters of s that no installed font can draw (they would
 * show as boxes). */
int cbc_text_missing(cbc_text *t, const char *s);

/* Draws s with its box anchored at (x, y) mm: ax = 0 left, 0.5 centre,
 * 1 right of the box; ay likewise top to bottom. rot_deg turns the text
 * counter-clockwise around the anchor. halo > 0 strokes a white outline of
 * that width (mm) under the text. Fills *box (may be NULL) with the
 * unrotated box. */
void cbc_text_draw(cairo_t *cr, cbc_text *t, const char *s, double pt,
                   int bold, double x, double y, double ax, double ay,
                   double rot_deg, cbc_rgb color, double halo, cbc_rect *box);

#endif
