/* Unit tests for line and bar chart layouts as numbers: ticks, plot
 * rectangles, keys, stacked and grouped bar geometry. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "bars.h"
#include "figure.h"
#include "line.h"

#define assert_near(a, b, tol) assert_true(fabs((double)(a) - (double)(b)) <= (tol))

static cbc_figure *fig_with(cbc_plot *p, cbc_rect *box) {
  cbc_figure_opts o;
  cbc_figure_defaults(&o);
  o.width_mm = 120, o.height_mm = 80;
  cb_err e;
  cbc_figure *f = cbc_figure_new(&o, &e);
  assert_non_null(f);
  assert_int_equal(cbc_figure_panel(f, 1, 1, 1, 1, NULL, &e), 0);
  assert_int_equal(cbc_figure_set_plot(f, 0, p, &e), 0);
  if (cbc_figure_layout(f, &e)) fail_msg("%s", e.msg);
  *box = cbc_figure_panel_box(f, 0);
  return f;
}

static int inside(cbc_rect a, cbc_rect b) {
  return a.x >= b.x - 1e-9 && a.y >= b.y - 1e-9 && a.x + a.w <= b.x + b.w + 1e-9 &&
         a.y + a.h <= b.y + b.h + 1e-9;
}

static void test_line_layout(void **state) {
  (void)state;
  double x[22], c[22], q[22];
  for (int i = 0; i < 22; i++) x[i] = 2000 + i, c[i] = 199 + 30 * i, q[i] = 1 + i / 6.0;
  cbc_series_spec s[2];
  memset(s, 0, sizeof s);
  s[0] = (cbc_series_spec){"Emissions", x, c, 22, 0, 0, {0, 0, 0, 0}, -1, 0};
  s[1] = (cbc_series_spec){"Q", x, q, 22, 1, 0, {0, 0, 0, 0}, -1, 1};
  cbc_line_spec ls;
  memset(&ls, 0, sizeof ls);
  ls.series = s, ls.nseries = 2, ls.legend = 1, ls.ylabel = "Mt", ls.y2label = "Q";
  cb_err e;
  cbc_line *l = cbc_line_new(&ls, &e);
  assert_non_null(l);
  cbc_rect box;
  cbc_figure *f = fig_with(cbc_line_plot(l), &box);
  const cbc_line_layout *L = cbc_line_layout_get(l);
  assert_true(inside(L->plot, box));
  assert_true(L->has_y2);
  assert_int_equal(L->x.n, 5); /* 2000 ... 2020 by 5, inside the data */
  assert_near(L->x.v[0], 2000, 0);
  assert_near(L->x.v[4], 2020, 0);
  assert_true(L->y.lo <= 199 && L->y.hi >= 829);
  assert_true(L->y2.lo <= 1 && L->y2.hi >= 4.5);
  /* data maps into the plot: first point at the left, inside */
  double px = cbc_lin_map(&L->mx, 2000), py = cbc_lin_map(&L->my, 199);
  assert_true(px > L->plot.x && px < L->plot.x + L->plot.w * 0.1);
  assert_true(py <= L->plot.y + L->plot.h && py >= L->plot.y);
  /* key above the plot, entries side by side without overlap */
  assert_int_equal(L->nkey, 2);
  assert_string_equal(L->key[1].label, "Q (right)");
  for (size_t i = 0; i < L->nkey; i++)
    assert_true(L->key[i].swatch.y + L->key[i].swatch.h <= L->plot.y);
  assert_true(L->key[1].swatch.x >= L->key[0].text.x + L->key[0].text.w ||
              L->key[1].swatch.y >= L->key[0].text.y + L->key[0].text.h);
  cbc_figure_free(f);
}

static void test_single_value_series(void **state) {
  (void)state;
  double x[3] = {1, 2, 3}, y[3] = {5, 5, 5};
  cbc_series_spec s = {"flat", x, y, 3, 0, 0, {0, 0, 0, 0}, 0, 0};
  cbc_line_spec ls;
  memset(&ls, 0, sizeof ls);
  ls.series = &s, ls.nseries = 1;
  cb_err e;
  cb_warnings_clear();
  cbc_line *l = cbc_line_new(&ls, &e);
  assert_non_null(l);
  assert_int_equal(cb_warnings_count(), 1);
  cbc_rect box;
  cbc_figure *f = fig_with(cbc_line_plot(l), &box);
  const cbc_line_layout *L = cbc_line_layout_get(l);
  assert_true(L->y.lo < 5 && L->y.hi > 5); /* drawn mid-height, not on an edge */
  cbc_figure_free(f);
}

static const char *cats[] = {"a", "b", "c"};

static cbc_bars *make_bars(const double v[][3], size_t ns, int stacked,
                           int horizontal, cbc_rect *box, cbc_figure **f) {
  cbc_bar_series s[4];
  memset(s, 0, sizeof s);
  for (size_t j = 0; j < ns; j++) s[j].v = v[j];
  cbc_bars_spec b;
  cbc_bars_spec_defaults(&b);
  b.categories = cats, b.ncat = 3, b.series = s, b.nseries = ns;
  b.stacked = stacked, b.horizontal = horizontal;
  cb_err e;
  cbc_bars *r = cbc_bars_new(&b, &e);
  assert_non_null(r);
  *f = fig_with(cbc_bars_plot(r), box);
  return r;
}

static void test_stacked_bars(void **state) {
  (void)state;
  const double v[3][3] = {{3, 1, 1}, {-1, 1, 1}, {2, 1, 1}};
  cbc_rect box;
  cbc_figure *f;
  cbc_bars *b = make_bars(v, 3, 1, 0, &box, &f);
  const cbc_bars_layout *L = cbc_bars_layout_get(b);
  assert_int_equal(L->nbars, 9);
  assert_true(L->vt.lo <= -1 && L->vt.hi >= 5);
  /* category a: 0..3, then -1..0 below, then 3..5 on top of the first */
  const cbc_bar_rect *r0 = &L->bars[0], *r1 = &L->bars[1], *r2 = &L->bars[2];
  double z = cbc_lin_map(&L->mv, 0), y3 = cbc_lin_map(&L->mv, 3),
         y5 = cbc_lin_map(&L->mv, 5), ym1 = cbc_lin_map(&L->mv, -1);
  assert_near(r0->r.y, y3, 1e-9);
  assert_near(r0->r.y + r0->r.h, z, 1e-9);
  assert_near(r1->r.y, z, 1e-9);
  assert_near(r1->r.y + r1->r.h, ym1, 1e-9);
  assert_near(r2->r.y, y5, 1e-9);
  assert_near(r2->r.y + r2->r.h, y3, 1e-9);
  assert_near(r0->r.x, r2->r.x, 0); /* one column */
  for (size_t i = 0; i < L->nbars; i++) assert_true(inside(L->bars[i].r, L->plot));
  /* stacks mixing signs get a marker at each net total, and a key entry */
  assert_true(L->has_net);
  assert_near(L->net[0], 4, 1e-12);
  assert_near(L->net[1], 3, 1e-12);
  assert_near(L->net_at[1][0], cbc_lin_map(&L->mv, 4), 1e-9);
  assert_near(L->net_at[0][0], r0->r.x + r0->r.w / 2, 1e-9);
  assert_int_equal(L->nkey, 4);
  assert_string_equal(L->key[3].label, "Net");
  assert_int_equal(L->key[3].box, 2);
  cbc_figure_free(f);
  const double pos[2][3] = {{1, 1, 1}, {2, 2, 2}}; /* no mixed signs: none */
  b = make_bars(pos, 2, 1, 0, &box, &f);
  assert_false(cbc_bars_layout_get(b)->has_net);
  cbc_figure_free(f);
}

/* Names at the ends of close lines: beyond the plot, apart, in order. */
static void test_direct_labels(void **state) {
  (void)state;
  double x[5] = {1, 2, 3, 4, 5}, y[4][5];
  cbc_series_spec s[4];
  memset(s, 0, sizeof s);
  const char *names[] = {"first", "second", "third", "fourth"};
  for (int k = 0; k < 4; k++) {
    for (int i = 0; i < 5; i++) y[k][i] = i + (k == 3 ? 3 : k * 0.02);
    s[k] = (cbc_series_spec){names[k], x, y[k], 5, 0, 0, {0, 0, 0, 0}, -1, 0};
  }
  y[1][4] = NAN; /* ends one point earlier */
  cbc_line_spec ls;
  memset(&ls, 0, sizeof ls);
  ls.series = s, ls.nseries = 4, ls.legend = 1, ls.direct_labels = 1;
  cb_err e;
  cbc_line *l = cbc_line_new(&ls, &e);
  assert_non_null(l);
  cbc_rect box;
  cbc_figure *f = fig_with(cbc_line_plot(l), &box);
  const cbc_line_layout *L = cbc_line_layout_get(l);
  assert_int_equal(L->nkey, 0);
  for (int k = 0; k < 4; k++) {
    const cbc_end_label *a = &L->ends[k];
    assert_true(a->on);
    assert_true(a->box.x > L->plot.x + L->plot.w);
    assert_true(a->box.x + a->box.w <= box.x + box.w + 1e-9);
    for (int j = 0; j < k; j++) {
      const cbc_rect *q = &L->ends[j].box;
      assert_false(a->box.y < q->y + q->h - 1e-9 && q->y < a->box.y + a->box.h - 1e-9);
    }
  }
  assert_near(L->ends[1].x_end, cbc_lin_map(&L->mx, 4), 1e-9);
  /* the lone high line keeps its label at its own height */
  assert_near(L->ends[3].box.y + L->ends[3].box.h / 2, L->ends[3].y_end, 1e-9);
  /* the close ones stack in the order of their lines */
  assert_true(L->ends[2].box.y < L->ends[0].box.y);
  cbc_figure_free(f);
}

static void test_grouped_and_horizontal_bars(void **state) {
  (void)state;
  const double v[2][3] = {{1, 2, 3}, {3, 2, NAN}};
  cbc_rect box;
  cbc_figure *f;
  cbc_bars *b = make_bars(v, 2, 0, 0, &box, &f);
  const cbc_bars_layout *L = cbc_bars_layout_get(b);
  assert_int_equal(L->nbars, 5); /* NaN: no bar */
  /* side by side in the band, equal widths, in category order */
  assert_near(L->bars[0].r.w, L->bars[1].r.w, 1e-9);
  assert_near(L->bars[0].r.x + L->bars[0].r.w, L->bars[1].r.x, 1e-9);
  assert_near(L->band, L->plot.w / 3, 1e-9);
  assert_true(L->bars[2].r.x >= L->plot.x + L->band);
  assert_int_equal(L->label_every, 1);
  cbc_figure_free(f);
  b = make_bars(v, 1, 0, 1, &box, &f);
  L = cbc_bars_layout_get(b);
  assert_near(L->band, L->plot.h / 3, 1e-9);
  /* horizontal: length along x from the zero line, first category on top */
  double z = cbc_lin_map(&L->mv, 0);
  assert_near(L->bars[0].r.x, z, 1e-9);
  assert_near(L->bars[2].r.x + L->bars[2].r.w, cbc_lin_map(&L->mv, 3), 1e-9);
  assert_true(L->bars[0].r.y < L->bars[1].r.y);
  assert_int_equal(L->nkey, 0); /* one series: no key */
  cbc_figure_free(f);
}

static void test_bars_bad_input(void **state) {
  (void)state;
  double nan3[3] = {NAN, NAN, NAN};
  cbc_bar_series s = {"x", nan3, 0, {0, 0, 0, 0}};
  cbc_bars_spec b;
  cbc_bars_spec_defaults(&b);
  b.categories = cats, b.ncat = 3, b.series = &s, b.nseries = 1;
  cb_err e;
  assert_null(cbc_bars_new(&b, &e));
  assert_non_null(strstr(e.msg, "all 3 values are missing"));
  b.nseries = 0;
  assert_null(cbc_bars_new(&b, &e));
  b.nseries = 1, b.palette = "Nope";
  nan3[0] = 1;
  assert_null(cbc_bars_new(&b, &e));
  assert_non_null(strstr(e.msg, "unknown palette"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_line_layout),
      cmocka_unit_test(test_single_value_series),
      cmocka_unit_test(test_stacked_bars),
      cmocka_unit_test(test_grouped_and_horizontal_bars),
      cmocka_unit_test(test_bars_bad_input),
      cmocka_unit_test(test_direct_labels),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
