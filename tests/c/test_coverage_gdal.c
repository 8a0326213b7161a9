/* GDAL's own rasterizer (GDALRasterizeGeometries on a MEM dataset, with and
 * without ALL_TOUCHED) as an independent oracle for center and touched
 * coverage on random polygons: with holes, several parts, partly outside,
 * and with vertices snapped to cell centres and cell lines. */
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
#include <gdal_alg.h>
#include <ogr_api.h>

#include "core/coverage.h"
#include "core/gdalx.h"
#include "test_coverage_util.h"

static double urand(unsigned *s) {
  *s = *s * 1103515245u + 12345u;
  return ((*s >> 8) & 0xffffff) / (double)0x1000000;
}

/* A star-shaped ring of n points; snap > 0 rounds coordinates to multiples
 * of snap (in world units) from the grid origin, which puts vertices on
 * cell lines and cell centres. */
static void star(unsigned *s, const cb_grid *g, double cx, double cy, double r,
                 size_t n, double snap, double *xy) {
  for (size_t i = 0; i < n; i++) {
    double ang = 2 * M_PI * (i + 0.8 * urand(s)) / n;
    double rad = r * (0.3 + 0.7 * urand(s));
    double x = cx + rad * cos(ang), y = cy + rad * sin(ang);
    if (snap > 0) {
      x = g->gt[0] + round((x - g->gt[0]) / snap) * snap;
      y = g->gt[3] + round((y - g->gt[3]) / snap) * snap;
    }
    xy[2 * i] = x;
    xy[2 * i + 1] = y;
  }
}

/* Random features: 1-2 parts, some with a hole, some hanging off the grid. */
static cb_polyset *random_set(unsigned *seed, const cb_grid *g, size_t np, double snap) {
  cb_polyset *ps = tp_new(np);
  double cw = g->gt[1], ch = -g->gt[5], xy[2 * 64];
  for (size_t i = 0; i < np; i++) {
    int parts = urand(seed) < 0.3 ? 2 : 1;
    for (int k = 0; k < parts; k++) {
      double cx = g->gt[0] + (-5 + urand(seed) * (g->ncols + 10)) * cw;
      double cy = g->gt[3] - (-5 + urand(seed) * (g->nrows + 10)) * ch;
      double r = (1 + urand(seed) * 15) * cw;
      size_t n = 3 + (size_t)(urand(seed) * 40);
      star(seed, g, cx, cy, r, n, snap, xy);
      tp_ring(ps, i, xy, n, 0);
      if (k == 0 && n >= 12 && urand(seed) < 0.5) {
        double hx[8];
        double hr = 0.2 * r; /* inside the star's inner radius */
        for (int j = 0; j < 4; j++) {
          double a = j * M_PI / 2 + (snap > 0 ? M_PI / 4 : 0.3);
          hx[2 * j] = cx + hr * cos(a);
          hx[2 * j + 1] = cy + hr * sin(a);
          if (snap > 0) {
            hx[2 * j] = g->gt[0] + round((hx[2 * j] - g->gt[0]) / snap) * snap;
            hx[2 * j + 1] = g->gt[3] + round((hx[2 * j + 1] - g->gt[3]) / snap) * snap;
          }
        }
        tp_ring(ps, i, hx, 4, 1);
      }
    }
  }
  return ps;
}

static OGRGeometryH to_ogr(const cb_polygon *p) {
  OGRGeometryH mp = OGR_G_CreateGeometry(wkbMultiPolygon), poly = NULL;
  for (size_t j = 0; j < p->nrings; j++) {
    const cb_ring *rg = &p->rings[j];
    if (!rg->hole) {
      if (poly) OGR_G_AddGeometryDirectly(mp, poly);
      poly = OGR_G_CreateGeometry(wkbPolygon);
    }
    OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
    for (size_t i = 0; i <= rg->n; i++)
      OGR_G_AddPoint_2D(ring, rg->xy[2 * (i % rg->n)], rg->xy[2 * (i % rg->n) + 1]);
    OGR_G_AddGeometryDirectly(poly, ring);
  }
  if (poly) OGR_G_AddGeometryDirectly(mp, poly);
  return mp;
}

/* Does segment (x0,y0)-(x1,y1) meet the closed box [bx,bx+1]x[by,by+1]?
 * (Liang-Barsky with inclusive bounds.) */
static int seg_meets_cell(double x0, double y0, double x1, double y1, double bx,
                          double by) {
  double t0 = 0, t1 = 1, dx = x1 - x0, dy = y1 - y0;
  double p[4] = {-dx, dx, -dy, dy}, q[4] = {x0 - bx, bx + 1 - x0, y0 - by, by + 1 - y0};
  for (int i = 0; i < 4; i++) {
    if (p[i] == 0) {
      if (q[i] < 0) return 0;
      continue;
    }
    double t = q[i] / p[i];
    if (p[i] < 0 && t > t0) t0 = t;
    if (p[i] > 0 && t < t1) t1 = t;
    if (t0 > t1) return 0;
  }
  return 1;
}

/* Does the boundary of p (in pixel space, as GDAL transforms it) meet the
 * closed cell (row r, column c)? */
static int boundary_meets_cell(const cb_polygon *p, const cb_grid *g, size_t r, size_t c) {
  double ax = -g->gt[0] / g->gt[1], bx = 1 / g->gt[1], ay = -g->gt[3] / g->gt[5],
         by = 1 / g->gt[5];
  for (size_t j = 0; j < p->nrings; j++) {
    const cb_ring *rg = &p->rings[j];
    for (size_t i = 0; i < rg->n; i++) {
      size_t k = (i + 1) % rg->n;
      if (seg_meets_cell(ax + rg->xy[2 * i] * bx, ay + rg->xy[2 * i + 1] * by,
                         ax + rg->xy[2 * k] * bx, ay + rg->xy[2 * k + 1] * by, c, r))
        return 1;
    }
  }
  return 0;
}

typedef struct diffs {
  size_t gdal_only;   /* GDAL burned, cbal did not */
  size_t unexplained; /* ... and the boundary does not even touch the cell */
  size_t cbal_only;   /* cbal covered, GDAL did not burn */
  size_t burned;      /* cells GDAL burned */
} diffs;

/* Compares cbal's coverage of each feature with GDAL's burn of that
 * feature alone, cell by cell. */
static diffs diff_with_gdal(const cb_grid *g, const cb_polyset *ps, cb_cover_mode m) {
  cb_err e = {{0}};
  cb_coverage *c = cb_coverage_build(g, ps, m, &e);
  if (!c) fail_msg("build failed: %s", e.msg);
  size_t nc = (size_t)g->ncols * g->nrows;
  diffs d = {0, 0, 0, 0};
  double *mine = malloc(nc * sizeof *mine);
  unsigned char *ref = malloc(nc);
  GDALDatasetH ds = GDALCreate(GDALGetDriverByName("MEM"), "", g->ncols, g->nrows, 1,
                               GDT_Byte, NULL);
  GDALSetGeoTransform(ds, (double *)g->gt);
  GDALRasterBandH b = GDALGetRasterBand(ds, 1);
  char *opts[] = {"ALL_TOUCHED=TRUE", NULL};
  int band = 1;
  double burn = 1;
  for (size_t i = 0; i < ps->n; i++) {
    GDALFillRaster(b, 0, 0);
    OGRGeometryH geom = to_ogr(&ps->polys[i]);
    CPLErr err = GDALRasterizeGeometries(ds, 1, &band, 1, &geom, NULL, NULL, &burn,
                                         m == CB_COVER_TOUCHED ? opts : NULL, NULL, NULL);
    assert_int_equal(err, CE_None);
    OGR_G_DestroyGeometry(geom);
    assert_int_equal(GDALRasterIO(b, GF_Read, 0, 0, g->ncols, g->nrows, ref, g->ncols,
                                  g->nrows, GDT_Byte, 0, 0), CE_None);
    tp_dense(c, (uint32_t)i, mine);
    for (size_t k = 0; k < nc; k++) {
      d.burned += ref[k];
      if ((mine[k] > 0) == (ref[k] > 0)) continue;
      if (ref[k]) {
        d.gdal_only++;
        if (!boundary_meets_cell(&ps->polys[i], g, k / g->ncols, k % g->ncols))
          d.unexplained++;
      } else {
        d.cbal_only++;
      }
      if (getenv("CBAL_COVERAGE_DEBUG"))
        fprintf(stderr, "mode %d feature %zu cell r%zu c%zu: cbal %g gdal %d\n", m, i,
                k / g->ncols, k % g->ncols, mine[k], ref[k]);
    }
  }
  GDALClose(ds);
  free(mine);
  free(ref);
  cb_coverage_free(c);
  return d;
}

/* Center must agree cell for cell. Touched may differ only where GDAL 3.6
 * also burns cells the boundary merely touches (an edge on a cell line, a
 * vertex on a cell corner: zero shared area), up to max_touched of them,
 * and in at most max_missed cells GDAL's line walk skips. */
static void run_case(const char *name, const cb_grid *g, unsigned seed, double snap,
                     size_t max_touched, size_t max_missed) {
  cb_polyset *ps = random_set(&seed, g, 150, snap);
  diffs dc = diff_with_gdal(g, ps, CB_COVER_CENTER);
  diffs dt = diff_with_gdal(g, ps, CB_COVER_TOUCHED);
  print_message("%s: center differs from GDAL %s in %zu of %zu cells; touched "
                "(ALL_TOUCHED) in %zu of %zu: %zu burned by GDAL only (boundary "
                "contact with zero area: %zu), %zu by cbal only\n",
                name, GDALVersionInfo("RELEASE_NAME"), dc.gdal_only + dc.cbal_only,
                dc.burned, dt.gdal_only + dt.cbal_only, dt.burned, dt.gdal_only,
                dt.gdal_only - dt.unexplained, dt.cbal_only);
  cb_polyset_free(ps);
  assert_true(dc.burned > 1000 && dt.burned > dc.burned);
  assert_int_equal(dc.gdal_only + dc.cbal_only, 0);
  assert_int_equal(dt.unexplained, 0);
  assert_true(dt.gdal_only <= max_touched);
  assert_true(dt.cbal_only <= max_missed);
}

static void test_random_projected(void **state) {
  (void)state;
  cb_grid g = {{500000.0, 30.0, 0, 3500000.0, 0, -30.0}, 120, 90};
  run_case("projected grid", &g, 4242, 0, 0, 0);
}

static void test_random_geographic(void **state) {
  (void)state;
  cb_grid g = {{100.0, 1.0 / 240, 0, 40.0, 0, -1.0 / 240}, 120, 90};
  run_case("geographic grid", &g, 99, 0, 0, 0);
}

/* Vertices on cell lines and centres: the tie rules must agree with GDAL's
 * half-open scanline exactly for center; for touched GDAL 3.6 adds the
 * cells beside edges lying on cell lines (a few percent here). */
static void test_snapped_to_half_cells(void **state) {
  (void)state;
  cb_grid g = {{500000.0, 30.0, 0, 3500000.0, 0, -30.0}, 120, 90};
  run_case("projected, vertices on half cells", &g, 31337, 15.0, 1000, 3);
  cb_grid gg = {{100.0, 1.0 / 240, 0, 40.0, 0, -1.0 / 240}, 120, 90};
  run_case("geographic, vertices on half cells", &gg, 5, 0.5 / 240, 1000, 3);
}

/* Exact mode against GEOS (through OGR): area(polygon ∩ cell) / cell area
 * for every cell of every feature's bbox, holes and parts included. */
static void test_exact_against_geos(void **state) {
  (void)state;
  if (!OGRGetGEOSVersion(NULL, NULL, NULL)) skip();
  cb_grid g = {{100.0, 1.0 / 240, 0, 40.0, 0, -1.0 / 240}, 60, 45};
  unsigned seed = 2024;
  cb_polyset *ps = random_set(&seed, &g, 25, 0);
  cb_err e = {{0}};
  cb_coverage *c = cb_coverage_build(&g, ps, CB_COVER_EXACT, &e);
  assert_non_null(c);
  size_t nc = (size_t)g.ncols * g.nrows, compared = 0;
  double *mine = malloc(nc * sizeof *mine), worst = 0, cell_area = g.gt[1] * -g.gt[5];
  for (size_t i = 0; i < ps->n; i++) {
    OGRGeometryH geom = to_ogr(&ps->polys[i]);
    tp_dense(c, (uint32_t)i, mine);
    for (size_t k = 0; k < nc; k++) {
      double x0 = g.gt[0] + (k % g.ncols) * g.gt[1], y0 = g.gt[3] + (k / g.ncols) * g.gt[5];
      OGRGeometryH cell = OGR_G_CreateGeometry(wkbPolygon), ring = OGR_G_CreateGeometry(wkbLinearRing);
      OGR_G_AddPoint_2D(ring, x0, y0);
      OGR_G_AddPoint_2D(ring, x0 + g.gt[1], y0);
      OGR_G_AddPoint_2D(ring, x0 + g.gt[1], y0 + g.gt[5]);
      OGR_G_AddPoint_2D(ring, x0, y0 + g.gt[5]);
      OGR_G_AddPoint_2D(ring, x0, y0);
      OGR_G_AddGeometryDirectly(cell, ring);
      OGRGeometryH in = OGR_G_Intersection(geom, cell);
      double want = in ? OGR_G_Area(in) / cell_area : 0;
      if (fabs(mine[k] - want) > worst) worst = fabs(mine[k] - want);
      if (fabs(mine[k] - want) > 1e-6)
        fail_msg("feature %zu cell r%zu c%zu: cbal %.9g, GEOS %.9g", i, k / g.ncols,
                 k % g.ncols, mine[k], want);
      compared += want > 0;
      OGR_G_DestroyGeometry(in);
      OGR_G_DestroyGeometry(cell);
    }
    OGR_G_DestroyGeometry(geom);
  }
  print_message("exact vs GEOS: %zu covered cells, largest difference %.3g\n", compared, worst);
  assert_true(compared > 1000);
  free(mine);
  cb_coverage_free(c);
  cb_polyset_free(ps);
}

int main(void) {
  cb_gdal_init();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_random_projected),
      cmocka_unit_test(test_random_geographic),
      cmocka_unit_test(test_snapped_to_half_cells),
      cmocka_unit_test(test_exact_against_geos),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
