/* Map labels: placed in their features (largest first, no overlaps, clear
 * of the legend and the rest), in the inset for features inside it, else
 * as callouts with leader lines where free space is near; the rest are
 * named in a warning, never dropped silently. */
#include "map_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Area-weighted centroid of the largest ring of a feature. */
static int label_point(const cb_polygon *pg, double *x, double *y) {
  double best = 0;
  int found = 0;
  for (size_t r = 0; r < pg->nrings; r++) {
    const cb_ring *rg = &pg->rings[r];
    if (rg->hole || rg->n < 3) continue;
    double a, mx, my;
    cb_ring_moments(rg, &a, &mx, &my);
    if (fabs(a) > best) {
      best = fabs(a);
      *x = mx / a, *y = my / a;
      found = 1;
    }
  }
  return found;
}

static double ring_area_abs(const cb_polygon *pg) {
  double a = 0;
  for (size_t r = 0; r < pg->nrings; r++)
    if (!pg->rings[r].hole) a += fabs(cb_ring_area(&pg->rings[r]));
  return a;
}

static int overlaps(cbc_rect a, cbc_rect b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static int inside(cbc_rect a, cbc_rect f) {
  return a.x >= f.x && a.y >= f.y && a.x + a.w <= f.x + f.w &&
         a.y + a.h <= f.y + f.h;
}

/* 1 when r is clear of the placed elements and of labels shown where
 * (main map and callouts, or the inset). */
static int clear(const cbc_map *m, cbc_rect r, int in_inset) {
  const cbc_map_layout *L = &m->lay;
  if (!in_inset) {
    const cbc_placed *el[] = {&L->legend, &L->north, &L->scalebar, &L->inset,
                              &L->locator};
    for (int k = 0; k < 5; k++)
      if (el[k]->on && overlaps(r, el[k]->box)) return 0;
    if (L->has_legend && m->opt.legend_pos == CBC_POS_OUTSIDE &&
        overlaps(r, L->legend.box))
      return 0;
  }
  for (size_t i = 0; i < m->nlabels; i++) {
    const cbc_map_label *p = &m->placed[i];
    int same = in_inset ? p->where == CBC_LABEL_INSET
                        : p->where == CBC_LABEL_MAP || p->where == CBC_LABEL_CALLOUT;
    if (p->shown && same && overlaps(r, p->box)) return 0;
  }
  return 1;
}

/* Share of paper rectangle r (main map) over polygons. */
static double share_of(const cbc_map *m, cbc_rect r) {
  const cbc_map_layout *L = &m->lay;
  const cbc_occ *o = &m->occ;
  const double *b = m->polys->bbox;
  double x0 = b[0] + (r.x - L->ox) / L->kx, x1 = b[0] + (r.x + r.w - L->ox) / L->kx;
  double y1 = b[3] - (r.y - L->oy) / L->ky, y0 = b[3] - (r.y + r.h - L->oy) / L->ky;
  double cells = 0, hit = 0;
  for (int k = 0; k < 9; k++) { /* nine sample points are enough here */
    double x = x0 + (x1 - x0) * (k % 3 + 0.5) / 3, y = y0 + (y1 - y0) * (k / 3 + 0.5) / 3;
    int i = (int)floor((x - o->x0) / o->dx), j = (int)floor((y - o->y0) / o->dy);
    cells++;
    if (i >= 0 && j >= 0 && i < o->nx && j < o->ny) {
      size_t w = (size_t)o->nx + 1;
      hit += o->sat[(j + 1) * w + i + 1] - o->sat[j * w + i + 1] -
             o->sat[(j + 1) * w + i] + o->sat[j * w + i];
    }
  }
  return hit / cells;
}

/* The point of box b nearest (x, y): where a leader line ends. */
static void nearest(cbc_rect b, double x, double y, double *px, double *py) {
  *px = fmin(fmax(x, b.x), b.x + b.w);
  *py = fmin(fmax(y, b.y), b.y + b.h);
}

static int segs_cross(double ax, double ay, double bx, double by, double cx,
                      double cy, double dx, double dy) {
  double d1 = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  double d2 = (bx - ax) * (dy - ay) - (by - ay) * (dx - ax);
  double d3 = (dx - cx) * (ay - cy) - (dy - cy) * (ax - cx);
  double d4 = (dx - cx) * (by - cy) - (dy - cy) * (bx - cx);
  return d1 * d2 < 0 && d3 * d4 < 0;
}

/* 1 when segment a-b crosses the border of r (a start inside r does not
 * count: a leader from a point under another label cannot avoid it). */
static int seg_hits_rect(double ax, double ay, double bx, double by, cbc_rect r) {
  if (ax >= r.x && ax <= r.x + r.w && ay >= r.y && ay <= r.y + r.h) return 0;
  double x[4] = {r.x, r.x + r.w, r.x + r.w, r.x}, y[4] = {r.y, r.y, r.y + r.h, r.y + r.h};
  for (int k = 0; k < 4; k++)
    if (segs_cross(ax, ay, bx, by, x[k], y[k], x[(k + 1) % 4], y[(k + 1) % 4]))
      return 1;
  return 0;
}

/* 1 when the leader from (ax, ay) to box b passes clear of other labels
 * and of the other callouts' leaders. */
static int leader_clear(const cbc_map *m, double ax, double ay, cbc_rect b) {
  double px, py;
  nearest(b, ax, ay, &px, &py);
  for (size_t i = 0; i < m->nlabels; i++) {
    const cbc_map_label *p = &m->placed[i];
    if (!p->shown || p->where == CBC_LABEL_INSET) continue;
    if (seg_hits_rect(ax, ay, px, py, p->box)) return 0;
    if (p->where == CBC_LABEL_CALLOUT) {
      double qx, qy;
      nearest(p->box, p->ax, p->ay, &qx, &qy);
      if (segs_cross(ax, ay, px, py, p->ax, p->ay, qx, qy)) return 0;
    }
  }
  return 1;
}

/* A callout box near (ax, ay): the free spot with the lowest distance plus
 * a penalty for sitting on polygons, whose leader crosses no other label
 * or leader. Returns 1 when found. */
static int callout(const cbc_map *m, double ax, double ay, double w, double h,
                   cbc_rect *out) {
  static const double radii[] = {3, 4.5, 6.5, 9, 12, 16, 21, 28, 36, 46};
  double best = HUGE_VAL;
  for (int ri = 0; ri < 10; ri++) {
    double r = radii[ri];
    if (r > best) break; /* nothing farther can win */
    for (int a = 0; a < 32; a++) {
      double th = 2 * M_PI * a / 32, c = cos(th), sn = sin(th);
      double cx = ax + c * (r + w / 2), cy = ay - sn * (r + h / 2);
      cbc_rect b = {cx - w / 2, cy - h / 2, w, h};
      if (!inside(b, m->lay.frame) || !clear(m, b, 0)) continue;
      double score = r + 8 * share_of(m, b);
      if (score < best && leader_clear(m, ax, ay, b)) best = score, *out = b;
    }
  }
  return best < HUGE_VAL;
}

/* Label i in the inset when its point lies inside the inset's bbox. */
static int in_inset(cbc_map *m, size_t i, double x, double y, double w,
                    double h) {
  const cbc_map_layout *L = &m->lay;
  const double *ib = m->opt.inset_bbox;
  if (!L->inset.on || x < ib[0] || x > ib[2] || y < ib[1] || y > ib[3]) return 0;
  cbc_map_label *pl = &m->placed[i];
  double fx, fy;
  cbc_minimap_project(&L->inset_map, x, y, &fx, &fy);
  cbc_rect b = {fx - w / 2, fy - h / 2, w, h};
  cbc_rect in = L->inset.box;
  if (b.x < in.x) b.x = in.x + 0.3; /* near the border: keep it inside */
  if (b.x + b.w > in.x + in.w) b.x = in.x + in.w - b.w - 0.3;
  if (!inside(b, in) || !clear(m, b, 1)) return 1; /* the inset's; not here */
  pl->box = b, pl->shown = 1, pl->where = CBC_LABEL_INSET;
  return 1;
}

static size_t *by_area(const cbc_map *m, size_t n) {
  size_t *order = malloc((n ? n : 1) * sizeof *order);
  double *area = malloc((n ? n : 1) * sizeof *area);
  if (!order || !area) return free(order), free(area), NULL;
  for (size_t i = 0; i < n; i++) {
    order[i] = i;
    area[i] = ring_area_abs(&m->polys->polys[i]);
  }
  for (size_t i = 1; i < n; i++) /* insertion sort by area, descending */
    for (size_t j = i; j > 0 && area[order[j]] > area[order[j - 1]]; j--) {
      size_t t = order[j];
      order[j] = order[j - 1], order[j - 1] = t;
    }
  free(area);
  return order;
}

void cbc_map_place_labels(cbc_map *m, cbc_text *tx, const cbc_style *st) {
  size_t n = m->nlabels < m->polys->n ? m->nlabels : m->polys->n;
  memset(m->placed, 0, m->nlabels * sizeof *m->placed);
  size_t *order = by_area(m, n);
  if (!order) return; /* no memory: show none rather than overlap */
  for (int pass = 0; pass < 2; pass++) /* in place first, then callouts */
    for (size_t k = 0; k < n; k++) {
      size_t i = order[k];
      cbc_map_label *pl = &m->placed[i];
      double x = 0, y = 0, w, h;
      if (!m->labels[i] || pl->shown || !label_point(&m->polys->polys[i], &x, &y))
        continue;
      cbc_measure(tx, st, m->labels[i], st->pt_small, 0, &w, &h);
      if (pass == 0 && in_inset(m, i, x, y, w, h)) continue;
      cbc_map_project(m, x, y, &pl->ax, &pl->ay);
      cbc_rect b = {pl->ax - w / 2, pl->ay - h / 2, w, h};
      if (pass == 0 && inside(b, m->lay.frame) && clear(m, b, 0))
        pl->box = b, pl->shown = 1, pl->where = CBC_LABEL_MAP;
      else if (pass == 1 && m->opt.callouts && callout(m, pl->ax, pl->ay, w, h, &b))
        pl->box = b, pl->shown = 1, pl->where = CBC_LABEL_CALLOUT;
    }
  free(order);
  memset(m->lay.label_counts, 0, sizeof m->lay.label_counts);
  for (size_t i = 0; i < n; i++)
    if (m->labels[i]) m->lay.label_counts[m->placed[i].shown ? m->placed[i].where : 0]++;
}

void cbc_map_warn_dropped(cbc_map *m) {
  size_t dropped = m->lay.label_counts[CBC_LABEL_NONE];
  if (m->warned || !dropped) return;
  m->warned = 1;
  size_t len = 1; /* every dropped label is named, however many */
  for (size_t i = 0; i < m->nlabels && i < m->polys->n; i++)
    if (m->labels[i] && !m->placed[i].shown) len += strlen(m->labels[i]) + 2;
  char *list = calloc(len, 1);
  if (!list) return;
  for (size_t i = 0; i < m->nlabels && i < m->polys->n; i++) {
    if (!m->labels[i] || m->placed[i].shown) continue;
    if (*list) strcat(list, ", ");
    strcat(list, m->labels[i]);
  }
  cb_warn("map: %zu label%s not shown (no room without overlapping): %s; "
          "use labels = {callouts = true}, an inset, or a larger figure",
          dropped, dropped == 1 ? "" : "s", list);
  free(list);
}

static void leader(cairo_t *cr, const cbc_map_label *pl, const cbc_style *st) {
  double px, py;
  nearest(pl->box, pl->ax, pl->ay, &px, &py);
  cairo_set_source_rgba(cr, st->ink.r, st->ink.g, st->ink.b, 0.9);
  cairo_set_line_width(cr, 0.12);
  cairo_move_to(cr, pl->ax, pl->ay);
  cairo_line_to(cr, px, py);
  cairo_stroke(cr);
  cairo_arc(cr, pl->ax, pl->ay, 0.3, 0, 2 * M_PI);
  cairo_fill(cr);
}

void cbc_map_draw_labels(cairo_t *cr, const cbc_map *m, cbc_text *tx,
                         const cbc_style *st, int inset) {
  for (size_t i = 0; i < m->nlabels && i < m->polys->n; i++) {
    const cbc_map_label *pl = &m->placed[i];
    if (!pl->shown || (pl->where == CBC_LABEL_INSET) != (inset != 0)) continue;
    if (pl->where == CBC_LABEL_CALLOUT) leader(cr, pl, st);
    if (!st->draw_text) continue;
    cbc_text_draw(cr, tx, m->labels[i], st->pt_small, 0, pl->box.x + pl->box.w / 2,
                  pl->box.y + pl->box.h / 2, 0.5, 0.5, 0, st->ink, 0.5, NULL);
  }
}
