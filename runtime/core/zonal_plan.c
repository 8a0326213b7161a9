/* The plan of a zonal pass: strips and tasks over the coverage's listed
 * rows only, each strip cut to the columns its spans use, so a tiny zone
 * in a huge raster reads a tiny window. */
#include <stdlib.h>
#include <string.h>

#include "zonal_int.h"

/* Rows per strip (s) and per task (t) for raster r; fine: strips need
 * not be whole block rows (the block row is then a task). */
static void sizes(const cb_raster *r, int forced, int fine, int *s, int *t) {
  int bx, by, w = cb_raster_width(r), h = cb_raster_height(r);
  cb_raster_block_size(r, &bx, &by);
  if (by < 1) by = 1;
  int rows = forced > 0 ? forced : ZSTRIP_CELLS / (w > 0 ? w : 1);
  if (rows < 1) rows = 1;
  /* whole block rows per strip, unless a block row is itself huge */
  if (forced <= 0 && !fine && (double)by * w <= 16.0 * ZSTRIP_CELLS)
    rows = (rows + by - 1) / by * by;
  if (rows > h) rows = h > 0 ? h : 1;
  *s = rows;
  *t = rows >= by ? rows : by;
}

static int grow(zplan *p, size_t *cap) {
  size_t n = *cap ? 2 * *cap : 64;
  zstrip *s = realloc(p->strips, n * sizeof *s);
  if (s) p->strips = s;
  size_t *t = realloc(p->task, (n + 1) * sizeof *t);
  if (t) p->task = t;
  if (!s || !t) return -1;
  *cap = n;
  return 0;
}

/* A gap of more columns than this between a strip's spans splits its
 * window in two (when the window is mostly empty). */
#define GAP_COLS 2048

/* Widens strip s by the spans of coverage row u; *cells adds their cells. */
static void take_row(zstrip *s, const cb_coverage *c, size_t u, size_t *cells) {
  int w = c->grid.ncols;
  for (size_t i = c->row_off[u]; i < c->row_off[u + 1]; i++) {
    int a = c->spans[i].x0 < 0 ? 0 : c->spans[i].x0;
    int b = c->spans[i].x1 > w ? w : c->spans[i].x1;
    if (a < s->x0) s->x0 = a;
    if (b > s->x1) s->x1 = b;
    if (b > a) *cells += (size_t)(b - a);
  }
  s->y1 = c->row_y[u] + 1;
  s->u1 = u + 1;
}

static int cmp_ival(const void *a, const void *b) {
  const int *x = a, *y = b;
  return (x[0] > y[0]) - (x[0] < y[0]);
}

/* The column windows of strip s: its spans' columns merged across gaps of
 * up to GAP_COLS. Returns how many (in *win, allocated), or -1. */
static long windows(const zstrip *s, const cb_coverage *c, int **win) {
  size_t n = c->row_off[s->u1] - c->row_off[s->u0], k = 0;
  int *iv = malloc((n ? n : 1) * 2 * sizeof *iv);
  if (!iv) return -1;
  for (size_t i = c->row_off[s->u0]; i < c->row_off[s->u1]; i++) {
    int a = c->spans[i].x0 < 0 ? 0 : c->spans[i].x0;
    int b = c->spans[i].x1 > c->grid.ncols ? c->grid.ncols : c->spans[i].x1;
    if (b > a) iv[2 * k] = a, iv[2 * k++ + 1] = b;
  }
  qsort(iv, k, 2 * sizeof *iv, cmp_ival);
  size_t m = 0;
  for (size_t i = 0; i < k; i++) {
    if (m && iv[2 * i] - iv[2 * m - 1] <= GAP_COLS) {
      if (iv[2 * i + 1] > iv[2 * m - 1]) iv[2 * m - 1] = iv[2 * i + 1];
    } else {
      iv[2 * m] = iv[2 * i], iv[2 * m++ + 1] = iv[2 * i + 1];
    }
  }
  *win = iv;
  return (long)m;
}

/* Replaces each mostly empty strip (cells[i] of its window's cells hold
 * spans) by one strip per window of its spans, so zones far apart on the
 * same rows read only around themselves. -1 when out of memory. */
static int split_sparse(zplan *p, const cb_coverage *c, const size_t *cells) {
  size_t n = 0, cap = p->nstrips + 16, t = 0;
  zstrip *out = malloc(cap * sizeof *out);
  size_t *task = malloc((p->ntasks + 1) * sizeof *task);
  if (!out || !task) goto oom;
  for (size_t i = 0; i < p->nstrips; i++) {
    const zstrip *s = &p->strips[i];
    while (t < p->ntasks && p->task[t] == i) task[t++] = n;
    size_t area = (size_t)(s->y1 - s->y0) * (size_t)(s->x1 - s->x0);
    int *win = NULL;
    long m = 1;
    if (s->x1 - s->x0 > 2 * GAP_COLS && area > 4 * cells[i] &&
        (m = windows(s, c, &win)) < 0)
      goto oom;
    if (n + (size_t)m > cap) {
      cap = 2 * (n + (size_t)m);
      zstrip *o = realloc(out, cap * sizeof *o);
      if (!o) {
        free(win);
        goto oom;
      }
      out = o;
    }
    for (long k = 0; k < m; k++) {
      out[n] = *s;
      if (win) out[n].x0 = win[2 * k], out[n].x1 = win[2 * k + 1];
      n++;
    }
    free(win);
  }
  task[p->ntasks] = n;
  free(p->strips), free(p->task);
  p->strips = out, p->task = task, p->nstrips = n;
  return 0;
oom:
  free(out), free(task);
  return -1;
}

int zplan_build(zplan *p, const cb_coverage *c, const cb_raster *r,
                int strip_rows, int fine) {
  memset(p, 0, sizeof *p);
  int rs, rt;
  sizes(r, strip_rows, fine, &rs, &rt);
  size_t cap = 0, *cells = NULL;
  long cur_t = -1, cur_k = -1;
  for (size_t u = 0; u < c->nrows; u++) {
    int y = c->row_y[u];
    long t = y / rt, k = (y % rt) / rs;
    if (t != cur_t || k != cur_k) {
      size_t old = cap;
      if (p->nstrips == cap && grow(p, &cap)) goto oom;
      if (cap != old) {
        size_t *x = realloc(cells, cap * sizeof *x);
        if (!x) goto oom;
        cells = x;
      }
      if (t != cur_t) p->task[p->ntasks++] = p->nstrips;
      cells[p->nstrips] = 0;
      p->strips[p->nstrips++] = (zstrip){y, y + 1, c->grid.ncols, 0, u, u + 1};
      cur_t = t, cur_k = k;
    }
    take_row(&p->strips[p->nstrips - 1], c, u, &cells[p->nstrips - 1]);
  }
  if (!p->task && grow(p, &cap)) goto oom;
  p->task[p->ntasks] = p->nstrips;
  if (p->nstrips && split_sparse(p, c, cells)) goto oom;
  free(cells);
  for (size_t i = 0; i < p->nstrips; i++) {
    zstrip *s = &p->strips[i];
    if (s->x1 < s->x0) s->x1 = s->x0; /* only empty spans: nothing to read */
    size_t cells = (size_t)(s->y1 - s->y0) * (size_t)(s->x1 - s->x0);
    if (cells > p->max_cells) p->max_cells = cells;
    if (s->x1 - s->x0 > p->max_width) p->max_width = s->x1 - s->x0;
  }
  return 0;
oom:
  free(cells);
  return -1;
}

/* Fills p->fin_off and p->fin_zone: the zones by their last strip. */
static int finishers(zplan *p, const cb_coverage *c) {
  size_t nz = c->nzones, ns = p->nstrips;
  uint32_t *last = malloc((nz ? nz : 1) * sizeof *last);
  size_t *at = malloc((ns + 1) * sizeof *at);
  p->fin_off = calloc(ns + 2, sizeof *p->fin_off);
  p->fin_zone = malloc((nz ? nz : 1) * sizeof *p->fin_zone);
  if (!last || !at || !p->fin_off || !p->fin_zone) {
    free(last), free(at);
    return -1;
  }
  for (size_t z = 0; z < nz; z++) last[z] = (uint32_t)ns; /* none */
  for (size_t s = 0; s < ns; s++)
    for (size_t i = p->pair_off[s]; i < p->pair_off[s + 1]; i++)
      last[p->pairs[i].zone] = (uint32_t)s;
  /* counting sort of the zones by last strip (zone order within one) */
  for (size_t z = 0; z < nz; z++) p->fin_off[last[z] + 1]++;
  for (size_t s = 0; s <= ns; s++) p->fin_off[s + 1] += p->fin_off[s];
  memcpy(at, p->fin_off, (ns + 1) * sizeof *at);
  for (size_t z = 0; z < nz; z++) p->fin_zone[at[last[z]]++] = (uint32_t)z;
  free(at);
  free(last);
  return 0;
}

/* Adds the cells of strip s's spans to its pairs (one per zone, in the
 * order the zones first appear); at[z] is zone z's pair in this strip when
 * seen[z] == s + 1. -1 when out of memory. */
static int strip_pairs(zplan *p, const cb_coverage *c, size_t s, float minc,
                       int split, int none, size_t *at, size_t *seen,
                       size_t *cap) {
  const zstrip *st = &p->strips[s];
  size_t n = p->pair_off[s];
  for (size_t i = c->row_off[st->u0]; i < c->row_off[st->u1]; i++) {
    const cb_span *sp = &c->spans[i];
    if (!zstrip_has(st, sp, c->grid.ncols) || sp->w < minc) continue;
    int a = sp->x0 < 0 ? 0 : sp->x0;
    int b = sp->x1 > c->grid.ncols ? c->grid.ncols : sp->x1;
    uint32_t z = sp->zone;
    if (seen[z] != s + 1) {
      if (n == *cap) {
        size_t nc = *cap ? 2 * *cap : 256;
        zpair *q = realloc(p->pairs, nc * sizeof *q);
        if (!q) return -1;
        p->pairs = q, *cap = nc;
      }
      seen[z] = s + 1, at[z] = n;
      p->pairs[n++] = (zpair){.zone = z};
    }
    zpair *pr = &p->pairs[at[z]];
    if (split && (none || sp->w == 1.0f)) pr->nw += (size_t)(b - a);
    else pr->np += (size_t)(b - a);
  }
  p->pair_off[s + 1] = n;
  return 0;
}

/* Each pair's offsets in its zone's regions, and each zone's pairs in
 * strip order. */
static int zone_pairs(zplan *p, size_t nz) {
  size_t np = p->pair_off[p->nstrips];
  p->zw = calloc(nz ? nz : 1, sizeof *p->zw);
  p->zp = calloc(nz ? nz : 1, sizeof *p->zp);
  p->zpair_off = calloc(nz + 1, sizeof *p->zpair_off);
  p->zpair = malloc((np ? np : 1) * sizeof *p->zpair);
  if (!p->zw || !p->zp || !p->zpair_off || !p->zpair) return -1;
  for (size_t i = 0; i < np; i++) {
    zpair *pr = &p->pairs[i];
    pr->wo = p->zw[pr->zone], p->zw[pr->zone] += pr->nw;
    pr->po = p->zp[pr->zone], p->zp[pr->zone] += pr->np;
    p->zpair_off[pr->zone + 1]++;
  }
  for (size_t z = 0; z < nz; z++) p->zpair_off[z + 1] += p->zpair_off[z];
  size_t *at = malloc((nz ? nz : 1) * sizeof *at);
  if (!at) return -1;
  memcpy(at, p->zpair_off, (nz ? nz : 1) * sizeof *at);
  for (size_t i = 0; i < np; i++) p->zpair[at[p->pairs[i].zone]++] = i;
  free(at);
  return 0;
}

int zplan_values(zplan *p, const cb_coverage *c, float minc, int split,
                 int none) {
  size_t nz = c->nzones, cap = 0;
  size_t *at = malloc((nz ? nz : 1) * sizeof *at);
  size_t *seen = calloc(nz ? nz : 1, sizeof *seen);
  p->pair_off = calloc(p->nstrips + 1, sizeof *p->pair_off);
  int rc = !at || !seen || !p->pair_off ? -1 : 0;
  for (size_t s = 0; !rc && s < p->nstrips; s++)
    rc = strip_pairs(p, c, s, minc, split, none, at, seen, &cap);
  free(at), free(seen);
  if (rc || zone_pairs(p, nz) || finishers(p, c)) return -1;
  return 0;
}

void zplan_free(zplan *p) {
  free(p->fin_off);
  free(p->fin_zone);
  free(p->pairs);
  free(p->pair_off);
  free(p->zpair_off);
  free(p->zpair);
  free(p->zw);
  free(p->zp);
  free(p->strips);
  free(p->task);
  memset(p, 0, sizeof *p);
}
