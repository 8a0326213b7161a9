/* What the layer files share (layer.c: opening, fields, polygons;
 * layer_dissolve.c): the layer itself and three steps of reading it. */
#ifndef CB_LAYER_INT_H
#define CB_LAYER_INT_H

#include <gdal.h>
#include <ogr_api.h>

#include "layer.h"

struct cb_layer {
  GDALDatasetH ds;
  OGRLayerH lyr;
  char *path, *name;
  char *srs_wkt;   /* NULL when none */
  char *where;     /* open-time filter, NULL when none */
  char **fields;   /* field names */
  int nfields;
  const char *datum; /* "gcj02", "wgs84" or NULL (static strings) */
};

/* Sets the attribute filter (open-time AND call-time where) and rewinds;
 * -1 with e filled (naming the field at fault) on a filter that cannot run. */
int layer_set_filter(cb_layer *l, const char *where, cb_err *e);

/* The index of field `name` (l->nfields for the feature ids); -1 with e
 * filled, listing the fields, when there is none. */
int layer_field_index(const cb_layer *l, const char *name, cb_err *e);

/* Geometry g of feature pos (FID fid) linearised and made valid; a copy
 * the caller owns, or NULL with e filled. *repaired = 1 when it was not
 * valid. */
OGRGeometryH layer_clean_geometry(const cb_layer *l, OGRGeometryH g,
                                  size_t pos, long fid, int *repaired,
                                  cb_err *e);

#endif
