/* Text under a pinned fontconfig (tests/fonts.conf: WenQuanYi Micro Hei
 * only): a Chinese label renders inside its computed box, unknown fonts
 * fall back with a warning, text sizes scale with the point size. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/cb.h"
#include "text.h"

static int setup(void **state) {
  (void)state;
  /* Before the first pango call: fontconfig reads this once. A relative
   * name would be looked up in /etc/fonts, so make it absolute. */
  char *path = realpath("tests/fonts.conf", NULL);
  if (!path) return -1;
  setenv("FONTCONFIG_FILE", path, 1);
  free(path);
  return 0;
}

static int dark(const unsigned char *p) { return p[0] < 200 || p[1] < 200 || p[2] < 200; }

static void test_pinned_font_is_the_only_one(void **state) {
  (void)state;
  assert_true(cbc_font_known("WenQuanYi Micro Hei"));
  assert_true(cbc_font_known("wenquanyi micro hei"));
  assert_false(cbc_font_known("DejaVu Sans")); /* not in the pinned set */
}

static void test_chinese_label_renders_in_its_box(void **state) {
  (void)state;
  cbc_text *t = cbc_text_new("WenQuanYi Micro Hei");
  assert_non_null(t);
  const double k = 300 / 25.4; /* 300 dpi */
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 600, 300);
  cairo_t *cr = cairo_create(s);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_scale(cr, k, k);
  cbc_rect box;
  cbc_rgb ink = {0, 0, 0, 1};
  assert_int_equal(cbc_text_missing(t, "南京市 苏州"), 0); /* real glyphs */
  assert_int_equal(cbc_text_missing(t, "\xe1\x9a\xa0"), 1);   /* a rune: none */
  cbc_text_draw(cr, t, "南京市 苏州", 9, 0, 10, 8, 0, 0, 0, ink, 0, &box);
  cairo_destroy(cr);
  cairo_surface_flush(s);
  /* the box: at the anchor, about 9 pt tall, five CJK glyphs plus a space */
  assert_true(fabs(box.x - 10) < 1e-9 && fabs(box.y - 8) < 1e-9);
  assert_true(box.h > 9 * CBC_MM_PER_PT * 0.9 && box.h < 9 * CBC_MM_PER_PT * 1.8);
  assert_true(box.w > 5 * 9 * CBC_MM_PER_PT * 0.8);
  unsigned char *d = cairo_image_surface_get_data(s);
  int stride = cairo_image_surface_get_stride(s);
  int x0 = (int)floor(box.x * k), x1 = (int)ceil((box.x + box.w) * k);
  int y0 = (int)floor(box.y * k), y1 = (int)ceil((box.y + box.h) * k);
  long in = 0, out = 0, area = (long)(x1 - x0) * (y1 - y0);
  for (int y = 0; y < 300; y++)
    for (int x = 0; x < 600; x++) {
      int inside = x >= x0 && x < x1 && y >= y0 && y < y1;
      if (dark(d + y * stride + 4 * x)) *(inside ? &in : &out) += 1;
    }
  cairo_surface_destroy(s);
  cbc_text_free(t);
  /* ink inside the box (CJK glyphs are dense), none outside it */
  assert_true(in > area / 10);
  assert_int_equal(out, 0);
}

/* A family list is a list of preferences (as in themes: "Arial,
 * Helvetica, ..."): unknown families are dropped quietly while one is
 * installed; when none is, a warning names them. */
static void test_unknown_font_falls_back_with_warning(void **state) {
  (void)state;
  cb_warnings_clear();
  cbc_text *t = cbc_text_new("No Such Font Sans, WenQuanYi Micro Hei");
  assert_non_null(t);
  assert_int_equal(cb_warnings_count(), 0);
  assert_non_null(strstr(cbc_text_family(t), "WenQuanYi Micro Hei"));
  assert_null(strstr(cbc_text_family(t), "No Such"));
  double w1, h1, w2, h2;
  cbc_text_size(t, "江苏 Jiangsu", 7, 0, &w1, &h1);
  cbc_text_size(t, "江苏 Jiangsu", 14, 0, &w2, &h2);
  assert_true(fabs(w2 / w1 - 2) < 0.02); /* unhinted: sizes scale exactly */
  assert_true(fabs(h2 / h1 - 2) < 0.02);
  cbc_text_free(t);
  cb_warnings_clear();
  t = cbc_text_new("Nope, Nor This");
  assert_int_equal(cb_warnings_count(), 1);
  assert_non_null(strstr(cb_warnings_get(0), "font 'Nope, Nor This' is not installed"));
  assert_string_equal(cbc_text_family(t), CBC_HOUSE_FONT);
  cbc_text_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pinned_font_is_the_only_one),
      cmocka_unit_test(test_chinese_label_renders_in_its_box),
      cmocka_unit_test(test_unknown_font_falls_back_with_warning),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
