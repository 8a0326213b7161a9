/* Temporary-file-then-rename writes. */
#include "atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned long counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

int cb_atomic_tmpname(const char *target, char *tmp, size_t tmplen, cb_err *e) {
  const char *slash = strrchr(target, '/');
  const char *base = slash ? slash + 1 : target;
  if (!*base) return cb_err_set(e, "%s: not a file name", target);
  char dir[4096];
  if (slash) {
    size_t dl = (size_t)(slash - target);
    if (dl >= sizeof dir) return cb_err_set(e, "%s: path too long", target);
    memcpy(dir, target, dl);
    dir[dl] = 0;
    if (dl == 0) strcpy(dir, "/");
  } else {
    strcpy(dir, ".");
  }
  if (access(dir, W_OK) != 0)
    return cb_err_set(e, "cannot write %s: folder '%s' %s", target, dir,
                      errno == ENOENT ? "does not exist" : "is not writable");
  /* The extension appears once, at the end: GDAL picks drivers by it, and
   * its /vsizip/ path handling (XLSX, ODS) cuts a path at the first ".xlsx". */
  const char *dot = strrchr(base, '.');
  int stem = dot && dot != base ? (int)(dot - base) : (int)strlen(base);
  pthread_mutex_lock(&lock);
  unsigned long k = ++counter;
  pthread_mutex_unlock(&lock);
  int n = snprintf(tmp, tmplen, "%.*s.%.*s.%ld-%lu.tmp%s",
                   (int)(base - target), target, stem, base, (long)getpid(), k,
                   dot && dot != base ? dot : "");
  if (n < 0 || (size_t)n >= tmplen)
    return cb_err_set(e, "%s: path too long", target);
  return 0;
}

int cb_atomic_commit(const char *tmp, const char *target, cb_err *e) {
  if (rename(tmp, target) != 0) {
    int err = errno;
    remove(tmp);
    return cb_err_set(e, "cannot write %s: %s", target, strerror(err));
  }
  return 0;
}

void cb_atomic_abort(const char *tmp) { remove(tmp); }

int cb_atomic_mkdtemp(const char *prefix, char *out, size_t outlen,
                      cb_err *e) {
  int n = snprintf(out, outlen, "%sXXXXXX", prefix);
  if (n < 0 || (size_t)n >= outlen)
    return cb_err_set(e, "%s: path too long", prefix);
  if (mkdtemp(out) == NULL)
    return cb_err_set(e, "cannot create a folder '%sXXXXXX': %s", prefix,
                      strerror(errno));
  return 0;
}

int cb_atomic_exchange(const char *a, const char *b, cb_err *e) {
#ifdef RENAME_EXCHANGE
  if (renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) == 0) return 0;
  int err = errno;
  if (err == ENOSYS || err == EINVAL || err == ENOTSUP) return 1;
  cb_err_set(e, "cannot exchange '%s' and '%s': %s", a, b, strerror(err));
  return -1;
#else
  (void)a, (void)b, (void)e;
  return 1;
#endif
}
