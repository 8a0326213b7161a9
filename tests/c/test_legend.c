/* Unit tests for class breaks, class labels and the map legend layout
 * (entries, boxes, counts), checked as numbers without pixels. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "chart_fixture.h"
#include "classes.h"
#include "figure.h"
#include "map.h"

#define assert_near(a, b, tol) assert_true(fabs((double)(a) - (double)(b)) <= (tol))

static void test_labels(void **state) {
  (void)state;
  char b[64];
  double q[] = {-INFINITY, 1, 10, 40, INFINITY};
  cbc_class_label(q, 4, 0, b, sizeof b);
  assert_string_equal(b, "< 1");
  cbc_class_label(q, 4, 1, b, sizeof b);
  assert_string_equal(b, "1 \u2013 10");
  cbc_class_label(q, 4, 3, b, sizeof b);
  assert_string_equal(b, "\u2265 40");
  /* limits print as they are (pretty limits always can), long ones with 4
   * significant digits */
  double j[] = {0.231, 1.0, 10.2, 40, 87.3};
  cbc_class_label(j, 4, 0, b, sizeof b);
  assert_string_equal(b, "0.231 \u2013 1");
  cbc_class_label(j, 4, 3, b, sizeof b);
  assert_string_equal(b, "40 \u2013 87.3");
  double x[] = {1.0021695, 11.5, 12, 1516.3427};
  cbc_class_label(x, 3, 0, b, sizeof b);
  assert_string_equal(b, "1.002 \u2013 11.5");
  cbc_class_label(x, 3, 2, b, sizeof b);
  assert_string_equal(b, "12 \u2013 1516");
  /* close edges need more digits to stay distinct */
  double c[] = {1.001, 1.002, 1.003};
  cbc_class_label(c, 2, 0, b, sizeof b);
  assert_string_equal(b, "1.001 \u2013 1.002");
  double d[] = {-2.5, 0, 3};
  cbc_class_label(d, 2, 0, b, sizeof b);
  assert_string_equal(b, "\u22122.5 \u2013 0");
}

static void test_class_of(void **state) {
  (void)state;
  double e[] = {0, 1, 10, 40};
  assert_int_equal(cbc_class_of(0, e, 3), 0);
  assert_int_equal(cbc_class_of(0.999, e, 3), 0);
  assert_int_equal(cbc_class_of(1, e, 3), 1);
  assert_int_equal(cbc_class_of(40, e, 3), 2);  /* top edge included */
  assert_int_equal(cbc_class_of(99, e, 3), 2);  /* clamped */
  assert_int_equal(cbc_class_of(-5, e, 3), 0);
  assert_int_equal(cbc_class_of(NAN, e, 3), -1);
}

static void test_auto_breaks(void **state) {
  (void)state;
  double v[] = {0, 10, 3, NAN, 7, 1, 9, 2, 4, 6, 8, 5}, e[17];
  int k;
  cb_err err;
  assert_int_equal(cbc_breaks_auto(v, 12, "equal", 5, 0, e, &k, &err), 0);
  assert_int_equal(k, 5);
  for (int i = 0; i <= 5; i++) assert_near(e[i], 2.0 * i, 1e-12);
  double w[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  assert_int_equal(cbc_breaks_auto(w, 9, "quantile", 4, 0, e, &k, &err), 0);
  assert_int_equal(k, 4);
  for (int i = 0; i <= 4; i++) assert_near(e[i], 1 + 2.0 * i, 1e-12);
}

static void test_auto_breaks_bad_input(void **state) {
  (void)state;
  double e[17];
  int k;
  cb_err err;
  double nan3[] = {NAN, NAN, NAN};
  assert_int_equal(cbc_breaks_auto(nan3, 3, "equal", 3, 1, e, &k, &err), -1);
  assert_non_null(strstr(err.msg, "all 3 values are missing"));
  /* more classes than distinct values: fewer classes and a warning */
  double two[] = {1, 1, 2, 2, 2};
  cb_warnings_clear();
  assert_int_equal(cbc_breaks_auto(two, 5, "quantile", 5, 0, e, &k, &err), 0);
  assert_int_equal(k, 2);
  assert_true(cb_warnings_count() >= 1);
  assert_non_null(strstr(cb_warnings_get(0), "only 2 distinct"));
  assert_near(e[0], 1, 0);
  assert_near(e[1], 1.5, 1e-15); /* one class per distinct value */
  assert_near(e[2], 2, 0);
  assert_int_equal(cbc_breaks_auto(two, 5, "kmeans", 2, 1, e, &k, &err), -1);
  assert_non_null(strstr(err.msg, "unknown breaks method 'kmeans'"));
  double bad[] = {1, 3, 2};
  assert_int_equal(cbc_breaks_check(bad, 3, &err), -1);
  assert_non_null(strstr(err.msg, "increase strictly"));
  assert_int_equal(cbc_breaks_check(bad, 1, &err), -1);
}

/* A figure with one map panel; the caller frees the figure. */
static cbc_figure *one_map(cbc_map_spec *s, cbc_map **out) {
  cbc_figure_opts o;
  cbc_figure_defaults(&o);
  o.width_mm = 120, o.height_mm = 80;
  cb_err e;
  cbc_figure *f = cbc_figure_new(&o, &e);
  assert_non_null(f);
  assert_int_equal(cbc_figure_panel(f, 1, 1, 1, 1, "(a)", &e), 0);
  cbc_map *m = cbc_map_new(s, &e);
  if (!m) fail_msg("%s", e.msg);
  assert_int_equal(cbc_figure_set_plot(f, 0, cbc_map_plot(m), &e), 0);
  assert_int_equal(cbc_figure_layout(f, &e), 0);
  *out = m;
  return f;
}

static void test_map_legend_layout(void **state) {
  (void)state;
  cb_polyset *ps = fx_grid(8, 7, 0, 0, 10000, 10000, 7);
  double *v = fx_values(ps->n, 3);
  v[2] = NAN;
  double edges[] = {-INFINITY, 2, 5, 20, INFINITY};
  cbc_map_spec s;
  cbc_map_spec_defaults(&s);
  s.polys = ps, s.values = v, s.nvalues = ps->n;
  s.breaks = edges, s.nbreaks = 5, s.palette = "YlOrRd";
  s.legend_title = "Q", s.units = "ratio";
  s.north_arrow = 1, s.scale_bar = 1, s.geographic = 0;
  cbc_map *m;
  cbc_figure *f = one_map(&s, &m);
  const cbc_map_layout *L = cbc_map_layout_get(m);
  assert_int_equal(L->k, 4);
  assert_int_equal(L->nentries, 5); /* 4 classes + no data */
  assert_string_equal(L->entries[0].label, "< 2");
  assert_string_equal(L->entries[3].label, "\u2265 20");
  assert_string_equal(L->entries[4].label, "No data");
  assert_true(L->entries[4].nodata);
  assert_string_equal(L->legend_title, "Q (ratio)");
  size_t total = L->nodata_count;
  for (int i = 0; i < L->k; i++) total += L->counts[i];
  assert_int_equal(total, ps->n);
  assert_int_equal(L->nodata_count, 1);
  cbc_rect box = cbc_figure_panel_box(f, 0);
  for (size_t i = 0; i < L->nentries; i++) {
    const cbc_legend_entry *en = &L->entries[i];
    /* swatch left of its text, entries stacked without overlap */
    assert_true(en->text.x >= en->swatch.x + en->swatch.w);
    if (i) assert_true(en->swatch.y >= L->entries[i - 1].swatch.y + en->swatch.h);
    assert_true(en->swatch.y + en->swatch.h <= box.y + box.h + 1e-9);
    assert_true(en->text.w > 0);
  }
  /* the frame fills the panel; the legend, north arrow and scale bar sit
   * in free space inside it (the legend on a box), apart from each other */
  assert_near(L->frame.x, box.x, 1e-9);
  assert_near(L->frame.w, box.w, 1e-9);
  assert_near(L->frame.h, box.h, 1e-9);
  const cbc_placed *el[] = {&L->legend, &L->north, &L->scalebar};
  for (int a = 0; a < 3; a++) {
    cbc_rect r = el[a]->box;
    assert_true(el[a]->on);
    assert_true(el[a]->pos != CBC_POS_AUTO && el[a]->pos < CBC_POS_OUTSIDE);
    assert_true(r.x >= L->frame.x && r.x + r.w <= L->frame.x + L->frame.w + 1e-9);
    assert_true(r.y >= L->frame.y && r.y + r.h <= L->frame.y + L->frame.h + 1e-9);
    assert_true(el[a]->covers <= 0.02);
    for (int b = 0; b < a; b++) {
      cbc_rect q = el[b]->box;
      assert_false(r.x < q.x + q.w && q.x < r.x + r.w && r.y < q.y + q.h && q.y < r.y + r.h);
    }
  }
  assert_true(L->legend_bg);
  assert_true(L->legend_box.x > L->legend.box.x); /* padded inside its box */
  /* a projected map keeps its aspect: kx == ky */
  assert_near(L->kx, L->ky, 1e-12);
  /* scale bar: round length at most 30 % of the frame */
  assert_true(L->has_scalebar);
  assert_true(L->sb.mm <= L->frame.w * 0.3 + 1e-9);
  assert_near(L->sb.mm, L->sb.metres * L->kx, 1e-9);
  /* colours follow the classes */
  for (size_t i = 0; i < ps->n; i++) {
    if (isnan(v[i])) continue;
    int c = cbc_class_of(v[i], edges, 4);
    cbc_rgb a = cbc_map_feature_color(m, i), b = L->class_colors[c];
    assert_near(a.r, b.r, 0);
    assert_near(a.g, b.g, 0);
  }
  cbc_figure_free(f);
  cb_polyset_free(ps);
  free(v);
}

static void test_geographic_aspect(void **state) {
  (void)state;
  cb_polyset *ps = fx_grid(6, 6, 116, 30, 0.5, 0.5, 9);
  cbc_map_spec s;
  cbc_map_spec_defaults(&s);
  s.polys = ps, s.geographic = 1, s.scale_bar = 1;
  cbc_map *m;
  cbc_figure *f = one_map(&s, &m);
  const cbc_map_layout *L = cbc_map_layout_get(m);
  double lon, lat;
  cbc_metres_per_degree(L->lat_mid, &lon, &lat);
  assert_near(L->kx / L->ky, lon / lat, 1e-12);
  assert_near(L->lat_mid, (ps->bbox[1] + ps->bbox[3]) / 2, 1e-12);
  assert_true(L->geographic);
  assert_near(L->sb.mm, L->sb.metres / lon * L->kx, 1e-9);
  assert_int_equal(L->nentries, 0); /* outlines only: no legend */
  cbc_figure_free(f);
  cb_polyset_free(ps);
}

static void test_labels_do_not_overlap(void **state) {
  (void)state;
  cb_polyset *ps = fx_grid(8, 7, 0, 0, 10000, 10000, 7);
  char buf[64][48];
  const char *labels[64];
  for (size_t i = 0; i < ps->n; i++) {
    snprintf(buf[i], sizeof buf[i], "a rather long county name %zu", i);
    labels[i] = buf[i];
  }
  labels[3] = NULL; /* no label for this one */
  cbc_map_spec s;
  cbc_map_spec_defaults(&s);
  s.polys = ps, s.labels = labels, s.nlabels = ps->n;
  cbc_map *m;
  cbc_figure *f = one_map(&s, &m);
  const cbc_map_label *pl = cbc_map_labels(m);
  size_t shown = 0, biggest = 0;
  double amax = 0;
  for (size_t i = 0; i < ps->n; i++) {
    double a = fabs(cb_ring_area(&ps->polys[i].rings[0]));
    if (a > amax && labels[i]) amax = a, biggest = i;
    shown += pl[i].shown != 0;
    for (size_t j = 0; j < i; j++)
      if (pl[i].shown && pl[j].shown)
        assert_false(pl[i].box.x < pl[j].box.x + pl[j].box.w &&
                     pl[j].box.x < pl[i].box.x + pl[i].box.w &&
                     pl[i].box.y < pl[j].box.y + pl[j].box.h &&
                     pl[j].box.y < pl[i].box.y + pl[i].box.h);
  }
  assert_false(pl[3].shown);
  assert_true(pl[biggest].shown); /* the largest feature keeps its label */
  assert_true(shown > 3);
  assert_true(shown < ps->n - 1); /* long names in small cells: some dropped */
  cbc_figure_free(f);
  cb_polyset_free(ps);
}

static void test_map_bad_input(void **state) {
  (void)state;
  cb_polyset *ps = fx_grid(4, 4, 0, 0, 1, 1, 5);
  double v[40];
  for (int i = 0; i < 40; i++) v[i] = NAN;
  cbc_map_spec s;
  cbc_map_spec_defaults(&s);
  s.polys = ps, s.values = v, s.nvalues = ps->n + 1;
  cb_err e;
  assert_null(cbc_map_new(&s, &e));
  assert_non_null(strstr(e.msg, "values has"));
  assert_non_null(strstr(e.msg, "features"));
  s.nvalues = ps->n;
  assert_null(cbc_map_new(&s, &e));
  assert_non_null(strstr(e.msg, "all"));
  assert_non_null(strstr(e.msg, "missing"));
  v[0] = 1, v[1] = 2;
  s.palette = "Rainbow";
  assert_null(cbc_map_new(&s, &e));
  assert_non_null(strstr(e.msg, "unknown palette 'Rainbow'"));
  const char *cats[] = {"a", "b"};
  s.palette = NULL, s.categories = cats, s.ncategories = 2;
  v[1] = 3;
  assert_null(cbc_map_new(&s, &e));
  assert_non_null(strstr(e.msg, "category 3"));
  cb_polyset_free(ps);
}

/* Breaks without values (outlines under a shared legend's classes): every
 * feature is no data, and no "values beyond the breaks" warning is made up
 * from values that were never given. */
static void test_map_breaks_without_values(void **state) {
  (void)state;
  cb_polyset *ps = fx_grid(4, 4, 0, 0, 1, 1, 5);
  double edges[] = {10, 20, 30};
  cbc_map_spec s;
  cbc_map_spec_defaults(&s);
  s.polys = ps, s.breaks = edges, s.nbreaks = 3;
  cb_warnings_clear();
  cbc_map *m;
  cbc_figure *f = one_map(&s, &m);
  const cbc_map_layout *L = cbc_map_layout_get(m);
  assert_int_equal(L->k, 2);
  assert_int_equal(L->nodata_count, ps->n);
  for (size_t i = 0; i < cb_warnings_count(); i++)
    assert_null(strstr(cb_warnings_get(i), "beyond the breaks"));
  cbc_figure_free(f);
  cb_polyset_free(ps);
}


/* The colour of pixel (x, y) mm of an ARGB image drawn at k px/mm. */
static cbc_rgb pixel_at(cairo_surface_t *img, double k, double x, double y) {
  unsigned char *d = cairo_image_surface_get_data(img);
  int stride = cairo_image_surface_get_stride(img);
  uint32_t p;
  memcpy(&p, d + (int)(y * k) * stride + 4 * (int)(x * k), 4);
  return (cbc_rgb){((p >> 16) & 255) / 255.0, ((p >> 8) & 255) / 255.0,
                   (p & 255) / 255.0, 1};
}

static int is_white(cbc_rgb c) { return c.r > 0.97 && c.g > 0.97 && c.b > 0.97; }

/* Category symbols: a filled box for areas, a line for outlines, a dot
 * for points, checked in the drawn legend; one symbol per category. */
static void test_category_symbols(void **state) {
  (void)state;
  cb_polyset *ps = fx_grid(4, 4, 0, 0, 1, 1, 9);
  double *v = fx_values(ps->n, 2);
  for (size_t i = 0; i < ps->n; i++) v[i] = 1 + i % 3;
  const char *cats[] = {"area", "outline", "point"};
  unsigned char sym[] = {CBC_SYM_FILL, CBC_SYM_LINE, CBC_SYM_POINT};
  cbc_map_spec s;
  cbc_map_spec_defaults(&s);
  s.polys = ps, s.values = v, s.nvalues = ps->n, s.geographic = 0;
  s.categories = cats, s.ncategories = 3, s.symbols = sym, s.nsymbols = 3;
  cbc_map *m;
  cbc_figure *f = one_map(&s, &m);
  const cbc_map_layout *L = cbc_map_layout_get(m);
  assert_int_equal(L->nentries, 3);
  for (int i = 0; i < 3; i++) assert_int_equal(L->entries[i].symbol, sym[i]);
  double k = 10; /* px per mm */
  cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1200, 800);
  cairo_t *cr = cairo_create(img);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_scale(cr, k, k);
  cb_err e;
  assert_int_equal(cbc_figure_render(f, cr, &e), 0);
  cairo_surface_flush(img);
  const cbc_rect *sw[3];
  for (int i = 0; i < 3; i++) sw[i] = &L->entries[i].swatch;
  double in = 0.3; /* mm inside the swatch's top-left corner */
  assert_false(is_white(pixel_at(img, k, sw[0]->x + in, sw[0]->y + in)));
  assert_true(is_white(pixel_at(img, k, sw[1]->x + in, sw[1]->y + in)));
  assert_false(is_white(pixel_at(img, k, sw[1]->x + in, sw[1]->y + sw[1]->h / 2)));
  assert_true(is_white(pixel_at(img, k, sw[2]->x + in, sw[2]->y + sw[2]->h / 2)));
  assert_false(is_white(pixel_at(img, k, sw[2]->x + sw[2]->w / 2, sw[2]->y + sw[2]->h / 2)));
  cairo_destroy(cr);
  cairo_surface_destroy(img);
  cbc_figure_free(f);
  /* one symbol per category */
  s.nsymbols = 2;
  assert_null(cbc_map_new(&s, &e));
  assert_non_null(strstr(e.msg, "symbols has 2 entries but there are 3 categories"));
  free(v);
  cb_polyset_free(ps);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_labels),
      cmocka_unit_test(test_class_of),
      cmocka_unit_test(test_auto_breaks),
      cmocka_unit_test(test_auto_breaks_bad_input),
      cmocka_unit_test(test_map_legend_layout),
      cmocka_unit_test(test_geographic_aspect),
      cmocka_unit_test(test_labels_do_not_overlap),
      cmocka_unit_test(test_map_bad_input),
      cmocka_unit_test(test_map_breaks_without_values),
      cmocka_unit_test(test_category_symbols),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
