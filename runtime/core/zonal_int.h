/* Internal to the zonal engine: the plan of a pass, i.e. which windows of
 * the raster are read (strips) and which strips one thread takes in a row
 * (tasks), built from the coverage's rows alone. */
#ifndef CB_ZONAL_INT_H
#define CB_ZONAL_INT_H

#include <stddef.h>
#include <stdint.h>

#include "coverage.h"
#include "raster.h"
#include "zonal.h"

/* Strips hold about this many cells; a block row larger than 16 times
 * this is split into strips of this size (the block stays cached until
 * its last strip is done). */
#define ZSTRIP_CELLS (1 << 20)

/* One strip: the window read (rows y0..y1-1, columns x0..x1-1) and the
 * coverage rows u0..u1-1 whose spans in that window it takes (a mostly
 * empty band of rows is cut into one strip per cluster of spans). */
typedef struct zstrip {
  int y0, y1, x0, x1;
  size_t u0, u1;
} zstrip;

/* 1 when span sp (clipped to the grid's ncols) lies in strip st's window:
 * a span is in exactly one of the strips of its rows. */
static inline int zstrip_has(const zstrip *st, const cb_span *sp, int ncols) {
  int a = sp->x0 < 0 ? 0 : sp->x0, b = sp->x1 > ncols ? ncols : sp->x1;
  return a < b && a >= st->x0 && b <= st->x1;
}

typedef struct zplan {
  /* with values: the zones whose last strip is strip s are
   * fin_zone[fin_off[s] .. fin_off[s + 1] - 1]; fin_zone[fin_off[nstrips]
   * ..] are the zones no strip has (nzones entries in all) */
  size_t *fin_off;
  uint32_t *fin_zone;
  zstrip *strips;  /* only strips with spans, in row order */
  size_t nstrips;
  size_t *task;    /* task t: strips task[t] .. task[t + 1] - 1 */
  size_t ntasks;
  size_t max_cells; /* the largest window, in cells */
  int max_width;    /* the widest window */
} zplan;

/* Plans a pass of raster r over coverage c: strips of strip_rows rows
 * (0: about ZSTRIP_CELLS cells, a whole number of the raster's block rows
 * unless fine) cut to the rows and columns that have spans; a task is one
 * strip, or every strip of one block row when block rows are larger.
 * Memory grows with the coverage's rows, not the raster. -1 when out of
 * memory. */
int zplan_build(zplan *p, const cb_coverage *c, const cb_raster *r,
                int strip_rows, int fine);
/* Fills p->fin_off and p->fin_zone (for passes that keep values). -1 when
 * out of memory. */
int zplan_finishers(zplan *p, const cb_coverage *c);
void zplan_free(zplan *p);

/* ---- values kept per zone for the value statistics (zonal_values.c) ---- */

/* A growing list of a zone's valid cells. Packed layout (one uint64: the
 * value as a sortable float32 key in the high half, the coverage weight's
 * float32 bits in the low half) when both are exact in float32; else the
 * full layout (zfull). Split (packed, and no callback needs the cells in
 * order): cells with c = 1, most of a zone, are kept as their key alone in
 * k, halving what is sorted. */
typedef struct zvbuf {
  void *p;
  size_t n, cap;
  uint32_t *k;
  size_t nk, capk;
} zvbuf;

typedef struct zfull {
  double v, c, w; /* value, coverage weight, weight (NaN when missing) */
} zfull;

/* The sortable key of float f: ascending keys are ascending values. */
static inline uint32_t zv_key32(float f) {
  uint32_t u;
  __builtin_memcpy(&u, &f, 4);
  return (u & 0x80000000u) ? ~u : u | 0x80000000u;
}

int zv_grow(zvbuf *b, size_t esize);
int zv_growk(zvbuf *b);
void zvbuf_free(zvbuf *b);

/* Appends a cell (v: value, c: coverage weight, w: weight); -1 when out
 * of memory. -0 is stored as 0 (one value, as exactextract counts). */
static inline int zv_push(zvbuf *b, int packed, int split, double v,
                          double c, double w) {
  v += 0.0;
  if (split && c == 1.0) {
    if (b->nk == b->capk && zv_growk(b)) return -1;
    b->k[b->nk++] = zv_key32((float)v);
    return 0;
  }
  if (b->n == b->cap && zv_grow(b, packed ? sizeof(uint64_t) : sizeof(zfull)))
    return -1;
  if (packed) {
    float fc = (float)c;
    uint32_t cb;
    __builtin_memcpy(&cb, &fc, 4);
    ((uint64_t *)b->p)[b->n++] = (uint64_t)zv_key32((float)v) << 32 | cb;
  } else {
    ((zfull *)b->p)[b->n++] = (zfull){v, c, w};
  }
  return 0;
}

/* A zone's cells while the pass runs: the buffers of its strips, in strip
 * order. */
typedef struct zvzone {
  zvbuf *chunks;
  size_t n, cap, total;
} zvzone;

/* Takes b's cells (b is left empty); -1 when out of memory. */
int zvzone_add(zvzone *z, zvbuf *b);
void zvzone_free(zvzone *z);

/* What the value statistics of a pass need. */
typedef struct zvneed {
  int packed;            /* the buffers' layout */
  int split;             /* whole cells kept apart (see zvbuf) */
  int sort;              /* histogram statistics are wanted */
  const double *q;       /* quantiles to compute */
  size_t nq;
  int hist;              /* keep each zone's histogram in the result */
  int weighted;          /* the histogram has Σcw per value */
  size_t max_classes;    /* hist: more distinct values in a zone is an
                            error (0: no limit) */
  cb_zonal_zone_fn fn;   /* called with each zone's cells */
  void *fn_ud;
} zvneed;

/* Finishes zone `zone` (frees zz): calls need->fn with its cells in cell
 * order, then sorts them into a histogram and fills the zone's quantiles,
 * mode, minority, variety (and histogram) in res. -1 with e filled on
 * failure (out of memory, too many classes, the callback's error). */
int zv_finish(zvzone *zz, const zvneed *need, size_t zone,
              cb_zonal_result *res, cb_err *e);

/* ---- moments (zonal_result.c) ---- */

/* One zone's sums over one strip: with coverage weights c (cnt, s) and
 * with c x w (wc, ws). Variances use sums shifted by the first value seen
 * (k), which keeps them well conditioned. */
typedef struct zacc {
  double cnt, s, k, a1, a2;
  double wc, ws, wa1, wa2;
  double valid, miss, mn, mx;
} zacc;

/* Running merged statistics of one zone: sums, and mean and sum of squared
 * deviations (m2) for c and c x w. */
typedef struct ztotal {
  double cnt, s, mean, m2;
  double wc, ws, wmean, wm2;
  double valid, miss, mn, mx;
} ztotal;

void zacc_reset(zacc *a);
void ztotal_reset(ztotal *t);
/* Merges a strip's sums into a zone's running statistics (Chan et al.). */
void ztotal_merge(ztotal *t, const zacc *a);

/* How a span's cells are accumulated; fixed for a pass. */
typedef struct zspan_how {
  int weighted;  /* weights: w from wv[x] (missing: defw) or wrow */
  int store;     /* keep the cells for the value statistics */
  int packed, split; /* their layout */
  double defw;
  int spread;    /* the shifted sums of the variances (a1, a2, wa1, wa2) */
} zspan_how;

/* Accumulates cells x0..x1-1 of one row for one span: cov is the span's
 * coverage fraction, ce the coverage weight c of its cells, wrow the row's
 * weight when wv is NULL. Cells kept go to vb; *oom is set when that fails.
 * The callers pass constant flags, so the compiler specialises each. */
static inline __attribute__((always_inline)) void zacc_span(zacc *a, const double *v, const double *wv,
                             int x0, int x1, double cov, double ce,
                             double wrow, zspan_how h, zvbuf *vb, int *oom) {
  zacc t = *a;
  if (h.spread && t.k != t.k) /* the shift k: the zone's first valid value */
    for (int x = x0; x < x1 && t.k != t.k; x++) t.k = v[x];
  for (int x = x0; x < x1; x++) {
    double val = v[x];
    if (val != val) {
      t.miss += cov;
      continue;
    }
    double d = val - t.k, w = 1.0;
    t.valid += cov;
    t.cnt += ce;
    t.s += ce * val;
    if (h.spread) {
      t.a1 += ce * d;
      t.a2 += ce * d * d;
    }
    t.mn = val < t.mn ? val : t.mn;
    t.mx = val > t.mx ? val : t.mx;
    if (h.weighted) {
      w = wrow;
      if (wv) {
        w = wv[x];
        if (w != w) w = h.defw;
      }
      double cw = ce * w;
      t.wc += cw;
      t.ws += cw * val;
      if (h.spread) {
        t.wa1 += cw * d;
        t.wa2 += cw * d * d;
      }
    }
    if (h.store && zv_push(vb, h.packed, h.split, val, ce, w)) *oom = 1;
  }
  *a = t;
}

/* The coverage weight c of a cell covered by fraction f in row y of grid
 * g is f times this (1 with fraction weights; CB_COVW_NONE is c = 1). */
double zonal_cover_factor(const cb_zonal_opts *o, const cb_grid *g, int y);

/* The result's arrays for n zones (value statistics as need says); -1 when
 * out of memory (free with cb_zonal_free). */
int zresult_alloc(cb_zonal_result *res, size_t n, const zvneed *need);
/* The moments of every zone from their totals (variances, stdevs and cv
 * NaN without spread). */
void zresult_fill(cb_zonal_result *res, const cb_coverage *c,
                  const ztotal *tot, int weighted, int spread);

#endif
