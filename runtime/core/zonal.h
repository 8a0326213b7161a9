/* Zonal statistics: stream one raster over a coverage (spans per row) in
 * strips of rows, split across threads, with per-zone accumulators merged in
 * a fixed order so that results do not depend on the thread count. */
#ifndef CB_ZONAL_H
#define CB_ZONAL_H

#include <stddef.h>

#include "cb.h"
#include "coverage.h"
#include "raster.h"

typedef enum {
  CB_WEIGHT_COVERAGE, /* w = coverage fraction (1 for center/touched) */
  CB_WEIGHT_AREA,     /* w = coverage x true cell area (m^2) */
  CB_WEIGHT_RASTER    /* w = coverage x value of a weight raster */
} cb_weight_kind;

typedef struct cb_zonal_opts {
  int threads;                /* <= 0: CBAL_THREADS, else online cores */
  cb_weight_kind weights;
  cb_raster *weight_raster;   /* for CB_WEIGHT_RASTER; same grid */
  const double *row_areas;    /* for CB_WEIGHT_AREA: one area per row */
  const char *label;          /* progress bar label; NULL: no bar */
  int strip_rows;             /* rows per strip; 0: chosen from the raster's
                                 block size (tests set it to force strips) */
} cb_zonal_opts;

/* Per zone (arrays of nzones, malloc'ed; free with cb_zonal_free):
 *   count  = sum of coverage over cells with a valid value (and weight)
 *   weight = sum of w over those cells (= count for coverage weights)
 *   sum    = sum of value * w;  mean = sum / weight (NaN when weight is 0)
 *   min, max over valid cells with coverage > 0 (NaN when none)
 *   stddev = weighted population standard deviation (NaN when weight is 0)
 *   cells  = covered cells inside the grid (sum of coverage)
 *   valid  = count;  missing = coverage over invalid cells plus the
 *            polygon's area outside the grid (in cells) */
typedef struct cb_zonal_result {
  size_t n;
  double *count, *weight, *sum, *mean, *min, *max, *stddev;
  double *cells, *valid, *missing;
  double total_valid, total_cells; /* over all zones, for warnings */
} cb_zonal_result;

/* The thread count to use for `want` (<= 0: CBAL_THREADS or online cores;
 * at least 1, at most 64). */
int cb_zonal_threads(int want);

/* Computes the statistics of raster r over coverage c. r must be on c's
 * grid (size and geotransform), else an error saying to build zones for
 * r's grid. Memory: one strip of rows per thread (threads are capped so
 * that strips take at most 256 MB together) plus per-strip partials.
 * Returns 0, or -1 with e filled (read errors name the raster). */
int cb_zonal_stats(const cb_coverage *c, cb_raster *r, const cb_zonal_opts *o,
                   cb_zonal_result *out, cb_err *e);

void cb_zonal_free(cb_zonal_result *res);

/* 0 when raster r lies on grid g (same size, geotransform within 1e-9 of a
 * cell), else -1 with e filled naming the raster and what differs. */
int cb_zonal_check_grid(const cb_grid *g, const cb_raster *r, cb_err *e);

#endif
