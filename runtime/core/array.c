/* NaN-aware reductions and element-wise operations on float64 vectors. */
#include "array.h"

#include <math.h>

double cb_sum(const double *v, size_t n) {
  cb_acc a = {0, 0};
  for (size_t i = 0; i < n; i++)
    if (!isnan(v[i])) cb_acc_add(&a, v[i]);
  return cb_acc_get(&a);
}

size_t cb_count(const double *v, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) k += !isnan(v[i]);
  return k;
}

double cb_mean(const double *v, size_t n) {
  size_t k = cb_count(v, n);
  return k ? cb_sum(v, n) / (double)k : NAN;
}

double cb_min(const double *v, size_t n) {
  double m = NAN;
  for (size_t i = 0; i < n; i++)
    if (!isnan(v[i]) && (isnan(m) || v[i] < m)) m = v[i];
  return m;
}

double cb_max(const double *v, size_t n) {
  double m = NAN;
  for (size_t i = 0; i < n; i++)
    if (!isnan(v[i]) && (isnan(m) || v[i] > m)) m = v[i];
  return m;
}

void cb_arith_apply(cb_arith op, const double *a, size_t sa, const double *b,
                    size_t sb, double *out, size_t n) {
  for (size_t i = 0; i < n; i++) {
    double x = a[i * sa], y = b[i * sb];
    switch (op) {
      case CB_ADD: out[i] = x + y; break;
      case CB_SUB: out[i] = x - y; break;
      case CB_MUL: out[i] = x * y; break;
      case CB_DIV: out[i] = x / y; break;
      case CB_POW: out[i] = pow(x, y); break;
    }
  }
}

void cb_cmp_apply(cb_cmp op, const double *a, size_t sa, const double *b,
                  size_t sb, double *out, size_t n) {
  for (size_t i = 0; i < n; i++) {
    double x = a[i * sa], y = b[i * sb];
    out[i] = isnan(x) || isnan(y) ? NAN : cb_cmp_holds(op, x, y);
  }
}
