/* Map layout as numbers, with text measured under the pinned fontconfig:
 * free-space placement (and where there is none), legend positions, the
 * centre of a diverging legend, labels in place, in an inset or as
 * callouts (never dropped silently), graticule ticks, bad insets; and the
 * golden images that need text (callouts, graticule labels, direct
 * labels), drawn in the pinned font. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "chart_fixture.h"
#include "figure.h"
#include "golden.h"
#include "line.h"
#include "map.h"

#define assert_near(a, b, tol) assert_true(fabs((double)(a) - (double)(b)) <= (tol))

static int setup(void **state) {
  (void)state;
  char *path = realpath("tests/fonts.conf", NULL);
  if (!path) return -1;
  setenv("FONTCONFIG_FILE", path, 1);
  setenv("CBAL_QUIET", "1", 1);
  free(path);
  return 0;
}

static cbc_figure *one_map(cbc_map_spec *s, double w, double h, cbc_map **out) {
  cbc_figure_opts o;
  cbc_figure_defaults(&o);
  o.width_mm = w, o.height_mm = h;
  cb_err e;
  cbc_figure *f = cbc_figure_new(&o, &e);
  assert_non_null(f);
  assert_int_equal(cbc_figure_panel(f, 1, 1, 1, 1, NULL, &e), 0);
  cbc_map *m = cbc_map_new(s, &e);
  if (!m) fail_msg("%s", e.msg);
  assert_int_equal(cbc_figure_set_plot(f, 0, cbc_map_plot(m), &e), 0);
  if (cbc_figure_layout(f, &e)) fail_msg("%s", e.msg);
  *out = m;
  return f;
}

static int overlap(cbc_rect a, cbc_rect b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static int within(cbc_rect a, cbc_rect f) {
  return a.x >= f.x - 1e-9 && a.y >= f.y - 1e-9 && a.x + a.w <= f.x + f.w + 1e-9 &&
         a.y + a.h <= f.y + f.h + 1e-9;
}

static int warned(const char *needle) {
  for (size_t i = 0; i < cb_warnings_count(); i++)
    if (strstr(cb_warnings_get(i), needle)) return 1;
  return 0;
}

/* A tall province in a wide panel: the data go to one side and the legend
 * into the free strip, with nothing over the polygons; a stated position
 * is kept; "outside" is a column right of the frame. */
static void test_free_space(void **state) {
  (void)state;
  cb_polyset *ps = fx_grid(5, 9, 0, 0, 10000, 10000, 3);
  double *v = fx_values(ps->n, 4);
  cbc_map_spec s;
  cbc_map_spec_defaults(&s);
  s.polys = ps, s.values = v, s.nvalues = ps->n, s.auto_breaks = "jenks";
  s.legend_title = "C", s.units = "Mt", s.north_arrow = 1, s.scale_bar = 1;
  s.geographic = 0;
  cbc_map *m;
  cbc_figure *f = one_map(&s, 160, 90, &m);
  const cbc_map_layout *L = cbc_map_layout_get(m);
  cbc_rect box = cbc_figure_panel_box(f, 0);
  assert_near(L->frame.w, box.w, 1e-9);
  assert_true(L->legend.covers <= 0.02 && L->north.covers <= 0.02 &&
              L->scalebar.covers <= 0.02);
  assert_true(L->legend_bg);
  /* the data fill the frame's height (less the margin), true aspect */
  double fh = (ps->bbox[3] - ps->bbox[1]) * L->ky;
  assert_true(fh > 0.9 * L->frame.h);
  assert_near(L->kx, L->ky, 1e-12);
  cbc_figure_free(f);
  s.legend_pos = CBC_POS_TOPLEFT;
  f = one_map(&s, 160, 90, &m);
  L = cbc_map_layout_get(m);
  assert_int_equal(L->legend.pos, CBC_POS_TOPLEFT);
  assert_true(L->legend.box.x < L->frame.x + 3 && L->legend.box.y < L->frame.y + 3);
  assert_false(overlap(L->legend.box, L->north.box));
  cbc_figure_free(f);
  s.legend_pos = CBC_POS_OUTSIDE;
  f = one_map(&s, 160, 90, &m);
  L = cbc_map_layout_get(m);
  assert_true(L->legend.box.x >= L->frame.x + L->frame.w);
  assert_false(L->legend_bg);
  cbc_figure_free(f);
  cb_polyset_free(ps);
  free(v);
}

/* One square in a small square panel: even at 60 % of the largest scale
 * no space fits the legend, so it covers the map on its white box, and a
 * warning says so. */
static void test_no_free_space(void **state) {
  (void)state;
  cb_polyset *ps = fx_grid(1, 1, 0, 0, 1000, 1000, 1);
  double v[] = {1};
  double edges[] = {0, 1, 2, 3, 4, 5, 6, 7};
  cbc_map_spec s;
  cbc_map_spec_defaults(&s);
  s.polys = ps, s.values = v, s.nvalues = 1, s.breaks = edges, s.nbreaks = 8;
  s.legend_title = "a legend title", s.geographic = 0;
  cb_warnings_clear();
  cbc_map *m;
  cbc_figure *f = one_map(&s, 36, 36, &m);
  const cbc_map_layout *L = cbc_map_layout_get(m);
  assert_true(L->legend.covers > 0.2);
  assert_true(L->legend_bg);
  assert_true(warned("no free space for the legend"));
  cbc_figure_free(f);
  cb_polyset_free(ps);
}

/* A diverging legend shows its centre: between the classes when it is a
 * limit, after the class holding it otherwise. */
static void test_legend_centre(void **state) {
  (void)state;
  double e1[] = {-2, -1, 0, 1, 2}, e2[] = {0, 0.5, 2, 10};
  cbc_map_spec s;
  cbc_map_spec_defaults(&s);
  s.breaks = e1, s.nbreaks = 5, s.centered = 1, s.center = 0;
  cbc_map *m;
  cbc_figure *f = one_map(&s, 60, 40, &m);
  const cbc_map_layout *L = cbc_map_layout_get(m);
  assert_int_equal(L->nentries, 5);
  assert_string_equal(L->entries[2].label, "0 (centre)");
  assert_true(L->entries[2].centre);
  assert_string_equal(L->entries[1].label, "\u22121 \u2013 0");
  /* the classes either side get colours equally far from the middle */
  cbc_rgb lo = L->class_colors[1], hi = L->class_colors[2];
  assert_true(lo.b > lo.r && hi.r > hi.b);
  cbc_figure_free(f);
  s.breaks = e2, s.nbreaks = 4, s.center = 1;
  f = one_map(&s, 60, 40, &m);
  L = cbc_map_layout_get(m);
  assert_string_equal(L->entries[2].label, "1 (centre)"); /* after 0.5 – 2 */
  assert_string_equal(L->entries[1].label, "0.5 \u2013 2");
  cbc_figure_free(f);
  /* computed classes around a centre take it as a limit */
  cb_polyset *ps = fx_grid(6, 6, 0, 0, 1, 1, 3);
  double *v = fx_values(ps->n, 9);
  for (size_t i = 0; i < ps->n; i++) v[i] = log(v[i]) - 1.3;
  memset(&s, 0, sizeof s);
  cbc_map_spec_defaults(&s);
  s.polys = ps, s.values = v, s.nvalues = ps->n, s.auto_breaks = "quantile";
  s.k = 4, s.centered = 1, s.center = 0.5, s.geographic = 0;
  f = one_map(&s, 60, 40, &m);
  L = cbc_map_layout_get(m);
  int has = 0;
  for (int j = 1; j < L->k; j++) has |= L->edges[j] == 0.5;
  assert_true(has);
  cbc_figure_free(f);
  cb_polyset_free(ps);
  free(v);
}

/* 48 small cells with long names: without help some labels cannot be
 * placed, and a warning names them; callouts place the rest with leaders
 * from inside their features; an inset takes the labels of its area. */
static void test_labels_callouts_inset(void **state) {
  (void)state;
  cb_polyset *ps = fx_grid(8, 6, 0, 0, 3000, 3000, 11);
  char buf[64][40];
  const char *labels[64];
  for (size_t i = 0; i < ps->n; i++) {
    snprintf(buf[i], sizeof buf[i], "县名%zu号区", i);
    labels[i] = buf[i];
  }
  cbc_map_spec s;
  cbc_map_spec_defaults(&s);
  s.polys = ps, s.labels = labels, s.nlabels = ps->n, s.geographic = 0;
  cb_warnings_clear();
  cbc_map *m;
  cbc_figure *f = one_map(&s, 70, 60, &m);
  const cbc_map_layout *L = cbc_map_layout_get(m);
  size_t dropped = L->label_counts[CBC_LABEL_NONE];
  assert_true(dropped > 3);
  assert_true(warned("labels not shown"));
  const cbc_map_label *pl = cbc_map_labels(m);
  for (size_t i = 0; i < ps->n; i++) /* every dropped label is named */
    if (!pl[i].shown) assert_true(warned(labels[i]));
  cbc_figure_free(f);
  s.callouts = 1;
  f = one_map(&s, 70, 60, &m);
  L = cbc_map_layout_get(m);
  pl = cbc_map_labels(m);
  assert_true(L->label_counts[CBC_LABEL_CALLOUT] > 0);
  assert_true(L->label_counts[CBC_LABEL_NONE] < dropped);
  for (size_t i = 0; i < ps->n; i++) {
    if (!pl[i].shown) continue;
    assert_true(within(pl[i].box, L->frame));
    for (size_t j = 0; j < i; j++)
      if (pl[j].shown) assert_false(overlap(pl[i].box, pl[j].box));
    if (pl[i].where == CBC_LABEL_CALLOUT) { /* the leader starts in the cell */
      double x0, y0, x1, y1;
      cbc_map_project(m, ps->bbox[0], ps->bbox[3], &x0, &y0);
      cbc_map_project(m, ps->bbox[2], ps->bbox[1], &x1, &y1);
      assert_true(pl[i].ax >= x0 && pl[i].ax <= x1 && pl[i].ay >= y0 && pl[i].ay <= y1);
    }
  }
  cbc_figure_free(f);
  s.callouts = 0, s.inset = 1, s.inset_scale = 2.5;
  double ib[] = {6000, 6000, 12000, 12000};
  memcpy(s.inset_bbox, ib, sizeof ib);
  f = one_map(&s, 90, 60, &m);
  L = cbc_map_layout_get(m);
  pl = cbc_map_labels(m);
  assert_true(L->inset.on && L->label_counts[CBC_LABEL_INSET] > 0);
  for (size_t i = 0; i < ps->n; i++)
    if (pl[i].where == CBC_LABEL_INSET) assert_true(within(pl[i].box, L->inset.box));
  /* the inset shows its bbox magnified: 2.5 times the map's scale at most */
  assert_true(L->inset_map.kx <= 2.5 * L->kx + 1e-9 && L->inset_map.kx > L->kx);
  assert_false(overlap(L->inset.box, L->legend.box) && L->has_legend);
  cbc_figure_free(f);
  cb_polyset_free(ps);
}

static void test_inset_bad_bbox(void **state) {
  (void)state;
  cb_polyset *ps = fx_grid(4, 4, 116, 30, 0.5, 0.5, 2);
  cbc_map_spec s;
  cbc_map_spec_defaults(&s);
  s.polys = ps, s.inset = 1;
  double out[] = {100, 10, 101, 11}, empty[] = {117, 31, 116.5, 31.5};
  memcpy(s.inset_bbox, out, sizeof out);
  cb_err e;
  assert_null(cbc_map_new(&s, &e));
  assert_non_null(strstr(e.msg, "inset bbox {100, 10, 101, 11} is outside the map's extent"));
  memcpy(s.inset_bbox, empty, sizeof empty);
  assert_null(cbc_map_new(&s, &e));
  assert_non_null(strstr(e.msg, "is empty"));
  cb_polyset_free(ps);
}

/* Meridians and parallels every half degree: ticks where they cross the
 * frame, labelled at the bottom and left, at their projected places. */
static void test_graticule(void **state) {
  (void)state;
  cb_polyset *ps = fx_grid(6, 5, 117, 31, 0.25, 0.25, 5);
  double xy[16][4];
  cbc_gratline g[16];
  size_t n = 0;
  for (double lon = 116; lon <= 120; lon += 0.5, n++) {
    double *p = xy[n];
    p[0] = lon, p[1] = 29, p[2] = lon, p[3] = 34;
    g[n] = (cbc_gratline){p, 2, lon, 1};
  }
  for (double lat = 30; lat <= 33; lat += 0.5, n++) {
    double *p = xy[n];
    p[0] = 115, p[1] = lat, p[2] = 121, p[3] = lat;
    g[n] = (cbc_gratline){p, 2, lat, 0};
  }
  cbc_map_spec s;
  cbc_map_spec_defaults(&s);
  s.polys = ps, s.geographic = 1, s.grat = g, s.ngrat = n;
  cbc_map *m;
  cbc_figure *f = one_map(&s, 80, 70, &m);
  const cbc_map_layout *L = cbc_map_layout_get(m);
  assert_true(L->has_grat && L->ngticks > 8);
  int bottom = 0, left = 0;
  for (size_t i = 0; i < L->ngticks; i++) {
    const cbc_gtick *t = &L->gticks[i];
    double x, y;
    if (t->side == 0 && !strcmp(t->label, "117.5\u00b0E")) {
      cbc_map_project(m, 117.5, 31, &x, &y);
      assert_near(t->x, x, 1e-6);
      assert_near(t->y, L->frame.y + L->frame.h, 1e-9);
      bottom++;
    }
    if (t->side == 1 && !strcmp(t->label, "32\u00b0N")) {
      cbc_map_project(m, 117, 32, &x, &y);
      assert_near(t->y, y, 1e-6);
      left++;
    }
    if (t->side >= 2) assert_string_equal(t->label, "");
  }
  assert_int_equal(bottom, 1);
  assert_int_equal(left, 1);
  /* tick labels live outside the frame, inside the panel */
  cbc_rect box = cbc_figure_panel_box(f, 0);
  assert_true(L->frame.x > box.x + 3 && L->frame.y + L->frame.h < box.y + box.h - 2);
  cbc_figure_free(f);
  cb_polyset_free(ps);
}

/* Labels with callouts and an inset, graticule labels, a legend on its
 * box: text in the pinned font (WenQuanYi Micro Hei). */
static void test_golden_labels(void **state) {
  (void)state;
  cb_polyset *ps = fx_grid(7, 6, 117, 31, 0.2, 0.2, 19);
  double *v = fx_values(ps->n, 12);
  char buf[64][32];
  const char *labels[64];
  for (size_t i = 0; i < ps->n; i++) {
    snprintf(buf[i], sizeof buf[i], "县%zu区", i + 1);
    labels[i] = buf[i];
  }
  double xy[24][4];
  cbc_gratline g[24];
  size_t ng = 0;
  for (double lon = 116.5; lon <= 119; lon += 0.5, ng++) {
    xy[ng][0] = lon, xy[ng][1] = 29, xy[ng][2] = lon, xy[ng][3] = 34;
    g[ng] = (cbc_gratline){xy[ng], 2, lon, 1};
  }
  for (double lat = 30.5; lat <= 33; lat += 0.5, ng++) {
    xy[ng][0] = 115, xy[ng][1] = lat, xy[ng][2] = 121, xy[ng][3] = lat;
    g[ng] = (cbc_gratline){xy[ng], 2, lat, 0};
  }
  cbc_map_spec s;
  cbc_map_spec_defaults(&s);
  s.polys = ps, s.values = v, s.nvalues = ps->n, s.auto_breaks = "jenks", s.k = 4;
  s.labels = labels, s.nlabels = ps->n, s.callouts = 1, s.geographic = 1;
  s.legend_title = "C", s.units = "Mt", s.grat = g, s.ngrat = ng;
  s.inset = 1, s.inset_scale = 2.5;
  double ib[] = {117.55, 31.5, 117.95, 31.85};
  memcpy(s.inset_bbox, ib, sizeof ib);
  cbc_figure_opts o;
  cbc_figure_defaults(&o);
  o.width_mm = 95, o.height_mm = 75, o.dpi = 100;
  cb_err e;
  cbc_figure *f = cbc_figure_new(&o, &e);
  assert_int_equal(cbc_figure_panel(f, 1, 1, 1, 1, NULL, &e), 0);
  cbc_map *m = cbc_map_new(&s, &e);
  assert_non_null(m);
  assert_int_equal(cbc_figure_set_plot(f, 0, cbc_map_plot(m), &e), 0);
  check_golden(f, "map_labels_text");
  cb_polyset_free(ps);
  free(v);
}

/* Four close lines named at their ends, in the pinned font. */
static void test_golden_direct_labels(void **state) {
  (void)state;
  double x[12], y[4][12];
  cbc_series_spec s[4];
  memset(s, 0, sizeof s);
  const char *names[] = {"南京", "无锡", "苏州", "徐州"};
  for (int k = 0; k < 4; k++) {
    for (int i = 0; i < 12; i++) x[i] = 2010 + i, y[k][i] = 1 + i * (0.2 + k * 0.01) + k * 0.05;
    s[k] = (cbc_series_spec){names[k], x, y[k], 12, 0, 0, {0, 0, 0, 0}, -1, k == 3};
  }
  cbc_line_spec ls;
  memset(&ls, 0, sizeof ls);
  ls.series = s, ls.nseries = 4, ls.legend = 1, ls.direct_labels = 1;
  cb_err e;
  cbc_line *l = cbc_line_new(&ls, &e);
  assert_non_null(l);
  cbc_figure_opts o;
  cbc_figure_defaults(&o);
  o.width_mm = 80, o.height_mm = 55, o.dpi = 100;
  cbc_figure *f = cbc_figure_new(&o, &e);
  assert_int_equal(cbc_figure_panel(f, 1, 1, 1, 1, NULL, &e), 0);
  assert_int_equal(cbc_figure_set_plot(f, 0, cbc_line_plot(l), &e), 0);
  check_golden(f, "line_direct_labels_text");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_free_space),
      cmocka_unit_test(test_no_free_space),
      cmocka_unit_test(test_legend_centre),
      cmocka_unit_test(test_labels_callouts_inset),
      cmocka_unit_test(test_inset_bad_bbox),
      cmocka_unit_test(test_graticule),
      cmocka_unit_test(test_golden_labels),
      cmocka_unit_test(test_golden_direct_labels),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
