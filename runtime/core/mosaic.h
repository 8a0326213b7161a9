/* Tiled products as downloaded (MODIS h/v tiles, ...): subdatasets found by
 * name, tiles checked to share one grid and mosaicked through a VRT held in
 * memory (no file is written), and glob patterns. */
#ifndef CB_MOSAIC_H
#define CB_MOSAIC_H

#include <stddef.h>

#include "cb.h"
#include "raster.h"

/* Into buf, the short names of the subdatasets of the GDAL dataset ds (a
 * GDALDatasetH), "Npp_500m, Gpp_500m, ..."; 0 when it has none. */
int cb_subdataset_names(void *ds, char *buf, size_t len);

/* The GDAL name of path's subdataset `want`: its short name (the last
 * ':'-separated part, e.g. "Npp_500m") or the full GDAL name. malloc'ed.
 * NULL and e filled (naming the file and listing the subdatasets) when
 * the file cannot be opened, has no subdatasets, or none is called so. */
char *cb_subdataset_name(const char *path, const char *want, cb_err *e);

/* Opens n tiles (file paths; each resolved to o->subdataset when given) as
 * one raster: their band o->band must share CRS, cell size, alignment and
 * data type; a VRT mosaic of them is built in memory. Cells no tile covers
 * are nodata (the tiles' own, or a mask when they declare none). The
 * raster's path reads "<first> + k more tiles". When names is not NULL,
 * *names receives the n opened dataset names (free with cb_strings_free
 * from layer.h). NULL and e filled, naming the tile at fault, otherwise. */
cb_raster *cb_raster_open_tiles(const char *const *paths, size_t n,
                                const cb_raster_opts *o, char ***names,
                                cb_err *e);

/* The files matching a glob(3) pattern (*, ?, [...]), sorted; *n = 0 when
 * none do. Free with cb_strings_free. 0, or -1 with e filled. */
int cb_glob(const char *pattern, char ***out, size_t *n, cb_err *e);

#endif
