/* Coverage of polygons on a raster grid, built once and reused for every
 * raster on that grid: per row, a list of spans (x0, x1, zone, weight).
 * Interior runs carry weight 1; in exact mode boundary cells carry the
 * covered fraction of the cell. */
#ifndef CB_COVERAGE_H
#define CB_COVERAGE_H

#include <stddef.h>
#include <stdint.h>

#include "cb.h"
#include "geom.h"

/* A north-up grid: x = gt[0] + col*gt[1], y = gt[3] + row*gt[5]
 * (gt[2] = gt[4] = 0; a rotated grid is an error). */
typedef struct cb_grid {
  double gt[6];
  int ncols, nrows;
} cb_grid;

typedef enum { CB_COVER_EXACT, CB_COVER_CENTER, CB_COVER_TOUCHED } cb_cover_mode;

/* Cells x0 <= col < x1 of one row belong to `zone` (0-based polygon index)
 * with weight w in (0, 1]. */
typedef struct cb_span {
  int32_t x0, x1;
  uint32_t zone;
  float w;
} cb_span;

typedef struct cb_coverage {
  cb_grid grid;
  cb_cover_mode mode;
  size_t nzones;
  size_t nspans;
  cb_span *spans;     /* sorted by row; within a row in any fixed order */
  /* Only rows with spans are listed, so nothing here grows with the grid:
   * the i-th listed row is row row_y[i] (increasing) and has spans
   * [row_off[i], row_off[i + 1]). */
  size_t nrows;       /* rows with at least one span */
  int32_t *row_y;     /* nrows row numbers */
  size_t *row_off;    /* nrows + 1 offsets into spans */
  double *zone_cells; /* per zone: Σ weight over the grid (covered cells) */
  double *zone_area_outside; /* per zone: polygon area outside the grid, in cells */
} cb_coverage;

/* Builds the coverage of polys (already in the grid's CRS) on grid g.
 * Time and memory grow with the polygons' rows and spans, not with the
 * grid's size (a 2e9 x 2e9 grid is fine).
 * Returns NULL and fills e on failure (out of memory, rotated grid,
 * non-finite coordinates naming the feature). Caller frees with
 * cb_coverage_free. */
cb_coverage *cb_coverage_build(const cb_grid *g, const cb_polyset *polys,
                               cb_cover_mode mode, cb_err *e);

/* The same on `threads` threads (<= 0: CBAL_THREADS when it is a whole
 * number, else every online core). The result is identical, byte for
 * byte, for any thread count. */
cb_coverage *cb_coverage_build_threads(const cb_grid *g,
                                       const cb_polyset *polys,
                                       cb_cover_mode mode, int threads,
                                       cb_err *e);

void cb_coverage_free(cb_coverage *c);

/* 0 when coverage can be built on grid g, else -1 with e saying what is
 * wrong with it (rotated, non-finite, zero cell size, no cells). */
int cb_coverage_check_grid(const cb_grid *g, cb_err *e);

/* Bytes held by the coverage (for memory reports). */
size_t cb_coverage_bytes(const cb_coverage *c);

#endif
