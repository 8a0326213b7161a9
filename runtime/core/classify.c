/* First-match rule evaluation for zoning. */
#include "classify.h"

#include <string.h>

int cb_classify(const cb_rule *rules, size_t nrules, const double *const *vars,
                size_t nvars, size_t n, size_t default_zone, int strict,
                size_t *zone, size_t *counts, size_t nzones, cb_err *e) {
  for (size_t r = 0; r < nrules; r++) {
    if (rules[r].zone < 1 || rules[r].zone > nzones)
      return cb_err_set(e, "classify: rule %zu has zone %zu out of range", r + 1,
                        rules[r].zone);
    for (size_t c = 0; c < rules[r].nconds; c++)
      if (rules[r].conds[c].var >= nvars)
        return cb_err_set(e, "classify: rule %zu condition %zu uses variable "
                          "%zu of %zu", r + 1, c + 1,
                          rules[r].conds[c].var + 1, nvars);
  }
  if (default_zone > nzones)
    return cb_err_set(e, "classify: default zone %zu out of range",
                      default_zone);
  if (counts) memset(counts, 0, (nzones + 1) * sizeof *counts);
  for (size_t i = 0; i < n; i++) {
    size_t z = default_zone;
    for (size_t r = 0; r < nrules; r++) {
      const cb_rule *ru = &rules[r];
      size_t c = 0;
      while (c < ru->nconds &&
             cb_cmp_holds(ru->conds[c].op, vars[ru->conds[c].var][i],
                          ru->conds[c].value))
        c++;
      if (c == ru->nconds) {
        z = ru->zone;
        break;
      }
    }
    if (z == 0 && strict)
      return cb_err_set(e, "classify: item %zu matches no rule and there is "
                        "no default zone (add a default or a catch-all rule)",
                        i + 1);
    zone[i] = z;
    if (counts) counts[z]++;
  }
  return 0;
}
