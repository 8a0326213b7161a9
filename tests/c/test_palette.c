/* Unit tests for palette lookup, sampling, classes and centred diverging
 * colours. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

/* cmocka's assert_float_equal compares as float; these are doubles. */
#define assert_near(a, b, tol) assert_true(fabs((double)(a) - (double)(b)) <= (tol))

#include "palette.h"

static void assert_rgb(cbc_rgb c, unsigned hex) {
  cbc_rgb h = cbc_hex(hex);
  assert_near(c.r, h.r, 1e-9);
  assert_near(c.g, h.g, 1e-9);
  assert_near(c.b, h.b, 1e-9);
}

static void test_find_and_reverse(void **state) {
  (void)state;
  cbc_palette p;
  cb_err e;
  assert_int_equal(cbc_palette_find("Blues", &p, &e), 0);
  assert_int_equal(p.type, CBC_SEQ);
  assert_rgb(cbc_palette_at(&p, 0), 0xf7fbff);
  assert_rgb(cbc_palette_at(&p, 1), 0x08306b);
  assert_int_equal(cbc_palette_find("rdylbu_R", &p, &e), 0);
  assert_int_equal(p.type, CBC_DIV);
  assert_rgb(cbc_palette_at(&p, 0), 0x313695); /* reversed: blue low */
  assert_rgb(cbc_palette_at(&p, 1), 0xa50026);
  assert_int_equal(cbc_palette_find("Nope", &p, &e), -1);
  assert_non_null(strstr(e.msg, "unknown palette 'Nope'"));
  assert_non_null(strstr(e.msg, "viridis"));
  assert_int_equal(cbc_palette_find("", &p, &e), -1);
}

static void test_sampling(void **state) {
  (void)state;
  cbc_palette p;
  cb_err e;
  assert_int_equal(cbc_palette_find("viridis", &p, &e), 0);
  assert_rgb(cbc_palette_at(&p, 0), 0x440154);
  assert_rgb(cbc_palette_at(&p, 1), 0xfde725);
  assert_rgb(cbc_palette_at(&p, 0.5), 0x21918c); /* an anchor */
  cbc_rgb a = cbc_palette_at(&p, 0.05), lo = cbc_hex(0x440154),
          hi = cbc_hex(0x482475);
  assert_near(a.g, (lo.g + hi.g) / 2, 1e-9); /* halfway between */
  assert_rgb(cbc_palette_at(&p, -3), 0x440154);   /* clamped */
  assert_rgb(cbc_palette_at(&p, NAN), 0x440154);
}

static void test_classes(void **state) {
  (void)state;
  cbc_palette p;
  cb_err e;
  cbc_rgb c[12];
  assert_int_equal(cbc_palette_find("Reds", &p, &e), 0);
  cbc_palette_classes(&p, 5, c);
  assert_rgb(c[0], 0xfff5f0);
  assert_rgb(c[2], 0xfb6a4a);
  assert_rgb(c[4], 0x67000d);
  assert_int_equal(cbc_palette_find("Set2", &p, &e), 0);
  cbc_palette_classes(&p, 10, c);
  assert_rgb(c[1], 0xfc8d62);
  assert_rgb(c[8], 0x66c2a5); /* cycles after 8 colours */
}

static void test_centered_diverging(void **state) {
  (void)state;
  cbc_palette p;
  cb_err e;
  cbc_rgb c[4];
  assert_int_equal(cbc_palette_find("RdBu", &p, &e), 0);
  /* three classes below zero, one above: the one above must be pale
   * (one step from the centre), not the darkest blue */
  double edges[] = {-3, -2, -1, 0, 1};
  cbc_palette_centered(&p, edges, 4, 0, c);
  cbc_rgb want0 = cbc_palette_at(&p, 0), want3 = cbc_palette_at(&p, 0.5 + 0.5 / 3);
  assert_near(c[0].r, want0.r, 1e-12);
  assert_near(c[3].b, want3.b, 1e-12);
  assert_near(c[3].r, want3.r, 1e-12);
  /* a class straddling the centre gets the middle colour */
  double e2[] = {-1, 0.5, 2, 3};
  cbc_palette_centered(&p, e2, 3, 1, c);
  cbc_rgb mid = cbc_palette_at(&p, 0.5);
  assert_near(c[1].g, mid.g, 1e-12);
}

static void test_parse_color(void **state) {
  (void)state;
  cbc_rgb c;
  assert_int_equal(cbc_parse_color("#ff8000", &c), 0);
  assert_near(c.g, 128 / 255.0, 1e-12);
  assert_int_equal(cbc_parse_color("#f80", &c), 0);
  assert_near(c.g, 0x88 / 255.0, 1e-12);
  assert_int_equal(cbc_parse_color("grey", &c), 0);
  assert_int_equal(cbc_parse_color("none", &c), 0);
  assert_near(c.a, 0, 0);
  assert_int_equal(cbc_parse_color("#12345", &c), -1);
  assert_int_equal(cbc_parse_color("mauve-ish", &c), -1);
  assert_int_equal(cbc_parse_color("#gg0000", &c), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_find_and_reverse),
      cmocka_unit_test(test_sampling),
      cmocka_unit_test(test_classes),
      cmocka_unit_test(test_centered_diverging),
      cmocka_unit_test(test_parse_color),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
