/* One condition of a zoning rule as a 0/1 mask. */
#include "classify.h"

void cb_mask(const double *v, size_t n, cb_cmp op, double value,
             const double *within, double *out) {
  for (size_t i = 0; i < n; i++) {
    int in = within == NULL || (within[i] != 0 && within[i] == within[i]);
    out[i] = in && v[i] == v[i] && value == value && cb_cmp_holds(op, v[i], value);
  }
}
