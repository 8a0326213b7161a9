/* Unit tests for class breaks: Fisher–Jenks against brute force, quantile,
 * equal interval, pooling, ties, sampling, manual checks, classification. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/breaks.h"

static uint64_t rng = 1234567891ull;
static double urand(void) {
  rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
  return (double)(rng >> 11) / 9007199254740992.0;
}

static int cmpd(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Within-class SSD of sorted v for the classes given by right-closed edges. */
static double ssd_by_edges(const double *v, size_t n, const double *ed,
                           size_t k) {
  double total = 0;
  for (size_t j = 1; j <= k; j++) {
    double s = 0, s2 = 0, c = 0;
    for (size_t i = 0; i < n; i++) {
      int in = (j == 1 ? v[i] >= ed[0] : v[i] > ed[j - 1]) && v[i] <= ed[j];
      if (in) s += v[i], s2 += v[i] * v[i], c++;
    }
    if (c) total += s2 - s * s / c;
  }
  return total;
}

static double seg_ssd(const double *v, size_t a, size_t b) {
  double s = 0, s2 = 0;
  for (size_t i = a; i < b; i++) s += v[i], s2 += v[i] * v[i];
  return s2 - s * s / (double)(b - a);
}

static void test_jenks_matches_brute_force(void **st) {
  (void)st;
  enum { N = 14 };
  double v[N], ed[4];
  for (int trial = 0; trial < 50; trial++) {
    for (int i = 0; i < N; i++) v[i] = round(100 * urand() * urand());
    const double *parts[] = {v};
    size_t lens[] = {N}, k;
    assert_int_equal(cb_breaks(CB_BREAKS_JENKS, parts, lens, 1, 3, 0, ed, &k, NULL), 0);
    qsort(v, N, sizeof *v, cmpd);
    /* brute force over cuts that do not split equal values */
    double best = INFINITY;
    for (size_t a = 1; a < N; a++)
      for (size_t b = a + 1; b < N; b++) {
        if (v[a] == v[a - 1] || v[b] == v[b - 1]) continue;
        double c = seg_ssd(v, 0, a) + seg_ssd(v, a, b) + seg_ssd(v, b, N);
        if (c < best) best = c;
      }
    if (k < 3) continue; /* fewer than 3 distinct values */
    assert_float_equal(ssd_by_edges(v, N, ed, k), best, 1e-9 * (1 + best));
  }
}

/* Minimum SSD of sorted v[from..n) split into k classes, cuts never
 * between equal values: exhaustive search. */
static double brute(const double *v, size_t from, size_t n, size_t k) {
  if (k == 1) return seg_ssd(v, from, n);
  double best = INFINITY;
  for (size_t a = from + 1; a + k - 1 <= n; a++) {
    if (v[a] == v[a - 1]) continue;
    double c = seg_ssd(v, from, a) + brute(v, a, n, k - 1);
    if (c < best) best = c;
  }
  return best;
}

static void test_jenks_brute_force_k4(void **st) {
  (void)st;
  enum { N = 30 };
  double v[N], ed[5];
  for (int trial = 0; trial < 40; trial++) {
    for (int i = 0; i < N; i++) /* skewed, with ties, like county data */
      v[i] = trial % 2 ? round(50 * pow(urand(), 3)) : exp(5 * urand());
    const double *parts[] = {v};
    size_t lens[] = {N}, k;
    assert_int_equal(cb_breaks(CB_BREAKS_JENKS, parts, lens, 1, 4, 0, ed, &k, NULL), 0);
    qsort(v, N, sizeof *v, cmpd);
    if (k < 4) continue;
    double best = brute(v, 0, N, 4);
    assert_float_equal(ssd_by_edges(v, N, ed, k), best, 1e-9 * (1 + best));
  }
}

static void test_jenks_obvious_groups(void **st) {
  (void)st;
  double v[] = {22, 1, 2, 3, 10, 11, 12, 20, 21, NAN};
  const double *parts[] = {v};
  size_t lens[] = {10}, k;
  double ed[4];
  assert_int_equal(cb_breaks(CB_BREAKS_JENKS, parts, lens, 1, 3, 0, ed, &k, NULL), 0);
  assert_int_equal(k, 3);
  double want[] = {1, 3, 12, 22};
  for (int j = 0; j < 4; j++) assert_float_equal(ed[j], want[j], 0);
}

static void test_pooled_parts(void **st) {
  (void)st;
  /* two "years": pooled breaks equal breaks of the concatenation */
  double y1[] = {1, 2, 3, 50}, y2[] = {10, 11, 12, NAN, 51};
  double all[] = {1, 2, 3, 50, 10, 11, 12, 51};
  const double *parts[] = {y1, y2}, *one[] = {all};
  size_t lens[] = {4, 5}, lens1[] = {8}, k1, k2;
  double e1[4], e2[4];
  cb_breaks(CB_BREAKS_JENKS, parts, lens, 2, 3, 0, e1, &k1, NULL);
  cb_breaks(CB_BREAKS_JENKS, one, lens1, 1, 3, 0, e2, &k2, NULL);
  assert_int_equal(k1, k2);
  for (size_t j = 0; j <= k1; j++) assert_float_equal(e1[j], e2[j], 0);
  assert_float_equal(e1[1], 3, 0);
  assert_float_equal(e1[2], 12, 0);
}

static void test_quantile_and_equal(void **st) {
  (void)st;
  double v[101];
  for (int i = 0; i <= 100; i++) v[i] = 100 - i; /* unsorted input */
  const double *parts[] = {v};
  size_t lens[] = {101}, k;
  double ed[5];
  assert_int_equal(cb_breaks(CB_BREAKS_QUANTILE, parts, lens, 1, 4, 0, ed, &k, NULL), 0);
  assert_int_equal(k, 4);
  for (int j = 0; j <= 4; j++) assert_float_equal(ed[j], 25.0 * j, 1e-12);
  v[0] = 1000;
  assert_int_equal(cb_breaks(CB_BREAKS_EQUAL, parts, lens, 1, 4, 0, ed, &k, NULL), 0);
  assert_float_equal(ed[0], 0, 0);
  assert_float_equal(ed[1], 250, 1e-12);
  assert_float_equal(ed[4], 1000, 0);
}

static void test_fewer_distinct_values(void **st) {
  (void)st;
  setenv("CBAL_QUIET", "1", 1);
  cb_warnings_clear();
  double v[] = {3, 3, 7, 7, 7};
  const double *parts[] = {v};
  size_t lens[] = {5}, k;
  double ed[6];
  assert_int_equal(cb_breaks(CB_BREAKS_JENKS, parts, lens, 1, 5, 0, ed, &k, NULL), 0);
  assert_int_equal(k, 2);
  assert_float_equal(ed[0], 3, 0);
  assert_float_equal(ed[1], 3, 0);
  assert_float_equal(ed[2], 7, 0);
  assert_true(cb_warnings_count() >= 1);
  assert_non_null(strstr(cb_warnings_get(0), "only 2 distinct values"));
  /* quantile ties collapse edges */
  cb_warnings_clear();
  double t[] = {1, 1, 1, 1, 1, 1, 1, 1, 2, 9};
  const double *tp[] = {t};
  size_t tl[] = {10};
  assert_int_equal(cb_breaks(CB_BREAKS_QUANTILE, tp, tl, 1, 3, 0, ed, &k, NULL), 0);
  for (size_t j = 2; j <= k; j++) assert_true(ed[j] > ed[j - 1]);
  assert_float_equal(ed[0], 1, 0);
  assert_float_equal(ed[1], 1, 0); /* first class: the repeated minimum */
  assert_true(k < 3);
  cb_warnings_clear();
  /* a single value: one class */
  double one[] = {4, 4};
  const double *op[] = {one};
  size_t ol[] = {2};
  assert_int_equal(cb_breaks(CB_BREAKS_EQUAL, op, ol, 1, 3, 0, ed, &k, NULL), 0);
  assert_int_equal(k, 1);
  assert_float_equal(ed[0], 4, 0);
  assert_float_equal(ed[1], 4, 0);
  cb_warnings_clear();
}

static void test_errors(void **st) {
  (void)st;
  double v[] = {NAN, NAN}, ed[3];
  const double *parts[] = {v};
  size_t lens[] = {2}, k;
  cb_err e;
  assert_int_equal(cb_breaks(CB_BREAKS_JENKS, parts, lens, 1, 2, 0, ed, &k, &e), -1);
  assert_non_null(strstr(e.msg, "no non-missing values"));
  v[0] = INFINITY;
  assert_int_equal(cb_breaks(CB_BREAKS_JENKS, parts, lens, 1, 2, 0, ed, &k, &e), -1);
  assert_non_null(strstr(e.msg, "infinite"));
  double bad[] = {0, 2, 2};
  assert_int_equal(cb_breaks_check(bad, 3, &e), -1);
  assert_non_null(strstr(e.msg, "edge 3"));
  double good[] = {-INFINITY, 1, 10, 40, INFINITY};
  assert_int_equal(cb_breaks_check(good, 5, &e), 0);
  assert_int_equal(cb_breaks_check(good, 1, &e), -1);
  /* Too few rank groups for k: an error that leaves edges untouched (no
   * half-filled result built from unset class boundaries). */
  double many[100] = {0}, g[4] = {-7, -7, -7, -7};
  many[97] = 1, many[98] = 2, many[99] = 3;
  const double *mp[] = {many};
  size_t ml[] = {100};
  assert_int_equal(cb_breaks(CB_BREAKS_JENKS, mp, ml, 1, 3, 3, g, &k, &e), -1);
  assert_non_null(strstr(e.msg, "value groups"));
  for (int j = 0; j < 4; j++) assert_true(g[j] == -7);
}

static void test_classify_breaks(void **st) {
  (void)st;
  /* the study's Q classes: < 1, 1–10, 10–40, > 40 */
  double ed[] = {-INFINITY, 1, 10, 40, INFINITY};
  double q[] = {0.5, 1, 5, 10, 39.9, 41, NAN}, cls[7];
  size_t counts[4], out;
  cb_classify_breaks(q, 7, ed, 5, 0, cls, counts, &out); /* left-closed */
  double want[] = {1, 2, 2, 3, 3, 4};
  for (int i = 0; i < 6; i++) assert_float_equal(cls[i], want[i], 0);
  assert_true(isnan(cls[6]));
  assert_int_equal(counts[0], 1);
  assert_int_equal(counts[1], 2);
  assert_int_equal(out, 0);
  cb_classify_breaks(q, 7, ed, 5, 1, cls, counts, &out); /* right-closed */
  assert_float_equal(cls[1], 1, 0);
  assert_float_equal(cls[3], 2, 0);
  double fin[] = {0, 1, 2};
  double x[] = {0, 2, -1, 3}, c2[4];
  cb_classify_breaks(x, 4, fin, 3, 1, c2, NULL, &out);
  assert_float_equal(c2[0], 1, 0);
  assert_float_equal(c2[1], 2, 0);
  assert_true(isnan(c2[2]) && isnan(c2[3]));
  assert_int_equal(out, 2);
  cb_classify_breaks(x, 2, fin, 3, 0, c2, NULL, NULL); /* left: max in last */
  assert_float_equal(c2[1], 2, 0);
}

static void test_jenks_large_is_grouped(void **st) {
  (void)st;
  setenv("CBAL_QUIET", "1", 1);
  cb_warnings_clear();
  enum { N = 3000 };
  static double v[N];
  for (int i = 0; i < N; i++) /* three clusters */
    v[i] = (i % 3) * 100 + 10 * urand();
  const double *parts[] = {v};
  size_t lens[] = {N}, k, kx;
  double ed[4], ex[4];
  assert_int_equal(cb_breaks(CB_BREAKS_JENKS, parts, lens, 1, 3, 200, ed, &k, NULL), 0);
  assert_int_equal(cb_warnings_count(), 1);
  assert_non_null(strstr(cb_warnings_get(0), "rank groups"));
  assert_int_equal(cb_breaks(CB_BREAKS_JENKS, parts, lens, 1, 3, 0, ex, &kx, NULL), 0);
  qsort(v, N, sizeof *v, cmpd);
  /* here group boundaries include the cluster gaps: same partition */
  assert_float_equal(ssd_by_edges(v, N, ed, k), ssd_by_edges(v, N, ex, kx), 1e-6);
  assert_true(ed[1] < 10 && ed[2] > 100 && ed[2] < 110);
  cb_warnings_clear();
}

static void round_case(const double *v, size_t n, double *ed, size_t ne,
                       const double *want, size_t want_moved) {
  size_t moved = 99;
  const double *parts[] = {v};
  size_t lens[] = {n};
  assert_int_equal(cb_breaks_round(ed, ne, parts, lens, 1, &moved, NULL), 0);
  for (size_t j = 0; j < ne; j++) {
    if (ed[j] != want[j]) fail_msg("edge %zu: %.17g, want %.17g", j, ed[j], want[j]);
    for (size_t i = 0; i < n && j > 0 && j + 1 < ne; i++)
      assert_true(v[i] != ed[j]); /* no value sits on an inner limit */
  }
  assert_int_equal(moved, want_moved);
}

/* Pretty limits: round numbers inside the gaps between values, so no value
 * changes class; a gap too narrow for a round number is where the limit
 * itself moves (and the values it passes are counted). */
static void test_round_breaks(void **st) {
  (void)st;
  double v1[] = {1, 2, 3, 50, 10, 11, 12, 51}, e1[] = {1, 3, 12, 51};
  round_case(v1, 8, e1, 4, (double[]){0, 5, 20, 55}, 0);
  double v2[] = {100, 800, 1516, 5195, 6000, 9000}, e2[] = {100, 1516, 9000};
  round_case(v2, 6, e2, 3, (double[]){0, 2000, 9000}, 0); /* not 1516 */
  double v3[] = {1.0, 1.516, 1.517, 2.0}, e3[] = {1, 1.516, 2};
  round_case(v3, 4, e3, 3, (double[]){1, 1.5, 2}, 1); /* 1.516 moves up */
  double v4[101], e4[] = {0, 50, 100};
  for (int i = 0; i <= 100; i++) v4[i] = i;
  round_case(v4, 101, e4, 3, (double[]){0, 50.5, 100}, 0); /* off the value 50 */
  double v5[] = {-3.7, -1.2, 0.4, 2.6}, e5[] = {-3.7, -1.2, 0.4, 2.6};
  round_case(v5, 4, e5, 4, (double[]){-4, -1, 1, 3}, 0);
  double v6[] = {0.5, 1.37, 1.41, 3}, e6[] = {-INFINITY, 1.37, INFINITY};
  round_case(v6, 4, e6, 3, (double[]){-INFINITY, 1.4, INFINITY}, 0);
  double v7[] = {0, 10}, e7[] = {0, 3, 4, 10}; /* both in one gap: exact */
  round_case(v7, 2, e7, 4, (double[]){0, 3, 4, 10}, 0);
  double v8[] = {0.0123, 0.031, 0.2, 0.87}, e8[] = {0.0123, 0.031, 0.87};
  round_case(v8, 4, e8, 3, (double[]){0, 0.1, 0.9}, 0);
  /* classes of the values under the rounded Jenks breaks stay as they were */
  enum { N = 500 };
  static double w[N], c0[N], c1[N];
  for (int i = 0; i < N; i++) w[i] = exp(6 * urand());
  const double *parts[] = {w};
  size_t lens[] = {N}, k, moved;
  double ed[6], ex[6];
  assert_int_equal(cb_breaks(CB_BREAKS_JENKS, parts, lens, 1, 5, 0, ex, &k, NULL), 0);
  memcpy(ed, ex, sizeof ed);
  assert_int_equal(cb_breaks_round(ed, k + 1, parts, lens, 1, &moved, NULL), 0);
  cb_classify_breaks(w, N, ex, k + 1, 1, c0, NULL, NULL);
  cb_classify_breaks(w, N, ed, k + 1, 0, c1, NULL, NULL); /* left-closed too */
  size_t differ = 0;
  for (int i = 0; i < N; i++) differ += c0[i] != c1[i];
  assert_int_equal(differ, moved);
  assert_true(moved < 5);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_jenks_matches_brute_force),
      cmocka_unit_test(test_jenks_brute_force_k4),
      cmocka_unit_test(test_jenks_obvious_groups),
      cmocka_unit_test(test_pooled_parts),
      cmocka_unit_test(test_quantile_and_equal),
      cmocka_unit_test(test_fewer_distinct_values),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_classify_breaks),
      cmocka_unit_test(test_jenks_large_is_grouped),
      cmocka_unit_test(test_round_breaks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
