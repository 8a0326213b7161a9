/* The coverage build on several threads: spans, row offsets, covered cells
 * and the zonal results over them are the same, byte for byte, on 1, 2 and
 * 3 threads, in every mode; errors name the same feature. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <gdal.h>

#include "core/coverage.h"
#include "core/gdalx.h"
#include "core/raster.h"
#include "core/zonal.h"
#include "test_coverage_util.h"

#define NX 24
#define NY 16
#define SIDE 40 /* points per polygon side: 160 per polygon, 61k in all */
#define W 700
#define H 460

static unsigned long rng = 12345;
static double rnd(void) { /* in [0, 1) */
  rng = rng * 6364136223846793005UL + 1442695040888963407UL;
  return (double)(rng >> 11) / 9007199254740992.0;
}

/* A lattice of NX x NY quads with jittered corners and wiggly sides shared
 * by neighbours (so they tile), slightly larger than the grid so that the
 * border polygons stick out; every 7th has a hole, every 11th a second
 * part. Grid: W x H cells of 1 unit, origin (0, H). */
static cb_polyset *lattice(void) {
  static double cx[NX + 1][NY + 1], cy[NX + 1][NY + 1];
  double dx = (W + 20.0) / NX, dy = (H + 20.0) / NY;
  for (int i = 0; i <= NX; i++)
    for (int j = 0; j <= NY; j++) {
      int edge = i == 0 || i == NX || j == 0 || j == NY;
      cx[i][j] = -10 + i * dx + (edge ? 0 : (rnd() - 0.5) * 0.4 * dx);
      cy[i][j] = -10 + j * dy + (edge ? 0 : (rnd() - 0.5) * 0.4 * dy);
    }
  cb_polyset *ps = tp_new(NX * NY);
  double *ring = malloc(sizeof(double) * 2 * 4 * SIDE);
  for (int j = 0; j < NY; j++)
    for (int i = 0; i < NX; i++) {
      int ci[5] = {i, i + 1, i + 1, i, i}, cj[5] = {j, j, j + 1, j + 1, j};
      size_t n = 0;
      for (int s = 0; s < 4; s++) {
        double ax = cx[ci[s]][cj[s]], ay = cy[ci[s]][cj[s]];
        double bx = cx[ci[s + 1]][cj[s + 1]], by = cy[ci[s + 1]][cj[s + 1]];
        /* the wiggle is the same drawn either way, so neighbours share it */
        double amp = 1.5 * sin((ax + bx) * 0.37 + (ay + by) * 0.11);
        int flat = fabs(bx - ax) > fabs(by - ay);
        for (int k = 0; k < SIDE; k++) {
          double t = (double)k / SIDE, a = amp * sin(M_PI * t) * sin(5 * M_PI * t);
          ring[2 * n] = ax + t * (bx - ax) + (flat ? 0 : a);
          ring[2 * n + 1] = ay + t * (by - ay) + (flat ? a : 0);
          n++;
        }
      }
      size_t z = (size_t)j * NX + i;
      tp_ring(ps, z, ring, n, 0);
      double mx = (cx[i][j] + cx[i + 1][j + 1]) / 2, my = (cy[i][j] + cy[i + 1][j + 1]) / 2;
      if (z % 7 == 3) {
        double hole[] = {mx - 3.3, my - 2.1, mx + 2.7, my - 2.4, mx + 3.1, my + 2.9, mx - 2.2, my + 3.4};
        tp_ring(ps, z, hole, 4, 1);
      }
      if (z % 11 == 5) { /* a far island of the same feature */
        double isl[] = {fmod(mx * 7.3, W), fmod(my * 3.1, H), fmod(mx * 7.3, W) + 4.6,
                        fmod(my * 3.1, H) + 0.7, fmod(mx * 7.3, W) + 1.2, fmod(my * 3.1, H) + 5.3};
        tp_ring(ps, z, isl, 3, 0);
      }
    }
  free(ring);
  return ps;
}

static cb_coverage *build_n(const cb_grid *g, const cb_polyset *ps, cb_cover_mode m, int threads) {
  cb_err e = {{0}};
  cb_coverage *c = cb_coverage_build_threads(g, ps, m, threads, &e);
  if (!c) fail_msg("build on %d threads failed: %s", threads, e.msg);
  return c;
}

static void assert_same(const cb_coverage *a, const cb_coverage *b, int threads) {
  if (a->nspans != b->nspans)
    fail_msg("%d threads: %zu spans, 1 thread: %zu", threads, b->nspans, a->nspans);
  assert_int_equal(a->nzones, b->nzones);
  assert_memory_equal(a->spans, b->spans, a->nspans * sizeof *a->spans);
  assert_int_equal(a->nrows, b->nrows);
  assert_memory_equal(a->row_y, b->row_y, a->nrows * sizeof *a->row_y);
  assert_memory_equal(a->row_off, b->row_off, (a->nrows + 1) * sizeof *a->row_off);
  assert_memory_equal(a->zone_cells, b->zone_cells, a->nzones * sizeof(double));
  assert_memory_equal(a->zone_area_outside, b->zone_area_outside, a->nzones * sizeof(double));
}

/* A W x H float32 raster in /vsimem with a smooth field, noise and some
 * nodata cells. */
static void make_raster(const char *path) {
  cb_gdal_init();
  GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), path, W, H, 1, GDT_Float32, NULL);
  double gt[6] = {0, 1, 0, H, 0, -1};
  GDALSetGeoTransform(ds, gt);
  GDALRasterBandH b = GDALGetRasterBand(ds, 1);
  GDALSetRasterNoDataValue(b, -9999);
  float *v = malloc(sizeof(float) * W * H);
  for (int i = 0; i < W * H; i++)
    v[i] = i % 97 == 5 ? -9999.0f : (float)(20 + 10 * sin(i % W / 50.0) + rnd());
  assert_int_equal(GDALRasterIO(b, GF_Write, 0, 0, W, H, v, W, H, GDT_Float32, 0, 0), CE_None);
  free(v);
  GDALClose(ds);
}

static void stats(const cb_coverage *c, cb_raster *r, cb_zonal_result *res) {
  cb_err e = {{0}};
  cb_zonal_opts o = {0};
  if (cb_zonal_stats(c, r, &o, res, &e)) fail_msg("stats: %s", e.msg);
}

static void assert_same_stats(const cb_zonal_result *a, const cb_zonal_result *b) {
  size_t n = a->n * sizeof(double);
  assert_int_equal(a->n, b->n);
  assert_memory_equal(a->count, b->count, n);
  assert_memory_equal(a->sum, b->sum, n);
  assert_memory_equal(a->mean, b->mean, n);
  assert_memory_equal(a->min, b->min, n);
  assert_memory_equal(a->max, b->max, n);
  assert_memory_equal(a->cells, b->cells, n);
  assert_memory_equal(a->missing, b->missing, n);
}

static void test_same_for_any_thread_count(void **state) {
  (void)state;
  cb_polyset *ps = lattice();
  cb_grid g = tp_grid(0, H, 1, W, H);
  const char *path = "/vsimem/threads.tif";
  make_raster(path);
  cb_err e = {{0}};
  cb_raster *r = cb_raster_open(path, NULL, &e);
  assert_non_null(r);
  cb_cover_mode modes[] = {CB_COVER_EXACT, CB_COVER_TOUCHED, CB_COVER_CENTER};
  for (int m = 0; m < 3; m++) {
    cb_coverage *one = build_n(&g, ps, modes[m], 1);
    assert_true(one->nspans > 10000); /* enough work for several chunks */
    double cells = 0;
    for (size_t z = 0; z < one->nzones; z++) cells += one->zone_cells[z];
    assert_true(cells > 0.9 * W * H); /* the lattice covers the grid */
    cb_zonal_result r1;
    stats(one, r, &r1);
    for (int th = 2; th <= 3; th++) {
      cb_coverage *c = build_n(&g, ps, modes[m], th);
      assert_same(one, c, th);
      cb_zonal_result rn;
      stats(c, r, &rn);
      assert_same_stats(&r1, &rn);
      cb_zonal_free(&rn);
      cb_coverage_free(c);
    }
    cb_zonal_free(&r1);
    cb_coverage_free(one);
  }
  cb_raster_close(r);
  VSIUnlink(path);
  cb_polyset_free(ps);
}

/* A non-finite point in two features: the error names the first, whatever
 * the thread that meets it. */
static void test_error_names_first_bad_feature(void **state) {
  (void)state;
  cb_polyset *ps = lattice();
  ps->polys[300].rings[0].xy[7] = NAN;
  ps->polys[20].rings[0].xy[4] = INFINITY;
  cb_grid g = tp_grid(0, H, 1, W, H);
  for (int th = 1; th <= 3; th++) {
    cb_err e = {{0}};
    assert_null(cb_coverage_build_threads(&g, ps, CB_COVER_EXACT, th, &e));
    assert_non_null(strstr(e.msg, "feature 21 has a non-finite coordinate (ring 1, point 3)"));
  }
  cb_polyset_free(ps);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_same_for_any_thread_count),
      cmocka_unit_test(test_error_names_first_bad_feature),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
