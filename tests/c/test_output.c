/* Unit tests for output files (core/atomic): every writer (tables, layers,
 * rasters, figures) under the injected write and close failures of a full
 * disk reports the target, keeps the previous file and leaves no temporary
 * file; GDAL's raw messages are cut to what a user can read. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
/* cmocka needs the headers above first */
#include <cmocka.h>

#include <cpl_error.h>

#include "core/atomic.h"
#include "core/gdalx.h"
#include "core/sha256.h"
#include "core/table.h"
#include "core/write.h"
#include "figure.h"

#include "tmpdir_fixture.h"

/* Number of entries in dir. */
static int entries(void) {
  DIR *d = opendir(dir);
  int n = 0;
  struct dirent *de;
  while ((de = readdir(d)) != NULL)
    if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) n++;
  closedir(d);
  return n;
}

typedef int (*writer)(const char *path, int variant, cb_err *e);

static int w_table(const char *path, int v, cb_err *e) {
  double num[2] = {v, 2};
  char *str[2] = {"a", "b"};
  cb_column cols[2] = {{"x", 1, num, NULL}, {"s", 0, NULL, str}};
  cb_table t = {2, 2, cols, NULL};
  return cb_table_write(path, &t, NULL, 0, e);
}

static int w_layer(const char *path, int v, cb_err *e) {
  double xy[8] = {0, 0, 1, 0, 1, 1, 0, 1};
  cb_ring ring = {xy, 4, 0};
  cb_polygon poly = {&ring, 1};
  cb_field f = {"n", 'i'};
  cb_value val = {0, NULL, v, 0};
  cb_feature ft = {&poly, &val};
  cb_layer_spec s = {"l", "EPSG:4326", CB_GEOM_MULTIPOLYGON, &f, 1};
  return cb_write_layer(path, &s, &ft, 1, e);
}

static int row_fill(void *ud, int y, double *row, cb_err *e) {
  (void)e;
  for (int x = 0; x < 8; x++) row[x] = *(int *)ud + x + y;
  return 0;
}

static int w_raster(const char *path, int v, cb_err *e) {
  cb_raster_spec s = {0};
  s.width = s.height = 8;
  double gt[6] = {0, 1, 0, 0, 0, -1};
  memcpy(s.gt, gt, sizeof gt);
  s.crs = "EPSG:4326";
  s.type = "Byte";
  return cb_write_raster(path, &s, row_fill, &v, e);
}

static int w_figure(const char *path, int v, cb_err *e) {
  cbc_figure_opts o;
  cbc_figure_defaults(&o);
  o.width_mm = 40 + v, o.height_mm = 30, o.dpi = 72;
  o.draw_text = 0;
  cbc_figure *f = cbc_figure_new(&o, e);
  if (!f) return -1;
  int rc = cbc_figure_save(f, path, e);
  cbc_figure_free(f);
  return rc;
}

/* Writes a good file, then fails the rewrite at its first write and at its
 * close: each failure names the target and keeps the good file. */
static void check_writer(writer w, const char *name) {
  char path[200], hex[65], hex2[65], want[300];
  long long size;
  cb_err e;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  if (w(path, 1, &e)) fail_msg("%s: %s", name, e.msg);
  assert_int_equal(cb_sha256_file(path, hex, &size, &e), 0);
  snprintf(want, sizeof want, "cannot write %s: No space left on device", path);
  int how[2] = {CB_FAIL_WRITE, CB_FAIL_CLOSE};
  for (int i = 0; i < 2; i++) {
    cb_out_fail_next(how[i]);
    if (w(path, 2, &e) == 0) fail_msg("%s: failure %d not reported", name, how[i]);
    if (!strstr(e.msg, want)) fail_msg("%s: got '%s'", name, e.msg);
    assert_null(strstr(e.msg, ".tmp"));
    assert_int_equal(cb_sha256_file(path, hex2, &size, &e), 0);
    assert_string_equal(hex, hex2);
    assert_int_equal(entries(), 1);
  }
  assert_int_equal(w(path, 2, &e), 0);
  assert_int_equal(cb_sha256_file(path, hex2, &size, &e), 0);
  assert_string_not_equal(hex, hex2);
  remove(path);
}

static void test_tables_fail_whole(void **state) {
  (void)state;
  check_writer(w_table, "t.csv");
  check_writer(w_table, "t.xlsx");
}

static void test_layers_fail_whole(void **state) {
  (void)state;
  check_writer(w_layer, "l.geojson");
  check_writer(w_layer, "l.gpkg");
}

static void test_rasters_fail_whole(void **state) {
  (void)state;
  check_writer(w_raster, "r.tif");
}

static void test_figures_fail_whole(void **state) {
  (void)state;
  check_writer(w_figure, "f.pdf");
  check_writer(w_figure, "f.svg");
  check_writer(w_figure, "f.png");
}

static void test_missing_folder_is_named(void **state) {
  (void)state;
  char path[200];
  cb_err e;
  snprintf(path, sizeof path, "%s/nope/t.csv", dir);
  assert_int_equal(w_table(path, 1, &e), -1);
  assert_non_null(strstr(e.msg, "folder"));
  assert_non_null(strstr(e.msg, "does not exist"));
}

/* GDAL's own text: no SQL from sqlite3_exec, no libtiff function names. */
static void test_gdal_messages_are_cut(void **state) {
  (void)state;
  cb_gdal_init();
  char sql[3000] = "sqlite3_exec(CREATE TABLE x (";
  for (int i = 0; i < 200; i++) strcat(sql, "col INTEGER, ");
  strcat(sql, "y TEXT)) failed: database or disk is full");
  CPLPushErrorHandler(CPLQuietErrorHandler);
  CPLError(CE_Failure, CPLE_AppDefined, "%s", sql);
  cb_err e;
  cb_gdal_fail(&e, "out.gpkg");
  assert_string_equal(e.msg, "out.gpkg: database or disk is full");
  CPLError(CE_Failure, CPLE_AppDefined,
           "TIFFWriteDirectoryTagData:IO error writing tag data");
  cb_gdal_fail(&e, "r.tif");
  assert_string_equal(e.msg, "r.tif: IO error writing tag data");
  char big[2000];
  memset(big, 'x', sizeof big - 1);
  big[sizeof big - 1] = 0;
  CPLError(CE_Failure, CPLE_AppDefined, "%s", big);
  cb_gdal_fail(&e, "a");
  CPLPopErrorHandler();
  assert_true(strlen(e.msg) < 320);
  assert_non_null(strstr(e.msg, "xxx..."));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tables_fail_whole),
      cmocka_unit_test(test_layers_fail_whole),
      cmocka_unit_test(test_rasters_fail_whole),
      cmocka_unit_test(test_figures_fail_whole),
      cmocka_unit_test(test_missing_folder_is_named),
      cmocka_unit_test(test_gdal_messages_are_cut),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
