/* Proportional allocation with compensated sums; the rounding residual of
 * each group goes to its largest share. */
#include "alloc.h"
#include "array.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const char *gname(const char *const *names, size_t g, char *buf,
                         size_t len) {
  if (names && names[g]) return names[g];
  snprintf(buf, len, "%zu", g + 1);
  return buf;
}

/* The work of both entry points (grouped = 0: one group, plainer
 * messages). */
static int alloc_impl(const double *totals, size_t ng, const size_t *group,
                      const double *w, size_t n, const char *const *names,
                      int grouped, double *out, cb_err *e) {
  if (ng == 0) return cb_err_set(e, "alloc: no groups given");
  for (size_t i = 0; i < n; i++) {
    if (group[i] >= ng)
      return cb_err_set(e, "alloc: item %zu has group index %zu out of range",
                        i + 1, group[i] + 1);
    if (isnan(w[i]))
      return cb_err_set(e, "alloc: weight %zu is missing (NaN); give every "
                        "item a weight >= 0", i + 1);
    if (w[i] < 0)
      return cb_err_set(e, "alloc: weight %zu is negative (%g); weights must "
                        "be >= 0", i + 1, w[i]);
    if (isinf(w[i]))
      return cb_err_set(e, "alloc: weight %zu is infinite", i + 1);
  }
  cb_acc *wsum = calloc(ng, sizeof *wsum);
  size_t *count = calloc(ng, sizeof *count), *big = calloc(ng, sizeof *big);
  int rc = 0;
  char buf[32];
  if (!wsum || !count || !big) {
    rc = cb_err_set(e, "alloc: out of memory");
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    size_t g = group[i];
    cb_acc_add(&wsum[g], w[i]);
    if (count[g]++ == 0 || w[i] > w[big[g]]) big[g] = i;
  }
  for (size_t g = 0; g < ng; g++) {
    const char *nm = gname(names, g, buf, sizeof buf);
    if (count[g] == 0) {
      if (!isnan(totals[g]))
        cb_warn("alloc: group %s has a total (%g) but no items; it is not "
                "allocated", nm, totals[g]);
      continue;
    }
    if (isnan(totals[g])) {
      rc = cb_err_set(e, "alloc: group %s has %zu items but no total; add "
                      "its total", nm, count[g]);
      goto done;
    }
    if (!isfinite(totals[g])) {
      rc = cb_err_set(e, "alloc: total of group %s is not finite", nm);
      goto done;
    }
    if (!(cb_acc_get(&wsum[g]) > 0)) {
      rc = grouped ? cb_err_set(e, "alloc: weights of group %s sum to zero; "
                                "cannot split its total %g (check the "
                                "weights of its %zu items)", nm, totals[g],
                                count[g])
                   : cb_err_set(e, "alloc: weights sum to zero; cannot "
                                "split the total %g (all %zu weights are 0)",
                                totals[g], count[g]);
      goto done;
    }
  }
  for (size_t i = 0; i < n; i++) {
    size_t g = group[i];
    out[i] = totals[g] * (w[i] / cb_acc_get(&wsum[g]));
  }
  /* Two passes: the second catches the rounding of the first correction. */
  for (int pass = 0; pass < 2; pass++) {
    for (size_t g = 0; g < ng; g++) wsum[g].s = wsum[g].c = 0;
    for (size_t i = 0; i < n; i++) cb_acc_add(&wsum[group[i]], out[i]);
    for (size_t g = 0; g < ng; g++)
      /* (total − s) is exact near the total (Sterbenz), so the residual
       * keeps the bits that s + c would round away. */
      if (count[g]) out[big[g]] += (totals[g] - wsum[g].s) - wsum[g].c;
  }
done:
  free(wsum);
  free(count);
  free(big);
  return rc;
}

int cb_alloc_grouped(const double *totals, size_t ng, const size_t *group,
                     const double *w, size_t n, const char *const *names,
                     double *out, cb_err *e) {
  return alloc_impl(totals, ng, group, w, n, names, 1, out, e);
}

int cb_alloc(double total, const double *w, size_t n, double *out,
             cb_err *e) {
  if (n == 0) return cb_err_set(e, "alloc: no weights given");
  if (!isfinite(total))
    return cb_err_set(e, "alloc: total must be a finite number, got %g", total);
  size_t *group = calloc(n, sizeof *group);
  if (!group) return cb_err_set(e, "alloc: out of memory");
  int rc = alloc_impl(&total, 1, group, w, n, NULL, 0, out, e);
  free(group);
  return rc;
}
