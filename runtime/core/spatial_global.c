/* Global Moran's I and Geary's C for many columns at once, with moments
 * under normality and randomisation (the formulas of spdep's moran.test and
 * geary.test, islands reducing n as adjust.n does) and a permutation test
 * whose permutations are shared by every column. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "par.h"
#include "spatial_rng.h"
#include "spatial_stats.h"

double cb_norm_p(double z, cb_alt alt) {
  if (alt == CB_ALT_GREATER) return 0.5 * erfc(z / M_SQRT2);
  if (alt == CB_ALT_LESS) return 0.5 * erfc(-z / M_SQRT2);
  return erfc(fabs(z) / M_SQRT2);
}

/* sum_i z_i sum_j w_ij z_j */
static double moran_cross(const cb_weights *w, const double *z) {
  cb_acc a = {0, 0};
  for (size_t i = 0; i < w->n; i++) {
    double l = 0;
    for (size_t k = w->off[i]; k < w->off[i + 1]; k++) l += w->w[k] * z[w->nb[k]];
    cb_acc_add(&a, z[i] * l);
  }
  return cb_acc_get(&a);
}

/* sum_i sum_j w_ij (z_i - z_j)^2 */
static double geary_sum(const cb_weights *w, const double *z) {
  cb_acc a = {0, 0};
  for (size_t i = 0; i < w->n; i++) {
    double l = 0;
    for (size_t k = w->off[i]; k < w->off[i + 1]; k++) {
      double d = z[i] - z[w->nb[k]];
      l += w->w[k] * d * d;
    }
    cb_acc_add(&a, l);
  }
  return cb_acc_get(&a);
}

typedef struct {
  const cb_weights *w;
  const double *z; /* centred columns */
  const double *obs; /* the observed raw sums, one per column */
  size_t ncol;
  int geary;
  const cb_perm *po;
  unsigned *perm;   /* per thread: n */
  double *zp;       /* per thread: n */
  size_t *ge;       /* per thread: ncol counts of sim >= obs */
} perm_ctx;

/* Permutation `job`: a Fisher-Yates shuffle from its own stream. */
static void one_perm(void *arg, size_t job, int th) {
  perm_ctx *c = arg;
  size_t n = c->w->n;
  unsigned *pi = c->perm + (size_t)th * n;
  double *zp = c->zp + (size_t)th * n;
  for (size_t i = 0; i < n; i++) pi[i] = (unsigned)i;
  cb_rng r = cb_rng_stream(c->po->seed, job);
  for (size_t i = n - 1; i > 0; i--) {
    size_t j = (size_t)cb_rng_below(&r, i + 1);
    unsigned t = pi[i];
    pi[i] = pi[j];
    pi[j] = t;
  }
  for (size_t col = 0; col < c->ncol; col++) {
    const double *z = c->z + col * n;
    for (size_t i = 0; i < n; i++) zp[i] = z[pi[i]];
    double s = c->geary ? geary_sum(c->w, zp) : moran_cross(c->w, zp);
    c->ge[(size_t)th * c->ncol + col] += s >= c->obs[col];
  }
}

/* Folded pseudo p-values of the observed sums over the permutations. For
 * Moran's I the statistic grows with the sum, for Geary's C too (C is the
 * sum times a positive constant), so counting sums counts statistics. */
static int permute(const cb_weights *w, const double *z, const double *obs,
                   size_t ncol, int geary, const cb_perm *po, cb_global *out,
                   cb_err *e) {
  size_t P = (size_t)po->permutations, n = w->n;
  int nth = cb_par_threads(po->threads, P, e);
  if (nth < 0) return -1;
  perm_ctx c = {w, z, obs, ncol, geary, po,
                malloc((size_t)nth * n * sizeof(unsigned)),
                malloc((size_t)nth * n * sizeof(double)),
                calloc((size_t)nth * ncol, sizeof(size_t))};
  if (!c.perm || !c.zp || !c.ge) {
    free(c.perm);
    free(c.zp);
    free(c.ge);
    return cb_err_set(e, "out of memory for %zu permutations", P);
  }
  cb_par_run(nth, P, one_perm, &c);
  for (size_t col = 0; col < ncol; col++) {
    size_t ge = 0;
    for (int t = 0; t < nth; t++) ge += c.ge[(size_t)t * ncol + col];
    size_t folded = P - ge < ge ? P - ge : ge;
    out[col].p_sim = (double)(folded + 1) / (double)(P + 1);
  }
  free(c.perm);
  free(c.zp);
  free(c.ge);
  return 0;
}

typedef struct {
  double N, n, s0, s1, s2;
} wconst;

static int constants(const cb_weights *w, wconst *k, cb_err *e) {
  if (cb_weights_constants(w, &k->s0, &k->s1, &k->s2, e)) return -1;
  k->N = (double)w->n;
  k->n = 0;
  for (size_t i = 0; i < w->n; i++) k->n += cb_weights_card(w, i) > 0;
  if (!(k->s0 > 0) || k->n < 4)
    return cb_err_set(e, "the weights have %.0f units with neighbours; "
                      "global statistics need at least 4", k->n);
  return 0;
}

/* Centres column col into z; returns sum z^2 and sets *k = N sum z^4 /
 * (sum z^2)^2 with N the given count. */
static double centre(const double *x, size_t n, double *z, double count,
                     double *kurt) {
  double m = cb_mean(x, n);
  cb_acc a2 = {0, 0}, a4 = {0, 0};
  for (size_t i = 0; i < n; i++) {
    z[i] = x[i] - m;
    cb_acc_add(&a2, z[i] * z[i]);
    cb_acc_add(&a4, z[i] * z[i] * z[i] * z[i]);
  }
  double zz = cb_acc_get(&a2);
  *kurt = count * cb_acc_get(&a4) / (zz * zz);
  return zz;
}

static void moran_moments(const wconst *k, double kurt, cb_global *o) {
  double n = k->n, nn = n * n, s02 = k->s0 * k->s0;
  o->expect = -1 / (n - 1);
  double e2 = o->expect * o->expect;
  o->var_norm = (nn * k->s1 - n * k->s2 + 3 * s02) / (s02 * (nn - 1)) - e2;
  double v = n * (k->s1 * (nn - 3 * n + 3) - n * k->s2 + 3 * s02) -
             kurt * (k->s1 * (nn - n) - 2 * n * k->s2 + 6 * s02);
  o->var_rand = v / ((n - 1) * (n - 2) * (n - 3) * s02) - e2;
  o->z_norm = (o->stat - o->expect) / sqrt(o->var_norm);
  o->z_rand = (o->stat - o->expect) / sqrt(o->var_rand);
}

/* geary.test's variances; like spdep, N (all units) and n (units with
 * neighbours) both appear, and they coincide without islands. */
static void geary_moments(const wconst *k, double kurt, cb_global *o) {
  double n = k->n, N = k->N, nn = n * n, n1 = n - 1, s02 = k->s0 * k->s0;
  o->expect = 1;
  o->var_norm = ((2 * k->s1 + k->s2) * n1 - 4 * s02) / (2 * (N + 1) * s02);
  double v = n1 * k->s1 * (nn - 3 * N + 3 - kurt * n1);
  v -= 0.25 * n1 * k->s2 * (nn + 3 * N - 6 - kurt * (nn - N + 2));
  v += s02 * (nn - 3 - kurt * n1 * n1);
  o->var_rand = v / (N * (n - 2) * (n - 3) * s02);
  o->z_norm = (1 - o->stat) / sqrt(o->var_norm);
  o->z_rand = (1 - o->stat) / sqrt(o->var_rand);
}

static int global(const cb_weights *w, const double *x, size_t ncol,
                  const cb_perm *po, cb_global *out, int geary, cb_err *e) {
  wconst k;
  if (constants(w, &k, e)) return -1;
  size_t n = w->n;
  double *z = malloc((ncol * n + 1) * sizeof *z);
  double *obs = malloc((ncol ? ncol : 1) * sizeof *obs);
  if (!z || !obs) {
    free(z);
    free(obs);
    return cb_err_set(e, "out of memory");
  }
  for (size_t c = 0; c < ncol; c++) {
    cb_global *o = &out[c];
    double kurt, zz = centre(x + c * n, n, z + c * n, geary ? k.n : k.N, &kurt);
    o->n = k.n;
    o->p_sim = NAN;
    if (geary) {
      obs[c] = geary_sum(w, z + c * n);
      o->stat = (k.n - 1) / (2 * k.s0) * obs[c] / zz;
      geary_moments(&k, kurt, o);
    } else {
      obs[c] = moran_cross(w, z + c * n);
      o->stat = k.n / k.s0 * obs[c] / zz;
      moran_moments(&k, kurt, o);
    }
  }
  int rc = po && po->permutations > 0
               ? permute(w, z, obs, ncol, geary, po, out, e) : 0;
  free(z);
  free(obs);
  return rc;
}

int cb_moran_global(const cb_weights *w, const double *x, size_t ncol,
                    const cb_perm *po, cb_global *out, cb_err *e) {
  return global(w, x, ncol, po, out, 0, e);
}

int cb_geary_global(const cb_weights *w, const double *x, size_t ncol,
                    const cb_perm *po, cb_global *out, cb_err *e) {
  return global(w, x, ncol, po, out, 1, e);
}
