/* Declarative zoning rules evaluated over named arrays: first matching rule
 * wins; a missing value (NaN) never satisfies a comparison. */
#ifndef CB_CLASSIFY_H
#define CB_CLASSIFY_H

#include <stddef.h>

#include "array.h"
#include "cb.h"

/* One comparison: vars[var][i] op value. */
typedef struct {
  size_t var;
  cb_cmp op;
  double value;
} cb_cond;

/* A rule: every condition must hold (an empty list matches every item);
 * zone is the 1-based zone index the rule assigns. */
typedef struct {
  size_t zone;
  const cb_cond *conds;
  size_t nconds;
} cb_rule;

/* zone[i] = zone of the first rule whose conditions all hold for item i,
 * else default_zone (0 = none). vars[v] has n values. When default_zone is
 * 0 and strict is set, an unmatched item is an error naming its 1-based
 * index; otherwise its zone is 0. counts (may be NULL) gets nzones+1
 * entries: counts[z] items in zone z, counts[0] unmatched. Returns 0 or -1
 * with e filled (a condition naming a variable >= nvars). */
int cb_classify(const cb_rule *rules, size_t nrules, const double *const *vars,
                size_t nvars, size_t n, size_t default_zone, int strict,
                size_t *zone, size_t *counts, size_t nzones, cb_err *e);

#endif
