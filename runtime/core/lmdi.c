/* LMDI-I: the stable logarithmic mean, two-state additive and multiplicative
 * decomposition with Ang & Liu (2007) zero limits, and chaining. */
#include "lmdi.h"
#include "array.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double cb_logmean(double a, double b) {
  if (isnan(a) || isnan(b)) return NAN;
  if (a == b) return a;
  if (a == 0 || b == 0) return 0;
  if ((a < 0) != (b < 0)) return NAN;
  if (a < 0) return -cb_logmean(-a, -b);
  /* Near a = b, ln(b/a) = log1p(r) with r = (b-a)/a computed almost exactly
   * (b-a is exact there), so no cancellation in the denominator. */
  double r = (b - a) / a;
  if (fabs(r) < 0.5) return a * (r / log1p(r));
  return (a - b) / (log(a) - log(b));
}

/* Additive effects of item i into d[k]; returns 0 when defined, 1 when a
 * value is missing or a factor changes sign. *v0, *v1 receive V_i. */
static int item_effects(const double *const *x0, const double *const *x1,
                        size_t nf, size_t i, double *d, double *v0,
                        double *v1) {
  double p0 = 1, p1 = 1;
  size_t z0 = 0, z1 = 0;
  int bad = 0;
  for (size_t k = 0; k < nf; k++) {
    double a = x0[k][i], b = x1[k][i];
    if (isnan(a) || isnan(b) || (a < 0 && b > 0) || (a > 0 && b < 0))
      bad = 1;
    z0 += a == 0;
    z1 += b == 0;
    p0 *= a;
    p1 *= b;
  }
  *v0 = p0, *v1 = p1;
  if (bad) return 1;
  if (z0 == 0 && z1 == 0) {
    double lm = cb_logmean(p1, p0);
    for (size_t k = 0; k < nf; k++) d[k] = lm * log(x1[k][i] / x0[k][i]);
  } else if (z0 && z1) {
    *v0 = *v1 = 0;
    for (size_t k = 0; k < nf; k++) d[k] = 0;
  } else if (z0) { /* appears: V_iT to the factors that were zero */
    *v0 = 0;
    for (size_t k = 0; k < nf; k++)
      d[k] = x0[k][i] == 0 ? p1 / (double)z0 : 0;
  } else { /* disappears: −V_i0 to the factors that become zero */
    *v1 = 0;
    for (size_t k = 0; k < nf; k++)
      d[k] = x1[k][i] == 0 ? -p0 / (double)z1 : 0;
  }
  return 0;
}

int cb_lmdi(const double *const *x0, const double *const *x1, size_t nf,
            size_t n, cb_lmdi_method m, cb_lmdi_out *out, cb_err *e) {
  if (nf == 0) return cb_err_set(e, "lmdi: no factors given");
  if (n == 0) return cb_err_set(e, "lmdi: no items given");
  double *d = malloc(nf * sizeof *d);
  cb_acc *eff = calloc(nf, sizeof *eff);
  if (!d || !eff) {
    free(d);
    free(eff);
    return cb_err_set(e, "lmdi: out of memory");
  }
  cb_acc s0 = {0, 0}, s1 = {0, 0}, lost = {0, 0};
  out->nundefined = 0;
  for (size_t i = 0; i < n; i++) {
    double v0, v1;
    int bad = item_effects(x0, x1, nf, i, d, &v0, &v1);
    out->undefined[i] = (unsigned char)bad;
    if (!isnan(v0) && !isnan(v1)) {
      cb_acc_add(&s0, v0);
      cb_acc_add(&s1, v1);
      if (bad) cb_acc_add(&lost, v1 - v0);
    }
    if (bad) {
      out->nundefined++;
      for (size_t k = 0; k < nf; k++) out->item[k][i] = NAN;
      if (m != CB_LMDI_ADDITIVE && out->item_log)
        for (size_t k = 0; k < nf; k++) out->item_log[k][i] = NAN;
      continue;
    }
    for (size_t k = 0; k < nf; k++) cb_acc_add(&eff[k], d[k]);
    if (m == CB_LMDI_ADDITIVE) {
      for (size_t k = 0; k < nf; k++) out->item[k][i] = d[k];
    } else {
      double li = cb_logmean(v1, v0);
      for (size_t k = 0; k < nf; k++) {
        out->item[k][i] = li != 0 ? exp(d[k] / li) : NAN;
        /* scaled by the aggregate weight once it is known, below */
        if (out->item_log) out->item_log[k][i] = d[k];
      }
    }
  }
  out->v0 = cb_acc_get(&s0);
  out->v1 = cb_acc_get(&s1);
  if (m == CB_LMDI_ADDITIVE) {
    out->change = out->v1 - out->v0;
    out->unexplained = cb_acc_get(&lost);
    for (size_t k = 0; k < nf; k++) out->effect[k] = cb_acc_get(&eff[k]);
  } else {
    double lm = cb_logmean(out->v1, out->v0);
    int ok = lm != 0 && !isnan(lm);
    out->change = out->v1 / out->v0;
    out->unexplained = ok ? exp(cb_acc_get(&lost) / lm) : NAN;
    for (size_t k = 0; k < nf; k++)
      out->effect[k] = ok ? exp(cb_acc_get(&eff[k]) / lm) : NAN;
    if (out->item_log)
      for (size_t k = 0; k < nf; k++)
        for (size_t i = 0; i < n; i++)
          out->item_log[k][i] = ok ? out->item_log[k][i] / lm : NAN;
  }
  free(d);
  free(eff);
  return 0;
}

/* Scratch output of one chain step. */
typedef struct {
  cb_lmdi_out o;
  double *mem;
} step_buf;

static int step_alloc(step_buf *b, size_t nf, size_t n) {
  memset(b, 0, sizeof *b);
  b->mem = malloc((nf + 2 * nf * n) * sizeof(double));
  b->o.item = malloc(nf * sizeof(double *));
  b->o.item_log = malloc(nf * sizeof(double *));
  b->o.undefined = malloc(n);
  if (!b->mem || !b->o.item || !b->o.item_log || !b->o.undefined) return -1;
  b->o.effect = b->mem;
  for (size_t k = 0; k < nf; k++) {
    b->o.item[k] = b->mem + nf + k * n;
    b->o.item_log[k] = b->mem + nf + nf * n + k * n;
  }
  return 0;
}

static void step_free(step_buf *b) {
  free(b->mem);
  free(b->o.item);
  free(b->o.item_log);
  free(b->o.undefined);
}

int cb_lmdi_chain(const double *const *const *states, size_t ns, size_t nf,
                  size_t n, cb_lmdi_method m, cb_lmdi_out *out,
                  cb_lmdi_out *steps, cb_err *e) {
  if (ns < 2) return cb_err_set(e, "lmdi_chain: need at least 2 states, got %zu", ns);
  step_buf b;
  memset(&b, 0, sizeof b);
  if (!steps && step_alloc(&b, nf, n)) {
    step_free(&b);
    return cb_err_set(e, "lmdi_chain: out of memory");
  }
  int add = m == CB_LMDI_ADDITIVE;
  double unit = add ? 0 : 1;
  out->change = out->unexplained = unit;
  for (size_t k = 0; k < nf; k++) {
    out->effect[k] = unit;
    for (size_t i = 0; i < n; i++) {
      out->item[k][i] = unit;
      if (!add && out->item_log) out->item_log[k][i] = 0;
    }
  }
  memset(out->undefined, 0, n);
  for (size_t s = 0; s + 1 < ns; s++) {
    cb_lmdi_out *so = steps ? &steps[s] : &b.o;
    if (cb_lmdi(states[s], states[s + 1], nf, n, m, so, e)) {
      step_free(&b);
      return -1;
    }
    if (s == 0) out->v0 = so->v0;
    out->v1 = so->v1;
    if (add) {
      out->change += so->change;
      out->unexplained += so->unexplained;
    } else {
      out->change *= so->change;
      out->unexplained *= so->unexplained;
    }
    for (size_t k = 0; k < nf; k++) {
      if (add)
        out->effect[k] += so->effect[k];
      else
        out->effect[k] *= so->effect[k];
      for (size_t i = 0; i < n; i++) {
        if (add) {
          out->item[k][i] += so->item[k][i];
        } else {
          out->item[k][i] *= so->item[k][i];
          if (out->item_log) out->item_log[k][i] += so->item_log[k][i];
        }
      }
    }
    for (size_t i = 0; i < n; i++) out->undefined[i] |= so->undefined[i];
  }
  out->nundefined = 0;
  for (size_t i = 0; i < n; i++) {
    if (!out->undefined[i]) continue;
    out->nundefined++;
    for (size_t k = 0; k < nf; k++) out->item[k][i] = NAN;
  }
  step_free(&b);
  return 0;
}
