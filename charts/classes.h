/* Map classes: computed breaks (quantile, equal, jenks), the class of a
 * value, and legend labels for class ranges. Breaks are k+1 edges, as
 * cbal.breaks returns them; -inf/inf ends give open classes ("< 1"). */
#ifndef CBC_CLASSES_H
#define CBC_CLASSES_H

#include <stddef.h>

#include "core/cb.h"

#define CBC_MAX_CLASSES 16

/* Fills e[0..k] with k classes over the finite values of v by `method`
 * ("quantile", "equal" or "jenks", through cb_breaks), rounded to pretty
 * limits when `round` is set (cb_breaks_round). Fails on no finite values
 * or an unknown method. Fewer distinct values than k make fewer classes
 * (with a warning); *kout says how many. */
int cbc_breaks_auto(const double *v, size_t n, const char *method, int k,
                    int round, double *e, int *kout, cb_err *e_);

/* Checks edges: 2..CBC_MAX_CLASSES+1 of them, strictly increasing, no NaN. */
int cbc_breaks_check(const double *e, size_t ne, cb_err *err);

/* Class of v for edges e[0..k]: i where e[i] <= v < e[i+1] (the last class
 * includes its top edge); values outside clamp to the end classes; -1 for
 * NaN. */
int cbc_class_of(double v, const double *e, int k);

/* Label of class i: "a – b", "< b" or "≥ a" for infinite ends. An edge
 * prints exactly when 6 significant digits or fewer do (0.231, 6.5, 1516),
 * else with 4 (1516.3427 -> 1516), and always with enough digits to tell
 * all edges apart. */
void cbc_class_label(const double *e, int k, int i, char *buf, size_t len);

#endif
