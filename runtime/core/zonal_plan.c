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

/* Widens strip s by the spans of coverage row u. */
static void take_row(zstrip *s, const cb_coverage *c, size_t u) {
  int w = c->grid.ncols;
  for (size_t i = c->row_off[u]; i < c->row_off[u + 1]; i++) {
    int a = c->spans[i].x0 < 0 ? 0 : c->spans[i].x0;
    int b = c->spans[i].x1 > w ? w : c->spans[i].x1;
    if (a < s->x0) s->x0 = a;
    if (b > s->x1) s->x1 = b;
  }
  s->y1 = c->row_y[u] + 1;
  s->u1 = u + 1;
}

int zplan_build(zplan *p, const cb_coverage *c, const cb_raster *r,
                int strip_rows, int fine) {
  memset(p, 0, sizeof *p);
  int rs, rt;
  sizes(r, strip_rows, fine, &rs, &rt);
  size_t cap = 0;
  long cur_t = -1, cur_k = -1;
  for (size_t u = 0; u < c->nrows; u++) {
    int y = c->row_y[u];
    long t = y / rt, k = (y % rt) / rs;
    if (t != cur_t || k != cur_k) {
      if (p->nstrips == cap && grow(p, &cap)) return -1;
      if (t != cur_t) p->task[p->ntasks++] = p->nstrips;
      p->strips[p->nstrips++] = (zstrip){y, y + 1, c->grid.ncols, 0, u, u + 1};
      cur_t = t, cur_k = k;
    }
    take_row(&p->strips[p->nstrips - 1], c, u);
  }
  if (!p->task && grow(p, &cap)) return -1;
  p->task[p->ntasks] = p->nstrips;
  for (size_t i = 0; i < p->nstrips; i++) {
    zstrip *s = &p->strips[i];
    if (s->x1 < s->x0) s->x1 = s->x0; /* only empty spans: nothing to read */
    size_t cells = (size_t)(s->y1 - s->y0) * (size_t)(s->x1 - s->x0);
    if (cells > p->max_cells) p->max_cells = cells;
    if (s->x1 - s->x0 > p->max_width) p->max_width = s->x1 - s->x0;
  }
  return 0;
}

int zplan_finishers(zplan *p, const cb_coverage *c) {
  size_t nz = c->nzones, ns = p->nstrips;
  uint32_t *last = malloc((nz ? nz : 1) * sizeof *last);
  p->fin_off = calloc(ns + 2, sizeof *p->fin_off);
  p->fin_zone = malloc((nz ? nz : 1) * sizeof *p->fin_zone);
  if (!last || !p->fin_off || !p->fin_zone) {
    free(last);
    return -1;
  }
  for (size_t z = 0; z < nz; z++) last[z] = (uint32_t)ns; /* none */
  for (size_t s = 0; s < ns; s++)
    for (size_t i = c->row_off[p->strips[s].u0]; i < c->row_off[p->strips[s].u1]; i++)
      last[c->spans[i].zone] = (uint32_t)s;
  /* counting sort of the zones by last strip (zone order within one) */
  for (size_t z = 0; z < nz; z++) p->fin_off[last[z] + 1]++;
  for (size_t s = 0; s <= ns; s++) p->fin_off[s + 1] += p->fin_off[s];
  size_t *at = malloc((ns + 1) * sizeof *at);
  if (!at) {
    free(last);
    return -1;
  }
  memcpy(at, p->fin_off, (ns + 1) * sizeof *at);
  for (size_t z = 0; z < nz; z++) p->fin_zone[at[last[z]]++] = (uint32_t)z;
  free(at);
  free(last);
  return 0;
}

void zplan_free(zplan *p) {
  free(p->fin_off);
  free(p->fin_zone);
  free(p->strips);
  free(p->task);
  memset(p, 0, sizeof *p);
}
