/* Vector layers through OGR: open any vector source, read feature counts,
 * fields and polygons (made valid, reprojected into a target CRS). */
#ifndef CB_LAYER_H
#define CB_LAYER_H

#include <stddef.h>

#include "cb.h"
#include "geom.h"

typedef struct cb_layer cb_layer;

typedef struct cb_layer_opts {
  const char *layer;    /* layer name, or NULL for the first layer */
  const char *encoding; /* shapefile .dbf encoding (e.g. "GBK"); NULL: .cpg
                           or the driver's default */
  const char *crs;      /* CRS to assume when the file has none (any string
                           OGR's SetFromUserInput takes); NULL: none */
  const char *where;    /* OGR SQL attribute filter kept for every read */
  const char *datum;    /* only "gcj02", "wgs84" or NULL (the binding checks
                           the option); "gcj02": longitudes/latitudes are GCJ-02 and are
                           converted to WGS84 on read; "wgs84": they are as
                           labelled; NULL: as labelled, with a warning when
                           the file looks like AMap or DataV boundaries */
} cb_layer_opts;

/* Opens path (read-only). o may be NULL. Returns NULL and fills e naming the
 * file when it cannot be read, has no such layer, or the option is wrong.
 * Close with cb_layer_close. */
cb_layer *cb_layer_open(const char *path, const cb_layer_opts *o, cb_err *e);

void cb_layer_close(cb_layer *l); /* NULL is fine */

const char *cb_layer_path(const cb_layer *l);
/* The datum option in effect ("gcj02", "wgs84"), NULL when none was given. */
const char *cb_layer_datum(const cb_layer *l);
const char *cb_layer_name(const cb_layer *l);

/* CRS as WKT (the file's, or the one given in the options), NULL when none.
 * Owned by the layer. */
const char *cb_layer_srs_wkt(const cb_layer *l);

/* Number of features passing the open-time filter and `where` (NULL: none);
 * -1 and e filled on a bad filter. */
long cb_layer_count(cb_layer *l, const char *where, cb_err *e);

/* Field names: count and i-th (0-based; owned by the layer). */
int cb_layer_nfields(const cb_layer *l);
const char *cb_layer_field_name(const cb_layer *l, int i);

/* 1 when the named field holds numbers (integer or real), 0 for other types,
 * -1 (e filled, listing the fields) when there is no such field. */
int cb_layer_field_is_numeric(const cb_layer *l, const char *name, cb_err *e);

/* "FID" (any case), or the name of the layer's FID column (GPKG's "fid")
 * when no field has that name, reads the feature ids as a numeric field.
 * A field over the features (in layer order, filtered by `where`): as
 * doubles (null -> NaN; strings parsed, unparsable -> NaN) or as UTF-8
 * strings (null -> NULL). *out is malloc'ed (strings: each too; free with
 * cb_strings_free). Returns 0, or -1 with e filled. */
int cb_layer_field_doubles(cb_layer *l, const char *name, const char *where,
                           double **out, size_t *n, cb_err *e);
int cb_layer_field_strings(cb_layer *l, const char *name, const char *where,
                           char ***out, size_t *n, cb_err *e);
void cb_strings_free(char **s, size_t n);

/* The polygons of every feature (filtered by `where`), converted from
 * GCJ-02 when the layer was opened with datum "gcj02", reprojected into
 * target_srs (WKT or any SetFromUserInput string; NULL keeps the layer's
 * CRS). assume_srs is the layer's CRS when the layer has none (NULL: none).
 * Invalid geometries are made valid; a geometry that cannot be, or is not
 * polygonal, is an error naming the feature. The set's srs_wkt is the
 * target's (or the source's). Caller frees with cb_polyset_free. */
cb_polyset *cb_layer_polygons(cb_layer *l, const char *where,
                              const char *assume_srs, const char *target_srs,
                              cb_err *e);

/* A new in-memory layer with one feature per distinct value of `field`
 * (in the order values first appear, features passing the layer's filter),
 * whose geometry is the union of those features' polygons (made valid,
 * then OGR_G_UnionCascaded, i.e. GEOS; holes smaller than 1/10 000 of
 * their polygon's outer ring, slivers where neighbours do not quite meet,
 * closed), with `field` as its only
 * attribute, the same CRS and datum. Features without a value are left
 * out with a warning. NULL and e filled on a field that does not exist
 * (listing the fields) or a union GEOS cannot make. Close with
 * cb_layer_close. */
cb_layer *cb_layer_dissolve(cb_layer *l, const char *field, cb_err *e);

#endif
