/* A zone's sorted cells as the distinct values the value statistics need,
 * without writing one entry per value: runs of whole cells that are alone
 * in their value (C = 1, most of a zone) are one segment each, where the
 * running sum of C moves by exactly 1 per value; the other values (cells
 * of boundary fractions, repeated values) are segments of one value. The
 * sums, quantiles, mode and minority are the same, to the bit, as those of
 * the histogram summed value by value (zonal_values.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "zonal_int.h"

static float key_float(uint32_t k) {
  uint32_t u = (k & 0x80000000u) ? k & 0x7fffffffu : ~k;
  float f;
  memcpy(&f, &u, 4);
  return f;
}

/* 1 when adding 1.0 `len` times to cum, one at a time, gives cum + len
 * exactly (f: cum + len as one addition): f is below 2^53 and cum is a
 * multiple of f's unit in the last place, so no addition rounds. */
static int run_exact(double cum, double f) {
  if (!(f < 9007199254740992.0)) return 0;
  int e;
  frexp(f, &e);
  double c = ldexp(1.0, e - 1); /* f's binade starts at c */
  return cum >= c || (cum + c) - c == cum;
}

/* Appends a segment; -1 when out of memory. */
static int push(zruns *r, zscratch *s, zseg g) {
  if (r->nseg == s->nseg) {
    size_t cap = s->nseg ? 2 * s->nseg : 1024;
    zseg *q = realloc(s->seg, cap * sizeof *q);
    if (!q) return -1;
    s->seg = q, s->nseg = cap;
  }
  r->seg = s->seg;
  r->seg[r->nseg++] = g;
  if (g.c > r->cmx) r->cmx = g.c, r->mx = g.j0, r->kmx = g.key;
  if (g.c < r->cmn) r->cmn = g.c, r->mn = g.j0, r->kmn = g.key;
  return 0;
}

/* Adds the whole keys k[q0 .. q0 + len - 1], each alone in its value, as
 * values j.. with running sum *cum: one segment when the sums are exact,
 * else one segment per value (summed one at a time). */
static int add_run(zruns *r, zscratch *s, size_t q0, size_t len, size_t *j,
                   double *cum) {
  double f = *cum + (double)len;
  if (run_exact(*cum, f)) {
    if (push(r, s, (zseg){*j, len, q0, *cum, 1.0, r->k[q0]})) return -1;
    *j += len, *cum = f;
    return 0;
  }
  for (size_t t = 0; t < len; t++) {
    if (push(r, s, (zseg){*j, 1, q0 + t, *cum, 1.0, r->k[q0 + t]})) return -1;
    (*j)++, *cum += 1.0;
  }
  return 0;
}

/* Takes the value x from whole keys at *q and packed cells at *i (whole
 * cells first, as the histogram sums them): its C. */
static double take_value(const uint32_t *k, size_t nk, size_t *q,
                         const uint64_t *p, size_t np, size_t *i, uint32_t x) {
  double g = 0;
  while (*q < nk && k[*q] == x) g += 1.0, (*q)++;
  while (*i < np && (uint32_t)(p[*i] >> 32) == x) {
    uint32_t lo = (uint32_t)p[(*i)++];
    float fc;
    memcpy(&fc, &lo, 4);
    g += fc;
  }
  return g;
}

/* Adds whole keys k[*q .. e - 1], all below the next packed key: runs of
 * keys alone in their value, and each repeated value as one segment. */
static int add_wholes(zruns *r, zscratch *s, size_t *q, size_t e, size_t *j,
                      double *cum) {
  const uint32_t *k = r->k;
  while (*q < e) {
    size_t q0 = *q, d = q0;
    while (d + 1 < e && k[d + 1] != k[d]) d++; /* d: the last single, or a repeat */
    if (d + 1 == e) d = e;
    if (d > q0 && add_run(r, s, q0, d - q0, j, cum)) return -1;
    *q = d;
    if (d == e) break;
    double g = 0; /* a repeated value: its cells one at a time */
    for (uint32_t x = k[d]; *q < e && k[*q] == x;) g += 1.0, (*q)++;
    if (push(r, s, (zseg){*j, 1, d, *cum, g, k[d]})) return -1;
    (*j)++, *cum += g;
  }
  return 0;
}

int zruns_build(zruns *r, const uint32_t *k, size_t nk, const uint64_t *p,
                size_t np, zscratch *s) {
  *r = (zruns){.k = k, .cmx = -INFINITY, .cmn = INFINITY};
  size_t q = 0, i = 0, j = 0;
  double cum = 0;
  while (q < nk || i < np) {
    uint32_t kp = i < np ? (uint32_t)(p[i] >> 32) : UINT32_MAX; /* no key is */
    size_t e = q;
    while (e < nk && k[e] < kp) e++;
    if (e > q && add_wholes(r, s, &q, e, &j, &cum)) return -1;
    if (q == nk && i == np) break;
    uint32_t x = q < nk && k[q] <= kp ? k[q] : kp;
    double g = take_value(k, nk, &q, p, np, &i, x);
    if (push(r, s, (zseg){j, 1, 0, cum, g, x})) return -1;
    j++, cum += g;
  }
  r->n = j;
  r->mode = key_float(r->kmx), r->minority = key_float(r->kmn);
  return 0;
}

/* Value j's C, the sum of the C before it, and its value. */
static void value_at(const zruns *r, size_t j, double *c, double *pre,
                     double *v) {
  size_t lo = 0, hi = r->nseg - 1; /* the last segment with j0 <= j */
  while (lo < hi) {
    size_t mid = hi - (hi - lo) / 2;
    if (r->seg[mid].j0 <= j) lo = mid; else hi = mid - 1;
  }
  const zseg *g = &r->seg[lo];
  size_t t = j - g->j0;
  *c = g->c;
  *pre = g->pre0 + (double)t; /* exact within a run (t = 0 otherwise) */
  *v = key_float(t ? r->k[g->q0 + t] : g->key);
}

/* S_j of the quantile's definition, and value j. */
static double s_at(const zruns *r, size_t j, double nm1, double *v) {
  double c, pre;
  value_at(r, j, &c, &pre, v);
  return j == 0 ? 0.0 : (double)j * c + nm1 * pre;
}

/* As quantile() in zonal_values.c, value by value: the same probes, the
 * same sums. */
double zruns_quantile(const zruns *r, double q) {
  size_t n = r->n, lo = 0, hi = n;
  double nm1 = (double)n - 1, c, pre, v, vl;
  value_at(r, n - 1, &c, &pre, &v);
  double t = q * ((pre + c) * nm1);
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (s_at(r, mid, nm1, &v) > t) hi = mid; else lo = mid + 1;
  }
  if (lo == n) {
    value_at(r, n - 1, &c, &pre, &v);
    return v;
  }
  double sl = s_at(r, lo - 1, nm1, &vl), sh = s_at(r, lo, nm1, &v);
  return vl + (t - sl) * (v - vl) / (sh - sl);
}
