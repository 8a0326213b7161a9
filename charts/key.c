/* Chart keys: row layout and drawing. */
#include "key.h"

#include <math.h>

#define SW_W 5.0   /* swatch width, mm */
#define GAP 1.2    /* swatch to text */
#define SEP 3.5    /* between entries */

double cbc_key_layout(cbc_key_entry *k, size_t n, double x, double y,
                      double w, cbc_text *tx, const cbc_style *st) {
  if (n == 0) return 0;
  double lh = st->pt * CBC_MM_PER_PT * 1.35;
  double cx = x, cy = y;
  for (size_t i = 0; i < n; i++) {
    double tw, th;
    cbc_measure(tx, st, k[i].label, st->pt, 0, &tw, &th);
    double ew = SW_W + GAP + tw;
    if (cx > x && cx + ew > x + w) cx = x, cy += lh;
    double sh = k[i].box == 1 ? lh * 0.6 : lh;
    double sw = k[i].box == 1 ? lh * 0.6 * 1.4 : k[i].box == 2 ? lh * 0.7 : SW_W;
    k[i].swatch = (cbc_rect){cx, cy + (lh - sh) / 2, sw, sh};
    k[i].text = (cbc_rect){cx + k[i].swatch.w + GAP, cy + (lh - th) / 2, tw, th};
    cx = k[i].text.x + tw + SEP;
  }
  return cy + lh - y;
}

void cbc_marker(cairo_t *cr, int kind, double x, double y, double size,
                cbc_rgb c) {
  double r = size / 2;
  cairo_new_path(cr);
  switch (kind) {
  case 1: cairo_arc(cr, x, y, r, 0, 2 * M_PI); break;
  case 2: cairo_rectangle(cr, x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7); break;
  case 3:
    cairo_move_to(cr, x, y - r * 1.1);
    cairo_line_to(cr, x + r, y + r * 0.7);
    cairo_line_to(cr, x - r, y + r * 0.7);
    cairo_close_path(cr);
    break;
  case 4:
    cairo_move_to(cr, x, y - r * 1.15);
    cairo_line_to(cr, x + r, y);
    cairo_line_to(cr, x, y + r * 1.15);
    cairo_line_to(cr, x - r, y);
    cairo_close_path(cr);
    break;
  default: return;
  }
  cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
  cairo_fill_preserve(cr);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_set_line_width(cr, size * 0.12);
  cairo_stroke(cr);
}

void cbc_key_render(const cbc_key_entry *k, size_t n, cairo_t *cr,
                    cbc_text *tx, const cbc_style *st) {
  for (size_t i = 0; i < n; i++) {
    const cbc_rect s = k[i].swatch;
    const cbc_rgb c = k[i].color;
    if (k[i].box == 2) {
      cbc_marker(cr, k[i].marker, s.x + s.w / 2, s.y + s.h / 2, 2.0, c);
    } else if (k[i].box) {
      cairo_rectangle(cr, s.x, s.y, s.w, s.h);
      cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
      cairo_fill(cr);
    } else {
      double my = s.y + s.h / 2;
      cairo_move_to(cr, s.x, my);
      cairo_line_to(cr, s.x + s.w, my);
      cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
      cairo_set_line_width(cr, st->line_w * 1.95);
      if (k[i].dashed) cairo_set_dash(cr, (double[]){1.2 * st->line_w / 0.18, 0.7 * st->line_w / 0.18}, 2, 0);
      cairo_stroke(cr);
      cairo_set_dash(cr, NULL, 0, 0);
      cbc_marker(cr, k[i].marker, s.x + s.w / 2, my, 1.5 * st->pt / 7, c);
    }
    cbc_label(cr, tx, st, k[i].label, st->pt, 0, k[i].text.x, k[i].text.y, 0,
              0, 0);
  }
}
