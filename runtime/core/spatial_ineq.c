/* Inequality of a variable over units: Theil T and L with the
 * between/within decomposition by groups, and the Gini coefficient. */
#include <math.h>
#include <stdlib.h>

#include "array.h"
#include "spatial_describe.h"

/* Checks y (>= 0, finite, positive sum) and pw (> 0, finite); fills the
 * totals. */
static int check(const double *y, const double *pw, size_t n, double *Y,
                 double *W, cb_err *e) {
  if (n == 0) return cb_err_set(e, "no units");
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(y[i]) || y[i] < 0)
      return cb_err_set(e, "value %zu is %g; inequality needs finite values "
                        ">= 0", i + 1, y[i]);
    if (pw && (!isfinite(pw[i]) || pw[i] <= 0))
      return cb_err_set(e, "weight %zu is %g; weights must be positive",
                        i + 1, pw[i]);
  }
  *Y = cb_sum(y, n);
  *W = pw ? cb_sum(pw, n) : (double)n;
  if (!(*Y > 0)) return cb_err_set(e, "every value is 0; inequality is undefined");
  return 0;
}

/* s ln(s / p) with 0 ln 0 = 0 */
static double tterm(double s, double p) { return s > 0 ? s * log(s / p) : 0; }
/* p ln(p / s); a zero share makes it infinite, which the accumulators
 * carry as a huge finite term (compensated sums of inf give NaN) */
#define LINF 1e300
static double lterm(double p, double s) { return s > 0 ? p * log(p / s) : LINF; }

/* An accumulated sum, infinite when it holds an infinite term. */
static double total(const cb_acc *a) {
  double v = cb_acc_get(a);
  return v >= LINF / 2 ? INFINITY : v;
}

int cb_theil(const double *y, const double *pw, const int32_t *group,
             size_t ng, size_t n, cb_theil_out *out, cb_theil_group *gout,
             cb_err *e) {
  double Y, W;
  if (check(y, pw, n, &Y, &W, e)) return -1;
  cb_acc t = {0, 0}, l = {0, 0};
  for (size_t i = 0; i < n; i++) {
    double s = y[i] / Y, p = (pw ? pw[i] : 1.0) / W;
    cb_acc_add(&t, tterm(s, p));
    cb_acc_add(&l, lterm(p, s));
  }
  *out = (cb_theil_out){cb_acc_get(&t), total(&l), NAN, NAN, NAN, NAN};
  if (!group) return 0;
  cb_theil_group *g = gout ? gout : calloc(ng ? ng : 1, sizeof *g);
  if (!g) return cb_err_set(e, "out of memory");
  for (size_t k = 0; k < ng; k++) g[k] = (cb_theil_group){0, 0, 0, 0, 0};
  for (size_t i = 0; i < n; i++) {
    if (group[i] < 0 || (size_t)group[i] >= ng) {
      if (!gout) free(g);
      return cb_err_set(e, "unit %zu has no group", i + 1);
    }
    cb_theil_group *q = &g[group[i]];
    q->n++;
    q->share_y += y[i] / Y;
    q->share_w += (pw ? pw[i] : 1.0) / W;
  }
  for (size_t i = 0; i < n; i++) {
    cb_theil_group *q = &g[group[i]];
    double s = y[i] / Y / q->share_y, p = (pw ? pw[i] : 1.0) / W / q->share_w;
    q->T += q->share_y > 0 ? tterm(s, p) : 0;
    q->L = fmin(q->L + lterm(p, s), LINF);
  }
  cb_acc tb = {0, 0}, tw = {0, 0}, lb = {0, 0}, lw = {0, 0};
  for (size_t k = 0; k < ng; k++) {
    cb_theil_group *q = &g[k];
    if (q->n == 0) {
      q->T = q->L = NAN;
      continue;
    }
    if (q->share_y == 0) q->T = NAN; /* no values: its weight S_g is 0 */
    double Lg = q->L;
    if (q->L >= LINF / 2) q->L = INFINITY;
    cb_acc_add(&tb, tterm(q->share_y, q->share_w));
    if (q->share_y > 0) cb_acc_add(&tw, q->share_y * q->T);
    cb_acc_add(&lb, lterm(q->share_w, q->share_y));
    cb_acc_add(&lw, Lg >= LINF / 2 ? LINF : q->share_w * Lg);
  }
  out->T_between = cb_acc_get(&tb);
  out->T_within = cb_acc_get(&tw);
  out->L_between = total(&lb);
  out->L_within = total(&lw);
  if (!gout) free(g);
  return 0;
}

typedef struct {
  double y;
  size_t i;
} item;

static int by_value(const void *a, const void *b) {
  const item *p = a, *q = b;
  if (p->y != q->y) return p->y < q->y ? -1 : 1;
  return p->i < q->i ? -1 : p->i > q->i;
}

int cb_gini(const double *y, const double *pw, size_t n, double *out,
            cb_err *e) {
  double Y, W;
  if (check(y, pw, n, &Y, &W, e)) return -1;
  item *it = malloc(n * sizeof *it);
  if (!it) return cb_err_set(e, "out of memory");
  /* units in order of their value per unit of weight (per person) */
  for (size_t i = 0; i < n; i++) it[i] = (item){pw ? y[i] / pw[i] : y[i], i};
  qsort(it, n, sizeof *it, by_value);
  cb_acc area = {0, 0}, cy = {0, 0};
  double L0 = 0;
  for (size_t k = 0; k < n; k++) {
    double dp = (pw ? pw[it[k].i] : 1.0) / W;
    cb_acc_add(&cy, y[it[k].i]);
    double L1 = cb_acc_get(&cy) / Y;
    cb_acc_add(&area, dp * (L0 + L1));
    L0 = L1;
  }
  free(it);
  *out = 1 - cb_acc_get(&area);
  return 0;
}
