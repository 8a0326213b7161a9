/* LMDI-I index decomposition of V = Σ_i Π_k x_ki between two states (and
 * chained over a sequence), with Ang & Liu (2007) zero-value limits. */
#ifndef CB_LMDI_H
#define CB_LMDI_H

#include <stddef.h>

#include "cb.h"

/* The logarithmic mean L(a,b) = (a-b)/(ln a - ln b), L(a,a) = a, L(a,0) =
 * L(0,b) = 0; for a, b of the same sign (negative too, L(-a,-b) = -L(a,b)).
 * Stable near a = b (log1p of the relative difference). NaN when a and b
 * have opposite signs or either is NaN. */
double cb_logmean(double a, double b);

typedef enum { CB_LMDI_ADDITIVE, CB_LMDI_MULTIPLICATIVE } cb_lmdi_method;

/* Results; the caller provides every buffer (nf factors, n items).
 * - effect[k]: additive ΔV_k, or multiplicative D_k.
 * - item[k][i]: additive ΔV_ki (Σ_k = ΔV_i); multiplicative: the item's own
 *   D_ki = exp(ΔV_ki / L(V_iT, V_i0)) (the factor ratio; 0 or inf for a
 *   factor that vanishes or appears, NaN when V_i is 0 at both ends).
 * - item_log[k][i] (multiplicative only, may be NULL): ΔV_ki / L(V_T, V_0),
 *   the item's share of ln D_k (Σ_i = ln D_k).
 * - undefined[i]: 1 when item i is undefined (a factor changes sign or a
 *   value is missing); its item effects are NaN and it is left out of the
 *   aggregate effects.
 * - v0, v1: Σ_i V_i at both ends; change: ΔV (additive) or V_T/V_0;
 *   unexplained: the part of change carried by undefined items (additive:
 *   Σ ΔV_i over them; multiplicative: exp(that / L(V_T, V_0))), so that
 *   Σ effect + unexplained = change (additive) and Π effect × unexplained =
 *   change (multiplicative). nundefined counts undefined items. */
typedef struct {
  double *effect;
  double **item;
  double **item_log;
  unsigned char *undefined;
  double v0, v1, change, unexplained;
  size_t nundefined;
} cb_lmdi_out;

/* Decomposes between state 0 (x0[k][i]) and state T (x1[k][i]), nf >= 1
 * factors and n >= 1 items. Zero values follow the analytical limits: an
 * item with V_i0 = 0 and V_iT != 0 gives V_iT to the factors that were zero,
 * split equally, and 0 to the others (likewise −V_i0 when it disappears);
 * V_i = 0 at both ends gives 0 everywhere. Multiplicative aggregate effects
 * are NaN (not an error) when V_0 or V_T is 0 or they differ in sign.
 * Returns 0, or -1 with e filled on bad sizes. */
int cb_lmdi(const double *const *x0, const double *const *x1, size_t nf,
            size_t n, cb_lmdi_method m, cb_lmdi_out *out, cb_err *e);

/* Chained decomposition over ns >= 2 states (states[s][k][i]): additive
 * effects are the sums of the step effects, multiplicative the products;
 * an item undefined in any step is undefined in the chain. change is
 * V_last − V_first (additive) or V_last / V_first, and unexplained is
 * summed (multiplied) over the steps. Same buffers as cb_lmdi. steps (may
 * be NULL: scratch is allocated internally) receives the ns−1 step results,
 * each with out's buffers (item_log too when out has it). Returns 0, or -1
 * with e filled. */
int cb_lmdi_chain(const double *const *const *states, size_t ns, size_t nf,
                  size_t n, cb_lmdi_method m, cb_lmdi_out *out,
                  cb_lmdi_out *steps, cb_err *e);

#endif
