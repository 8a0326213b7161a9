/* Subdatasets by name, tiles checked onto one grid and mosaicked through an
 * in-memory VRT (GDALBuildVRT; its XML is what the raster opens, so
 * threads can reopen it), and globs. */
#include "mosaic.h"

#include <cpl_string.h>
#include <gdal.h>
#include <gdal_utils.h>
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crs.h"
#include "gdalx.h"
#include "layer.h"

/* The short name of a subdataset: after the last ':' and the last '/'. */
static const char *short_name(const char *full) {
  const char *s = strrchr(full, ':');
  s = s ? s + 1 : full;
  const char *t = strrchr(s, '/');
  return t ? t + 1 : s;
}

int cb_subdataset_names(void *ds, char *buf, size_t len) {
  char **md = GDALGetMetadata((GDALDatasetH)ds, "SUBDATASETS");
  size_t used = 0;
  int k = 0;
  buf[0] = 0;
  for (char **m = md; m && *m; m++) {
    const char *eq = strchr(*m, '=');
    if (!eq || !strstr(*m, "_NAME=")) continue;
    int w = snprintf(buf + used, len - used, "%s%s", k++ ? ", " : "",
                     short_name(eq + 1));
    if (w < 0 || (size_t)w >= len - used) break;
    used += (size_t)w;
  }
  return k;
}

char *cb_subdataset_name(const char *path, const char *want, cb_err *e) {
  GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_RASTER | GDAL_OF_READONLY |
                               GDAL_OF_VERBOSE_ERROR, NULL, NULL, NULL);
  if (!ds) {
    cb_gdal_open_fail(e, path, 1);
    return NULL;
  }
  char **md = GDALGetMetadata(ds, "SUBDATASETS"), *found = NULL;
  for (char **m = md; m && *m && !found; m++) {
    const char *eq = strchr(*m, '=');
    if (eq && strstr(*m, "_NAME=") &&
        (strcmp(eq + 1, want) == 0 || strcmp(short_name(eq + 1), want) == 0))
      found = strdup(eq + 1);
  }
  char names[600];
  if (!found && !cb_subdataset_names(ds, names, sizeof names))
    cb_err_set(e, "'%s' has no subdatasets (it is a plain raster), so option "
               "subdataset = '%s' does not apply: leave it out", path, want);
  else if (!found)
    cb_err_set(e, "'%s' has no subdataset '%s' (it has: %s)", path, want,
               names);
  GDALClose(ds);
  return found;
}

/* ---- tiles ---- */

typedef struct {
  const char *path; /* as given */
  char *name;       /* what GDAL opens */
  GDALDatasetH ds;
  double gt[6];
  int w, h;
  long ox, oy;      /* offset in cells from the first tile */
} tile;

static int tile_open(tile *t, const cb_raster_opts *o, int band, cb_err *e) {
  t->name = o && o->subdataset ? cb_subdataset_name(t->path, o->subdataset, e)
                               : strdup(t->path);
  if (!t->name) return -1;
  t->ds = GDALOpenEx(t->name, GDAL_OF_RASTER | GDAL_OF_READONLY |
                     GDAL_OF_VERBOSE_ERROR, NULL, NULL, NULL);
  if (!t->ds) return cb_gdal_open_fail(e, t->name, 1);
  int nb = GDALGetRasterCount(t->ds);
  char names[600];
  if (nb == 0 && cb_subdataset_names(t->ds, names, sizeof names))
    return cb_err_set(e, "tile '%s' holds subdatasets, not a raster band; "
                      "pick one with {subdataset = \"name\"} (%s)", t->path,
                      names);
  if (band > nb)
    return cb_err_set(e, "tile '%s' has %d band%s; band %d does not exist",
                      t->path, nb, nb == 1 ? "" : "s", band);
  if (GDALGetGeoTransform(t->ds, t->gt) != CE_None)
    return cb_err_set(e, "tile '%s' has no geotransform, so it cannot be "
                      "placed in a mosaic (georeference it first)", t->path);
  if (t->gt[2] != 0 || t->gt[4] != 0)
    return cb_err_set(e, "tile '%s' is rotated (geotransform terms %g, %g); "
                      "warp it north-up first (gdalwarp)", t->path, t->gt[2],
                      t->gt[4]);
  t->w = GDALGetRasterXSize(t->ds), t->h = GDALGetRasterYSize(t->ds);
  return 0;
}

static const char *const GRID_HELP =
    "tiles must share CRS, cell size and alignment to be mosaicked (warp "
    "them onto one grid first, e.g. with gdalwarp -tap)";

static int same_crs(const tile *a, const tile *b, int band, cb_err *e) {
  const char *wa = GDALGetProjectionRef(a->ds), *wb = GDALGetProjectionRef(b->ds);
  int ha = wa && *wa, hb = wb && *wb;
  char la[128], lb[128];
  if (ha != hb)
    return cb_err_set(e, "tiles are not on one grid: '%s' %s a CRS and '%s' "
                      "%s; %s", b->path, hb ? "has" : "has no", a->path,
                      ha ? "has one" : "has none", GRID_HELP);
  if (ha && !cb_crs_same(wa, wb))
    return cb_err_set(e, "tiles are not on one grid: '%s' is in %s but '%s' "
                      "in %s; %s", b->path, cb_crs_label(wb, lb, sizeof lb),
                      a->path, cb_crs_label(wa, la, sizeof la), GRID_HELP);
  GDALDataType ta = GDALGetRasterDataType(GDALGetRasterBand(a->ds, band));
  GDALDataType tb = GDALGetRasterDataType(GDALGetRasterBand(b->ds, band));
  if (ta != tb)
    return cb_err_set(e, "tiles differ in data type: '%s' is %s but '%s' %s",
                      b->path, GDALGetDataTypeName(tb), a->path,
                      GDALGetDataTypeName(ta));
  return 0;
}

/* Checks tile b against the first tile a and sets b's cell offset. */
static int same_grid(const tile *a, tile *b, int band, cb_err *e) {
  if (same_crs(a, b, band, e)) return -1;
  double dx = a->gt[1], dy = a->gt[5];
  if (fabs(b->gt[1] - dx) > 1e-6 * fabs(dx) || fabs(b->gt[5] - dy) > 1e-6 * fabs(dy))
    return cb_err_set(e, "tiles are not on one grid: '%s' has cells of "
                      "%.10g x %.10g but '%s' of %.10g x %.10g; %s", b->path,
                      b->gt[1], fabs(b->gt[5]), a->path, dx, fabs(dy),
                      GRID_HELP);
  double fx = (b->gt[0] - a->gt[0]) / dx, fy = (b->gt[3] - a->gt[3]) / dy;
  double rx = fx - round(fx), ry = fy - round(fy);
  if (fabs(rx) > 1e-3 || fabs(ry) > 1e-3)
    return cb_err_set(e, "tiles are not on one grid: '%s' is %.3g cells off "
                      "the grid of '%s' in %s (origin %.10g, %.10g against "
                      "%.10g, %.10g); %s", b->path, fabs(fabs(rx) > 1e-3 ? rx : ry),
                      a->path, fabs(rx) > 1e-3 ? "x" : "y", b->gt[0],
                      b->gt[3], a->gt[0], a->gt[3], GRID_HELP);
  b->ox = lround(fx), b->oy = lround(fy);
  return 0;
}

static int cmp_long(const void *a, const void *b) {
  long x = *(const long *)a, y = *(const long *)b;
  return (x > y) - (x < y);
}

/* 1 when the tiles leave part of their bounding box uncovered (checked on
 * the grid of distinct tile edges; more than 64 tiles count as gaps). */
static int has_gaps(const tile *t, size_t n) {
  if (n > 64) return 1;
  long xs[128], ys[128];
  for (size_t i = 0; i < n; i++) {
    xs[2 * i] = t[i].ox, xs[2 * i + 1] = t[i].ox + t[i].w;
    ys[2 * i] = t[i].oy, ys[2 * i + 1] = t[i].oy + t[i].h;
  }
  qsort(xs, 2 * n, sizeof *xs, cmp_long);
  qsort(ys, 2 * n, sizeof *ys, cmp_long);
  for (size_t a = 0; a + 1 < 2 * n; a++)
    for (size_t b = 0; b + 1 < 2 * n; b++) {
      if (xs[a] == xs[a + 1] || ys[b] == ys[b + 1]) continue;
      int in = 0;
      for (size_t i = 0; i < n && !in; i++)
        in = xs[a] >= t[i].ox && xs[a + 1] <= t[i].ox + t[i].w &&
             ys[b] >= t[i].oy && ys[b + 1] <= t[i].oy + t[i].h;
      if (!in) return 1;
    }
  return 0;
}

/* The XML of a VRT of band `band` of the tiles (malloc'ed), NULL and e
 * filled on failure. An alpha band marks cells outside every tile when
 * the tiles declare no nodata and leave gaps. */
static char *build_vrt(tile *t, size_t n, int band, cb_err *e) {
  GDALDatasetH *hs = malloc(n * sizeof *hs);
  if (!hs) return cb_err_set(e, "out of memory"), NULL;
  for (size_t i = 0; i < n; i++) hs[i] = t[i].ds;
  int has_nd = 0;
  GDALGetRasterNoDataValue(GDALGetRasterBand(t[0].ds, band), &has_nd);
  char b[16];
  snprintf(b, sizeof b, "%d", band);
  char *argv[] = {"-b", b, "-r", "nearest", NULL, NULL};
  if (!has_nd && has_gaps(t, n)) argv[4] = "-addalpha";
  GDALBuildVRTOptions *bo = GDALBuildVRTOptionsNew(argv, NULL);
  int usage = 0;
  GDALDatasetH v = bo ? GDALBuildVRT("", (int)n, hs, NULL, bo, &usage) : NULL;
  char *xml = NULL;
  if (v) {
    char **md = GDALGetMetadata(v, "xml:VRT");
    if (md && md[0]) xml = strdup(md[0]);
    GDALClose(v);
  }
  if (bo) GDALBuildVRTOptionsFree(bo);
  free(hs);
  if (!xml) {
    char what[1200];
    snprintf(what, sizeof what, "cannot mosaic the tiles of '%s'", t[0].path);
    cb_gdal_fail(e, what);
  }
  return xml;
}

static void tiles_free(tile *t, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (t[i].ds) GDALClose(t[i].ds);
    free(t[i].name);
  }
  free(t);
}

/* Opens and checks every tile; 0 or -1 (e). */
static int tiles_open(tile *t, const char *const *paths, size_t n,
                      const cb_raster_opts *o, int band, cb_err *e) {
  for (size_t i = 0; i < n; i++) {
    t[i].path = paths[i];
    for (size_t j = 0; j < i; j++)
      if (strcmp(paths[j], paths[i]) == 0)
        return cb_err_set(e, "tile '%s' is given twice", paths[i]);
    if (tile_open(&t[i], o, band, e) || (i && same_grid(&t[0], &t[i], band, e)))
      return -1;
  }
  return 0;
}

static char **take_names(tile *t, size_t n) {
  char **names = calloc(n, sizeof *names);
  for (size_t i = 0; names && i < n; i++) names[i] = t[i].name, t[i].name = NULL;
  return names;
}

cb_raster *cb_raster_open_tiles(const char *const *paths, size_t n,
                                const cb_raster_opts *o, char ***names,
                                cb_err *e) {
  cb_gdal_init();
  if (n == 0) return cb_err_set(e, "no tiles given"), NULL;
  int band = o && o->band ? o->band : 1;
  tile *t = calloc(n, sizeof *t);
  if (!t) return cb_err_set(e, "out of memory"), NULL;
  char *xml = NULL;
  cb_raster *r = NULL;
  cb_raster_opts vo = o ? *o : (cb_raster_opts){0};
  if (tiles_open(t, paths, n, o, band, e)) {
    /* e names the tile */
  } else if (n == 1) {
    vo.subdataset = NULL;
    r = cb_raster_open_source(t[0].name, t[0].name, &vo, e);
  } else if ((xml = build_vrt(t, n, band, e))) {
    char label[1200];
    snprintf(label, sizeof label, "%s + %zu more tile%s%s%s%s", t[0].path,
             n - 1, n == 2 ? "" : "s", vo.subdataset ? " [" : "",
             vo.subdataset ? vo.subdataset : "", vo.subdataset ? "]" : "");
    vo.band = 1, vo.subdataset = NULL;
    r = cb_raster_open_source(xml, label, &vo, e);
  }
  if (r && names && !(*names = take_names(t, n))) {
    cb_raster_close(r);
    r = NULL;
    cb_err_set(e, "out of memory");
  }
  free(xml);
  tiles_free(t, n);
  return r;
}

int cb_glob(const char *pattern, char ***out, size_t *n, cb_err *e) {
  glob_t g;
  int rc = glob(pattern, GLOB_ERR, NULL, &g);
  *out = NULL, *n = 0;
  if (rc == GLOB_NOMATCH) return 0;
  if (rc != 0) {
    if (rc != GLOB_NOSPACE) globfree(&g);
    return cb_err_set(e, rc == GLOB_NOSPACE ? "out of memory"
                      : "cannot read the folders of pattern '%s'", pattern);
  }
  char **v = calloc(g.gl_pathc ? g.gl_pathc : 1, sizeof *v);
  for (size_t i = 0; v && i < g.gl_pathc; i++)
    if (!(v[i] = strdup(g.gl_pathv[i]))) {
      cb_strings_free(v, i);
      v = NULL;
    }
  size_t count = g.gl_pathc;
  globfree(&g);
  if (!v) return cb_err_set(e, "out of memory");
  *out = v, *n = count;
  return 0;
}
