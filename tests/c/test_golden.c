/* Golden images: small text-free figures (maps, line and bar charts)
 * rendered and compared by RMS with tests/golden/<name>.png. On a mismatch
 * the actual image and an amplified difference go to tests/golden/actual/.
 * CBAL_GOLDEN_UPDATE=1 (make golden-update) rewrites the references. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "bars.h"
#include "chart_fixture.h"
#include "golden.h"
#include "figure.h"
#include "line.h"
#include "map.h"
#include "scatter.h"

static cbc_figure *new_fig(double w, double h) {
  cbc_figure_opts o;
  cbc_figure_defaults(&o);
  o.width_mm = w, o.height_mm = h, o.dpi = 100, o.draw_text = 0;
  cb_err e;
  cbc_figure *f = cbc_figure_new(&o, &e);
  assert_non_null(f);
  return f;
}

static void add(cbc_figure *f, int row, int col, cbc_plot *p) {
  cb_err e;
  int i = cbc_figure_panel(f, row, col, 1, 1, NULL, &e);
  assert_true(i >= 0);
  assert_int_equal(cbc_figure_set_plot(f, i, p, &e), 0);
}

static void test_map_classes(void **state) {
  (void)state;
  cb_polyset *ps = fx_grid(8, 7, 0, 0, 10000, 10000, 7);
  cb_polyset *cities = fx_grid(2, 2, 0, 0, 40000, 35000, 1);
  double *v = fx_values(ps->n, 3);
  v[4] = NAN;
  double edges[] = {-INFINITY, 2, 5, 20, INFINITY};
  cbc_map_spec s;
  cbc_map_spec_defaults(&s);
  s.polys = ps, s.values = v, s.nvalues = ps->n, s.breaks = edges, s.nbreaks = 5;
  s.palette = "YlOrRd", s.north_arrow = 1, s.scale_bar = 1, s.geographic = 0;
  s.overlay = cities;
  cb_err e;
  cbc_map *m = cbc_map_new(&s, &e);
  assert_non_null(m);
  cbc_figure *f = new_fig(90, 60);
  add(f, 1, 1, cbc_map_plot(m));
  check_golden(f, "map_classes");
  cb_polyset_free(ps);
  cb_polyset_free(cities);
  free(v);
}

static void test_map_continuous_centered(void **state) {
  (void)state;
  cb_polyset *ps = fx_grid(7, 9, 116.5, 31, 0.4, 0.35, 11);
  double *v = fx_values(ps->n, 5);
  for (size_t i = 0; i < ps->n; i++) v[i] = log(v[i]) - 1.5;
  cbc_map_spec s;
  cbc_map_spec_defaults(&s);
  s.polys = ps, s.values = v, s.nvalues = ps->n, s.continuous = 1;
  s.centered = 1, s.center = 0, s.geographic = 1, s.scale_bar = 1;
  s.north_arrow = 1; /* in its own column, never over the map */
  s.legend_pos = CBC_POS_BOTTOMLEFT;
  cb_err e;
  cbc_map *m = cbc_map_new(&s, &e);
  assert_non_null(m);
  cbc_figure *f = new_fig(70, 70);
  add(f, 1, 1, cbc_map_plot(m));
  check_golden(f, "map_continuous");
  cb_polyset_free(ps);
  free(v);
}

static void test_category_map(void **state) {
  (void)state;
  cb_polyset *ps = fx_grid(8, 7, 0, 0, 10000, 10000, 21);
  double *v = malloc(ps->n * sizeof *v);
  for (size_t i = 0; i < ps->n; i++) v[i] = (double)(i * 7 % 4 + 1);
  const char *cats[] = {"control", "optimization", "development", "economic"};
  cbc_map_spec s;
  cbc_map_spec_defaults(&s);
  s.polys = ps, s.values = v, s.nvalues = ps->n, s.categories = cats;
  s.ncategories = 4, s.palette = "Set2", s.legend_pos = CBC_POS_BOTTOMRIGHT;
  cb_err e;
  cbc_map *m = cbc_map_new(&s, &e);
  assert_non_null(m);
  cbc_figure *f = new_fig(80, 60);
  add(f, 1, 1, cbc_map_plot(m));
  check_golden(f, "map_categories");
  cb_polyset_free(ps);
  free(v);
}

static void test_line_dual_axis(void **state) {
  (void)state;
  double x[22], c[22], n[22], q[22];
  for (int i = 0; i < 22; i++) {
    x[i] = 2000 + i;
    c[i] = 199 + pow(i, 1.5) * 6;
    n[i] = 142 + i * 1.4;
    q[i] = c[i] / n[i];
  }
  c[7] = NAN; /* a gap */
  cbc_series_spec s[3] = {
      {"C", x, c, 22, 0, 0, {0, 0, 0, 0}, -1, 0},
      {"N", x, n, 22, 0, 0, {0, 0, 0, 0}, -1, 0},
      {"Q", x, q, 22, 1, 1, {0.2, 0.2, 0.2, 1}, 0, 1}};
  cbc_line_spec ls = {0};
  ls.series = s, ls.nseries = 3, ls.legend = 1;
  cb_err e;
  cbc_line *l = cbc_line_new(&ls, &e);
  assert_non_null(l);
  cbc_figure *f = new_fig(90, 60);
  add(f, 1, 1, cbc_line_plot(l));
  check_golden(f, "line_dual_axis");
}

static cbc_plot *bars(int stacked, int horizontal, int diverging, size_t ns) {
  static const char *cats[] = {"a", "b", "c", "d", "e"};
  static const double v[4][5] = {{3, -2, 1.5, 4, -1},
                                 {1, 2, -0.5, 1, 2},
                                 {-1, 0.5, 1, -2, 1},
                                 {0.5, 0.5, 0.5, 0.5, NAN}};
  cbc_bar_series s[4];
  memset(s, 0, sizeof s);
  for (size_t j = 0; j < ns; j++) s[j].v = v[j];
  cbc_bars_spec b;
  cbc_bars_spec_defaults(&b);
  b.categories = cats, b.ncat = 5, b.series = s, b.nseries = ns;
  b.stacked = stacked, b.horizontal = horizontal, b.diverging = diverging;
  cb_err e;
  cbc_bars *r = cbc_bars_new(&b, &e);
  assert_non_null(r);
  return cbc_bars_plot(r);
}

static void test_bar_kinds(void **state) {
  (void)state;
  cbc_figure *f = new_fig(100, 80);
  add(f, 1, 1, bars(0, 0, 0, 3));  /* grouped */
  add(f, 1, 2, bars(1, 0, 0, 4));  /* stacked with negatives */
  add(f, 2, 1, bars(0, 1, 0, 2));  /* horizontal grouped */
  add(f, 2, 2, bars(0, 1, 1, 1));  /* diverging by sign */
  check_golden(f, "bars");
}

/* Two scatter panels: linear with the 1:1 and fitted lines and the metrics
 * box (empty without text), and log10 axes. */
static void test_scatter(void **state) {
  (void)state;
  size_t n = 40;
  double *x = fx_values(n, 21), *y = fx_values(n, 22);
  for (size_t i = 0; i < n; i++) y[i] = x[i] * (0.6 + 0.8 * y[i] / 60);
  y[3] = NAN;
  cbc_figure *f = new_fig(120, 60);
  for (int k = 0; k < 2; k++) {
    cbc_scatter_spec s;
    memset(&s, 0, sizeof s);
    s.x = x, s.y = y, s.n = n, s.one_to_one = 1, s.fit = 1, s.metrics = 1;
    s.log = k;
    cb_err e;
    cbc_scatter *p = cbc_scatter_new(&s, &e);
    assert_non_null(p);
    add(f, 1, k + 1, cbc_scatter_plot(p));
  }
  check_golden(f, "scatter");
  free(x);
  free(y);
}

/* Graticule lines of one geographic map (xy[k] holds line k). */
static size_t grat_lines(double lon0, double lon1, double lat0, double lat1,
                         double step, double xy[][4], cbc_gratline *g) {
  size_t n = 0;
  for (double v = lon0; v <= lon1 + 1e-9; v += step, n++) {
    xy[n][0] = v, xy[n][1] = lat0 - 5, xy[n][2] = v, xy[n][3] = lat1 + 5;
    g[n] = (cbc_gratline){xy[n], 2, v, 1};
  }
  for (double v = lat0; v <= lat1 + 1e-9; v += step, n++) {
    xy[n][0] = lon0 - 5, xy[n][1] = v, xy[n][2] = lon1 + 5, xy[n][3] = v;
    g[n] = (cbc_gratline){xy[n], 2, v, 0};
  }
  return n;
}

/* A zoomed inset (its area marked on the map), graticule lines with frame
 * ticks, an inside legend on its box, north arrow and scale bar placed in
 * free space. */
static void test_map_inset_graticule(void **state) {
  (void)state;
  cb_polyset *ps = fx_grid(9, 7, 117, 31, 0.3, 0.3, 13);
  double *v = fx_values(ps->n, 8);
  double xy[40][4];
  cbc_gratline g[40];
  cbc_map_spec s;
  cbc_map_spec_defaults(&s);
  s.polys = ps, s.values = v, s.nvalues = ps->n, s.auto_breaks = "jenks";
  s.geographic = 1, s.north_arrow = 1, s.scale_bar = 1, s.palette = "YlGnBu";
  s.inset = 1, s.inset_scale = 3;
  double ib[] = {118.2, 31.9, 118.6, 32.2};
  memcpy(s.inset_bbox, ib, sizeof ib);
  s.ngrat = grat_lines(116, 121, 30, 34, 0.5, xy, g), s.grat = g, s.grat_lines = 1;
  cb_err e;
  cbc_map *m = cbc_map_new(&s, &e);
  assert_non_null(m);
  cbc_figure *f = new_fig(110, 80);
  add(f, 1, 1, cbc_map_plot(m));
  check_golden(f, "map_inset_graticule");
  cb_polyset_free(ps);
  free(v);
}

/* A locator (the larger area in grey, the mapped one highlighted), city
 * boundaries as a coloured overlay, and diverging classes centred on 1
 * with the centre marked in the legend. */
static void test_map_locator_overlay(void **state) {
  (void)state;
  cb_polyset *ps = fx_grid(8, 8, 0, 0, 10000, 10000, 17);
  cb_polyset *cities = fx_grid(2, 2, 0, 0, 40000, 40000, 1);
  cb_polyset *big = fx_grid(6, 5, -200000, -160000, 80000, 80000, 3);
  double *v = fx_values(ps->n, 5);
  for (size_t i = 0; i < ps->n; i++) v[i] = v[i] / 8;
  double edges[] = {0, 0.5, 1, 2, 5, 20};
  cbc_map_spec s;
  cbc_map_spec_defaults(&s);
  s.polys = ps, s.values = v, s.nvalues = ps->n, s.breaks = edges, s.nbreaks = 6;
  s.centered = 1, s.center = 1, s.geographic = 0;
  s.overlay = cities, s.overlay_width = 0.35, s.overlay_color = cbc_hex(0x3b3b8f);
  s.locator = big, s.locator_width = 22;
  cb_err e;
  cbc_map *m = cbc_map_new(&s, &e);
  assert_non_null(m);
  cbc_figure *f = new_fig(100, 70);
  add(f, 1, 1, cbc_map_plot(m));
  check_golden(f, "map_locator_overlay");
  cb_polyset_free(ps);
  cb_polyset_free(cities);
  cb_polyset_free(big);
  free(v);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_map_classes),
      cmocka_unit_test(test_map_continuous_centered),
      cmocka_unit_test(test_category_map),
      cmocka_unit_test(test_line_dual_axis),
      cmocka_unit_test(test_bar_kinds),
      cmocka_unit_test(test_scatter),
      cmocka_unit_test(test_map_inset_graticule),
      cmocka_unit_test(test_map_locator_overlay),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
