/* Unit tests for the NaN-aware array kernels and the warning channel. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/array.h"
#include "core/cb.h"

static void test_reductions_skip_nan(void **state) {
  (void)state;
  double v[] = {1, NAN, 2, 4};
  assert_float_equal(cb_sum(v, 4), 7.0, 0);
  assert_int_equal(cb_count(v, 4), 3);
  assert_float_equal(cb_mean(v, 4), 7.0 / 3.0, 1e-15);
  assert_float_equal(cb_min(v, 4), 1.0, 0);
  assert_float_equal(cb_max(v, 4), 4.0, 0);
}

static void test_empty_and_all_missing(void **state) {
  (void)state;
  double v[] = {NAN, NAN};
  assert_float_equal(cb_sum(v, 2), 0.0, 0);
  assert_int_equal(cb_count(v, 2), 0);
  assert_true(isnan(cb_mean(v, 2)));
  assert_true(isnan(cb_min(v, 2)));
  assert_true(isnan(cb_max(v, 0)));
  assert_float_equal(cb_sum(NULL, 0), 0.0, 0);
}

static void test_sum_is_compensated(void **state) {
  (void)state;
  /* 1e16 + 1 + 1 - 1e16: a naive sum loses both ones. */
  double v[] = {1e16, 1.0, 1.0, -1e16};
  assert_float_equal(cb_sum(v, 4), 2.0, 0);
  /* an infinite term gives that infinity, not NaN from the compensation */
  double w[] = {INFINITY, 0.0, 2.5, NAN};
  assert_true(cb_sum(w, 4) == INFINITY);
  assert_true(cb_mean(w, 4) == INFINITY);
  double x[] = {1.0, -INFINITY, 3.0};
  assert_true(cb_sum(x, 3) == -INFINITY);
  double y[] = {INFINITY, -INFINITY};
  assert_true(isnan(cb_sum(y, 2)));
}

static void test_arith_scalar_and_alias(void **state) {
  (void)state;
  double a[] = {1, 2, 3}, two = 2, out[3];
  cb_arith_apply(CB_DIV, a, 1, &two, 0, out, 3);
  assert_float_equal(out[2], 1.5, 0);
  cb_arith_apply(CB_SUB, &two, 0, a, 1, a, 3); /* in place */
  assert_float_equal(a[0], 1.0, 0);
  assert_float_equal(a[2], -1.0, 0);
  double z = 0, q[1];
  cb_arith_apply(CB_DIV, &two, 0, &z, 0, q, 1);
  assert_true(isinf(q[0]));
}

static void test_compare_masks(void **state) {
  (void)state;
  double a[] = {0.5, 1, 2, NAN}, one = 1, out[4];
  cb_cmp_apply(CB_GE, a, 1, &one, 0, out, 4);
  assert_float_equal(out[0], 0, 0);
  assert_float_equal(out[1], 1, 0);
  assert_float_equal(out[2], 1, 0);
  assert_true(isnan(out[3]));
  cb_cmp_apply(CB_LT, a, 1, &one, 0, out, 4);
  assert_float_equal(out[0], 1, 0);
  assert_float_equal(out[1], 0, 0);
}

static void test_warnings_are_kept(void **state) {
  (void)state;
  setenv("CBAL_QUIET", "1", 1);
  cb_warnings_clear();
  cb_warn("county %s has %d", "320102", 3);
  assert_int_equal(cb_warnings_count(), 1);
  assert_string_equal(cb_warnings_get(0), "county 320102 has 3");
  assert_null(cb_warnings_get(1));
  cb_warnings_clear();
  assert_int_equal(cb_warnings_count(), 0);
}

static void test_quiet_setting(void **state) {
  (void)state;
  unsetenv("CBAL_QUIET");
  assert_false(cb_quiet());
  setenv("CBAL_QUIET", "", 1);
  assert_false(cb_quiet());
  setenv("CBAL_QUIET", "0", 1);
  assert_false(cb_quiet());
  setenv("CBAL_QUIET", "1", 1);
  assert_true(cb_quiet());
  setenv("CBAL_QUIET", "0x", 1); /* anything but "" or "0" */
  assert_true(cb_quiet());
}

static void test_err_set(void **state) {
  (void)state;
  cb_err e;
  assert_int_equal(cb_err_set(&e, "bad %s", "x"), -1);
  assert_string_equal(e.msg, "bad x");
  assert_int_equal(cb_err_set(NULL, "ignored"), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_reductions_skip_nan),
      cmocka_unit_test(test_empty_and_all_missing),
      cmocka_unit_test(test_sum_is_compensated),
      cmocka_unit_test(test_arith_scalar_and_alias),
      cmocka_unit_test(test_compare_masks),
      cmocka_unit_test(test_warnings_are_kept),
      cmocka_unit_test(test_quiet_setting),
      cmocka_unit_test(test_err_set),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
