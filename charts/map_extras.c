/* Map furniture and extras: north arrow, scale bar, graticule (lines or
 * frame ticks labelled 118°E / 32°N), a zoomed inset marked on the map,
 * and a locator map of the larger area. */
#include "map_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- scale bar and north arrow ---------------------------------------- */

#define SB_H 1.0

static double text_h(const cbc_style *st) { return st->pt * CBC_MM_PER_PT * 1.2; }

void cbc_scalebar_size(const cbc_map *m, double kx, double max_mm,
                       cbc_text *tx, const cbc_style *st, cbc_scalebar *sb,
                       double *w, double *h) {
  double zw, nw, uw, th;
  if (cbc_scalebar_make(kx, m->lay.geographic, m->lay.lat_mid, max_mm, sb)) {
    memset(sb, 0, sizeof *sb);
    *w = *h = 0;
    return;
  }
  char num[32];
  cbc_fmt_sig(sb->metres / sb->unit_div, 6, num, sizeof num);
  cbc_measure(tx, st, "0", st->pt, 0, &zw, &th);
  cbc_measure(tx, st, num, st->pt, 0, &nw, &th);
  cbc_measure(tx, st, sb->unit, st->pt, 0, &uw, &th);
  *w = zw / 2 + sb->mm + nw / 2 + 0.8 + uw;
  *h = SB_H + 0.5 + text_h(st);
}

void cbc_draw_scalebar(cairo_t *cr, const cbc_map *m, cbc_text *tx,
                       const cbc_style *st) {
  const cbc_scalebar *sb = &m->lay.sb;
  double zw, th, nw, nh;
  cbc_measure(tx, st, "0", st->pt, 0, &zw, &th);
  double x0 = m->lay.sb_box.x + zw / 2, y0 = m->lay.sb_box.y;
  double seg = sb->mm / sb->segments;
  cbc_rgb k = st->ink;
  for (int i = 0; i < sb->segments; i++) {
    cairo_rectangle(cr, x0 + i * seg, y0, seg, SB_H);
    if (i % 2 == 0) cairo_set_source_rgba(cr, k.r, k.g, k.b, 1);
    else cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    cairo_set_source_rgba(cr, k.r, k.g, k.b, 1);
    cairo_set_line_width(cr, 0.1);
    cairo_stroke(cr);
  }
  char num[32];
  cbc_label(cr, tx, st, "0", st->pt, 0, x0, y0 + SB_H + 0.5, 0.5, 0, 0);
  cbc_fmt_sig(sb->metres / sb->unit_div, 6, num, sizeof num);
  cbc_measure(tx, st, num, st->pt, 0, &nw, &nh);
  cbc_label(cr, tx, st, num, st->pt, 0, x0 + sb->mm, y0 + SB_H + 0.5, 0.5, 0, 0);
  cbc_label(cr, tx, st, sb->unit, st->pt, 0, x0 + sb->mm + nw / 2 + 0.8,
            y0 + SB_H + 0.5, 0, 0, 0);
}

void cbc_draw_north(cairo_t *cr, const cbc_map *m, cbc_text *tx,
                    const cbc_style *st) {
  cbc_rect b = m->lay.north_box;
  double cx = b.x + b.w / 2, top = b.y + b.h * 0.36, bot = b.y + b.h;
  double hw = b.w / 2;
  cbc_rgb k = st->ink;
  cbc_label(cr, tx, st, "N", st->pt, 0, cx, b.y, 0.5, 0, 0);
  cairo_new_path(cr);
  cairo_move_to(cr, cx, top);
  cairo_line_to(cr, cx - hw, bot);
  cairo_line_to(cr, cx, bot - (bot - top) * 0.28);
  cairo_close_path(cr);
  cairo_set_source_rgba(cr, k.r, k.g, k.b, 1);
  cairo_fill(cr);
  cairo_move_to(cr, cx, top);
  cairo_line_to(cr, cx + hw, bot);
  cairo_line_to(cr, cx, bot - (bot - top) * 0.28);
  cairo_close_path(cr);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_fill_preserve(cr);
  cairo_set_source_rgba(cr, k.r, k.g, k.b, 1);
  cairo_set_line_width(cr, 0.12);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
  cairo_stroke(cr);
}

/* ---- graticule -------------------------------------------------------- */

#define TICK 1.0
#define TPAD 0.6

/* "118°E", "31.5°N", "0°", "2°W". */
static void deg_label(double v, int lon, char *buf, size_t len) {
  char num[12];
  cbc_fmt_sig(fabs(v), 6, num, sizeof num);
  const char *h = v == 0 ? "" : lon ? (v > 0 ? "E" : "W") : (v > 0 ? "N" : "S");
  snprintf(buf, len, "%s\u00b0%s", num, h);
}

double cbc_grat_margin(const cbc_map *m, cbc_text *tx, const cbc_style *st,
                       int side) {
  if (side >= 2) return TICK + 0.2;
  double big = 0, w, h;
  char buf[32];
  for (size_t i = 0; i < m->ngrat; i++) {
    if (m->grat[i].lon != (side == 0)) continue;
    deg_label(m->grat[i].value, m->grat[i].lon, buf, sizeof buf);
    cbc_measure(tx, st, buf, st->pt, 0, &w, &h);
    big = fmax(big, side == 0 ? h : w);
  }
  return TICK + TPAD + big + 0.3;
}

static void add_tick(cbc_map_layout *L, double x, double y, int side,
                     const cbc_gratline *g) {
  if (L->ngticks >= CBC_MAX_GTICKS) return;
  cbc_gtick *t = &L->gticks[L->ngticks++];
  t->x = x, t->y = y, t->side = side, t->label[0] = 0;
  if (side <= 1) deg_label(g->value, g->lon, t->label, sizeof t->label);
}

/* Where segment (x0,y0)-(x1,y1) crosses the frame's edges: meridians get
 * ticks at the bottom and top, parallels at the left and right. */
static void cross(cbc_map_layout *L, const cbc_gratline *g, double x0,
                  double y0, double x1, double y1) {
  cbc_rect f = L->frame;
  if (g->lon) {
    double ys[2] = {f.y + f.h, f.y};
    for (int k = 0; k < 2; k++)
      if ((y0 - ys[k]) * (y1 - ys[k]) < 0 || (y1 == ys[k] && y0 != y1)) {
        double x = x0 + (ys[k] - y0) / (y1 - y0) * (x1 - x0);
        if (x >= f.x && x <= f.x + f.w) add_tick(L, x, ys[k], k ? 2 : 0, g);
      }
  } else {
    double xs[2] = {f.x, f.x + f.w};
    for (int k = 0; k < 2; k++)
      if ((x0 - xs[k]) * (x1 - xs[k]) < 0 || (x1 == xs[k] && x0 != x1)) {
        double y = y0 + (xs[k] - x0) / (x1 - x0) * (y1 - y0);
        if (y >= f.y && y <= f.y + f.h) add_tick(L, xs[k], y, k ? 3 : 1, g);
      }
  }
}

void cbc_grat_ticks(cbc_map *m) {
  cbc_map_layout *L = &m->lay;
  L->ngticks = 0;
  for (size_t i = 0; i < m->ngrat; i++) {
    const cbc_gratline *g = &m->grat[i];
    double px = 0, py = 0;
    for (size_t j = 0; j < g->n; j++) {
      double x, y;
      cbc_map_project(m, g->xy[2 * j], g->xy[2 * j + 1], &x, &y);
      if (j) cross(L, g, px, py, x, y);
      px = x, py = y;
    }
  }
}

static void grat_lines(cairo_t *cr, const cbc_map *m) {
  cbc_rect f = m->lay.frame;
  cairo_save(cr);
  cairo_rectangle(cr, f.x, f.y, f.w, f.h);
  cairo_clip(cr);
  cairo_set_source_rgba(cr, 0.45, 0.45, 0.45, 0.6);
  cairo_set_line_width(cr, 0.1);
  for (size_t i = 0; i < m->ngrat; i++) {
    cairo_new_path(cr);
    for (size_t j = 0; j < m->grat[i].n; j++) {
      double x, y;
      cbc_map_project(m, m->grat[i].xy[2 * j], m->grat[i].xy[2 * j + 1], &x, &y);
      if (j) cairo_line_to(cr, x, y);
      else cairo_move_to(cr, x, y);
    }
    cairo_stroke(cr);
  }
  cairo_restore(cr);
}

void cbc_draw_grat(cairo_t *cr, const cbc_map *m, cbc_text *tx,
                   const cbc_style *st) {
  const cbc_map_layout *L = &m->lay;
  if (m->opt.grat_lines) grat_lines(cr, m);
  cbc_rect f = L->frame;
  cbc_rgb k = st->ink;
  cairo_set_source_rgba(cr, k.r, k.g, k.b, 1);
  cairo_set_line_width(cr, st->line_w);
  cairo_rectangle(cr, f.x, f.y, f.w, f.h);
  cairo_stroke(cr);
  double last[2] = {-HUGE_VAL, -HUGE_VAL}; /* labels that would touch: skip */
  for (size_t i = 0; i < L->ngticks; i++) {
    const cbc_gtick *t = &L->gticks[i];
    double dx = t->side == 1 ? -TICK : t->side == 3 ? TICK : 0;
    double dy = t->side == 0 ? TICK : t->side == 2 ? -TICK : 0;
    cairo_move_to(cr, t->x, t->y);
    cairo_line_to(cr, t->x + dx, t->y + dy);
    cairo_stroke(cr);
    if (!t->label[0]) continue;
    double w, h;
    cbc_measure(tx, st, t->label, st->pt, 0, &w, &h);
    double at = t->side == 0 ? t->x : t->y, size = t->side == 0 ? w : h;
    if (fabs(at - last[t->side]) < size + 0.8) continue;
    last[t->side] = at;
    if (t->side == 0)
      cbc_label(cr, tx, st, t->label, st->pt, 0, t->x, t->y + TICK + TPAD, 0.5, 0, 0);
    else
      cbc_label(cr, tx, st, t->label, st->pt, 0, t->x - TICK - TPAD, t->y, 1, 0.5, 0);
  }
}

/* ---- inset and locator ------------------------------------------------ */

static void box_bg(cairo_t *cr, cbc_rect b) {
  cairo_rectangle(cr, b.x, b.y, b.w, b.h);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_fill(cr);
}

static void box_frame(cairo_t *cr, cbc_rect b, cbc_rgb c, double w) {
  cairo_rectangle(cr, b.x, b.y, b.w, b.h);
  cairo_set_source_rgba(cr, c.r, c.g, c.b, 1);
  cairo_set_line_width(cr, w);
  cairo_stroke(cr);
}

void cbc_draw_inset(cairo_t *cr, const cbc_map *m, cbc_text *tx,
                    const cbc_style *st) {
  const cbc_map_layout *L = &m->lay;
  const double *ib = m->opt.inset_bbox;
  double x0, y0, x1, y1;
  cbc_map_project(m, ib[0], ib[3], &x0, &y0);
  cbc_map_project(m, ib[2], ib[1], &x1, &y1);
  box_frame(cr, (cbc_rect){x0, y0, x1 - x0, y1 - y0}, st->ink, 0.25);
  cbc_rect b = L->inset.box;
  cairo_save(cr);
  box_bg(cr, b);
  cairo_rectangle(cr, b.x, b.y, b.w, b.h);
  cairo_clip(cr);
  cbc_draw_fills(cr, m, &L->inset_map, L->inset_map.kx / L->kx);
  if (m->labels) cbc_map_draw_labels(cr, m, tx, st, 1);
  cairo_restore(cr);
  box_frame(cr, b, st->ink, 0.25);
}

void cbc_draw_locator(cairo_t *cr, const cbc_map *m, const cbc_style *st) {
  const cbc_map_layout *L = &m->lay;
  cbc_rect b = L->locator.box;
  cairo_save(cr);
  box_bg(cr, b);
  cairo_rectangle(cr, b.x, b.y, b.w, b.h);
  cairo_clip(cr);
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
  const cb_polyset *hl = m->highlight ? m->highlight : m->polys;
  for (int pass = 0; pass < 2; pass++) {
    const cb_polyset *ps = pass ? hl : m->locator;
    cairo_new_path(cr);
    for (size_t i = 0; i < ps->n; i++)
      cbc_path_polygon(cr, &ps->polys[i], &L->locator_map);
    if (pass) cairo_set_source_rgb(cr, 0.80, 0.15, 0.12);
    else cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, pass ? 0.55 : 0.5, pass ? 0.1 : 0.5, pass ? 0.08 : 0.5);
    cairo_set_line_width(cr, 0.06);
    cairo_stroke(cr);
  }
  cairo_restore(cr);
  box_frame(cr, b, st->ink, 0.15);
}
