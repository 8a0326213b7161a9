/* Axis lines, ticks, tick labels and axis titles. */
#include "axis.h"

#include <stdio.h>

#define TICK 1.0   /* tick length, mm (outwards) */
#define PAD 0.8    /* tick to label */

static double max_label_w(const cbc_ticks *t, cbc_text *tx,
                          const cbc_style *st, double *h) {
  double mw = 0;
  char buf[48];
  *h = 0;
  for (int i = 0; i < t->n; i++) {
    double w, hh;
    cbc_fmt_fixed(t->v[i], t->decimals, buf, sizeof buf);
    cbc_typeset_minus(buf, sizeof buf);
    cbc_measure(tx, st, buf, st->pt, 0, &w, &hh);
    if (w > mw) mw = w;
    if (hh > *h) *h = hh;
  }
  return mw;
}

double cbc_axis_label_width(const cbc_ticks *t, cbc_text *tx,
                            const cbc_style *st) {
  double h;
  return max_label_w(t, tx, st, &h);
}

double cbc_axis_margin(const cbc_ticks *t, cbc_side side, const char *title,
                       cbc_text *tx, const cbc_style *st) {
  double h, w = max_label_w(t, tx, st, &h);
  double tw = 0, th = 0;
  if (title && *title) cbc_measure(tx, st, title, st->pt, 0, &tw, &th);
  if (side == CBC_BOTTOM)
    return TICK + PAD + h + (title && *title ? th + PAD : 0);
  return TICK + PAD + w + (title && *title ? th + PAD * 1.5 : 0);
}

void cbc_axis_render(cairo_t *cr, const cbc_ticks *t, const cbc_lin *map,
                     cbc_side side, cbc_rect r, const char *title,
                     cbc_text *tx, const cbc_style *st) {
  const cbc_rgb k = st->ink;
  cairo_set_source_rgba(cr, k.r, k.g, k.b, k.a);
  cairo_set_line_width(cr, st->line_w);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_SQUARE);
  double ax = side == CBC_LEFT ? r.x : r.x + r.w, ay = r.y + r.h;
  if (side == CBC_BOTTOM) {
    cairo_move_to(cr, r.x, ay);
    cairo_line_to(cr, r.x + r.w, ay);
  } else {
    cairo_move_to(cr, ax, r.y);
    cairo_line_to(cr, ax, r.y + r.h);
  }
  cairo_stroke(cr);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
  char buf[48];
  double lh, lw = max_label_w(t, tx, st, &lh);
  for (int i = 0; i < t->n; i++) {
    double p = cbc_lin_map(map, t->v[i]);
    cbc_fmt_fixed(t->v[i], t->decimals, buf, sizeof buf);
    cbc_typeset_minus(buf, sizeof buf);
    cairo_set_source_rgba(cr, k.r, k.g, k.b, k.a);
    if (side == CBC_BOTTOM) {
      cairo_move_to(cr, p, ay);
      cairo_line_to(cr, p, ay + TICK);
      cairo_stroke(cr);
      cbc_label(cr, tx, st, buf, st->pt, 0, p, ay + TICK + PAD, 0.5, 0, 0);
    } else {
      double d = side == CBC_LEFT ? -1 : 1;
      cairo_move_to(cr, ax, p);
      cairo_line_to(cr, ax + d * TICK, p);
      cairo_stroke(cr);
      cbc_label(cr, tx, st, buf, st->pt, 0, ax + d * (TICK + PAD), p,
                side == CBC_LEFT ? 1 : 0, 0.5, 0);
    }
  }
  if (!title || !*title) return;
  if (side == CBC_BOTTOM)
    cbc_label(cr, tx, st, title, st->pt, 0, r.x + r.w / 2,
              ay + TICK + PAD + lh + PAD, 0.5, 0, 0);
  else if (side == CBC_LEFT)
    cbc_label(cr, tx, st, title, st->pt, 0, ax - TICK - PAD - lw - PAD * 1.5,
              r.y + r.h / 2, 0.5, 1, 90);
  else
    cbc_label(cr, tx, st, title, st->pt, 0, ax + TICK + PAD + lw + PAD * 1.5,
              r.y + r.h / 2, 0.5, 1, -90);
}
