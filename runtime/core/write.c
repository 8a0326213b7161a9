/* GeoTIFF and vector-layer writers, polygon burning and point transforms,
 * all through GDAL/OGR; files appear whole or not at all. */
#include "write.h"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal.h>
#include <gdal_alg.h>
#include <ogr_api.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crs.h"
#include "gdalx.h"

/* The values band type t can hold (after GDAL's rounding to integers). */
static int type_range(GDALDataType t, double *lo, double *hi) {
  switch (t) {
  case GDT_Byte: *lo = 0, *hi = 255; return 1;
  case GDT_Int16: *lo = -32768, *hi = 32767; return 1;
  case GDT_UInt16: *lo = 0, *hi = 65535; return 1;
  case GDT_Int32: *lo = -2147483648.0, *hi = 2147483647.0; return 1;
  case GDT_UInt32: *lo = 0, *hi = 4294967295.0; return 1;
  case GDT_Int64: *lo = -9223372036854775808.0, *hi = 9223372036854774784.0; return 1;
  case GDT_UInt64: *lo = 0, *hi = 18446744073709549568.0; return 1;
  case GDT_Float32: *lo = -FLT_MAX, *hi = FLT_MAX; return 0;
  default: return 0;
  }
}

/* Refuses a value the band cannot hold, which GDAL would silently clamp
 * (300 -> 255 in a Byte band) or turn into 0 (NaN): clamps instead when
 * s->clamp; a NaN becomes the nodata value when one is declared. */
static int check_row(double *row, const cb_raster_spec *s, GDALDataType t,
                     int y, const char *path, cb_err *e) {
  double lo, hi;
  int integer = type_range(t, &lo, &hi);
  if (!integer && t != GDT_Float32) return 0;
  const char *tn = GDALGetDataTypeName(t);
  for (int x = 0; x < s->width; x++) {
    double v = row[x];
    if (isnan(v)) {
      if (!integer) continue;
      if (s->has_nodata) {
        row[x] = s->nodata;
        continue;
      }
      return cb_err_set(e, "%s: row %d, column %d is NaN, which a %s band "
                        "cannot hold; declare a nodata value for missing "
                        "cells", path, y + 1, x + 1, tn);
    }
    double a = integer ? lo - 0.5 : lo, b = integer ? hi + 0.5 : hi;
    if (v >= a && (integer ? v < b : v <= b)) continue;
    if (s->clamp) {
      row[x] = v < lo ? lo : hi;
      continue;
    }
    return cb_err_set(e, "%s: row %d, column %d: value %.17g is outside the "
                      "%s range %.17g..%.17g (rescale the values, pick a wider "
                      "type, or pass clamp = true)", path, y + 1, x + 1, v,
                      tn, lo, hi);
  }
  return 0;
}

/* Fills band b row by row from fn. */
static int write_rows(GDALRasterBandH b, const cb_raster_spec *s,
                      GDALDataType t, cb_row_fn fn, void *ud, const char *path,
                      cb_err *e) {
  double *row = malloc(sizeof(double) * (size_t)s->width);
  int rc = row ? 0 : cb_err_set(e, "%s: out of memory", path);
  for (int y = 0; rc == 0 && y < s->height; y++) {
    rc = fn(ud, y, row, e);
    if (rc == 0) rc = check_row(row, s, t, y, path, e);
    if (rc == 0 && GDALRasterIO(b, GF_Write, 0, y, s->width, 1, row,
                                s->width, 1, GDT_Float64, 0, 0) != CE_None)
      rc = cb_gdal_fail(e, path);
  }
  free(row);
  return rc;
}

/* Whether the geotransform is usable: finite, with non-zero cell sizes. */
static int check_gt(const double gt[6], const char *path, cb_err *e) {
  for (int i = 0; i < 6; i++)
    if (!isfinite(gt[i]))
      return cb_err_set(e, "%s: geotransform[%d] is %s; give 6 finite "
                        "numbers {x0, dx, 0, y0, 0, -dy}", path, i + 1,
                        isnan(gt[i]) ? "NaN" : gt[i] > 0 ? "inf" : "-inf");
  if (gt[1] == 0 || gt[5] == 0)
    return cb_err_set(e, "%s: geotransform has a zero cell size", path);
  return 0;
}

int cb_write_raster(const char *path, const cb_raster_spec *s, cb_row_fn fn,
                    void *ud, cb_err *e) {
  cb_gdal_init();
  if (s->width <= 0 || s->height <= 0)
    return cb_err_set(e, "%s: width and height must be positive (got %dx%d)",
                      path, s->width, s->height);
  GDALDataType t = GDALGetDataTypeByName(s->type ? s->type : "Float32");
  if (t == GDT_Unknown || GDALDataTypeIsComplex(t))
    return cb_err_set(e, "%s: type '%s' is not a raster type (use Byte, "
                      "Int16, UInt16, Int32, UInt32, Float32 or Float64)",
                      path, s->type);
  if (check_gt(s->gt, path, e)) return -1;
  OGRSpatialReferenceH srs = cb_crs_read(s->crs, path, e);
  if (!srs) return -1;
  char *wkt = cb_crs_wkt(srs);
  OSRDestroySpatialReference(srs);
  if (!wkt) return cb_err_set(e, "%s: cannot export crs '%.200s' as WKT",
                              path, s->crs);

  cb_out out;
  if (cb_out_open(&out, path, e)) {
    free(wkt);
    return -1;
  }
  char mem[200];
  cb_gdal_memname(path, mem, sizeof mem);
  char **opts = NULL;
  if (s->tiled) opts = CSLSetNameValue(opts, "TILED", "YES");
  if (s->compress) opts = CSLSetNameValue(opts, "COMPRESS", s->compress);
  GDALDriverH drv = GDALGetDriverByName("GTiff");
  CPLErrorReset();
  GDALDatasetH ds = GDALCreate(drv, mem, s->width, s->height, 1, t, opts);
  CSLDestroy(opts);
  if (!ds) {
    free(wkt);
    cb_out_abort(&out);
    cb_gdal_memfree(mem);
    return cb_gdal_fail(e, path);
  }
  GDALSetGeoTransform(ds, (double *)s->gt);
  GDALSetProjection(ds, wkt);
  free(wkt);
  GDALRasterBandH b = GDALGetRasterBand(ds, 1);
  if (s->has_nodata) GDALSetRasterNoDataValue(b, s->nodata);
  if (s->has_scale) {
    GDALSetRasterScale(b, s->scale);
    GDALSetRasterOffset(b, s->offset);
  }
  int rc = write_rows(b, s, t, fn, ud, path, e);
  GDALClose(ds);
  if (rc == 0 && CPLGetLastErrorType() == CE_Failure) rc = cb_gdal_fail(e, path);
  return cb_gdal_publish(mem, &out, rc, e);
}

/* Appends ring r (closed if needed) to polygon poly. */
static void add_ring(OGRGeometryH poly, const cb_ring *r) {
  OGRGeometryH lr = OGR_G_CreateGeometry(wkbLinearRing);
  for (size_t k = 0; k < r->n; k++)
    OGR_G_AddPoint_2D(lr, r->xy[2 * k], r->xy[2 * k + 1]);
  if (r->n > 0 && (r->xy[0] != r->xy[2 * (r->n - 1)] ||
                   r->xy[1] != r->xy[2 * (r->n - 1) + 1]))
    OGR_G_AddPoint_2D(lr, r->xy[0], r->xy[1]);
  OGR_G_AddGeometryDirectly(poly, lr);
}

/* A MultiPolygon (or Polygon when want_multi is 0 and there is one part)
 * from rings; NULL with an error when a hole comes before any exterior. */
static OGRGeometryH make_geom(const cb_polygon *p, int want_multi,
                              const char *what, cb_err *e) {
  OGRGeometryH multi = OGR_G_CreateGeometry(wkbMultiPolygon);
  OGRGeometryH cur = NULL;
  for (size_t i = 0; i < p->nrings; i++) {
    const cb_ring *r = &p->rings[i];
    if (r->n < 3) {
      if (cur) OGR_G_DestroyGeometry(cur);
      OGR_G_DestroyGeometry(multi);
      cb_err_set(e, "%s: ring %zu has %zu points (at least 3 needed)", what,
                 i + 1, r->n);
      return NULL;
    }
    if (!r->hole) {
      if (cur) OGR_G_AddGeometryDirectly(multi, cur);
      cur = OGR_G_CreateGeometry(wkbPolygon);
    } else if (!cur) {
      OGR_G_DestroyGeometry(multi);
      cb_err_set(e, "%s: ring %zu is a hole before any outer ring", what,
                 i + 1);
      return NULL;
    }
    add_ring(cur, r);
  }
  if (cur) OGR_G_AddGeometryDirectly(multi, cur);
  if (!want_multi && OGR_G_GetGeometryCount(multi) == 1) {
    OGRGeometryH one = OGR_G_Clone(OGR_G_GetGeometryRef(multi, 0));
    OGR_G_DestroyGeometry(multi);
    return one;
  }
  return multi;
}

/* Layer formats by extension: the OGR driver and what to call it. */
static const struct {
  const char *ext, *driver;
} layer_formats[] = {{".gpkg", "GPKG"},
                     {".geojson", "GeoJSON"},
                     {".json", "GeoJSON"},
                     {".fgb", "FlatGeobuf"},
                     {".parquet", "Parquet"}};

const char *cb_layer_driver(const char *path, cb_err *e) {
  cb_gdal_init();
  const char *slash = strrchr(path, '/');
  const char *dot = strrchr(slash ? slash + 1 : path, '.');
  for (size_t i = 0; dot && i < sizeof layer_formats / sizeof *layer_formats;
       i++) {
    if (strcasecmp(dot, layer_formats[i].ext) != 0) continue;
    const char *d = layer_formats[i].driver;
    GDALDriverH drv = GDALGetDriverByName(d);
    if (!drv || !GDALGetMetadataItem(drv, GDAL_DCAP_CREATE, NULL)) {
      cb_err_set(e, "%s: this GDAL (%s) has no %s driver to write '%s' "
                 "files; write .gpkg, .fgb or .geojson instead, or use a "
                 "GDAL built with %s", path, cb_gdal_version(), d, dot, d);
      return NULL;
    }
    return d;
  }
  cb_err_set(e, "%s: unknown layer format%s%s (use .gpkg, .geojson, .json, "
             ".fgb or .parquet)", path, dot ? " " : "", dot ? dot : "");
  return NULL;
}

static int fill_feature(OGRFeatureH f, const cb_layer_spec *s,
                        const cb_feature *ft, OGRwkbGeometryType gt,
                        const char *what, cb_err *e) {
  for (size_t j = 0; j < s->nfields; j++) {
    const cb_value *v = &ft->values[j];
    if (v->isnull) {
      OGR_F_SetFieldNull(f, (int)j);
    } else if (s->fields[j].type == 's') {
      if (!CPLIsUTF8(v->s, -1)) {
        char b[200];
        return cb_err_set(e, "%s, field '%s': '%s' is not UTF-8 text (read "
                          "from a file in another encoding? open it with "
                          "encoding = \"GBK\" or the file's encoding)", what,
                          s->fields[j].name, cb_err_bytes(v->s, b, sizeof b));
      }
      OGR_F_SetFieldString(f, (int)j, v->s);
    } else if (s->fields[j].type == 'i') {
      OGR_F_SetFieldInteger64(f, (int)j, v->i);
    } else {
      OGR_F_SetFieldDouble(f, (int)j, v->r);
    }
  }
  if (gt == wkbNone || !ft->geom) return 0;
  OGRGeometryH g = make_geom(ft->geom, gt == wkbMultiPolygon, what, e);
  if (!g) return -1;
  OGR_F_SetGeometryDirectly(f, g);
  return 0;
}

static int write_features(GDALDatasetH ds, const char *path,
                          const cb_layer_spec *s, OGRSpatialReferenceH srs,
                          const cb_feature *feats, size_t nfeats, cb_err *e) {
  static const OGRwkbGeometryType types[] = {wkbMultiPolygon, wkbPolygon,
                                             wkbNone};
  OGRwkbGeometryType gt = types[s->geometry_type];
  /* FlatGeobuf: without its spatial index it keeps the features in the
   * order written (the index sorts them along a Hilbert curve), and it
   * cannot hold a table without geometry */
  int fgb = strcmp(GDALGetDriverShortName(GDALGetDatasetDriver(ds)),
                   "FlatGeobuf") == 0;
  if (fgb && gt == wkbNone)
    return cb_err_set(e, "%s: a FlatGeobuf file cannot hold a table without "
                      "geometry; write .gpkg, .geojson or a table (.csv)",
                      path);
  const char *fgb_lco[] = {"SPATIAL_INDEX=NO", NULL};
  OGRLayerH lyr = GDALDatasetCreateLayer(ds, s->layer, gt == wkbNone ? NULL : srs,
                                         gt, fgb ? (char **)fgb_lco : NULL);
  if (!lyr) return cb_gdal_fail(e, path);
  for (size_t j = 0; j < s->nfields; j++) {
    if (!CPLIsUTF8(s->fields[j].name, -1)) {
      char b[200];
      return cb_err_set(e, "%s: field name '%s' is not UTF-8 text", path,
                        cb_err_bytes(s->fields[j].name, b, sizeof b));
    }
    OGRFieldType ft = s->fields[j].type == 's'   ? OFTString
                      : s->fields[j].type == 'i' ? OFTInteger64
                                                 : OFTReal;
    OGRFieldDefnH fd = OGR_Fld_Create(s->fields[j].name, ft);
    OGRErr err = OGR_L_CreateField(lyr, fd, TRUE);
    OGR_Fld_Destroy(fd);
    if (err != OGRERR_NONE) {
      cb_gdal_fail(e, path);
      return cb_err_set(e, "%s: cannot create field '%s'", path,
                        s->fields[j].name);
    }
  }
  int tx = GDALDatasetStartTransaction(ds, FALSE) == OGRERR_NONE;
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
  for (size_t i = 0; i < nfeats; i++) {
    char what[4200];
    snprintf(what, sizeof what, "%s: feature %zu", path, i + 1);
    OGRFeatureH f = OGR_F_Create(defn);
    int rc = fill_feature(f, s, &feats[i], gt, what, e);
    if (rc == 0 && OGR_L_CreateFeature(lyr, f) != OGRERR_NONE)
      rc = cb_gdal_fail(e, what);
    OGR_F_Destroy(f);
    if (rc) return -1;
  }
  if (tx && GDALDatasetCommitTransaction(ds) != OGRERR_NONE)
    return cb_gdal_fail(e, path);
  return 0;
}

int cb_write_layer(const char *path, const cb_layer_spec *s,
                   const cb_feature *feats, size_t nfeats, cb_err *e) {
  cb_gdal_init();
  const char *dname = cb_layer_driver(path, e);
  if (!dname) return -1;
  if (!s->layer || !*s->layer)
    return cb_err_set(e, "%s: layer name is empty", path);
  /* a table without geometry needs no CRS */
  int table = s->geometry_type == CB_GEOM_NONE;
  OGRSpatialReferenceH srs = table && !s->crs ? NULL : cb_crs_read(s->crs, path, e);
  if (!srs && !(table && !s->crs)) return -1;
  cb_out out;
  if (cb_out_open(&out, path, e)) {
    if (srs) OSRDestroySpatialReference(srs);
    return -1;
  }
  char mem[200];
  cb_gdal_memname(path, mem, sizeof mem);
  /* A fixed date in gpkg_contents keeps reruns byte-identical. */
  CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z");
  CPLErrorReset();
  GDALDatasetH ds = GDALCreate(GDALGetDriverByName(dname), mem, 0, 0, 0,
                               GDT_Unknown, NULL);
  int rc = ds ? write_features(ds, path, s, srs, feats, nfeats, e)
              : cb_gdal_fail(e, path);
  if (ds) GDALClose(ds);
  CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", NULL);
  if (srs) OSRDestroySpatialReference(srs);
  if (rc == 0 && CPLGetLastErrorType() == CE_Failure) rc = cb_gdal_fail(e, path);
  return cb_gdal_publish(mem, &out, rc, e);
}

/* Burns the prepared geometries into the MEM dataset and reads it back. */
static int burn(GDALDatasetH ds, OGRGeometryH *geoms, const double *vals,
                size_t n, int all_touched, int w, int h, double *out,
                cb_err *e) {
  int band = 1;
  char **opts = all_touched ? CSLSetNameValue(NULL, "ALL_TOUCHED", "TRUE")
                            : NULL;
  CPLErr err = GDALRasterizeGeometries(ds, 1, &band, (int)n, geoms, NULL, NULL,
                                       vals, opts, NULL, NULL);
  CSLDestroy(opts);
  if (err != CE_None) return cb_gdal_fail(e, "rasterize");
  if (GDALRasterIO(GDALGetRasterBand(ds, 1), GF_Read, 0, 0, w, h, out, w, h,
                   GDT_Float64, 0, 0) != CE_None)
    return cb_gdal_fail(e, "rasterize");
  return 0;
}

int cb_rasterize(const cb_polygon *polys, const double *vals, size_t n,
                 const char *src_crs, int width, int height, const double gt[6],
                 const char *grid_crs, int all_touched, double background,
                 double *out, cb_err *e) {
  cb_gdal_init();
  if (width <= 0 || height <= 0)
    return cb_err_set(e, "rasterize: width and height must be positive");
  if (check_gt(gt, "rasterize", e)) return -1;
  OGRSpatialReferenceH dst = cb_crs_read(grid_crs, "rasterize (grid)", e);
  if (!dst) return -1;
  OGRSpatialReferenceH src = NULL;
  OGRCoordinateTransformationH ct = NULL;
  if (src_crs) {
    src = cb_crs_read(src_crs, "rasterize (polygons)", e);
    if (!src) {
      OSRDestroySpatialReference(dst);
      return -1;
    }
    ct = OCTNewCoordinateTransformation(src, dst);
  }
  OGRGeometryH *geoms = calloc(n ? n : 1, sizeof *geoms);
  int rc = (!geoms || (src && !ct)) ? cb_gdal_fail(e, "rasterize: cannot "
                                                   "transform between the CRSs")
                                    : 0;
  for (size_t i = 0; rc == 0 && i < n; i++) {
    geoms[i] = make_geom(&polys[i], 1, "rasterize", e);
    if (!geoms[i]) rc = -1;
    else if (ct && OGR_G_Transform(geoms[i], ct) != OGRERR_NONE)
      rc = cb_err_set(e, "rasterize: polygon %zu cannot be transformed into "
                      "the grid's crs", i + 1);
  }
  GDALDatasetH ds = NULL;
  if (rc == 0) {
    ds = GDALCreate(GDALGetDriverByName("MEM"), "", width, height, 1,
                    GDT_Float64, NULL);
    if (!ds) rc = cb_gdal_fail(e, "rasterize");
  }
  if (rc == 0) {
    GDALSetSpatialRef(ds, dst);
    GDALSetGeoTransform(ds, (double *)gt);
    GDALFillRaster(GDALGetRasterBand(ds, 1), background, 0);
    rc = burn(ds, geoms, vals, n, all_touched, width, height, out, e);
  }
  if (ds) GDALClose(ds);
  for (size_t i = 0; geoms && i < n; i++)
    if (geoms[i]) OGR_G_DestroyGeometry(geoms[i]);
  free(geoms);
  if (ct) OCTDestroyCoordinateTransformation(ct);
  if (src) OSRDestroySpatialReference(src);
  OSRDestroySpatialReference(dst);
  return rc;
}

int cb_transform(double *x, double *y, size_t n, const char *from,
                 const char *to, cb_err *e) {
  cb_gdal_init();
  OGRSpatialReferenceH a = cb_crs_read(from, "transform (from)", e);
  if (!a) return -1;
  OGRSpatialReferenceH b = cb_crs_read(to, "transform (to)", e);
  if (!b) {
    OSRDestroySpatialReference(a);
    return -1;
  }
  OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(a, b);
  int rc = 0;
  int *ok = n ? malloc(sizeof(int) * n) : NULL;
  if (!ct) rc = cb_gdal_fail(e, "transform: no transformation between the CRSs");
  else if (n && !ok) rc = cb_err_set(e, "transform: out of memory");
  else if (n) {
    OCTTransformEx(ct, (int)n, x, y, NULL, ok);
    for (size_t i = 0; i < n; i++)
      if (!ok[i]) {
        rc = cb_err_set(e, "transform: point %zu (%g, %g) cannot be "
                        "transformed", i + 1, x[i], y[i]);
        break;
      }
  }
  free(ok);
  if (ct) OCTDestroyCoordinateTransformation(ct);
  OSRDestroySpatialReference(a);
  OSRDestroySpatialReference(b);
  return rc;
}

static int append_rings(OGRGeometryH g, cb_polygon *out) {
  OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
  if (t == wkbMultiPolygon || t == wkbGeometryCollection) {
    for (int i = 0; i < OGR_G_GetGeometryCount(g); i++)
      if (append_rings(OGR_G_GetGeometryRef(g, i), out)) return -1;
    return 0;
  }
  if (t != wkbPolygon) return 0; /* lines and points of a collection */
  int nr = OGR_G_GetGeometryCount(g);
  cb_ring *r = realloc(out->rings, sizeof(cb_ring) * (out->nrings + (size_t)nr));
  if (!r) return -1;
  out->rings = r;
  for (int i = 0; i < nr; i++) {
    OGRGeometryH ring = OGR_G_GetGeometryRef(g, i);
    int np = OGR_G_GetPointCount(ring);
    cb_ring *dst = &out->rings[out->nrings];
    dst->xy = malloc(sizeof(double) * 2 * (size_t)(np ? np : 1));
    if (!dst->xy) return -1;
    dst->n = (size_t)np;
    dst->hole = i > 0;
    for (int k = 0; k < np; k++) {
      dst->xy[2 * k] = OGR_G_GetX(ring, k);
      dst->xy[2 * k + 1] = OGR_G_GetY(ring, k);
    }
    out->nrings++;
  }
  return 0;
}

const char *const cb_geom_type_names[] = {"MultiPolygon", "Polygon", "None",
                                          NULL};

const char *const cb_geom_op_names[] = {"intersection", "difference", "union",
                                        NULL};

int cb_geom_op(const cb_polygon *a, const cb_polygon *b, cb_geom_opkind op,
               cb_polygon *out, cb_err *e) {
  cb_gdal_init();
  out->rings = NULL;
  out->nrings = 0;
  OGRGeometryH ga = make_geom(a, 1, "geom_op (first)", e);
  if (!ga) return -1;
  OGRGeometryH gb = make_geom(b, 1, "geom_op (second)", e);
  if (!gb) {
    OGR_G_DestroyGeometry(ga);
    return -1;
  }
  /* Perturbed generator polygons may self-touch: repair before overlay
   * (quietly: GEOS reports each self-intersection as a warning). */
  CPLPushErrorHandler(CPLQuietErrorHandler);
  int va = OGR_G_IsValid(ga), vb = OGR_G_IsValid(gb);
  CPLPopErrorHandler();
  if (!va) {
    OGRGeometryH v = OGR_G_MakeValid(ga);
    if (v) OGR_G_DestroyGeometry(ga), ga = v;
  }
  if (!vb) {
    OGRGeometryH v = OGR_G_MakeValid(gb);
    if (v) OGR_G_DestroyGeometry(gb), gb = v;
  }
  OGRGeometryH r = NULL;
  CPLErrorReset();
  if (op == CB_GEOM_INTERSECTION) r = OGR_G_Intersection(ga, gb);
  else if (op == CB_GEOM_DIFFERENCE) r = OGR_G_Difference(ga, gb);
  else r = OGR_G_Union(ga, gb);
  int rc = 0;
  if (!r && CPLGetLastErrorType() == CE_Failure)
    rc = cb_gdal_fail(e, "geom_op");
  if (r && append_rings(r, out)) {
    cb_polygon_clear(out);
    rc = cb_err_set(e, "geom_op: out of memory");
  }
  if (r) OGR_G_DestroyGeometry(r);
  OGR_G_DestroyGeometry(ga);
  OGR_G_DestroyGeometry(gb);
  return rc;
}
