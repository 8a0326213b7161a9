/* Line chart: copy, scales and layout, drawing. */
#include "line.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis.h"
#include "palette.h"

typedef struct series {
  char *name;
  double *x, *y;
  size_t n;
  int axis, marker, dashed;
  cbc_rgb color;
} series;

struct cbc_line {
  cbc_plot plot;
  series *s;
  size_t ns;
  char *xlabel, *ylabel, *y2label;
  int legend;
  cbc_line_spec opt;
  cbc_line_layout lay;
};

static void line_free(cbc_plot *p) {
  cbc_line *l = (cbc_line *)p;
  if (!l) return;
  for (size_t i = 0; i < l->ns; i++) {
    free(l->s[i].name);
    free(l->s[i].x);
    free(l->s[i].y);
  }
  free(l->s);
  free(l->xlabel);
  free(l->ylabel);
  free(l->y2label);
  free(l);
}

static int build_line(cbc_plot *p, cbc_rect box, cbc_text *tx,
                      const cbc_style *st, cb_err *e);
static void render_line(cbc_plot *p, cairo_t *cr, cbc_text *tx,
                        const cbc_style *st);

static int range_of(const cbc_line *l, int axis, int xs, double *lo, double *hi) {
  *lo = INFINITY, *hi = -INFINITY;
  for (size_t i = 0; i < l->ns; i++) {
    if (!xs && l->s[i].axis != axis) continue;
    for (size_t j = 0; j < l->s[i].n; j++) {
      double v = xs ? l->s[i].x[j] : l->s[i].y[j];
      if (!isfinite(v) || !isfinite(xs ? l->s[i].y[j] : l->s[i].x[j])) continue;
      *lo = fmin(*lo, v), *hi = fmax(*hi, v);
    }
  }
  return *lo <= *hi;
}

cbc_line *cbc_line_new(const cbc_line_spec *s, cb_err *e) {
  if (s->nseries < 1 || s->nseries > CBC_MAX_SERIES) {
    cb_err_set(e, "line: give 1 to %d series (got %zu)", CBC_MAX_SERIES, s->nseries);
    return NULL;
  }
  cbc_palette pal;
  if (cbc_palette_find(s->palette ? s->palette : "OkabeIto", &pal, e)) return NULL;
  cbc_line *l = calloc(1, sizeof *l);
  if (!l || !(l->s = calloc(s->nseries, sizeof *l->s))) goto oom;
  l->plot = (cbc_plot){CBC_PLOT_LINE, build_line, render_line, line_free};
  l->ns = s->nseries;
  l->opt = *s;
  l->legend = s->legend;
  cbc_rgb cols[CBC_MAX_SERIES];
  cbc_palette_classes(&pal, (int)s->nseries, cols);
  for (size_t i = 0; i < s->nseries; i++) {
    const cbc_series_spec *q = &s->series[i];
    series *d = &l->s[i];
    d->n = q->n, d->axis = q->axis ? 1 : 0, d->dashed = q->dashed;
    d->marker = q->marker < 0 ? (int)(i % 4) + 1 : q->marker;
    d->color = q->has_color ? q->color : cols[i];
    if ((q->name && !(d->name = cbc_strdup(q->name))) ||
        !(d->x = malloc((q->n ? q->n : 1) * sizeof(double))) ||
        !(d->y = malloc((q->n ? q->n : 1) * sizeof(double))))
      goto oom;
    if (q->n) {
      memcpy(d->x, q->x, q->n * sizeof(double));
      memcpy(d->y, q->y, q->n * sizeof(double));
    }
  }
  if ((s->xlabel && !(l->xlabel = cbc_strdup(s->xlabel))) ||
      (s->ylabel && !(l->ylabel = cbc_strdup(s->ylabel))) ||
      (s->y2label && !(l->y2label = cbc_strdup(s->y2label))))
    goto oom;
  double lo, hi;
  for (int ax = 0; ax < 2; ax++) {
    int used = 0;
    for (size_t i = 0; i < l->ns; i++) used |= l->s[i].axis == ax;
    if (used && !range_of(l, ax, 0, &lo, &hi)) {
      cb_err_set(e, "line: every value on the %s axis is missing (NaN)",
                 ax ? "right" : "left");
      goto fail;
    }
  }
  for (size_t i = 0; i < l->ns; i++) {
    double a = INFINITY, b = -INFINITY;
    for (size_t j = 0; j < l->s[i].n; j++)
      if (isfinite(l->s[i].y[j])) a = fmin(a, l->s[i].y[j]), b = fmax(b, l->s[i].y[j]);
    if (a == b)
      cb_warn("line: series '%s' has a single value (%g)",
              l->s[i].name ? l->s[i].name : "?", a);
  }
  return l;
oom:
  cb_err_set(e, "line: out of memory");
fail:
  line_free((cbc_plot *)l);
  return NULL;
}

cbc_plot *cbc_line_plot(cbc_line *l) { return &l->plot; }
const cbc_line_layout *cbc_line_layout_get(const cbc_line *l) { return &l->lay; }

#define KEYLINE 3.0 /* a short line in the series' style before its name */

static void end_name(const cbc_line *l, size_t i, int has_y2, char *buf,
                     size_t len) {
  snprintf(buf, len, "%s%s", l->s[i].name ? l->s[i].name : "",
           has_y2 && l->s[i].axis ? " (right)" : "");
}

/* Width of the widest series name (direct labels). */
static double end_width(const cbc_line *l, cbc_text *tx, const cbc_style *st) {
  double big = 0, w, h;
  char buf[112];
  for (size_t i = 0; i < l->ns; i++) {
    end_name(l, i, l->lay.has_y2, buf, sizeof buf);
    cbc_measure(tx, st, buf, st->pt, 0, &w, &h);
    big = fmax(big, w);
  }
  return big;
}

/* Names at the last point of each line, at x, moved apart vertically
 * (in order of their lines' ends) so that none overlaps another. */
static void place_ends(cbc_line *l, cbc_text *tx, const cbc_style *st,
                       double x) {
  cbc_line_layout *L = &l->lay;
  size_t order[CBC_MAX_SERIES], n = 0;
  char buf[112];
  for (size_t i = 0; i < l->ns; i++) {
    cbc_end_label *el = &L->ends[i];
    const series *s = &l->s[i];
    el->on = 0;
    for (size_t j = s->n; j-- > 0;)
      if (isfinite(s->x[j]) && isfinite(s->y[j])) {
        el->on = 1;
        el->x_end = cbc_lin_map(&L->mx, s->x[j]);
        el->y_end = cbc_lin_map(s->axis ? &L->my2 : &L->my, s->y[j]);
        break;
      }
    if (!el->on) continue;
    double w, h;
    end_name(l, i, L->has_y2, buf, sizeof buf);
    cbc_measure(tx, st, buf, st->pt, 0, &w, &h);
    el->box = (cbc_rect){x, el->y_end - h / 2, w, h};
    size_t k = n++; /* insertion by y */
    while (k > 0 && L->ends[order[k - 1]].y_end > el->y_end) order[k] = order[k - 1], k--;
    order[k] = i;
  }
  for (size_t k = 1; k < n; k++) { /* push down, then back up into the plot */
    cbc_rect *a = &L->ends[order[k - 1]].box, *b = &L->ends[order[k]].box;
    if (b->y < a->y + a->h) b->y = a->y + a->h;
  }
  double limit = L->plot.y + L->plot.h + 2;
  for (size_t k = n; k-- > 0;) {
    cbc_rect *b = &L->ends[order[k]].box;
    if (b->y + b->h > limit) b->y = limit - b->h;
    limit = b->y;
  }
}

/* The x ticks: about `want` nice ones inside the data range, which the
 * axis spans with 3 % to spare (years end where the data do). */
static void x_ticks(cbc_line *l, cbc_line_layout *L, int want) {
  double lo, hi;
  range_of(l, 0, 1, &lo, &hi);
  cbc_ticks_make(lo, hi, want, &L->x);
  if (lo < hi) {
    double pad = (hi - lo) * 0.03;
    L->x.lo = lo - pad, L->x.hi = hi + pad;
    int n = 0;
    for (int i = 0; i < L->x.n; i++)
      if (L->x.v[i] >= lo - 1e-9 && L->x.v[i] <= hi + 1e-9) L->x.v[n++] = L->x.v[i];
    L->x.n = n;
  }
}

/* Whether neighbouring x tick labels would touch in the plot's width. */
static int x_crowded(const cbc_line_layout *L, cbc_text *tx, const cbc_style *st) {
  double gap = L->x.step / (L->x.hi - L->x.lo) * L->plot.w;
  return gap < cbc_axis_label_width(&L->x, tx, st) * 1.2;
}

static int build_line(cbc_plot *p, cbc_rect box, cbc_text *tx,
                      const cbc_style *st, cb_err *e) {
  (void)e;
  cbc_line *l = (cbc_line *)p;
  cbc_line_layout *L = &l->lay;
  double lo, hi;
  x_ticks(l, L, 6);
  if (range_of(l, 0, 0, &lo, &hi)) {
    if (l->opt.has_ylim) lo = l->opt.ylim[0], hi = l->opt.ylim[1];
    cbc_ticks_make(lo, hi, 6, &L->y);
  } else {
    cbc_ticks_make(0, 1, 6, &L->y);
  }
  L->has_y2 = range_of(l, 1, 0, &lo, &hi);
  if (L->has_y2) {
    if (l->opt.has_y2lim) lo = l->opt.y2lim[0], hi = l->opt.y2lim[1];
    cbc_ticks_make(lo, hi, 6, &L->y2);
  }
  /* Key above the plot, unless the names go at the lines' ends. */
  L->nkey = 0;
  if (l->legend && !l->opt.direct_labels)
    for (size_t i = 0; i < l->ns; i++) {
      cbc_key_entry *k = &L->key[L->nkey++];
      memset(k, 0, sizeof *k);
      snprintf(k->label, sizeof k->label, "%s%s", l->s[i].name ? l->s[i].name : "",
               L->has_y2 && l->s[i].axis ? " (right)" : "");
      k->color = l->s[i].color, k->marker = l->s[i].marker, k->dashed = l->s[i].dashed;
    }
  double left = cbc_axis_margin(&L->y, CBC_LEFT, l->ylabel, tx, st);
  double y2m = L->has_y2 ? cbc_axis_margin(&L->y2, CBC_RIGHT, l->y2label, tx, st) : 0;
  double right = L->has_y2 ? y2m : 2;
  if (l->opt.direct_labels) right = y2m + 1.5 + KEYLINE + end_width(l, tx, st) + 0.5;
  double bottom = cbc_axis_margin(&L->x, CBC_BOTTOM, l->xlabel, tx, st);
  double keyh = cbc_key_layout(L->key, L->nkey, box.x + left, box.y,
                               box.w - left - right, tx, st);
  double top = keyh > 0 ? keyh + 1.5 : 1.5;
  L->plot = (cbc_rect){box.x + left, box.y + top, box.w - left - right,
                       box.h - top - bottom};
  if (L->plot.w < 5) L->plot.w = 5;
  if (L->plot.h < 5) L->plot.h = 5;
  /* fewer x ticks when their labels would touch (large text, narrow plot),
   * never fewer than two */
  for (int want = 5; want >= 2 && L->x.n > 2 && x_crowded(L, tx, st); want--) {
    cbc_ticks keep = L->x;
    x_ticks(l, L, want);
    if (L->x.n < 2) {
      L->x = keep;
      break;
    }
  }
  L->mx = (cbc_lin){L->x.lo, L->x.hi, L->plot.x, L->plot.x + L->plot.w};
  L->my = (cbc_lin){L->y.lo, L->y.hi, L->plot.y + L->plot.h, L->plot.y};
  L->my2 = (cbc_lin){L->y2.lo, L->y2.hi, L->plot.y + L->plot.h, L->plot.y};
  if (l->opt.direct_labels)
    place_ends(l, tx, st, L->plot.x + L->plot.w + y2m + 1.5 + KEYLINE);
  return 0;
}

/* Each name in ink after a short line in its series' style (journals
 * ask for keylines, not coloured text), joined to the line's end by a thin
 * leader when it had to move or sits beyond the right axis. */
static void draw_ends(cairo_t *cr, const cbc_line *l, cbc_text *tx,
                      const cbc_style *st) {
  const cbc_line_layout *L = &l->lay;
  char buf[112];
  for (size_t i = 0; i < l->ns; i++) {
    const cbc_end_label *el = &L->ends[i];
    if (!el->on) continue;
    const series *s = &l->s[i];
    cbc_rgb c = s->color;
    double ym = el->box.y + el->box.h / 2, k0 = el->box.x - KEYLINE;
    cairo_set_source_rgba(cr, c.r, c.g, c.b, 1);
    if (fabs(ym - el->y_end) > 0.3 || k0 - el->x_end > 2.5) {
      cairo_set_line_width(cr, 0.12);
      cairo_move_to(cr, el->x_end + 0.8, el->y_end);
      cairo_line_to(cr, k0, ym);
      cairo_stroke(cr);
    }
    cairo_set_line_width(cr, st->line_w * 1.95);
    if (s->dashed)
      cairo_set_dash(cr, (double[]){1.2 * st->line_w / 0.18, 0.7 * st->line_w / 0.18}, 2, 0);
    cairo_move_to(cr, k0, ym);
    cairo_line_to(cr, el->box.x - 0.6, ym);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    if (!st->draw_text) continue;
    end_name(l, i, L->has_y2, buf, sizeof buf);
    cbc_text_draw(cr, tx, buf, st->pt, 0, el->box.x, ym, 0, 0.5, 0, st->ink, 0, NULL);
  }
}

static void render_line(cbc_plot *p, cairo_t *cr, cbc_text *tx,
                        const cbc_style *st) {
  cbc_line *l = (cbc_line *)p;
  const cbc_line_layout *L = &l->lay;
  cairo_save(cr);
  cbc_axis_render(cr, &L->x, &L->mx, CBC_BOTTOM, L->plot, l->xlabel, tx, st);
  cbc_axis_render(cr, &L->y, &L->my, CBC_LEFT, L->plot, l->ylabel, tx, st);
  if (L->has_y2)
    cbc_axis_render(cr, &L->y2, &L->my2, CBC_RIGHT, L->plot, l->y2label, tx, st);
  cairo_rectangle(cr, L->plot.x, L->plot.y, L->plot.w, L->plot.h);
  cairo_clip(cr);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  for (size_t i = 0; i < l->ns; i++) {
    const series *s = &l->s[i];
    const cbc_lin *my = s->axis ? &L->my2 : &L->my;
    int pen = 0;
    cairo_new_path(cr);
    for (size_t j = 0; j < s->n; j++) {
      if (!isfinite(s->x[j]) || !isfinite(s->y[j])) {
        pen = 0;
        continue;
      }
      double x = cbc_lin_map(&L->mx, s->x[j]), y = cbc_lin_map(my, s->y[j]);
      if (pen) cairo_line_to(cr, x, y);
      else cairo_move_to(cr, x, y);
      pen = 1;
    }
    cairo_set_source_rgba(cr, s->color.r, s->color.g, s->color.b, 1);
    cairo_set_line_width(cr, st->line_w * 1.95); /* 0.35 mm by default */
    if (s->dashed) cairo_set_dash(cr, (double[]){1.2 * st->line_w / 0.18, 0.7 * st->line_w / 0.18}, 2, 0);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
  }
  cairo_reset_clip(cr);
  for (size_t i = 0; i < l->ns; i++) {
    const series *s = &l->s[i];
    const cbc_lin *my = s->axis ? &L->my2 : &L->my;
    for (size_t j = 0; j < s->n && s->marker; j++) {
      double y = cbc_lin_map(my, s->y[j]);
      if (isfinite(s->x[j]) && isfinite(s->y[j]) && y >= L->plot.y - 1e-6 &&
          y <= L->plot.y + L->plot.h + 1e-6)
        cbc_marker(cr, s->marker, cbc_lin_map(&L->mx, s->x[j]), y, 1.5 * st->pt / 7,
                   s->color);
    }
  }
  cbc_key_render(L->key, L->nkey, cr, tx, st);
  if (l->opt.direct_labels) draw_ends(cr, l, tx, st);
  cairo_restore(cr);
}
