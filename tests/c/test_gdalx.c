/* GDAL's messages are captured: failures reach cbal's error text, warnings
 * become cbal warnings, nothing is printed raw. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cpl_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/gdalx.h"

/* Runs f with stderr sent to a temporary file; returns what it printed. */
static char *capture_stderr(void (*f)(void)) {
  static char buf[4096];
  char path[] = "/tmp/cbal-gdalx-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  fflush(stderr);
  int saved = dup(STDERR_FILENO);
  dup2(fd, STDERR_FILENO);
  f();
  fflush(stderr);
  dup2(saved, STDERR_FILENO);
  close(saved);
  lseek(fd, 0, SEEK_SET);
  ssize_t n = read(fd, buf, sizeof buf - 1);
  buf[n > 0 ? n : 0] = 0;
  close(fd);
  unlink(path);
  return buf;
}

static void raise_warning_and_failure(void) {
  CPLError(CE_Warning, CPLE_AppDefined, "band %d has no overviews", 3);
  CPLError(CE_Failure, CPLE_OpenFailed, "cannot open 'x.tif'");
}

static void test_messages_are_captured(void **state) {
  (void)state;
  unsetenv("CBAL_QUIET");
  cb_gdal_init();
  cb_gdal_init(); /* idempotent */
  cb_warnings_clear();
  char *printed = capture_stderr(raise_warning_and_failure);
  assert_string_equal(printed, "cbal: warning: GDAL: band 3 has no overviews\n");
  assert_int_equal(cb_warnings_count(), 1);
  assert_string_equal(cb_warnings_get(0), "GDAL: band 3 has no overviews");
  cb_err e;
  assert_int_equal(cb_gdal_fail(&e, "reading counties.gpkg"), -1);
  assert_string_equal(e.msg, "reading counties.gpkg: cannot open 'x.tif'");
  /* The failure is consumed: the next report has only the caller's text. */
  cb_gdal_fail(&e, "again");
  assert_string_equal(e.msg, "again");
}

static void test_quiet_keeps_but_does_not_print(void **state) {
  (void)state;
  setenv("CBAL_QUIET", "1", 1);
  cb_gdal_init();
  cb_warnings_clear();
  char *printed = capture_stderr(raise_warning_and_failure);
  assert_string_equal(printed, "");
  assert_int_equal(cb_warnings_count(), 1);
  CPLErrorReset();
}

static void test_version(void **state) {
  (void)state;
  const char *v = cb_gdal_version();
  assert_non_null(v);
  assert_true(v[0] >= '2' && v[0] <= '9' && v[1] == '.');
}

/* The one list builder of messages: items joined by ", ", cut to fit. */
static void test_list_add(void **state) {
  (void)state;
  char buf[12] = "";
  assert_string_equal(cb_list_add(buf, sizeof buf, "exact"), "exact");
  assert_string_equal(cb_list_add(buf, sizeof buf, "center"), "exact, cent");
  assert_string_equal(cb_list_add(buf, sizeof buf, "touched"), "exact, cent");
  char one[1] = "";
  assert_string_equal(cb_list_add(one, sizeof one, "x"), "");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_list_add),
      cmocka_unit_test(test_messages_are_captured),
      cmocka_unit_test(test_quiet_keeps_but_does_not_print),
      cmocka_unit_test(test_version),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
