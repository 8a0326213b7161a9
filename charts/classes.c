/* Default class breaks and class labels. */
#include "classes.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/breaks.h"
#include "scale.h"

static int cmp_dbl(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* With fewer distinct values than classes: one class per distinct value,
 * cut halfway between them (a warning says so). Returns the classes made,
 * 0 when there are enough distinct values, -1 when there is no value. */
static int per_value(const double *v, size_t n, int k, double *e) {
  double *s = malloc((n ? n : 1) * sizeof *s);
  if (!s) return 0; /* the general path reports out of memory */
  size_t m = 0, d = 1;
  for (size_t i = 0; i < n; i++)
    if (isfinite(v[i])) s[m++] = v[i];
  if (m == 0) return free(s), -1;
  qsort(s, m, sizeof *s, cmp_dbl);
  for (size_t i = 1; i < m; i++) d += s[i] != s[i - 1];
  if (d >= (size_t)k) return free(s), 0;
  cb_warn("%d classes asked but the values have only %zu distinct; using %zu",
          k, d, d);
  e[0] = s[0], e[d] = s[m - 1];
  for (size_t i = 1, c = 0; i < m; i++)
    if (s[i] != s[i - 1] && ++c < d) e[c] = (s[i - 1] + s[i]) / 2;
  if (d == 1) e[1] = e[0] + (e[0] == 0 ? 1 : fabs(e[0]) * 1e-9);
  free(s);
  return (int)d;
}

int cbc_breaks_auto(const double *v, size_t n, const char *method, int k,
                    int round, double *e, int *kout, cb_err *err) {
  static const char *const names[] = {"quantile", "equal", "jenks"};
  static const cb_breaks_method ms[] = {CB_BREAKS_QUANTILE, CB_BREAKS_EQUAL,
                                        CB_BREAKS_JENKS};
  int m = 0;
  while (m < 3 && strcmp(method, names[m]) != 0) m++;
  if (m == 3)
    return cb_err_set(err, "unknown breaks method '%s' (expected quantile, "
                      "equal or jenks, or give the edges as a list)", method);
  if (k < 1 || k > CBC_MAX_CLASSES)
    return cb_err_set(err, "k = %d classes: use 1 to %d", k, CBC_MAX_CLASSES);
  int few = per_value(v, n, k, e);
  if (few < 0)
    return cb_err_set(err, "values: all %zu values are missing (NaN); nothing "
                      "to classify", n);
  const double *parts[] = {v};
  size_t lens[] = {n}, ko = (size_t)few;
  if ((!few && cb_breaks(ms[m], parts, lens, 1, (size_t)k, 0, e, &ko, err)) ||
      (round && cb_breaks_round(e, ko + 1, parts, lens, 1, NULL, err)))
    return -1;
  *kout = (int)ko;
  return 0;
}

int cbc_breaks_check(const double *e, size_t ne, cb_err *err) {
  if (ne < 2 || ne > CBC_MAX_CLASSES + 1)
    return cb_err_set(err, "breaks: %zu edges given; give 2 to %d edges "
                      "(k+1 for k classes)", ne, CBC_MAX_CLASSES + 1);
  for (size_t i = 0; i < ne; i++) {
    if (isnan(e[i]))
      return cb_err_set(err, "breaks: edge %zu is NaN", i + 1);
    if (i && !(e[i] > e[i - 1]))
      return cb_err_set(err, "breaks: edges must increase strictly (edge %zu "
                        "= %g after %g)", i + 1, e[i], e[i - 1]);
  }
  return 0;
}

int cbc_class_of(double v, const double *e, int k) {
  if (isnan(v)) return -1;
  int i = 0;
  while (i < k - 1 && v >= e[i + 1]) i++;
  return i;
}

/* Significant digits (1..6) that print x exactly; 0 when none do. */
static int exact_sig(double x) {
  char p[48];
  for (int sig = 1; sig <= 6; sig++) {
    cbc_fmt_sig(x, sig, p, sizeof p);
    if (fabs(strtod(p, NULL) - x) <= 1e-9 * fabs(x)) return sig;
  }
  return 0;
}

/* Edge x as printed in labels: exactly when 6 significant digits or fewer
 * do (pretty limits always do), else with 4; never fewer than `sig`. */
static void fmt_edge(double x, int sig, char *a, size_t len) {
  int s = exact_sig(x);
  cbc_fmt_sig(x, s ? (s > sig ? s : sig) : (sig > 4 ? sig : 4), a, len);
  cbc_typeset_minus(a, len);
}

/* The fewest significant digits (2..8) that tell all edges apart. */
static int distinct_sig(const double *e, int k) {
  for (int sig = 2; sig < 8; sig++) {
    int ok = 1;
    char p[48], q[48];
    for (int j = 0; j < k && ok; j++) {
      if (isinf(e[j]) || isinf(e[j + 1])) continue;
      cbc_fmt_sig(e[j], sig, p, sizeof p);
      cbc_fmt_sig(e[j + 1], sig, q, sizeof q);
      ok = strcmp(p, q) != 0;
    }
    if (ok) return sig;
  }
  return 8;
}

static void fmt_edges(const double *e, int k, int i, char *a, char *b,
                      size_t len) {
  int sig = distinct_sig(e, k);
  fmt_edge(e[i], sig, a, len);
  fmt_edge(e[i + 1], sig, b, len);
}

void cbc_class_label(const double *e, int k, int i, char *buf, size_t len) {
  char a[48], b[48];
  fmt_edges(e, k, i, a, b, sizeof a);
  if (isinf(e[i]) && isinf(e[i + 1]))
    snprintf(buf, len, "all");
  else if (isinf(e[i]))
    snprintf(buf, len, "< %s", b);
  else if (isinf(e[i + 1]))
    snprintf(buf, len, "\u2265 %s", a);
  else
    snprintf(buf, len, "%s \u2013 %s", a, b);
}
