/* Value statistics of the zonal engine: each zone's valid cells, kept only
 * until its last strip is merged, are radix-sorted into a histogram of
 * distinct values (exactextract's frequency table), from which quantiles,
 * mode, minority and variety follow. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "zonal_int.h"

int zv_grow(zvbuf *b, size_t esize) {
  size_t cap = b->cap ? b->cap * 2 : 256;
  void *p = realloc(b->p, cap * esize);
  if (!p) return -1;
  b->p = p;
  b->cap = cap;
  return 0;
}

int zv_growk(zvbuf *b) {
  size_t cap = b->capk ? b->capk * 2 : 256;
  uint32_t *k = realloc(b->k, cap * sizeof *k);
  if (!k) return -1;
  b->k = k;
  b->capk = cap;
  return 0;
}

void zvbuf_free(zvbuf *b) {
  free(b->p);
  free(b->k);
  *b = (zvbuf){0};
}

int zvzone_add(zvzone *z, zvbuf *b) {
  if (z->n == z->cap) {
    size_t cap = z->cap ? z->cap * 2 : 4;
    zvbuf *c = realloc(z->chunks, cap * sizeof *c);
    if (!c) return -1;
    z->chunks = c;
    z->cap = cap;
  }
  z->chunks[z->n++] = *b;
  z->total += b->n + b->nk;
  *b = (zvbuf){0};
  return 0;
}

void zvzone_free(zvzone *z) {
  for (size_t i = 0; i < z->n; i++) zvbuf_free(&z->chunks[i]);
  free(z->chunks);
  *z = (zvzone){0};
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

/* LSD radix sorts of a zone's packed cells (by their high 32 bits) and
 * whole-cell keys, read straight from its chunks: only the key bits that
 * differ between the smallest and largest key are sorted, in digits of at
 * most 11 bits. The digit counts are kept twice (even and odd cells), since
 * neighbouring cells often share a digit and one counter would be updated
 * back to back. a and b have room for the cells; the result is in the
 * returned one. */
#define LSD_CHUNKS(NAME, T, ARR, LEN, KEY)                                    \
  static T *NAME(const zvzone *zz, T *a, T *b, size_t n) {                   \
    uint32_t lo = UINT32_MAX, hi = 0;                                         \
    for (size_t c = 0; c < zz->n; c++) {                                      \
      const T *x = zz->chunks[c].ARR;                                         \
      for (size_t i = 0; i < zz->chunks[c].LEN; i++) {                        \
        uint32_t k = KEY(x[i]);                                               \
        if (k < lo) lo = k;                                                   \
        if (k > hi) hi = k;                                                   \
      }                                                                       \
    }                                                                         \
    int r = lo >= hi ? 0 : 32 - __builtin_clz(lo ^ hi);                       \
    int np = (r + 10) / 11, w = np ? (r + np - 1) / np : 0;                   \
    if (np == 0) np = 1, w = 1; /* one key: a pass copies the cells */        \
    uint32_t cnt[3][2][2048] = {{{0}}}, mask = ((uint32_t)1 << w) - 1;        \
    int w2 = 2 * w;                                                           \
    for (size_t c = 0; c < zz->n; c++) {                                      \
      const T *x = zz->chunks[c].ARR;                                         \
      size_t len = zz->chunks[c].LEN;                                         \
      if (np == 3)                                                            \
        for (size_t i = 0; i < len; i++) {                                    \
          uint32_t k = KEY(x[i]);                                             \
          cnt[0][i & 1][k & mask]++;                                          \
          cnt[1][i & 1][(k >> w) & mask]++;                                   \
          cnt[2][i & 1][(k >> w2) & mask]++;                                  \
        }                                                                     \
      else                                                                    \
        for (size_t i = 0; i < len; i++) {                                    \
          uint32_t k = KEY(x[i]);                                             \
          cnt[0][i & 1][k & mask]++;                                          \
          if (np == 2) cnt[1][i & 1][(k >> w) & mask]++;                      \
        }                                                                     \
    }                                                                         \
    for (int d = 0; d < np; d++)                                              \
      for (uint32_t j = 0, pos = 0; j <= mask; j++) {                         \
        uint32_t t = cnt[d][0][j] + cnt[d][1][j];                             \
        cnt[d][0][j] = pos, pos += t;                                         \
      }                                                                       \
    for (size_t c = 0; c < zz->n; c++) {                                      \
      const T *x = zz->chunks[c].ARR;                                         \
      for (size_t i = 0; i < zz->chunks[c].LEN; i++)                          \
        a[cnt[0][0][KEY(x[i]) & mask]++] = x[i];                              \
    }                                                                         \
    for (int d = 1; d < np; d++) {                                            \
      uint32_t *pos = cnt[d][0];                                              \
      for (size_t i = 0; i < n; i++) b[pos[(KEY(a[i]) >> (d * w)) & mask]++] = a[i]; \
      T *x = a;                                                               \
      a = b, b = x;                                                           \
    }                                                                         \
    return a;                                                                 \
  }

#define KEY_PACKED(x) ((uint32_t)((x) >> 32))
#define KEY_WHOLE(x) (x)
LSD_CHUNKS(sort_packed, uint64_t, p, n, KEY_PACKED)
LSD_CHUNKS(sort_whole, uint32_t, k, nk, KEY_WHOLE)

/* The same for full cells by their value's 64-bit key (eight 8-bit
 * digits). */
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

/* Closes distinct value j of z (its C is complete). */
static inline void close_group(zhist *z, size_t j, double *cum) {
  double c = z->h.c[j];
  z->pre[j] = *cum;
  *cum = j == 0 ? c : *cum + c;
  if (c > z->h.c[z->mx]) z->mx = j;
  if (c < z->h.c[z->mn]) z->mn = j;
}

/* Starts distinct value j (or adds to it when x is its key). */
static inline size_t add_cell(zhist *z, size_t j, uint32_t x, uint32_t *last,
                              double c, double *cum) {
  if (j == 0 || x != *last) {
    if (j) close_group(z, j - 1, cum);
    z->h.v[j] = key_float(x), z->h.c[j++] = 0, *last = x;
  }
  z->h.c[j - 1] += c;
  return j;
}

/* The distinct values of sorted packed cells p (np) and whole cells k
 * (nk, c = 1), merged, into z (allocated with room for np + nk). */
static void collapse_split(const uint64_t *p, size_t np, const uint32_t *k,
                           size_t nk, zhist *z) {
  size_t i = 0, q = 0, j = 0;
  uint32_t last = 0;
  double cum = 0;
  while (i < np || q < nk) {
    uint32_t kp = i < np ? (uint32_t)(p[i] >> 32) : UINT32_MAX;
    if (q < nk && (i == np || k[q] <= kp)) {
      j = add_cell(z, j, k[q++], &last, 1.0, &cum);
    } else {
      uint32_t lo = (uint32_t)p[i++];
      float fc;
      memcpy(&fc, &lo, 4);
      j = add_cell(z, j, kp, &last, fc, &cum);
    }
  }
  if (j) close_group(z, j - 1, &cum);
  z->h.n = j;
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

/* Distinct values of n sorted cells into z (allocated here, room for n);
 * -1 when out of memory. */
static int collapse(const void *cells, int packed, size_t n, int weighted,
                    zhist *z) {
  size_t j = 0;
  cb_zonal_hist *h = &z->h;
  if (hist_alloc(z, n, weighted)) return -1;
  double cum = 0;
  if (packed) {
    const uint64_t *p = cells;
    uint32_t last = 0;
    for (size_t i = 0; i < n; i++) {
      uint32_t k = (uint32_t)(p[i] >> 32), lo = (uint32_t)p[i];
      float fc;
      memcpy(&fc, &lo, 4);
      if (i == 0 || k != last) {
        if (i) close_group(z, j - 1, &cum);
        h->v[j] = key_float(k), h->c[j++] = 0, last = k;
      }
      h->c[j - 1] += fc;
    }
  } else {
    const zfull *f = cells;
    for (size_t i = 0; i < n; i++) {
      if (i == 0 || f[i].v != h->v[j - 1]) {
        if (i) close_group(z, j - 1, &cum);
        h->v[j] = f[i].v, h->c[j++] = 0;
        if (weighted) h->cw[j - 1] = 0;
      }
      h->c[j - 1] += f[i].c;
      if (weighted) h->cw[j - 1] += f[i].c * f[i].w;
    }
  }
  if (j) close_group(z, j - 1, &cum);
  h->n = j;
  return 0;
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

/* The zone's cells in one array (a chunk's own when there is one). */
static void *gather(zvzone *zz, size_t esize) {
  if (zz->n == 1) {
    void *p = zz->chunks[0].p;
    zz->chunks[0].p = NULL;
    return p;
  }
  char *a = malloc((zz->total ? zz->total : 1) * esize), *at = a;
  for (size_t i = 0; a && i < zz->n; i++) {
    memcpy(at, zz->chunks[i].p, zz->chunks[i].n * esize);
    at += zz->chunks[i].n * esize;
  }
  return a;
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

/* The zone's cell counts of each kind: packed or full (n) and whole
 * (nk). */
static void counts(const zvzone *zz, size_t *n, size_t *nk) {
  *n = *nk = 0;
  for (size_t c = 0; c < zz->n; c++) *n += zz->chunks[c].n, *nk += zz->chunks[c].nk;
}

/* The zone's histogram from its split cells: both kinds sorted, then
 * merged. -1 when out of memory. */
static int hist_split(const zvzone *zz, int weighted, zhist *z) {
  size_t n, nk;
  counts(zz, &n, &nk);
  uint64_t *a = malloc((n ? n : 1) * sizeof *a), *b = malloc((n ? n : 1) * sizeof *b);
  uint32_t *ka = malloc((nk ? nk : 1) * sizeof *ka), *kb = malloc((nk ? nk : 1) * sizeof *kb);
  int rc = -1;
  if (a && b && ka && kb && !hist_alloc(z, n + nk, weighted)) {
    const uint64_t *p = n ? sort_packed(zz, a, b, n) : a;
    const uint32_t *k = nk ? sort_whole(zz, ka, kb, nk) : ka;
    collapse_split(p, n, k, nk, z);
    rc = 0;
  }
  free(a), free(b), free(ka), free(kb);
  return rc;
}

/* The zone's histogram from its packed (unsplit) or full cells. -1 when
 * out of memory. */
static int hist_cells(zvzone *zz, const zvneed *need, int weighted, zhist *z) {
  size_t n = zz->total, es = need->packed ? sizeof(uint64_t) : sizeof(zfull);
  void *a = NULL, *b = malloc((n ? n : 1) * es), *sorted;
  if (need->packed) {
    a = malloc((n ? n : 1) * es);
    sorted = a && b && n ? (void *)sort_packed(zz, a, b, n) : a;
  } else {
    a = gather(zz, es);
    sorted = a && b && n > 1 ? (void *)sort_full(a, b, n) : a;
  }
  int rc = !a || !b || collapse(sorted, need->packed, n, weighted, z) ? -1 : 0;
  free(a), free(b);
  return rc;
}

/* Sorts the zone's cells into a histogram and fills its statistics. */
static int sort_and_count(zvzone *zz, const zvneed *need, size_t zone,
                          cb_zonal_result *res, cb_err *e) {
  zhist zh = {0};
  int weighted = need->weighted && need->hist;
  int rc = need->split ? hist_split(zz, weighted, &zh) : hist_cells(zz, need, weighted, &zh);
  zvzone_free(zz);
  if (rc) rc = cb_err_set(e, "out of memory");
  else if (need->hist && need->max_classes && zh.h.n > need->max_classes)
    rc = cb_err_set(e, "zone %zu has %zu distinct values, more than %zu",
                    zone + 1, zh.h.n, need->max_classes);
  else
    hist_stats(&zh, need, zone, res);
  free(zh.pre);
  if (!rc && need->hist) {
    res->hist[zone] = zh.h;
    return 0;
  }
  free(zh.h.v), free(zh.h.c), free(zh.h.cw);
  return rc;
}

int zv_finish(zvzone *zz, const zvneed *need, size_t zone,
              cb_zonal_result *res, cb_err *e) {
  if (need->fn) { /* the callback wants the cells in cell order */
    size_t n = zz->total, es = need->packed ? sizeof(uint64_t) : sizeof(zfull);
    void *a = gather(zz, es);
    zvzone_free(zz);
    if (!a) return cb_err_set(e, "out of memory");
    int rc = call_fn(a, n, need, zone, e);
    if (rc || !need->sort) {
      free(a);
      return rc;
    }
    *zz = (zvzone){0}; /* one chunk of the gathered cells */
    zvbuf b = {.p = a, .n = n, .cap = n};
    if (zvzone_add(zz, &b)) {
      free(a);
      return cb_err_set(e, "out of memory");
    }
  }
  if (!need->sort) {
    zvzone_free(zz);
    return 0;
  }
  return sort_and_count(zz, need, zone, res, e);
}
