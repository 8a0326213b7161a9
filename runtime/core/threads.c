/* The thread count of native functions: explicit, CBAL_THREADS, or the
 * online cores. */
#include "threads.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

int cb_threads(int want, int cap, cb_err *e) {
  if (want <= 0) {
    const char *env = getenv("CBAL_THREADS");
    if (env && *env) {
      char *end;
      errno = 0;
      long n = strtol(env, &end, 10);
      if (*end || errno || n < 1 || n > 1024)
        return cb_err_set(e, "CBAL_THREADS='%.40s' is not a number of threads "
                          "(set a whole number, 1 or more, or unset it to use "
                          "every core)", env);
      want = (int)n;
    }
  }
  if (want <= 0) want = (int)sysconf(_SC_NPROCESSORS_ONLN);
  if (want < 1) want = 1;
  return want > cap ? cap : want;
}
