/* GDAL set-up shared by every module that opens files: driver registration
 * and an error handler that keeps GDAL from printing on its own. */
#ifndef CB_GDALX_H
#define CB_GDALX_H

#include "atomic.h"
#include "cb.h"

/* Registers all GDAL/OGR drivers and installs cbal's error handler, once per
 * process (safe to call repeatedly). GDAL failures are then only recorded,
 * for cb_gdal_fail to put into an error message; GDAL warnings go to
 * cb_warn as "GDAL: ...". */
void cb_gdal_init(void);

/* Fills e with "<what>: <GDAL's last error message>" (or just <what> when
 * GDAL recorded nothing), resets GDAL's last error, returns -1. The
 * message loses what means nothing to a user: the SQL of a failed
 * sqlite3_exec, libtiff's function names, anything past 300 characters. */
int cb_gdal_fail(cb_err *e, const char *what);

/* After GDALOpenEx failed on path: fills e with "cannot open raster|vector
 * file '<path>': <GDAL's message>", or, when the file is the other kind,
 * with which cbal opener to use instead. Returns -1. */
int cb_gdal_open_fail(cb_err *e, const char *path, int want_raster);

/* Outputs of GDAL drivers are built in memory and reach the disk only
 * through cb_out, which checks every write and the close (GDAL 3.6 drops
 * the errors of closing a file: a full disk would leave a truncated file
 * that looks written). cb_gdal_memname gives a fresh /vsimem/ name with
 * target's extension; cb_gdal_publish ends the write: when `failed` is
 * non-zero (building the file failed, e already says why) it aborts o and
 * returns -1, otherwise it writes that in-memory file into o (opened for
 * the target) and commits it; it frees the memory either way.
 * cb_gdal_memfree frees it alone. The encoded file is held in memory
 * once. */
void cb_gdal_memname(const char *target, char *buf, size_t len);
int cb_gdal_publish(const char *mem, cb_out *o, int failed, cb_err *e);
void cb_gdal_memfree(const char *mem);

/* Whether s is valid UTF-8 (GDAL's check). */
int cb_utf8_valid(const char *s);

/* GDAL's release name, e.g. "3.6.2". */
const char *cb_gdal_version(void);

#endif
