/* Local statistics for many columns at once: local Moran's I_i with its
 * moments and conditional-permutation pseudo p-values, and Getis-Ord
 * G_i / G_i* z-scores. Units are handed to threads in blocks; each unit's
 * results depend on its own inputs and one shared table of draws only. */
#include <math.h>
#include <stdlib.h>

#include "array.h"
#include "par.h"
#include "spatial_rng.h"
#include "spatial_stats.h"

#define BLOCK 64

/* For every permutation, kmax distinct draws from 0..n-2 (partial
 * Fisher-Yates over a scratch identity that is restored after each row). */
static uint32_t *draw_table(size_t n, size_t kmax, size_t P, uint64_t seed) {
  uint32_t *t = malloc((P * kmax + 1) * sizeof *t);
  uint32_t *a = malloc((n ? n : 1) * sizeof *a);
  size_t *swp = malloc((kmax ? kmax : 1) * sizeof *swp);
  if (!t || !a || !swp) {
    free(t);
    free(a);
    free(swp);
    return NULL;
  }
  size_t m = n - 1;
  for (size_t i = 0; i < m; i++) a[i] = (uint32_t)i;
  for (size_t p = 0; p < P; p++) {
    cb_rng r = cb_rng_stream(seed, p);
    for (size_t k = 0; k < kmax; k++) {
      size_t j = k + (size_t)cb_rng_below(&r, m - k);
      uint32_t x = a[k];
      a[k] = a[j];
      a[j] = x;
      swp[k] = j;
      t[p * kmax + k] = a[k];
    }
    for (size_t k = kmax; k-- > 0;) {
      uint32_t x = a[k];
      a[k] = a[swp[k]];
      a[swp[k]] = x;
    }
  }
  free(a);
  free(swp);
  return t;
}

typedef struct {
  const cb_weights *w;
  const double *z; /* centred columns */
  const double *m2; /* per column: sum z^2 / n */
  const double *b2; /* per column: kurtosis (total moments) */
  size_t ncol, nblk, kmax, P;
  const uint32_t *draws;
  cb_moments mom;
  cb_alt alt;
  const cb_local *out;
} local_ctx;

static void moments(const local_ctx *c, size_t at, double zi, double m2,
                    double b2, double Wi, double Wi2) {
  double n = (double)c->w->n, E, V;
  if (c->mom == CB_MOMENTS_CONDITIONAL) {
    E = -(zi * zi * Wi) / ((n - 1) * m2);
    V = (zi / m2) * (zi / m2) * (n / (n - 2)) * (Wi2 - Wi * Wi / (n - 1)) *
        (m2 - zi * zi / (n - 1));
  } else {
    double A = (n - b2) / (n - 1), B = (2 * b2 - n) / ((n - 1) * (n - 2));
    E = -Wi / (n - 1);
    V = A * Wi2 + B * (Wi * Wi - Wi2) - E * E;
  }
  double z = (c->out->I[at] - E) / sqrt(V);
  if (c->out->E) c->out->E[at] = E;
  if (c->out->V) c->out->V[at] = V;
  if (c->out->z) c->out->z[at] = z;
  if (c->out->p_norm) c->out->p_norm[at] = cb_norm_p(z, c->alt);
}

/* The folded pseudo p of unit i's observed I_i among its permutations. */
static double pseudo_p(const local_ctx *c, const double *z, size_t i,
                       double scale, double obs) {
  const cb_weights *w = c->w;
  size_t a = w->off[i], k = w->off[i + 1] - a, ge = 0;
  for (size_t p = 0; p < c->P; p++) {
    const uint32_t *d = c->draws + p * c->kmax;
    double l = 0;
    for (size_t t = 0; t < k; t++) {
      size_t j = d[t] + (d[t] >= i);
      l += w->w[a + t] * z[j];
    }
    ge += scale * l >= obs;
  }
  size_t folded = c->P - ge < ge ? c->P - ge : ge;
  return (double)(folded + 1) / (double)(c->P + 1);
}

static void unit(const local_ctx *c, size_t col, size_t i) {
  const cb_weights *w = c->w;
  size_t n = w->n, at = col * n + i;
  const double *z = c->z + col * n;
  const cb_local *o = c->out;
  if (cb_weights_card(w, i) == 0) {
    double nan = NAN;
    o->I[at] = nan;
    if (o->E) o->E[at] = nan;
    if (o->V) o->V[at] = nan;
    if (o->z) o->z[at] = nan;
    if (o->p_norm) o->p_norm[at] = nan;
    if (o->p_sim) o->p_sim[at] = nan;
    if (o->lag) o->lag[at] = nan;
    if (o->quad) o->quad[at] = 0;
    return;
  }
  double l = 0, Wi = 0, Wi2 = 0;
  for (size_t k = w->off[i]; k < w->off[i + 1]; k++) {
    l += w->w[k] * z[w->nb[k]];
    Wi += w->w[k];
    Wi2 += w->w[k] * w->w[k];
  }
  double scale = z[i] / c->m2[col];
  o->I[at] = scale * l;
  if (o->lag) o->lag[at] = l;
  if (o->quad) o->quad[at] = z[i] > 0 ? (l > 0 ? 1 : 4) : (l > 0 ? 3 : 2);
  moments(c, at, z[i], c->m2[col], c->b2[col], Wi, Wi2);
  if (o->p_sim)
    o->p_sim[at] = c->P ? pseudo_p(c, z, i, scale, o->I[at]) : NAN;
}

static void block(void *arg, size_t job, int th) {
  (void)th;
  local_ctx *c = arg;
  size_t col = job / c->nblk, b = job % c->nblk, n = c->w->n;
  for (size_t i = b * BLOCK; i < n && i < (b + 1) * BLOCK; i++) unit(c, col, i);
}

int cb_moran_local(const cb_weights *w, const double *x, size_t ncol,
                   cb_moments mom, cb_alt alt, const cb_perm *po,
                   const cb_local *out, cb_err *e) {
  size_t n = w->n, kmax = 0, P = po && po->permutations > 0 ? (size_t)po->permutations : 0;
  if (n < 3) return cb_err_set(e, "local Moran needs at least 3 units, got %zu", n);
  size_t nblk = (n + BLOCK - 1) / BLOCK;
  int nth = cb_par_threads(po ? po->threads : 0, ncol * nblk, e);
  if (nth < 0) return -1;
  for (size_t i = 0; i < n; i++)
    if (cb_weights_card(w, i) > kmax) kmax = cb_weights_card(w, i);
  double *z = malloc((ncol * n + 1) * sizeof *z);
  double *m2 = malloc((ncol ? ncol : 1) * 2 * sizeof *m2);
  uint32_t *draws = P ? draw_table(n, kmax, P, po->seed) : NULL;
  if (!z || !m2 || (P && !draws)) {
    free(z);
    free(m2);
    free(draws);
    return cb_err_set(e, "out of memory for local Moran of %zu units", n);
  }
  double *b2 = m2 + ncol;
  for (size_t c = 0; c < ncol; c++) {
    const double *xc = x + c * n;
    double *zc = z + c * n, mean = cb_mean(xc, n);
    cb_acc a2 = {0, 0}, a4 = {0, 0};
    for (size_t i = 0; i < n; i++) {
      zc[i] = xc[i] - mean;
      cb_acc_add(&a2, zc[i] * zc[i]);
      cb_acc_add(&a4, zc[i] * zc[i] * zc[i] * zc[i]);
    }
    m2[c] = cb_acc_get(&a2) / (double)n;
    b2[c] = cb_acc_get(&a4) / (double)n / (m2[c] * m2[c]);
  }
  local_ctx c = {w, z, m2, b2, ncol, nblk, kmax, P, draws, mom, alt, out};
  cb_par_run(P ? nth : 1, ncol * nblk, block, &c);
  free(z);
  free(m2);
  free(draws);
  return 0;
}

int cb_getis_ord(const cb_weights *w, int star, const double *x, size_t ncol,
                 cb_alt alt, double *zout, double *pout, cb_err *e) {
  size_t n = w->n;
  if (n < 3) return cb_err_set(e, "Getis-Ord G needs at least 3 units, got %zu", n);
  double dn = (double)n;
  for (size_t c = 0; c < ncol; c++) {
    const double *xc = x + c * n;
    double sum = cb_sum(xc, n), mean = sum / dn;
    cb_acc a2 = {0, 0}, d2 = {0, 0};
    for (size_t i = 0; i < n; i++) {
      cb_acc_add(&a2, xc[i] * xc[i]);
      cb_acc_add(&d2, (xc[i] - mean) * (xc[i] - mean));
    }
    double sumsq = cb_acc_get(&a2), s2 = cb_acc_get(&d2) / dn;
    for (size_t i = 0; i < n; i++) {
      double l = 0, Wi = 0, S1 = 0;
      for (size_t k = w->off[i]; k < w->off[i + 1]; k++) {
        l += w->w[k] * xc[w->nb[k]];
        Wi += w->w[k];
        S1 += w->w[k] * w->w[k];
      }
      double xb = mean, si2 = s2, V;
      if (star) {
        V = si2 * (dn * S1 - Wi * Wi) / (dn - 1);
      } else {
        xb = (sum - xc[i]) / (dn - 1);
        si2 = (sumsq - xc[i] * xc[i]) / (dn - 1) - xb * xb;
        V = si2 * ((dn - 1) * S1 - Wi * Wi) / (dn - 2);
      }
      double z = Wi > 0 ? (l - Wi * xb) / sqrt(V) : NAN;
      zout[c * n + i] = z;
      if (pout) pout[c * n + i] = cb_norm_p(z, alt);
    }
  }
  return 0;
}
