/* Zonal statistics: stream one raster over a coverage (spans per row) in
 * strips of rows, split across threads, with per-zone accumulators merged in
 * a fixed order so that results do not depend on the thread count. */
#ifndef CB_ZONAL_H
#define CB_ZONAL_H

#include <stddef.h>

#include "cb.h"
#include "coverage.h"
#include "raster.h"

/* w_i of the weighted statistics (exactextract's weighting raster). */
typedef enum {
  CB_WEIGHT_NONE,   /* no weights: weighted statistics are not computed */
  CB_WEIGHT_AREA,   /* w = true cell area (m^2), from row_areas */
  CB_WEIGHT_RASTER  /* w = value of a weight raster on the same grid */
} cb_weight_kind;

/* c_i of every statistic (exactextract's coverage_weight). */
typedef enum {
  CB_COVW_FRACTION,          /* c = covered fraction of the cell (default) */
  CB_COVW_NONE,              /* c = 1 for every cell the zone covers */
  CB_COVW_AREA_CARTESIAN,    /* c = fraction x |dx dy| (CRS units^2) */
  CB_COVW_AREA_SPHERICAL_M2, /* c = fraction x spherical cell area, m^2 */
  CB_COVW_AREA_SPHERICAL_KM2 /* the same in km^2 */
} cb_cover_weight;

/* Called once per zone on the thread that called cb_zonal_stats, with the
 * zone's valid cells in cell order (row by row, left to right): values v,
 * coverage weights c and weights w (NULL without weights). Returns 0, or
 * -1 with e filled to stop the pass. */
typedef int (*cb_zonal_zone_fn)(void *ud, size_t zone, const double *v,
                                const double *c, const double *w, size_t n,
                                cb_err *e);

typedef struct cb_zonal_opts {
  int threads;                /* <= 0: CBAL_THREADS, else online cores */
  cb_weight_kind weights;
  cb_raster *weight_raster;   /* for CB_WEIGHT_RASTER; same grid */
  const double *row_areas;    /* for CB_WEIGHT_AREA: the area of one cell of
                                 each coverage row (c->row_y order) */
  double default_weight;      /* w of a cell whose weight is missing; NaN
                                 makes the zone's weighted results NaN, as
                                 in exactextract (zones:stats' default) */
  cb_cover_weight cover_weight;
  double min_coverage;        /* cells covered less than this are left out
                                 of every statistic; 0: none is */
  int no_spread;              /* 1: variance, stdev and cv (plain and
                                 weighted) are not wanted: the pass skips
                                 them and leaves them NaN */
  /* value statistics (they keep each zone's values until it is done) */
  const double *quantiles;    /* q in [0, 1] of the quantiles to compute */
  size_t nq;
  int values;                 /* 1: also mode, minority and variety */
  int keep_hist;              /* 1: each zone's histogram in the result */
  size_t max_classes;         /* keep_hist: more distinct values in one zone
                                 is an error (0: no limit) */
  cb_zonal_zone_fn zone_fn;   /* NULL, or called with each zone's cells */
  void *zone_ud;
  const char *label;          /* progress bar label; NULL: no bar */
  int strip_rows;             /* rows per strip; 0: chosen from the raster's
                                 block size (tests set it to force strips) */
} cb_zonal_opts;

/* Per zone (arrays of nzones, malloc'ed; free with cb_zonal_free), over
 * the cells with a valid value and coverage >= min_coverage, with c the
 * coverage weight (cover_weight) and w the weight (weights):
 *   count = sum c;  sum = sum c x;  mean = sum / count
 *   variance = sum c (x - mean)^2 / count;  stdev = its root;
 *   cv = stdev / mean (exactextract's coefficient_of_variation)
 *   wcount = sum c w;  wsum = sum c w x;  wmean = wsum / wcount;
 *   wvariance, wstdev likewise with c w (NaN arrays without weights;
 *   NaN for a zone with a cell whose weight is missing, unless
 *   default_weight is a number)
 *   min, max over those cells (NaN when none)
 *   cells  = covered cells inside the grid (sum of coverage fractions)
 *   valid  = sum of coverage fractions over those cells (= count for
 *            fraction coverage weights)
 *   missing = coverage fractions over cells without a valid value, plus
 *            the polygon's area outside the grid (in cells)
 * Means, variances and cv are NaN when their denominator is 0. */
/* A zone's distinct values, ascending, with Σc and (weighted) Σcw of
 * each. */
typedef struct cb_zonal_hist {
  size_t n;
  double *v, *c, *cw; /* cw NULL without weights */
} cb_zonal_hist;

typedef struct cb_zonal_result {
  size_t n;
  double *count, *sum, *mean, *variance, *stdev, *cv, *min, *max;
  double *wcount, *wsum, *wmean, *wvariance, *wstdev;
  double *cells, *valid, *missing;
  /* Value statistics, from each zone's distinct values x_i with Σc = C_i
   * (exactextract's definitions): quantile[k][z] for opts->quantiles[k]
   * (NaN for an empty zone); mode (the value with the largest C, the
   * smallest such value on a tie), minority (smallest C, smallest value on
   * a tie), variety (how many distinct values); NaN mode and minority and
   * 0 variety for an empty zone. hist[z] when keep_hist. */
  double **quantile;
  size_t nq;
  double *mode, *minority, *variety;
  cb_zonal_hist *hist;
  size_t values_peak; /* the most cells held at once for the value
                         statistics (zones waiting for their last strip) */
  double total_valid, total_cells; /* over all zones, for warnings */
} cb_zonal_result;

/* The thread count to use for `want` (<= 0: CBAL_THREADS or online cores;
 * at least 1, at most 64). -1 with e filled when CBAL_THREADS is set to
 * something that is not a positive whole number. */
int cb_zonal_threads(int want, cb_err *e);

/* Computes the statistics of raster r over coverage c. r must be on c's
 * grid (size and geotransform), else an error saying to build zones for
 * r's grid. Reads only windows that hold spans (rows with spans, columns
 * from the first span to the last), so the cost follows the zones' cells,
 * not the raster's size. Memory: one window per thread (threads are capped
 * so that windows take at most 256 MB together) plus per-strip partials.
 * Returns 0, or -1 with e filled (read errors name the raster). */
int cb_zonal_stats(const cb_coverage *c, cb_raster *r, const cb_zonal_opts *o,
                   cb_zonal_result *out, cb_err *e);

void cb_zonal_free(cb_zonal_result *res);

/* The cells of one zone (cb_zonal_dump_zone): cell ids (0-based row x
 * ncols + column, exactextract's cell_id), values (NaN for cells without a
 * valid value, listed only when asked), coverage weights c, weights (NaN
 * without weights); row by row, left to right. */
typedef struct cb_zonal_dump {
  size_t n, cap;
  double *cell, *v, *c, *w;
} cb_zonal_dump;

/* Lists the cells of zone `zone` (0-based) of coverage c in raster r, with
 * o's weights, coverage weight, min_coverage and default_weight; cells
 * without a valid value too when nodata is 1. Reads only the zone's rows.
 * Returns 0, or -1 with e filled (free d with cb_zonal_dump_free either
 * way; it is empty after a failure). */
int cb_zonal_dump_zone(const cb_coverage *c, cb_raster *r, size_t zone,
                       const cb_zonal_opts *o, int nodata, cb_zonal_dump *d,
                       cb_err *e);
void cb_zonal_dump_free(cb_zonal_dump *d);

/* out[z] = sum over the cells zone z covers (fraction >= min_coverage) of
 * fraction x row_areas[u] (u: the coverage row, c->row_y order): the
 * covered area in the areas' unit. */
void cb_zonal_cover_area(const cb_coverage *c, const double *row_areas,
                         double min_coverage, double *out);

/* 0 when raster r lies on grid g (same size, geotransform within 1e-9 of a
 * cell), else -1 with e filled naming the raster and what differs. */
int cb_zonal_check_grid(const cb_grid *g, const cb_raster *r, cb_err *e);

/* The one grid comparison behind cb_zonal_check_grid: NULL when raster r
 * lies on grid g, else what differs ("size", "cell size" or "origin"). */
const char *cb_zonal_grid_differs(const cb_grid *g, const cb_raster *r);

#endif
