/* Unit tests for core/table: number parsing and shortest formatting, and a
 * CSV/XLSX write-read round trip straight through the C API. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
/* cmocka needs the headers above first */
#include <cmocka.h>

#include "core/table.h"

static void test_parsenum_accepts_decimal_forms(void **state) {
  (void)state;
  double v;
  assert_true(cb_table_parsenum("12", &v));
  assert_true(v == 12);
  assert_true(cb_table_parsenum(" -2.5E-2 ", &v));
  assert_true(v == -0.025);
  assert_true(cb_table_parsenum("+.5", &v));
  assert_true(v == 0.5);
  assert_true(cb_table_parsenum("7.", &v));
  assert_true(v == 7);
  assert_true(cb_table_parsenum("0.30000000000000004", &v));
  assert_true(v == 0.1 + 0.2);
  assert_true(cb_table_parsenum("-Infinity", &v));
  assert_true(isinf(v) && v < 0);
  assert_true(cb_table_parsenum("inf", &v));
  assert_true(isinf(v) && v > 0);
}

static void test_parsenum_rejects_non_numbers(void **state) {
  (void)state;
  const char *bad[] = {"",     " ",   "abc", "0x10", "nan",    "NaN", "1,234",
                       "1e",   "1e+", ".",   "-",    "12 a",   "--1", "1.2.3",
                       "inff", "12%", "1 2", "e5",   "infinit"};
  double v = 42;
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    if (cb_table_parsenum(bad[i], &v)) fail_msg("accepted '%s'", bad[i]);
  }
  assert_false(cb_table_parsenum(NULL, &v));
}

static double from_bits(uint64_t b) {
  double d;
  memcpy(&d, &b, sizeof d);
  return d;
}

static void test_fmtnum_is_shortest_round_trip(void **state) {
  (void)state;
  char buf[40];
  cb_table_fmtnum(0.1, buf, sizeof buf);
  assert_string_equal(buf, "0.1");
  cb_table_fmtnum(0.1 + 0.2, buf, sizeof buf);
  assert_string_equal(buf, "0.30000000000000004");
  cb_table_fmtnum(320102, buf, sizeof buf);
  assert_string_equal(buf, "320102");
  cb_table_fmtnum(NAN, buf, sizeof buf);
  assert_string_equal(buf, "nan");
  cb_table_fmtnum(-INFINITY, buf, sizeof buf);
  assert_string_equal(buf, "-inf");
  /* random bit patterns: every finite double reads back exactly */
  uint64_t x = 88172645463325252ull;
  for (int i = 0; i < 100000; i++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    double d = from_bits(x);
    if (!isfinite(d)) continue;
    cb_table_fmtnum(d, buf, sizeof buf);
    double back;
    if (!cb_table_parsenum(buf, &back) || back != d)
      fail_msg("%.17g formatted as '%s' does not read back", d, buf);
  }
}

static void round_trip(const char *ext) {
  char dir[] = "/tmp/cbal_table_XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[128];
  snprintf(path, sizeof path, "%s/t.%s", dir, ext);
  double num[3] = {0.1 + 0.2, NAN, 1.0 / 3};
  char *str[3] = {"南京", "", "a,\"b\""};
  cb_column cols[2] = {{"值", 1, num, NULL}, {"name", 0, NULL, str}};
  cb_table t = {2, 3, cols, NULL};
  cb_err e;
  if (cb_table_write(path, &t, "数据", 0, &e)) fail_msg("%s", e.msg);

  cb_table r;
  cb_table_read_opts o = {0};
  o.header = 1;
  if (cb_table_read(path, &o, &r, &e)) fail_msg("%s", e.msg);
  assert_int_equal(r.ncols, 2);
  assert_int_equal(r.nrows, 3);
  assert_string_equal(r.cols[0].name, "值");
  assert_true(r.cols[0].is_num);
  assert_true(r.cols[0].num[0] == num[0]);
  assert_true(isnan(r.cols[0].num[1]));
  assert_true(r.cols[0].num[2] == num[2]);
  assert_false(r.cols[1].is_num);
  for (int i = 0; i < 3; i++) assert_string_equal(r.cols[1].str[i], str[i]);
  cb_table_free(&r);
  cb_table_free(&r); /* idempotent */

  char **names;
  size_t n;
  if (cb_table_sheets(path, &names, &n, &e)) fail_msg("%s", e.msg);
  assert_int_equal(n, 1);
  assert_string_equal(names[0], strcmp(ext, "csv") == 0 ? "t" : "数据");
  cb_table_names_free(names, n);
  remove(path);
  assert_int_equal(rmdir(dir), 0); /* nothing else was left behind */
}

static void test_round_trip_csv(void **state) {
  (void)state;
  round_trip("csv");
}

static void test_round_trip_xlsx(void **state) {
  (void)state;
  round_trip("xlsx");
}

static void test_write_rejects_other_formats(void **state) {
  (void)state;
  char dir[] = "/tmp/cbal_table_XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[128];
  snprintf(path, sizeof path, "%s/t.gpkg", dir);
  double v[1] = {1};
  cb_column c = {"a", 1, v, NULL};
  cb_table t = {1, 1, &c, NULL};
  cb_err e;
  assert_int_equal(cb_table_write(path, &t, NULL, 0, &e), -1);
  assert_non_null(strstr(e.msg, "cannot write tables as '.gpkg'"));
  assert_int_equal(rmdir(dir), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parsenum_accepts_decimal_forms),
      cmocka_unit_test(test_parsenum_rejects_non_numbers),
      cmocka_unit_test(test_fmtnum_is_shortest_round_trip),
      cmocka_unit_test(test_round_trip_csv),
      cmocka_unit_test(test_round_trip_xlsx),
      cmocka_unit_test(test_write_rejects_other_formats),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
