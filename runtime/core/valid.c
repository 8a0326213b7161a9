/* Polygon validity through GEOS directly (see valid.h): one context per
 * call, the rings copied once from OGR into GEOS. */
#include "valid.h"

#include <geos_c.h>
#include <stdlib.h>

#include <cpl_error.h>

/* A GEOS linear ring from an OGR ring, or NULL when GEOS refuses it. */
static GEOSGeometry *ring(GEOSContextHandle_t h, OGRGeometryH r, double **buf,
                          size_t *cap) {
  int n = OGR_G_GetPointCount(r);
  if (n < 4) return NULL;
  if ((size_t)n > *cap) {
    double *b = realloc(*buf, 2 * (size_t)n * sizeof *b);
    if (!b) return NULL;
    *buf = b;
    *cap = (size_t)n;
  }
  OGR_G_GetPoints(r, *buf, 2 * sizeof(double), *buf + 1, 2 * sizeof(double),
                  NULL, 0);
  GEOSCoordSequence *s = GEOSCoordSeq_copyFromBuffer_r(h, *buf, (unsigned)n, 0, 0);
  return s ? GEOSGeom_createLinearRing_r(h, s) : NULL;
}

/* A GEOS polygon from an OGR polygon, or NULL. */
static GEOSGeometry *polygon(GEOSContextHandle_t h, OGRGeometryH p,
                             double **buf, size_t *cap) {
  int nr = OGR_G_GetGeometryCount(p);
  if (nr < 1) return NULL;
  GEOSGeometry **rings = malloc((size_t)nr * sizeof *rings);
  if (!rings) return NULL;
  int k = 0;
  for (; k < nr; k++)
    if (!(rings[k] = ring(h, OGR_G_GetGeometryRef(p, k), buf, cap))) break;
  GEOSGeometry *g = NULL; /* GEOS owns the rings from here, even on failure */
  if (k == nr) g = GEOSGeom_createPolygon_r(h, rings[0], rings + 1, (unsigned)nr - 1);
  else
    for (int i = 0; i < k; i++) GEOSGeom_destroy_r(h, rings[i]);
  free(rings);
  return g;
}

/* A GEOS polygon or multipolygon for g, or NULL. */
static GEOSGeometry *to_geos(GEOSContextHandle_t h, OGRGeometryH g,
                             double **buf, size_t *cap) {
  OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
  if (t == wkbPolygon) return polygon(h, g, buf, cap);
  if (t != wkbMultiPolygon) return NULL;
  int np = OGR_G_GetGeometryCount(g);
  GEOSGeometry **parts = malloc((np ? (size_t)np : 1) * sizeof *parts);
  if (!parts) return NULL;
  int k = 0;
  for (; k < np; k++)
    if (!(parts[k] = polygon(h, OGR_G_GetGeometryRef(g, k), buf, cap))) break;
  GEOSGeometry *m = NULL; /* GEOS owns the parts from here, even on failure */
  if (k == np)
    m = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts, (unsigned)np);
  else
    for (int i = 0; i < k; i++) GEOSGeom_destroy_r(h, parts[i]);
  free(parts);
  return m;
}

static void quiet(const char *fmt, ...) { (void)fmt; }

int cb_polygon_valid(OGRGeometryH g) {
  GEOSContextHandle_t h = GEOS_init_r();
  if (!h) return OGR_G_IsValid(g);
  GEOSContext_setNoticeHandler_r(h, quiet);
  GEOSContext_setErrorHandler_r(h, quiet);
  double *buf = NULL;
  size_t cap = 0;
  GEOSGeometry *gg = to_geos(h, g, &buf, &cap);
  free(buf);
  int v = gg ? GEOSisValid_r(h, gg) : 2;
  if (gg) GEOSGeom_destroy_r(h, gg);
  GEOS_finish_r(h);
  if (v == 0 || v == 1) return v;
  return OGR_G_IsValid(g); /* what GEOS could not take as it is */
}
