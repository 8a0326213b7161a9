/* GDAL rasters: open one band, describe its grid, read strips of rows as
 * doubles with the nodata set, valid range and scale/offset applied. */
#include "raster.h"

#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crs.h"
#include "gdalx.h"
#include "mosaic.h"

#define MAX_NODATA 64

unsigned long long cb_raster_cells_read;

struct cb_raster_reader {
  const cb_raster *r;
  GDALDatasetH ds;
  GDALRasterBandH band;
  GDALRasterBandH mask; /* NULL when the band's mask is not honoured */
};

struct cb_raster {
  cb_raster_reader main;
  char *path;     /* what messages call it */
  char *src;      /* what GDAL opens (and reopens for threads) */
  int width, height, nbands, bandno;
  GDALDataType type;
  double gt[6];
  int has_gt;
  char *srs_wkt;
  int bx, by;
  int has_declared;
  double declared;
  double nodata[MAX_NODATA];
  size_t nnodata;
  int has_range;
  double lo, hi;
  double scale, offset;
  int masked;
  int mapped;              /* 0 not tried, 1 blocks in place, -1 not possible */
  unsigned char *map;      /* the whole file, read-only */
  size_t map_len;
  const unsigned char **blocks; /* per block (row-major): its values, or NULL */
};

static GDALDatasetH open_ds(const char *path) {
  return GDALOpenEx(path, GDAL_OF_RASTER | GDAL_OF_READONLY |
                    GDAL_OF_VERBOSE_ERROR, NULL, NULL, NULL);
}

/* A raw value as the band's type would hold it, so that e.g. a float32
 * band's nodata compares equal after widening to double. */
static double as_type(GDALDataType t, double v) {
  if (t == GDT_Float32) return (double)(float)v;
  return v;
}

static int subdataset_error(cb_raster *r, cb_err *e) {
  char names[600];
  if (cb_subdataset_names(r->main.ds, names, sizeof names))
    return cb_err_set(e, "'%s' holds subdatasets, not a raster band; pick "
                      "one with {subdataset = \"name\"} (%s)", r->path,
                      names);
  return cb_err_set(e, "'%s' has no raster band", r->path);
}

/* The file's geotransform, or the one in the options; a file without one
 * and no option is an error (it would silently be 1-unit cells at 0, 0). */
static int read_gt(cb_raster *r, const cb_raster_opts *o, cb_err *e) {
  r->has_gt = GDALGetGeoTransform(r->main.ds, r->gt) == CE_None;
  if (o && o->has_gt) {
    if (!(o->gt[1] != 0 && o->gt[5] != 0) || !isfinite(o->gt[0] + o->gt[1] +
        o->gt[2] + o->gt[3] + o->gt[4] + o->gt[5]))
      return cb_err_set(e, "'%s': option 'geotransform' must be six finite "
                        "numbers {x0, dx, 0, y0, 0, dy} with dx and dy not 0",
                        r->path);
    int same = r->has_gt;
    for (int i = 0; i < 6 && same; i++)
      same = fabs(r->gt[i] - o->gt[i]) <= 1e-9 * fmax(1, fabs(o->gt[i]));
    if (r->has_gt && !same)
      return cb_err_set(e, "'%s' already has a geotransform {%.10g, %.10g, "
                        "%g, %.10g, %g, %.10g}, different from option "
                        "'geotransform' (which only states the grid of a "
                        "file that has none)", r->path, r->gt[0], r->gt[1],
                        r->gt[2], r->gt[3], r->gt[4], r->gt[5]);
    memcpy(r->gt, o->gt, sizeof r->gt);
    return 0;
  }
  if (!r->has_gt)
    return cb_err_set(e, "'%s' has no geotransform, so where its cells lie "
                      "is unknown; state the grid with {geotransform = {x0, "
                      "dx, 0, y0, 0, dy}} (x0, y0: the top-left corner; dx, "
                      "dy: the cell size, dy negative for north-up) and crs "
                      "= ..., or georeference the file (gdal_translate "
                      "-a_ullr -a_srs)", r->path);
  return 0;
}

static int read_crs(cb_raster *r, const char *given, cb_err *e) {
  return cb_crs_resolve(GDALGetSpatialRef(r->main.ds), given, r->path,
                        "warp the raster to change it", &r->srs_wkt, e);
}

static int apply_opts(cb_raster *r, const cb_raster_opts *o, cb_err *e) {
  GDALRasterBandH b = r->main.band;
  int has = 0;
  r->declared = GDALGetRasterNoDataValue(b, &has);
  r->has_declared = has;
  if (o && o->nodata_given) {
    if (o->nnodata > MAX_NODATA)
      return cb_err_set(e, "option 'nodata': at most %d values, got %zu",
                        MAX_NODATA, o->nnodata);
    for (size_t i = 0; i < o->nnodata; i++)
      r->nodata[i] = as_type(r->type, o->nodata[i]);
    r->nnodata = o->nnodata;
  } else if (has) {
    r->nodata[0] = as_type(r->type, r->declared);
    r->nnodata = isnan(r->declared) ? 0 : 1; /* NaN is always invalid */
  }
  if (o && o->has_range) {
    if (!(o->lo <= o->hi))
      return cb_err_set(e, "'%s': option 'range': low %g is above high %g "
                        "(give {low, high})", r->path, o->lo, o->hi);
    r->has_range = 1, r->lo = o->lo, r->hi = o->hi;
  }
  r->scale = GDALGetRasterScale(b, &has);
  if (!has || r->scale == 0) r->scale = 1;
  r->offset = GDALGetRasterOffset(b, &has);
  if (!has) r->offset = 0;
  if (o && o->has_scale) r->scale = o->scale;
  if (o && o->has_offset) r->offset = o->offset;
  /* a real mask: not "all valid" and not the one GDAL derives from nodata */
  int mf = GDALGetMaskFlags(b);
  r->masked = !(o && o->no_mask) && !(mf & (GMF_ALL_VALID | GMF_NODATA));
  if (r->masked) r->main.mask = GDALGetMaskBand(b);
  return 0;
}

static int describe(cb_raster *r, const cb_raster_opts *o, cb_err *e) {
  r->nbands = GDALGetRasterCount(r->main.ds);
  if (r->nbands == 0) return subdataset_error(r, e);
  r->bandno = o && o->band ? o->band : 1;
  if (r->bandno < 1 || r->bandno > r->nbands)
    return cb_err_set(e, "'%s' has %d band%s; band %d does not exist (use "
                      "band = 1..%d)", r->path, r->nbands,
                      r->nbands == 1 ? "" : "s", r->bandno, r->nbands);
  r->main.band = GDALGetRasterBand(r->main.ds, r->bandno);
  r->width = GDALGetRasterXSize(r->main.ds);
  r->height = GDALGetRasterYSize(r->main.ds);
  r->type = GDALGetRasterDataType(r->main.band);
  GDALGetBlockSize(r->main.band, &r->bx, &r->by);
  CPLErrorReset();
  return read_gt(r, o, e) || read_crs(r, o ? o->crs : NULL, e) ||
         apply_opts(r, o, e) ? -1 : 0;
}

cb_raster *cb_raster_open_source(const char *src, const char *label,
                                 const cb_raster_opts *o, cb_err *e) {
  cb_gdal_init();
  cb_raster *r = calloc(1, sizeof *r);
  if (!r || !(r->path = strdup(label)) || !(r->src = strdup(src))) {
    if (r) free(r->path);
    free(r);
    cb_err_set(e, "out of memory");
    return NULL;
  }
  r->main.r = r;
  r->main.ds = open_ds(src);
  if (!r->main.ds) {
    cb_gdal_open_fail(e, label, 1);
    cb_raster_close(r);
    return NULL;
  }
  if (describe(r, o, e)) {
    cb_raster_close(r);
    return NULL;
  }
  return r;
}

cb_raster *cb_raster_open(const char *path, const cb_raster_opts *o,
                          cb_err *e) {
  if (!o || !o->subdataset) return cb_raster_open_source(path, path, o, e);
  cb_gdal_init();
  char *name = cb_subdataset_name(path, o->subdataset, e);
  if (!name) return NULL;
  cb_raster *r = cb_raster_open_source(name, name, o, e);
  free(name);
  return r;
}

void cb_raster_close(cb_raster *r) {
  if (!r) return;
  if (r->map) munmap(r->map, r->map_len);
  free(r->blocks);
  if (r->main.ds) GDALClose(r->main.ds);
  free(r->path);
  free(r->src);
  free(r->srs_wkt);
  free(r);
}

const char *cb_raster_path(const cb_raster *r) { return r->path; }
int cb_raster_width(const cb_raster *r) { return r->width; }
int cb_raster_height(const cb_raster *r) { return r->height; }
int cb_raster_band(const cb_raster *r) { return r->bandno; }
int cb_raster_nbands(const cb_raster *r) { return r->nbands; }
const char *cb_raster_srs_wkt(const cb_raster *r) { return r->srs_wkt; }
double cb_raster_scale(const cb_raster *r) { return r->scale; }
double cb_raster_offset(const cb_raster *r) { return r->offset; }

const char *cb_raster_type_name(const cb_raster *r) {
  return GDALGetDataTypeName(r->type);
}

int cb_raster_geotransform(const cb_raster *r, double gt[6]) {
  memcpy(gt, r->gt, sizeof r->gt);
  return r->has_gt;
}

void cb_raster_block_size(const cb_raster *r, int *bx, int *by) {
  *bx = r->bx;
  *by = r->by;
}

int cb_raster_declared_nodata(const cb_raster *r, double *v) {
  *v = r->declared;
  return r->has_declared;
}

size_t cb_raster_nodata(const cb_raster *r, const double **v) {
  *v = r->nodata;
  return r->nnodata;
}

int cb_raster_masked(const cb_raster *r) { return r->masked; }

int cb_raster_range(const cb_raster *r, double *lo, double *hi) {
  *lo = r->lo;
  *hi = r->hi;
  return r->has_range;
}

cb_raster_reader *cb_raster_main_reader(cb_raster *r) { return &r->main; }

cb_raster_reader *cb_raster_reader_open(const cb_raster *r, cb_err *e) {
  cb_raster_reader *rd = calloc(1, sizeof *rd);
  if (!rd) {
    cb_err_set(e, "out of memory");
    return NULL;
  }
  rd->r = r;
  rd->ds = open_ds(r->src);
  if (!rd->ds) {
    free(rd);
    char what[1200];
    snprintf(what, sizeof what, "cannot reopen raster '%s' for a thread",
             r->path);
    cb_gdal_fail(e, what);
    return NULL;
  }
  rd->band = GDALGetRasterBand(rd->ds, r->bandno);
  if (r->masked) rd->mask = GDALGetMaskBand(rd->band);
  return rd;
}

void cb_raster_reader_close(cb_raster_reader *rd) {
  if (!rd || rd == &rd->r->main) return;
  GDALClose(rd->ds);
  free(rd);
}

size_t cb_raster_raw_size(const cb_raster *r) {
  switch (r->type) {
  case GDT_Byte: case GDT_UInt16: case GDT_Int16: case GDT_Float32:
#if GDAL_VERSION_NUM >= 3070000
  case GDT_Int8:
#endif
    return sizeof(float);
  default:
    return sizeof(double);
  }
}

/* Marks invalid raw values NaN and scales the others: out[i] from x. */
#define CONVERT_LOOP(SRC)                                                    \
  for (size_t i = 0; i < n; i++) {                                          \
    double x = LOAD(SRC, i);                                                \
    int bad = 0;                                                            \
    for (size_t k = 0; k < nn; k++) bad |= x == nd[k];                      \
    if (ranged) bad |= !(x >= lo && x <= hi);                               \
    out[i] = bad ? NAN : plain ? x : x * s + o;                             \
  }

/* The i-th float or double at p, which need not be aligned (the blocks of
 * a mapped file lie where the file puts them). */
static inline double load_f(const unsigned char *p, size_t i) {
  float f;
  memcpy(&f, p + i * sizeof f, sizeof f);
  return f;
}

static inline double load_d(const unsigned char *p, size_t i) {
  double d;
  memcpy(&d, p + i * sizeof d, sizeof d);
  return d;
}

/* GCC vectorises these loops at -O2 only with a cost model that accepts
 * an epilogue loop. */
#if defined(__GNUC__) && !defined(__clang__)
#define VECTORISE __attribute__((optimize("vect-cost-model=dynamic")))
#else
#define VECTORISE
#endif

/* The usual conversion: scale 1, offset 0, no range, one nodata value
 * nd0 (NaN for none: it matches nothing, and NaN stays NaN). */
VECTORISE static void convert_float(const unsigned char *restrict src,
                                    double *restrict out, size_t n, double nd0) {
  for (size_t i = 0; i < n; i++) {
    double x = load_f(src, i);
    out[i] = x == nd0 ? NAN : x;
  }
}

VECTORISE static void convert_double(const unsigned char *src, double *out,
                                     size_t n, double nd0) {
  for (size_t i = 0; i < n; i++) {
    double x = load_d(src, i);
    out[i] = x == nd0 ? NAN : x;
  }
}

/* Converts n raw values (float when is_float, else double) into out; out
 * may alias a double raw. */
static void convert(const cb_raster *r, const void *raw, int is_float,
                    double *out, size_t n) {
  const double *nd = r->nodata;
  size_t nn = r->nnodata;
  double s = r->scale, o = r->offset, lo = r->lo, hi = r->hi;
  int ranged = r->has_range, plain = s == 1 && o == 0;
  if (plain && !ranged && nn <= 1) { /* a float raw never aliases out */
    if (is_float) convert_float(raw, out, n, nn ? nd[0] : NAN);
    else convert_double(raw, out, n, nn ? nd[0] : NAN);
    return;
  }
  const unsigned char *src = raw;
  if (is_float) {
#define LOAD load_f
    CONVERT_LOOP(src)
#undef LOAD
  } else {
#define LOAD load_d
    CONVERT_LOOP(src)
#undef LOAD
  }
}

void cb_raster_convert_row(const cb_raster *r, const void *raw, double *out,
                           size_t n) {
  convert(r, raw, cb_raster_raw_size(r) == sizeof(float), out, n);
}

/* A window of a reader: columns x0..x0+w-1 of rows y0..y1-1. */
typedef struct {
  int x0, y0, w, h;
} win;

/* Sets the cells of window v that the mask band marks invalid (0) to NaN
 * in buf (float or double as t says). */
static int apply_mask(cb_raster_reader *rd, win v, void *buf, GDALDataType t,
                      cb_err *e) {
  const cb_raster *r = rd->r;
  size_t n = (size_t)v.w * (size_t)v.h;
  unsigned char *m = malloc(n);
  if (!m) return cb_err_set(e, "out of memory");
  if (GDALRasterIO(rd->mask, GF_Read, v.x0, v.y0, v.w, v.h, m, v.w, v.h,
                   GDT_Byte, 0, 0) != CE_None) {
    free(m);
    char what[1200];
    snprintf(what, sizeof what, "'%s': cannot read the mask of rows %d..%d "
             "(open it with {mask = false} to ignore the mask)", r->path,
             v.y0, v.y0 + v.h - 1);
    return cb_gdal_fail(e, what);
  }
  if (t == GDT_Float32) {
    float *f = buf;
    for (size_t i = 0; i < n; i++) if (!m[i]) f[i] = NAN;
  } else {
    double *d = buf;
    for (size_t i = 0; i < n; i++) if (!m[i]) d[i] = NAN;
  }
  free(m);
  return 0;
}

static int read_as(cb_raster_reader *rd, win v, void *buf, GDALDataType t,
                   cb_err *e) {
  const cb_raster *r = rd->r;
  if (v.y0 < 0 || v.h < 0 || v.y0 > r->height - v.h || v.x0 < 0 || v.w < 0 ||
      v.x0 > r->width - v.w)
    return cb_err_set(e, "'%s': rows %d..%d, columns %d..%d are outside the "
                      "raster (%d x %d)", r->path, v.y0, v.y0 + v.h, v.x0,
                      v.x0 + v.w, r->width, r->height);
  if (v.h == 0 || v.w == 0) return 0;
  __atomic_add_fetch(&cb_raster_cells_read, (unsigned long long)v.w * v.h,
                     __ATOMIC_RELAXED);
  CPLErr err = GDALRasterIO(rd->band, GF_Read, v.x0, v.y0, v.w, v.h, buf, v.w,
                            v.h, t, 0, 0);
  if (err != CE_None) {
    char what[1200];
    snprintf(what, sizeof what, "'%s': cannot read rows %d..%d", r->path,
             v.y0, v.y0 + v.h - 1);
    return cb_gdal_fail(e, what);
  }
  return rd->mask ? apply_mask(rd, v, buf, t, e) : 0;
}

static GDALDataType raw_type(const cb_raster *r) {
  return cb_raster_raw_size(r) == sizeof(float) ? GDT_Float32 : GDT_Float64;
}

int cb_raster_read_raw(cb_raster_reader *rd, int y0, int y1, void *buf,
                       cb_err *e) {
  win v = {0, y0, rd->r->width, y1 - y0};
  return read_as(rd, v, buf, raw_type(rd->r), e);
}

int cb_raster_read_window(cb_raster_reader *rd, int x0, int y0, int w, int h,
                          void *buf, cb_err *e) {
  win v = {x0, y0, w, h};
  return read_as(rd, v, buf, raw_type(rd->r), e);
}

int cb_raster_read_rows(cb_raster_reader *rd, int y0, int y1, double *buf,
                        cb_err *e) {
  win v = {0, y0, rd->r->width, y1 - y0};
  if (read_as(rd, v, buf, GDT_Float64, e)) return -1;
  /* doubles in place: convert as if raw were double */
  convert(rd->r, buf, 0, buf, (size_t)rd->r->width * (size_t)(y1 - y0));
  return 0;
}

/* Whether the file holds r's values as they are, block after block: an
 * uncompressed, little-endian GeoTIFF of float32 or float64 values, one
 * band per block (INTERLEAVE=BAND or one band), no odd bit depth. */
static int plain_tiff(const cb_raster *r) {
  GDALDriverH d = GDALGetDatasetDriver(r->main.ds);
  if (r->masked || (r->type != GDT_Float32 && r->type != GDT_Float64) || !d ||
      strcmp(GDALGetDriverShortName(d), "GTiff") != 0 ||
      strncmp(r->src, "/vsi", 4) == 0 || r->bx < 1 || r->by < 1)
    return 0;
  const char *comp = GDALGetMetadataItem(r->main.ds, "COMPRESSION", "IMAGE_STRUCTURE");
  const char *il = GDALGetMetadataItem(r->main.ds, "INTERLEAVE", "IMAGE_STRUCTURE");
  const char *nbits = GDALGetMetadataItem(r->main.band, "NBITS", "IMAGE_STRUCTURE");
  const uint16_t one = 1;
  return !comp && !nbits && (r->nbands == 1 || (il && strcmp(il, "BAND") == 0)) &&
         *(const unsigned char *)&one == 1;
}

/* Where each block of r lies in the file mapped at m (len bytes): 0, or
 * -1 when a block is not where and as large as its values need. */
static int place_blocks(cb_raster *r, const unsigned char *m, size_t len) {
  int nbx = (r->width + r->bx - 1) / r->bx, nby = (r->height + r->by - 1) / r->by;
  size_t dts = (size_t)GDALGetDataTypeSizeBytes(r->type);
  if (!(r->blocks = calloc((size_t)nbx * (size_t)nby, sizeof *r->blocks))) return -1;
  for (int y = 0; y < nby; y++)
    for (int x = 0; x < nbx; x++) {
      char key[64];
      snprintf(key, sizeof key, "BLOCK_OFFSET_%d_%d", x, y);
      const char *o = GDALGetMetadataItem(r->main.band, key, "TIFF");
      snprintf(key, sizeof key, "BLOCK_SIZE_%d_%d", x, y);
      const char *n = GDALGetMetadataItem(r->main.band, key, "TIFF");
      unsigned long long off = o ? strtoull(o, NULL, 10) : 0, size = n ? strtoull(n, NULL, 10) : 0;
      size_t rows = r->bx == r->width && y == nby - 1 ? (size_t)(r->height - y * r->by) : (size_t)r->by;
      if (off == 0 || size == 0) continue; /* not in the file: read it */
      if (size != (size_t)r->bx * rows * dts || off > len || size > len - off) return -1;
      r->blocks[(size_t)y * (size_t)nbx + (size_t)x] = m + off;
    }
  return 0;
}

int cb_raster_map_blocks(cb_raster *r) {
  if (r->mapped) return r->mapped > 0;
  r->mapped = -1;
  if (!plain_tiff(r)) return 0;
  int fd = open(r->src, O_RDONLY | O_CLOEXEC);
  struct stat st;
  unsigned char head[2] = {0};
  if (fd < 0) return 0;
  if (fstat(fd, &st) || st.st_size <= 0 || pread(fd, head, 2, 0) != 2 ||
      head[0] != 'I' || head[1] != 'I') {
    close(fd);
    return 0;
  }
  void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
  close(fd); /* the mapping keeps the file */
  if (m == MAP_FAILED) return 0;
  if (place_blocks(r, m, (size_t)st.st_size)) {
    munmap(m, (size_t)st.st_size);
    free(r->blocks);
    r->blocks = NULL;
    return 0;
  }
  r->map = m, r->map_len = (size_t)st.st_size, r->mapped = 1;
  return 1;
}

/* Block (bx, by) in the mapping (NULL: not in the file), with the pages
 * it spans in [*lo, *hi). */
static const unsigned char *block_pages(const cb_raster *r, int bx, int by,
                                        uintptr_t *lo, uintptr_t *hi) {
  int nbx = (r->width + r->bx - 1) / r->bx;
  const unsigned char *b = r->mapped > 0 ? r->blocks[(size_t)by * (size_t)nbx + (size_t)bx] : NULL;
  if (!b) return NULL;
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  size_t bytes = (size_t)r->bx * (size_t)r->by * (size_t)GDALGetDataTypeSizeBytes(r->type);
  uintptr_t end = (uintptr_t)r->map + r->map_len;
  *lo = (uintptr_t)b / page * page;
  *hi = (uintptr_t)b + bytes < end ? (uintptr_t)b + bytes : end;
  return b;
}

const void *cb_raster_block_at(const cb_raster *r, int bx, int by) {
  uintptr_t lo, hi;
  return block_pages(r, bx, by, &lo, &hi);
}

void cb_raster_block_pages(const cb_raster *r, int by, int bx0, int bx1, int take) {
  for (int x = bx0; x <= bx1;) {
    uintptr_t lo, hi, l2, h2;
    if (!block_pages(r, x++, by, &lo, &hi)) continue;
    /* blocks one after the other in the file: one call for them all */
    while (x <= bx1 && block_pages(r, x, by, &l2, &h2) && l2 <= hi && h2 > hi) hi = h2, x++;
#ifdef MADV_POPULATE_READ
    /* mapped in one call rather than fault by fault (kernels before 5.14
     * refuse: then the faults do it) */
    if (take) madvise((void *)lo, hi - lo, MADV_POPULATE_READ);
#endif
    if (!take) madvise((void *)lo, hi - lo, MADV_DONTNEED);
  }
}

int cb_raster_read_block(cb_raster_reader *rd, int bx, int by, void *buf,
                         cb_err *e) {
  if (GDALReadBlock(rd->band, bx, by, buf) == CE_None) return 0;
  const cb_raster *r = rd->r;
  int y0 = by * r->by, y1 = y0 + r->by > r->height ? r->height : y0 + r->by;
  char what[1200];
  snprintf(what, sizeof what, "'%s': cannot read rows %d..%d (block %d of "
           "that block row)", r->path, y0, y1 - 1, bx);
  return cb_gdal_fail(e, what);
}

void cb_raster_reader_release(cb_raster_reader *rd) { GDALFlushCache(rd->ds); }
