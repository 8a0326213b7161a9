/* layer:dissolve(field): the polygons of each value of a field united
 * into one feature (GEOS through OGR), slivers between neighbours closed,
 * in a layer held in memory. */
#include "layer_int.h"

#include <cpl_error.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crs.h"
#include "gdalx.h"

typedef struct {
  char *key;
  OGRGeometryH parts; /* a MultiPolygon of the group's polygons */
} group;

static void add_polys(OGRGeometryH multi, OGRGeometryH g) {
  OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
  if (t == wkbPolygon) {
    OGR_G_AddGeometry(multi, g);
  } else if (t == wkbMultiPolygon || t == wkbGeometryCollection) {
    for (int k = 0; k < OGR_G_GetGeometryCount(g); k++)
      add_polys(multi, OGR_G_GetGeometryRef(g, k));
  }
}

static group *find_group(group **gs, size_t *ng, const char *key) {
  for (size_t i = 0; i < *ng; i++)
    if (strcmp((*gs)[i].key, key) == 0) return &(*gs)[i];
  group *ngs = realloc(*gs, (*ng + 1) * sizeof *ngs);
  if (!ngs) return NULL;
  *gs = ngs;
  group *g = &ngs[*ng];
  g->key = strdup(key);
  g->parts = OGR_G_CreateGeometry(wkbMultiPolygon);
  if (!g->key || !g->parts) {
    free(g->key);
    if (g->parts) OGR_G_DestroyGeometry(g->parts);
    return NULL;
  }
  ++*ng;
  return g;
}

/* The polygons of every feature (cleaned), grouped by the text of field fi
 * in order of first appearance; features without a value are counted. */
static int group_features(cb_layer *l, int fi, group **gs, size_t *ng,
                          size_t *nulls, cb_err *e) {
  if (layer_set_filter(l, NULL, e)) return -1;
  OGRFeatureH f;
  size_t pos = 0;
  while ((f = OGR_L_GetNextFeature(l->lyr))) {
    pos++;
    int rc = 0, repaired = 0;
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    if (!OGR_F_IsFieldSetAndNotNull(f, fi)) {
      ++*nulls;
    } else {
      group *gr = find_group(gs, ng, OGR_F_GetFieldAsString(f, fi));
      if (!gr) {
        rc = cb_err_set(e, "out of memory");
      } else if (g && !OGR_G_IsEmpty(g)) {
        OGRGeometryH c = layer_clean_geometry(l, g, pos, (long)OGR_F_GetFID(f), &repaired, e);
        if (!c) rc = -1;
        else add_polys(gr->parts, c), OGR_G_DestroyGeometry(c);
      }
    }
    OGR_F_Destroy(f);
    if (rc) return -1;
  }
  return 0;
}

/* An empty in-memory layer like l with the one field fi. */
static int mem_layer(cb_layer *l, cb_layer *d, int fi, cb_err *e) {
  GDALDriverH drv = GDALGetDriverByName("Memory");
  d->ds = drv ? GDALCreate(drv, "dissolve", 0, 0, 0, GDT_Unknown, NULL) : NULL;
  if (!d->ds) return cb_gdal_fail(e, "dissolve: cannot make an in-memory layer");
  OGRSpatialReferenceH s = cb_crs_parse(l->srs_wkt);
  d->lyr = GDALDatasetCreateLayer(d->ds, d->name, s, wkbMultiPolygon, NULL);
  if (s) OSRDestroySpatialReference(s);
  OGRFieldDefnH src = OGR_FD_GetFieldDefn(OGR_L_GetLayerDefn(l->lyr), fi);
  OGRFieldDefnH fd = OGR_Fld_Create(l->fields[fi], OGR_Fld_GetType(src));
  int bad = !d->lyr || OGR_L_CreateField(d->lyr, fd, 1) != OGRERR_NONE;
  OGR_Fld_Destroy(fd);
  return bad ? cb_gdal_fail(e, "dissolve: cannot make an in-memory layer") : 0;
}

/* Area of a ring of a polygon geometry (its own closed ring). */
static double ring_area(OGRGeometryH r) {
  double a = 0;
  int n = OGR_G_GetPointCount(r);
  for (int i = 0; i + 1 < n; i++)
    a += OGR_G_GetX(r, i) * OGR_G_GetY(r, i + 1) - OGR_G_GetX(r, i + 1) * OGR_G_GetY(r, i);
  return fabs(a) / 2;
}

/* A polygon without the holes smaller than 1/10 000 of its outer ring:
 * slivers where neighbouring features do not quite meet, not enclaves. */
static OGRGeometryH close_slivers(OGRGeometryH p) {
  OGRGeometryH q = OGR_G_CreateGeometry(wkbPolygon);
  int nr = OGR_G_GetGeometryCount(p);
  double outer = nr ? ring_area(OGR_G_GetGeometryRef(p, 0)) : 0;
  for (int k = 0; k < nr; k++) {
    OGRGeometryH r = OGR_G_GetGeometryRef(p, k);
    if (k == 0 || ring_area(r) >= outer * 1e-4) OGR_G_AddGeometry(q, r);
  }
  return q;
}

/* The union u with its sliver holes closed, as a MultiPolygon. */
static OGRGeometryH without_slivers(OGRGeometryH u) {
  OGRGeometryH m = OGR_G_CreateGeometry(wkbMultiPolygon);
  OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(u));
  int np = t == wkbPolygon ? 1 : OGR_G_GetGeometryCount(u);
  for (int i = 0; i < np; i++) {
    OGRGeometryH p = t == wkbPolygon ? u : OGR_G_GetGeometryRef(u, i);
    if (wkbFlatten(OGR_G_GetGeometryType(p)) != wkbPolygon) continue;
    OGR_G_AddGeometryDirectly(m, close_slivers(p));
  }
  OGR_G_DestroyGeometry(u);
  return m;
}

/* One feature per group: the union of its polygons (GEOS, cascaded). */
static int write_groups(cb_layer *d, const group *gs, size_t ng, cb_err *e) {
  OGRFeatureDefnH def = OGR_L_GetLayerDefn(d->lyr);
  for (size_t i = 0; i < ng; i++) {
    OGRGeometryH u = OGR_G_GetGeometryCount(gs[i].parts)
                         ? OGR_G_UnionCascaded(gs[i].parts) : NULL;
    if (!u && OGR_G_GetGeometryCount(gs[i].parts)) {
      char what[600];
      snprintf(what, sizeof what, "'%s': cannot union the polygons of '%s'",
               d->path, gs[i].key);
      return cb_gdal_fail(e, what);
    }
    OGRFeatureH f = OGR_F_Create(def);
    OGR_F_SetFieldString(f, 0, gs[i].key);
    if (u) OGR_F_SetGeometryDirectly(f, without_slivers(u));
    OGRErr err = OGR_L_CreateFeature(d->lyr, f);
    OGR_F_Destroy(f);
    if (err != OGRERR_NONE) return cb_gdal_fail(e, "dissolve: cannot add a feature");
  }
  return 0;
}

static int dissolve_meta(cb_layer *l, cb_layer *d, int fi) {
  size_t n = strlen(l->path) + strlen(l->fields[fi]) + 32;
  d->path = malloc(n), d->name = malloc(n);
  d->fields = calloc(2, sizeof *d->fields);
  if (!d->path || !d->name || !d->fields) return -1;
  snprintf(d->path, n, "%s (dissolved by %s)", l->path, l->fields[fi]);
  snprintf(d->name, n, "%s_by_%s", l->name, l->fields[fi]);
  d->nfields = 1;
  d->datum = l->datum;
  if (!(d->fields[0] = strdup(l->fields[fi]))) return -1;
  if (l->srs_wkt && !(d->srs_wkt = strdup(l->srs_wkt))) return -1;
  return 0;
}

cb_layer *cb_layer_dissolve(cb_layer *l, const char *field, cb_err *e) {
  int fi = layer_field_index(l, field, e);
  if (fi < 0) return NULL;
  group *gs = NULL;
  size_t ng = 0, nulls = 0;
  cb_layer *d = calloc(1, sizeof *d);
  int rc = !d || dissolve_meta(l, d, fi) ? cb_err_set(e, "out of memory") : 0;
  if (!rc) rc = group_features(l, fi, &gs, &ng, &nulls, e);
  if (!rc) rc = mem_layer(l, d, fi, e);
  if (!rc) rc = write_groups(d, gs, ng, e);
  for (size_t i = 0; i < ng; i++) {
    free(gs[i].key);
    OGR_G_DestroyGeometry(gs[i].parts);
  }
  free(gs);
  if (rc) {
    cb_layer_close(d);
    return NULL;
  }
  if (nulls)
    cb_warn("'%s': %zu feature%s without a '%s' value %s left out of the "
            "dissolve", l->path, nulls, nulls == 1 ? "" : "s", field,
            nulls == 1 ? "is" : "are");
  return d;
}
