/* Unit tests for declarative zoning rules: the study's four zones on one
 * county per quadrant, first match wins, NaN never matches, defaults. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/classify.h"

enum { ECC, ESC };
/* zones: 1 control (ECC>=1, ESC<1), 2 optimization (<1,<1),
 * 3 development (<1, >=1), 4 economic (>=1, >=1) */
static const cb_cond c1[] = {{ECC, CB_GE, 1}, {ESC, CB_LT, 1}};
static const cb_cond c2[] = {{ECC, CB_LT, 1}, {ESC, CB_LT, 1}};
static const cb_cond c3[] = {{ECC, CB_LT, 1}, {ESC, CB_GE, 1}};
static const cb_cond c4[] = {{ECC, CB_GE, 1}, {ESC, CB_GE, 1}};
static const cb_rule study[] = {
    {1, c1, 2}, {2, c2, 2}, {3, c3, 2}, {4, c4, 2}};

static void test_quadrants(void **st) {
  (void)st;
  /* one county per quadrant, plus the cuts exactly at 1 */
  double ecc[] = {2.0, 0.5, 0.3, 1.7, 1.0, 0.99};
  double esc[] = {0.2, 0.4, 3.0, 1.2, 1.0, 1.0};
  const double *vars[] = {ecc, esc};
  size_t zone[6], counts[5];
  assert_int_equal(cb_classify(study, 4, vars, 2, 6, 0, 1, zone, counts, 4, NULL), 0);
  size_t want[] = {1, 2, 3, 4, 4, 3};
  for (int i = 0; i < 6; i++) assert_int_equal(zone[i], want[i]);
  assert_int_equal(counts[0], 0);
  assert_int_equal(counts[3], 2);
  assert_int_equal(counts[4], 2);
}

static void test_first_match_and_catch_all(void **st) {
  (void)st;
  /* a sink rule (Q < 1) ahead of the quadrants takes precedence */
  enum { Q = 2 };
  static const cb_cond sink[] = {{Q, CB_LT, 1}};
  cb_rule rules[] = {{5, sink, 1}, study[0], study[1], study[2], study[3]};
  double ecc[] = {0.5, 0.5}, esc[] = {3, 3}, q[] = {0.5, 2};
  const double *vars[] = {ecc, esc, q};
  size_t zone[2];
  assert_int_equal(cb_classify(rules, 5, vars, 3, 2, 0, 1, zone, NULL, 5, NULL), 0);
  assert_int_equal(zone[0], 5);
  assert_int_equal(zone[1], 3);
  cb_rule all[] = {{2, NULL, 0}}; /* no conditions: matches everything */
  assert_int_equal(cb_classify(all, 1, vars, 3, 2, 0, 1, zone, NULL, 2, NULL), 0);
  assert_int_equal(zone[0], 2);
}

static void test_nan_never_matches(void **st) {
  (void)st;
  double ecc[] = {NAN, 2}, esc[] = {0.5, NAN};
  const double *vars[] = {ecc, esc};
  /* ~= is a comparison too: NaN ~= 1 does not hold */
  static const cb_cond ne[] = {{ECC, CB_NE, 1}};
  cb_rule rules[] = {{1, ne, 1}, study[0], study[3]};
  size_t zone[2], counts[5];
  cb_err e;
  assert_int_equal(cb_classify(rules, 3, vars, 2, 2, 0, 1, zone, counts, 4, &e), -1);
  assert_non_null(strstr(e.msg, "item 1 matches no rule"));
  assert_int_equal(cb_classify(rules, 3, vars, 2, 2, 0, 0, zone, counts, 4, NULL), 0);
  assert_int_equal(zone[0], 0); /* NaN ~= 1 is false: unmatched */
  assert_int_equal(zone[1], 1);          /* 2 ~= 1 */
  assert_int_equal(counts[0], 1);
  assert_int_equal(cb_classify(rules, 3, vars, 2, 2, 4, 1, zone, NULL, 4, NULL), 0);
  assert_int_equal(zone[0], 4); /* default */
}

static void test_bad_rules(void **st) {
  (void)st;
  static const cb_cond bad[] = {{7, CB_LT, 1}};
  cb_rule rules[] = {{1, bad, 1}};
  double x[] = {1};
  const double *vars[] = {x};
  size_t zone[1];
  cb_err e;
  assert_int_equal(cb_classify(rules, 1, vars, 1, 1, 0, 1, zone, NULL, 1, &e), -1);
  assert_non_null(strstr(e.msg, "rule 1 condition 1"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_quadrants),
      cmocka_unit_test(test_first_match_and_catch_all),
      cmocka_unit_test(test_nan_never_matches),
      cmocka_unit_test(test_bad_rules),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
