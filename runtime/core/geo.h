/* Geodesy for zonal weights: the true area of grid cells, per row, on the
 * ellipsoid for geographic CRSs and from the linear unit for projected ones. */
#ifndef CB_GEO_H
#define CB_GEO_H

#include <stddef.h>
#include <stdint.h>

#include "cb.h"
#include "coverage.h"

/* Area (in the ellipsoid's units squared) of the band between latitudes
 * lat1 and lat2 (radians) spanning dlon radians of longitude, on the
 * ellipsoid with semi-major axis a and flattening f (exact closed form via
 * the authalic function q(phi)). Sign-free: always >= 0. */
double cb_geo_band_area(double a, double f, double lat1, double lat2,
                        double dlon);

/* Fills out[0..n-1] with the area in square metres of one cell of rows
 * rows[0..n-1] (NULL: rows 0..n-1) of grid g in CRS srs (WKT or user
 * string). Geographic CRS: exact
 * ellipsoidal band area (latitudes clamped to +-90); projected: |dx*dy|
 * times the linear unit squared. Fails (e filled) when srs is NULL or
 * cannot be read. */
int cb_geo_row_areas(const cb_grid *g, const char *srs, const int32_t *rows,
                     size_t n, double *out, cb_err *e);

#endif
