/* Unit tests for the spatial kernels: contiguity on hand-made squares (snap
 * at its boundary, a ring's closing vertex counted once), triplets, the
 * weight constants, knn ties, permutation results independent of the
 * thread count, and hand-computed Theil, Gini, ellipse and Tapio cases. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/spatial.h"
#include "core/spatial_describe.h"
#include "core/spatial_stats.h"

/* A polyset of n axis-aligned squares of side s at (x[i], y[i]). */
static cb_polyset *squares(size_t n, const double *x, const double *y, double s) {
  cb_polyset *ps = calloc(1, sizeof *ps);
  ps->n = n;
  ps->polys = calloc(n, sizeof *ps->polys);
  for (size_t i = 0; i < n; i++) {
    cb_ring *r = calloc(1, sizeof *r);
    double c[] = {x[i], y[i], x[i] + s, y[i], x[i] + s, y[i] + s, x[i], y[i] + s,
                  x[i], y[i]};
    r->xy = malloc(sizeof c);
    memcpy(r->xy, c, sizeof c);
    r->n = 5;
    ps->polys[i].rings = r;
    ps->polys[i].nrings = 1;
  }
  return ps;
}

static cb_polyset *grid3(void) {
  double x[9], y[9];
  for (int k = 0; k < 9; k++) {
    x[k] = (k % 3) * 10.0;
    y[k] = (k / 3) * 10.0;
  }
  return squares(9, x, y, 10);
}

static void test_grid_queen_rook(void **st) {
  (void)st;
  cb_polyset *ps = grid3();
  cb_err e;
  cb_weights *q = cb_weights_contiguity(ps, 0, CB_CONTIG_QUEEN, 0, &e);
  cb_weights *r = cb_weights_contiguity(ps, 0, CB_CONTIG_ROOK, 0, &e);
  int qc[] = {3, 5, 3, 5, 8, 5, 3, 5, 3}, rc[] = {2, 3, 2, 3, 4, 3, 2, 3, 2};
  for (size_t i = 0; i < 9; i++) {
    assert_int_equal(cb_weights_card(q, i), qc[i]);
    assert_int_equal(cb_weights_card(r, i), rc[i]);
  }
  /* the corner square 0 (rook) touches 1 and 3, ascending */
  assert_int_equal(r->nb[r->off[0]], 1);
  assert_int_equal(r->nb[r->off[0] + 1], 3);
  cb_weights_free(q);
  cb_weights_free(r);
  cb_polyset_free(ps);
}

static void test_snap_boundary(void **st) {
  (void)st;
  double x[] = {0, 10.5}, y[] = {0, 0};
  cb_polyset *ps = squares(2, x, y, 10); /* a gap of 0.5 */
  cb_err e;
  cb_weights *a = cb_weights_contiguity(ps, 0.49, CB_CONTIG_QUEEN, 0, &e);
  cb_weights *b = cb_weights_contiguity(ps, 0.5, CB_CONTIG_QUEEN, 0, &e);
  assert_int_equal(cb_weights_nnz(a), 0);
  assert_int_equal(cb_weights_nnz(b), 2); /* within snap means <= */
  cb_weights_free(a);
  cb_weights_free(b);
  cb_polyset_free(ps);
}

static void test_corner_touch_is_not_rook(void **st) {
  (void)st;
  /* square 1's ring starts (and closes) at the shared corner (10, 10) */
  double x[] = {0, 10}, y[] = {0, 10};
  cb_polyset *ps = squares(2, x, y, 10);
  cb_err e;
  cb_weights *q = cb_weights_contiguity(ps, 0, CB_CONTIG_QUEEN, 0, &e);
  cb_weights *r = cb_weights_contiguity(ps, 0, CB_CONTIG_ROOK, 0, &e);
  assert_int_equal(cb_weights_nnz(q), 2);
  assert_int_equal(cb_weights_nnz(r), 0);
  cb_weights_free(q);
  cb_weights_free(r);
  cb_polyset_free(ps);
}

static void test_triplets(void **st) {
  (void)st;
  cb_err e;
  int32_t i[] = {0, 1, 1, 2}, j[] = {1, 2, 0, 1};
  double w[] = {1, 2, 3, 4};
  cb_weights *m = cb_weights_from_triplets(3, 4, i, j, w, &e);
  assert_non_null(m);
  /* row 1 sorted: (0, 3), (2, 2) */
  assert_int_equal(m->nb[m->off[1]], 0);
  assert_float_equal(m->w[m->off[1]], 3, 0);
  assert_float_equal(cb_weights_get(m, 1, 2), 2, 0);
  assert_float_equal(cb_weights_get(m, 0, 2), 0, 0);
  double s0, s1, s2;
  assert_int_equal(cb_weights_constants(m, &s0, &s1, &s2, &e), 0);
  assert_float_equal(s0, 10, 1e-15);
  /* S1 = 1/2 sum (w_ij + w_ji)^2 = 1/2 * 2 * ((1+3)^2 + (2+4)^2) */
  assert_float_equal(s1, 52, 1e-13);
  /* row sums 1, 5, 4; column sums 3, 5, 2 */
  assert_float_equal(s2, 16 + 100 + 36, 1e-13);
  cb_weights_style(m, 'W');
  assert_float_equal(cb_weights_get(m, 1, 0), 0.6, 1e-15);
  cb_weights_free(m);
  int32_t si[] = {0}, sj[] = {0}, di[] = {0, 0}, dj[] = {1, 1}, oi[] = {0}, oj[] = {3};
  assert_null(cb_weights_from_triplets(3, 1, si, sj, NULL, &e));
  assert_non_null(strstr(e.msg, "its own neighbour"));
  assert_null(cb_weights_from_triplets(3, 2, di, dj, NULL, &e));
  assert_non_null(strstr(e.msg, "paired twice"));
  assert_null(cb_weights_from_triplets(3, 1, oi, oj, NULL, &e));
  assert_non_null(strstr(e.msg, "unit 4 of 3"));
}

static void test_knn(void **st) {
  (void)st;
  /* points on a line at 0, 1, 2, 4: the middle point 1 has 0 and 2 at
   * distance 1, a tie broken by the lower index */
  double x[] = {0, 1, 2, 4}, y[] = {0, 0, 0, 0};
  cb_err e;
  cb_weights *w = cb_weights_knn(x, y, 4, 1, CB_DIST_PLANAR, &e);
  assert_int_equal(w->nb[w->off[1]], 0);
  assert_int_equal(w->nb[w->off[3]], 2);
  cb_weights_free(w);
  assert_null(cb_weights_knn(x, y, 4, 4, CB_DIST_PLANAR, &e));
  assert_non_null(strstr(e.msg, "k < the number of units (4)"));
  /* geodesic neighbours on the equator: 1 degree of longitude is
   * 111319.49 m; the band includes it, one metre less does not */
  double lon[] = {0, 1, 3}, lat[] = {0, 0, 0};
  cb_weights *g = cb_weights_band(lon, lat, 3, 111320, CB_DIST_GEODESIC, &e);
  cb_weights *h = cb_weights_band(lon, lat, 3, 111319, CB_DIST_GEODESIC, &e);
  assert_int_equal(cb_weights_nnz(g), 2);
  assert_int_equal(cb_weights_nnz(h), 0);
  cb_weights *k = cb_weights_knn(lon, lat, 3, 1, CB_DIST_GEODESIC, &e);
  assert_int_equal(k->nb[k->off[2]], 1);
  assert_float_equal(cb_dist(CB_DIST_GEODESIC, 0, 0, 1, 0), 111319.49079327357, 1e-6);
  cb_weights_free(g);
  cb_weights_free(h);
  cb_weights_free(k);
}

/* Permutation results are the same for 1 and 3 threads, and for a seed. */
static void test_threads_identical(void **st) {
  (void)st;
  cb_polyset *ps = grid3();
  cb_err e;
  cb_weights *w = cb_weights_contiguity(ps, 0, CB_CONTIG_QUEEN, 0, &e);
  cb_weights_style(w, 'W');
  double x[18];
  for (int i = 0; i < 18; i++) x[i] = sin(i * 1.7) + (i % 3);
  cb_global g1[2], g3[2];
  cb_perm p1 = {199, 42, 1}, p3 = {199, 42, 3}, p4 = {199, 43, 3};
  assert_int_equal(cb_moran_global(w, x, 2, &p1, g1, &e), 0);
  assert_int_equal(cb_moran_global(w, x, 2, &p3, g3, &e), 0);
  assert_memory_equal(g1, g3, sizeof g1);
  assert_int_equal(cb_geary_global(w, x, 2, &p4, g3, &e), 0);
  assert_true(g3[0].p_sim > 0 && g3[0].p_sim <= 1);
  double I1[18], P1[18], I3[18], P3[18];
  cb_local o1 = {I1, NULL, NULL, NULL, NULL, P1, NULL, NULL};
  cb_local o3 = {I3, NULL, NULL, NULL, NULL, P3, NULL, NULL};
  assert_int_equal(cb_moran_local(w, x, 2, CB_MOMENTS_CONDITIONAL, CB_ALT_TWO_SIDED,
                                  &p1, &o1, &e), 0);
  assert_int_equal(cb_moran_local(w, x, 2, CB_MOMENTS_CONDITIONAL, CB_ALT_TWO_SIDED,
                                  &p3, &o3, &e), 0);
  assert_memory_equal(P1, P3, sizeof P1);
  assert_memory_equal(I1, I3, sizeof I1);
  for (int i = 0; i < 18; i++) assert_true(P1[i] >= 1.0 / 200 && P1[i] <= 0.5 + 1e-12);
  cb_weights_free(w);
  cb_polyset_free(ps);
}

static void test_theil_hand(void **st) {
  (void)st;
  /* y = 1, 2, 3, 0 in groups A A B B, equal weights */
  double y[] = {1, 2, 3, 0};
  int32_t g[] = {0, 0, 1, 1};
  cb_theil_out t;
  cb_theil_group gr[2];
  cb_err e;
  assert_int_equal(cb_theil(y, NULL, g, 2, 4, &t, gr, &e), 0);
  double T = log(4.0 / 6) / 6 + log(4.0 / 3) / 3 + log(2.0) / 2;
  assert_float_equal(t.T, T, 1e-15);
  assert_true(isinf(t.L)); /* a zero makes L infinite */
  assert_float_equal(t.T_between, 0, 1e-15); /* both groups hold half */
  double TA = log(2.0 / 3) / 3 + 2 * log(4.0 / 3) / 3, TB = log(2.0);
  assert_float_equal(gr[0].T, TA, 1e-15);
  assert_float_equal(gr[1].T, TB, 1e-15);
  assert_float_equal(t.T_within, (TA + TB) / 2, 1e-15);
  assert_float_equal(t.T_between + t.T_within, t.T, 1e-15);
  /* one county per group: everything is between */
  double y3[] = {1, 2, 3};
  int32_t g3[] = {0, 1, 2};
  assert_int_equal(cb_theil(y3, NULL, g3, 3, 3, &t, NULL, &e), 0);
  assert_float_equal(t.T_within, 0, 0);
  assert_float_equal(t.T_between, t.T, 1e-15);
  assert_float_equal(t.L_between, t.L, 1e-15);
  double L = (log(6.0 / 3) + log(6.0 / 6) + log(6.0 / 9)) / 3;
  assert_float_equal(t.L, L, 1e-15);
  /* population weights: shares 1/2, 1/2 of y on 1/4, 3/4 of people */
  double yp[] = {1, 1}, pw[] = {1, 3};
  assert_int_equal(cb_theil(yp, pw, NULL, 0, 2, &t, NULL, &e), 0);
  assert_float_equal(t.T, 0.5 * log(2) + 0.5 * log(2.0 / 3), 1e-15);
  assert_float_equal(t.L, 0.25 * log(0.5) + 0.75 * log(1.5), 1e-15);
  double bad[] = {1, -1};
  assert_int_equal(cb_theil(bad, NULL, NULL, 0, 2, &t, NULL, &e), -1);
  assert_non_null(strstr(e.msg, "value 2 is -1"));
}

static void test_gini_hand(void **st) {
  (void)st;
  double g, a[] = {4, 1, 3, 2}, z[] = {0, 1, 0, 0}, y[] = {1, 2}, w[] = {3, 1};
  cb_err e;
  cb_gini(a, NULL, 4, &g, &e);
  assert_float_equal(g, 0.25, 1e-15); /* sum |yi - yj| = 20 over 2 n^2 mean = 80 */
  cb_gini(z, NULL, 4, &g, &e);
  assert_float_equal(g, 0.75, 1e-15);
  /* totals 1 and 2 of 3 and 1 people: per person 1/3 and 2, population
   * shares 3/4 and 1/4, mean 3/4: 2 (3/4)(1/4)(5/3) / (2 * 3/4) = 5/12 */
  cb_gini(y, w, 2, &g, &e);
  assert_float_equal(g, 5.0 / 12, 1e-15);
  double zero[] = {0, 0};
  assert_int_equal(cb_gini(zero, NULL, 2, &g, &e), -1);
}

static void test_ellipse_hand(void **st) {
  (void)st;
  /* a cross: +-2 along the direction 45 degrees east of north, +-1 across */
  double s = sqrt(0.5);
  double x[] = {2 * s, -2 * s, s, -s, 100}, y[] = {2 * s, -2 * s, -s, s, 100};
  double v[] = {1, 1, 1, 1, 0}; /* the far point weighs nothing */
  cb_ellipse el;
  cb_err e;
  assert_int_equal(cb_centre(x, y, v, 5, 0, &el, &e), 0);
  assert_float_equal(el.x, 0, 1e-15);
  assert_float_equal(el.major, sqrt(2.0), 1e-14); /* sqrt((4 + 4) / 4) */
  assert_float_equal(el.minor, sqrt(0.5), 1e-14);
  assert_float_equal(el.rotation, 45, 1e-12);
  assert_int_equal(cb_centre(x, y, v, 5, 1, &el, &e), 0);
  assert_float_equal(el.major, 2, 1e-14); /* ArcGIS's sqrt(2) */
  assert_float_equal(el.minor, 1, 1e-14);
  double ring[2 * 9];
  cb_ellipse_ring(&el, 8, ring);
  assert_float_equal(ring[0], 2 * s, 1e-14); /* starts on the major axis */
  assert_float_equal(ring[16], ring[0], 0);  /* closed */
  /* an east-west spread rotates 90 degrees; weights move the centre */
  double ex[] = {-3, 3, 1}, ey[] = {0, 0, 0}, ev[] = {1, 1, 2};
  cb_centre(ex, ey, ev, 3, 0, &el, &e);
  assert_float_equal(el.x, 0.5, 1e-15);
  assert_float_equal(el.rotation, 90, 1e-12);
  double neg[] = {1, -1, 1};
  assert_int_equal(cb_centre(ex, ey, neg, 3, 0, &el, &e), -1);
}

static void test_tapio_states(void **st) {
  (void)st;
  double c0[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 0};
  double c1[] = {0.95, 1.05, 1.1, 1.2, 1.05, 0.95, 0.9, 0.8, 1.1, 1};
  double g0[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  double g1[] = {1.1, 1.1, 1.1, 1.1, 0.9, 0.9, 0.9, 0.9, 1, 1.1};
  double e[10];
  unsigned char s[10];
  assert_int_equal(cb_tapio(c0, c1, g0, g1, 10, e, s), 2);
  unsigned char want[] = {1, 2, 3, 4, 5, 6, 7, 8, 0, 0};
  assert_memory_equal(s, want, 10);
  assert_float_equal(e[0], -0.5, 1e-12);
  assert_float_equal(e[2], 1, 1e-12);
  assert_float_equal(e[7], 2, 1e-12);
  assert_true(isnan(e[8]) && isnan(e[9]));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_grid_queen_rook),
      cmocka_unit_test(test_snap_boundary),
      cmocka_unit_test(test_corner_touch_is_not_rook),
      cmocka_unit_test(test_triplets),
      cmocka_unit_test(test_knn),
      cmocka_unit_test(test_threads_identical),
      cmocka_unit_test(test_theil_hand),
      cmocka_unit_test(test_gini_hand),
      cmocka_unit_test(test_ellipse_hand),
      cmocka_unit_test(test_tapio_states),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
