/* Growth between two values: total change and geometric average annual
 * growth rate, element-wise. */
#ifndef CB_GROWTH_H
#define CB_GROWTH_H

#include <stddef.h>

/* For i < n: total[i] = x1/x0 − 1 and aagr[i] = (x1/x0)^(1/years) − 1 with
 * a = x0[i*s0], b = x1[i*s1] (a stride of 0 repeats a scalar). Either output
 * may be NULL. Undefined pairs (a <= 0, b < 0, either NaN or infinite) give
 * NaN in both; years must be > 0 (else every result is NaN). Returns the
 * number of undefined pairs. */
size_t cb_growth(const double *x0, size_t s0, const double *x1, size_t s1,
                 double years, double *total, double *aagr, size_t n);

#endif
