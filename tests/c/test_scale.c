/* Unit tests for nice numbers, tick sets, number labels and linear maps. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

/* cmocka's assert_float_equal compares as float; these are doubles. */
#define assert_near(a, b, tol) assert_true(fabs((double)(a) - (double)(b)) <= (tol))

#include "scale.h"

static void test_nice_num(void **state) {
  (void)state;
  assert_near(cbc_nice_num(0.73, 1), 1.0, 1e-12);
  assert_near(cbc_nice_num(3.2, 1), 5.0, 1e-12);
  assert_near(cbc_nice_num(1.4, 1), 1.0, 1e-12);
  assert_near(cbc_nice_num(1.6, 1), 2.0, 1e-12);
  assert_near(cbc_nice_num(87, 0), 100.0, 1e-9);
  assert_near(cbc_nice_num(2, 0), 2.0, 1e-12);
  assert_near(cbc_nice_num(2.01, 0), 5.0, 1e-12);
  assert_near(cbc_nice_num(0.0042, 0), 0.005, 1e-15);
}

static void test_ticks_cover_data(void **state) {
  (void)state;
  cbc_ticks t;
  cbc_ticks_make(0, 87, 6, &t);
  assert_int_equal(t.n, 6);
  assert_near(t.step, 20, 1e-12);
  for (int i = 0; i < t.n; i++) assert_near(t.v[i], 20.0 * i, 1e-9);
  assert_int_equal(t.decimals, 0);

  cbc_ticks_make(0.013, 0.087, 5, &t);
  assert_near(t.step, 0.02, 1e-15);
  assert_near(t.lo, 0.0, 1e-15);
  assert_near(t.hi, 0.1, 1e-15);
  assert_int_equal(t.decimals, 2);

  cbc_ticks_make(-3.2, 6.1, 6, &t);
  assert_true(t.lo <= -3.2 && t.hi >= 6.1);
  int zero = 0;
  for (int i = 0; i < t.n; i++)
    if (t.v[i] == 0) zero = !signbit(t.v[i]);
  assert_true(zero); /* an exact, positive zero tick */
}

static void test_ticks_years(void **state) {
  (void)state;
  cbc_ticks t;
  cbc_ticks_make(2000, 2021, 6, &t);
  assert_near(t.step, 5, 1e-12); /* 2000, 2005, ..., 2025 */
  assert_int_equal(t.n, 6);
  assert_near(t.v[0], 2000, 1e-9);
  assert_near(t.v[4], 2020, 1e-9);
  assert_int_equal(t.decimals, 0);
}

static void test_ticks_single_value_and_bad_input(void **state) {
  (void)state;
  cbc_ticks t;
  cbc_ticks_make(5, 5, 6, &t);
  assert_true(t.lo < 5 && t.hi > 5);
  assert_true(t.n >= 2);
  cbc_ticks_make(0, 0, 6, &t);
  assert_true(t.lo < 0 && t.hi > 0);
  cbc_ticks_make(NAN, 3, 6, &t);
  assert_near(t.lo, 0, 0);
  assert_near(t.hi, 1, 0);
  cbc_ticks_make(9, 1, 5, &t); /* swapped */
  assert_true(t.lo <= 1 && t.hi >= 9);
}

static void test_number_labels(void **state) {
  (void)state;
  char b[48];
  cbc_fmt_sig(12345.6, 3, b, sizeof b);
  assert_string_equal(b, "12346");
  cbc_fmt_sig(40, 3, b, sizeof b);
  assert_string_equal(b, "40");
  cbc_fmt_sig(0.5, 3, b, sizeof b);
  assert_string_equal(b, "0.5");
  cbc_fmt_sig(87.3, 3, b, sizeof b);
  assert_string_equal(b, "87.3");
  cbc_fmt_sig(-0.0123, 2, b, sizeof b);
  assert_string_equal(b, "-0.012");
  cbc_fmt_fixed(-0.0001, 2, b, sizeof b);
  assert_string_equal(b, "0.00");
  cbc_fmt_fixed(2.5, 1, b, sizeof b);
  assert_string_equal(b, "2.5");
  cbc_fmt_fixed(-2.5, 1, b, sizeof b);
  cbc_typeset_minus(b, sizeof b);
  assert_string_equal(b, "\u22122.5");
  char small[5] = "-123"; /* no room: left alone */
  cbc_typeset_minus(small, sizeof small);
  assert_string_equal(small, "-123");
}

static void test_linear_map(void **state) {
  (void)state;
  cbc_lin s = {0, 10, 100, 50}; /* y axis: up is smaller mm */
  assert_near(cbc_lin_map(&s, 0), 100, 1e-12);
  assert_near(cbc_lin_map(&s, 10), 50, 1e-12);
  assert_near(cbc_lin_map(&s, 2.5), 87.5, 1e-12);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_nice_num),
      cmocka_unit_test(test_ticks_cover_data),
      cmocka_unit_test(test_ticks_years),
      cmocka_unit_test(test_ticks_single_value_and_bad_input),
      cmocka_unit_test(test_number_labels),
      cmocka_unit_test(test_linear_map),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
