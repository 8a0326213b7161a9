/* Polygons as plain C data, shared by the layer reader (which fills them
 * from OGR, already in the target CRS), the coverage builder and the map
 * renderer. Coordinates are interleaved x,y doubles. */
#ifndef CB_GEOM_H
#define CB_GEOM_H

#include <stddef.h>

typedef struct cb_ring {
  double *xy;     /* 2*n values; the closing point may or may not repeat */
  size_t n;       /* number of points */
  int hole;       /* 1 for an interior ring (hole), 0 for an exterior ring */
} cb_ring;

/* One feature: all rings of a polygon or multipolygon. A feature with no
 * rings (empty or null geometry) is allowed and covers nothing. */
typedef struct cb_polygon {
  cb_ring *rings;
  size_t nrings;
} cb_polygon;

/* A set of features in one CRS, in layer order. */
typedef struct cb_polyset {
  cb_polygon *polys;
  size_t n;
  char *srs_wkt;        /* CRS as WKT, NULL when unknown */
  double bbox[4];       /* xmin, ymin, xmax, ymax over all rings */
} cb_polyset;

/* A new set of n features without rings (srs_wkt NULL, bbox empty:
 * +inf..-inf), or NULL when out of memory. Free with cb_polyset_free. */
cb_polyset *cb_polyset_new(size_t n);

/* Frees everything a polyset owns, including the struct (NULL is fine). */
void cb_polyset_free(cb_polyset *ps);

/* Frees the rings of one polygon and empties it. */
void cb_polygon_clear(cb_polygon *p);

/* Sets ps->bbox to the bounds of every ring of every feature (+inf..-inf
 * when there is no point). */
void cb_polyset_bbox(cb_polyset *ps);

/* Signed area of a ring (shoelace; positive when counter-clockwise in a
 * y-up plane). */
double cb_ring_area(const cb_ring *r);

/* A ring's signed area *a (as cb_ring_area) and first moments *mx, *my
 * (the centroid is (*mx / *a, *my / *a)); all 0 for fewer than 3 points.
 * Summed about the first vertex, so large coordinates keep their digits. */
void cb_ring_moments(const cb_ring *r, double *a, double *mx, double *my);

/* Planar area of a polygon: its outer rings' areas less its holes'. */
double cb_polygon_area(const cb_polygon *p);

#endif
