/* Unit tests for total and average annual growth, on the study's published
 * provincial figures. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/growth.h"

static void test_published_figures(void **st) {
  (void)st;
  double a = 199, b = 847, t, g;
  assert_int_equal(cb_growth(&a, 0, &b, 0, 21, &t, &g, 1), 0);
  assert_float_equal(round(t * 10000) / 100, 325.63, 1e-9); /* +325.63 % */
  double n0 = 142, n1 = 171;
  cb_growth(&n0, 0, &n1, 0, 21, &t, &g, 1);
  assert_float_equal(round(t * 10000) / 100, 20.42, 1e-9); /* +20.42 % */
  assert_float_equal(round(g * 10000) / 100, 0.89, 1e-9);  /* 0.89 %/yr */
  /* compounding the rate gives back the end value */
  assert_float_equal(142 * pow(1 + g, 21), 171, 1e-9);
}

static void test_elementwise_and_scalar(void **st) {
  (void)st;
  double x0[] = {1, 2, 4}, ten = 10, t[3], g[3];
  assert_int_equal(cb_growth(x0, 1, &ten, 0, 2, t, g, 3), 0);
  assert_float_equal(t[0], 9, 1e-15);
  assert_float_equal(t[2], 1.5, 1e-15);
  assert_float_equal(g[1], sqrt(5) - 1, 1e-15);
  /* small rates keep full precision (expm1) */
  double a = 1, b = 1 + 1e-12, h = b - 1; /* h exact */
  cb_growth(&a, 0, &b, 0, 10, NULL, g, 1);
  /* (1+h)^(1/10) − 1 = h/10 − 0.045 h² + ...; pow(b, 0.1) − 1 is off by
   * ~1e-17 here */
  assert_float_equal(g[0], h / 10 - 0.045 * h * h, 1e-28);
}

static void test_undefined(void **st) {
  (void)st;
  double x0[] = {0, -1, 5, NAN, 5}, x1[] = {3, 2, -1, 1, 0}, t[5], g[5];
  assert_int_equal(cb_growth(x0, 1, x1, 1, 10, t, g, 5), 4);
  for (int i = 0; i < 4; i++) assert_true(isnan(t[i]) && isnan(g[i]));
  assert_float_equal(t[4], -1, 0); /* to zero: −100 % */
  assert_float_equal(g[4], -1, 0);
  double a = 1, b = 2;
  assert_int_equal(cb_growth(&a, 0, &b, 0, 0, t, g, 1), 1);
  assert_true(isnan(g[0]));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_published_figures),
      cmocka_unit_test(test_elementwise_and_scalar),
      cmocka_unit_test(test_undefined),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
