/* Coordinate reference systems: the one reader of a user's CRS string
 * (EPSG:n, WKT, PROJ, ...), and comparison, a short label and WKT over it. */
#ifndef CB_CRS_H
#define CB_CRS_H

#include <ogr_srs_api.h>
#include <stddef.h>

#include "cb.h"

/* A new SRS from anything OGR's SetFromUserInput takes, with x = longitude
 * or easting and y = latitude or northing whatever the authority says.
 * NULL (and no error) when crs is NULL, empty or not understood. Destroy
 * with OSRDestroySpatialReference. */
OGRSpatialReferenceH cb_crs_parse(const char *crs);

/* The same, but NULL fills e: "<what>: crs is missing (...)" or "<what>:
 * cannot understand CRS '<crs>' (use e.g. ...)" (no prefix when what is
 * NULL). */
OGRSpatialReferenceH cb_crs_read(const char *crs, const char *what,
                                 cb_err *e);

/* s as WKT2 (2018) text, malloc'ed; NULL when OGR cannot export it. */
char *cb_crs_wkt(OGRSpatialReferenceH s);

/* A user CRS string normalised to WKT2 (malloc'ed); NULL and e filled as
 * by cb_crs_read when it cannot be understood. */
char *cb_crs_to_wkt(const char *crs, cb_err *e);

/* 1 when the two CRSs (WKT or user strings) are the same semantically
 * (OSRIsSame, ignoring axis order conventions), 0 otherwise or when either
 * cannot be read. */
int cb_crs_same(const char *a, const char *b);

/* 1 when crs (WKT or a user string) is geographic (lon/lat), 0 when it is
 * projected, NULL or cannot be read. */
int cb_crs_geographic(const char *crs);

/* A short name for a CRS, into buf: "EPSG:4326", else its name, else "an
 * unnamed <projection> CRS"; "an unknown CRS" when it cannot be read. */
const char *cb_crs_label(const char *crs, char *buf, size_t len);

/* The CRS of a file being opened from `have`, the file's own (NULL when it
 * has none), and `given`, the user's option crs (NULL when not given),
 * which only fills a missing CRS. Sets *wkt to the result as WKT
 * (malloc'ed; NULL when neither). Fails, naming path, on an option crs
 * that cannot be read or that differs from the file's own; `fix` says how
 * to change a file's CRS instead. */
int cb_crs_resolve(OGRSpatialReferenceH have, const char *given,
                   const char *path, const char *fix, char **wkt, cb_err *e);

#endif
