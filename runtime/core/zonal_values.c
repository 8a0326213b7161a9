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

int zvzone_add(zvzone *z, zvbuf *b) {
  if (z->n == z->cap) {
    size_t cap = z->cap ? z->cap * 2 : 4;
    zvbuf *c = realloc(z->chunks, cap * sizeof *c);
    if (!c) return -1;
    z->chunks = c;
    z->cap = cap;
  }
  z->chunks[z->n++] = *b;
  z->total += b->n;
  *b = (zvbuf){0};
  return 0;
}

void zvzone_free(zvzone *z) {
  for (size_t i = 0; i < z->n; i++) free(z->chunks[i].p);
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

/* LSD radix sort of n packed cells by their high 32 bits (three 11-bit
 * digits; a digit all cells share is skipped). tmp has room for n. */
static uint64_t *sort_packed(uint64_t *a, uint64_t *tmp, size_t n) {
  static const int shift[3] = {32, 43, 54};
  size_t cnt[3][2048] = {{0}};
  for (size_t i = 0; i < n; i++)
    for (int d = 0; d < 3; d++) cnt[d][(a[i] >> shift[d]) & 2047]++;
  for (int d = 0; d < 3; d++) {
    size_t *c = cnt[d], first = (a[0] >> shift[d]) & 2047;
    if (c[first] == n) continue; /* every cell has this digit */
    size_t pos = 0;
    for (int k = 0; k < 2048; k++) {
      size_t t = c[k];
      c[k] = pos;
      pos += t;
    }
    for (size_t i = 0; i < n; i++) tmp[c[(a[i] >> shift[d]) & 2047]++] = a[i];
    uint64_t *x = a;
    a = tmp, tmp = x;
  }
  return a;
}

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

/* Distinct values of n sorted cells into h (allocated here, room for n);
 * -1 when out of memory. */
static int collapse(const void *cells, int packed, size_t n, int weighted,
                    cb_zonal_hist *h) {
  size_t m = n ? n : 1;
  h->v = malloc(m * sizeof *h->v);
  h->c = malloc(m * sizeof *h->c);
  h->cw = weighted ? malloc(m * sizeof *h->cw) : NULL;
  if (!h->v || !h->c || (weighted && !h->cw)) return -1;
  size_t j = 0;
  if (packed) {
    const uint64_t *p = cells;
    uint32_t last = 0;
    for (size_t i = 0; i < n; i++) {
      uint32_t k = (uint32_t)(p[i] >> 32), lo = (uint32_t)p[i];
      float fc;
      memcpy(&fc, &lo, 4);
      if (i == 0 || k != last) {
        h->v[j] = key_float(k), h->c[j++] = 0, last = k;
        if (weighted) h->cw[j - 1] = 0;
      }
      h->c[j - 1] += fc;
    }
  } else {
    const zfull *f = cells;
    for (size_t i = 0; i < n; i++) {
      if (i == 0 || f[i].v != h->v[j - 1]) {
        h->v[j] = f[i].v, h->c[j++] = 0;
        if (weighted) h->cw[j - 1] = 0;
      }
      h->c[j - 1] += f[i].c;
      if (weighted) h->cw[j - 1] += f[i].c * f[i].w;
    }
  }
  h->n = j;
  return 0;
}

/* exactextract's weighted quantile over distinct values x_i with weights
 * C_i (stats.stackexchange.com/a/13223): S_i = i C_i + (n-1) Σ_{j<i} C_j,
 * and the first i with S_i > q (n-1) ΣC bounds the interval interpolated
 * in. prep fills s (n values) and returns (n-1) ΣC, once for all q. */
static double quantile_prep(const cb_zonal_hist *h, double *s) {
  size_t n = h->n;
  double sum = 0, cum = 0;
  for (size_t i = 0; i < n; i++) {
    sum += h->c[i];
    s[i] = i == 0 ? 0 : (double)i * h->c[i] + ((double)n - 1) * cum;
    cum = i == 0 ? h->c[0] : cum + h->c[i];
  }
  return sum * ((double)n - 1);
}

static double quantile(const cb_zonal_hist *h, const double *s, double sn,
                       double q) {
  size_t n = h->n, lo = 0, hi = n; /* first i with s[i] > t */
  double t = q * sn;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (s[mid] > t) hi = mid; else lo = mid + 1;
  }
  if (lo == n) return h->v[n - 1];
  size_t l = lo - 1;
  return h->v[l] + (t - s[l]) * (h->v[lo] - h->v[l]) / (s[lo] - s[l]);
}

/* Fills zone z's value statistics from its histogram. */
static int hist_stats(const cb_zonal_hist *h, const zvneed *need, size_t z,
                      cb_zonal_result *res) {
  if (h->n == 0) {
    for (size_t k = 0; k < need->nq; k++) res->quantile[k][z] = NAN;
    res->mode[z] = res->minority[z] = NAN;
    res->variety[z] = 0;
    return 0;
  }
  size_t mx = 0, mn = 0;
  double cmax = h->c[0], cmin = h->c[0];
  for (size_t i = 1; i < h->n; i++) { /* ties: the smallest value */
    double c = h->c[i];
    if (c > cmax) cmax = c, mx = i;
    if (c < cmin) cmin = c, mn = i;
  }
  res->mode[z] = h->v[mx];
  res->minority[z] = h->v[mn];
  res->variety[z] = (double)h->n;
  if (need->nq == 0) return 0;
  double *s = malloc(h->n * sizeof *s);
  if (!s) return -1;
  double sn = quantile_prep(h, s);
  for (size_t k = 0; k < need->nq; k++)
    res->quantile[k][z] = quantile(h, s, sn, need->q[k]);
  free(s);
  return 0;
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

/* Sorts the cells into a histogram and fills the zone's statistics. */
static int sort_and_count(void *a, size_t n, const zvneed *need, size_t zone,
                          cb_zonal_result *res, cb_err *e) {
  size_t es = need->packed ? sizeof(uint64_t) : sizeof(zfull);
  void *tmp = n > 1 ? malloc(n * es) : NULL, *sorted = a;
  if (n > 1 && !tmp) return cb_err_set(e, "out of memory");
  if (n > 1)
    sorted = need->packed ? (void *)sort_packed(a, tmp, n)
                          : (void *)sort_full(a, tmp, n);
  cb_zonal_hist h = {0};
  int rc = collapse(sorted, need->packed, n, need->weighted && need->hist, &h);
  free(tmp == sorted ? a : tmp); /* keep whichever holds the result */
  free(sorted);
  if (!rc && need->hist && need->max_classes && h.n > need->max_classes)
    rc = cb_err_set(e, "zone %zu has %zu distinct values, more than %zu",
                    zone + 1, h.n, need->max_classes);
  else if (rc || hist_stats(&h, need, zone, res))
    rc = cb_err_set(e, "out of memory");
  if (!rc && need->hist) {
    res->hist[zone] = h;
    return 0;
  }
  free(h.v), free(h.c), free(h.cw);
  return rc ? -1 : 0;
}

int zv_finish(zvzone *zz, const zvneed *need, size_t zone,
              cb_zonal_result *res, cb_err *e) {
  size_t n = zz->total, es = need->packed ? sizeof(uint64_t) : sizeof(zfull);
  void *a = gather(zz, es);
  zvzone_free(zz);
  if (!a) return cb_err_set(e, "out of memory");
  if (need->fn && call_fn(a, n, need, zone, e)) {
    free(a);
    return -1;
  }
  if (!need->sort) {
    free(a);
    return 0;
  }
  return sort_and_count(a, n, need, zone, res, e);
}
