/* Free space on a map: the polygons' coverage on a grid, and a search for
 * the largest scale and position of the data in its frame that leave room
 * for the legend, north arrow, scale bar, inset and locator without
 * covering the map. */
#include "map_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- coverage grid ---------------------------------------------------- */

typedef struct {
  double *x;
  size_t n, cap;
} xrow;

static int push(xrow *r, double x) {
  if (r->n == r->cap) {
    size_t cap = r->cap ? 2 * r->cap : 8;
    double *nx = realloc(r->x, cap * sizeof *nx);
    if (!nx) return -1;
    r->x = nx, r->cap = cap;
  }
  r->x[r->n++] = x;
  return 0;
}

static int cmp_dbl(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Crossings of the edges of pg with the row centres, into rows. */
static int crossings(const cbc_occ *o, const cb_polygon *pg, xrow *rows,
                     int *j0, int *j1) {
  for (size_t r = 0; r < pg->nrings; r++) {
    const cb_ring *rg = &pg->rings[r];
    for (size_t a = 0; a < rg->n; a++) {
      size_t b = (a + 1) % rg->n;
      double xa = rg->xy[2 * a], ya = rg->xy[2 * a + 1];
      double xb = rg->xy[2 * b], yb = rg->xy[2 * b + 1];
      if (ya == yb) continue;
      double lo = fmin(ya, yb), hi = fmax(ya, yb);
      int ja = (int)ceil((lo - o->y0) / o->dy - 0.5);
      int jb = (int)ceil((hi - o->y0) / o->dy - 0.5) - 1;
      if (ja < 0) ja = 0;
      if (jb > o->ny - 1) jb = o->ny - 1;
      for (int j = ja; j <= jb; j++) {
        double yc = o->y0 + (j + 0.5) * o->dy;
        if (push(&rows[j], xa + (yc - ya) / (yb - ya) * (xb - xa))) return -1;
        if (j < *j0) *j0 = j;
        if (j > *j1) *j1 = j;
      }
    }
  }
  return 0;
}

/* Marks the cells whose centres lie inside pg (even-odd). */
static int rasterize(cbc_occ *o, const cb_polygon *pg, xrow *rows,
                     unsigned char *grid) {
  int j0 = o->ny, j1 = -1;
  if (crossings(o, pg, rows, &j0, &j1)) return -1;
  for (int j = j0; j <= j1; j++) {
    xrow *r = &rows[j];
    qsort(r->x, r->n, sizeof *r->x, cmp_dbl);
    for (size_t k = 0; k + 1 < r->n; k += 2) {
      int i0 = (int)ceil((r->x[k] - o->x0) / o->dx - 0.5);
      int i1 = (int)ceil((r->x[k + 1] - o->x0) / o->dx - 0.5);
      for (int i = i0 < 0 ? 0 : i0; i < i1 && i < o->nx; i++)
        grid[(size_t)j * o->nx + i] = 1;
    }
    r->n = 0;
  }
  return 0;
}

int cbc_occ_build(cbc_occ *o, const cb_polyset *ps, int cells) {
  double dw = ps->bbox[2] - ps->bbox[0], dh = ps->bbox[3] - ps->bbox[1];
  double big = fmax(dw, dh) > 0 ? fmax(dw, dh) : 1;
  o->nx = (int)fmax(1, ceil(cells * dw / big));
  o->ny = (int)fmax(1, ceil(cells * dh / big));
  o->x0 = ps->bbox[0], o->y0 = ps->bbox[1];
  o->dx = dw > 0 ? dw / o->nx : 1, o->dy = dh > 0 ? dh / o->ny : 1;
  unsigned char *grid = calloc((size_t)o->nx * o->ny, 1);
  xrow *rows = calloc((size_t)o->ny, sizeof *rows);
  o->sat = calloc((size_t)(o->nx + 1) * (o->ny + 1), sizeof *o->sat);
  int rc = grid && rows && o->sat ? 0 : -1;
  for (size_t i = 0; i < ps->n && !rc; i++)
    rc = rasterize(o, &ps->polys[i], rows, grid);
  for (int j = 0; j < o->ny && !rc; j++) /* summed-area table, y up */
    for (int i = 0; i < o->nx; i++) {
      size_t w = (size_t)o->nx + 1;
      o->sat[(j + 1) * w + i + 1] = grid[(size_t)j * o->nx + i] +
                                    o->sat[j * w + i + 1] +
                                    o->sat[(j + 1) * w + i] - o->sat[j * w + i];
    }
  for (int j = 0; rows && j < o->ny; j++) free(rows[j].x);
  free(rows);
  free(grid);
  if (rc) cbc_occ_free(o);
  return rc;
}

void cbc_occ_free(cbc_occ *o) {
  free(o->sat);
  memset(o, 0, sizeof *o);
}

/* Share of the data rectangle [x0, x1] x [y0, y1] covered by polygons. */
static double occ_share(const cbc_occ *o, double x0, double y0, double x1,
                        double y1) {
  double area = (x1 - x0) / o->dx * ((y1 - y0) / o->dy);
  if (!(area > 0)) return 0;
  int i0 = (int)floor((x0 - o->x0) / o->dx), i1 = (int)ceil((x1 - o->x0) / o->dx);
  int j0 = (int)floor((y0 - o->y0) / o->dy), j1 = (int)ceil((y1 - o->y0) / o->dy);
  i0 = i0 < 0 ? 0 : i0 > o->nx ? o->nx : i0;
  i1 = i1 < 0 ? 0 : i1 > o->nx ? o->nx : i1;
  j0 = j0 < 0 ? 0 : j0 > o->ny ? o->ny : j0;
  j1 = j1 < 0 ? 0 : j1 > o->ny ? o->ny : j1;
  size_t w = (size_t)o->nx + 1;
  double n = (double)o->sat[j1 * w + i1] - o->sat[j0 * w + i1] -
             o->sat[j1 * w + i0] + o->sat[j0 * w + i0];
  return fmin(1, n / fmax(area, 1));
}

/* ---- placement -------------------------------------------------------- */

enum { K_INSET, K_LOCATOR, K_LEGEND, K_NORTH, K_SCALE, K_N };

#define GAP 1.5        /* from the frame and between elements, mm */
#define OK_SHARE 0.02  /* an element may sit on this much of the map */

typedef struct {
  double kx, ky, ox, oy;
} xform;

typedef struct {
  int used, drawn;
  cbc_pos want, pref[8];
  double w, h;          /* fixed size (legend, north, locator) */
  cbc_placed got;
} item;

typedef struct {
  cbc_map *m;
  cbc_rect frame;
  cbc_text *tx;
  const cbc_style *st;
  double mx, my, dw, dh, pad, smax;
  item it[K_N];
  cbc_scalebar sb;
  double inset_k;       /* inset magnification actually used */
} ctx;

static const cbc_pos prefs[K_N][8] = {
    {CBC_POS_BOTTOMRIGHT, CBC_POS_TOPRIGHT, CBC_POS_BOTTOMLEFT, CBC_POS_TOPLEFT,
     CBC_POS_RIGHT, CBC_POS_LEFT, CBC_POS_BOTTOM, CBC_POS_TOP},
    {CBC_POS_TOPLEFT, CBC_POS_TOPRIGHT, CBC_POS_BOTTOMLEFT, CBC_POS_BOTTOMRIGHT,
     CBC_POS_LEFT, CBC_POS_RIGHT, CBC_POS_TOP, CBC_POS_BOTTOM},
    {CBC_POS_BOTTOMRIGHT, CBC_POS_BOTTOMLEFT, CBC_POS_TOPRIGHT, CBC_POS_TOPLEFT,
     CBC_POS_RIGHT, CBC_POS_LEFT, CBC_POS_BOTTOM, CBC_POS_TOP},
    {CBC_POS_TOPRIGHT, CBC_POS_TOPLEFT, CBC_POS_BOTTOMRIGHT, CBC_POS_BOTTOMLEFT,
     CBC_POS_RIGHT, CBC_POS_LEFT, CBC_POS_TOP, CBC_POS_BOTTOM},
    {CBC_POS_BOTTOMLEFT, CBC_POS_BOTTOMRIGHT, CBC_POS_BOTTOM, CBC_POS_TOPLEFT,
     CBC_POS_TOPRIGHT, CBC_POS_LEFT, CBC_POS_RIGHT, CBC_POS_TOP}};

static cbc_rect at_pos(cbc_rect f, cbc_pos p, double w, double h) {
  double l = f.x + GAP, c = f.x + (f.w - w) / 2, r = f.x + f.w - w - GAP;
  double t = f.y + GAP, m = f.y + (f.h - h) / 2, b = f.y + f.h - h - GAP;
  switch (p) {
  case CBC_POS_TOPLEFT: return (cbc_rect){l, t, w, h};
  case CBC_POS_TOP: return (cbc_rect){c, t, w, h};
  case CBC_POS_TOPRIGHT: return (cbc_rect){r, t, w, h};
  case CBC_POS_LEFT: return (cbc_rect){l, m, w, h};
  case CBC_POS_RIGHT: return (cbc_rect){r, m, w, h};
  case CBC_POS_BOTTOMLEFT: return (cbc_rect){l, b, w, h};
  case CBC_POS_BOTTOM: return (cbc_rect){c, b, w, h};
  default: return (cbc_rect){r, b, w, h};
  }
}

static int apart(cbc_rect a, cbc_rect b) {
  return a.x + a.w + GAP <= b.x || b.x + b.w + GAP <= a.x ||
         a.y + a.h + GAP <= b.y || b.y + b.h + GAP <= a.y;
}

/* Share of paper rectangle r over the polygons, under transform t. */
static double share(const ctx *c, const xform *t, cbc_rect r) {
  const double *b = c->m->polys->bbox;
  double x0 = b[0] + (r.x - t->ox) / t->kx, x1 = b[0] + (r.x + r.w - t->ox) / t->kx;
  double y1 = b[3] - (r.y - t->oy) / t->ky, y0 = b[3] - (r.y + r.h - t->oy) / t->ky;
  return occ_share(&c->m->occ, x0, y0, x1, y1);
}

/* Sizes that follow the scale: the scale bar and the inset. */
static void scaled_sizes(ctx *c, const xform *t) {
  cbc_map *m = c->m;
  if (c->it[K_SCALE].used)
    cbc_scalebar_size(m, t->kx, c->frame.w * 0.3, c->tx, c->st, &c->sb,
                      &c->it[K_SCALE].w, &c->it[K_SCALE].h);
  if (c->it[K_INSET].used) {
    const double *ib = m->opt.inset_bbox;
    double w = (ib[2] - ib[0]) * t->kx, h = (ib[3] - ib[1]) * t->ky;
    double k = fmin(m->opt.inset_scale,
                    fmin(c->frame.w * 0.5 / w, c->frame.h * 0.6 / h));
    c->inset_k = k;
    c->it[K_INSET].w = w * k, c->it[K_INSET].h = h * k;
  }
}

/* Places every element under t; returns the share they cover in all
 * (HUGE_VAL when one finds no place at all) and sets *ok when each covers
 * at most OK_SHARE. */
static double try_config(ctx *c, const xform *t, int *ok) {
  scaled_sizes(c, t);
  double cost = 0;
  *ok = 1;
  for (int k = 0; k < K_N; k++) {
    item *it = &c->it[k];
    if (!it->used) continue;
    int n = it->want == CBC_POS_AUTO ? 8 : 1, found = 0;
    double best = HUGE_VAL;
    for (int i = 0; i < n; i++) {
      cbc_pos p = it->want == CBC_POS_AUTO ? it->pref[i] : it->want;
      cbc_rect r = at_pos(c->frame, p, it->w, it->h);
      int free_of_others = 1;
      for (int q = 0; q < k && free_of_others; q++)
        if (c->it[q].used) free_of_others = apart(r, c->it[q].got.box);
      if (!free_of_others) continue;
      double s = share(c, t, r);
      if (!found || s < best - 0.004) best = s, found = 1, it->got = (cbc_placed){it->drawn, p, r, s};
    }
    if (!found) return *ok = 0, HUGE_VAL;
    if (best > OK_SHARE) *ok = 0;
    cost += best * it->w * it->h;
  }
  return cost;
}

static xform make_xform(const ctx *c, double s, double ax, double ay) {
  xform t = {s * c->mx, s * c->my, 0, 0};
  cbc_rect f = c->frame;
  t.ox = f.x + c->pad + ax * (f.w - 2 * c->pad - c->dw * t.kx);
  t.oy = f.y + c->pad + ay * (f.h - 2 * c->pad - c->dh * t.ky);
  return t;
}

/* The north arrow grows with text above 7 pt, so its N keeps clear of it. */
static double north_k(const cbc_style *st) { return st && st->pt > 7 ? st->pt / 7 : 1; }

static void init_items(ctx *c, double lw, double lh) {
  cbc_map *m = c->m;
  const cbc_map_spec *o = &m->opt;
  cbc_map_layout *L = &m->lay;
  memset(c->it, 0, sizeof c->it);
  for (int k = 0; k < K_N; k++) memcpy(c->it[k].pref, prefs[k], sizeof prefs[k]);
  double pad = L->legend_bg ? 1.2 : 0;
  c->it[K_LEGEND] = (item){L->has_legend && o->legend_pos != CBC_POS_OUTSIDE, 1,
                           o->legend_pos, {0}, lw + 2 * pad, lh + 2 * pad, {0}};
  memcpy(c->it[K_LEGEND].pref, prefs[K_LEGEND], sizeof prefs[K_LEGEND]);
  item *n = &c->it[K_NORTH], *s = &c->it[K_SCALE];
  n->used = o->north_arrow || o->reserve, n->drawn = o->north_arrow;
  n->want = o->north_pos, n->w = CBC_NORTH_W * north_k(c->st) + 1;
  n->h = CBC_NORTH_H * north_k(c->st);
  s->used = o->scale_bar || o->reserve, s->drawn = o->scale_bar;
  s->want = o->scale_pos;
  c->it[K_INSET].used = c->it[K_INSET].drawn = o->inset;
  c->it[K_INSET].want = o->inset_pos;
  item *l = &c->it[K_LOCATOR];
  l->used = m->locator != NULL;
  l->drawn = l->used && !o->locator_hidden;
  l->want = o->locator_pos;
  if (l->used) {
    const double *b = m->locator->bbox;
    double w = o->locator_width > 0 ? o->locator_width
                                    : fmin(60, fmax(15, c->frame.w * 0.25));
    double asp = (b[3] - b[1]) * c->my / fmax((b[2] - b[0]) * c->mx, 1e-12);
    l->w = w, l->h = w * asp;
    if (l->h > c->frame.h * 0.45) l->h = c->frame.h * 0.45, l->w = l->h / asp;
  }
}

/* Keeps the result of the chosen configuration in the map's layout. */
static void apply(ctx *c, const xform *t) {
  cbc_map *m = c->m;
  cbc_map_layout *L = &m->lay;
  int ok;
  try_config(c, t, &ok);
  L->frame = c->frame;
  L->kx = t->kx, L->ky = t->ky, L->ox = t->ox, L->oy = t->oy;
  L->fill = c->dw * t->kx * c->dh * t->ky / (c->frame.w * c->frame.h);
  L->legend = c->it[K_LEGEND].got;
  L->north = c->it[K_NORTH].got, L->scalebar = c->it[K_SCALE].got;
  L->inset = c->it[K_INSET].got, L->locator = c->it[K_LOCATOR].got;
  L->has_north = L->north.on;
  cbc_rect nb = L->north.box;
  L->north_box = (cbc_rect){nb.x + 0.5, nb.y, CBC_NORTH_W * north_k(c->st),
                            CBC_NORTH_H * north_k(c->st)};
  L->has_scalebar = L->scalebar.on && c->sb.mm > 0;
  L->sb = c->sb;
  L->sb_box = L->scalebar.box;
  double kxy = t->kx / t->ky;
  if (L->inset.on) cbc_minimap_fit(&L->inset_map, m->opt.inset_bbox, L->inset.box, kxy);
  if (L->locator.on) {
    double mx = 1, my = 1;
    if (L->geographic) cbc_metres_per_degree(
        (m->locator->bbox[1] + m->locator->bbox[3]) / 2, &mx, &my);
    cbc_minimap_fit(&L->locator_map, m->locator->bbox, L->locator.box, mx / my);
  }
}

/* Anchors of the data in its frame, centre first. */
static const double anchors[9][2] = {{.5, .5}, {0, .5}, {1, .5}, {.5, 0},
                                     {.5, 1},  {0, 0},  {1, 0},  {0, 1}, {1, 1}};

int cbc_map_place(cbc_map *m, cbc_rect frame, cbc_text *tx,
                  const cbc_style *st, double lw, double lh) {
  if (!m->occ.sat && cbc_occ_build(&m->occ, m->polys, 160)) return -1;
  const double *b = m->polys->bbox;
  ctx c = {.m = m, .frame = frame, .tx = tx, .st = st, .mx = 1, .my = 1,
           .dw = b[2] - b[0], .dh = b[3] - b[1]};
  if (m->lay.geographic) cbc_metres_per_degree(m->lay.lat_mid, &c.mx, &c.my);
  if (!(c.dw > 0)) c.dw = c.dh > 0 ? c.dh : 1;
  if (!(c.dh > 0)) c.dh = c.dw;
  c.pad = m->lay.has_grat ? 1.0 : 0.2;
  c.smax = fmin((frame.w - 2 * c.pad) / (c.dw * c.mx),
                (frame.h - 2 * c.pad) / (c.dh * c.my));
  init_items(&c, lw, lh);
  xform best = make_xform(&c, c.smax, .5, .5);
  double best_cost = HUGE_VAL;
  for (int fi = 0; fi <= 10; fi++) {
    double s = c.smax * (1 - 0.04 * fi);
    for (int a = 0; a < 9; a++) {
      xform t = make_xform(&c, s, anchors[a][0], anchors[a][1]);
      double sx = frame.w - 2 * c.pad - c.dw * t.kx, sy = frame.h - 2 * c.pad - c.dh * t.ky;
      if ((anchors[a][0] != .5 && sx < 0.5) || (anchors[a][1] != .5 && sy < 0.5)) continue;
      int ok;
      double cost = try_config(&c, &t, &ok);
      if (ok) {
        apply(&c, &t);
        return 0;
      }
      if (fi <= 5 && cost < best_cost) best_cost = cost, best = t;
    }
  }
  apply(&c, &best);
  return 0;
}
