/* Default class breaks and class labels. */
#include "classes.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scale.h"

static int cmp_dbl(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int cbc_breaks_auto(const double *v, size_t n, const char *method, int k,
                    double *e, int *kout, cb_err *err) {
  if (k < 1 || k > CBC_MAX_CLASSES)
    return cb_err_set(err, "k = %d classes: use 1 to %d", k, CBC_MAX_CLASSES);
  int quant = strcmp(method, "quantile") == 0;
  if (!quant && strcmp(method, "equal") != 0)
    return cb_err_set(err, "unknown breaks method '%s' (expected quantile or "
                      "equal, or give the edges as a list)", method);
  double *s = malloc((n ? n : 1) * sizeof *s);
  if (!s) return cb_err_set(err, "out of memory");
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (isfinite(v[i])) s[m++] = v[i];
  if (m == 0) {
    free(s);
    return cb_err_set(err, "values: all %zu values are missing (NaN); nothing "
                      "to classify", n);
  }
  qsort(s, m, sizeof *s, cmp_dbl);
  size_t distinct = 1;
  for (size_t i = 1; i < m; i++) distinct += s[i] != s[i - 1];
  if ((size_t)k > distinct) {
    /* One class per distinct value, cut halfway between them. */
    cb_warn("%d classes asked but the values have only %zu distinct; using %zu",
              k, distinct, distinct);
    k = (int)distinct;
    e[0] = s[0], e[k] = s[m - 1];
    size_t c = 0;
    for (size_t i = 1; i < m; i++)
      if (s[i] != s[i - 1] && ++c < (size_t)k) e[c] = (s[i - 1] + s[i]) / 2;
    if (k == 1) e[1] = e[0] + (e[0] == 0 ? 1 : fabs(e[0]) * 1e-9);
    *kout = k;
    free(s);
    return 0;
  }
  e[0] = s[0], e[k] = s[m - 1];
  for (int i = 1; i < k; i++) {
    if (quant) { /* type-7 quantile */
      double h = (double)(m - 1) * i / k;
      size_t lo = (size_t)floor(h);
      double f = h - lo;
      e[i] = lo + 1 < m ? s[lo] + f * (s[lo + 1] - s[lo]) : s[lo];
    } else {
      e[i] = s[0] + (s[m - 1] - s[0]) * i / k;
    }
  }
  /* Ties in quantiles make equal edges: drop them. */
  int w = 1;
  for (int i = 1; i <= k; i++)
    if (e[i] > e[w - 1]) e[w++] = e[i];
  if (w - 1 < k) cb_warn("quantile classes collapsed from %d to %d by ties", k, w - 1);
  *kout = w - 1;
  free(s);
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

static void fmt_edges(const double *e, int k, int i, char *a, char *b,
                      size_t len) {
  for (int sig = 2; sig <= 8; sig++) {
    int ok = 1;
    char p[48], q[48];
    for (int j = 0; j < k && ok; j++) {
      if (isinf(e[j]) || isinf(e[j + 1])) continue;
      cbc_fmt_sig(e[j], sig, p, sizeof p);
      cbc_fmt_sig(e[j + 1], sig, q, sizeof q);
      ok = strcmp(p, q) != 0;
    }
    if (ok || sig == 8) {
      cbc_fmt_sig(e[i], sig, a, len);
      cbc_fmt_sig(e[i + 1], sig, b, len);
      cbc_typeset_minus(a, len);
      cbc_typeset_minus(b, len);
      return;
    }
  }
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
