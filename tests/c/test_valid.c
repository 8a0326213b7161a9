/* Polygon validity through GEOS directly (core/valid.c) decides as
 * OGR_G_IsValid does, on valid shapes and on every kind of invalid one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include <cpl_error.h>
#include <ogr_api.h>

#include "core/gdalx.h"
#include "core/valid.h"

static const struct {
  const char *wkt;
  int valid;
} cases[] = {
    {"POLYGON ((0 0,4 0,4 4,0 4,0 0))", 1},
    {"POLYGON ((0 0,0 4,4 4,4 0,0 0))", 1}, /* clockwise */
    {"POLYGON ((0 0,4 0,4 4,0 4,0 0),(1 1,1 2,2 2,2 1,1 1))", 1},
    {"POLYGON Z ((0 0 5,4 0 5,4 4 6,0 4 6,0 0 5))", 1},
    {"MULTIPOLYGON (((0 0,1 0,1 1,0 1,0 0)),((2 2,3 2,3 3,2 3,2 2)))", 1},
    {"POLYGON ((0 0,4 4,4 0,0 4,0 0))", 0},                          /* bow-tie */
    {"POLYGON ((0 0,4 0,4 4,0 4,0 0),(5 5,6 5,6 6,5 6,5 5))", 0},    /* hole outside */
    {"POLYGON ((0 0,4 0,4 4,0 4,0 0),(1 1,3 1,3 3,1 3,1 1),(1.5 1.5,2 1.5,2 2,1.5 1.5))", 0}, /* nested holes */
    {"POLYGON ((0 0,4 0,2 2,4 4,0 4,2 2,0 0))", 0},                  /* self-touching ring */
    {"MULTIPOLYGON (((0 0,2 0,2 2,0 2,0 0)),((1 1,3 1,3 3,1 3,1 1)))", 0}, /* parts overlap */
    {"POLYGON ((0 0,1 0,1 1,0 0))", 1},                               /* a triangle: 4 points */
    {"POLYGON ((0 0,1 0,0 0))", 0},                                   /* too few points */
    {"POLYGON ((0 0,4 0,4 4,0 4))", -1},                              /* not closed: as OGR says */
    {"POLYGON ((0 0,4 0,4 4,0 4,0 0),(1 1,2 1,2 2))", -1},            /* a short hole */
    {"POLYGON EMPTY", -1},
    {"MULTIPOLYGON EMPTY", -1},
    {"GEOMETRYCOLLECTION (POLYGON ((0 0,1 0,1 1,0 1,0 0)))", -1},
};

static void test_same_as_ogr(void **state) {
  (void)state;
  cb_gdal_init();
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    OGRGeometryH g = NULL;
    char *w = (char *)cases[i].wkt;
    assert_int_equal(OGR_G_CreateFromWkt(&w, NULL, &g), OGRERR_NONE);
    CPLPushErrorHandler(CPLQuietErrorHandler);
    int ogr = OGR_G_IsValid(g), ours = cb_polygon_valid(g);
    CPLPopErrorHandler();
    if (ours != ogr)
      fail_msg("%s: cb_polygon_valid %d, OGR_G_IsValid %d", cases[i].wkt, ours, ogr);
    if (cases[i].valid >= 0 && ours != cases[i].valid)
      fail_msg("%s: valid %d, expected %d", cases[i].wkt, ours, cases[i].valid);
    OGR_G_DestroyGeometry(g);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_same_as_ogr),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
