/* Coordinate reference systems through OGR: reading a user's CRS string,
 * comparing two CRSs, naming one, exporting WKT, settling a file's CRS. */
#include "crs.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CRS_FORMS "use e.g. \"EPSG:4326\", a WKT string or a PROJ string"

OGRSpatialReferenceH cb_crs_parse(const char *crs) {
  if (!crs || !*crs) return NULL;
  OGRSpatialReferenceH s = OSRNewSpatialReference(NULL);
  if (s && OSRSetFromUserInput(s, crs) != OGRERR_NONE) {
    OSRDestroySpatialReference(s);
    CPLErrorReset(); /* the failure is the caller's to report */
    return NULL;
  }
  if (s) OSRSetAxisMappingStrategy(s, OAMS_TRADITIONAL_GIS_ORDER);
  return s;
}

OGRSpatialReferenceH cb_crs_read(const char *crs, const char *what,
                                 cb_err *e) {
  OGRSpatialReferenceH s = cb_crs_parse(crs);
  if (s) return s;
  const char *sep = what ? ": " : "";
  if (!what) what = "";
  if (!crs || !*crs)
    cb_err_set(e, "%.300s%scrs is missing (" CRS_FORMS ")", what, sep);
  else
    cb_err_set(e, "%.300s%scannot understand CRS '%.300s' (" CRS_FORMS ")",
               what, sep, crs);
  return NULL;
}

char *cb_crs_wkt(OGRSpatialReferenceH s) {
  char *w = NULL;
  const char *opts[] = {"FORMAT=WKT2_2018", NULL};
  char *copy = NULL;
  if (OSRExportToWktEx(s, &w, opts) == OGRERR_NONE && w) copy = strdup(w);
  CPLFree(w);
  return copy;
}

char *cb_crs_to_wkt(const char *crs, cb_err *e) {
  OGRSpatialReferenceH s = cb_crs_read(crs, NULL, e);
  if (!s) return NULL;
  char *w = cb_crs_wkt(s);
  OSRDestroySpatialReference(s);
  if (!w) cb_err_set(e, "cannot export CRS '%.300s' as WKT", crs);
  return w;
}

int cb_crs_same(const char *a, const char *b) {
  OGRSpatialReferenceH sa = cb_crs_parse(a), sb = cb_crs_parse(b);
  int same = 0;
  if (sa && sb) {
    const char *opts[] = {"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES",
                          "CRITERION=EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS",
                          NULL};
    same = OSRIsSameEx(sa, sb, opts);
  }
  if (sa) OSRDestroySpatialReference(sa);
  if (sb) OSRDestroySpatialReference(sb);
  return same;
}

int cb_crs_geographic(const char *crs) {
  OGRSpatialReferenceH s = cb_crs_parse(crs);
  int geo = s && OSRIsGeographic(s);
  if (s) OSRDestroySpatialReference(s);
  return geo;
}

/* The name of s when it has a real one ("unnamed"/"unknown" are not). */
static const char *real_name(OGRSpatialReferenceH s) {
  const char *n = OSRGetName(s);
  return n && strcmp(n, "unnamed") != 0 && strcmp(n, "unknown") != 0 ? n
                                                                      : NULL;
}

const char *cb_crs_label(const char *crs, char *buf, size_t len) {
  OGRSpatialReferenceH s = cb_crs_parse(crs);
  if (!s) {
    snprintf(buf, len, "an unknown CRS");
    return buf;
  }
  const char *auth = OSRGetAuthorityName(s, NULL);
  const char *code = OSRGetAuthorityCode(s, NULL);
  if (!(auth && code) && OSRAutoIdentifyEPSG(s) == OGRERR_NONE) {
    auth = OSRGetAuthorityName(s, NULL);
    code = OSRGetAuthorityCode(s, NULL);
  }
  const char *proj = OSRGetAttrValue(s, "PROJECTION", 0);
  if (auth && code)
    snprintf(buf, len, "%s:%s", auth, code);
  else if (real_name(s))
    snprintf(buf, len, "%s", real_name(s));
  else
    snprintf(buf, len, "an unnamed %s CRS",
             proj ? proj : OSRIsGeographic(s) ? "geographic" : "projected");
  OSRDestroySpatialReference(s);
  return buf;
}

int cb_crs_resolve(OGRSpatialReferenceH have, const char *given,
                   const char *path, const char *fix, char **wkt, cb_err *e) {
  *wkt = NULL;
  char *want = NULL;
  if (given) { /* a CRS string GDAL cannot read is its own error */
    char what[320];
    snprintf(what, sizeof what, "'%.200s': option crs", path);
    OGRSpatialReferenceH s = cb_crs_read(given, what, e);
    if (!s) return -1;
    want = cb_crs_wkt(s);
    OSRDestroySpatialReference(s);
    if (!want)
      return cb_err_set(e, "'%.200s': cannot export option crs '%.300s' as "
                        "WKT", path, given);
  }
  char *own = have ? cb_crs_wkt(have) : NULL;
  if (own && want && !cb_crs_same(own, want)) {
    char label[128];
    cb_err_set(e, "'%s' already has a CRS (%s), different from option crs "
               "'%s' (crs only fills a missing CRS; %s)", path,
               cb_crs_label(own, label, sizeof label), given, fix);
    free(own), free(want);
    return -1;
  }
  *wkt = own ? own : want;
  if (own) free(want);
  return 0;
}
