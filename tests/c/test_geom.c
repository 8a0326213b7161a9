/* Unit tests for plain polygons: new sets, bounds, ring moments (far from
 * the origin too) and polygon areas with holes. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/geom.h"

/* A square of side s with its lower-left corner at (x, y), clockwise when
 * cw, in a malloc'ed ring. */
static cb_ring square(double x, double y, double s, int cw, int hole) {
  double pts[8] = {x, y, x + s, y, x + s, y + s, x, y + s};
  cb_ring r = {malloc(sizeof pts), 4, hole};
  for (int k = 0; k < 4; k++) {
    int from = cw ? 3 - k : k;
    r.xy[2 * k] = pts[2 * from], r.xy[2 * k + 1] = pts[2 * from + 1];
  }
  return r;
}

static void test_moments_far_away(void **state) {
  (void)state;
  /* a 10 m square 40 000 km east: the centroid keeps its centimetres */
  cb_ring r = square(4e7, 3e6, 10, 0, 0);
  double a, mx, my;
  cb_ring_moments(&r, &a, &mx, &my);
  assert_true(fabs(a - 100) < 1e-9);
  assert_true(fabs(mx / a - (4e7 + 5)) < 1e-6);
  assert_true(fabs(my / a - (3e6 + 5)) < 1e-6);
  cb_ring cw = square(0, 0, 2, 1, 0);
  cb_ring_moments(&cw, &a, &mx, &my);
  assert_true(fabs(a + 4) < 1e-12); /* clockwise: negative */
  assert_true(fabs(mx / a - 1) < 1e-12);
  cb_ring two = {r.xy, 2, 0};
  cb_ring_moments(&two, &a, &mx, &my);
  assert_true(a == 0 && mx == 0 && my == 0);
  free(r.xy);
  free(cw.xy);
}

static void test_set_bounds_and_areas(void **state) {
  (void)state;
  cb_polyset *ps = cb_polyset_new(2);
  assert_non_null(ps);
  assert_int_equal(ps->n, 2);
  assert_true(isinf(ps->bbox[0]) && ps->bbox[0] > 0);
  /* feature 1: a 4 x 4 square (clockwise) with a 2 x 2 hole; feature 2: none */
  ps->polys[0].rings = calloc(2, sizeof(cb_ring));
  ps->polys[0].nrings = 2;
  ps->polys[0].rings[0] = square(-1, 5, 4, 1, 0);
  ps->polys[0].rings[1] = square(0, 6, 2, 1, 1);
  cb_polyset_bbox(ps);
  assert_true(ps->bbox[0] == -1 && ps->bbox[1] == 5 && ps->bbox[2] == 3 &&
              ps->bbox[3] == 9);
  assert_true(fabs(cb_polygon_area(&ps->polys[0]) - 12) < 1e-12);
  assert_true(cb_polygon_area(&ps->polys[1]) == 0);
  cb_polygon_clear(&ps->polys[0]);
  assert_int_equal(ps->polys[0].nrings, 0);
  cb_polyset_free(ps);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_moments_far_away),
      cmocka_unit_test(test_set_bounds_and_areas),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
