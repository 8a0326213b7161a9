/* Projection between lon/lat (WGS84 degrees) and a planar analysis CRS in
 * metres through PROJ: the automatic equal-area (Albers) CRS fitted to an
 * extent, polygon sets and point arrays forward and back, and geodesic
 * distance and azimuth between lon/lat points. */
#ifndef CB_SPATIAL_PROJ_H
#define CB_SPATIAL_PROJ_H

#include <stddef.h>

#include "cb.h"
#include "geom.h"

typedef struct cb_proj cb_proj;

/* The Albers conic equal-area CRS on WGS84 for a lon/lat extent: central
 * meridian and latitude of origin at the middle, standard parallels at 1/6
 * and 5/6 of the latitude span (Snyder 1987's rule of thumb), metres. Writes
 * a PROJ string into buf. */
const char *cb_proj_albers_for(const double lonlat_bbox[4], char *buf,
                               size_t len);

/* The transformation from EPSG:4326 (lon, lat order) to crs (a PROJ string,
 * "EPSG:n" or WKT), which must be a projected CRS in metres; NULL and e
 * filled naming the CRS otherwise. Free with cb_proj_free. */
cb_proj *cb_proj_new(const char *crs, cb_err *e);
void cb_proj_free(cb_proj *p);

/* Transforms n points in place, lon/lat -> CRS (inverse = 0) or back
 * (inverse = 1). Returns 0, or -1 (e filled) when a point cannot be
 * transformed. */
int cb_proj_points(cb_proj *p, double *x, double *y, size_t n, int inverse,
                   cb_err *e);

/* Transforms every ring of ps in place from lon/lat into the CRS, split
 * across `threads` threads (each with its own PROJ context); ps->bbox and
 * srs_wkt are updated. */
int cb_proj_polyset(cb_proj *p, cb_polyset *ps, int threads, cb_err *e);

/* Geodesic distance (metres) and initial azimuth (degrees clockwise from
 * north, in [0, 360)) from (lon1, lat1) to (lon2, lat2) on WGS84. */
void cb_geodesic(double lon1, double lat1, double lon2, double lat2,
                 double *dist, double *azimuth);

#endif
