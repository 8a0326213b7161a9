/* Shared plumbing for the Lua-free core: error buffers, warnings, version.
 * Every core function that can fail takes a cb_err * and returns non-zero
 * (or NULL) after filling it with a message in Lua's style (lowercase, no
 * trailing period). */
#ifndef CB_H
#define CB_H

#include <stddef.h>

#define CBAL_VERSION "0.1.0"

typedef struct cb_err {
  char msg[1024];
} cb_err;

/* Formats a message into e (printf-style); returns -1 so callers can write
 * `return cb_err_set(e, ...)`. e may be NULL. */
int cb_err_set(cb_err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Copies s into buf for an error message about text that is not UTF-8:
 * bytes below 0x80 as they are, others as \xNN, cut with "..." to fit
 * (at most 40 bytes of s). Returns buf. */
const char *cb_err_bytes(const char *s, char *buf, size_t len);

/* Appends item to the list in buf for a message ("a, b" -> "a, b, item";
 * "" -> "item"), cut to fit len; returns buf. */
char *cb_list_add(char *buf, size_t len, const char *item);

/* True when CBAL_QUIET is set to anything but "" or "0": no warnings on
 * stderr, no progress bars, no information lines. */
int cb_quiet(void);

/* Prints "cbal: warning: <msg>" on stderr (unless CBAL_QUIET is set) and
 * keeps the message so callers and tests can read it back. Thread-safe. */
void cb_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Number of warnings kept since the last cb_warnings_clear (at most 256 are
 * kept; later ones are counted but dropped), and the i-th (0-based). */
size_t cb_warnings_count(void);
const char *cb_warnings_get(size_t i);
void cb_warnings_clear(void);

#endif
