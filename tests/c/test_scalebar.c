/* Unit tests for scale-bar lengths in projected and geographic maps. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

/* cmocka's assert_float_equal compares as float; these are doubles. */
#define assert_near(a, b, tol) assert_true(fabs((double)(a) - (double)(b)) <= (tol))

#include "scalebar.h"

static void test_metres_per_degree(void **state) {
  (void)state;
  double lon, lat;
  /* Reference values for WGS84 (e.g. the "length of a degree" tables). */
  cbc_metres_per_degree(0, &lon, &lat);
  assert_near(lon, 111319.49, 0.05);
  assert_near(lat, 110574.3, 0.5);
  cbc_metres_per_degree(45, &lon, &lat);
  assert_near(lon, 78846.8, 0.5);
  assert_near(lat, 111131.78, 0.5); /* M(45°)·π/180; the 44.5–45.5° arc is 111132.95 */
  cbc_metres_per_degree(60, &lon, NULL);
  assert_near(lon, 55799.98, 0.5);
}

static void test_projected_bar(void **state) {
  (void)state;
  cbc_scalebar sb;
  /* 1:1,000,000: 1 mm on paper is 1 km; at most 30 mm -> 20 km. */
  assert_int_equal(cbc_scalebar_make(1e-3, 0, 0, 30, &sb), 0);
  assert_near(sb.metres, 20000, 1e-6);
  assert_near(sb.mm, 20, 1e-9);
  assert_near(sb.map_units, 20000, 1e-6);
  assert_string_equal(sb.label, "20 km");
  assert_int_equal(sb.segments, 4);
  assert_int_equal(cbc_scalebar_make(1e-3, 0, 0, 60, &sb), 0);
  assert_string_equal(sb.label, "50 km");
  assert_int_equal(sb.segments, 5);
  /* 1 mm per metre: a 20 m bar */
  assert_int_equal(cbc_scalebar_make(1, 0, 0, 30, &sb), 0);
  assert_string_equal(sb.label, "20 m");
  assert_string_equal(sb.unit, "m");
  /* exactly 10 km fits in 10 mm */
  assert_int_equal(cbc_scalebar_make(1e-3, 0, 0, 10, &sb), 0);
  assert_string_equal(sb.label, "10 km");
}

static void test_geographic_bar_uses_latitude(void **state) {
  (void)state;
  cbc_scalebar eq, mid;
  /* 10 mm per degree of longitude; at most 30 mm. */
  assert_int_equal(cbc_scalebar_make(10, 1, 0, 30, &eq), 0);
  assert_int_equal(cbc_scalebar_make(10, 1, 45, 30, &mid), 0);
  /* equator: 30 mm = 334 km -> 200 km; 45 N: 30 mm = 236.5 km -> 200 km */
  assert_near(eq.metres, 200000, 1e-6);
  assert_near(mid.metres, 200000, 1e-6);
  assert_near(eq.mm, 200000 / 111319.49 * 10, 1e-3);
  assert_near(mid.mm, 200000 / 78846.8 * 10, 1e-2);
  assert_near(mid.map_units, 200000 / 78846.8, 1e-5);
  assert_true(mid.mm > eq.mm);
  /* at 60 N a degree is half as long: 30 mm = 167 km -> 100 km */
  assert_int_equal(cbc_scalebar_make(10, 1, 60, 30, &mid), 0);
  assert_string_equal(mid.label, "100 km");
}

static void test_bad_input(void **state) {
  (void)state;
  cbc_scalebar sb;
  assert_int_equal(cbc_scalebar_make(0, 0, 0, 30, &sb), -1);
  assert_int_equal(cbc_scalebar_make(1, 0, 0, 0, &sb), -1);
  assert_int_equal(cbc_scalebar_make(NAN, 1, 30, 30, &sb), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_metres_per_degree),
      cmocka_unit_test(test_projected_bar),
      cmocka_unit_test(test_geographic_bar_uses_latitude),
      cmocka_unit_test(test_bad_input),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
