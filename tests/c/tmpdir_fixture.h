/* A scratch folder for a cmocka group: setup makes /tmp/cbal_test_XXXXXX
 * into `dir`, teardown removes it with everything in it. */
#ifndef TMPDIR_FIXTURE_H
#define TMPDIR_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

static char dir[64];

static int setup(void **state) {
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/cbal_test_XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd);
}

#endif
