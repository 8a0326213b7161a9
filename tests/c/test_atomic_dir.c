/* Staging folders: mkdtemp never returns an existing folder, and an
 * exchange swaps two folders or says it cannot. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/atomic.h"

static void put(const char *dir, const char *text) {
  char p[4200];
  snprintf(p, sizeof p, "%s/f", dir);
  FILE *f = fopen(p, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static char got(const char *dir) {
  char p[4200];
  snprintf(p, sizeof p, "%s/f", dir);
  FILE *f = fopen(p, "r");
  assert_non_null(f);
  int c = fgetc(f);
  fclose(f);
  remove(p);
  return (char)c;
}

static void test_mkdtemp_and_exchange(void **state) {
  (void)state;
  char base[] = "/tmp/cbal-test-XXXXXX";
  assert_non_null(mkdtemp(base));
  char prefix[64], a[4096], b[4096];
  snprintf(prefix, sizeof prefix, "%s/out.partial-", base);
  cb_err e;
  assert_int_equal(cb_atomic_mkdtemp(prefix, a, sizeof a, &e), 0);
  assert_int_equal(cb_atomic_mkdtemp(prefix, b, sizeof b, &e), 0);
  assert_string_not_equal(a, b);
  assert_int_equal(strncmp(a, prefix, strlen(prefix)), 0);
  struct stat st;
  assert_int_equal(stat(a, &st), 0);
  assert_true(S_ISDIR(st.st_mode));
  put(a, "a");
  put(b, "b");
  int r = cb_atomic_exchange(a, b, &e);
  assert_true(r == 0 || r == 1);
  if (r == 0) {
    assert_int_equal(got(a), 'b');
    assert_int_equal(got(b), 'a');
  } else {
    assert_int_equal(got(a), 'a');
    assert_int_equal(got(b), 'b');
  }
  char none[4200];
  snprintf(none, sizeof none, "%s/none", base);
  if (r == 0) assert_int_equal(cb_atomic_exchange(a, none, &e), -1);
  char bad[4200];
  snprintf(bad, sizeof bad, "%s/no/such/x-", base);
  assert_int_equal(cb_atomic_mkdtemp(bad, a, sizeof a, &e), -1);
  assert_non_null(strstr(e.msg, "cannot create a folder"));
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
  assert_int_equal(system(cmd), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_mkdtemp_and_exchange),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
