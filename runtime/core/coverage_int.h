/* Internal to the coverage builder: one polygon swept row by row in pixel
 * space (its edges, active-edge list and one row of scratch), and the
 * growing span list the sweep emits into. */
#ifndef CB_COVERAGE_INT_H
#define CB_COVERAGE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "coverage.h"

/* Coverage weights at or below this are dropped (exact and touched). */
#define CB_COVER_EPS 1e-12

/* World -> pixel as GDAL computes it (inverse geotransform, then
 * a + x*b), so exact edge hits round the same way as GDAL's rasterizer. */
typedef struct cov_xform {
  double ax, bx, ay, by;
} cov_xform;

/* One ring edge in pixel coordinates, in the ring's own direction. f is
 * the orientation factor (+1/-1) that makes exteriors add and holes
 * subtract in exact mode. Rows ra..rb (inclusive) may need the edge. */
typedef struct cov_edge {
  double x0, y0, x1, y1;
  double f;
  int ra, rb;
  int part; /* polygon part: an exterior ring and the holes after it */
  int rev;  /* center: GDAL reads this ring backwards (see coverage_center.c) */
} cov_edge;

/* A scanline crossing (center mode), tagged with its part. */
typedef struct cov_cross {
  double x;
  int part;
} cov_cross;

typedef struct cov_poly {
  uint32_t zone;
  int r0, r1;          /* rows the polygon may touch, clipped to the grid */
  int c0, w;           /* columns [c0, c0 + w) it may touch */
  cov_edge *edges;     /* in ring order */
  uint32_t *byrow;     /* edge indices sorted by ra (stable) */
  size_t nedges, next; /* next (in byrow) to activate */
  size_t *active;      /* edge indices, in activation order */
  size_t nactive;
  double *row;         /* w + 2 doubles of scratch (exact, touched) */
  uint64_t *bits;      /* w / 64 + 2 words: cells deposited into this row */
  cov_cross *ints;     /* nedges crossings (center) */
  int32_t *ivals;      /* 2 * nedges interval ends (center) */
  double cells;        /* Σ weight emitted */
} cov_poly;

typedef struct cov_out {
  cb_span *spans;
  size_t n, cap;
} cov_out;

/* Grows o by half (at least 1024 spans); -1 when out of memory. */
int cov_grow(cov_out *o);

/* Appends one span; -1 when out of memory. */
static inline int cov_emit(cov_out *o, int32_t x0, int32_t x1, uint32_t zone,
                           float w) {
  if (o->n == o->cap && cov_grow(o)) return -1;
  o->spans[o->n++] = (cb_span){x0, x1, zone, w};
  return 0;
}

/* A run of polygons consecutive in the build order (by first row, then
 * index), swept by one thread: their spans by row, only rows with spans
 * listed. Spans of one row, chunk after chunk in order, are the spans a
 * single sweep of every polygon gives (see coverage.c). */
typedef struct cov_chunk {
  size_t i0, i1;  /* polygons order[i0..i1) */
  cov_out out;
  size_t nrows, rcap;
  int32_t *ry;    /* nrows rows with spans, increasing */
  size_t *ro;     /* nrows + 1 offsets into out.spans */
  size_t *dst;    /* nrows: where each row's spans go in the coverage */
} cov_chunk;

/* Sweeps chunk k: each polygon order[i] joins at row start[order[i]] and
 * leaves after its last row (rows no polygon is on are jumped); fills
 * k->out, k->ry, k->ro and the polygons' c->zone_cells. -1 when out of
 * memory. */
int cov_chunk_sweep(cov_chunk *k, const cb_polyset *ps, const size_t *order,
                    const int *start, const cov_xform *t, cb_coverage *c);

/* Pixel-space bbox of a polygon (xmin, ymin, xmax, ymax). Returns 1 when
 * it has at least one point, 0 when empty, -1 (filling e, naming the
 * 1-based feature) on a non-finite coordinate. */
int cov_poly_bbox(const cb_polygon *p, const cov_xform *t, size_t feature,
                  double bb[4], cb_err *e);

/* Area of the polygon in cells (exteriors minus holes), and the part of
 * it inside the grid box [0, ncols] x [0, nrows]. */
void cov_poly_areas(const cb_polygon *p, const cov_xform *t, int ncols,
                    int nrows, double *total, double *inside);

/* Builds the sweep state of polygon `zone` for grid g and mode m. Leaves
 * p->r0 > p->r1 when it touches no row. -1 when out of memory. */
int cov_poly_init(cov_poly *p, const cb_polygon *poly, uint32_t zone,
                  const cov_xform *t, const cb_grid *g, cb_cover_mode m);

/* Emits the spans of row r (p->r0 <= r <= p->r1, called in increasing r).
 * -1 when out of memory. */
int cov_poly_row(cov_poly *p, int r, const cb_grid *g, cb_cover_mode m,
                 cov_out *o);

void cov_poly_free(cov_poly *p);

/* Exact kernel: deposits the signed area of the piece (xa,ya)-(xb,yb)
 * (local columns, 0 <= y <= 1, d = signed height times orientation)
 * into row[0..w] so that the prefix sum of row gives each cell's
 * covered fraction. */
void cov_deposit(double *row, int w, double xa, double xb, double d);

/* Center kernel (GDAL's scanline rule, even-odd within each part): writes
 * the cell intervals [a, b) of row r to ivals (possibly overlapping);
 * returns how many. */
size_t cov_center_intervals(const cov_poly *p, int r, int ncols,
                            cov_cross *ints, int32_t *ivals);

#endif
