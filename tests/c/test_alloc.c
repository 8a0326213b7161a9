/* Unit tests for proportional allocation: proportionality, exact sums,
 * grouped totals and the errors that name the group or the index. */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/alloc.h"

static uint64_t rng = 2463534242ull;
static double urand(void) {
  rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
  return (double)(rng >> 11) / 9007199254740992.0;
}

/* |Σ v − total| measured in quad precision (GCC's __float128: 113-bit
 * mantissa, exact enough for 100 doubles), in units of the last place of
 * the largest share. */
static double residual_ulps(const double *v, size_t n, double total) {
  __float128 s = 0;
  double big = 0;
  for (size_t i = 0; i < n; i++) s += v[i], big = fmax(big, fabs(v[i]));
  double ulp = nextafter(big, INFINITY) - big;
  return fabs((double)(s - (__float128)total)) / ulp;
}

static void test_proportional(void **st) {
  (void)st;
  double w[] = {1, 3, 0, 4}, out[4];
  assert_int_equal(cb_alloc(80, w, 4, out, NULL), 0);
  assert_float_equal(out[0], 10, 1e-12);
  assert_float_equal(out[1], 30, 1e-12);
  assert_float_equal(out[2], 0, 0);
  assert_float_equal(out[3], 40, 1e-12);
}

static void test_sum_exact_random(void **st) {
  (void)st;
  enum { N = 95 };
  double w[N], out[N];
  double naive_worst = 0;
  for (int trial = 0; trial < 500; trial++) {
    for (int i = 0; i < N; i++) w[i] = pow(10, 9 * urand() - 3);
    double total = 100 + 900 * urand();
    assert_int_equal(cb_alloc(total, w, N, out, NULL), 0);
    assert_true(residual_ulps(out, N, total) <= 0.5);
    /* without the correction the plain shares miss by several ulps */
    double W = 0, plain[N];
    for (int i = 0; i < N; i++) W += w[i];
    for (int i = 0; i < N; i++) plain[i] = total * (w[i] / W);
    naive_worst = fmax(naive_worst, residual_ulps(plain, N, total));
    for (int i = 0; i < N; i++)
      assert_true(fabs(out[i] - plain[i]) <= 1e-12 * total);
  }
  assert_true(naive_worst > 0.5); /* the test can tell the difference */
}

static void test_grouped(void **st) {
  (void)st;
  double totals[] = {199.0, 0.1 * 3};
  size_t group[] = {0, 1, 0, 1, 0};
  double w[] = {1, 1, 2, 2, 0.1}, out[5];
  const char *names[] = {"Jiangsu", "Anhui"};
  assert_int_equal(cb_alloc_grouped(totals, 2, group, w, 5, names, out, NULL), 0);
  assert_float_equal(out[0], 199.0 / 3.1, 1e-12);
  assert_float_equal(out[1], 0.1, 1e-15);
  assert_float_equal(out[3], 0.2, 1e-15);
  double s0[] = {out[0], out[2], out[4]}, s1[] = {out[1], out[3]};
  assert_true(residual_ulps(s0, 3, totals[0]) <= 0.5);
  assert_true(residual_ulps(s1, 2, totals[1]) <= 0.5);
}

static void test_errors(void **st) {
  (void)st;
  cb_err e;
  double out[3];
  double wz[] = {0, 0, 0};
  assert_int_equal(cb_alloc(5, wz, 3, out, &e), -1);
  assert_non_null(strstr(e.msg, "sum to zero"));
  double wn[] = {1, -2, 3};
  assert_int_equal(cb_alloc(5, wn, 3, out, &e), -1);
  assert_non_null(strstr(e.msg, "weight 2 is negative"));
  double wnan[] = {1, 2, NAN};
  assert_int_equal(cb_alloc(5, wnan, 3, out, &e), -1);
  assert_non_null(strstr(e.msg, "weight 3 is missing"));
  double w[] = {1, 2, 3};
  assert_int_equal(cb_alloc(NAN, w, 3, out, &e), -1);
  assert_non_null(strstr(e.msg, "total"));
  /* grouped: zero weights in one group, a group with no total */
  const char *names[] = {"Jiangsu", "Anhui"};
  double totals[] = {10, 20};
  size_t g[] = {0, 1, 1};
  double w2[] = {1, 0, 0};
  assert_int_equal(cb_alloc_grouped(totals, 2, g, w2, 3, names, out, &e), -1);
  assert_non_null(strstr(e.msg, "group Anhui"));
  assert_non_null(strstr(e.msg, "sum to zero"));
  double nototal[] = {10, NAN};
  assert_int_equal(cb_alloc_grouped(nototal, 2, g, w, 3, names, out, &e), -1);
  assert_non_null(strstr(e.msg, "group Anhui has 2 items but no total"));
}

static void test_total_without_items_warns(void **st) {
  (void)st;
  setenv("CBAL_QUIET", "1", 1);
  cb_warnings_clear();
  const char *names[] = {"Jiangsu", "Anhui"};
  double totals[] = {10, 20}, w[] = {1, 1}, out[2];
  size_t g[] = {0, 0};
  assert_int_equal(cb_alloc_grouped(totals, 2, g, w, 2, names, out, NULL), 0);
  assert_int_equal(cb_warnings_count(), 1);
  assert_non_null(strstr(cb_warnings_get(0), "group Anhui has a total"));
  assert_float_equal(out[0] + out[1], 10, 0);
  cb_warnings_clear();
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_proportional),
      cmocka_unit_test(test_sum_exact_random),
      cmocka_unit_test(test_grouped),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_total_without_items_warns),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
