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

/* CIEDE2000 against the published test pairs (Sharma, Wu & Dalal 2005,
 * table 1: pairs 1, 2, 3, 7 and 17). */
static void test_ciede2000(void **state) {
  (void)state;
  static const double pairs[][7] = {
      {50, 2.6772, -79.7751, 50, 0, -82.7485, 2.0425},
      {50, 3.1571, -77.2803, 50, 0, -82.7485, 2.8615},
      {50, 2.8361, -74.0200, 50, 0, -82.7485, 3.4412},
      {50, 0, 0, 50, -1, 2, 2.3669},
      {50, 2.5, 0, 73, 25, -18, 27.1492}};
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
    assert_near(cbc_ciede2000(pairs[i], pairs[i] + 3), pairs[i][6], 5e-5);
    assert_near(cbc_ciede2000(pairs[i] + 3, pairs[i]), pairs[i][6], 5e-5);
  }
  double white[3], black[3], red[3], green[3], dr[3], dg[3];
  cbc_lab(cbc_hex(0xffffff), CBC_CVD_NONE, white);
  cbc_lab(cbc_hex(0x000000), CBC_CVD_NONE, black);
  assert_near(white[0], 100, 1e-3);
  assert_near(black[0], 0, 1e-9);
  /* red and green, far apart for most readers, close for deuteranopes */
  cbc_lab(cbc_hex(0xd62728), CBC_CVD_NONE, red);
  cbc_lab(cbc_hex(0x2ca02c), CBC_CVD_NONE, green);
  cbc_lab(cbc_hex(0xd62728), CBC_CVD_DEUTAN, dr);
  cbc_lab(cbc_hex(0x2ca02c), CBC_CVD_DEUTAN, dg);
  assert_true(cbc_ciede2000(red, green) > 60);
  assert_true(cbc_ciede2000(dr, dg) < 20);
}

/* Every built-in palette: up to its stated number of classes, adjacent
 * classes (any two of a qualitative palette) stay at least CIEDE2000 5
 * apart under simulated deuteranopia, and one class more no longer does
 * (so the number in the table and the docs is exact). The defaults keep
 * 7 classes apart. */
static void test_colour_blind_palettes(void **state) {
  (void)state;
  for (const char *const *n = cbc_palette_names; *n; n++) {
    cbc_palette p;
    cb_err e;
    assert_int_equal(cbc_palette_find(*n, &p, &e), 0);
    int cap = p.type == CBC_QUAL ? p.n : 12;
    assert_true(p.cvd >= 3 && p.cvd <= cap);
    for (int k = 2; k <= p.cvd; k++)
      if (cbc_palette_min_de(&p, k, CBC_CVD_DEUTAN) < 5)
        fail_msg("%s: %d classes are %.2f apart under deuteranopia", *n, k,
                 cbc_palette_min_de(&p, k, CBC_CVD_DEUTAN));
    if (p.cvd < cap && cbc_palette_min_de(&p, p.cvd + 1, CBC_CVD_DEUTAN) >= 5)
      fail_msg("%s: states %d classes, but %d are still apart", *n, p.cvd, p.cvd + 1);
  }
  const char *defaults[] = {"YlOrRd", "RdBu_r", "OkabeIto"};
  for (int i = 0; i < 3; i++) {
    cbc_palette p;
    cb_err e;
    assert_int_equal(cbc_palette_find(defaults[i], &p, &e), 0);
    assert_true(p.cvd >= 7);
    assert_true(cbc_palette_min_de(&p, 7, CBC_CVD_PROTAN) >= 5);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_find_and_reverse),
      cmocka_unit_test(test_sampling),
      cmocka_unit_test(test_classes),
      cmocka_unit_test(test_centered_diverging),
      cmocka_unit_test(test_parse_color),
      cmocka_unit_test(test_ciede2000),
      cmocka_unit_test(test_colour_blind_palettes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
