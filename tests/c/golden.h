/* Golden-image comparison shared by the figure tests: render a figure,
 * compare it by RMS with tests/golden/<name>.png, write the actual image
 * and an amplified difference to tests/golden/actual/ on a mismatch;
 * CBAL_GOLDEN_UPDATE=1 (make golden-update) rewrites the reference. */
#ifndef GOLDEN_H
#define GOLDEN_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "figure.h"

#define TOLERANCE 0.6 /* RMS over 0..255 channels; a moved tick mark is ~1 */

static double rms(cairo_surface_t *a, cairo_surface_t *b, cairo_surface_t *d) {
  int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
  int sa = cairo_image_surface_get_stride(a), sb = cairo_image_surface_get_stride(b),
      sd = cairo_image_surface_get_stride(d);
  unsigned char *pa = cairo_image_surface_get_data(a),
                *pb = cairo_image_surface_get_data(b),
                *pd = cairo_image_surface_get_data(d);
  double sum = 0;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      for (int c = 0; c < 4; c++) {
        int va = pa[y * sa + 4 * x + c], vb = pb[y * sb + 4 * x + c];
        int diff = abs(va - vb);
        if (c < 3) sum += (double)diff * diff;
        int amp = c == 3 ? 255 : 255 - (diff * 16 > 255 ? 255 : diff * 16);
        pd[y * sd + 4 * x + c] = (unsigned char)amp;
      }
  cairo_surface_mark_dirty(d);
  return sqrt(sum / (3.0 * w * h));
}

static void check_golden(cbc_figure *f, const char *name) {
  cb_err e;
  cairo_surface_t *img = cbc_figure_image(f, &e);
  if (!img) fail_msg("%s: %s", name, e.msg);
  char ref[256], act[256], dif[256];
  snprintf(ref, sizeof ref, "tests/golden/%s.png", name);
  snprintf(act, sizeof act, "tests/golden/actual/%s.png", name);
  snprintf(dif, sizeof dif, "tests/golden/actual/%s-diff.png", name);
  if (getenv("CBAL_GOLDEN_UPDATE")) {
    assert_int_equal(cairo_surface_write_to_png(img, ref), CAIRO_STATUS_SUCCESS);
    printf("updated %s\n", ref);
    cairo_surface_destroy(img);
    cbc_figure_free(f);
    return;
  }
  cairo_surface_t *want = cairo_image_surface_create_from_png(ref);
  int ok = cairo_surface_status(want) == CAIRO_STATUS_SUCCESS;
  double r = -1;
  if (ok && cairo_image_surface_get_width(want) == cairo_image_surface_get_width(img) &&
      cairo_image_surface_get_height(want) == cairo_image_surface_get_height(img)) {
    cairo_surface_t *want32 = cairo_image_surface_create(
        CAIRO_FORMAT_ARGB32, cairo_image_surface_get_width(img),
        cairo_image_surface_get_height(img));
    cairo_t *cr = cairo_create(want32);
    cairo_set_source_surface(cr, want, 0, 0);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_flush(want32);
    cairo_surface_t *d = cairo_image_surface_create(
        CAIRO_FORMAT_ARGB32, cairo_image_surface_get_width(img),
        cairo_image_surface_get_height(img));
    r = rms(img, want32, d);
    printf("%s: RMS %.4f\n", name, r);
    if (r > TOLERANCE) {
      mkdir("tests/golden/actual", 0755);
      cairo_surface_write_to_png(img, act);
      cairo_surface_write_to_png(d, dif);
    }
    cairo_surface_destroy(d);
    cairo_surface_destroy(want32);
  } else {
    mkdir("tests/golden/actual", 0755);
    cairo_surface_write_to_png(img, act);
  }
  cairo_surface_destroy(want);
  cairo_surface_destroy(img);
  cbc_figure_free(f);
  if (r < 0)
    fail_msg("%s: no reference of the same size (%s); look at %s and run "
             "make golden-update", name, ref, act);
  if (r > TOLERANCE)
    fail_msg("%s: RMS %.3f > %.1f; see %s and %s", name, r, TOLERANCE, act, dif);
}

#endif
