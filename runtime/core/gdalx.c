/* GDAL driver registration and error capture. */
#include "gdalx.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <cpl_vsi.h>
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void CPL_STDCALL handler(CPLErr cls, CPLErrorNum num, const char *msg) {
  (void)num;
  /* Failures are recorded by GDAL itself (CPLGetLastErrorMsg) and reported by
   * the caller that sees the failing return value. */
  if (cls == CE_Warning) cb_warn("GDAL: %s", msg);
}

static void init(void) {
  GDALAllRegister();
  CPLSetErrorHandler(handler);
}

void cb_gdal_init(void) { pthread_once(&once, init); }

/* GDAL's message without the parts that mean nothing to a user: the SQL
 * of a failed sqlite3_exec or sqlite3_prepare_v2 (kilobytes of it),
 * libtiff's function names ("TIFFWriteDirectoryTagData:"), and anything
 * past 300 characters. */
static void clean_msg(const char *g, char *buf, size_t len) {
  if (strncmp(g, "sqlite3_", 8) == 0) {
    const char *why = NULL, *p = g;
    while ((p = strstr(p, ") failed: ")) != NULL) why = p += 10;
    if (why) g = why;
  }
  if (strncasecmp(g, "tiff", 4) == 0 || strncasecmp(g, "_tiff", 5) == 0) {
    const char *p = g;
    while (isalnum((unsigned char)*p) || *p == '_') p++;
    if (*p == ':') g = p + 1;
  }
  while (*g == ' ') g++;
  if (strlen(g) < 300 || len < 305) {
    snprintf(buf, len, "%s", g);
    return;
  }
  snprintf(buf, len, "%.300s...", g);
}

int cb_gdal_fail(cb_err *e, const char *what) {
  const char *g = CPLGetLastErrorMsg();
  char msg[400];
  if (g && *g) {
    clean_msg(g, msg, sizeof msg);
    cb_err_set(e, "%s: %s", what, msg);
  } else {
    cb_err_set(e, "%s", what);
  }
  CPLErrorReset();
  return -1;
}

void cb_gdal_memname(const char *target, char *buf, size_t len) {
  static unsigned long seq;
  const char *slash = strrchr(target, '/');
  const char *dot = strrchr(slash ? slash + 1 : target, '.');
  unsigned long k = __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED);
  snprintf(buf, len, "/vsimem/cbal_out_%lu", k);
  VSIMkdir(buf, 0755); /* the CSV driver wants an existing folder */
  snprintf(buf, len, "/vsimem/cbal_out_%lu/out%s", k, dot ? dot : "");
}

void cb_gdal_memfree(const char *mem) {
  char *dir = CPLStrdup(CPLGetPath(mem));
  VSIRmdirRecursive(dir);
  CPLFree(dir);
}

int cb_gdal_publish(const char *mem, cb_out *o, int failed, cb_err *e) {
  vsi_l_offset n = 0;
  GByte *data = failed ? NULL : VSIGetMemFileBuffer(mem, &n, FALSE);
  int rc = -1;
  if (failed) {
    cb_out_abort(o);
  } else if (!data) {
    cb_out_abort(o);
    rc = cb_err_set(e, "cannot write %s: the driver wrote nothing", o->target);
  } else {
    cb_out_write(o, data, (size_t)n);
    rc = cb_out_commit(o, e);
  }
  cb_gdal_memfree(mem);
  return rc;
}

int cb_gdal_open_fail(cb_err *e, const char *path, int want_raster) {
  const char *kind = want_raster ? "raster" : "vector file";
  char what[1200];
  snprintf(what, sizeof what, "cannot open %s '%s'", kind, path);
  cb_gdal_fail(e, what);
  unsigned want = want_raster ? GDAL_OF_RASTER : GDAL_OF_VECTOR;
  unsigned other = want_raster ? GDAL_OF_VECTOR : GDAL_OF_RASTER;
  if (GDALIdentifyDriverEx(path, other, NULL, NULL) &&
      !GDALIdentifyDriverEx(path, want, NULL, NULL))
    cb_err_set(e, "cannot open %s '%s': it is a %s (open it with %s)", kind,
               path, want_raster ? "vector file" : "raster",
               want_raster ? "cbal.open_layer" : "cbal.open_raster");
  return -1;
}

int cb_utf8_valid(const char *s) { return CPLIsUTF8(s, -1); }

const char *cb_gdal_version(void) { return GDALVersionInfo("RELEASE_NAME"); }
