/* GDAL set-up shared by every module that opens files: driver registration
 * and an error handler that keeps GDAL from printing on its own. */
#ifndef CB_GDALX_H
#define CB_GDALX_H

#include "cb.h"

/* Registers all GDAL/OGR drivers and installs cbal's error handler, once per
 * process (safe to call repeatedly). GDAL failures are then only recorded,
 * for cb_gdal_fail to put into an error message; GDAL warnings go to
 * cb_warn as "GDAL: ...". */
void cb_gdal_init(void);

/* Fills e with "<what>: <GDAL's last error message>" (or just <what> when
 * GDAL recorded nothing), resets GDAL's last error, returns -1. */
int cb_gdal_fail(cb_err *e, const char *what);

/* After GDALOpenEx failed on path: fills e with "cannot open raster|vector
 * file '<path>': <GDAL's message>", or, when the file is the other kind,
 * with which cbal opener to use instead. Returns -1. */
int cb_gdal_open_fail(cb_err *e, const char *path, int want_raster);

/* GDAL's release name, e.g. "3.6.2". */
const char *cb_gdal_version(void);

#endif
