/* Bar charts: copy, value scale, band layout, bar rectangles, drawing. */
#include "bars.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis.h"
#include "palette.h"

struct cbc_bars {
  cbc_plot plot;
  char **cats;
  size_t ncat, ns;
  char *names[CBC_MAX_BAR_SERIES];
  double *v[CBC_MAX_BAR_SERIES];
  cbc_rgb colors[CBC_MAX_BAR_SERIES];
  char *vlabel, *clabel, *net_label;
  cbc_bars_spec opt;
  cbc_bars_layout lay;
};

void cbc_bars_spec_defaults(cbc_bars_spec *s) {
  memset(s, 0, sizeof *s);
  s->pos_color = cbc_hex(0xd6604d);
  s->neg_color = cbc_hex(0x4393c3);
  s->legend = 1;
  s->net = -1;
}

static void bars_free(cbc_plot *p) {
  cbc_bars *b = (cbc_bars *)p;
  if (!b) return;
  for (size_t i = 0; i < b->ncat && b->cats; i++) free(b->cats[i]);
  free(b->cats);
  for (size_t i = 0; i < CBC_MAX_BAR_SERIES; i++) free(b->names[i]), free(b->v[i]);
  free(b->vlabel);
  free(b->clabel);
  free(b->lay.bars);
  free(b->lay.net);
  free(b->lay.net_at[0]);
  free(b->lay.net_at[1]);
  free(b->net_label);
  free(b);
}

static int build_bars(cbc_plot *p, cbc_rect box, cbc_text *tx,
                      const cbc_style *st, cb_err *e);
static void render_bars(cbc_plot *p, cairo_t *cr, cbc_text *tx,
                        const cbc_style *st);

/* The net totals of stacked categories, when asked or when the stacks mix
 * signs (a total is then no stack's end). */
static int setup_net(cbc_bars *b, const cbc_bars_spec *s) {
  cbc_bars_layout *L = &b->lay;
  int mixed = 0;
  if (!s->stacked || b->ns < 2 || s->net == 0) return 0;
  if (!(L->net = malloc(s->ncat * sizeof *L->net)) ||
      !(L->net_at[0] = calloc(s->ncat, sizeof(double))) ||
      !(L->net_at[1] = calloc(s->ncat, sizeof(double))) ||
      !(b->net_label = cbc_strdup(s->net_label ? s->net_label : "Net")))
    return -1;
  for (size_t i = 0; i < s->ncat; i++) {
    double sum = 0, pos = 0, neg = 0;
    size_t n = 0;
    for (size_t j = 0; j < b->ns; j++)
      if (isfinite(b->v[j][i])) {
        sum += b->v[j][i], n++;
        pos += b->v[j][i] > 0, neg += b->v[j][i] < 0;
      }
    L->net[i] = n ? sum : NAN;
    mixed |= pos && neg;
  }
  L->has_net = s->net > 0 || mixed;
  return 0;
}

cbc_bars *cbc_bars_new(const cbc_bars_spec *s, cb_err *e) {
  if (s->ncat < 1) {
    cb_err_set(e, "bars: no categories");
    return NULL;
  }
  if (s->nseries < 1 || s->nseries > CBC_MAX_BAR_SERIES) {
    cb_err_set(e, "bars: give 1 to %d series (got %zu)", CBC_MAX_BAR_SERIES,
               s->nseries);
    return NULL;
  }
  cbc_palette pal;
  if (cbc_palette_find(s->palette ? s->palette : "OkabeIto", &pal, e)) return NULL;
  cbc_bars *b = calloc(1, sizeof *b);
  if (!b || !(b->cats = calloc(s->ncat, sizeof *b->cats))) goto oom;
  b->plot = (cbc_plot){CBC_PLOT_BARS, build_bars, render_bars, bars_free};
  b->ncat = s->ncat, b->ns = s->nseries, b->opt = *s;
  cbc_palette_classes(&pal, (int)s->nseries, b->colors);
  size_t finite = 0;
  for (size_t i = 0; i < s->ncat; i++)
    if (s->categories && s->categories[i] &&
        !(b->cats[i] = cbc_strdup(s->categories[i])))
      goto oom;
  for (size_t j = 0; j < s->nseries; j++) {
    const cbc_bar_series *q = &s->series[j];
    if (q->has_color) b->colors[j] = q->color;
    if ((q->name && !(b->names[j] = cbc_strdup(q->name))) ||
        !(b->v[j] = malloc(s->ncat * sizeof(double))))
      goto oom;
    memcpy(b->v[j], q->v, s->ncat * sizeof(double));
    for (size_t i = 0; i < s->ncat; i++) finite += isfinite(q->v[i]) != 0;
  }
  if (!finite) {
    cb_err_set(e, "bars: all %zu values are missing (NaN)", s->ncat * s->nseries);
    goto fail;
  }
  if ((s->value_label && !(b->vlabel = cbc_strdup(s->value_label))) ||
      (s->cat_label && !(b->clabel = cbc_strdup(s->cat_label))))
    goto oom;
  if (!(b->lay.bars = calloc(s->ncat * s->nseries, sizeof *b->lay.bars))) goto oom;
  if (setup_net(b, s)) goto oom;
  return b;
oom:
  cb_err_set(e, "bars: out of memory");
fail:
  bars_free((cbc_plot *)b);
  return NULL;
}

cbc_plot *cbc_bars_plot(cbc_bars *b) { return &b->plot; }
const cbc_bars_layout *cbc_bars_layout_get(const cbc_bars *b) { return &b->lay; }
size_t cbc_bars_ncat(const cbc_bars *b) { return b->ncat; }

/* Value range including 0 (bars start at zero) and stack sums. */
static void value_range(const cbc_bars *b, double *lo, double *hi) {
  *lo = 0, *hi = 0;
  for (size_t i = 0; i < b->ncat; i++) {
    double pos = 0, neg = 0;
    for (size_t j = 0; j < b->ns; j++) {
      double v = b->v[j][i];
      if (!isfinite(v)) continue;
      if (b->opt.stacked) {
        if (v > 0) pos += v;
        else neg += v;
      } else {
        *lo = fmin(*lo, v), *hi = fmax(*hi, v);
      }
    }
    *lo = fmin(*lo, neg), *hi = fmax(*hi, pos);
  }
}

static double max_cat_w(const cbc_bars *b, cbc_text *tx, const cbc_style *st,
                        double *h) {
  double mw = 0, w;
  *h = st->pt * CBC_MM_PER_PT * 1.2;
  for (size_t i = 0; i < b->ncat; i++) {
    cbc_measure(tx, st, b->cats[i], st->pt, 0, &w, h);
    mw = fmax(mw, w);
  }
  return mw;
}

/* Where each net marker goes: the category's centre at its total. */
static void place_net(cbc_bars *b) {
  cbc_bars_layout *L = &b->lay;
  int hz = b->opt.horizontal;
  for (size_t i = 0; i < b->ncat && L->has_net; i++) {
    double c = (hz ? L->plot.y : L->plot.x) + L->band * (i + 0.5);
    double v = cbc_lin_map(&L->mv, L->net[i]);
    L->net_at[0][i] = hz ? v : c;
    L->net_at[1][i] = hz ? c : v;
  }
}

static void place_bars(cbc_bars *b) {
  cbc_bars_layout *L = &b->lay;
  int hz = b->opt.horizontal, grouped = !b->opt.stacked && b->ns > 1;
  double inner = L->band * 0.75;
  double bw = grouped ? inner / b->ns : inner;
  L->nbars = 0;
  for (size_t i = 0; i < b->ncat; i++) {
    double c0 = (hz ? L->plot.y : L->plot.x) + L->band * i + (L->band - inner) / 2;
    double pos = 0, neg = 0;
    for (size_t j = 0; j < b->ns; j++) {
      double v = b->v[j][i];
      if (!isfinite(v)) continue;
      double base = 0;
      if (b->opt.stacked) {
        base = v > 0 ? pos : neg;
        if (v > 0) pos += v;
        else neg += v;
      }
      double a = cbc_lin_map(&L->mv, base), t = cbc_lin_map(&L->mv, base + v);
      double s = grouped ? c0 + bw * j : c0;
      cbc_bar_rect *r = &L->bars[L->nbars++];
      r->cat = i, r->series = j;
      r->color = b->opt.diverging && b->ns == 1 ? (v >= 0 ? b->opt.pos_color : b->opt.neg_color)
                                  : b->colors[j];
      if (hz) r->r = (cbc_rect){fmin(a, t), s, fabs(t - a), bw};
      else r->r = (cbc_rect){s, fmin(a, t), bw, fabs(t - a)};
    }
  }
}

static int build_bars(cbc_plot *p, cbc_rect box, cbc_text *tx,
                      const cbc_style *st, cb_err *e) {
  (void)e;
  cbc_bars *b = (cbc_bars *)p;
  cbc_bars_layout *L = &b->lay;
  int hz = b->opt.horizontal;
  double lo, hi, ch;
  value_range(b, &lo, &hi);
  cbc_ticks_make(lo, hi, hz ? 5 : 6, &L->vt);
  L->nkey = 0;
  /* A key only for several series: sign colours explain themselves. */
  if (b->opt.legend && b->ns > 1) {
    for (size_t j = 0; j < b->ns; j++) {
      cbc_key_entry *k = &L->key[L->nkey++];
      memset(k, 0, sizeof *k);
      k->box = 1;
      snprintf(k->label, sizeof k->label, "%s", b->names[j] ? b->names[j] : "");
      k->color = b->colors[j];
    }
    if (L->has_net) {
      cbc_key_entry *k = &L->key[L->nkey++];
      memset(k, 0, sizeof *k);
      k->box = 2, k->marker = 4, k->color = st->ink;
      snprintf(k->label, sizeof k->label, "%s", b->net_label);
    }
  }
  double cw = max_cat_w(b, tx, st, &ch);
  double keyh = 0;
  if (hz) {
    double left = cw + 2.0 + (b->clabel ? ch + 1.2 : 0);
    double bottom = cbc_axis_margin(&L->vt, CBC_BOTTOM, b->vlabel, tx, st);
    keyh = cbc_key_layout(L->key, L->nkey, box.x + left, box.y, box.w - left, tx, st);
    double top = keyh > 0 ? keyh + 1.5 : 1.0;
    L->plot = (cbc_rect){box.x + left, box.y + top, box.w - left - 2.0,
                         box.h - top - bottom};
    L->band = L->plot.h / b->ncat;
    L->mv = (cbc_lin){L->vt.lo, L->vt.hi, L->plot.x, L->plot.x + L->plot.w};
  } else {
    double left = cbc_axis_margin(&L->vt, CBC_LEFT, b->vlabel, tx, st);
    keyh = cbc_key_layout(L->key, L->nkey, box.x + left, box.y, box.w - left, tx, st);
    double top = keyh > 0 ? keyh + 1.5 : 1.5;
    double band = (box.w - left - 2.0) / b->ncat;
    L->rotate_labels = cw > band * 0.95;
    double bottom = 2.0 + (L->rotate_labels ? cw : ch) + (b->clabel ? ch + 1.0 : 0);
    L->plot = (cbc_rect){box.x + left, box.y + top, box.w - left - 2.0,
                         box.h - top - bottom};
    L->band = L->plot.w / b->ncat;
    L->mv = (cbc_lin){L->vt.lo, L->vt.hi, L->plot.y + L->plot.h, L->plot.y};
  }
  if (L->plot.w < 5) L->plot.w = 5;
  if (L->plot.h < 5) L->plot.h = 5;
  /* Labels side by side along the category axis need their line height
   * (rotated or horizontal bars) per band: label every n-th otherwise. */
  double need = hz || L->rotate_labels ? ch * 1.05 : cw * 1.1;
  L->label_every = 1;
  if (L->band > 0 && need > L->band)
    L->label_every = (int)ceil(need / L->band);
  place_bars(b);
  place_net(b);
  return 0;
}

static void render_bars(cbc_plot *p, cairo_t *cr, cbc_text *tx,
                        const cbc_style *st) {
  cbc_bars *b = (cbc_bars *)p;
  const cbc_bars_layout *L = &b->lay;
  int hz = b->opt.horizontal;
  cairo_save(cr);
  for (size_t i = 0; i < L->nbars; i++) {
    const cbc_bar_rect *r = &L->bars[i];
    cairo_rectangle(cr, r->r.x, r->r.y, r->r.w, r->r.h);
    cairo_set_source_rgba(cr, r->color.r, r->color.g, r->color.b, 1);
    cairo_fill(cr);
  }
  /* the zero line, when zero is inside the range */
  double z = cbc_lin_map(&L->mv, 0);
  cairo_set_source_rgba(cr, st->ink.r, st->ink.g, st->ink.b, 1);
  cairo_set_line_width(cr, st->line_w);
  if (L->vt.lo < 0 && L->vt.hi > 0) {
    if (hz) {
      cairo_move_to(cr, z, L->plot.y);
      cairo_line_to(cr, z, L->plot.y + L->plot.h);
    } else {
      cairo_move_to(cr, L->plot.x, z);
      cairo_line_to(cr, L->plot.x + L->plot.w, z);
    }
    cairo_stroke(cr);
  }
  /* value axis with ticks; category axis as a plain line with labels */
  cbc_axis_render(cr, &L->vt, &L->mv, hz ? CBC_BOTTOM : CBC_LEFT, L->plot,
                  b->vlabel, tx, st);
  cairo_set_source_rgba(cr, st->ink.r, st->ink.g, st->ink.b, 1);
  cairo_set_line_width(cr, st->line_w);
  if (hz) {
    cairo_move_to(cr, L->plot.x, L->plot.y);
    cairo_line_to(cr, L->plot.x, L->plot.y + L->plot.h);
  } else {
    cairo_move_to(cr, L->plot.x, L->plot.y + L->plot.h);
    cairo_line_to(cr, L->plot.x + L->plot.w, L->plot.y + L->plot.h);
  }
  cairo_stroke(cr);
  double cw = 0, ch;
  if (b->clabel) cw = max_cat_w(b, tx, st, &ch);
  for (size_t i = 0; i < b->ncat; i += (size_t)L->label_every) {
    double c = (hz ? L->plot.y : L->plot.x) + L->band * (i + 0.5);
    if (hz)
      cbc_label(cr, tx, st, b->cats[i], st->pt, 0, L->plot.x - 1.2, c, 1, 0.5, 0);
    else if (L->rotate_labels)
      cbc_label(cr, tx, st, b->cats[i], st->pt, 0, c, L->plot.y + L->plot.h + 1.2,
                1, 0.5, 90);
    else
      cbc_label(cr, tx, st, b->cats[i], st->pt, 0, c, L->plot.y + L->plot.h + 1.2,
                0.5, 0, 0);
  }
  if (b->clabel) {
    if (hz)
      cbc_label(cr, tx, st, b->clabel, st->pt, 0, L->plot.x - cw - 2.4,
                L->plot.y + L->plot.h / 2, 0.5, 1, 90);
    else
      cbc_label(cr, tx, st, b->clabel, st->pt, 0, L->plot.x + L->plot.w / 2,
                L->plot.y + L->plot.h + 2.0 + (L->rotate_labels ? cw : ch), 0.5, 0, 0);
  }
  for (size_t i = 0; i < b->ncat && L->has_net; i++)
    if (isfinite(L->net[i]))
      cbc_marker(cr, 4, L->net_at[0][i], L->net_at[1][i], 2.0, st->ink);
  cbc_key_render(L->key, L->nkey, cr, tx, st);
  cairo_restore(cr);
}
