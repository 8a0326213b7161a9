/* Map legends: class, category and ramp entries (with the centre of a
 * diverging palette marked), their layout, and drawing on an optional
 * white box. */
#include "key.h"
#include "map_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define SWATCH_W 4.0
#define SWATCH_H 2.6
#define LEG_GAP 1.2

static void legend_title(cbc_map *m) {
  cbc_map_layout *L = &m->lay;
  L->legend_title[0] = 0;
  if (m->title && m->units)
    snprintf(L->legend_title, sizeof L->legend_title, "%s (%s)", m->title, m->units);
  else if (m->title || m->units)
    snprintf(L->legend_title, sizeof L->legend_title, "%s", m->title ? m->title : m->units);
}

static void centre_text(double c, char *buf, size_t len) {
  char num[24];
  cbc_fmt_sig(c, 6, num, sizeof num);
  cbc_typeset_minus(num, sizeof num);
  snprintf(buf, len, "%s (centre)", num);
}

/* Where the centre mark goes among k classes: after class j - 1 when the
 * centre is edge j, after the class holding it otherwise; -1: not shown. */
static int centre_slot(const cbc_map *m) {
  const cbc_map_layout *L = &m->lay;
  if (!m->centered || m->mode != MODE_CLASSES) return -1;
  for (int j = 1; j < L->k; j++)
    if (L->edges[j] == m->center) return j;
  int c = cbc_class_of(m->center, L->edges, L->k);
  if (m->center < L->edges[0] || m->center > L->edges[L->k]) return -1;
  return c + 1;
}

static void class_entries(cbc_map *m) {
  cbc_map_layout *L = &m->lay;
  int slot = centre_slot(m);
  for (int i = 0; i <= L->k; i++) {
    if (i == slot) {
      cbc_legend_entry *en = &L->entries[L->nentries++];
      memset(en, 0, sizeof *en);
      centre_text(m->center, en->label, sizeof en->label);
      en->centre = 1;
      en->color = (cbc_rgb){0.1, 0.1, 0.1, 1};
    }
    if (i == L->k) break;
    cbc_legend_entry *en = &L->entries[L->nentries++];
    memset(en, 0, sizeof *en);
    if (m->mode == MODE_CAT) {
      snprintf(en->label, sizeof en->label, "%s", m->cats[i] ? m->cats[i] : "");
      en->symbol = m->symbols[i];
    } else {
      cbc_class_label(L->edges, L->k, i, en->label, sizeof en->label);
    }
    en->color = L->class_colors[i];
  }
}

/* The ramp of a continuous legend; returns its width with tick labels. */
static double ramp_size(cbc_map *m, cbc_text *tx, const cbc_style *st,
                        double top, double *h) {
  cbc_map_layout *L = &m->lay;
  double lh = st->pt * CBC_MM_PER_PT * 1.45, lw = 0, tw, th = 0;
  L->ramp = 1;
  cbc_ticks_make(m->vmin, m->vmax, 5, &L->ramp_ticks);
  double rh = fmin(28.0, lh * 7);
  char buf[48];
  for (int i = 0; i < L->ramp_ticks.n; i++) {
    cbc_fmt_fixed(L->ramp_ticks.v[i], L->ramp_ticks.decimals, buf, sizeof buf);
    cbc_typeset_minus(buf, sizeof buf);
    cbc_measure(tx, st, buf, st->pt, 0, &tw, &th);
    lw = fmax(lw, tw);
  }
  double left = 0; /* the centre's label goes left of the ramp */
  if (m->centered && m->center >= L->ramp_ticks.lo && m->center <= L->ramp_ticks.hi) {
    centre_text(m->center, buf, sizeof buf);
    cbc_measure(tx, st, buf, st->pt, 0, &tw, &th);
    left = tw + 1.4;
  }
  L->ramp_box = (cbc_rect){left, top + th / 2, 3.0, rh};
  *h = rh + th;
  return left + 3.0 + 1.8 + lw;
}

void cbc_legend_size(cbc_map *m, cbc_text *tx, const cbc_style *st, double *w,
                     double *h) {
  cbc_map_layout *L = &m->lay;
  double lh = st->pt * CBC_MM_PER_PT * 1.45, tw, th;
  legend_title(m);
  *w = 0, *h = 0;
  if (L->legend_title[0]) {
    cbc_measure(tx, st, L->legend_title, st->pt, 0, &tw, &th);
    L->legend_title_box = (cbc_rect){0, 0, tw, th};
    *w = tw, *h = th + 0.8;
  }
  L->nentries = 0, L->ramp = 0;
  if (m->mode == MODE_CONT) {
    double rh;
    *w = fmax(*w, ramp_size(m, tx, st, *h, &rh));
    *h += rh;
  } else {
    class_entries(m);
  }
  if (L->nodata_count) {
    cbc_legend_entry *en = &L->entries[L->nentries++];
    memset(en, 0, sizeof *en);
    snprintf(en->label, sizeof en->label, "%s", m->nodata_label);
    en->color = m->opt.nodata_color;
    en->nodata = 1;
  }
  double y = *h + (L->ramp ? 0.8 : 0);
  for (size_t i = 0; i < L->nentries; i++) {
    cbc_legend_entry *en = &L->entries[i];
    cbc_measure(tx, st, en->label, st->pt, 0, &tw, &th);
    double sh = en->centre ? 0.5 : SWATCH_H;
    en->swatch = (cbc_rect){0, y + (lh - sh) / 2, SWATCH_W, sh};
    en->text = (cbc_rect){SWATCH_W + LEG_GAP, y + (lh - th) / 2, tw, th};
    *w = fmax(*w, SWATCH_W + LEG_GAP + tw);
    y += lh;
  }
  *h = y;
  L->legend_box = (cbc_rect){0, 0, *w, *h};
}

void cbc_legend_shift(cbc_map_layout *L, double x, double y) {
  L->legend_box.x = x, L->legend_box.y = y;
  L->legend_title_box.x += x, L->legend_title_box.y += y;
  L->ramp_box.x += x, L->ramp_box.y += y;
  for (size_t i = 0; i < L->nentries; i++) {
    L->entries[i].swatch.x += x, L->entries[i].swatch.y += y;
    L->entries[i].text.x += x, L->entries[i].text.y += y;
  }
}

static double ramp_t(const cbc_map *m, double v) {
  if (m->centered) {
    double dev = fmax(fabs(m->vmax - m->center), fabs(m->vmin - m->center));
    return dev > 0 ? 0.5 + 0.5 * (v - m->center) / dev : 0.5;
  }
  return m->vmax > m->vmin ? (v - m->vmin) / (m->vmax - m->vmin) : 0.5;
}

static void draw_ramp(cairo_t *cr, const cbc_map *m, cbc_text *tx,
                      const cbc_style *st) {
  const cbc_map_layout *L = &m->lay;
  cbc_rect r = L->ramp_box;
  int steps = 64;
  double v0 = L->ramp_ticks.lo, v1 = L->ramp_ticks.hi;
  for (int i = 0; i < steps; i++) { /* high values on top */
    double v = v1 - (v1 - v0) * (i + 0.5) / steps;
    cbc_rgb c = cbc_palette_at(&m->pal, ramp_t(m, v));
    cairo_set_source_rgba(cr, c.r, c.g, c.b, 1);
    cairo_rectangle(cr, r.x, r.y + r.h * i / steps, r.w, r.h / steps + 0.05);
    cairo_fill(cr);
  }
  cbc_lin map = {v0, v1, r.y + r.h, r.y};
  char buf[48];
  cairo_set_source_rgba(cr, st->ink.r, st->ink.g, st->ink.b, 1);
  cairo_set_line_width(cr, st->line_w * 0.8);
  for (int i = 0; i < L->ramp_ticks.n; i++) {
    double y = cbc_lin_map(&map, L->ramp_ticks.v[i]);
    cairo_move_to(cr, r.x + r.w, y);
    cairo_line_to(cr, r.x + r.w + 0.8, y);
    cairo_stroke(cr);
    cbc_fmt_fixed(L->ramp_ticks.v[i], L->ramp_ticks.decimals, buf, sizeof buf);
    cbc_typeset_minus(buf, sizeof buf);
    cbc_label(cr, tx, st, buf, st->pt, 0, r.x + r.w + 1.4, y, 0, 0.5, 0);
  }
  if (m->centered && m->center >= v0 && m->center <= v1) {
    double y = cbc_lin_map(&map, m->center);
    cairo_set_line_width(cr, 0.35);
    cairo_move_to(cr, r.x - 0.6, y);
    cairo_line_to(cr, r.x + r.w + 0.8, y);
    cairo_stroke(cr);
    centre_text(m->center, buf, sizeof buf);
    cbc_label(cr, tx, st, buf, st->pt, 0, r.x - 1.0, y, 1, 0.5, 0);
  }
}

static void draw_box(cairo_t *cr, const cbc_map *m) {
  cbc_rect b = m->lay.legend.box;
  cairo_rectangle(cr, b.x, b.y, b.w, b.h);
  cairo_set_source_rgba(cr, 1, 1, 1, m->opt.legend_opacity);
  cairo_fill_preserve(cr);
  cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
  cairo_set_line_width(cr, 0.1);
  cairo_stroke(cr);
}

/* A line or dot symbol in swatch s: the line across its middle, the dot
 * at its centre. */
static void draw_symbol(cairo_t *cr, const cbc_legend_entry *en, cbc_rect s) {
  cbc_rgb c = en->color;
  double y = s.y + s.h / 2;
  if (en->symbol == CBC_SYM_LINE || en->symbol == CBC_SYM_PATH) {
    cairo_new_path(cr);
    cairo_move_to(cr, s.x, y);
    cairo_line_to(cr, s.x + s.w, y);
    cairo_set_source_rgba(cr, c.r, c.g, c.b, 1);
    cairo_set_line_width(cr, en->symbol == CBC_SYM_LINE ? 0.6 : 0.35);
    cairo_stroke(cr);
  }
  if (en->symbol == CBC_SYM_POINT || en->symbol == CBC_SYM_PATH)
    cbc_marker(cr, 1, s.x + s.w / 2, y, fmin(s.h, 2.2), c);
}

static void draw_entry(cairo_t *cr, const cbc_legend_entry *en, cbc_text *tx,
                       const cbc_style *st) {
  cbc_rect s = en->swatch;
  if (en->symbol != CBC_SYM_FILL && !en->nodata && !en->centre) {
    draw_symbol(cr, en, s);
    cbc_label(cr, tx, st, en->label, st->pt, 0, en->text.x, en->text.y, 0, 0, 0);
    return;
  }
  cairo_new_path(cr);
  cairo_rectangle(cr, s.x, s.y, s.w, s.h);
  if (en->centre) {
    cairo_set_source_rgba(cr, en->color.r, en->color.g, en->color.b, 1);
    cairo_fill(cr);
  } else {
    if (en->nodata) {
      cbc_hatch_path(cr, en->color);
      cairo_rectangle(cr, s.x, s.y, s.w, s.h);
    } else {
      cairo_set_source_rgba(cr, en->color.r, en->color.g, en->color.b, 1);
      cairo_fill_preserve(cr);
    }
    cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
    cairo_set_line_width(cr, 0.08);
    cairo_stroke(cr);
  }
  cbc_label(cr, tx, st, en->label, st->pt, 0, en->text.x, en->text.y, 0, 0, 0);
}

void cbc_legend_draw(cairo_t *cr, const cbc_map *m, cbc_text *tx,
                     const cbc_style *st) {
  const cbc_map_layout *L = &m->lay;
  if (L->legend_bg) draw_box(cr, m);
  if (L->legend_title[0])
    cbc_label(cr, tx, st, L->legend_title, st->pt, 0, L->legend_title_box.x,
              L->legend_title_box.y, 0, 0, 0);
  if (L->ramp) draw_ramp(cr, m, tx, st);
  for (size_t i = 0; i < L->nentries; i++) draw_entry(cr, &L->entries[i], tx, st);
}
