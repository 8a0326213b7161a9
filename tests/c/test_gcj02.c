/* GCJ-02 <-> WGS84: the published forward values, round trips over China,
 * the identity outside China's box, NaN. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "core/gcj02.h"

/* wgs lat, wgs lon, gcj lat, gcj lon: the test vectors published with the
 * reference implementation (eviltransform's tests: Shanghai, Shenzhen,
 * Beijing). */
static const double published[][4] = {
    {31.1774276, 121.5272106, 31.17530398364597, 121.531541859215},
    {22.543847, 113.912316, 22.540796131694766, 113.9171764808363},
    {39.911954, 116.377817, 39.91334545536069, 116.38404722455657},
};

static void test_published_forward(void **st) {
  (void)st;
  for (int i = 0; i < 3; i++) {
    double glon, glat;
    cb_gcj02_from_wgs84(published[i][1], published[i][0], &glon, &glat);
    assert_float_equal(glat, published[i][2], 1e-12);
    assert_float_equal(glon, published[i][3], 1e-12);
  }
}

static void test_published_inverse(void **st) {
  (void)st;
  for (int i = 0; i < 3; i++) {
    double lon, lat;
    cb_gcj02_to_wgs84(published[i][3], published[i][2], &lon, &lat);
    assert_float_equal(lat, published[i][0], 1e-9);
    assert_float_equal(lon, published[i][1], 1e-9);
  }
}

/* Every 0.25 degree over the box, away from its edge: to_wgs84 undoes
 * from_wgs84 to 1e-7 degrees (measured: about 1e-11). */
static void test_round_trip(void **st) {
  (void)st;
  double worst = 0;
  for (double lon = 73.0; lon <= 135.0; lon += 0.25)
    for (double lat = 1.0; lat <= 55.0; lat += 0.25) {
      double glon, glat, wlon, wlat;
      cb_gcj02_from_wgs84(lon, lat, &glon, &glat);
      cb_gcj02_to_wgs84(glon, glat, &wlon, &wlat);
      worst = fmax(worst, fmax(fabs(wlon - lon), fabs(wlat - lat)));
    }
  printf("gcj02 round trip: worst error %.3g degrees\n", worst);
  assert_true(worst <= 1e-7);
}

/* The shift in Jiangsu is a few hundred metres: about 0.005 degrees of
 * longitude and 0.002 of latitude. */
static void test_jiangsu_shift(void **st) {
  (void)st;
  double glon, glat;
  cb_gcj02_from_wgs84(118.8, 32.05, &glon, &glat); /* Nanjing */
  assert_true(glon - 118.8 > 0.003 && glon - 118.8 < 0.008);
  assert_true(fabs(glat - 32.05) < 0.004);
}

static void test_outside_china(void **st) {
  (void)st;
  const double pts[][2] = {{-0.1276, 51.5072}, {0, 0},  {140.0, 35.0},
                           {72.0, 30.0},       {100, 56}, {100, 0.5}};
  for (int i = 0; i < 6; i++) {
    double x, y;
    assert_true(cb_gcj02_outside(pts[i][0], pts[i][1]));
    cb_gcj02_from_wgs84(pts[i][0], pts[i][1], &x, &y);
    assert_true(x == pts[i][0] && y == pts[i][1]);
    cb_gcj02_to_wgs84(pts[i][0], pts[i][1], &x, &y);
    assert_true(x == pts[i][0] && y == pts[i][1]);
  }
  assert_false(cb_gcj02_outside(118.8, 32.05));
}

static void test_nan_and_arrays(void **st) {
  (void)st;
  double lon[] = {NAN, 121.531541859215, 2.0}, lat[] = {31.0, 31.17530398364597, 48.0};
  cb_gcj02_to_wgs84_n(lon, lat, lon, lat, 3); /* in place */
  assert_true(isnan(lon[0]));
  assert_float_equal(lon[1], 121.5272106, 1e-9);
  assert_float_equal(lat[1], 31.1774276, 1e-9);
  assert_true(lon[2] == 2.0 && lat[2] == 48.0);
  cb_gcj02_from_wgs84_n(lon, lat, lon, lat, 3);
  assert_float_equal(lon[1], 121.531541859215, 1e-9);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_published_forward),
      cmocka_unit_test(test_published_inverse),
      cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_jiangsu_shift),
      cmocka_unit_test(test_outside_china),
      cmocka_unit_test(test_nan_and_arrays),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
