/* Unit tests for the zonal engine on hand-made coverages and GDAL rasters in
 * /vsimem: sums against a naive loop, bit-identical results for any thread
 * count, weights, nodata sets with scale/offset, grid mismatches. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>

#include "core/coverage.h"
#include "core/gdalx.h"
#include "core/raster.h"
#include "core/zonal.h"

#define W 37
#define H 29
#define NZ 5

static double GT[6] = {100, 0.01, 0, 40, 0, -0.01};

/* Writes a W x H float32 GeoTIFF with pseudo-random values; every 11th
 * cell is nodata (-9999) and every 17th NaN. */
static void make_raster(const char *path, unsigned seed, int with_missing) {
  cb_gdal_init();
  GDALDriverH d = GDALGetDriverByName("GTiff");
  GDALDatasetH ds = GDALCreate(d, path, W, H, 1, GDT_Float32, NULL);
  GDALSetGeoTransform(ds, GT);
  GDALRasterBandH b = GDALGetRasterBand(ds, 1);
  GDALSetRasterNoDataValue(b, -9999);
  float *v = malloc(sizeof(float) * W * H);
  srand(seed);
  for (int i = 0; i < W * H; i++) {
    v[i] = (float)(rand() % 10000) / 100.0f - 20.0f;
    if (with_missing && i % 11 == 3) v[i] = -9999;
    if (with_missing && i % 17 == 5) v[i] = NAN;
  }
  assert_int_equal(GDALRasterIO(b, GF_Write, 0, 0, W, H, v, W, H, GDT_Float32,
                                0, 0), CE_None);
  free(v);
  GDALClose(ds);
}

/* Random spans: a few per row (none on some rows), zones 0..NZ-1, weights
 * in (0, 1]; only rows with spans are listed. */
static cb_coverage *make_coverage(unsigned seed) {
  cb_coverage *c = calloc(1, sizeof *c);
  memcpy(c->grid.gt, GT, sizeof GT);
  c->grid.ncols = W, c->grid.nrows = H;
  c->nzones = NZ;
  c->spans = malloc(sizeof(cb_span) * H * 6);
  c->row_y = malloc(sizeof(int32_t) * H);
  c->row_off = malloc(sizeof(size_t) * (H + 1));
  c->zone_cells = calloc(NZ, sizeof(double));
  c->zone_area_outside = calloc(NZ, sizeof(double));
  srand(seed);
  size_t n = 0;
  for (int r = 0; r < H; r++) {
    int k = rand() % 6;
    if (k == 0) continue;
    c->row_y[c->nrows] = r;
    c->row_off[c->nrows++] = n;
    for (int i = 0; i < k; i++) {
      int x0 = rand() % W, len = 1 + rand() % 9;
      int x1 = x0 + len > W ? W : x0 + len;
      float w = (rand() % 3 == 0) ? 1.0f : (float)(1 + rand() % 100) / 100.0f;
      uint32_t z = (uint32_t)(rand() % NZ);
      c->spans[n++] = (cb_span){x0, x1, z, w};
      c->zone_cells[z] += (double)w * (x1 - x0);
    }
  }
  c->row_off[c->nrows] = n;
  c->nspans = n;
  c->zone_area_outside[1] = 2.5;
  return c;
}

/* Naive two-pass statistics for zone z: count, sum, mean, stdev (by
 * coverage), wcount, wsum, wmean, wstdev (by coverage x weight: wv[cell]
 * or areas[row]), missing. NaN weights make the weighted ones NaN. */
enum { N_CNT, N_SUM, N_MEAN, N_SD, N_WC, N_WS, N_WMEAN, N_WSD, N_MISS, N_N };
static void naive(const cb_coverage *c, const double *v, const double *wv,
                  const double *areas, size_t z, double out[N_N]) {
  double cnt = 0, s = 0, wc = 0, ws = 0, miss = 0, m2 = 0, wm2 = 0;
  for (int pass = 0; pass < 2; pass++)
    for (size_t u = 0; u < c->nrows; u++)
      for (size_t i = c->row_off[u]; i < c->row_off[u + 1]; i++) {
        const cb_span *sp = &c->spans[i];
        int r = c->row_y[u];
        if (sp->zone != z) continue;
        for (int x = sp->x0; x < sp->x1; x++) {
          double val = v[r * W + x], w = areas ? areas[u] : wv ? wv[r * W + x] : 1;
          if (isnan(val)) {
            if (pass == 0) miss += sp->w;
            continue;
          }
          if (pass == 0) {
            cnt += sp->w, s += sp->w * val, wc += sp->w * w, ws += sp->w * w * val;
          } else {
            double d = val - s / cnt, wd = val - ws / wc;
            m2 += sp->w * d * d, wm2 += sp->w * w * wd * wd;
          }
        }
      }
  double o[N_N] = {cnt, s, s / cnt, sqrt(m2 / cnt), wc, ws, ws / wc,
                   sqrt(wm2 / wc), miss + c->zone_area_outside[z]};
  memcpy(out, o, sizeof o);
}

static double *read_all(cb_raster *r) {
  double *v = malloc(sizeof(double) * W * H);
  cb_err e;
  assert_int_equal(cb_raster_read_rows(cb_raster_main_reader(r), 0, H, v, &e), 0);
  return v;
}

static void close_to(double a, double b) {
  if (isnan(b)) {
    assert_true(isnan(a));
    return;
  }
  assert_true(fabs(a - b) <= 1e-11 * (fabs(b) > 1 ? fabs(b) : 1));
}

static void check_naive(const cb_coverage *c, const cb_zonal_result *res,
                        const double *v, const double *wv, const double *areas) {
  for (size_t z = 0; z < NZ; z++) {
    double want[N_N];
    naive(c, v, wv, areas, z, want);
    close_to(res->count[z], want[N_CNT]);
    close_to(res->sum[z], want[N_SUM]);
    close_to(res->mean[z], want[N_MEAN]);
    close_to(res->stdev[z], want[N_SD]);
    close_to(res->variance[z], want[N_SD] * want[N_SD]);
    if (wv || areas) {
      close_to(res->wcount[z], want[N_WC]);
      close_to(res->wsum[z], want[N_WS]);
      close_to(res->wmean[z], want[N_WMEAN]);
      close_to(res->wstdev[z], want[N_WSD]);
    } else {
      assert_true(isnan(res->wsum[z]));
    }
    close_to(res->missing[z], want[N_MISS]);
    close_to(res->cells[z], res->valid[z] + res->missing[z] -
                                c->zone_area_outside[z]);
  }
}

static void test_matches_naive(void **state) {
  (void)state;
  make_raster("/vsimem/z1.tif", 1, 1);
  cb_err e;
  cb_raster *r = cb_raster_open("/vsimem/z1.tif", NULL, &e);
  assert_non_null(r);
  cb_coverage *c = make_coverage(2);
  cb_zonal_opts o = {.threads = 1, .strip_rows = 4};
  cb_zonal_result res;
  assert_int_equal(cb_zonal_stats(c, r, &o, &res, &e), 0);
  double *v = read_all(r);
  check_naive(c, &res, v, NULL, NULL);
  /* min and max against a direct scan */
  for (size_t z = 0; z < NZ; z++) {
    double mn = INFINITY, mx = -INFINITY;
    for (size_t u = 0; u < c->nrows; u++)
      for (size_t i = c->row_off[u]; i < c->row_off[u + 1]; i++)
        for (int x = c->spans[i].x0, y = c->row_y[u]; x < c->spans[i].x1; x++)
          if (c->spans[i].zone == z && !isnan(v[y * W + x])) {
            mn = fmin(mn, v[y * W + x]);
            mx = fmax(mx, v[y * W + x]);
          }
    assert_true(res.min[z] == mn && res.max[z] == mx);
  }
  free(v);
  cb_zonal_free(&res);
  cb_coverage_free(c);
  cb_raster_close(r);
}

static int same_bits(const cb_zonal_result *a, const cb_zonal_result *b) {
  size_t k = a->n * sizeof(double);
  const double *x[] = {a->count, a->sum, a->mean, a->stdev, a->variance,
                       a->min, a->max, a->missing, a->wcount, a->wsum},
               *y[] = {b->count, b->sum, b->mean, b->stdev, b->variance,
                       b->min, b->max, b->missing, b->wcount, b->wsum};
  for (size_t i = 0; i < sizeof x / sizeof *x; i++)
    if (memcmp(x[i], y[i], k)) return 0;
  return 1;
}

static void test_threads_bit_identical(void **state) {
  (void)state;
  make_raster("/vsimem/z2.tif", 3, 1);
  cb_err e;
  cb_raster *r = cb_raster_open("/vsimem/z2.tif", NULL, &e);
  cb_coverage *c = make_coverage(4);
  cb_zonal_result ref, res;
  cb_zonal_opts o = {.threads = 1, .strip_rows = 2};
  assert_int_equal(cb_zonal_stats(c, r, &o, &ref, &e), 0);
  int counts[] = {2, 3, 7, 16};
  for (size_t i = 0; i < 4; i++) {
    o.threads = counts[i];
    assert_int_equal(cb_zonal_stats(c, r, &o, &res, &e), 0);
    assert_true(same_bits(&ref, &res));
    cb_zonal_free(&res);
  }
  cb_zonal_free(&ref);
  cb_coverage_free(c);
  cb_raster_close(r);
}

static void test_area_and_raster_weights(void **state) {
  (void)state;
  make_raster("/vsimem/z3.tif", 5, 1);
  make_raster("/vsimem/w3.tif", 6, 0);
  cb_err e;
  cb_raster *r = cb_raster_open("/vsimem/z3.tif", NULL, &e);
  /* weights: the second raster shifted to be positive */
  cb_raster_opts wo = {.has_offset = 1, .offset = 25};
  cb_raster *wr = cb_raster_open("/vsimem/w3.tif", &wo, &e);
  assert_non_null(wr);
  cb_coverage *c = make_coverage(7);
  double areas[H];
  for (int i = 0; i < H; i++) areas[i] = 1000 + 10 * i;
  cb_zonal_opts o = {.threads = 2, .strip_rows = 5, .weights = CB_WEIGHT_AREA,
                     .row_areas = areas};
  cb_zonal_result res;
  assert_int_equal(cb_zonal_stats(c, r, &o, &res, &e), 0);
  double *v = read_all(r), *wv = read_all(wr);
  check_naive(c, &res, v, NULL, areas);
  cb_zonal_free(&res);
  o.weights = CB_WEIGHT_RASTER, o.weight_raster = wr;
  assert_int_equal(cb_zonal_stats(c, r, &o, &res, &e), 0);
  check_naive(c, &res, v, wv, NULL);
  cb_zonal_free(&res);
  free(v), free(wv);
  cb_coverage_free(c);
  cb_raster_close(r);
  cb_raster_close(wr);
}

static void test_grid_mismatch(void **state) {
  (void)state;
  make_raster("/vsimem/z4.tif", 8, 0);
  cb_err e;
  cb_raster *r = cb_raster_open("/vsimem/z4.tif", NULL, &e);
  cb_coverage *c = make_coverage(9);
  c->grid.gt[0] += 0.5;
  cb_zonal_result res;
  assert_int_equal(cb_zonal_stats(c, r, NULL, &res, &e), -1);
  assert_non_null(strstr(e.msg, "origin"));
  assert_non_null(strstr(e.msg, "cbal.zones(layer, raster)"));
  cb_coverage_free(c);
  cb_raster_close(r);
}

/* MOD17-like int16: fill codes 32761..32767, scale 0.0001, valid range. */
static void test_nodata_set_scale(void **state) {
  (void)state;
  cb_gdal_init();
  GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), "/vsimem/m.tif",
                               4, 2, 1, GDT_Int16, NULL);
  GDALSetGeoTransform(ds, GT);
  GDALRasterBandH b = GDALGetRasterBand(ds, 1);
  GDALSetRasterNoDataValue(b, 32767);
  int16_t v[8] = {100, 32761, 32767, -30001, 5000, 32765, 0, 32700};
  assert_int_equal(GDALRasterIO(b, GF_Write, 0, 0, 4, 2, v, 4, 2, GDT_Int16, 0, 0),
                   CE_None);
  GDALClose(ds);
  double nd[] = {32761, 32762, 32763, 32764, 32765, 32766, 32767};
  cb_raster_opts o = {.nodata_given = 1, .nodata = nd, .nnodata = 7,
                      .has_range = 1, .lo = -30000, .hi = 32700,
                      .has_scale = 1, .scale = 0.0001};
  cb_err e;
  cb_raster *r = cb_raster_open("/vsimem/m.tif", &o, &e);
  double out[8];
  assert_int_equal(cb_raster_read_rows(cb_raster_main_reader(r), 0, 2, out, &e), 0);
  double want[8] = {0.01, NAN, NAN, NAN, 0.5, NAN, 0, 3.27};
  for (int i = 0; i < 8; i++) {
    if (isnan(want[i]))
      assert_true(isnan(out[i]));
    else
      close_to(out[i], want[i]);
  }
  /* declared nodata alone leaves the other fill codes as data */
  cb_raster *r2 = cb_raster_open("/vsimem/m.tif", NULL, &e);
  assert_int_equal(cb_raster_read_rows(cb_raster_main_reader(r2), 0, 1, out, &e), 0);
  assert_true(out[1] == 32761 && isnan(out[2]));
  cb_raster_close(r);
  cb_raster_close(r2);
}

static void test_open_errors(void **state) {
  (void)state;
  make_raster("/vsimem/z5.tif", 8, 0);
  cb_err e;
  cb_raster_opts o = {.band = 3};
  assert_null(cb_raster_open("/vsimem/z5.tif", &o, &e));
  assert_non_null(strstr(e.msg, "band 3 does not exist"));
  assert_null(cb_raster_open("/vsimem/none.tif", NULL, &e));
  assert_non_null(strstr(e.msg, "cannot open raster '/vsimem/none.tif'"));
}

/* A coverage of grid g with one full-width span per row for zone 0. */
static cb_coverage *full_coverage(const double gt[6], int w, int h) {
  cb_coverage *c = calloc(1, sizeof *c);
  memcpy(c->grid.gt, gt, 6 * sizeof *gt);
  c->grid.ncols = w, c->grid.nrows = h;
  c->nzones = 1;
  c->spans = malloc(sizeof(cb_span) * h);
  c->row_y = malloc(sizeof(int32_t) * h);
  c->row_off = malloc(sizeof(size_t) * (h + 1));
  c->zone_cells = calloc(1, sizeof(double));
  c->zone_area_outside = calloc(1, sizeof(double));
  for (int r = 0; r < h; r++) {
    c->spans[r] = (cb_span){0, w, 0, 1.0f};
    c->row_y[r] = r;
    c->row_off[r] = (size_t)r;
  }
  c->row_off[h] = (size_t)h;
  c->nrows = c->nspans = (size_t)h;
  c->zone_cells[0] = (double)w * h;
  return c;
}

/* A sparse 20000 x 20000 tiled raster with one written tile and a polygon
 * of 10 x 10 cells inside it: the pass reads those 100 cells, not 4e8. */
static void test_tiny_zone_reads_its_cells(void **state) {
  (void)state;
  cb_gdal_init();
  char **co = CSLSetNameValue(NULL, "TILED", "YES");
  co = CSLSetNameValue(co, "SPARSE_OK", "TRUE");
  GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), "/vsimem/huge.tif",
                               20000, 20000, 1, GDT_Float32, co);
  CSLDestroy(co);
  double gt[6] = {0, 1, 0, 20000, 0, -1};
  GDALSetGeoTransform(ds, gt);
  float *tile = malloc(sizeof(float) * 256 * 256);
  for (int i = 0; i < 256 * 256; i++) tile[i] = 2.0f;
  assert_int_equal(GDALRasterIO(GDALGetRasterBand(ds, 1), GF_Write, 9984, 9984,
                                256, 256, tile, 256, 256, GDT_Float32, 0, 0),
                   CE_None);
  free(tile);
  GDALClose(ds);
  cb_err e;
  cb_raster *r = cb_raster_open("/vsimem/huge.tif", NULL, &e);
  cb_polyset ps = {0};
  cb_ring ring = {(double[]){10050, 9950, 10060, 9950, 10060, 9940, 10050, 9940},
                  4, 0};
  /* a second one at the far right of the same rows */
  cb_ring far = {(double[]){19900, 9950, 19910, 9950, 19910, 9940, 19900, 9940},
                 4, 0};
  cb_polygon poly[2] = {{&ring, 1}, {&far, 1}};
  ps.polys = poly, ps.n = 2;
  cb_grid g = {{0, 1, 0, 20000, 0, -1}, 20000, 20000};
  cb_coverage *c = cb_coverage_build(&g, &ps, CB_COVER_EXACT, &e);
  assert_non_null(c);
  assert_int_equal(c->nrows, 10);
  cb_zonal_opts o = {.threads = 2};
  cb_zonal_result res;
  unsigned long long before = cb_raster_cells_read;
  assert_int_equal(cb_zonal_stats(c, r, &o, &res, &e), 0);
  /* 100 cells each, not the 10 x 9860 band between them */
  assert_true(cb_raster_cells_read - before == 200);
  close_to(res.count[0], 100);
  close_to(res.sum[0], 200);
  close_to(res.count[1], 100);
  close_to(res.sum[1], 0); /* a sparse block reads as 0 */
  cb_zonal_free(&res);
  double half = 0.5; /* values too: each zone is finished in its own window */
  o.quantiles = &half, o.nq = 1;
  assert_int_equal(cb_zonal_stats(c, r, &o, &res, &e), 0);
  assert_true(res.quantile[0][0] == 2 && res.quantile[0][1] == 0);
  cb_zonal_free(&res);
  cb_coverage_free(c);
  cb_raster_close(r);
  VSIUnlink("/vsimem/huge.tif");
}

/* /vsicount/PATH reads PATH and counts the bytes read. */
static unsigned long long count_bytes; /* GDAL strips the prefix */
static void *cnt_open(void *ud, const char *name, const char *access) {
  (void)ud;
  return VSIFOpenL(name, access);
}
static int cnt_stat(void *ud, const char *name, VSIStatBufL *st, int flags) {
  (void)ud;
  return VSIStatExL(name, st, flags);
}
static vsi_l_offset cnt_tell(void *f) { return VSIFTellL(f); }
static int cnt_seek(void *f, vsi_l_offset o, int wh) { return VSIFSeekL(f, o, wh); }
static size_t cnt_read(void *f, void *buf, size_t sz, size_t n) {
  size_t k = VSIFReadL(buf, sz, n, f);
  __atomic_add_fetch(&count_bytes, (unsigned long long)k * sz, __ATOMIC_RELAXED);
  return k;
}
static int cnt_eof(void *f) { return VSIFEofL(f); }
static int cnt_close(void *f) { return VSIFCloseL(f); }

static void install_counter(void) {
  static int done;
  if (done) return;
  VSIFilesystemPluginCallbacksStruct *cb = VSIAllocFilesystemPluginCallbacksStruct();
  cb->open = cnt_open, cb->stat = cnt_stat, cb->tell = cnt_tell;
  cb->seek = cnt_seek, cb->read = cnt_read, cb->eof = cnt_eof;
  cb->close = cnt_close;
  VSIInstallPluginHandler("/vsicount/", cb);
  VSIFreeFilesystemPluginCallbacksStruct(cb);
  done = 1;
}

/* A single-strip DEFLATE file read in strips much shorter than its one
 * block: the block is read and decoded once, not once per strip. */
static void test_single_strip_read_once(void **state) {
  (void)state;
  cb_gdal_init();
  install_counter();
  int n = 600;
  char **co = CSLSetNameValue(NULL, "COMPRESS", "DEFLATE");
  co = CSLSetNameValue(co, "BLOCKYSIZE", "600");
  GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), "/vsimem/strip.tif",
                               n, n, 1, GDT_Float32, co);
  CSLDestroy(co);
  double gt[6] = {0, 1, 0, 600, 0, -1};
  GDALSetGeoTransform(ds, gt);
  float *v = malloc(sizeof(float) * n * n);
  for (int i = 0; i < n * n; i++) v[i] = (float)(i % 977);
  assert_int_equal(GDALRasterIO(GDALGetRasterBand(ds, 1), GF_Write, 0, 0, n, n,
                                v, n, n, GDT_Float32, 0, 0), CE_None);
  free(v);
  GDALClose(ds);
  VSIStatBufL st;
  assert_int_equal(VSIStatL("/vsimem/strip.tif", &st), 0);
  cb_err e;
  cb_raster *r = cb_raster_open("/vsicount//vsimem/strip.tif", NULL, &e);
  assert_non_null(r);
  int bx, by;
  cb_raster_block_size(r, &bx, &by);
  assert_int_equal(by, 600); /* one strip */
  cb_coverage *c = full_coverage(gt, n, n);
  cb_zonal_result res;
  for (int th = 1; th <= 2; th++) {
    cb_zonal_opts o = {.threads = th, .strip_rows = 20}; /* 30 strips */
    count_bytes = 0;
    assert_int_equal(cb_zonal_stats(c, r, &o, &res, &e), 0);
    /* the file once (and its header), not 30 times */
    assert_true(count_bytes < 2 * (unsigned long long)st.st_size);
    close_to(res.count[0], (double)n * n);
    cb_zonal_free(&res);
  }
  cb_coverage_free(c);
  cb_raster_close(r);
  VSIUnlink("/vsimem/strip.tif");
}

/* Ten zones stacked in bands of 6 rows: value statistics are identical
 * for any thread count and strip height, and each zone's values are let go
 * once its rows are done (at most about one zone is held at a time). */
static void test_values_streamed(void **state) {
  (void)state;
  cb_gdal_init();
  int w = 20, h = 60;
  GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), "/vsimem/bands.tif",
                               w, h, 1, GDT_Float32, NULL);
  double gt[6] = {0, 1, 0, 60, 0, -1};
  GDALSetGeoTransform(ds, gt);
  float v[20 * 60];
  srand(11);
  for (int i = 0; i < w * h; i++) v[i] = (float)(rand() % 50);
  assert_int_equal(GDALRasterIO(GDALGetRasterBand(ds, 1), GF_Write, 0, 0, w, h, v,
                                w, h, GDT_Float32, 0, 0), CE_None);
  GDALClose(ds);
  cb_err e;
  cb_raster *r = cb_raster_open("/vsimem/bands.tif", NULL, &e);
  cb_coverage *c = full_coverage(gt, w, h);
  c->nzones = 10;
  free(c->zone_cells);
  free(c->zone_area_outside);
  c->zone_cells = calloc(10, sizeof(double));
  c->zone_area_outside = calloc(10, sizeof(double));
  for (int y = 0; y < h; y++) {
    c->spans[y].zone = (uint32_t)(y / 6);
    c->spans[y].w = y % 3 ? 1.0f : 0.5f;
    c->zone_cells[y / 6] += c->spans[y].w * w;
  }
  double q[] = {0.5, 0.1, 0.9};
  cb_zonal_result ref, res;
  cb_zonal_opts o = {.threads = 1, .strip_rows = 1, .quantiles = q, .nq = 3,
                     .values = 1};
  assert_int_equal(cb_zonal_stats(c, r, &o, &ref, &e), 0);
  assert_true(ref.values_peak <= 6 * 20); /* one zone at a time */
  int th[] = {2, 3, 2, 1}, sr[] = {1, 4, 7, 60};
  for (int k = 0; k < 4; k++) {
    o.threads = th[k], o.strip_rows = sr[k];
    assert_int_equal(cb_zonal_stats(c, r, &o, &res, &e), 0);
    for (int i = 0; i < 3; i++)
      assert_memory_equal(ref.quantile[i], res.quantile[i], 10 * sizeof(double));
    assert_memory_equal(ref.mode, res.mode, 10 * sizeof(double));
    assert_memory_equal(ref.variety, res.variety, 10 * sizeof(double));
    cb_zonal_free(&res);
  }
  /* the median is between min and max, q = 0.1 below it, 0.9 above */
  for (int z = 0; z < 10; z++) {
    assert_true(ref.min[z] <= ref.quantile[1][z]);
    assert_true(ref.quantile[1][z] <= ref.quantile[0][z]);
    assert_true(ref.quantile[0][z] <= ref.quantile[2][z]);
    assert_true(ref.quantile[2][z] <= ref.max[z]);
  }
  cb_zonal_free(&ref);
  cb_coverage_free(c);
  cb_raster_close(r);
  VSIUnlink("/vsimem/bands.tif");
}

/* Without the spread statistics (no_spread) the pass skips their sums: the
 * other results are the same to the bit, the variances NaN. */
static void test_no_spread(void **state) {
  (void)state;
  make_raster("/vsimem/z9.tif", 9, 1);
  make_raster("/vsimem/w9.tif", 10, 0);
  cb_err e;
  cb_raster *r = cb_raster_open("/vsimem/z9.tif", NULL, &e);
  cb_raster_opts wo = {.has_offset = 1, .offset = 25};
  cb_raster *wr = cb_raster_open("/vsimem/w9.tif", &wo, &e);
  cb_coverage *c = make_coverage(11);
  for (int weighted = 0; weighted < 2; weighted++) {
    cb_zonal_opts o = {.threads = 2, .strip_rows = 3};
    if (weighted) o.weights = CB_WEIGHT_RASTER, o.weight_raster = wr;
    cb_zonal_result all, some;
    assert_int_equal(cb_zonal_stats(c, r, &o, &all, &e), 0);
    o.no_spread = 1;
    assert_int_equal(cb_zonal_stats(c, r, &o, &some, &e), 0);
    size_t k = NZ * sizeof(double);
    const double *x[] = {all.count, all.sum, all.mean, all.min, all.max, all.valid,
                         all.missing, all.wcount, all.wsum, all.wmean},
                 *y[] = {some.count, some.sum, some.mean, some.min, some.max, some.valid,
                         some.missing, some.wcount, some.wsum, some.wmean};
    for (size_t i = 0; i < sizeof x / sizeof *x; i++) assert_memory_equal(x[i], y[i], k);
    for (size_t z = 0; z < NZ; z++) {
      assert_true(isnan(some.variance[z]) && isnan(some.stdev[z]) && isnan(some.cv[z]));
      assert_true(isnan(some.wvariance[z]) && isnan(some.wstdev[z]));
      if (all.count[z] > 0) assert_false(isnan(all.variance[z]));
    }
    cb_zonal_free(&all);
    cb_zonal_free(&some);
  }
  cb_coverage_free(c);
  cb_raster_close(r);
  cb_raster_close(wr);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_matches_naive),
      cmocka_unit_test(test_threads_bit_identical),
      cmocka_unit_test(test_area_and_raster_weights),
      cmocka_unit_test(test_grid_mismatch),
      cmocka_unit_test(test_nodata_set_scale),
      cmocka_unit_test(test_open_errors),
      cmocka_unit_test(test_tiny_zone_reads_its_cells),
      cmocka_unit_test(test_single_strip_read_once),
      cmocka_unit_test(test_values_streamed),
      cmocka_unit_test(test_no_spread),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
