/* Unit tests for the zoning mask kernel: every operator, NaN never holds
 * (not even ~=), conditions ANDed through `within`, the study's quadrants
 * with the cut at 1 counted as high. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/classify.h"

static void test_operators(void **st) {
  (void)st;
  double v[] = {0.5, 1, 2};
  double out[3];
  struct { cb_cmp op; double want[3]; } cases[] = {
      {CB_LT, {1, 0, 0}}, {CB_LE, {1, 1, 0}}, {CB_GT, {0, 0, 1}},
      {CB_GE, {0, 1, 1}}, {CB_EQ, {0, 1, 0}}, {CB_NE, {1, 0, 1}}};
  for (size_t c = 0; c < 6; c++) {
    cb_mask(v, 3, cases[c].op, 1, NULL, out);
    for (int i = 0; i < 3; i++) assert_true(out[i] == cases[c].want[i]);
  }
}

static void test_nan_never_holds(void **st) {
  (void)st;
  double v[] = {NAN, 2}, out[2];
  for (cb_cmp op = CB_LT; op <= CB_NE; op++) {
    cb_mask(v, 2, op, 1, NULL, out);
    assert_true(out[0] == 0);
  }
  cb_mask(v, 2, CB_NE, NAN, NULL, out);
  assert_true(out[1] == 0);
}

static void test_quadrants_anded(void **st) {
  (void)st;
  /* high carbon control zone: ECC >= 1 and ESC < 1; the cut counts high */
  double ecc[] = {2.0, 0.5, 1.0, 1.0, NAN}, esc[] = {0.2, 0.4, 0.99, 1.0, 0.1};
  double m[5];
  cb_mask(ecc, 5, CB_GE, 1, NULL, m);
  cb_mask(esc, 5, CB_LT, 1, m, m); /* in place */
  double want[] = {1, 0, 1, 0, 0};
  for (int i = 0; i < 5; i++) assert_true(m[i] == want[i]);
  double within[] = {NAN, 1, 1, 1, 1};
  cb_mask(ecc, 5, CB_GE, 0, within, m);
  assert_true(m[0] == 0 && m[1] == 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_operators),
      cmocka_unit_test(test_nan_never_holds),
      cmocka_unit_test(test_quadrants_anded),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
