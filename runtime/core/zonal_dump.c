/* The cells of one zone, listed: cell ids, values, coverage weights and
 * weights, reading only the rows and columns the zone covers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "zonal_int.h"

void cb_zonal_dump_free(cb_zonal_dump *d) {
  if (!d) return;
  free(d->cell), free(d->v), free(d->c), free(d->w);
  memset(d, 0, sizeof *d);
}

static int dump_grow(cb_zonal_dump *d, size_t need) {
  if (need <= d->cap) return 0;
  size_t cap = d->cap ? d->cap : 256;
  while (cap < need) cap *= 2;
  double *a[4] = {d->cell, d->v, d->c, d->w};
  for (int i = 0; i < 4; i++) {
    double *p = realloc(a[i], cap * sizeof *p);
    if (!p) return -1;
    a[i] = p;
  }
  d->cell = a[0], d->v = a[1], d->c = a[2], d->w = a[3];
  d->cap = cap;
  return 0;
}

/* The zone's columns in coverage row u: [*x0, *x1), or 0 when none. */
static int zone_cols(const cb_coverage *c, size_t u, uint32_t zone, int *x0,
                     int *x1) {
  *x0 = c->grid.ncols, *x1 = 0;
  for (size_t i = c->row_off[u]; i < c->row_off[u + 1]; i++) {
    const cb_span *s = &c->spans[i];
    if (s->zone != zone) continue;
    if (s->x0 < *x0) *x0 = s->x0 < 0 ? 0 : s->x0;
    if (s->x1 > *x1) *x1 = s->x1 > c->grid.ncols ? c->grid.ncols : s->x1;
  }
  return *x1 > *x0;
}

/* Reads one row window of r as doubles into out (raw in buf). */
static int read_row(cb_raster *r, int y, int x0, int x1, void *buf,
                    double *out, cb_err *e) {
  cb_raster_reader *rd = cb_raster_main_reader(r);
  if (cb_raster_read_window(rd, x0, y, x1 - x0, 1, buf, e)) return -1;
  cb_raster_convert_row(r, buf, out, (size_t)(x1 - x0));
  return 0;
}

/* Appends the zone's cells of row u (values in v, weights in wv, both
 * from column x0). */
static int dump_row(const cb_coverage *c, size_t u, uint32_t zone, int x0,
                    const double *v, const double *wv, const cb_zonal_opts *o,
                    double cf, double wrow, int nodata, cb_zonal_dump *d) {
  float minc = (float)o->min_coverage;
  for (size_t i = c->row_off[u]; i < c->row_off[u + 1]; i++) {
    const cb_span *s = &c->spans[i];
    if (s->zone != zone || s->w < minc) continue;
    int a = s->x0 < 0 ? 0 : s->x0, b = s->x1 > c->grid.ncols ? c->grid.ncols : s->x1;
    if (a < b && dump_grow(d, d->n + (size_t)(b - a))) return -1;
    for (int x = a; x < b; x++) {
      double val = v[x - x0];
      if (val != val && !nodata) continue;
      double w = wv ? wv[x - x0] : wrow;
      if (w != w) w = o->default_weight;
      d->cell[d->n] = (double)c->row_y[u] * c->grid.ncols + x;
      d->v[d->n] = val;
      d->c[d->n] = o->cover_weight == CB_COVW_NONE ? 1.0 : s->w * cf;
      d->w[d->n++] = o->weights == CB_WEIGHT_NONE ? NAN : w;
    }
  }
  return 0;
}

int cb_zonal_dump_zone(const cb_coverage *c, cb_raster *r, size_t zone,
                       const cb_zonal_opts *o, int nodata, cb_zonal_dump *d,
                       cb_err *e) {
  memset(d, 0, sizeof *d);
  if (zone >= c->nzones)
    return cb_err_set(e, "zone %zu does not exist (1..%zu)", zone + 1, c->nzones);
  cb_zonal_opts def = {0};
  if (!o) o = &def;
  if (cb_zonal_check_grid(&c->grid, r, e)) return -1;
  cb_raster *wr = o->weights == CB_WEIGHT_RASTER ? o->weight_raster : NULL;
  if (wr && cb_zonal_check_grid(&c->grid, wr, e)) return -1;
  size_t w = (size_t)c->grid.ncols;
  double *v = malloc(w * sizeof *v), *wv = wr ? malloc(w * sizeof *wv) : NULL;
  void *buf = malloc(w * sizeof(double));
  int rc = (!v || !buf || (wr && !wv)) ? cb_err_set(e, "out of memory") : 0;
  for (size_t u = 0; !rc && u < c->nrows; u++) {
    int x0, x1, y = c->row_y[u];
    if (!zone_cols(c, u, (uint32_t)zone, &x0, &x1)) continue;
    if (read_row(r, y, x0, x1, buf, v, e) || (wr && read_row(wr, y, x0, x1, buf, wv, e))) {
      rc = -1;
      break;
    }
    double wrow = o->weights == CB_WEIGHT_AREA ? o->row_areas[u] : 1.0;
    if (dump_row(c, u, (uint32_t)zone, x0, v, wv, o, zonal_cover_factor(o, &c->grid, y),
                 wrow, nodata, d))
      rc = cb_err_set(e, "out of memory");
  }
  cb_raster_reader_release(cb_raster_main_reader(r));
  if (wr) cb_raster_reader_release(cb_raster_main_reader(wr));
  free(v), free(wv), free(buf);
  if (rc) cb_zonal_dump_free(d);
  return rc;
}
