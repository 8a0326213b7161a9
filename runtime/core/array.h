/* Kernels over float64 vectors where NaN means "missing".
 *
 * NaN policy: reductions skip missing values. The sum of no values is 0; the
 * mean, min and max of no values are NaN; count is the number of non-missing
 * values. Element-wise arithmetic propagates NaN (IEEE), and a comparison
 * with a missing operand is missing. */
#ifndef CB_ARRAY_H
#define CB_ARRAY_H

#include <stddef.h>

typedef enum { CB_ADD, CB_SUB, CB_MUL, CB_DIV, CB_POW } cb_arith;
typedef enum { CB_LT, CB_LE, CB_GT, CB_GE, CB_EQ, CB_NE } cb_cmp;

/* A compensated (Neumaier) running sum: cb_acc_get(&a) is Σ x to about one
 * rounding, however many terms of whatever magnitudes; an infinite term
 * makes the sum that infinity (NaN for +inf and -inf), as plain addition
 * does. Start from {0, 0}. */
typedef struct cb_acc {
  double s, c;
} cb_acc;

static inline void cb_acc_add(cb_acc *a, double x) {
  double t = a->s + x;
  if (t - t != 0) { /* inf or NaN: the compensation has no meaning */
    a->s = t;
    a->c = 0;
    return;
  }
  /* keep the low-order bits lost by the larger operand */
  if ((a->s < 0 ? -a->s : a->s) >= (x < 0 ? -x : x))
    a->c += (a->s - t) + x;
  else
    a->c += (x - t) + a->s;
  a->s = t;
}

static inline double cb_acc_get(const cb_acc *a) { return a->s + a->c; }

double cb_sum(const double *v, size_t n);  /* compensated (Neumaier) sum */
double cb_mean(const double *v, size_t n);
double cb_min(const double *v, size_t n);
double cb_max(const double *v, size_t n);
size_t cb_count(const double *v, size_t n);

/* out[i] = a[i] op b[i]. A stride of 0 repeats a single value (a scalar
 * operand); out may alias a or b. */
void cb_arith_apply(cb_arith op, const double *a, size_t sa, const double *b,
                    size_t sb, double *out, size_t n);

/* 1 when x op y holds, else 0; 0 as well when either side is NaN. */
static inline int cb_cmp_holds(cb_cmp op, double x, double y) {
  switch (op) {
    case CB_LT: return x < y;
    case CB_LE: return x <= y;
    case CB_GT: return x > y;
    case CB_GE: return x >= y;
    case CB_EQ: return x == y;
    case CB_NE: return x != y && x == x && y == y;
  }
  return 0;
}

/* out[i] = 1 or 0 for a[i] op b[i], NaN when either side is NaN. */
void cb_cmp_apply(cb_cmp op, const double *a, size_t sa, const double *b,
                  size_t sb, double *out, size_t n);

#endif
