/* Error buffers and the warning channel shared by every core module. */
#include "cb.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEPT 256

static pthread_mutex_t warn_lock = PTHREAD_MUTEX_INITIALIZER;
static char *kept[MAX_KEPT];
static size_t nkept;

int cb_err_set(cb_err *e, const char *fmt, ...) {
  if (e) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
  }
  return -1;
}

char *cb_list_add(char *buf, size_t len, const char *item) {
  size_t used = strlen(buf);
  if (used + 1 < len)
    snprintf(buf + used, len - used, "%s%s", used ? ", " : "", item);
  return buf;
}

const char *cb_err_bytes(const char *s, char *buf, size_t len) {
  size_t o = 0;
  buf[0] = 0;
  for (size_t i = 0; s[i]; i++) {
    unsigned char c = (unsigned char)s[i];
    if (i == 40 || o + 8 >= len) {
      snprintf(buf + o, len - o, "...");
      break;
    }
    int n = c < 0x80 && c >= 0x20 ? snprintf(buf + o, len - o, "%c", c)
                                  : snprintf(buf + o, len - o, "\\x%02x", c);
    o += (size_t)n;
  }
  return buf;
}

/* A warning is formatted whole, however long (a list of every label or
 * county it names); only when memory runs out is it cut to 1 KiB. */
void cb_warn(const char *fmt, ...) {
  char small[1024], *buf = small;
  va_list ap, again;
  va_start(ap, fmt);
  va_copy(again, ap);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n >= (int)sizeof small && (buf = malloc((size_t)n + 1)))
    vsnprintf(buf, (size_t)n + 1, fmt, again);
  va_end(again);
  if (!buf) buf = small;
  pthread_mutex_lock(&warn_lock);
  if (nkept < MAX_KEPT) {
    char *copy = strdup(buf);
    if (copy) kept[nkept++] = copy;
  }
  pthread_mutex_unlock(&warn_lock);
  if (!cb_quiet()) fprintf(stderr, "cbal: warning: %s\n", buf);
  if (buf != small) free(buf);
}

int cb_quiet(void) {
  const char *q = getenv("CBAL_QUIET");
  return q && *q && strcmp(q, "0") != 0;
}

size_t cb_warnings_count(void) {
  pthread_mutex_lock(&warn_lock);
  size_t n = nkept;
  pthread_mutex_unlock(&warn_lock);
  return n;
}

const char *cb_warnings_get(size_t i) {
  pthread_mutex_lock(&warn_lock);
  const char *s = i < nkept ? kept[i] : NULL;
  pthread_mutex_unlock(&warn_lock);
  return s;
}

void cb_warnings_clear(void) {
  pthread_mutex_lock(&warn_lock);
  for (size_t i = 0; i < nkept; i++) free(kept[i]);
  nkept = 0;
  pthread_mutex_unlock(&warn_lock);
}
