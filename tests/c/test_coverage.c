/* Unit tests for the coverage builder: hand-computed grids for the three
 * modes, and invariants of exact mode on random polygons and tilings. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/coverage.h"
#include "test_coverage_util.h"

static cb_coverage *build(const cb_grid *g, const cb_polyset *ps, cb_cover_mode m) {
  cb_err e = {{0}};
  cb_coverage *c = cb_coverage_build(g, ps, m, &e);
  if (!c) fail_msg("build failed: %s", e.msg);
  return c;
}

static void expect_grid(const double *got, const double *want, int n, double tol) {
  for (int i = 0; i < n; i++)
    if (fabs(got[i] - want[i]) > tol)
      fail_msg("cell %d (row %d of a %d-cell grid): got %.9g, want %.9g", i,
               i / (int)sqrt(n), n, got[i], want[i]);
}

/* A square centred on a 3x3 grid, corners at cell centres. */
static void test_centred_square(void **state) {
  (void)state;
  cb_grid g = tp_grid(0, 3, 1, 3, 3);
  cb_polyset *ps = tp_new(1);
  double sq[] = {0.5, 0.5, 2.5, 0.5, 2.5, 2.5, 0.5, 2.5};
  tp_ring(ps, 0, sq, 4, 0);
  double d[9];
  cb_coverage *c = build(&g, ps, CB_COVER_EXACT);
  tp_dense(c, 0, d);
  double want[9] = {.25, .5, .25, .5, 1, .5, .25, .5, .25};
  expect_grid(d, want, 9, 1e-7);
  assert_float_equal(c->zone_cells[0], 4.0, 1e-12);
  assert_float_equal(c->zone_area_outside[0], 0.0, 0);
  cb_coverage_free(c);

  /* Centre mode: every centre on the boundary follows GDAL's rule: a
   * crossing at a centre goes right, an edge owns its upper end in pixel
   * rows, and the bottom edge (on the last centre line) is filled. So a
   * 2x2-cell square takes 6 cells, as gdal_rasterize does. */
  c = build(&g, ps, CB_COVER_CENTER);
  tp_dense(c, 0, d);
  double wc[9] = {0, 1, 1, 0, 1, 1, 0, 1, 1};
  expect_grid(d, wc, 9, 0);
  assert_float_equal(c->zone_cells[0], 6.0, 0);
  cb_coverage_free(c);

  c = build(&g, ps, CB_COVER_TOUCHED);
  tp_dense(c, 0, d);
  double wt[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  expect_grid(d, wt, 9, 0);
  assert_int_equal(c->nspans, 3); /* one span per row */
  cb_coverage_free(c);
  cb_polyset_free(ps);
}

static void test_diamond(void **state) {
  (void)state;
  cb_grid g = tp_grid(0, 3, 1, 3, 3);
  cb_polyset *ps = tp_new(1);
  double dm[] = {1.5, 0, 3, 1.5, 1.5, 3, 0, 1.5};
  tp_ring(ps, 0, dm, 4, 0);
  double d[9];
  cb_coverage *c = build(&g, ps, CB_COVER_EXACT);
  tp_dense(c, 0, d);
  double want[9] = {.125, .75, .125, .75, 1, .75, .125, .75, .125};
  expect_grid(d, want, 9, 1e-7);
  assert_float_equal(c->zone_cells[0], 4.5, 1e-12);
  cb_coverage_free(c);
  c = build(&g, ps, CB_COVER_CENTER);
  tp_dense(c, 0, d);
  double wc[9] = {0, 1, 0, 1, 1, 1, 0, 1, 0};
  expect_grid(d, wc, 9, 0);
  cb_coverage_free(c);
  cb_polyset_free(ps);
}

/* A U shape: the notch takes the top middle cell and half the one below. */
static void test_notched(void **state) {
  (void)state;
  cb_grid g = tp_grid(0, 3, 1, 3, 3);
  cb_polyset *ps = tp_new(1);
  double u[] = {0, 0, 3, 0, 3, 3, 2, 3, 2, 1.5, 1, 1.5, 1, 3, 0, 3};
  tp_ring(ps, 0, u, 8, 0);
  double d[9];
  cb_coverage *c = build(&g, ps, CB_COVER_EXACT);
  tp_dense(c, 0, d);
  double want[9] = {1, 0, 1, 1, .5, 1, 1, 1, 1};
  expect_grid(d, want, 9, 1e-7);
  assert_float_equal(c->zone_cells[0], 7.5, 1e-12);
  cb_coverage_free(c);
  c = build(&g, ps, CB_COVER_TOUCHED);
  tp_dense(c, 0, d);
  double wt[9] = {1, 0, 1, 1, 1, 1, 1, 1, 1};
  expect_grid(d, wt, 9, 0);
  cb_coverage_free(c);
  cb_polyset_free(ps);
}

/* A hole given with the same orientation as its exterior still subtracts. */
static void test_hole(void **state) {
  (void)state;
  cb_grid g = tp_grid(0, 4, 1, 4, 4);
  cb_polyset *ps = tp_new(1);
  double outer[] = {0, 0, 4, 0, 4, 4, 0, 4};
  double hole[] = {1.25, 1.25, 2.75, 1.25, 2.75, 2.75, 1.25, 2.75};
  tp_ring(ps, 0, outer, 4, 0);
  tp_ring(ps, 0, hole, 4, 1);
  double d[16], want[16], wc[16];
  for (int i = 0; i < 16; i++) want[i] = wc[i] = 1;
  for (int r = 1; r <= 2; r++)
    for (int x = 1; x <= 2; x++) {
      want[r * 4 + x] = 1 - 0.75 * 0.75;
      wc[r * 4 + x] = 0;
    }
  cb_coverage *c = build(&g, ps, CB_COVER_EXACT);
  tp_dense(c, 0, d);
  expect_grid(d, want, 16, 1e-7);
  assert_float_equal(c->zone_cells[0], 16 - 2.25, 1e-12);
  cb_coverage_free(c);
  c = build(&g, ps, CB_COVER_CENTER);
  tp_dense(c, 0, d);
  expect_grid(d, wc, 16, 0);
  cb_coverage_free(c);
  c = build(&g, ps, CB_COVER_TOUCHED);
  tp_dense(c, 0, d);
  for (int i = 0; i < 16; i++) assert_float_equal(d[i], 1, 0);
  cb_coverage_free(c);
  cb_polyset_free(ps);
}

/* Two islands in one feature, edges on cell lines, opposite orientations. */
static void test_multipolygon_on_cell_lines(void **state) {
  (void)state;
  cb_grid g = tp_grid(0, 4, 1, 4, 4);
  cb_polyset *ps = tp_new(1);
  double a[] = {0, 0, 1, 0, 1, 1, 0, 1};
  double b[] = {2, 2, 2, 4, 3, 4, 3, 2}; /* clockwise */
  tp_ring(ps, 0, a, 4, 0);
  tp_ring(ps, 0, b, 4, 0);
  double d[16], want[16] = {0};
  want[3 * 4 + 0] = 1;          /* a: bottom-left cell */
  want[0 * 4 + 2] = want[1 * 4 + 2] = 1; /* b: column 2, top two rows */
  cb_cover_mode modes[] = {CB_COVER_EXACT, CB_COVER_CENTER, CB_COVER_TOUCHED};
  for (int m = 0; m < 3; m++) {
    cb_coverage *c = build(&g, ps, modes[m]);
    tp_dense(c, 0, d);
    expect_grid(d, want, 16, 0);
    assert_float_equal(c->zone_cells[0], 3, 1e-12);
    for (size_t i = 0; i < c->nspans; i++) assert_true(c->spans[i].w == 1.0f);
    cb_coverage_free(c);
  }
  cb_polyset_free(ps);
}

static void test_partly_and_wholly_outside(void **state) {
  (void)state;
  cb_grid g = tp_grid(0, 3, 1, 3, 3);
  cb_polyset *ps = tp_new(3);
  double p0[] = {-0.5, 2.5, 0.5, 2.5, 0.5, 3.5, -0.5, 3.5}; /* top-left corner */
  double p1[] = {10, 10, 11, 10, 11, 12, 10, 12};           /* far away */
  double p2[] = {-5, -5, 8, -5, 8, 8, -5, 8};               /* around the grid */
  tp_ring(ps, 0, p0, 4, 0);
  tp_ring(ps, 1, p1, 4, 0);
  tp_ring(ps, 2, p2, 4, 0);
  double d[9];
  cb_coverage *c = build(&g, ps, CB_COVER_EXACT);
  tp_dense(c, 0, d);
  double want[9] = {.25, 0, 0, 0, 0, 0, 0, 0, 0};
  expect_grid(d, want, 9, 1e-7);
  assert_float_equal(c->zone_cells[0], 0.25, 1e-12);
  assert_float_equal(c->zone_area_outside[0], 0.75, 1e-12);
  assert_int_equal(tp_dense(c, 1, d), 0);
  assert_float_equal(c->zone_cells[1], 0, 0);
  assert_float_equal(c->zone_area_outside[1], 2, 1e-12);
  tp_dense(c, 2, d);
  for (int i = 0; i < 9; i++) assert_float_equal(d[i], 1, 0);
  assert_float_equal(c->zone_cells[2], 9, 1e-12);
  assert_float_equal(c->zone_area_outside[2], 169 - 9, 1e-9);
  assert_int_equal(c->row_off[c->nrows], c->nspans);
  assert_true(c->nrows <= 3);
  cb_coverage_free(c);
  c = build(&g, ps, CB_COVER_CENTER);
  assert_float_equal(c->zone_cells[2], 9, 0);
  assert_float_equal(c->zone_cells[1], 0, 0);
  cb_coverage_free(c);
  cb_polyset_free(ps);
}

/* A south-up grid (gt[5] > 0) mirrors the rows of a north-up one. */
static void test_south_up(void **state) {
  (void)state;
  cb_grid n = tp_grid(0, 3, 1, 3, 3);
  cb_grid s = {{0, 1, 0, 0, 0, 1}, 3, 3};
  cb_polyset *ps = tp_new(1);
  double tri[] = {0.2, 0.1, 2.9, 0.4, 1.1, 2.7};
  tp_ring(ps, 0, tri, 3, 0);
  cb_cover_mode modes[] = {CB_COVER_EXACT, CB_COVER_TOUCHED};
  for (int m = 0; m < 2; m++) {
    double dn[9], ds[9];
    cb_coverage *cn = build(&n, ps, modes[m]), *cs = build(&s, ps, modes[m]);
    tp_dense(cn, 0, dn);
    tp_dense(cs, 0, ds);
    for (int r = 0; r < 3; r++)
      for (int x = 0; x < 3; x++) assert_float_equal(dn[r * 3 + x], ds[(2 - r) * 3 + x], 1e-6);
    assert_float_equal(cn->zone_cells[0], cs->zone_cells[0], 1e-12);
    cb_coverage_free(cn);
    cb_coverage_free(cs);
  }
  cb_polyset_free(ps);
}

static void test_invalid_input(void **state) {
  (void)state;
  cb_grid g = tp_grid(0, 3, 1, 3, 3);
  cb_polyset *ps = tp_new(2);
  double ok[] = {0, 0, 1, 0, 1, 1};
  double bad[] = {0, 0, NAN, 0, 1, 1};
  tp_ring(ps, 0, ok, 3, 0);
  tp_ring(ps, 1, bad, 3, 0);
  cb_err e = {{0}};
  assert_null(cb_coverage_build(&g, ps, CB_COVER_EXACT, &e));
  assert_non_null(strstr(e.msg, "feature 2"));
  assert_non_null(strstr(e.msg, "point 2"));
  cb_grid rot = g;
  rot.gt[2] = 0.1;
  assert_null(cb_coverage_build(&rot, ps, CB_COVER_CENTER, &e));
  assert_non_null(strstr(e.msg, "rotated"));
  cb_grid empty = tp_grid(0, 3, 1, 0, 3);
  assert_null(cb_coverage_build(&empty, ps, CB_COVER_CENTER, &e));
  assert_non_null(strstr(e.msg, "no cells"));
  cb_polyset_free(ps);
}

/* Empty features cover nothing; a bow-tie ring's lobes wind in opposite
 * senses, so one lobe is clamped away (documented) and weights stay in
 * (0, 1]. */
static void test_empty_and_self_intersecting(void **state) {
  (void)state;
  cb_grid g = tp_grid(0, 2, 1, 4, 2);
  cb_polyset *ps = tp_new(2);
  double bow[] = {0, 0, 4, 2, 4, 0, 0, 2};
  tp_ring(ps, 1, bow, 4, 0);
  cb_coverage *c = build(&g, ps, CB_COVER_EXACT);
  assert_float_equal(c->zone_cells[0], 0, 0);
  for (size_t i = 0; i < c->nspans; i++) {
    assert_int_equal(c->spans[i].zone, 1);
    assert_true(c->spans[i].w > 0 && c->spans[i].w <= 1);
  }
  assert_float_equal(c->zone_cells[1], 2.0, 1e-12); /* one lobe of area 2 */
  cb_coverage_free(c);
  cb_polyset_free(ps);
}

/* A tiny polygon inside one cell: exact keeps its area, center skips it,
 * touched takes the cell; a sliver below 1e-12 of a cell is dropped. */
static void test_tiny_and_sliver(void **state) {
  (void)state;
  cb_grid g = tp_grid(0, 3, 1, 3, 3);
  cb_polyset *ps = tp_new(2);
  double tiny[] = {1.1, 1.1, 1.3, 1.1, 1.3, 1.2};  /* area 0.01 in cell (1,1) */
  double sliver[] = {0.2, 0.2, 0.8, 0.2, 0.8, 0.2 + 1e-13};
  tp_ring(ps, 0, tiny, 3, 0);
  tp_ring(ps, 1, sliver, 3, 0);
  double d[9];
  cb_coverage *c = build(&g, ps, CB_COVER_EXACT);
  assert_int_equal(tp_dense(c, 0, d), 1);
  assert_float_equal(d[4], 0.01, 1e-9);
  assert_int_equal(tp_dense(c, 1, d), 0);
  assert_float_equal(c->zone_cells[1], 0, 0);
  cb_coverage_free(c);
  c = build(&g, ps, CB_COVER_CENTER);
  assert_int_equal(c->nspans, 0);
  cb_coverage_free(c);
  c = build(&g, ps, CB_COVER_TOUCHED);
  assert_int_equal(tp_dense(c, 0, d), 1);
  assert_float_equal(d[4], 1, 0);
  assert_int_equal(tp_dense(c, 1, d), 0);
  cb_coverage_free(c);
  cb_polyset_free(ps);
}

/* A polygon larger than the grid costs one span per row in every mode,
 * and building twice gives the same bytes. */
static void test_compact_and_repeatable(void **state) {
  (void)state;
  cb_grid g = tp_grid(10, 50, 0.5, 200, 80);
  cb_polyset *ps = tp_new(1);
  double big[] = {0, 0, 200, 0, 200, 100, 0, 100};
  tp_ring(ps, 0, big, 4, 0);
  cb_cover_mode modes[] = {CB_COVER_EXACT, CB_COVER_CENTER, CB_COVER_TOUCHED};
  for (int m = 0; m < 3; m++) {
    cb_coverage *a = build(&g, ps, modes[m]), *b = build(&g, ps, modes[m]);
    assert_int_equal(a->nspans, 80);
    assert_float_equal(a->zone_cells[0], 200 * 80, 0);
    assert_float_equal(a->zone_area_outside[0], 200.0 * 100 * 4 - 200 * 80, 1e-6);
    assert_int_equal(a->nspans, b->nspans);
    assert_memory_equal(a->spans, b->spans, a->nspans * sizeof *a->spans);
    assert_true(cb_coverage_bytes(a) >= 80 * sizeof(cb_span));
    cb_coverage_free(a);
    cb_coverage_free(b);
  }
  cb_coverage_free(NULL);
  assert_int_equal(cb_coverage_bytes(NULL), 0);
  cb_polyset_free(ps);
}

/* Vertex order and a repeated closing point change nothing in any mode
 * (center included: GDAL reads every ring in one direction). Overlapping
 * parts of one feature take their union in center mode, as in GDAL. */
static void test_ring_direction_and_overlap(void **state) {
  (void)state;
  cb_grid g = tp_grid(0, 6, 1, 6, 6);
  cb_polyset *a = tp_new(1), *b = tp_new(1);
  double fwd[] = {0.5, 0.5, 4.5, 0.5, 4.5, 2.5, 2.5, 2.5, 2.5, 4.5, 0.5, 4.5, 0.5, 0.5};
  double rev[14];
  for (int i = 0; i < 7; i++) {
    rev[2 * i] = fwd[2 * (6 - i)];
    rev[2 * i + 1] = fwd[2 * (6 - i) + 1];
  }
  tp_ring(a, 0, fwd, 7, 0); /* closed */
  tp_ring(b, 0, rev, 6, 0); /* reversed, not closed */
  cb_cover_mode modes[] = {CB_COVER_EXACT, CB_COVER_CENTER, CB_COVER_TOUCHED};
  for (int m = 0; m < 3; m++) {
    double da[36], db[36];
    cb_coverage *ca = build(&g, a, modes[m]), *cb = build(&g, b, modes[m]);
    tp_dense(ca, 0, da);
    tp_dense(cb, 0, db);
    expect_grid(da, db, 36, 1e-7);
    cb_coverage_free(ca);
    cb_coverage_free(cb);
  }
  cb_polyset_free(a);
  cb_polyset_free(b);

  cb_polyset *o = tp_new(1);
  double p1[] = {0.2, 0.2, 3.8, 0.2, 3.8, 3.8, 0.2, 3.8};
  double p2[] = {2.2, 2.2, 5.8, 2.2, 5.8, 5.8, 2.2, 5.8};
  tp_ring(o, 0, p1, 4, 0);
  tp_ring(o, 0, p2, 4, 0);
  double d[36];
  cb_coverage *c = build(&g, o, CB_COVER_CENTER);
  tp_dense(c, 0, d);
  assert_float_equal(c->zone_cells[0], 16 + 16 - 4, 0); /* union, not XOR */
  for (int i = 0; i < 36; i++) assert_true(d[i] == 0 || d[i] == 1);
  cb_coverage_free(c);
  /* Exact adds the parts and clamps each cell to 1: between the union's
   * area and the sum of the parts' areas (documented). */
  c = build(&g, o, CB_COVER_EXACT);
  assert_true(c->zone_cells[0] > 3.6 * 3.6 * 2 - 1.6 * 1.6 - 1e-9);
  assert_true(c->zone_cells[0] < 3.6 * 3.6 * 2);
  cb_coverage_free(c);
  cb_polyset_free(o);
}

/* ---- random polygons ---------------------------------------------------- */

static double urand(unsigned *s) {
  *s = *s * 1103515245u + 12345u;
  return ((*s >> 8) & 0xffffff) / (double)0x1000000;
}

/* A random star-shaped (so simple) polygon of n points around (cx, cy). */
static double star(unsigned *s, double cx, double cy, double rmax, size_t n,
                   double *xy) {
  double a2 = 0;
  for (size_t i = 0; i < n; i++) {
    double ang = 2 * M_PI * (i + 0.9 * urand(s)) / n;
    double rad = rmax * (0.2 + 0.8 * urand(s));
    xy[2 * i] = cx + rad * cos(ang);
    xy[2 * i + 1] = cy + rad * sin(ang);
  }
  for (size_t i = 0; i < n; i++) {
    size_t k = (i + 1) % n;
    double xi = xy[2 * i] - cx, yi = xy[2 * i + 1] - cy;
    double xk = xy[2 * k] - cx, yk = xy[2 * k + 1] - cy;
    a2 += xi * yk - xk * yi; /* relative to the centre: no cancellation */
  }
  return fabs(a2) / 2;
}

static void check_spans(const cb_coverage *c) {
  for (size_t r = 0; r < c->nrows; r++) {
    /* listed rows are increasing, in the grid, and have spans */
    assert_true(c->row_off[r] < c->row_off[r + 1]);
    assert_true(c->row_y[r] >= 0 && c->row_y[r] < c->grid.nrows);
    if (r > 0) assert_true(c->row_y[r] > c->row_y[r - 1]);
    for (size_t i = c->row_off[r]; i < c->row_off[r + 1]; i++) {
      const cb_span *s = &c->spans[i];
      assert_true(s->x0 >= 0 && s->x0 < s->x1 && s->x1 <= c->grid.ncols);
      assert_true(s->w > 0.0f && s->w <= 1.0f);
      assert_true(s->zone < c->nzones);
      /* a zone's spans in a row come in column order, without overlap */
      for (size_t k = i + 1; k < c->row_off[r + 1]; k++)
        if (c->spans[k].zone == s->zone) {
          assert_true(c->spans[k].x0 >= s->x1);
          break;
        }
    }
  }
  assert_int_equal(c->row_off[c->nrows], c->nspans);
}

/* Σ coverage = polygon area / cell area, on a geographic-like grid with
 * awkward cell sizes; exact > 0 exactly where touched, center within. */
static void test_random_area(void **state) {
  (void)state;
  unsigned seed = 12345;
  double cell = 1.0 / 240.0;
  cb_grid g = {{100.0, cell, 0, 40.0, 0, -cell}, 500, 400};
  size_t np = 40;
  cb_polyset *ps = tp_new(np);
  double *area = malloc(np * sizeof *area);
  double xy[2 * 200];
  for (size_t i = 0; i < np; i++) {
    size_t n = 3 + (size_t)(urand(&seed) * 190);
    double cx = 100.0 + (30 + urand(&seed) * 440) * cell;
    double cy = 40.0 - (30 + urand(&seed) * 340) * cell;
    area[i] = star(&seed, cx, cy, (2 + urand(&seed) * 25) * cell, n, xy) / (cell * cell);
    tp_ring(ps, i, xy, n, 0);
  }
  cb_coverage *ce = build(&g, ps, CB_COVER_EXACT);
  cb_coverage *ct = build(&g, ps, CB_COVER_TOUCHED);
  cb_coverage *cc = build(&g, ps, CB_COVER_CENTER);
  check_spans(ce);
  check_spans(ct);
  check_spans(cc);
  size_t ncell = (size_t)g.nrows * g.ncols;
  double *de = malloc(ncell * sizeof *de), *dt = malloc(ncell * sizeof *dt),
         *dc = malloc(ncell * sizeof *dc);
  for (size_t i = 0; i < np; i++) {
    double rel = fabs(ce->zone_cells[i] - area[i]) / area[i];
    if (rel > 1e-9) fail_msg("polygon %zu: Σ coverage %.15g vs area %.15g", i, ce->zone_cells[i], area[i]);
    assert_float_equal(ce->zone_area_outside[i], 0, 0);
    tp_dense(ce, (uint32_t)i, de);
    tp_dense(ct, (uint32_t)i, dt);
    tp_dense(cc, (uint32_t)i, dc);
    double s = 0;
    for (size_t k = 0; k < ncell; k++) {
      s += de[k];
      assert_true((de[k] > 0) == (dt[k] == 1));
      assert_true(dt[k] == 0 || dt[k] == 1);
      if (dc[k] > 0) assert_true(dt[k] == 1 && dc[k] == 1);
    }
    assert_true(fabs(s - area[i]) / area[i] < 1e-6); /* float weights */
    assert_float_equal(ct->zone_cells[i] >= cc->zone_cells[i], 1, 0);
  }
  free(de);
  free(dt);
  free(dc);
  free(area);
  cb_coverage_free(ce);
  cb_coverage_free(ct);
  cb_coverage_free(cc);
  cb_polyset_free(ps);
}

/* A jittered lattice of quads tiling (and overhanging) the grid: in every
 * cell the zones' weights sum to 1, and Σ over zones = number of cells. */
static void test_tiling_sums_to_one(void **state) {
  (void)state;
  unsigned seed = 777;
  int nc = 37, nr = 23, tx = 9, ty = 6;
  cb_grid g = tp_grid(0, nr, 1, nc, nr);
  double sx = (nc + 4.0) / tx, sy = (nr + 4.0) / ty;
  double *vx = malloc((tx + 1) * (ty + 1) * sizeof *vx);
  double *vy = malloc((tx + 1) * (ty + 1) * sizeof *vy);
  for (int j = 0; j <= ty; j++)
    for (int i = 0; i <= tx; i++) {
      double jx = (i > 0 && i < tx) ? (urand(&seed) - 0.5) * 0.8 * sx : 0;
      double jy = (j > 0 && j < ty) ? (urand(&seed) - 0.5) * 0.8 * sy : 0;
      vx[j * (tx + 1) + i] = -2 + i * sx + jx;
      vy[j * (tx + 1) + i] = -2 + j * sy + jy;
    }
  cb_polyset *ps = tp_new((size_t)tx * ty);
  for (int j = 0; j < ty; j++)
    for (int i = 0; i < tx; i++) {
      int a = j * (tx + 1) + i, b = a + 1, c = a + tx + 2, d = a + tx + 1;
      double q[] = {vx[a], vy[a], vx[b], vy[b], vx[c], vy[c], vx[d], vy[d]};
      tp_ring(ps, (size_t)j * tx + i, q, 4, 0);
    }
  cb_coverage *c = build(&g, ps, CB_COVER_EXACT);
  check_spans(c);
  double *sum = calloc((size_t)nc * nr, sizeof *sum), tot = 0;
  for (size_t u = 0; u < c->nrows; u++)
    for (size_t k = c->row_off[u]; k < c->row_off[u + 1]; k++)
      for (int x = c->spans[k].x0; x < c->spans[k].x1; x++)
        sum[c->row_y[u] * nc + x] += c->spans[k].w;
  for (int k = 0; k < nc * nr; k++)
    if (fabs(sum[k] - 1) > 1e-6) fail_msg("cell %d sums to %.9g", k, sum[k]);
  for (size_t z = 0; z < c->nzones; z++) tot += c->zone_cells[z];
  assert_true(fabs(tot - nc * nr) / (nc * nr) < 1e-9);
  double outside = 0;
  for (size_t z = 0; z < c->nzones; z++) outside += c->zone_area_outside[z];
  assert_true(fabs(outside - ((nc + 4.0) * (nr + 4.0) - nc * nr)) < 1e-9);
  free(sum);
  free(vx);
  free(vy);
  cb_coverage_free(c);
  cb_polyset_free(ps);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_centred_square),
      cmocka_unit_test(test_diamond),
      cmocka_unit_test(test_notched),
      cmocka_unit_test(test_hole),
      cmocka_unit_test(test_multipolygon_on_cell_lines),
      cmocka_unit_test(test_partly_and_wholly_outside),
      cmocka_unit_test(test_south_up),
      cmocka_unit_test(test_invalid_input),
      cmocka_unit_test(test_empty_and_self_intersecting),
      cmocka_unit_test(test_tiny_and_sliver),
      cmocka_unit_test(test_compact_and_repeatable),
      cmocka_unit_test(test_ring_direction_and_overlap),
      cmocka_unit_test(test_random_area),
      cmocka_unit_test(test_tiling_sums_to_one),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
