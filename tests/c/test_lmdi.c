/* Unit tests for LMDI-I: the published LMDIR vector (additive,
 * multiplicative, chained, zero case), zero residual on random data, sign
 * changes, and the stable logarithmic mean. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/lmdi.h"

/* The LMDIR / Heun & Brockway (2019) vector: 2 items, 3 factors, states
 * 1971..1974 as x[year][factor][item] (rows of METHOD.md transposed). */
static double X[4][3][2] = {
    {{1, 4}, {10, 5}, {2, 3}},
    {{4, 5}, {5, 6}, {3, 4}},
    {{8, 5}, {2, 7}, {4, 5}},
    {{10, 6}, {1, 8}, {5, 6}},
};
static const double ADD[3][3] = {
    {69.79006598, -9.455125793, 39.66505981},
    {42.96021467, -34.31902656, 50.3588119},
    {54.01064234, -9.021284671, 54.01064234},
};

/* Output buffers for up to 3 factors x 64 items. */
typedef struct {
  double effect[8], item[8][64], ilog[8][64];
  double *ip[8], *lp[8];
  unsigned char undef[64];
  cb_lmdi_out o;
} bufs;

static cb_lmdi_out *outs(bufs *b) {
  memset(b, 0, sizeof *b);
  for (int k = 0; k < 8; k++) b->ip[k] = b->item[k], b->lp[k] = b->ilog[k];
  b->o.effect = b->effect;
  b->o.item = b->ip;
  b->o.item_log = b->lp;
  b->o.undefined = b->undef;
  return &b->o;
}

static void state(int year, const double *p[3]) {
  for (int k = 0; k < 3; k++) p[k] = X[year][k];
}

static void test_published_additive(void **st) {
  (void)st;
  for (int y = 0; y < 3; y++) {
    const double *a[3], *b[3];
    state(y, a);
    state(y + 1, b);
    bufs B;
    cb_lmdi_out *o = outs(&B);
    assert_int_equal(cb_lmdi(a, b, 3, 2, CB_LMDI_ADDITIVE, o, NULL), 0);
    for (int k = 0; k < 3; k++) assert_float_equal(o->effect[k], ADD[y][k], 1e-7);
    double sum = o->effect[0] + o->effect[1] + o->effect[2];
    assert_float_equal(sum, o->change, 1e-12 * fabs(o->change));
    assert_int_equal(o->nundefined, 0);
  }
}

static void test_published_multiplicative(void **st) {
  (void)st;
  const double *a[3], *b[3];
  state(0, a);
  state(1, b);
  bufs B;
  cb_lmdi_out *o = outs(&B);
  assert_int_equal(cb_lmdi(a, b, 3, 2, CB_LMDI_MULTIPLICATIVE, o, NULL), 0);
  assert_float_equal(o->effect[0], 1.761117821, 1e-9);
  assert_float_equal(o->effect[1], 0.926191306, 1e-9);
  assert_float_equal(o->effect[2], 1.379410116, 1e-9);
  assert_float_equal(o->change, 180.0 / 80.0, 1e-15);
  assert_float_equal(o->effect[0] * o->effect[1] * o->effect[2], 2.25, 1e-14);
  /* per-item log shares add up to ln D_k */
  for (int k = 0; k < 3; k++)
    assert_float_equal(B.ilog[k][0] + B.ilog[k][1], log(o->effect[k]), 1e-14);
  /* an item's own multiplicative effect is its factor ratio */
  assert_float_equal(B.item[0][0], 4.0, 1e-14);
  assert_float_equal(B.item[1][1], 6.0 / 5.0, 1e-14);
}

static void test_chain(void **st) {
  (void)st;
  const double *p[4][3];
  for (int y = 0; y < 4; y++) state(y, p[y]);
  const double *const *states[4] = {p[0], p[1], p[2], p[3]};
  bufs B;
  cb_lmdi_out *o = outs(&B);
  assert_int_equal(cb_lmdi_chain(states, 4, 3, 2, CB_LMDI_ADDITIVE, o, NULL, NULL), 0);
  for (int k = 0; k < 3; k++)
    assert_float_equal(o->effect[k], ADD[0][k] + ADD[1][k] + ADD[2][k], 3e-7);
  assert_float_equal(o->change, 338.0 - 80.0, 1e-12);
  assert_float_equal(o->v0, 80, 0);
  assert_float_equal(o->v1, 338, 0);
  o = outs(&B);
  assert_int_equal(
      cb_lmdi_chain(states, 4, 3, 2, CB_LMDI_MULTIPLICATIVE, o, NULL, NULL), 0);
  assert_float_equal(o->effect[0] * o->effect[1] * o->effect[2], 338.0 / 80.0,
                     1e-13);
  /* periodwise multiplicative differs from chained: both are exact */
  const double *a[3], *b[3];
  state(0, a);
  state(3, b);
  bufs C;
  cb_lmdi_out *q = outs(&C);
  cb_lmdi(a, b, 3, 2, CB_LMDI_MULTIPLICATIVE, q, NULL);
  assert_float_equal(q->effect[0] * q->effect[1] * q->effect[2], 338.0 / 80.0,
                     1e-13);
  assert_true(fabs(q->effect[0] - o->effect[0]) > 1e-6);
  cb_err e;
  assert_int_equal(cb_lmdi_chain(states, 1, 3, 2, CB_LMDI_ADDITIVE, o, NULL, &e), -1);
  assert_non_null(strstr(e.msg, "at least 2 states"));
}

static void test_zero_case(void **st) {
  (void)st;
  double z0[3][2], z1[3][2];
  memcpy(z0, X[0], sizeof z0);
  memcpy(z1, X[1], sizeof z1);
  z0[0][0] = 0; /* x_11(1971) = 0: item 1 appears */
  const double *a[3] = {z0[0], z0[1], z0[2]}, *b[3] = {z1[0], z1[1], z1[2]};
  bufs B;
  cb_lmdi_out *o = outs(&B);
  assert_int_equal(cb_lmdi(a, b, 3, 2, CB_LMDI_ADDITIVE, o, NULL), 0);
  assert_float_equal(B.item[0][0], 60, 1e-12);
  assert_float_equal(B.item[1][0], 0, 0);
  assert_float_equal(B.item[2][0], 0, 0);
  assert_int_equal(o->nundefined, 0);
  assert_float_equal(o->effect[0] + o->effect[1] + o->effect[2], o->change,
                     1e-12);
  assert_float_equal(o->change, 180 - 60, 1e-12);
  /* the reverse: item 1 disappears, −V_i0 to the factor that became 0 */
  o = outs(&B);
  assert_int_equal(cb_lmdi(b, a, 3, 2, CB_LMDI_ADDITIVE, o, NULL), 0);
  assert_float_equal(B.item[0][0], -60, 1e-12);
  assert_float_equal(B.item[1][0], 0, 0);
  /* two factors zero at the start: V_iT split equally */
  z0[1][0] = 0;
  o = outs(&B);
  assert_int_equal(cb_lmdi(a, b, 3, 2, CB_LMDI_ADDITIVE, o, NULL), 0);
  assert_float_equal(B.item[0][0], 30, 1e-12);
  assert_float_equal(B.item[1][0], 30, 1e-12);
  assert_float_equal(B.item[2][0], 0, 0);
  /* zero at both ends: no change, no effect */
  z1[2][0] = 0;
  o = outs(&B);
  assert_int_equal(cb_lmdi(a, b, 3, 2, CB_LMDI_ADDITIVE, o, NULL), 0);
  for (int k = 0; k < 3; k++) assert_float_equal(B.item[k][0], 0, 0);
}

static uint64_t rng = 88172645463325252ull;
static double urand(void) {
  rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
  return (double)(rng >> 11) / 9007199254740992.0;
}

static void test_zero_residual_random(void **st) {
  (void)st;
  enum { NF = 4, N = 50 };
  static double a[NF][N], b[NF][N];
  for (int trial = 0; trial < 200; trial++) {
    const double *pa[NF], *pb[NF];
    for (int k = 0; k < NF; k++) {
      for (int i = 0; i < N; i++) {
        a[k][i] = exp(8 * urand() - 4); /* e^-4 .. e^4 */
        b[k][i] = a[k][i] * exp(2 * urand() - 1);
        if (trial % 3 == 0 && i == 0) b[k][i] = a[k][i]; /* L(a,a) path */
      }
      pa[k] = a[k], pb[k] = b[k];
    }
    bufs B;
    cb_lmdi_out *o = outs(&B);
    cb_lmdi(pa, pb, NF, N, CB_LMDI_ADDITIVE, o, NULL);
    double s = 0;
    for (int k = 0; k < NF; k++) s += o->effect[k];
    assert_true(fabs(s - o->change) <= 1e-12 * fmax(fabs(o->change), o->v0));
    for (int i = 0; i < N; i++) { /* per item too */
      double vi0 = 1, vi1 = 1, si = 0;
      for (int k = 0; k < NF; k++) vi0 *= a[k][i], vi1 *= b[k][i], si += B.item[k][i];
      assert_true(fabs(si - (vi1 - vi0)) <= 1e-12 * fmax(vi0, vi1));
    }
    o = outs(&B);
    cb_lmdi(pa, pb, NF, N, CB_LMDI_MULTIPLICATIVE, o, NULL);
    double p = 1;
    for (int k = 0; k < NF; k++) p *= o->effect[k];
    assert_true(fabs(p / (o->v1 / o->v0) - 1) <= 1e-12);
  }
}

static void test_sign_change_undefined(void **st) {
  (void)st;
  double a0[] = {1, 2, 3}, a1[] = {2, -2, 4}; /* item 2 changes sign */
  double b0[] = {5, 5, 5}, b1[] = {6, 6, 4};
  const double *x0[] = {a0, b0}, *x1[] = {a1, b1};
  bufs B;
  cb_lmdi_out *o = outs(&B);
  assert_int_equal(cb_lmdi(x0, x1, 2, 3, CB_LMDI_ADDITIVE, o, NULL), 0);
  assert_int_equal(o->nundefined, 1);
  assert_int_equal(B.undef[1], 1);
  assert_int_equal(B.undef[0], 0);
  assert_true(isnan(B.item[0][1]) && isnan(B.item[1][1]));
  assert_float_equal(o->unexplained, -12.0 - 10.0, 1e-12);
  assert_float_equal(o->effect[0] + o->effect[1] + o->unexplained, o->change,
                     1e-12);
  /* multiplicative: the undefined item has no log share; the others' add up
   * with the unexplained part to ln D */
  o = outs(&B);
  assert_int_equal(cb_lmdi(x0, x1, 2, 3, CB_LMDI_MULTIPLICATIVE, o, NULL), 0);
  double lsum = 0;
  for (int k = 0; k < 2; k++) {
    assert_true(isnan(B.ilog[k][1]));
    lsum += B.ilog[k][0] + B.ilog[k][2];
  }
  assert_float_equal(lsum + log(o->unexplained), log(o->change), 1e-12);
  /* a missing value is undefined too, and kept out of V */
  a0[2] = NAN;
  o = outs(&B);
  cb_lmdi(x0, x1, 2, 3, CB_LMDI_ADDITIVE, o, NULL);
  assert_int_equal(o->nundefined, 2);
  assert_float_equal(o->v0, 5 + 10, 0);
  /* negative on both ends is fine */
  double c0[] = {-2}, c1[] = {-3}, d0[] = {4}, d1[] = {5};
  const double *y0[] = {c0, d0}, *y1[] = {c1, d1};
  o = outs(&B);
  cb_lmdi(y0, y1, 2, 1, CB_LMDI_ADDITIVE, o, NULL);
  assert_int_equal(o->nundefined, 0);
  assert_float_equal(o->effect[0] + o->effect[1], -15 - -8, 1e-12);
  assert_true(o->effect[0] < 0 && o->effect[1] < 0);
}

static void test_logmean(void **st) {
  (void)st;
  assert_float_equal(cb_logmean(3, 3), 3, 0);
  assert_float_equal(cb_logmean(3, 0), 0, 0);
  assert_float_equal(cb_logmean(0, 3), 0, 0);
  assert_float_equal(cb_logmean(1, M_E), (M_E - 1), 1e-15);
  assert_float_equal(cb_logmean(-1, -M_E), -(M_E - 1), 1e-15);
  assert_true(isnan(cb_logmean(-1, 2)));
  assert_true(isnan(cb_logmean(NAN, 2)));
  /* near a = b: L(1, 1+h) = 1 + h/2 − h²/12 + ...; the naive formula has
   * relative error ~1e-7 at h = 1e-9, the stable one ~1e-16 */
  for (double h0 = 1e-4; h0 > 1e-15; h0 /= 10) {
    double h = (1 + h0) - 1; /* the step doubles actually represent */
    double want = 1 + h / 2 - h * h / 12 + h * h * h / 24;
    assert_true(fabs(cb_logmean(1, 1 + h) - want) <= 4.5e-16);
    assert_float_equal(cb_logmean(1 + h, 1), cb_logmean(1, 1 + h), 4.5e-16);
  }
  /* bounds: geometric <= L <= arithmetic */
  double L = cb_logmean(1e-5, 1e5);
  assert_true(L > 1 && L < 5e4);
}

static void test_bad_sizes(void **st) {
  (void)st;
  bufs B;
  cb_err e;
  assert_int_equal(cb_lmdi(NULL, NULL, 0, 2, CB_LMDI_ADDITIVE, outs(&B), &e), -1);
  assert_non_null(strstr(e.msg, "no factors"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_published_additive),
      cmocka_unit_test(test_published_multiplicative),
      cmocka_unit_test(test_chain),
      cmocka_unit_test(test_zero_case),
      cmocka_unit_test(test_zero_residual_random),
      cmocka_unit_test(test_sign_change_undefined),
      cmocka_unit_test(test_logmean),
      cmocka_unit_test(test_bad_sizes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
