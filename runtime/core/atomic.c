/* Temporary-file-then-rename writes with every write and the close checked;
 * output folders: made with their parents, exclusive staging folders and
 * their atomic exchange. */
#include "atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned long counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int fail_next = CB_FAIL_NONE;

void cb_out_fail_next(int how) { fail_next = how; }

/* Fills tmp with a fresh name beside target that keeps its extension (GDAL
 * and cairo pick formats by it). */
static int tmpname(const char *target, char *tmp, size_t tmplen, cb_err *e) {
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

int cb_out_open(cb_out *o, const char *target, cb_err *e) {
  memset(o, 0, sizeof *o);
  o->target = target;
  if (tmpname(target, o->tmp, sizeof o->tmp, e)) return -1;
  o->f = fopen(o->tmp, "wb");
  if (!o->f)
    return cb_err_set(e, "cannot write %s: %s", target, strerror(errno));
  o->inject = fail_next;
  fail_next = CB_FAIL_NONE;
  return 0;
}

int cb_out_write(cb_out *o, const void *p, size_t n) {
  if (o->err) return -1;
  if (o->inject == CB_FAIL_WRITE) {
    o->err = ENOSPC;
    return -1;
  }
  if (n && fwrite(p, 1, n, o->f) != n) {
    o->err = errno ? errno : EIO;
    return -1;
  }
  return 0;
}

/* Buffered bytes reach the kernel at fflush or fclose, where a full disk
 * shows up: both are checked. (No fsync: a rename after a complete write
 * already keeps the previous file until the new one is whole.) */
int cb_out_commit(cb_out *o, cb_err *e) {
  int err = o->err;
  if (!err && fflush(o->f) != 0) err = errno ? errno : EIO;
  if (!err && o->inject == CB_FAIL_CLOSE) err = ENOSPC;
  if (fclose(o->f) != 0 && !err) err = errno ? errno : EIO;
  o->f = NULL;
  if (!err && rename(o->tmp, o->target) != 0) err = errno;
  if (err) {
    remove(o->tmp);
    return cb_err_set(e, "cannot write %s: %s", o->target, strerror(err));
  }
  return 0;
}

void cb_out_abort(cb_out *o) {
  if (o->f) fclose(o->f);
  o->f = NULL;
  if (o->tmp[0]) remove(o->tmp);
}

int cb_out_file(const char *target, const void *p, size_t n, cb_err *e) {
  cb_out o;
  if (cb_out_open(&o, target, e)) return -1;
  cb_out_write(&o, p, n);
  return cb_out_commit(&o, e);
}

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

int cb_mkdirs(const char *path, cb_err *e) {
  char p[4096];
  size_t n = strlen(path);
  if (n == 0) return cb_err_set(e, "cannot create a folder with an empty name");
  if (n >= sizeof p) return cb_err_set(e, "%s: path too long", path);
  memcpy(p, path, n + 1);
  for (char *s = p + 1;; s++) {
    if (*s != '/' && *s != 0) continue;
    char c = *s;
    *s = 0;
    if (mkdir(p, 0777) != 0 && errno != EEXIST)
      return cb_err_set(e, "cannot create the folder '%s': %s", p,
                        strerror(errno));
    *s = c;
    if (!c) break;
  }
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
    return cb_err_set(e, "cannot create the folder '%s': a file of that name "
                      "exists", path);
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
