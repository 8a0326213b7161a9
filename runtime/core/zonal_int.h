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

/* A zone's kept cells in one strip: room for nw whole cells (split
 * layout) and np other cells, at offsets wo and po of the zone's two
 * regions (zone_store); vw and vp are how many the strip wrote (cells
 * without a valid value leave room unused), set when the strip is done. */
typedef struct zpair {
  uint32_t zone;
  size_t nw, np, wo, po;
  size_t vw, vp;
} zpair;

typedef struct zplan {
  /* with values: the zones whose last strip is strip s are
   * fin_zone[fin_off[s] .. fin_off[s + 1] - 1]; fin_zone[fin_off[nstrips]
   * ..] are the zones no strip has (nzones entries in all) */
  size_t *fin_off;
  uint32_t *fin_zone;
  /* with values: strip s's zones are pairs[pair_off[s] .. pair_off[s + 1]
   * - 1]; zone z's are pairs[zpair[zpair_off[z] .. zpair_off[z + 1] - 1]]
   * in strip order, with room for zw[z] whole and zp[z] other cells */
  zpair *pairs;
  size_t *pair_off, *zpair_off, *zpair;
  size_t *zw, *zp;
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
/* Fills the finishers (fin_off, fin_zone) and the zones' room per strip
 * (pairs) for passes that keep values: spans covered less than minc are
 * left out; with split, cells of spans whose coverage weight is 1 (every
 * span when none) are whole. -1 when out of memory. */
int zplan_values(zplan *p, const cb_coverage *c, float minc, int split,
                 int none);
void zplan_free(zplan *p);

/* ---- values kept per zone for the value statistics (zonal_values.c) ---- */

/* A zone's cells are kept in one block (allocated at its first strip, with
 * room for every cell its spans cover): whole cells first, then the other
 * cells. Packed layout (one uint64: the value as a sortable float32 key in
 * the high half, the coverage weight's float32 bits in the low half) when
 * both are exact in float32; else the full layout (zfull). Split (packed,
 * and no callback needs the cells in order): cells with c = 1, most of a
 * zone, are kept as their key alone (uint32), halving what is sorted. */
typedef struct zfull {
  double v, c, w; /* value, coverage weight, weight (NaN when missing) */
} zfull;

/* The sortable key of float f: ascending keys are ascending values. */
static inline uint32_t zv_key32(float f) {
  uint32_t u;
  __builtin_memcpy(&u, &f, 4);
  return (u & 0x80000000u) ? ~u : u | 0x80000000u;
}

/* Where a strip writes a zone's next cells (k: whole keys, p: others). */
typedef struct zvcur {
  uint32_t *k;
  unsigned char *p;
} zvcur;

/* Appends a cell (v: value, c: coverage weight, w: weight) at cur; whole
 * is 1 when it goes to the whole keys (split layout, c = 1). -0 is kept
 * as 0 (one value, as exactextract counts). */
static inline __attribute__((always_inline)) void zv_put(zvcur *cur, int whole,
                                                         int packed, double v,
                                                         double c, double w) {
  v += 0.0;
  if (whole) {
    *cur->k++ = zv_key32((float)v);
  } else if (packed) {
    float fc = (float)c;
    uint32_t cb;
    __builtin_memcpy(&cb, &fc, 4);
    uint64_t x = (uint64_t)zv_key32((float)v) << 32 | cb;
    __builtin_memcpy(cur->p, &x, 8);
    cur->p += 8;
  } else {
    zfull f = {v, c, w};
    __builtin_memcpy(cur->p, &f, sizeof f);
    cur->p += sizeof f;
  }
}

/* A finished zone's cells, contiguous: nk whole keys, n other cells
 * (packed or full); lo and hi bound their keys (packed layouts). */
typedef struct zvcells {
  uint32_t *k;
  size_t nk;
  void *p;
  size_t n;
  uint32_t lo, hi;
} zvcells;

/* A run of distinct values j0 .. j0 + len - 1 of a sorted zone (see
 * zonal_runs.c): whole keys k[q0 ..], each alone in its value (C = 1,
 * key = k[q0]), or one value (len 1) of key `key` and C = c; pre0 is the
 * sum of C before it. */
typedef struct zseg {
  size_t j0, len, q0;
  double pre0, c;
  uint32_t key;
} zseg;

/* Reusable memory of one thread for finishing zones. */
typedef struct zscratch {
  void *tmp, *hist;
  size_t ntmp, nhist; /* bytes */
  zseg *seg;
  size_t nseg;        /* segments */
} zscratch;

/* A zone's distinct values as segments (in scratch memory), with their
 * count n, the largest and smallest C (cmx, cmn: first at value mx, mn, of
 * keys kmx, kmn) and the mode and minority. */
typedef struct zruns {
  const uint32_t *k;
  zseg *seg;
  size_t nseg, n, mx, mn;
  double cmx, cmn, mode, minority;
  uint32_t kmx, kmn;
} zruns;

/* The runs of sorted whole keys k (nk, c = 1) and sorted packed cells p
 * (np). -1 when out of memory. */
int zruns_build(zruns *r, const uint32_t *k, size_t nk, const uint64_t *p,
                size_t np, zscratch *s);
/* exactextract's quantile q of r (n > 0), as the histogram gives it. */
double zruns_quantile(const zruns *r, double q);

void zscratch_free(zscratch *s);

/* What the value statistics of a pass need. */
typedef struct zvneed {
  int packed;            /* the cells' layout */
  int split;             /* whole cells kept apart */
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

/* Finishes zone `zone` from its cells (which it may reorder): calls
 * need->fn with them in cell order, then sorts them into a histogram and
 * fills the zone's quantiles, mode, minority, variety (and histogram) in
 * res. -1 with e filled on failure (out of memory, too many classes, the
 * callback's error). */
int zv_finish(zvcells *cells, const zvneed *need, size_t zone,
              cb_zonal_result *res, zscratch *s, cb_err *e);

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

/* The cell loop of zacc_span, with `whole` constant in each caller. */
static inline __attribute__((always_inline)) void zacc_cells(zacc *a, const double *v, const double *wv,
                             int x0, int x1, double cov, double ce,
                             double wrow, zspan_how h, zvcur *cur, int whole) {
  zacc t = *a;
  zvcur c = h.store ? *cur : (zvcur){0};
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
    if (h.store) zv_put(&c, whole, h.packed, val, ce, w);
  }
  *a = t;
  if (h.store) *cur = c;
}

/* Accumulates cells x0..x1-1 of one row for one span: cov is the span's
 * coverage fraction, ce the coverage weight c of its cells, wrow the row's
 * weight when wv is NULL. Cells kept go to cur. The callers pass constant
 * flags, so the compiler specialises each. */
static inline __attribute__((always_inline)) void zacc_span(zacc *a, const double *v, const double *wv,
                             int x0, int x1, double cov, double ce,
                             double wrow, zspan_how h, zvcur *cur) {
  if (h.spread && a->k != a->k) /* the shift k: the zone's first valid value */
    for (int x = x0; x < x1 && a->k != a->k; x++) a->k = v[x];
  if (h.store && h.split && ce == 1.0)
    zacc_cells(a, v, wv, x0, x1, cov, ce, wrow, h, cur, 1);
  else
    zacc_cells(a, v, wv, x0, x1, cov, ce, wrow, h, cur, 0);
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
