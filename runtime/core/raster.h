/* Rasters through GDAL: one band of any readable dataset, its grid and CRS,
 * the nodata set, valid range and scale/offset, and strip reads as doubles
 * where every invalid cell is NaN. */
#ifndef CB_RASTER_H
#define CB_RASTER_H

#include <stddef.h>

#include "cb.h"

typedef struct cb_raster cb_raster;
typedef struct cb_raster_reader cb_raster_reader;

typedef struct cb_raster_opts {
  int band;                /* 1-based; 0 means band 1 */
  int nodata_given;        /* 1: use `nodata` instead of the declared value
                              (nnodata = 0 then means "no nodata at all") */
  const double *nodata;    /* raw values that mean "no data" */
  size_t nnodata;
  int has_range;           /* raw values outside [lo, hi] are invalid */
  double lo, hi;
  int has_scale, has_offset; /* override the declared scale/offset */
  double scale, offset;
  const char *crs;         /* CRS to assume when the file has none */
  int no_mask;             /* 1: ignore the band's mask (per-dataset mask,
                              alpha band or .msk); by default masked-out
                              cells are invalid */
  const char *subdataset;  /* a container's subdataset to open, by its
                              short name ("Npp_500m") or full GDAL name;
                              NULL: the file itself */
  int has_gt;              /* 1: gt is the grid of a file that has none */
  double gt[6];
} cb_raster_opts;

/* Opens path (a file or any GDAL dataset string, e.g. an HDF4 subdataset)
 * read-only. o may be NULL. NULL and e filled (naming the file) when it
 * cannot be read, the band does not exist, it has no geotransform and o
 * gives none, or an option is wrong. */
cb_raster *cb_raster_open(const char *path, const cb_raster_opts *o, cb_err *e);

/* The same for a dataset string `src` (e.g. a VRT's XML) that messages and
 * cb_raster_path call `label`; o->subdataset is ignored. */
cb_raster *cb_raster_open_source(const char *src, const char *label,
                                 const cb_raster_opts *o, cb_err *e);
void cb_raster_close(cb_raster *r); /* NULL is fine */

const char *cb_raster_path(const cb_raster *r);
int cb_raster_width(const cb_raster *r);
int cb_raster_height(const cb_raster *r);
int cb_raster_band(const cb_raster *r);   /* the band read (1-based) */
int cb_raster_nbands(const cb_raster *r);
const char *cb_raster_type_name(const cb_raster *r); /* "Int16", "Float32" */
/* Geotransform (GDAL's six numbers); 1 when the file declares it, 0 when
 * it was given in the options. */
int cb_raster_geotransform(const cb_raster *r, double gt[6]);
const char *cb_raster_srs_wkt(const cb_raster *r); /* NULL when none */
void cb_raster_block_size(const cb_raster *r, int *bx, int *by);
/* The value the file declares as nodata (1 when there is one). */
int cb_raster_declared_nodata(const cb_raster *r, double *v);
/* The nodata values in effect (declared or given), as raw values. */
size_t cb_raster_nodata(const cb_raster *r, const double **v);
int cb_raster_range(const cb_raster *r, double *lo, double *hi);
/* 1 when reads honour a mask band (a per-dataset mask, an alpha band or a
 * .msk file; not a mask derived from nodata, which the nodata set covers). */
int cb_raster_masked(const cb_raster *r);
double cb_raster_scale(const cb_raster *r);
double cb_raster_offset(const cb_raster *r);

/* The raster's own reader (not thread-safe: one thread at a time). */
cb_raster_reader *cb_raster_main_reader(cb_raster *r);
/* A second handle on the same dataset for another thread; NULL and e
 * filled when the dataset cannot be reopened. Close with
 * cb_raster_reader_close (the main reader must not be closed). */
cb_raster_reader *cb_raster_reader_open(const cb_raster *r, cb_err *e);
void cb_raster_reader_close(cb_raster_reader *rd);

/* Reads rows y0 <= row < y1 (all columns) into buf (width*(y1-y0) doubles,
 * row-major). A raw value that is NaN, in the nodata set or outside the
 * valid range becomes NaN; any other becomes raw*scale + offset. Returns 0,
 * or -1 with e filled. */
int cb_raster_read_rows(cb_raster_reader *rd, int y0, int y1, double *buf,
                        cb_err *e);

/* Raw strips for streaming: raw values are kept as float32 when the band's
 * type fits exactly (Byte, Int8, (U)Int16, Float32), else as double.
 * cb_raster_raw_size is that size in bytes (4 or 8); cb_raster_read_raw
 * reads rows y0..y1-1 into buf (width*(y1-y0) raw values of that size);
 * cb_raster_convert_row turns n raw values into doubles as
 * cb_raster_read_rows does (out may alias raw when the size is 8). */
size_t cb_raster_raw_size(const cb_raster *r);
int cb_raster_read_raw(cb_raster_reader *rd, int y0, int y1, void *buf,
                       cb_err *e);
void cb_raster_convert_row(const cb_raster *r, const void *raw, double *out,
                           size_t n);
/* Reads the window of columns x0..x0+w-1 and rows y0..y0+h-1 into buf
 * (w*h raw values, row-major), as cb_raster_read_raw does. */
int cb_raster_read_window(cb_raster_reader *rd, int x0, int y0, int w, int h,
                          void *buf, cb_err *e);

/* Blocks read in place: an uncompressed little-endian GeoTIFF of float32
 * or float64 values (one band per block, no mask) is mapped read-only
 * once, and its blocks are its values as they are, without GDAL's block
 * cache, its copies or the kernel's. cb_raster_map_blocks maps r (not
 * thread-safe: call it before threads use r) and returns 1 when it could;
 * cb_raster_block_at is then block (bx, by)'s cb_raster_block_size values
 * (row-major, raw type, at any alignment, which cb_raster_convert_row
 * reads; an edge block's cells outside the raster are undefined), or NULL
 * for a block the file does not hold, read with cb_raster_read_block
 * instead; cb_raster_block_pages maps the pages of blocks bx0..bx1 of
 * block row by into the process's memory (take) or lets them go (they
 * stay in the page cache), in one call for blocks that follow each other
 * in the file. */
int cb_raster_map_blocks(cb_raster *r);
const void *cb_raster_block_at(const cb_raster *r, int bx, int by);
void cb_raster_block_pages(const cb_raster *r, int by, int bx0, int bx1, int take);
int cb_raster_read_block(cb_raster_reader *rd, int bx, int by, void *buf,
                         cb_err *e);

/* Cells requested from GDAL by every read since the process started (all
 * threads): lets tests check that a read touches only what it needs. */
extern unsigned long long cb_raster_cells_read;

/* Drops the blocks GDAL cached for this reader, so streaming a raster holds
 * one strip's blocks at a time instead of filling GDAL's block cache. */
void cb_raster_reader_release(cb_raster_reader *rd);

#endif
