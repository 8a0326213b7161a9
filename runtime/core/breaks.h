/* Class breaks for maps (quantile, equal interval, Fisher–Jenks) on pooled
 * values, checks for manual breaks, and classification by edges. */
#ifndef CB_BREAKS_H
#define CB_BREAKS_H

#include <stddef.h>

#include "cb.h"

typedef enum {
  CB_BREAKS_QUANTILE,
  CB_BREAKS_EQUAL,
  CB_BREAKS_JENKS
} cb_breaks_method;

/* Default limit of candidate groups for Fisher–Jenks (see cb_breaks). */
#define CB_JENKS_MAX_EXACT 100000

/* k classes from the non-missing values of nparts arrays (parts[p] has
 * lens[p] values), pooled. edges receives kout+1 increasing edges (room for
 * k+1): edges[0] = min, edges[kout] = max (edges[1] may equal edges[0],
 * see cb_breaks_check). kout < k when there are fewer
 * distinct values than k (or quantile ties collapse), with a warning.
 * Quantile: type-7 quantiles at j/k. Equal: min + j (max−min)/k.
 * Jenks: the exact Fisher dynamic programme minimising the within-class sum
 * of squared deviations, over distinct values weighted by their counts;
 * each layer uses divide and conquer on the monotone arg-min (valid for
 * sorted 1-D data), O(k m log m) time and O(k m) memory for m distinct
 * values instead of the textbook O(k m²); edges[j] is the largest value of
 * class j.
 * When m > max_exact (0 = CB_JENKS_MAX_EXACT), values are first cut into
 * at most max_exact rank-contiguous groups of about n/max_exact values,
 * each cut at the widest gap between consecutive values near its target
 * rank (equal values are never split), and the programme runs over the
 * groups: sums of squares stay exact, but class boundaries are limited to
 * group boundaries, so the result may be slightly off the global optimum
 * (a warning says so).
 * Errors (-1, e filled): k < 1, no non-missing value, an infinite value,
 * out of memory. */
int cb_breaks(cb_breaks_method m, const double *const *parts,
              const size_t *lens, size_t nparts, size_t k, size_t max_exact,
              double *edges, size_t *kout, cb_err *e);

/* Checks manual edges: at least 2, none NaN, strictly increasing (±inf
 * allowed at the ends), except that edges[1] may equal edges[0] (with
 * right-closed classes, a first class holding only the minimum, as Jenks
 * and quantile breaks produce for a heavily repeated minimum). Returns 0
 * or -1 with e filled. */
int cb_breaks_check(const double *edges, size_t nedges, cb_err *e);

/* Rounds computed class edges (as cb_breaks gives them) to "pretty"
 * numbers, as R's pretty and classInt print class limits: each inner edge
 * moves to the round number (coarsest 1-2-5 step, 0 first, nearest the
 * edge, at most three significant digits) strictly between the largest
 * value at or below it and the next value above, so no value changes class
 * and no value sits on a limit (left- and right-closed classes then agree).
 * Where the gap holds no such number, the edge is rounded to two
 * significant digits off any value: the values between the old and new
 * edge change class, and the rounded edges are then the breaks, for maps
 * and tables alike; *moved (may be NULL) counts those values. Outer edges
 * move outwards by at most a tenth of the range, not across 0; infinite
 * edges stay. Edges that would stop increasing stay exact. v: the sorted
 * non-missing values; cb_breaks_round pools and sorts parts itself (-1 and
 * e filled only when out of memory). */
void cb_breaks_round_sorted(double *edges, size_t nedges, const double *v,
                            size_t n, size_t *moved);
int cb_breaks_round(double *edges, size_t nedges, const double *const *parts,
                    const size_t *lens, size_t nparts, size_t *moved,
                    cb_err *e);

/* cls[i] = class 1..k (k = nedges−1) of v[i]. right_closed: class j is
 * (e[j−1], e[j]] and class 1 includes e[0]; otherwise [e[j−1], e[j]) and
 * class k includes e[k]. NaN values and values outside [e[0], e[k]] get NaN;
 * *outside (may be NULL) counts the latter. counts (may be NULL, k entries)
 * counts items per class. edges must pass cb_breaks_check. */
void cb_classify_breaks(const double *v, size_t n, const double *edges,
                        size_t nedges, int right_closed, double *cls,
                        size_t *counts, size_t *outside);

#endif
