/* Map classes: quick default breaks (quantile, equal), the class of a
 * value, and legend labels for class ranges. Breaks are k+1 edges, as
 * cbal.breaks returns them; -inf/inf ends give open classes ("< 1"). */
#ifndef CBC_CLASSES_H
#define CBC_CLASSES_H

#include <stddef.h>

#include "core/cb.h"

#define CBC_MAX_CLASSES 16

/* Fills e[0..k] with k equal-interval or quantile classes over the finite
 * values of v. Fails on no finite values. When there are fewer distinct
 * values than k, fewer classes are made (with a warning) and *kout says how
 * many. method is "equal" or "quantile". */
int cbc_breaks_auto(const double *v, size_t n, const char *method, int k,
                    double *e, int *kout, cb_err *e_);

/* Checks edges: 2..CBC_MAX_CLASSES+1 of them, strictly increasing, no NaN. */
int cbc_breaks_check(const double *e, size_t ne, cb_err *err);

/* Class of v for edges e[0..k]: i where e[i] <= v < e[i+1] (the last class
 * includes its top edge); values outside clamp to the end classes; -1 for
 * NaN. */
int cbc_class_of(double v, const double *e, int k);

/* Label of class i: "a – b", "< b" or "≥ a" for infinite ends, numbers with
 * enough significant digits to tell all edges apart. */
void cbc_class_label(const double *e, int k, int i, char *buf, size_t len);

#endif
