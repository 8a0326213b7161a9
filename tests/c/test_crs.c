/* Unit tests for the CRS module: reading user strings, comparing, labels,
 * WKT export, and settling a file's CRS against an option crs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <cpl_error.h>

#include "core/crs.h"
#include "core/gdalx.h"

static int setup(void **state) {
  (void)state;
  cb_gdal_init();
  return 0;
}

static void test_parse_forms(void **state) {
  (void)state;
  const char *forms[] = {"EPSG:4326", "+proj=longlat +datum=WGS84 +no_defs",
                         "WGS84", "EPSG:32650"};
  for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
    OGRSpatialReferenceH s = cb_crs_parse(forms[i]);
    assert_non_null(s);
    /* x is longitude whatever EPSG says about axis order */
    int n = 0;
    const int *map = OSRGetDataAxisToSRSAxisMapping(s, &n);
    assert_int_equal(n, 2);
    if (OSRIsGeographic(s) && OSREPSGTreatsAsLatLong(s)) assert_int_equal(map[0], 2);
    OSRDestroySpatialReference(s);
  }
  assert_null(cb_crs_parse(NULL));
  assert_null(cb_crs_parse(""));
  assert_null(cb_crs_parse("EPSG:99999"));
  assert_null(cb_crs_parse("banana"));
}

static void test_read_messages(void **state) {
  (void)state;
  cb_err e = {{0}};
  assert_null(cb_crs_read("EPSG:99999", "out.tif", &e));
  assert_string_equal(e.msg, "out.tif: cannot understand CRS 'EPSG:99999' "
                      "(use e.g. \"EPSG:4326\", a WKT string or a PROJ "
                      "string)");
  assert_null(cb_crs_read(NULL, "rasterize (grid)", &e));
  assert_string_equal(e.msg, "rasterize (grid): crs is missing (use e.g. "
                      "\"EPSG:4326\", a WKT string or a PROJ string)");
  assert_null(cb_crs_read("nope", NULL, &e));
  assert_string_equal(e.msg, "cannot understand CRS 'nope' (use e.g. "
                      "\"EPSG:4326\", a WKT string or a PROJ string)");
  /* a failed read leaves no GDAL error behind for a later message */
  assert_int_equal(CPLGetLastErrorType(), CE_None);
}

static void test_wkt_round_trip(void **state) {
  (void)state;
  cb_err e = {{0}};
  char *w = cb_crs_to_wkt("EPSG:32650", &e);
  assert_non_null(w);
  assert_non_null(strstr(w, "PROJCRS[")); /* WKT2 */
  assert_true(cb_crs_same(w, "EPSG:32650"));
  assert_false(cb_crs_same(w, "EPSG:32651"));
  free(w);
  assert_null(cb_crs_to_wkt("EPSG:99999", &e));
}

static void test_same_and_geographic(void **state) {
  (void)state;
  /* the same CRS written two ways, axis order aside */
  assert_true(cb_crs_same("EPSG:4326", "+proj=longlat +datum=WGS84 +no_defs"));
  assert_false(cb_crs_same("EPSG:4326", "EPSG:3857"));
  assert_false(cb_crs_same("EPSG:4326", NULL));
  assert_false(cb_crs_same("banana", "banana"));
  assert_true(cb_crs_geographic("EPSG:4490"));
  assert_false(cb_crs_geographic("EPSG:3857"));
  assert_false(cb_crs_geographic(NULL));
}

static void test_labels(void **state) {
  (void)state;
  char b[128];
  assert_string_equal(cb_crs_label("EPSG:4326", b, sizeof b), "EPSG:4326");
  /* a PROJ string is identified when it can be, else named by projection */
  assert_string_equal(cb_crs_label("+proj=longlat +datum=WGS84", b, sizeof b),
                      "an unnamed geographic CRS");
  cb_err e = {{0}};
  char *w = cb_crs_to_wkt("EPSG:4490", &e);
  assert_string_equal(cb_crs_label(w, b, sizeof b), "EPSG:4490");
  free(w);
  assert_string_equal(cb_crs_label("+proj=utm +zone=50 +datum=WGS84", b,
                                   sizeof b),
                      "an unnamed Transverse_Mercator CRS");
  assert_string_equal(cb_crs_label("+proj=aea +lat_1=25 +lat_2=47 +lon_0=105 "
                                   "+datum=WGS84", b, sizeof b),
                      "an unnamed Albers_Conic_Equal_Area CRS");
  assert_string_equal(cb_crs_label("banana", b, sizeof b), "an unknown CRS");
  assert_string_equal(cb_crs_label(NULL, b, sizeof b), "an unknown CRS");
}

static void test_resolve(void **state) {
  (void)state;
  cb_err e = {{0}};
  char *w = NULL;
  OGRSpatialReferenceH own = cb_crs_parse("EPSG:4326");
  /* the file's own CRS, with or without an equal option */
  assert_int_equal(cb_crs_resolve(own, NULL, "a.tif", "fix", &w, &e), 0);
  assert_true(cb_crs_same(w, "EPSG:4326"));
  free(w);
  assert_int_equal(cb_crs_resolve(own, "+proj=longlat +datum=WGS84", "a.tif",
                                  "fix", &w, &e), 0);
  assert_true(cb_crs_same(w, "EPSG:4326"));
  free(w);
  /* an option differing from the file's own */
  assert_int_equal(cb_crs_resolve(own, "EPSG:3857", "a.tif", "warp it", &w,
                                  &e), -1);
  assert_null(w);
  assert_string_equal(e.msg, "'a.tif' already has a CRS (EPSG:4326), "
                      "different from option crs 'EPSG:3857' (crs only fills "
                      "a missing CRS; warp it)");
  /* an unreadable option is an error even when the file has a CRS */
  assert_int_equal(cb_crs_resolve(own, "EPSG:99999", "a.tif", "x", &w, &e), -1);
  assert_string_equal(e.msg, "'a.tif': option crs: cannot understand CRS "
                      "'EPSG:99999' (use e.g. \"EPSG:4326\", a WKT string or "
                      "a PROJ string)");
  OSRDestroySpatialReference(own);
  /* no CRS of its own: the option fills it; neither: none */
  assert_int_equal(cb_crs_resolve(NULL, "EPSG:3857", "b.shp", "x", &w, &e), 0);
  assert_true(cb_crs_same(w, "EPSG:3857"));
  free(w);
  assert_int_equal(cb_crs_resolve(NULL, NULL, "b.shp", "x", &w, &e), 0);
  assert_null(w);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_forms),
      cmocka_unit_test(test_read_messages),
      cmocka_unit_test(test_wkt_round_trip),
      cmocka_unit_test(test_same_and_geographic),
      cmocka_unit_test(test_labels),
      cmocka_unit_test(test_resolve),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
