/* Unit tests for true cell areas: the closed-form ellipsoidal band area
 * against known totals and an independent numerical integral. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/geo.h"

#define WGS84_A 6378137.0
#define WGS84_F (1 / 298.257223563)
#define DEG (M_PI / 180)

/* Simpson integral of the ellipsoid's area element over a latitude band. */
static double band_numeric(double a, double f, double p1, double p2,
                           double dlon) {
  double e2 = f * (2 - f);
  int n = 2000;
  double h = (p2 - p1) / n, s = 0;
  for (int i = 0; i <= n; i++) {
    double p = p1 + i * h, sp = sin(p);
    double g = a * a * (1 - e2) * cos(p) / ((1 - e2 * sp * sp) * (1 - e2 * sp * sp));
    s += g * (i == 0 || i == n ? 1 : (i % 2 ? 4 : 2));
  }
  return fabs(s * h / 3 * dlon);
}

static void test_whole_earth(void **state) {
  (void)state;
  double a = cb_geo_band_area(WGS84_A, WGS84_F, -M_PI / 2, M_PI / 2, 2 * M_PI);
  /* WGS84 surface area: 4 pi R_q^2 with authalic radius 6371007.1809 m */
  double want = 4 * M_PI * 6371007.1809 * 6371007.1809;
  assert_true(fabs(a - want) / want < 1e-9);
}

static void test_sphere_closed_form(void **state) {
  (void)state;
  double r = 6371000, p1 = 10 * DEG, p2 = 11 * DEG, dl = 1 * DEG;
  double want = r * r * dl * (sin(p2) - sin(p1));
  double got = cb_geo_band_area(r, 0, p1, p2, dl);
  assert_true(fabs(got - want) / want < 1e-12);
}

static void test_against_integral(void **state) {
  (void)state;
  double bands[][2] = {{0, 1}, {18, 18 + 1 / 240.0}, {54, 54 + 1 / 240.0},
                       {-33.5, -32}, {89, 90}};
  for (size_t i = 0; i < sizeof bands / sizeof *bands; i++) {
    double p1 = bands[i][0] * DEG, p2 = bands[i][1] * DEG, dl = DEG / 240;
    double got = cb_geo_band_area(WGS84_A, WGS84_F, p1, p2, dl);
    double want = band_numeric(WGS84_A, WGS84_F, p1, p2, dl);
    assert_true(fabs(got - want) / want < 1e-9);
  }
  /* A 1 x 1 degree cell on the equator is 12,308.4639 km^2 on WGS84 (the
   * same polygon, densified and projected to EPSG:6933, an equal-area
   * cylindrical CRS on WGS84, measures 12308.463894 km^2 in GDAL). */
  double eq = cb_geo_band_area(WGS84_A, WGS84_F, 0, DEG, DEG);
  assert_true(fabs(eq / 1e6 - 12308.463894) < 1e-5);
}

static void test_row_areas_geographic(void **state) {
  (void)state;
  /* 15" cells, rows at 54N (row 0) and 18N (row 1) */
  cb_grid g = {{100, 1 / 240.0, 0, 54 + 1 / 240.0, 0, -1 / 240.0}, 10, 2};
  g.gt[3] = 54 + 1 / 240.0;
  double out[2];
  cb_err e;
  assert_int_equal(cb_geo_row_areas(&g, "EPSG:4326", NULL, 2, out, &e), 0);
  double want = cb_geo_band_area(WGS84_A, WGS84_F, 54 * DEG,
                                 (54 + 1 / 240.0) * DEG, DEG / 240);
  assert_true(fabs(out[0] - want) / want < 1e-12);
  cb_grid g2 = g;
  g2.gt[3] = 18 + 1 / 240.0;
  double out2[2];
  assert_int_equal(cb_geo_row_areas(&g2, "EPSG:4326", NULL, 2, out2, &e), 0);
  double ratio = out2[0] / out[0];
  assert_true(ratio > 1.6 && ratio < 1.63); /* DESIGN.md: 1.6x larger */
  assert_true(out[1] > out[0]);             /* southward rows are larger */
  /* only the rows listed: row 1 alone gives row 1's area */
  int32_t row1 = 1;
  double one;
  assert_int_equal(cb_geo_row_areas(&g, "EPSG:4326", &row1, 1, &one, &e), 0);
  assert_true(one == out[1]);
}

static void test_row_areas_projected(void **state) {
  (void)state;
  cb_grid g = {{500000, 463.3127, 0, 4000000, 0, -463.3127}, 4, 3};
  double out[3];
  cb_err e;
  assert_int_equal(cb_geo_row_areas(&g, "EPSG:32650", NULL, 3, out, &e), 0);
  for (int i = 0; i < 3; i++)
    assert_true(fabs(out[i] - 463.3127 * 463.3127) < 1e-6);
  /* US survey feet: the linear unit is applied */
  cb_grid gf = {{0, 100, 0, 0, 0, -100}, 1, 1};
  assert_int_equal(cb_geo_row_areas(&gf, "EPSG:2227", NULL, 1, out, &e), 0);
  double ft = 1200.0 / 3937.0;
  assert_true(fabs(out[0] - 1e4 * ft * ft) < 1e-6);
}

static void test_row_areas_need_crs(void **state) {
  (void)state;
  cb_grid g = {{0, 1, 0, 0, 0, -1}, 1, 1};
  double out[1];
  cb_err e;
  assert_int_equal(cb_geo_row_areas(&g, NULL, NULL, 1, out, &e), -1);
  assert_non_null(strstr(e.msg, "CRS"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_whole_earth),
      cmocka_unit_test(test_sphere_closed_form),
      cmocka_unit_test(test_against_integral),
      cmocka_unit_test(test_row_areas_geographic),
      cmocka_unit_test(test_row_areas_projected),
      cmocka_unit_test(test_row_areas_need_crs),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
