/* Number text shared by the table reader and writers: the shortest text
 * that reads back to the same double (cb_table_fmtnum) and the parser of a
 * cell's number (cb_table_parsenum), both independent of the locale. */
#include "table.h"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <ctype.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* %.<p>g of v; snprintf when the locale's decimal point is '.' (CPLsnprintf
 * ignores the locale, at a cost). */
static void fmt_g(char *buf, size_t len, int p, double v) {
  const char *dp = localeconv()->decimal_point;
  if (dp[0] == '.' && !dp[1])
    snprintf(buf, len, p == 15 ? "%.15g" : p == 16 ? "%.16g" : "%.17g", v);
  else
    CPLsnprintf(buf, len, "%.*g", p, v);
}

/* Whether v is a float32 value (checked without converting out of range). */
static int is_float32(double v) {
  return fabs(v) <= FLT_MAX && (double)(float)v == v;
}

/* Whether %.<p>g of v reads back as v (the text left in buf). */
static int reads_back(char *buf, size_t len, int p, double v) {
  fmt_g(buf, len, p, v);
  return CPLStrtod(buf, NULL) == v;
}

void cb_table_fmtnum(double v, char *buf, size_t len) {
  if (isnan(v)) {
    snprintf(buf, len, "nan");
    return;
  }
  if (isinf(v)) {
    snprintf(buf, len, v > 0 ? "inf" : "-inf");
    return;
  }
  /* The shortest of %.15g, %.16g, %.17g that reads back exactly (%g drops
   * trailing zeros). Whole numbers below 1e15 are their digits. */
  if (fabs(v) < 1e15 && v == trunc(v) && !(v == 0 && signbit(v))) {
    snprintf(buf, len, "%lld", (long long)v);
    return;
  }
  /* A float32 value mostly reads back from 15 digits; other values mostly
   * need 16 or 17, so 16 is tried first: when 16 digits do not read back,
   * 15 do not either, unless v is a power of two (the only doubles whose
   * neighbours are not equally far), where the nearer 16-digit text may
   * lie on the closer side. */
  if (is_float32(v) && reads_back(buf, len, 15, v)) return;
  char b16[40];
  if (reads_back(b16, sizeof b16, 16, v)) {
    if (is_float32(v) || !reads_back(buf, len, 15, v))
      snprintf(buf, len, "%s", b16);
    return;
  }
  int e;
  if (fabs(frexp(v, &e)) == 0.5 && !is_float32(v) && reads_back(buf, len, 15, v))
    return;
  fmt_g(buf, len, 17, v);
}

static int is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int cb_table_parsenum(const char *s, double *v) {
  if (!s) return 0;
  while (is_blank(*s)) s++;
  const char *p = s;
  int neg = 0;
  if (*p == '+' || *p == '-') neg = *p++ == '-';
  if (strncasecmp(p, "inf", 3) == 0) {
    const char *q = p + 3;
    if (strncasecmp(q, "inity", 5) == 0) q += 5;
    while (is_blank(*q)) q++;
    if (*q) return 0;
    *v = neg ? -HUGE_VAL : HUGE_VAL;
    return 1;
  }
  size_t digits = 0;
  while (isdigit((unsigned char)*p)) p++, digits++;
  if (*p == '.') {
    p++;
    while (isdigit((unsigned char)*p)) p++, digits++;
  }
  if (!digits) return 0;
  if (*p == 'e' || *p == 'E') {
    p++;
    if (*p == '+' || *p == '-') p++;
    if (!isdigit((unsigned char)*p)) return 0;
    while (isdigit((unsigned char)*p)) p++;
  }
  const char *end = p;
  while (is_blank(*p)) p++;
  if (*p) return 0;
  char buf[64];
  size_t n = (size_t)(end - s);
  if (n < sizeof buf) {
    memcpy(buf, s, n);
    buf[n] = 0;
    *v = CPLStrtod(buf, NULL);
  } else {
    char *tmp = CPLStrdup(s);
    tmp[n] = 0;
    *v = CPLStrtod(tmp, NULL);
    CPLFree(tmp);
  }
  return 1;
}
