/* Spatial weights: a sparse n x n matrix in compressed rows (neighbour
 * lists), built from polygon contiguity, k nearest neighbours or a distance
 * band, or triplets (GAL/GWT files are read and written in Lua), styled
 * binary or row-standardised, subset. */
#ifndef CB_SPATIAL_H
#define CB_SPATIAL_H

#include <stddef.h>
#include <stdint.h>

#include "cb.h"
#include "geom.h"

typedef struct cb_weights {
  size_t n;    /* units (rows) */
  size_t *off; /* n + 1 offsets into nb and w */
  int32_t *nb; /* neighbour indices (0-based), ascending within a row */
  double *w;   /* weight of each neighbour */
} cb_weights;

/* An empty weights matrix for n units and room for nnz neighbours (off[]
 * zeroed); NULL and e filled when out of memory. Free with
 * cb_weights_free (NULL is fine). */
cb_weights *cb_weights_new(size_t n, size_t nnz, cb_err *e);
void cb_weights_free(cb_weights *w);

/* Number of neighbours of unit i, and of all units. */
static inline size_t cb_weights_card(const cb_weights *w, size_t i) {
  return w->off[i + 1] - w->off[i];
}
static inline size_t cb_weights_nnz(const cb_weights *w) { return w->off[w->n]; }

typedef enum { CB_CONTIG_QUEEN, CB_CONTIG_ROOK } cb_contig_rule;

/* Contiguity of the features of ps (planar coordinates, e.g. metres of an
 * equal-area CRS): two features are neighbours when at least one (queen)
 * or two (rook) pairs of their boundary vertices lie within `snap` of each
 * other (Euclidean, <=), the rule of spdep's poly2nb. A ring's closing
 * vertex is not counted twice. Binary weights (1). Vertices are bucketed
 * on a grid of cells at least `snap` wide, so the work is about linear in
 * the vertex count; the grid is swept by `threads` threads (<= 0: the
 * default; the result is the same for any count). Returns NULL and fills e
 * when out of memory or CBAL_THREADS is not a whole number. */
cb_weights *cb_weights_contiguity(const cb_polyset *ps, double snap,
                                  cb_contig_rule rule, int threads, cb_err *e);

/* Distances between points for knn and distance bands: Euclidean on planar
 * x, y, or geodesic on the WGS84 ellipsoid between lon/lat degrees
 * (Karney's algorithm through PROJ's geodesic routines). */
typedef enum { CB_DIST_PLANAR, CB_DIST_GEODESIC } cb_dist_metric;

/* The k nearest other points of each point (ties broken by the lower
 * index), binary weights; asymmetric in general. Needs 1 <= k < n (e filled
 * otherwise). Geodesic neighbours are exact: chords through the ellipsoid
 * (never longer than the geodesic) pick the candidates. */
cb_weights *cb_weights_knn(const double *x, const double *y, size_t n,
                           size_t k, cb_dist_metric m, cb_err *e);

/* Every other point within `band` (<=) of each point, binary weights. */
cb_weights *cb_weights_band(const double *x, const double *y, size_t n,
                            double band, cb_dist_metric m, cb_err *e);

/* Distance between two points under metric m (metres for geodesic). */
double cb_dist(cb_dist_metric m, double x1, double y1, double x2, double y2);

/* Restyles w in place: 'B' sets every weight to 1, 'W' divides each row by
 * its sum (rows without neighbours stay empty). */
void cb_weights_style(cb_weights *w, char style);

/* The sub-matrix of the units with keep[i] != 0, renumbered in order;
 * neighbours outside the subset are dropped. NULL and e filled when out
 * of memory. */
cb_weights *cb_weights_subset(const cb_weights *w, const unsigned char *keep,
                              cb_err *e);

/* w_ij (0 when row i does not list j); a binary search in row i. */
double cb_weights_get(const cb_weights *w, size_t i, size_t j);

/* The constants of the moments of Moran's I and Geary's C (Cliff and Ord
 * 1981): S0 = sum of all weights, S1 = 1/2 sum_ij (w_ij + w_ji)^2,
 * S2 = sum_i (w_i. + w_.i)^2. Returns 0, or -1 (e filled) out of memory. */
int cb_weights_constants(const cb_weights *w, double *s0, double *s1,
                         double *s2, cb_err *e);

/* A copy with `self` added as unit i's own neighbour in every row (for
 * Getis-Ord G*), weights then restyled with `style` ('B' or 'W'). */
cb_weights *cb_weights_with_self(const cb_weights *w, char style, cb_err *e);

/* Weights from nnz (i, j, w) triplets (0-based, i != j, each pair at most
 * once, every index < n); rows sorted. NULL and e filled naming the first
 * bad triplet (1-based position). */
cb_weights *cb_weights_from_triplets(size_t n, size_t nnz, const int32_t *i,
                                     const int32_t *j, const double *w,
                                     cb_err *e);

#endif
