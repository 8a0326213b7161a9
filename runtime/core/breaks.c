/* Quantile, equal-interval and Fisher–Jenks breaks on pooled values, and
 * classification of values by edges (binary search). */
#include "breaks.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Sorted non-missing pooled values; NULL with e filled on error. */
static double *pool(const double *const *parts, const size_t *lens,
                    size_t nparts, size_t *nout, cb_err *e) {
  size_t total = 0;
  for (size_t p = 0; p < nparts; p++) total += lens[p];
  double *v = malloc((total ? total : 1) * sizeof *v);
  if (!v) {
    cb_err_set(e, "breaks: out of memory");
    return NULL;
  }
  size_t n = 0;
  for (size_t p = 0; p < nparts; p++)
    for (size_t i = 0; i < lens[p]; i++) {
      double x = parts[p][i];
      if (isnan(x)) continue;
      if (isinf(x)) {
        free(v);
        cb_err_set(e, "breaks: value %zu of array %zu is infinite; remove or "
                   "mark it missing (NaN)", i + 1, p + 1);
        return NULL;
      }
      v[n++] = x;
    }
  if (n == 0) {
    free(v);
    cb_err_set(e, "breaks: no non-missing values (all NaN or empty)");
    return NULL;
  }
  qsort(v, n, sizeof *v, cmp_double);
  *nout = n;
  return v;
}

static size_t count_distinct(const double *v, size_t n) {
  size_t d = 1;
  for (size_t i = 1; i < n; i++) d += v[i] != v[i - 1];
  return d;
}

static double quantile7(const double *v, size_t n, double p) {
  double h = (double)(n - 1) * p;
  size_t lo = (size_t)floor(h);
  if (lo + 1 >= n) return v[n - 1];
  return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

/* State of one layer of the Fisher programme over groups: prefix sums of
 * weights, centred values and squares; cost of the previous layer; this
 * layer's costs and arg-mins; the number of classes j. */
typedef struct {
  const double *W, *S, *S2, *prev;
  double *cur;
  size_t *back, j;
} jenks_ctx;

/* Within-group sum of squared deviations of groups a..b-1. */
static double ssd(const jenks_ctx *c, size_t a, size_t b) {
  double s = c->S[b] - c->S[a];
  return fmax(0.0, (c->S2[b] - c->S2[a]) - s * s / (c->W[b] - c->W[a]));
}

/* cur[i] = min_t prev[t] + ssd(t, i) for i in [ilo, ihi], knowing the best
 * t lies in [tlo, thi]. The sum of squares of sorted data satisfies the
 * quadrangle inequality, so the arg-min is monotone in i and divide and
 * conquer finds the same optimum as the full O(m²) scan in O(m log m). */
static void layer(jenks_ctx *c, size_t ilo, size_t ihi, size_t tlo,
                  size_t thi) {
  if (ilo > ihi) return;
  size_t i = ilo + (ihi - ilo) / 2, arg = tlo;
  size_t hi = thi < i - 1 ? thi : i - 1, lo = tlo > c->j - 1 ? tlo : c->j - 1;
  double best = INFINITY;
  for (size_t t = lo; t <= hi; t++) {
    double v = c->prev[t] + ssd(c, t, i);
    if (v < best) best = v, arg = t;
  }
  c->cur[i] = best;
  c->back[i] = arg;
  if (i > ilo) layer(c, ilo, i - 1, tlo, arg);
  layer(c, i + 1, ihi, arg, thi);
}

/* Jenks over rank-contiguous groups: group g covers ranks [start[g],
 * start[g+1]). Fills edges[1..k]. */
static int jenks(const double *v, size_t n, size_t k, size_t max_groups,
                 double *edges, cb_err *e) {
  size_t d = count_distinct(v, n), m = d < max_groups ? d : max_groups;
  size_t *start = malloc((m + 1) * sizeof *start);
  double *W = calloc(m + 1, sizeof *W), *S = calloc(m + 1, sizeof *S);
  double *S2 = calloc(m + 1, sizeof *S2), *prev = malloc((m + 1) * sizeof *prev);
  double *cur = malloc((m + 1) * sizeof *cur);
  size_t *back = malloc((k + 1) * (m + 1) * sizeof *back);
  int rc = 0;
  if (!start || !W || !S || !S2 || !prev || !cur || !back) {
    rc = cb_err_set(e, "breaks: out of memory for jenks (%zu groups)", m);
    goto done;
  }
  /* Group boundaries: one per distinct value when m = d; otherwise about
   * n/m ranks per group, each boundary put at the widest gap between
   * consecutive values in a window of n/m ranks around its target rank, so
   * natural gaps in the data stay available as class boundaries. */
  size_t g = 0;
  start[0] = 0;
  if (d <= max_groups) {
    for (size_t i = 1; i < n; i++)
      if (v[i] != v[i - 1]) start[++g] = i;
  } else {
    double step = (double)n / (double)m;
    for (size_t b = 1; b < m; b++) {
      double c = step * (double)b;
      size_t lo = (size_t)fmax(1.0, floor(c - step / 2));
      size_t hi = (size_t)fmin((double)n - 1, floor(c + step / 2));
      if (lo <= start[g]) lo = start[g] + 1;
      size_t arg = 0;
      double gap = 0;
      for (size_t i = lo; i <= hi; i++)
        if (v[i] - v[i - 1] > gap) gap = v[i] - v[i - 1], arg = i;
      if (arg) start[++g] = arg;
    }
  }
  m = g + 1;
  start[m] = n;
  if (m < k) {
    rc = cb_err_set(e, "breaks: jenks found only %zu value groups for %zu "
                    "classes; lower k", m, k);
    goto done;
  }
  double mean = 0;
  for (size_t i = 0; i < n; i++) mean += v[i];
  mean /= (double)n;
  for (g = 0; g < m; g++) {
    double s = 0, s2 = 0;
    for (size_t i = start[g]; i < start[g + 1]; i++) {
      double x = v[i] - mean; /* centred: smaller cancellation in SSD */
      s += x, s2 += x * x;
    }
    W[g + 1] = W[g] + (double)(start[g + 1] - start[g]);
    S[g + 1] = S[g] + s;
    S2[g + 1] = S2[g] + s2;
  }
  jenks_ctx c = {W, S, S2, prev, cur, NULL, 0};
  for (size_t i = 1; i <= m; i++) prev[i] = ssd(&c, 0, i), back[m + 1 + i] = 0;
  for (size_t j = 2; j <= k; j++) {
    c.back = back + j * (m + 1);
    c.j = j;
    layer(&c, j, m, j - 1, m - 1);
    memcpy(prev + j, cur + j, (m + 1 - j) * sizeof *prev);
  }
  size_t end = m;
  for (size_t j = k; j >= 1; j--) {
    edges[j] = v[start[end] - 1];
    end = back[j * (m + 1) + end];
  }
done:
  free(start), free(W), free(S), free(S2), free(prev), free(cur), free(back);
  return rc;
}

int cb_breaks(cb_breaks_method m, const double *const *parts,
              const size_t *lens, size_t nparts, size_t k, size_t max_exact,
              double *edges, size_t *kout, cb_err *e) {
  if (k < 1) return cb_err_set(e, "breaks: k must be >= 1, got %zu", k);
  size_t n;
  double *v = pool(parts, lens, nparts, &n, e);
  if (!v) return -1;
  size_t d = count_distinct(v, n), kk = k;
  if (d < k) {
    cb_warn("breaks: %zu classes asked but only %zu distinct values; using %zu "
            "classes", k, d, d);
    kk = d;
  }
  double lo = v[0], hi = v[n - 1];
  if (m == CB_BREAKS_EQUAL) {
    for (size_t j = 1; j < kk; j++)
      edges[j] = lo + (double)j * ((hi - lo) / (double)kk);
  } else if (m == CB_BREAKS_QUANTILE) {
    for (size_t j = 1; j < kk; j++)
      edges[j] = quantile7(v, n, (double)j / (double)kk);
  } else {
    if (max_exact == 0) max_exact = CB_JENKS_MAX_EXACT;
    if (max_exact < kk) max_exact = kk;
    if (d > max_exact)
      cb_warn("breaks: jenks on %zu distinct values: class boundaries limited "
              "to %zu rank groups (sums of squares stay exact); raise "
              "max_exact for a finer search", d, max_exact);
    if (jenks(v, n, kk, max_exact, edges, e)) {
      free(v); /* edges[1..kk-1] were never filled */
      return -1;
    }
  }
  edges[0] = lo;
  edges[kk] = hi;
  /* Ties (quantiles) can repeat an edge: keep increasing edges, except that
   * edges[1] may equal edges[0] (a first class holding only the minimum). */
  size_t w = 1;
  for (size_t j = 1; j <= kk; j++)
    if (edges[j] > edges[w - 1] || w == 1) edges[w++] = edges[j];
  if (w - 1 < kk) {
    cb_warn("breaks: ties among the values leave %zu of %zu classes", w - 1,
            kk);
    kk = w - 1;
  }
  if (edges[kk] != hi) edges[kk] = hi;
  *kout = kk;
  free(v);
  return 0;
}

int cb_breaks_check(const double *edges, size_t nedges, cb_err *e) {
  if (nedges < 2)
    return cb_err_set(e, "breaks: need at least 2 edges (1 class), got %zu",
                      nedges);
  for (size_t j = 0; j < nedges; j++) {
    if (isnan(edges[j]))
      return cb_err_set(e, "breaks: edge %zu is missing (NaN)", j + 1);
    if (j && !(edges[j] > edges[j - 1]) && !(j == 1 && edges[1] == edges[0]))
      return cb_err_set(e, "breaks: edges must increase strictly; edge %zu "
                        "(%g) is not above edge %zu (%g)", j + 1, edges[j], j,
                        edges[j - 1]);
  }
  return 0;
}

void cb_classify_breaks(const double *v, size_t n, const double *edges,
                        size_t nedges, int right_closed, double *cls,
                        size_t *counts, size_t *outside) {
  size_t k = nedges - 1, out = 0;
  if (counts) memset(counts, 0, k * sizeof *counts);
  for (size_t i = 0; i < n; i++) {
    double x = v[i];
    cls[i] = NAN;
    if (isnan(x)) continue;
    if (x < edges[0] || x > edges[k]) {
      out++;
      continue;
    }
    /* Find the class j in 1..k by binary search over edges[1..k]. */
    size_t lo = 1, hi = k;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      int below = right_closed ? x <= edges[mid] : x < edges[mid];
      if (below)
        hi = mid;
      else
        lo = mid + 1;
    }
    cls[i] = (double)lo;
    if (counts) counts[lo - 1]++;
  }
  if (outside) *outside = out;
}
