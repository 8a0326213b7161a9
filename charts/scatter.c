/* Scatter plot: copy and metrics, axes (linear or log10), the corner box,
 * label placement without overlaps, drawing. */
#include "scatter.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis.h"
#include "key.h"

#define DOT 1.6   /* point diameter, mm */
#define GAP 0.5   /* point edge to its label, mm */
#define INSET 1.5 /* metrics box to the plot's edges, mm */
#define PAD 1.0   /* metrics box padding, mm */

struct cbc_scatter {
  cbc_plot plot;
  double *x, *y;      /* drawable points, log10 values on log axes */
  size_t *idx;        /* their index in the input */
  char **label;       /* per drawable point, NULL: none */
  size_t n, dropped;
  int one_to_one, fit, log, metrics, warned;
  char *xlabel, *ylabel;
  cbc_rgb color;
  cbc_scatter_layout lay;
};

static void scatter_free(cbc_plot *p) {
  cbc_scatter *s = (cbc_scatter *)p;
  if (!s) return;
  for (size_t i = 0; s->label && i < s->n; i++) free(s->label[i]);
  free(s->label);
  free(s->x);
  free(s->y);
  free(s->idx);
  free(s->xlabel);
  free(s->ylabel);
  free(s->lay.labels);
  free(s);
}

static int build_scatter(cbc_plot *p, cbc_rect box, cbc_text *tx,
                         const cbc_style *st, cb_err *e);
static void render_scatter(cbc_plot *p, cairo_t *cr, cbc_text *tx,
                           const cbc_style *st);

size_t cbc_scatter_fit(const double *x, const double *y, size_t n,
                       double *slope, double *intercept, double *r) {
  double mx = 0, my = 0;
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (isfinite(x[i]) && isfinite(y[i])) mx += x[i], my += y[i], k++;
  *slope = *intercept = *r = NAN;
  if (k < 2) return k;
  mx /= (double)k, my /= (double)k;
  double sxx = 0, syy = 0, sxy = 0;
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(x[i]) || !isfinite(y[i])) continue;
    double dx = x[i] - mx, dy = y[i] - my;
    sxx += dx * dx, syy += dy * dy, sxy += dx * dy;
  }
  if (!(sxx > 0)) return k;
  *slope = sxy / sxx;
  *intercept = my - *slope * mx;
  *r = syy > 0 ? sxy / sqrt(sxx * syy) : NAN;
  return k;
}

/* The computed lines of the metrics box: n, r, R², the fit, RMSE. */
static void computed_lines(cbc_scatter *s, const double *rx, const double *ry) {
  cbc_scatter_layout *L = &s->lay;
  char a[32], b[32], c[32];
  size_t k = 0;
  snprintf(L->lines[k++], 96, "n = %zu", s->n);
  if (isfinite(L->r)) {
    cbc_fmt_sig(L->r, 3, a, sizeof a);
    cbc_fmt_sig(L->r * L->r, 3, b, sizeof b);
    snprintf(L->lines[k++], 96, "r = %s", a);
    snprintf(L->lines[k++], 96, "R² = %s", b);
  }
  if (isfinite(L->slope)) {
    cbc_fmt_sig(L->slope, 3, a, sizeof a);
    cbc_fmt_sig(fabs(L->intercept), 3, b, sizeof b);
    snprintf(L->lines[k++], 96, s->log ? "log y = %s log x %s %s"
             : "y = %sx %s %s", a, L->intercept < 0 ? "−" : "+", b);
  }
  if (s->one_to_one) {
    double ss = 0;
    for (size_t i = 0; i < s->n; i++) ss += (ry[i] - rx[i]) * (ry[i] - rx[i]);
    cbc_fmt_sig(sqrt(ss / (double)s->n), 3, c, sizeof c);
    snprintf(L->lines[k++], 96, "RMSE = %s", c);
  }
  for (size_t i = 0; i < k; i++) cbc_typeset_minus(L->lines[i], 96);
  L->nlines = k;
}

/* Keeps the drawable points (and their labels); 0 or -1 on no memory. */
static int copy_points(cbc_scatter *s, const cbc_scatter_spec *q,
                       double *rx, double *ry) {
  size_t m = q->n ? q->n : 1;
  if (!(s->x = malloc(m * sizeof *s->x)) || !(s->y = malloc(m * sizeof *s->y)) ||
      !(s->idx = malloc(m * sizeof *s->idx)) ||
      !(s->label = calloc(m, sizeof *s->label)))
    return -1;
  for (size_t i = 0; i < q->n; i++) {
    double x = q->x[i], y = q->y[i];
    if (!isfinite(x) || !isfinite(y) || (q->log && (x <= 0 || y <= 0))) {
      s->dropped++;
      continue;
    }
    size_t k = s->n++;
    rx[k] = x, ry[k] = y;
    s->x[k] = q->log ? log10(x) : x;
    s->y[k] = q->log ? log10(y) : y;
    s->idx[k] = i;
    if (q->labels && q->labels[i] && q->labels[i][0] &&
        !(s->label[k] = cbc_strdup(q->labels[i])))
      return -1;
  }
  return 0;
}

static int set_lines(cbc_scatter *s, const cbc_scatter_spec *q, cb_err *e) {
  cbc_scatter_layout *L = &s->lay;
  if (q->nlines > CBC_SCATTER_MAX_LINES)
    return cb_err_set(e, "scatter: at most %d metrics lines (got %zu)",
                      CBC_SCATTER_MAX_LINES, q->nlines);
  for (size_t i = 0; i < q->nlines; i++)
    snprintf(L->lines[i], 96, "%s", q->lines[i] ? q->lines[i] : "");
  L->nlines = q->nlines;
  return 0;
}

cbc_scatter *cbc_scatter_new(const cbc_scatter_spec *q, cb_err *e) {
  cbc_scatter *s = calloc(1, sizeof *s);
  double *rx = malloc((q->n ? q->n : 1) * sizeof *rx);
  double *ry = malloc((q->n ? q->n : 1) * sizeof *ry);
  if (!s || !rx || !ry) goto oom;
  s->plot = (cbc_plot){CBC_PLOT_SCATTER, build_scatter, render_scatter,
                       scatter_free};
  s->one_to_one = q->one_to_one, s->fit = q->fit, s->log = q->log;
  s->metrics = q->metrics;
  s->color = q->has_color ? q->color : cbc_hex(0x2b5d8a);
  if (copy_points(s, q, rx, ry)) goto oom;
  if ((q->xlabel && !(s->xlabel = cbc_strdup(q->xlabel))) ||
      (q->ylabel && !(s->ylabel = cbc_strdup(q->ylabel))))
    goto oom;
  if (s->n == 0) {
    cb_err_set(e, "scatter: none of the %zu points can be drawn (every pair "
               "has a missing value%s)", q->n, q->log ? " or one <= 0, which "
               "log axes cannot show" : "");
    goto fail;
  }
  cbc_scatter_fit(s->x, s->y, s->n, &s->lay.slope, &s->lay.intercept,
                  &s->lay.r);
  if (q->lines ? set_lines(s, q, e) : (computed_lines(s, rx, ry), 0)) goto fail;
  s->lay.n = s->n, s->lay.dropped = s->dropped;
  free(rx);
  free(ry);
  return s;
oom:
  cb_err_set(e, "scatter: out of memory");
fail:
  free(rx);
  free(ry);
  scatter_free((cbc_plot *)s);
  return NULL;
}

cbc_plot *cbc_scatter_plot(cbc_scatter *s) { return &s->plot; }
const cbc_scatter_layout *cbc_scatter_layout_get(const cbc_scatter *s) {
  return &s->lay;
}

/* ---- axes ---- */

/* Log10 ticks for data in [lo, hi] (log10 values): the extent is the data
 * padded by 4 %; ticks at the decades inside it (every other one when
 * there are many), or at 1, 2 and 5 times them when fewer than three
 * decades fall inside. */
static void log_ticks(double lo, double hi, cbc_ticks *t) {
  memset(t, 0, sizeof *t);
  double pad = fmax((hi - lo) * 0.04, 0.02);
  double a = lo - pad, b = hi + pad;
  t->lo = a, t->hi = b;
  double k0 = ceil(a - 1e-9), k1 = floor(b + 1e-9);
  if (k1 - k0 >= 2) {
    t->step = ceil((k1 - k0 + 1) / 8);
    for (double v = ceil(k0 / t->step) * t->step; v <= k1 + 1e-9 &&
         t->n < CBC_MAX_TICKS; v += t->step)
      t->v[t->n++] = v;
    return;
  }
  static const double m[] = {1, 2, 5};
  for (double k = k0 - 1; k <= k1 && t->n < CBC_MAX_TICKS - 3; k++)
    for (int i = 0; i < 3; i++) {
      double v = k + log10(m[i]);
      if (v >= a - 1e-9 && v <= b + 1e-9) t->v[t->n++] = v;
    }
  if (t->n < 2) { /* a tiny range: the decades around it */
    t->lo = t->v[0] = floor(a), t->hi = t->v[1] = ceil(b);
    if (t->hi <= t->lo) t->hi = t->v[1] = t->lo + 1;
    t->n = 2;
  }
}

static void log_label(double v, char *buf, size_t len) {
  cbc_fmt_sig(pow(10, v), 1, buf, len);
}

static double log_margin(const cbc_ticks *t, cbc_side side, const char *title,
                         cbc_text *tx, const cbc_style *st) {
  double mw = 0, mh = 0, tw, th = 0, w, h;
  char buf[48];
  for (int i = 0; i < t->n; i++) {
    log_label(t->v[i], buf, sizeof buf);
    cbc_measure(tx, st, buf, st->pt, 0, &w, &h);
    mw = fmax(mw, w), mh = fmax(mh, h);
  }
  if (title && *title) cbc_measure(tx, st, title, st->pt, 0, &tw, &th);
  if (side == CBC_BOTTOM) return 1.8 + mh + (title && *title ? th + 0.8 : 0);
  return 1.8 + mw + (title && *title ? th + 1.2 : 0);
}

/* A log axis drawn like cbc_axis_render, with 10^v labels. */
static void log_axis(cairo_t *cr, const cbc_ticks *t, const cbc_lin *m,
                     cbc_side side, cbc_rect r, const char *title,
                     cbc_text *tx, const cbc_style *st) {
  const cbc_rgb k = st->ink;
  char buf[48];
  double ay = r.y + r.h, mw = 0, mh = 0, w, h;
  cairo_set_source_rgba(cr, k.r, k.g, k.b, k.a);
  cairo_set_line_width(cr, st->line_w);
  if (side == CBC_BOTTOM) cairo_move_to(cr, r.x, ay), cairo_line_to(cr, r.x + r.w, ay);
  else cairo_move_to(cr, r.x, r.y), cairo_line_to(cr, r.x, ay);
  cairo_stroke(cr);
  for (int i = 0; i < t->n; i++) {
    double p = cbc_lin_map(m, t->v[i]);
    log_label(t->v[i], buf, sizeof buf);
    cbc_measure(tx, st, buf, st->pt, 0, &w, &h);
    mw = fmax(mw, w), mh = fmax(mh, h);
    if (side == CBC_BOTTOM) {
      cairo_move_to(cr, p, ay), cairo_line_to(cr, p, ay + 1), cairo_stroke(cr);
      cbc_label(cr, tx, st, buf, st->pt, 0, p, ay + 1.8, 0.5, 0, 0);
    } else {
      cairo_move_to(cr, r.x, p), cairo_line_to(cr, r.x - 1, p), cairo_stroke(cr);
      cbc_label(cr, tx, st, buf, st->pt, 0, r.x - 1.8, p, 1, 0.5, 0);
    }
  }
  if (side == CBC_BOTTOM)
    cbc_label(cr, tx, st, title, st->pt, 0, r.x + r.w / 2, ay + 2.6 + mh, 0.5, 0, 0);
  else
    cbc_label(cr, tx, st, title, st->pt, 0, r.x - 3 - mw, r.y + r.h / 2, 0.5, 1, 90);
}

static void range(const double *v, size_t n, double *lo, double *hi) {
  *lo = INFINITY, *hi = -INFINITY;
  for (size_t i = 0; i < n; i++) *lo = fmin(*lo, v[i]), *hi = fmax(*hi, v[i]);
}

static void make_ticks(const cbc_scatter *s, cbc_scatter_layout *L) {
  double xl, xh, yl, yh;
  range(s->x, s->n, &xl, &xh);
  range(s->y, s->n, &yl, &yh);
  if (s->one_to_one) {
    xl = yl = fmin(xl, yl);
    xh = yh = fmax(xh, yh);
  }
  if (s->log) {
    log_ticks(xl, xh, &L->x);
    log_ticks(yl, yh, &L->y);
  } else {
    cbc_ticks_make(xl, xh, 6, &L->x);
    cbc_ticks_make(yl, yh, 6, &L->y);
  }
}

/* ---- metrics box and labels ---- */

static int overlaps(cbc_rect a, cbc_rect b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h &&
         b.y < a.y + a.h;
}

static int inside(cbc_rect a, cbc_rect r) {
  return a.x >= r.x && a.y >= r.y && a.x + a.w <= r.x + r.w &&
         a.y + a.h <= r.y + r.h;
}

static void point_mm(const cbc_scatter *s, size_t i, double *px, double *py) {
  *px = cbc_lin_map(&s->lay.mx, s->x[i]);
  *py = cbc_lin_map(&s->lay.my, s->y[i]);
}

static cbc_rect dot_box(const cbc_scatter *s, size_t i) {
  double px, py;
  point_mm(s, i, &px, &py);
  return (cbc_rect){px - DOT / 2, py - DOT / 2, DOT, DOT};
}

/* The metrics box in the corner holding the fewest points. */
static void place_box(cbc_scatter *s, cbc_text *tx, const cbc_style *st) {
  cbc_scatter_layout *L = &s->lay;
  L->box = (cbc_rect){0, 0, 0, 0};
  if (!s->metrics || L->nlines == 0) return;
  double w = 0, h = 0, lw, lh;
  for (size_t i = 0; i < L->nlines; i++) {
    cbc_measure(tx, st, L->lines[i], st->pt_small, 0, &lw, &lh);
    w = fmax(w, lw), h += lh;
  }
  w += 2 * PAD, h += 2 * PAD;
  cbc_rect p = L->plot;
  size_t best = (size_t)-1;
  for (int c = 0; c < 4; c++) {
    double x = c == 0 || c == 3 ? p.x + INSET : p.x + p.w - INSET - w;
    double y = c < 2 ? p.y + INSET : p.y + p.h - INSET - h;
    cbc_rect b = {x, y, w, h};
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) k += overlaps(b, dot_box(s, i));
    if (k < best) best = k, L->corner = c, L->box = b;
  }
}

/* Points that stand apart first: descending distance to the nearest one. */
static double *isolation(const cbc_scatter *s) {
  double *d = malloc((s->n ? s->n : 1) * sizeof *d);
  if (!d) return NULL;
  for (size_t i = 0; i < s->n; i++) {
    double xi, yi, xj, yj, best = INFINITY;
    point_mm(s, i, &xi, &yi);
    for (size_t j = 0; j < s->n; j++) {
      if (j == i) continue;
      point_mm(s, j, &xj, &yj);
      best = fmin(best, hypot(xi - xj, yi - yj));
    }
    d[i] = best;
  }
  return d;
}

static const double *sort_key;
static int by_isolation(const void *a, const void *b) {
  const cbc_scatter_label *la = a, *lb = b;
  double da = sort_key[la->drawn], db = sort_key[lb->drawn];
  if (da != db) return da > db ? -1 : 1;
  return la->drawn < lb->drawn ? -1 : la->drawn > lb->drawn;
}

/* 1 when box collides with a point, the metrics box or a placed label. */
static int blocked(const cbc_scatter *s, cbc_rect b, size_t upto) {
  const cbc_scatter_layout *L = &s->lay;
  if (!inside(b, L->plot) || (L->box.w > 0 && overlaps(b, L->box))) return 1;
  for (size_t i = 0; i < s->n; i++)
    if (overlaps(b, dot_box(s, i))) return 1;
  for (size_t k = 0; k < upto; k++)
    if (L->labels[k].placed && overlaps(b, L->labels[k].box)) return 1;
  return 0;
}

/* Tries positions around the point: eight close by, then sixteen on
 * wider rings with a leader line. */
static void place_label(cbc_scatter *s, size_t k, double w, double h) {
  cbc_scatter_label *lb = &s->lay.labels[k];
  double px, py;
  point_mm(s, lb->drawn, &px, &py);
  for (int ring = 0; ring < 4; ring++) {
    double d = ring ? (1 + 2 * ring) * DOT : DOT / 2 + GAP;
    int m = ring ? 16 : 8;
    for (int c = 0; c < m; c++) {
      /* right, left, up, down first; then the diagonals and between */
      static const int order[16] = {0, 8, 12, 4, 14, 10, 2, 6,
                                    15, 13, 9, 11, 1, 3, 5, 7};
      double a = order[c] * M_PI / 8, dx = cos(a), dy = sin(a);
      double cx = px + dx * d, cy = py + dy * d;
      cbc_rect b = {dx > 0.1 ? cx : dx < -0.1 ? cx - w : cx - w / 2,
                    dy > 0.1 ? cy : dy < -0.1 ? cy - h : cy - h / 2, w, h};
      if (blocked(s, b, k)) continue;
      lb->box = b, lb->placed = 1, lb->leader = ring > 0;
      return;
    }
  }
}

static int place_labels(cbc_scatter *s, cbc_text *tx, const cbc_style *st,
                        cb_err *e) {
  cbc_scatter_layout *L = &s->lay;
  size_t m = 0;
  for (size_t i = 0; i < s->n; i++) m += s->label[i] != NULL;
  free(L->labels);
  L->labels = NULL;
  L->nlabels = L->nplaced = 0;
  if (m == 0) return 0;
  double *iso = isolation(s);
  if (!iso || !(L->labels = calloc(m, sizeof *L->labels))) {
    free(iso);
    return cb_err_set(e, "scatter: out of memory");
  }
  for (size_t i = 0; i < s->n; i++)
    if (s->label[i]) {
      L->labels[L->nlabels].drawn = i;
      L->labels[L->nlabels++].point = s->idx[i];
    }
  sort_key = iso;
  qsort(L->labels, L->nlabels, sizeof *L->labels, by_isolation);
  for (size_t k = 0; k < L->nlabels; k++) {
    double w, h;
    cbc_measure(tx, st, s->label[L->labels[k].drawn], st->pt_small, 0, &w, &h);
    place_label(s, k, w, h);
    L->nplaced += L->labels[k].placed;
  }
  free(iso);
  if (L->nplaced < L->nlabels && !s->warned) {
    s->warned = 1;
    cb_warn("scatter: %zu of %zu labels have no room and are not drawn "
            "(make the panel larger or label fewer points)",
            L->nlabels - L->nplaced, L->nlabels);
  }
  return 0;
}

static int build_scatter(cbc_plot *p, cbc_rect box, cbc_text *tx,
                         const cbc_style *st, cb_err *e) {
  cbc_scatter *s = (cbc_scatter *)p;
  cbc_scatter_layout *L = &s->lay;
  make_ticks(s, L);
  double left = s->log ? log_margin(&L->y, CBC_LEFT, s->ylabel, tx, st)
                       : cbc_axis_margin(&L->y, CBC_LEFT, s->ylabel, tx, st);
  double bottom = s->log ? log_margin(&L->x, CBC_BOTTOM, s->xlabel, tx, st)
                         : cbc_axis_margin(&L->x, CBC_BOTTOM, s->xlabel, tx, st);
  L->plot = (cbc_rect){box.x + left, box.y + 1.5, box.w - left - 2,
                       box.h - 1.5 - bottom};
  if (L->plot.w < 5) L->plot.w = 5;
  if (L->plot.h < 5) L->plot.h = 5;
  L->mx = (cbc_lin){L->x.lo, L->x.hi, L->plot.x, L->plot.x + L->plot.w};
  L->my = (cbc_lin){L->y.lo, L->y.hi, L->plot.y + L->plot.h, L->plot.y};
  place_box(s, tx, st);
  return place_labels(s, tx, st, e);
}

/* ---- drawing ---- */

static void draw_lines(const cbc_scatter *s, cairo_t *cr) {
  const cbc_scatter_layout *L = &s->lay;
  cairo_save(cr);
  cairo_rectangle(cr, L->plot.x, L->plot.y, L->plot.w, L->plot.h);
  cairo_clip(cr);
  if (s->one_to_one) {
    double lo = fmin(L->x.lo, L->y.lo), hi = fmax(L->x.hi, L->y.hi);
    cairo_move_to(cr, cbc_lin_map(&L->mx, lo), cbc_lin_map(&L->my, lo));
    cairo_line_to(cr, cbc_lin_map(&L->mx, hi), cbc_lin_map(&L->my, hi));
    cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
    cairo_set_line_width(cr, 0.25);
    cairo_set_dash(cr, (double[]){1.2, 0.8}, 2, 0);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
  }
  if (s->fit && isfinite(L->slope)) {
    double lo, hi;
    range(s->x, s->n, &lo, &hi);
    cairo_move_to(cr, cbc_lin_map(&L->mx, lo),
                  cbc_lin_map(&L->my, L->intercept + L->slope * lo));
    cairo_line_to(cr, cbc_lin_map(&L->mx, hi),
                  cbc_lin_map(&L->my, L->intercept + L->slope * hi));
    cairo_set_source_rgb(cr, 0.75, 0.22, 0.17);
    cairo_set_line_width(cr, 0.35);
    cairo_stroke(cr);
  }
  cairo_restore(cr);
}

static void draw_labels(const cbc_scatter *s, cairo_t *cr, cbc_text *tx,
                        const cbc_style *st) {
  const cbc_scatter_layout *L = &s->lay;
  for (size_t k = 0; k < L->nlabels; k++) {
    const cbc_scatter_label *lb = &L->labels[k];
    if (!lb->placed) continue;
    if (lb->leader) {
      double px, py;
      point_mm(s, lb->drawn, &px, &py);
      double bx = fmin(fmax(px, lb->box.x), lb->box.x + lb->box.w);
      double by = fmin(fmax(py, lb->box.y), lb->box.y + lb->box.h);
      cairo_move_to(cr, px, py);
      cairo_line_to(cr, bx, by);
      cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
      cairo_set_line_width(cr, 0.12);
      cairo_stroke(cr);
    }
    if (st->draw_text)
      cbc_text_draw(cr, tx, s->label[lb->drawn], st->pt_small, 0, lb->box.x,
                    lb->box.y, 0, 0, 0, st->ink, 0.5, NULL);
  }
}

static void draw_box(const cbc_scatter *s, cairo_t *cr, cbc_text *tx,
                     const cbc_style *st) {
  const cbc_scatter_layout *L = &s->lay;
  if (L->box.w <= 0) return;
  cairo_rectangle(cr, L->box.x, L->box.y, L->box.w, L->box.h);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_fill_preserve(cr);
  cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
  cairo_set_line_width(cr, 0.15);
  cairo_stroke(cr);
  double y = L->box.y + PAD, w, h;
  for (size_t i = 0; i < L->nlines; i++) {
    cbc_measure(tx, st, L->lines[i], st->pt_small, 0, &w, &h);
    cbc_label(cr, tx, st, L->lines[i], st->pt_small, 0, L->box.x + PAD, y, 0,
              0, 0);
    y += h;
  }
}

static void render_scatter(cbc_plot *p, cairo_t *cr, cbc_text *tx,
                           const cbc_style *st) {
  cbc_scatter *s = (cbc_scatter *)p;
  const cbc_scatter_layout *L = &s->lay;
  cairo_save(cr);
  if (s->log) {
    log_axis(cr, &L->x, &L->mx, CBC_BOTTOM, L->plot, s->xlabel, tx, st);
    log_axis(cr, &L->y, &L->my, CBC_LEFT, L->plot, s->ylabel, tx, st);
  } else {
    cbc_axis_render(cr, &L->x, &L->mx, CBC_BOTTOM, L->plot, s->xlabel, tx, st);
    cbc_axis_render(cr, &L->y, &L->my, CBC_LEFT, L->plot, s->ylabel, tx, st);
  }
  draw_lines(s, cr);
  for (size_t i = 0; i < s->n; i++) {
    double px, py;
    point_mm(s, i, &px, &py);
    cbc_marker(cr, 1, px, py, DOT, s->color);
  }
  draw_labels(s, cr, tx, st);
  draw_box(s, cr, tx, st);
  cairo_restore(cr);
}
