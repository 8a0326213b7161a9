/* OGR vector layers: opening (with encoding and CRS overrides), counts,
 * fields, and polygons made valid and reprojected into plain cb_polysets. */
#include "layer_int.h"
#include "valid.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <iconv.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "crs.h"
#include "gcj02.h"
#include "gdalx.h"
#include "threads.h"

static int open_dataset(cb_layer *l, const char *path, const char *enc,
                        cb_err *e) {
  char opt[256];
  const char *oo[2] = {NULL, NULL};
  if (enc) {
    GDALDriverH d = GDALIdentifyDriverEx(path, GDAL_OF_VECTOR, NULL, NULL);
    const char *dn = d ? GDALGetDriverShortName(d) : "";
    if (strcmp(dn, "ESRI Shapefile") != 0)
      return cb_err_set(e, "'%s': option 'encoding' applies to shapefiles "
                        "only (this is a %s file, whose text is UTF-8)", path,
                        *dn ? dn : "non-shapefile");
    iconv_t cd = iconv_open("UTF-8", enc);
    if (cd == (iconv_t)-1)
      return cb_err_set(e, "'%s': option 'encoding' is '%s', which this "
                        "system does not know (e.g. \"GBK\", \"GB18030\", "
                        "\"BIG5\", \"CP1252\"; `iconv -l` lists them all)",
                        path, enc);
    iconv_close(cd);
    snprintf(opt, sizeof opt, "ENCODING=%s", enc);
    oo[0] = opt;
  }
  l->ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, NULL,
                     enc ? oo : NULL, NULL);
  if (!l->ds) return cb_gdal_open_fail(e, path, 0);
  return 0;
}

static int pick_layer(cb_layer *l, const char *want, cb_err *e) {
  int n = GDALDatasetGetLayerCount(l->ds);
  if (n == 0) return cb_err_set(e, "'%s' has no vector layer", l->path);
  if (!want) {
    l->lyr = GDALDatasetGetLayer(l->ds, 0);
    return 0;
  }
  l->lyr = GDALDatasetGetLayerByName(l->ds, want);
  if (l->lyr) return 0;
  char list[512] = "";
  for (int i = 0; i < n; i++)
    cb_list_add(list, sizeof list, OGR_L_GetName(GDALDatasetGetLayer(l->ds, i)));
  return cb_err_set(e, "'%s' has no layer '%s' (layers: %s)", l->path, want,
                    list);
}

static int read_meta(cb_layer *l, const cb_layer_opts *o, cb_err *e) {
  OGRFeatureDefnH def = OGR_L_GetLayerDefn(l->lyr);
  l->nfields = OGR_FD_GetFieldCount(def);
  l->fields = calloc((size_t)l->nfields + 1, sizeof *l->fields);
  if (!l->fields) return cb_err_set(e, "out of memory");
  for (int i = 0; i < l->nfields; i++) {
    l->fields[i] = strdup(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(def, i)));
    if (!l->fields[i]) return cb_err_set(e, "out of memory");
  }
  return cb_crs_resolve(OGR_L_GetSpatialRef(l->lyr), o ? o->crs : NULL,
                        l->path, "reproject the file to change it, or assign "
                        "the right one with ogr2ogr -a_srs", &l->srs_wkt, e);
}

/* The word marking AMap or DataV data that s contains (any case), or NULL. */
static const char *gcj_hint(const char *s) {
  static const char *const words[] = {"amap", "gaode", "datav", "aliyun",
                                      "autonavi", "gcj", "高德", "阿里"};
  for (size_t i = 0; s && i < sizeof words / sizeof *words; i++)
    if (strcasestr(s, words[i])) return words[i];
  return NULL;
}

/* Whether a layer opened without a datum looks like AMap or DataV data: its
 * path, layer name, metadata, DataV's own field names (acroutes,
 * subFeatureIndex) or AMap's pair of district codes (adcode with citycode,
 * the telephone area code only AMap's district API gives). Writes the
 * evidence into why; 0 when there is none. Cheap: no feature is read. */
static int gcj_evidence(const cb_layer *l, char *why, size_t len) {
  const char *w;
  if ((w = gcj_hint(l->path)))
    return snprintf(why, len, "its path has '%s'", w), 1;
  if ((w = gcj_hint(l->name)))
    return snprintf(why, len, "its layer name has '%s'", w), 1;
  char **mds[] = {GDALGetMetadata(l->ds, NULL),
                  GDALGetMetadata((GDALMajorObjectH)l->lyr, NULL)};
  for (int k = 0; k < 2; k++)
    for (char **m = mds[k]; m && *m; m++)
      if ((w = gcj_hint(*m)))
        return snprintf(why, len, "its metadata has '%s'", w), 1;
  int adcode = 0, citycode = 0;
  for (int i = 0; i < l->nfields; i++) {
    if (strcasecmp(l->fields[i], "acroutes") == 0 ||
        strcasecmp(l->fields[i], "subFeatureIndex") == 0)
      return snprintf(why, len, "it has DataV's field '%s'", l->fields[i]), 1;
    adcode |= strcasecmp(l->fields[i], "adcode") == 0;
    citycode |= strcasecmp(l->fields[i], "citycode") == 0;
  }
  if (adcode && citycode)
    return snprintf(why, len, "it has AMap's fields 'adcode' and 'citycode'"), 1;
  return 0;
}

static int set_datum(cb_layer *l, const char *datum, cb_err *e) {
  int projected = l->srs_wkt && !cb_crs_geographic(l->srs_wkt);
  char label[128];
  if (!datum) {
    char why[160];
    if (!projected && gcj_evidence(l, why, sizeof why))
      cb_warn("'%s' looks like AMap or DataV boundaries (%s): their "
              "coordinates are GCJ-02 though labelled WGS84, 300-600 m off "
              "in eastern China. Open it with {datum = \"gcj02\"} to convert "
              "them, or {datum = \"wgs84\"} if they are true WGS84 (either "
              "silences this; cbal zonal: --datum gcj02 or --datum wgs84)",
              l->path, why);
    return 0;
  }
  l->datum = strcmp(datum, "gcj02") == 0 ? "gcj02" : "wgs84";
  if (l->datum[0] == 'g' && projected)
    return cb_err_set(e, "'%s': option datum = \"gcj02\" applies to "
                      "longitudes and latitudes, but the layer is in %s",
                      l->path, cb_crs_label(l->srs_wkt, label, sizeof label));
  return 0;
}

cb_layer *cb_layer_open(const char *path, const cb_layer_opts *o, cb_err *e) {
  cb_gdal_init();
  cb_layer *l = calloc(1, sizeof *l);
  if (!l) {
    cb_err_set(e, "out of memory");
    return NULL;
  }
  l->path = strdup(path);
  if (!l->path || open_dataset(l, path, o ? o->encoding : NULL, e) ||
      pick_layer(l, o ? o->layer : NULL, e))
    goto fail;
  l->name = strdup(OGR_L_GetName(l->lyr));
  if (!l->name || read_meta(l, o, e) || set_datum(l, o ? o->datum : NULL, e))
    goto fail;
  if (o && o->where) {
    l->where = strdup(o->where);
    if (cb_layer_count(l, NULL, e) < 0) goto fail;
  }
  return l;
fail:
  cb_layer_close(l);
  return NULL;
}

void cb_layer_close(cb_layer *l) {
  if (!l) return;
  if (l->ds) GDALClose(l->ds);
  for (int i = 0; i < l->nfields; i++) free(l->fields[i]);
  free(l->fields);
  free(l->path);
  free(l->name);
  free(l->srs_wkt);
  free(l->where);
  free(l);
}

const char *cb_layer_path(const cb_layer *l) { return l->path; }
const char *cb_layer_datum(const cb_layer *l) { return l->datum; }
const char *cb_layer_name(const cb_layer *l) { return l->name; }
const char *cb_layer_srs_wkt(const cb_layer *l) { return l->srs_wkt; }
int cb_layer_nfields(const cb_layer *l) { return l->nfields; }

const char *cb_layer_field_name(const cb_layer *l, int i) {
  return i >= 0 && i < l->nfields ? l->fields[i] : NULL;
}

/* Sets the attribute filter (open-time AND call-time) and rewinds. */
int layer_set_filter(cb_layer *l, const char *where, cb_err *e) {
  char *f = NULL;
  if (l->where && where) {
    size_t n = strlen(l->where) + strlen(where) + 16;
    f = malloc(n);
    if (!f) return cb_err_set(e, "out of memory");
    snprintf(f, n, "(%s) AND (%s)", l->where, where);
  }
  const char *use = f ? f : (where ? where : l->where);
  CPLErrorReset();
  OGRErr err = OGR_L_SetAttributeFilter(l->lyr, use);
  /* SQL drivers (GeoPackage) check a filter only when it runs: a count
   * without forcing runs it there, and costs nothing where it is not free */
  if (err == OGRERR_NONE && use && OGR_L_GetFeatureCount(l->lyr, 0) < 0 &&
      CPLGetLastErrorType() == CE_Failure)
    err = OGRERR_FAILURE;
  free(f);
  if (err != OGRERR_NONE) {
    char what[1200], list[600] = "";
    snprintf(what, sizeof what, "'%s': bad where filter '%s'", l->path, use);
    cb_err g;
    cb_gdal_fail(&g, what);
    for (int i = 0; i < l->nfields; i++) cb_list_add(list, sizeof list, l->fields[i]);
    return cb_err_set(e, "%s (fields: %s)", g.msg, list);
  }
  OGR_L_ResetReading(l->lyr);
  return 0;
}

long cb_layer_count(cb_layer *l, const char *where, cb_err *e) {
  if (layer_set_filter(l, where, e)) return -1;
  long n = (long)OGR_L_GetFeatureCount(l->lyr, 1);
  if (n < 0) {
    n = 0;
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(l->lyr))) {
      n++;
      OGR_F_Destroy(f);
    }
  }
  return n;
}

/* The index of field `name`; l->nfields stands for the feature ids, asked
 * as "FID" (OGR SQL's name, any case) or by the FID column's name (GPKG's
 * "fid") when no field has that name. */
int layer_field_index(const cb_layer *l, const char *name, cb_err *e) {
  for (int i = 0; i < l->nfields; i++)
    if (strcmp(l->fields[i], name) == 0) return i;
  const char *fidcol = OGR_L_GetFIDColumn(l->lyr);
  if (strcasecmp(name, "FID") == 0 || (fidcol && *fidcol && strcmp(name, fidcol) == 0))
    return l->nfields;
  char list[600] = "";
  for (int i = 0; i < l->nfields; i++) cb_list_add(list, sizeof list, l->fields[i]);
  return cb_err_set(e, "'%s' has no field '%s' (fields: %s)", l->path, name,
                    list);
}

int cb_layer_field_is_numeric(const cb_layer *l, const char *name, cb_err *e) {
  int i = layer_field_index(l, name, e);
  if (i < 0) return -1;
  if (i == l->nfields) return 1; /* feature ids */
  OGRFieldType t =
      OGR_Fld_GetType(OGR_FD_GetFieldDefn(OGR_L_GetLayerDefn(l->lyr), i));
  return t == OFTInteger || t == OFTInteger64 || t == OFTReal;
}

/* Grows *buf (of element size sz) to hold at least need elements. */
static int grow(void **buf, size_t *cap, size_t need, size_t sz) {
  if (need <= *cap) return 0;
  size_t nc = *cap ? *cap * 2 : 64;
  while (nc < need) nc *= 2;
  void *p = realloc(*buf, nc * sz);
  if (!p) return -1;
  *buf = p;
  *cap = nc;
  return 0;
}

int cb_layer_field_doubles(cb_layer *l, const char *name, const char *where,
                           double **out, size_t *n, cb_err *e) {
  int fi = layer_field_index(l, name, e);
  if (fi < 0 || layer_set_filter(l, where, e)) return -1;
  double *v = NULL;
  size_t cap = 0, k = 0;
  OGRFeatureH f;
  while ((f = OGR_L_GetNextFeature(l->lyr))) {
    if (grow((void **)&v, &cap, k + 1, sizeof *v)) {
      OGR_F_Destroy(f);
      free(v);
      return cb_err_set(e, "out of memory");
    }
    double x = NAN;
    if (fi == l->nfields) {
      x = (double)OGR_F_GetFID(f);
    } else if (OGR_F_IsFieldSetAndNotNull(f, fi)) {
      const char *s = OGR_F_GetFieldAsString(f, fi);
      char *end;
      x = strtod(s, &end);
      if (end == s) x = NAN;
    }
    v[k++] = x;
    OGR_F_Destroy(f);
  }
  *out = v;
  *n = k;
  return 0;
}

void cb_strings_free(char **s, size_t n) {
  if (!s) return;
  for (size_t i = 0; i < n; i++) free(s[i]);
  free(s);
}

/* Text that is not UTF-8 is a .dbf in a local encoding (GBK, ...) read
 * without a .cpg: warn once per read, naming the first such feature. */
static void warn_not_utf8(const cb_layer *l, const char *name, char **v,
                          size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (!v[i] || CPLIsUTF8(v[i], -1)) continue;
    cb_warn("'%s': field '%s' is not valid UTF-8 text (first in feature %zu); "
            "the file is probably in a local encoding: open it with "
            "{encoding = \"GBK\"} (or the encoding it was written in; "
            "cbal zonal: --encoding GBK)",
            l->path, name, i + 1);
    return;
  }
}

int cb_layer_field_strings(cb_layer *l, const char *name, const char *where,
                           char ***out, size_t *n, cb_err *e) {
  int fi = layer_field_index(l, name, e);
  if (fi < 0 || layer_set_filter(l, where, e)) return -1;
  char **v = NULL;
  size_t cap = 0, k = 0;
  OGRFeatureH f;
  while ((f = OGR_L_GetNextFeature(l->lyr))) {
    int bad = grow((void **)&v, &cap, k + 1, sizeof *v);
    if (!bad) {
      int set = fi == l->nfields || OGR_F_IsFieldSetAndNotNull(f, fi);
      char fid[32];
      if (fi == l->nfields)
        snprintf(fid, sizeof fid, "%lld", (long long)OGR_F_GetFID(f));
      v[k] = set ? strdup(fi == l->nfields ? fid : OGR_F_GetFieldAsString(f, fi))
                 : NULL;
      bad = set && !v[k];
      k += !bad;
    }
    OGR_F_Destroy(f);
    if (bad) {
      cb_strings_free(v, k);
      return cb_err_set(e, "out of memory");
    }
  }
  warn_not_utf8(l, name, v, k);
  *out = v;
  *n = k;
  return 0;
}

/* ---- polygons ---- */

static int add_ring(cb_polygon *p, OGRGeometryH r, int hole) {
  int n = OGR_G_GetPointCount(r);
  if (n < 3) return 0;
  cb_ring *rs = realloc(p->rings, (p->nrings + 1) * sizeof *rs);
  if (!rs) return -1;
  p->rings = rs;
  cb_ring *ring = &rs[p->nrings];
  ring->xy = malloc(2 * (size_t)n * sizeof(double));
  if (!ring->xy) return -1;
  OGR_G_GetPoints(r, ring->xy, 2 * sizeof(double), ring->xy + 1,
                  2 * sizeof(double), NULL, 0);
  ring->n = (size_t)n;
  ring->hole = hole;
  p->nrings++;
  return 0;
}

/* Adds the polygon parts of g; non-polygonal parts of a collection are
 * skipped (MakeValid can leave lines behind). Returns 1 when g held no
 * polygon at all, -1 on out of memory. */
static int add_parts(cb_polygon *p, OGRGeometryH g) {
  OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
  if (t == wkbPolygon) {
    int nr = OGR_G_GetGeometryCount(g);
    for (int k = 0; k < nr; k++)
      if (add_ring(p, OGR_G_GetGeometryRef(g, k), k > 0)) return -1;
    return 0;
  }
  if (t == wkbMultiPolygon || t == wkbGeometryCollection) {
    int any = 0, np = OGR_G_GetGeometryCount(g);
    for (int k = 0; k < np; k++) {
      int r = add_parts(p, OGR_G_GetGeometryRef(g, k));
      if (r < 0) return -1;
      any |= r == 0;
    }
    return any || np == 0 ? 0 : 1;
  }
  return 1;
}

/* Linearises curves and repairs invalid geometries; returns a geometry the
 * caller owns, or NULL with e filled. */
OGRGeometryH layer_clean_geometry(const cb_layer *l, OGRGeometryH g,
                                   size_t pos, long fid, int *repaired,
                                   cb_err *e) {
  OGRGeometryH c = OGR_G_HasCurveGeometry(g, 1)
                       ? OGR_G_GetLinearGeometry(g, 0, NULL) : OGR_G_Clone(g);
  if (!c) {
    cb_err_set(e, "out of memory");
    return NULL;
  }
  OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(c));
  if (t != wkbPolygon && t != wkbMultiPolygon && t != wkbGeometryCollection) {
    cb_err_set(e, "'%s': feature %zu (FID %ld) is a %s, not a polygon "
               "(zones need a polygon layer; buffer points or lines into "
               "polygons first, e.g. with ogr2ogr -dialect sqlite and "
               "ST_Buffer)", l->path, pos, fid, OGRGeometryTypeToName(t));
    OGR_G_DestroyGeometry(c);
    return NULL;
  }
  CPLPushErrorHandler(CPLQuietErrorHandler); /* GEOS explains why; we say */
  int valid = cb_polygon_valid(c);
  CPLPopErrorHandler();
  CPLErrorReset();
  if (!valid) {
    OGRGeometryH v = OGR_G_MakeValid(c);
    OGR_G_DestroyGeometry(c);
    if (!v) {
      char what[1200];
      snprintf(what, sizeof what, "'%s': feature %zu (FID %ld) has an "
               "invalid geometry that cannot be repaired (fix it in a GIS, "
               "e.g. QGIS 'Fix geometries')", l->path, pos, fid);
      cb_gdal_fail(e, what);
      return NULL;
    }
    c = v;
    *repaired = 1; /* one warning for the layer, in feature order */
  }
  return c;
}

/* The transformation from the layer's CRS to target (NULL when none is
 * needed); *ok = 0 and e filled on failure. */
static OGRCoordinateTransformationH make_ct(const cb_layer *l, const char *src,
                                            const char *target, int *ok,
                                            cb_err *e) {
  *ok = 1;
  if (!target || cb_crs_same(src, target)) return NULL;
  if (!src) {
    *ok = 0;
    cb_err_set(e, "'%s' has no CRS, so it cannot be reprojected (open it "
               "with {crs = \"EPSG:...\"} to state its CRS)", l->path);
    return NULL;
  }
  OGRSpatialReferenceH s = cb_crs_parse(src), t = cb_crs_parse(target);
  OGRCoordinateTransformationH ct =
      s && t ? OCTNewCoordinateTransformation(s, t) : NULL;
  if (s) OSRDestroySpatialReference(s);
  if (t) OSRDestroySpatialReference(t);
  if (!ct) {
    *ok = 0;
    char what[1200];
    snprintf(what, sizeof what, "'%s': cannot reproject into CRS '%.200s'",
             l->path, target);
    cb_gdal_fail(e, what);
  }
  return ct;
}

/* ---- preparing polygons in parallel, in batches of features ---- */

#define BATCH 256

typedef struct {
  OGRGeometryH g; /* owned; NULL for a feature without geometry */
  long fid;
  int repaired;   /* set when MakeValid repaired it */
} item;

typedef struct {
  const cb_layer *l;
  const char *src, *target; /* target NULL: no reprojection */
  item *items;
  cb_polygon *out;          /* one slot per item */
  size_t n, pos0;           /* pos0: 1-based layer position of items[0] */
  atomic_size_t next;
  pthread_mutex_t lock;
  size_t fail_at;           /* lowest failing item, n when none (locked) */
  atomic_int failed;        /* set once any item failed: stop early */
  cb_err err;
  int src_geo;              /* the layer's CRS is geographic (lon/lat) */
} batch;

static void record(batch *b, size_t k, const cb_err *e) {
  pthread_mutex_lock(&b->lock);
  if (k < b->fail_at) {
    b->fail_at = k;
    b->err = *e;
  }
  atomic_store(&b->failed, 1);
  pthread_mutex_unlock(&b->lock);
}

/* When the layer declares a geographic CRS but the feature's coordinates
 * cannot be longitudes and latitudes (a projected file labelled EPSG:4326,
 * as every GeoJSON file is), fills e saying so and returns 1. */
static int not_lonlat(const batch *b, const item *it, size_t pos, cb_err *e) {
  int geo = b->src_geo;
  OGREnvelope env;
  OGR_G_GetEnvelope(it->g, &env);
  double lo = fmin(env.MinX, env.MinY), hi = fmax(env.MaxX, env.MaxY);
  if (!geo || (lo >= -360 && hi <= 360)) return 0;
  char label[128];
  GDALDriverH d = GDALGetDatasetDriver(b->l->ds);
  int geojson = d && strcmp(GDALGetDriverShortName(d), "GeoJSON") == 0;
  cb_err_set(e, "'%s': feature %zu (FID %ld) has coordinates up to "
             "(%.10g, %.10g), which are not longitudes and latitudes, yet "
             "the file declares %s; its CRS is wrong%s: assign the real one, "
             "e.g. ogr2ogr -a_srs EPSG:<code> fixed.gpkg '%s'", b->l->path,
             pos, it->fid, env.MaxX, env.MaxY,
             cb_crs_label(b->src, label, sizeof label),
             geojson ? " (GeoJSON is always read as EPSG:4326)" : "",
             b->l->path);
  return 1;
}

/* GCJ-02 -> WGS84 on every vertex of g, in place (Z kept). */
static void unshift_gcj02(OGRGeometryH g) {
  int parts = OGR_G_GetGeometryCount(g);
  for (int k = 0; k < parts; k++) unshift_gcj02(OGR_G_GetGeometryRef(g, k));
  int n = parts ? 0 : OGR_G_GetPointCount(g);
  for (int i = 0; i < n; i++) {
    double x, y, z;
    OGR_G_GetPoint(g, i, &x, &y, &z);
    cb_gcj02_to_wgs84(x, y, &x, &y);
    if (OGR_G_Is3D(g)) OGR_G_SetPoint(g, i, x, y, z);
    else OGR_G_SetPoint_2D(g, i, x, y);
  }
}

static int prep_one(batch *b, size_t k, OGRCoordinateTransformationH ct,
                    cb_err *e) {
  item *it = &b->items[k];
  if (!it->g || OGR_G_IsEmpty(it->g)) return 0;
  size_t pos = b->pos0 + k;
  OGRGeometryH c = layer_clean_geometry(b->l, it->g, pos, it->fid, &it->repaired, e);
  if (!c) return -1;
  /* the same check whether the polygons are reprojected or not */
  if (!ct && not_lonlat(b, it, pos, e)) {
    OGR_G_DestroyGeometry(c);
    return -1;
  }
  if (b->l->datum && b->l->datum[0] == 'g') unshift_gcj02(c);
  if (ct && OGR_G_Transform(c, ct) != OGRERR_NONE) {
    OGR_G_DestroyGeometry(c);
    if (not_lonlat(b, it, pos, e)) return -1;
    char what[1200];
    snprintf(what, sizeof what, "'%s': cannot reproject feature %zu (FID %ld)",
             b->l->path, pos, it->fid);
    return cb_gdal_fail(e, what);
  }
  int r = add_parts(&b->out[k], c);
  OGR_G_DestroyGeometry(c);
  return r < 0 ? cb_err_set(e, "out of memory") : 0;
}

/* Each thread has its own coordinate transformation (they are not
 * thread-safe) and takes the next feature in turn. */
static void *prep_worker(void *arg) {
  batch *b = arg;
  cb_err e;
  int ok = 1;
  OGRCoordinateTransformationH ct =
      b->target ? make_ct(b->l, b->src, b->target, &ok, &e) : NULL;
  if (!ok) {
    record(b, 0, &e);
    return NULL;
  }
  for (;;) {
    size_t k = atomic_fetch_add(&b->next, 1);
    if (k >= b->n || atomic_load(&b->failed)) break;
    if (prep_one(b, k, ct, &e)) record(b, k, &e);
  }
  if (ct) OCTDestroyCoordinateTransformation(ct);
  return NULL;
}

static size_t read_batch(cb_layer *l, item *items);

/* Prepares b's items into b->out on up to nth threads, reading the next
 * batch into `ahead` meanwhile (OGR reads on this thread only), its size
 * into *nahead; 0 or -1 (e). */
static int run_batch(batch *b, int nth, cb_layer *l, item *ahead,
                     size_t *nahead, cb_err *e) {
  pthread_t th[16];
  int started = 0;
  atomic_init(&b->next, 0);
  atomic_init(&b->failed, 0);
  b->fail_at = b->n;
  pthread_mutex_init(&b->lock, NULL);
  if (nth > (int)b->n) nth = (int)b->n;
  for (int i = 1; i < nth; i++)
    if (pthread_create(&th[started], NULL, prep_worker, b) == 0) started++;
  *nahead = read_batch(l, ahead);
  prep_worker(b);
  for (int i = 0; i < started; i++) pthread_join(th[i], NULL);
  pthread_mutex_destroy(&b->lock);
  if (b->fail_at < b->n) {
    *e = b->err;
    return -1;
  }
  return 0;
}

/* Reads up to BATCH features (taking their geometries); returns how many. */
static size_t read_batch(cb_layer *l, item *items) {
  size_t n = 0;
  OGRFeatureH f;
  while (n < BATCH && (f = OGR_L_GetNextFeature(l->lyr))) {
    items[n].fid = (long)OGR_F_GetFID(f);
    items[n].g = OGR_F_StealGeometry(f);
    OGR_F_Destroy(f);
    n++;
  }
  return n;
}

/* Appends "pos (FID f)" of the repaired items to list (up to a few). */
static void note_repaired(const item *items, size_t n, size_t pos0,
                          size_t *count, char *list, size_t len) {
  for (size_t k = 0; k < n; k++) {
    if (!items[k].repaired) continue;
    if (++*count <= 8) {
      size_t used = strlen(list);
      snprintf(list + used, len - used, "%s%zu (FID %ld)", used ? ", " : "",
               pos0 + k, items[k].fid);
    }
  }
}

static void drop_items(item *items, size_t n) {
  for (size_t k = 0; k < n; k++)
    if (items[k].g) OGR_G_DestroyGeometry(items[k].g);
}

/* Batches of features prepared on threads while the next batch is read. */
static int read_polygons(cb_layer *l, cb_polyset *ps, const char *src,
                         const char *target, cb_err *e) {
  item items[2][BATCH];
  size_t cap = 0, nrepaired = 0, n, ahead = 0;
  char repaired[400] = "";
  int src_geo = cb_crs_geographic(src), cur = 0;
  int nth = cb_threads(0, 16, e), rc = 0;
  if (nth < 0) return -1;
  for (n = read_batch(l, items[cur]); n > 0; n = ahead, cur = 1 - cur) {
    item *it = items[cur];
    ahead = 0;
    if (grow((void **)&ps->polys, &cap, ps->n + n, sizeof *ps->polys)) {
      rc = cb_err_set(e, "out of memory");
    } else {
      memset(ps->polys + ps->n, 0, n * sizeof *ps->polys);
      batch b = {.l = l, .src = src, .target = target, .items = it,
                 .out = ps->polys + ps->n, .n = n, .pos0 = ps->n + 1,
                 .src_geo = src_geo};
      for (size_t k = 0; k < n; k++) it[k].repaired = 0;
      ps->n += n; /* slots are zeroed, so a failure frees them cleanly */
      rc = run_batch(&b, nth, l, items[1 - cur], &ahead, e);
      note_repaired(it, n, b.pos0, &nrepaired, repaired, sizeof repaired);
    }
    drop_items(it, n);
    if (rc) {
      drop_items(items[1 - cur], ahead);
      return -1;
    }
  }
  if (nrepaired)
    cb_warn("'%s': %zu feature%s had an invalid geometry (e.g. a "
            "self-intersection) and %s repaired with MakeValid: feature%s "
            "%s%s; check %s in a GIS if %s area matters", l->path, nrepaired,
            nrepaired == 1 ? "" : "s", nrepaired == 1 ? "was" : "were",
            nrepaired == 1 ? "" : "s", repaired, nrepaired > 8 ? ", ..." : "",
            nrepaired == 1 ? "it" : "them", nrepaired == 1 ? "its" : "their");
  cb_polyset_bbox(ps);
  return 0;
}

cb_polyset *cb_layer_polygons(cb_layer *l, const char *where,
                              const char *assume_srs, const char *target_srs,
                              cb_err *e) {
  int ok;
  const char *src = l->srs_wkt ? l->srs_wkt : assume_srs;
  OGRCoordinateTransformationH ct = make_ct(l, src, target_srs, &ok, e);
  if (!ok) return NULL;
  int reproject = ct != NULL;
  if (ct) OCTDestroyCoordinateTransformation(ct); /* each thread makes one */
  cb_polyset *ps = calloc(1, sizeof *ps);
  if (!ps) {
    cb_err_set(e, "out of memory");
    return NULL;
  }
  if (target_srs) {
    if (!(ps->srs_wkt = cb_crs_to_wkt(target_srs, e))) goto fail;
  } else if (src && !(ps->srs_wkt = cb_crs_to_wkt(src, e))) {
    goto fail;
  }
  if (layer_set_filter(l, where, e) ||
      read_polygons(l, ps, src, reproject ? target_srs : NULL, e))
    goto fail;
  return ps;
fail:
  cb_polyset_free(ps);
  return NULL;
}
