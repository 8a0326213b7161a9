/* Spatial autocorrelation over many variables at once: global Moran's I and
 * Geary's C with their moments (Cliff and Ord 1981, as spdep's moran.test
 * and geary.test), local Moran's I_i (Anselin 1995; conditional moments of
 * Sokal et al. 1998, as spdep's localmoran) and Getis-Ord G_i / G_i* z
 * (Ord and Getis 1995, as spdep's localG), with permutation pseudo
 * p-values. `x` holds ncol columns of w->n values each (column-major);
 * values must be finite and no column constant (the callers check and name
 * the offender). Results never depend on the thread count. */
#ifndef CB_SPATIAL_STATS_H
#define CB_SPATIAL_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "cb.h"
#include "spatial.h"

typedef enum { CB_ALT_TWO_SIDED, CB_ALT_GREATER, CB_ALT_LESS } cb_alt;

/* The p-value of a standard normal deviate z under the alternative. */
double cb_norm_p(double z, cb_alt alt);

typedef struct cb_perm {
  int permutations; /* 0: no permutation test */
  uint64_t seed;
  int threads; /* <= 0: CBAL_THREADS, else the online cores */
} cb_perm;

/* A global statistic with its moments. n is the number of units with
 * neighbours (spdep's adjust.n), var_norm/var_rand the variances under
 * normality and randomisation, p_sim the folded pseudo p-value
 * (min(#{sim >= obs}, P - #{sim >= obs}) + 1) / (P + 1) (NaN without
 * permutations). */
typedef struct cb_global {
  double stat, expect, var_norm, var_rand, z_norm, z_rand, p_sim, n;
} cb_global;

/* Moran's I (out has ncol entries). */
int cb_moran_global(const cb_weights *w, const double *x, size_t ncol,
                    const cb_perm *po, cb_global *out, cb_err *e);

/* Geary's C; its z is (1 - C) / sd, positive for positive autocorrelation
 * as in spdep. */
int cb_geary_global(const cb_weights *w, const double *x, size_t ncol,
                    const cb_perm *po, cb_global *out, cb_err *e);

/* Local Moran outputs, each n * ncol values laid out as x (any may be
 * NULL). quad: 1 high-high, 2 low-low, 3 low-high, 4 high-low by the signs
 * of z_i and its lag (0 for units without neighbours, whose other outputs
 * are NaN). */
typedef struct cb_local {
  double *I, *E, *V, *z, *p_norm, *p_sim, *lag;
  unsigned char *quad;
} cb_local;

typedef enum { CB_MOMENTS_CONDITIONAL, CB_MOMENTS_TOTAL } cb_moments;

/* Local Moran's I_i = (z_i / m2) sum_j w_ij z_j, m2 = sum z^2 / n, with
 * expectations and variances (conditional, spdep's default, or under total
 * randomisation as PySAL's), normal p under alt, and the conditional
 * permutation pseudo p: for each permutation one set of max-degree distinct
 * draws from the other n - 1 units is shared by every unit and column
 * (PySAL's scheme), so the whole panel costs one small table of draws. */
int cb_moran_local(const cb_weights *w, const double *x, size_t ncol,
                   cb_moments mom, cb_alt alt, const cb_perm *po,
                   const cb_local *out, cb_err *e);

/* Getis-Ord z-scores: G_i* when w lists each unit as its own neighbour
 * (cb_weights_with_self), else G_i; z and p_norm (under alt) are n * ncol
 * (p_norm may be NULL). */
int cb_getis_ord(const cb_weights *w, int star, const double *x, size_t ncol,
                 cb_alt alt, double *z, double *p_norm, cb_err *e);

#endif
