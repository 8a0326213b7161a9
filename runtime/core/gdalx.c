/* GDAL driver registration and error capture. */
#include "gdalx.h"

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <pthread.h>
#include <stdio.h>

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

int cb_gdal_fail(cb_err *e, const char *what) {
  const char *g = CPLGetLastErrorMsg();
  if (g && *g)
    cb_err_set(e, "%s: %s", what, g);
  else
    cb_err_set(e, "%s", what);
  CPLErrorReset();
  return -1;
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

const char *cb_gdal_version(void) { return GDALVersionInfo("RELEASE_NAME"); }
