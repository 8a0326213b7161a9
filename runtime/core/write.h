/* Writers for the generator and the study: GeoTIFF rasters from rows of
 * doubles, vector layers (GPKG, GeoJSON) from plain polygons, plus the
 * geometry helpers the generator needs (burning polygons into a grid, moving
 * points between CRSs, polygon overlay). Files are written atomically. */
#ifndef CB_WRITE_H
#define CB_WRITE_H

#include <stddef.h>

#include "cb.h"
#include "geom.h"

/* A raster to write. crs is anything OGR's SetFromUserInput takes (WKT,
 * "EPSG:n", a PROJ string). type is a GDAL type name ("Byte", "Int16",
 * "UInt16", "Int32", "Float32", "Float64"). compress is NULL or a GTiff
 * COMPRESS value ("DEFLATE", "LZW", "NONE"). */
typedef struct cb_raster_spec {
  int width, height;
  double gt[6];
  const char *crs;
  const char *type;
  int has_nodata;
  double nodata;
  int has_scale;          /* writes scale and offset when set */
  double scale, offset;
  int tiled;
  const char *compress;
  int clamp;              /* clamp out-of-range values instead of failing */
} cb_raster_spec;

/* Fills row (width doubles) for row index y (0 = top); returns 0, or -1
 * after filling e. Values are rounded to integer band types by GDAL; a
 * value the band type cannot hold (300 or -5 in a Byte band, NaN in an
 * integer band without nodata) fails naming its row and column, unless
 * spec.clamp (then it is clamped to the type's range). A NaN in an integer
 * band with a nodata value is written as that value. */
typedef int (*cb_row_fn)(void *ud, int y, double *row, cb_err *e);

/* Writes a one-band GeoTIFF at path (temp file + rename). Fails naming the
 * path and the field (crs, type, size, a geotransform that is not finite)
 * that was wrong; nothing is left behind on failure. The encoded file is
 * built in memory first (see cb_gdal_publish). The file carries no timestamp, so equal inputs give
 * byte-identical files. */
int cb_write_raster(const char *path, const cb_raster_spec *s, cb_row_fn fn,
                    void *ud, cb_err *e);

/* Field of a layer: type is 's' (string), 'i' (integer) or 'r' (real). */
typedef struct cb_field {
  const char *name;
  char type;
} cb_field;

/* A value in a feature's attribute row; isnull for a missing value. */
typedef struct cb_value {
  int isnull;
  const char *s;     /* for 's' */
  long long i;       /* for 'i' */
  double r;          /* for 'r' */
} cb_value;

/* One feature: its polygon (rings with hole flags; each exterior ring starts
 * a new part, holes belong to the last exterior ring) and nfields values. */
typedef struct cb_feature {
  const cb_polygon *geom;
  const cb_value *values;
} cb_feature;

/* The geometry types of a written layer, in the order of
 * cb_geom_type_names ("MultiPolygon", "Polygon", "None"; NULL-ended). */
typedef enum { CB_GEOM_MULTIPOLYGON, CB_GEOM_POLYGON, CB_GEOM_NONE } cb_geom_type;
extern const char *const cb_geom_type_names[];

/* A layer to write. Driver from the extension (cb_layer_driver). */
typedef struct cb_layer_spec {
  const char *layer;
  const char *crs;
  cb_geom_type geometry_type;
  const cb_field *fields;
  size_t nfields;
} cb_layer_spec;

/* The OGR driver cb_write_layer uses for path, by its extension (any
 * case): .gpkg GPKG, .geojson/.json GeoJSON, .fgb FlatGeobuf, .parquet
 * Parquet. NULL with e filled for another extension or when this GDAL
 * lacks the driver (the message says which and what to use instead). */
const char *cb_layer_driver(const char *path, cb_err *e);

/* Writes features to a new file at path (temp + rename); the file holds
 * only this layer. GeoPackages get a fixed last_change date so reruns are
 * byte-identical. Fails naming the path and the feature or field. */
int cb_write_layer(const char *path, const cb_layer_spec *s,
                   const cb_feature *feats, size_t nfeats, cb_err *e);

/* Burns polygons (in crs src_crs; NULL = same as the grid) into a
 * width x height grid (geotransform gt, CRS grid_crs) as a row-major double
 * array: out[k] = burn[i] of the last polygon i covering cell k's centre
 * (every touched cell when all_touched), else `background`. out has
 * width*height values and is owned by the caller. */
int cb_rasterize(const cb_polygon *polys, const double *burn, size_t n,
                 const char *src_crs, int width, int height, const double gt[6],
                 const char *grid_crs, int all_touched, double background,
                 double *out, cb_err *e);

/* Transforms n points in place from one CRS to another (traditional x=lon,
 * y=lat order for geographic CRSs). Fails naming the CRS or the point. */
int cb_transform(double *x, double *y, size_t n, const char *from,
                 const char *to, cb_err *e);

/* The overlays of cb_geom_op, in the order of cb_geom_op_names. */
typedef enum { CB_GEOM_INTERSECTION, CB_GEOM_DIFFERENCE, CB_GEOM_UNION } cb_geom_opkind;
extern const char *const cb_geom_op_names[]; /* "intersection", ..., NULL */

/* Polygon overlay through OGR/GEOS: out = a op b (planar, coordinates as
 * given). out receives malloc'd rings (free with cb_polygon_clear, geom.h);
 * an empty result has no rings. */
int cb_geom_op(const cb_polygon *a, const cb_polygon *b, cb_geom_opkind op,
               cb_polygon *out, cb_err *e);

#endif
