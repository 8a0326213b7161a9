/* Value statistics of the zonal engine: each zone's valid cells, kept only
 * until its last strip is merged, are radix-sorted into a histogram of
 * distinct values (exactextract's frequency table), from which quantiles,
 * mode, minority and variety follow. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "zonal_int.h"

void zscratch_free(zscratch *s) {
  free(s->tmp);
  free(s->hist);
  free(s->seg);
  *s = (zscratch){0};
}

/* At least `bytes` of scratch in *p (contents not kept); NULL when out of
 * memory. */
static void *room(void **p, size_t *have, size_t bytes) {
  if (bytes <= *have) return *p;
  size_t want = bytes + bytes / 4;
  free(*p);
  *p = malloc(want);
  *have = *p ? want : 0;
  return *p;
}

static float key_float(uint32_t k) {
  uint32_t u = (k & 0x80000000u) ? k & 0x7fffffffu : ~k;
  float f;
  memcpy(&f, &u, 4);
  return f;
}

static uint64_t key64(double v) {
  uint64_t u;
  memcpy(&u, &v, 8);
  return (u >> 63) ? ~u : u | (1ull << 63);
}

/* LSD radix sorts of n cells by their key minus lo (every key is in [lo,
 * hi]): as many digits of at most 12 bits as hi - lo needs, counted in one
 * read. a holds the cells, tmp has room for them; the result is in the
 * returned one. */
#define LSD(NAME, T, KEY)                                                     \
  static T *NAME(T *a, T *tmp, size_t n, uint32_t lo, uint32_t hi) {         \
    uint32_t range = hi - lo;                                                 \
    int r = range ? 32 - __builtin_clz(range) : 1;                            \
    int np = (r + 11) / 12, w = (r + np - 1) / np;                            \
    uint32_t mask = ((uint32_t)1 << w) - 1, nb = mask + 1;                    \
    uint32_t cnt[3][4096];                                                    \
    for (int d = 0; d < np; d++) memset(cnt[d], 0, nb * sizeof cnt[d][0]);    \
    if (np == 1)                                                              \
      for (size_t i = 0; i < n; i++) cnt[0][KEY(a[i]) - lo]++;                \
    else if (np == 2)                                                         \
      for (size_t i = 0; i < n; i++) {                                        \
        uint32_t k = KEY(a[i]) - lo;                                          \
        cnt[0][k & mask]++;                                                   \
        cnt[1][k >> w]++;                                                     \
      }                                                                       \
    else                                                                      \
      for (size_t i = 0; i < n; i++) {                                        \
        uint32_t k = KEY(a[i]) - lo;                                          \
        cnt[0][k & mask]++;                                                   \
        cnt[1][(k >> w) & mask]++;                                            \
        cnt[2][k >> (2 * w)]++;                                               \
      }                                                                       \
    for (int d = 0; d < np; d++)                                              \
      for (uint32_t j = 0, pos = 0; j < nb; j++) {                            \
        uint32_t t = cnt[d][j];                                               \
        cnt[d][j] = pos, pos += t;                                            \
      }                                                                       \
    for (int d = 0; d < np; d++) {                                            \
      uint32_t *pos = cnt[d];                                                 \
      int sh = d * w;                                                         \
      for (size_t i = 0; i < n; i++)                                          \
        tmp[pos[((KEY(a[i]) - lo) >> sh) & mask]++] = a[i];                   \
      T *x = a;                                                               \
      a = tmp, tmp = x;                                                       \
    }                                                                         \
    return a;                                                                 \
  }

#define KEY_PACKED(x) ((uint32_t)((x) >> 32))
#define KEY_WHOLE(x) (x)
LSD(sort_packed, uint64_t, KEY_PACKED)
LSD(sort_whole, uint32_t, KEY_WHOLE)

/* The same for full cells by their value's 64-bit key (eight 8-bit
 * digits, skipping those all cells share). */
static zfull *sort_full(zfull *a, zfull *tmp, size_t n) {
  size_t cnt[8][256] = {{0}};
  for (size_t i = 0; i < n; i++) {
    uint64_t k = key64(a[i].v);
    for (int d = 0; d < 8; d++) cnt[d][(k >> (8 * d)) & 255]++;
  }
  for (int d = 0; d < 8; d++) {
    size_t *c = cnt[d], first = (key64(a[0].v) >> (8 * d)) & 255;
    if (c[first] == n) continue;
    size_t pos = 0;
    for (int k = 0; k < 256; k++) {
      size_t t = c[k];
      c[k] = pos;
      pos += t;
    }
    for (size_t i = 0; i < n; i++) tmp[c[(key64(a[i].v) >> (8 * d)) & 255]++] = a[i];
    zfull *x = a;
    a = tmp, tmp = x;
  }
  return a;
}

/* A zone's distinct values with what the statistics need: pre[i] =
 * C_0 + ... + C_{i-1} (summed in order, as exactextract sums), and the
 * indices of the largest and smallest C (the first, i.e. smallest value,
 * on a tie). */
typedef struct zhist {
  cb_zonal_hist h;
  double *pre;
  size_t mx, mn;
} zhist;

/* GCC vectorises these loops at -O2 only with a cost model that accepts
 * an epilogue loop. */
#if defined(__GNUC__) && !defined(__clang__)
#define VECTORISE __attribute__((optimize("vect-cost-model=dynamic")))
#else
#define VECTORISE
#endif

VECTORISE static void bounds(const double *c, size_t n, double *mx, double *mn) {
  double a = c[0], b = c[0];
  for (size_t i = 1; i < n; i++) {
    a = c[i] > a ? c[i] : a;
    b = c[i] < b ? c[i] : b;
  }
  *mx = a, *mn = b;
}

/* Ends the walk of a histogram of j distinct values: the indices of the
 * largest and smallest C (the first on a tie). */
static void extremes(zhist *z, size_t j) {
  const double *c = z->h.c;
  z->mx = z->mn = 0;
  z->h.n = j;
  if (j < 2) return;
  double cmx, cmn;
  bounds(c, j, &cmx, &cmn);
  while (c[z->mx] != cmx) z->mx++;
  while (c[z->mn] != cmn) z->mn++;
}

/* The distinct values of sorted packed cells p (np) and whole keys k (nk,
 * c = 1), merged (whole cells first among equal keys), into z (with room
 * for np + nk). */
static void collapse_split(const uint64_t *p, size_t np, const uint32_t *k,
                           size_t nk, zhist *z) {
  double *v = z->h.v, *c = z->h.c, *pre = z->pre;
  size_t i = 0, q = 0, j = 0;
  double cum = 0;
  while (i < np || q < nk) {
    uint32_t kp = i < np ? (uint32_t)(p[i] >> 32) : UINT32_MAX; /* no key is */
    uint32_t x = q < nk && k[q] <= kp ? k[q] : kp;
    double g = 0;
    while (q < nk && k[q] == x) g += 1.0, q++;
    while (i < np && (uint32_t)(p[i] >> 32) == x) {
      uint32_t lo = (uint32_t)p[i++];
      float fc;
      memcpy(&fc, &lo, 4);
      g += fc;
    }
    v[j] = key_float(x), c[j] = g, pre[j++] = cum;
    cum += g;
  }
  extremes(z, j);
}

static int hist_alloc(zhist *z, size_t n, int weighted) {
  size_t m = n ? n : 1;
  cb_zonal_hist *h = &z->h;
  h->v = malloc(m * sizeof *h->v);
  h->c = malloc(m * sizeof *h->c);
  h->cw = weighted ? malloc(m * sizeof *h->cw) : NULL;
  z->pre = malloc(m * sizeof *z->pre);
  return !h->v || !h->c || (weighted && !h->cw) || !z->pre ? -1 : 0;
}

/* Room for a histogram of up to n values: the result's own arrays when it
 * is kept (keep), else scratch. -1 when out of memory. */
static int hist_room(zhist *z, size_t n, int keep, int weighted, zscratch *s) {
  if (keep) return hist_alloc(z, n, weighted);
  double *a = room(&s->hist, &s->nhist, 3 * (n ? n : 1) * sizeof(double));
  if (!a) return -1;
  z->h.v = a, z->h.c = a + n, z->pre = a + 2 * n;
  return 0;
}

/* Distinct values of n sorted full cells into z (room for n). */
static void collapse_full(const zfull *f, size_t n, int weighted, zhist *z) {
  cb_zonal_hist *h = &z->h;
  size_t j = 0;
  double cum = 0;
  for (size_t i = 0; i < n; i++) {
    if (i == 0 || f[i].v != h->v[j - 1]) {
      if (j) cum += h->c[j - 1];
      h->v[j] = f[i].v, h->c[j] = 0, z->pre[j++] = cum;
      if (weighted) h->cw[j - 1] = 0;
    }
    h->c[j - 1] += f[i].c;
    if (weighted) h->cw[j - 1] += f[i].c * f[i].w;
  }
  extremes(z, j);
}

/* exactextract's weighted quantile over distinct values x_i with weights
 * C_i (stats.stackexchange.com/a/13223): S_i = i C_i + (n-1) Σ_{j<i} C_j,
 * and the first i with S_i > q (n-1) ΣC bounds the interval interpolated
 * in (S is increasing, so a binary search finds it). */
static double quantile(const zhist *z, double q) {
  const cb_zonal_hist *h = &z->h;
  size_t n = h->n, lo = 0, hi = n;
  double nm1 = (double)n - 1;
  double sum = z->pre[n - 1] + h->c[n - 1], t = q * (sum * nm1);
#define S(i) ((i) == 0 ? 0.0 : (double)(i) * h->c[i] + nm1 * z->pre[i])
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (S(mid) > t) hi = mid; else lo = mid + 1;
  }
  if (lo == n) return h->v[n - 1];
  size_t l = lo - 1;
  return h->v[l] + (t - S(l)) * (h->v[lo] - h->v[l]) / (S(lo) - S(l));
#undef S
}

/* Fills zone z's value statistics from its histogram. */
static void hist_stats(const zhist *zh, const zvneed *need, size_t z,
                       cb_zonal_result *res) {
  const cb_zonal_hist *h = &zh->h;
  if (h->n == 0) {
    for (size_t k = 0; k < need->nq; k++) res->quantile[k][z] = NAN;
    res->mode[z] = res->minority[z] = NAN;
    res->variety[z] = 0;
    return;
  }
  res->mode[z] = h->v[zh->mx];
  res->minority[z] = h->v[zh->mn];
  res->variety[z] = (double)h->n;
  for (size_t k = 0; k < need->nq; k++) res->quantile[k][z] = quantile(zh, need->q[k]);
}

/* Calls the zone callback with the cells split into value, coverage and
 * weight arrays. */
static int call_fn(const void *cells, size_t n, const zvneed *need,
                   size_t zone, cb_err *e) {
  int full = !need->packed;
  double *v = malloc((n ? n : 1) * (full ? 3 : 2) * sizeof *v);
  if (!v) return cb_err_set(e, "out of memory");
  double *c = v + n, *w = full ? v + 2 * n : NULL;
  for (size_t i = 0; i < n; i++) {
    if (full) {
      const zfull *f = (const zfull *)cells + i;
      v[i] = f->v, c[i] = f->c, w[i] = f->w;
    } else {
      uint64_t p = ((const uint64_t *)cells)[i];
      uint32_t lo = (uint32_t)p;
      float fc;
      memcpy(&fc, &lo, 4);
      v[i] = key_float((uint32_t)(p >> 32)), c[i] = fc;
    }
  }
  int rc = need->fn(need->fn_ud, zone, v, c, need->weighted ? w : NULL, n, e);
  free(v);
  return rc;
}

/* The zone's histogram from its cells, sorted in place or into scratch.
 * -1 when out of memory. */
static int make_hist(zvcells *zc, const zvneed *need, zscratch *s, zhist *z) {
  int weighted = need->weighted && need->hist;
  size_t n = zc->n, nk = zc->nk;
  if (hist_room(z, n + nk, need->hist, weighted, s)) return -1;
  if (!need->packed) {
    zfull *t = room(&s->tmp, &s->ntmp, (n ? n : 1) * sizeof(zfull));
    if (!t) return -1;
    const zfull *f = n > 1 ? sort_full(zc->p, t, n) : zc->p;
    collapse_full(f, n, weighted, z);
    return 0;
  }
  /* one scratch block: the packed cells' sort after the keys' */
  size_t kb = (nk * 4 + 7) / 8 * 8;
  unsigned char *t = room(&s->tmp, &s->ntmp, kb + n * sizeof(uint64_t) + 1);
  if (!t) return -1;
  const uint32_t *k = nk ? sort_whole(zc->k, (uint32_t *)t, nk, zc->lo, zc->hi) : zc->k;
  const uint64_t *p = n ? sort_packed(zc->p, (uint64_t *)(t + kb), n, zc->lo, zc->hi) : zc->p;
  collapse_split(p, n, k, nk, z);
  return 0;
}

/* Sorts the zone's packed cells (in place or into scratch) and fills its
 * statistics from their runs, without a histogram. -1 when out of memory. */
static int sort_and_run(zvcells *zc, const zvneed *need, size_t zone,
                        cb_zonal_result *res, zscratch *s) {
  size_t n = zc->n, nk = zc->nk;
  size_t kb = (nk * 4 + 7) / 8 * 8; /* the packed cells' sort after the keys' */
  unsigned char *t = room(&s->tmp, &s->ntmp, kb + n * sizeof(uint64_t) + 1);
  if (!t) return -1;
  const uint32_t *k = nk ? sort_whole(zc->k, (uint32_t *)t, nk, zc->lo, zc->hi) : zc->k;
  const uint64_t *p = n ? sort_packed(zc->p, (uint64_t *)(t + kb), n, zc->lo, zc->hi) : zc->p;
  zruns r;
  if (zruns_build(&r, k, nk, p, n, s)) return -1;
  if (r.n == 0) {
    for (size_t i = 0; i < need->nq; i++) res->quantile[i][zone] = NAN;
    res->mode[zone] = res->minority[zone] = NAN;
    res->variety[zone] = 0;
    return 0;
  }
  res->mode[zone] = r.mode;
  res->minority[zone] = r.minority;
  res->variety[zone] = (double)r.n;
  for (size_t i = 0; i < need->nq; i++) res->quantile[i][zone] = zruns_quantile(&r, need->q[i]);
  return 0;
}

/* Sorts the zone's cells into a histogram and fills its statistics. */
static int sort_and_count(zvcells *zc, const zvneed *need, size_t zone,
                          cb_zonal_result *res, zscratch *s, cb_err *e) {
  if (need->packed && !need->hist)
    return sort_and_run(zc, need, zone, res, s) ? cb_err_set(e, "out of memory") : 0;
  zhist zh = {0};
  int rc = 0;
  if (make_hist(zc, need, s, &zh)) rc = cb_err_set(e, "out of memory");
  else if (need->hist && need->max_classes && zh.h.n > need->max_classes)
    rc = cb_err_set(e, "zone %zu has %zu distinct values, more than %zu",
                    zone + 1, zh.h.n, need->max_classes);
  else
    hist_stats(&zh, need, zone, res);
  if (!need->hist) return rc;
  free(zh.pre);
  if (!rc) {
    res->hist[zone] = zh.h;
    return 0;
  }
  free(zh.h.v), free(zh.h.c), free(zh.h.cw);
  return rc;
}

int zv_finish(zvcells *cells, const zvneed *need, size_t zone,
              cb_zonal_result *res, zscratch *s, cb_err *e) {
  if (need->fn) { /* the cells are in cell order (not split) */
    int rc = call_fn(cells->p, cells->n, need, zone, e);
    if (rc) return rc;
  }
  if (!need->sort) return 0;
  return sort_and_count(cells, need, zone, res, s, e);
}
