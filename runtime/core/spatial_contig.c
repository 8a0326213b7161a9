/* Contiguity weights from polygon boundaries: every vertex is bucketed on a
 * grid of cells at least `snap` wide (one radix sort of packed cell/vertex
 * keys), vertex pairs of different features within snap are counted per
 * feature pair, and pairs with enough shared points become neighbours. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "spatial.h"
#include "par.h"

typedef struct {
  double *x, *y;
  int32_t *f;
  size_t n;
} verts;

static void verts_free(verts *v) {
  free(v->x);
  free(v->y);
  free(v->f);
}

/* Every vertex of every ring, without a ring's repeated closing vertex. */
static int collect(const cb_polyset *ps, verts *v, double bb[4]) {
  size_t n = 0;
  for (size_t i = 0; i < ps->n; i++)
    for (size_t r = 0; r < ps->polys[i].nrings; r++) n += ps->polys[i].rings[r].n;
  v->x = malloc((n ? n : 1) * sizeof *v->x);
  v->y = malloc((n ? n : 1) * sizeof *v->y);
  v->f = malloc((n ? n : 1) * sizeof *v->f);
  if (!v->x || !v->y || !v->f) return -1;
  bb[0] = bb[1] = INFINITY;
  bb[2] = bb[3] = -INFINITY;
  size_t k = 0;
  for (size_t i = 0; i < ps->n; i++)
    for (size_t r = 0; r < ps->polys[i].nrings; r++) {
      const cb_ring *g = &ps->polys[i].rings[r];
      size_t m = g->n;
      if (m > 1 && g->xy[0] == g->xy[2 * m - 2] && g->xy[1] == g->xy[2 * m - 1]) m--;
      for (size_t p = 0; p < m; p++) {
        double x = g->xy[2 * p], y = g->xy[2 * p + 1];
        if (!isfinite(x) || !isfinite(y)) continue;
        v->x[k] = x;
        v->y[k] = y;
        v->f[k++] = (int32_t)i;
        if (x < bb[0]) bb[0] = x;
        if (y < bb[1]) bb[1] = y;
        if (x > bb[2]) bb[2] = x;
        if (y > bb[3]) bb[3] = y;
      }
    }
  v->n = k;
  return 0;
}

/* LSD radix sort of 64-bit keys, 16 bits a pass; passes whose digit is the
 * same for every key are skipped. tmp has room for n keys. */
static int radix_sort(uint64_t *a, uint64_t *tmp, size_t n) {
  size_t *count = malloc(((size_t)1 << 16) * sizeof *count);
  if (!count) return -1;
  for (int shift = 0; shift < 64; shift += 16) {
    memset(count, 0, ((size_t)1 << 16) * sizeof *count);
    for (size_t i = 0; i < n; i++) count[(a[i] >> shift) & 0xffff]++;
    if (n == 0 || count[(a[0] >> shift) & 0xffff] == n) continue;
    size_t sum = 0;
    for (size_t d = 0; d < (1 << 16); d++) {
      size_t c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (size_t i = 0; i < n; i++) tmp[count[(a[i] >> shift) & 0xffff]++] = a[i];
    memcpy(a, tmp, n * sizeof *a);
  }
  free(count);
  return 0;
}

/* Feature pairs with their count of shared points (capped at 2), in an
 * open-addressing table keyed by (lo << 32 | hi) + 1 (0 marks empty). */
typedef struct {
  uint64_t *key;
  unsigned char *cnt;
  size_t cap, used;
} pairs;

static size_t slot(const pairs *p, uint64_t k) {
  uint64_t h = k * 0x9E3779B97F4A7C15ull;
  size_t i = (size_t)(h >> 20) & (p->cap - 1);
  while (p->key[i] && p->key[i] != k) i = (i + 1) & (p->cap - 1);
  return i;
}

static int pairs_grow(pairs *p) {
  pairs q = {calloc(p->cap * 2, sizeof *q.key), calloc(p->cap * 2, 1),
             p->cap * 2, p->used};
  if (!q.key || !q.cnt) {
    free(q.key);
    free(q.cnt);
    return -1;
  }
  for (size_t i = 0; i < p->cap; i++)
    if (p->key[i]) {
      size_t s = slot(&q, p->key[i]);
      q.key[s] = p->key[i];
      q.cnt[s] = p->cnt[i];
    }
  free(p->key);
  free(p->cnt);
  *p = q;
  return 0;
}

static int pairs_add(pairs *p, int32_t a, int32_t b) {
  if (a > b) {
    int32_t t = a;
    a = b;
    b = t;
  }
  uint64_t k = (((uint64_t)(uint32_t)a << 32) | (uint32_t)b) + 1;
  size_t s = slot(p, k);
  if (!p->key[s]) {
    if (2 * (p->used + 1) > p->cap) {
      if (pairs_grow(p)) return -1;
      s = slot(p, k);
    }
    p->key[s] = k;
    p->used++;
  }
  if (p->cnt[s] < 2) p->cnt[s]++;
  return 0;
}

typedef struct {
  const verts *v; /* in key order */
  double snap;
  int ibits;
  pairs pr;
  uint64_t last; /* the last pair counted twice: later matches add nothing */
} scan;

/* Points a and b are positions in key order. */
static int near_pair(scan *s, size_t a, size_t b) {
  const verts *v = s->v;
  if (v->f[a] == v->f[b]) return 0;
  double dx = fabs(v->x[a] - v->x[b]);
  if (dx > s->snap) return 0;
  double dy = fabs(v->y[a] - v->y[b]);
  if (dy > s->snap) return 0;
  if (s->snap > 0 && hypot(dx, dy) > s->snap) return 0;
  int32_t lo = v->f[a] < v->f[b] ? v->f[a] : v->f[b];
  int32_t hi = v->f[a] < v->f[b] ? v->f[b] : v->f[a];
  uint64_t k = ((uint64_t)(uint32_t)lo << 32) | (uint32_t)hi;
  if (k == s->last) return 0;
  if (pairs_add(&s->pr, lo, hi)) return -1;
  if (s->pr.cnt[slot(&s->pr, k + 1)] == 2) s->last = k;
  return 0;
}

/* Pairs between the run [a0, a1) and the run [b0, b1) (the same run when
 * a0 == b0: each unordered pair once). */
static int runs(scan *s, size_t a0, size_t a1, size_t b0, size_t b1) {
  for (size_t i = a0; i < a1; i++)
    for (size_t j = a0 == b0 ? i + 1 : b0; j < b1; j++)
      if (near_pair(s, i, j)) return -1;
  return 0;
}

/* Walks the sorted keys cell by cell from position `from` (a cell's first
 * key) to `to`, comparing each cell with itself and with the four cells
 * after it: (cx, cy+1) and (cx+1, cy-1..cy+1), which may lie beyond `to`. */
static int sweep(scan *s, const uint64_t *k, size_t from, size_t to, size_t n,
                 int cbits) {
  uint64_t cmask = ((uint64_t)1 << cbits) - 1;
  size_t p = from; /* first key at or after cell (cx+1, cy-1) */
  for (size_t a = from; a < to;) {
    uint64_t cell = k[a] >> s->ibits;
    size_t b = a;
    while (b < n && k[b] >> s->ibits == cell) b++;
    if (runs(s, a, b, a, b)) return -1;
    uint64_t cx = cell >> cbits, cy = cell & cmask;
    if (b < n && k[b] >> s->ibits == cell + 1 && cy < cmask) {
      size_t c = b;
      while (c < n && k[c] >> s->ibits == cell + 1) c++;
      if (runs(s, a, b, b, c)) return -1;
    }
    uint64_t lo = ((cx + 1) << cbits) | (cy ? cy - 1 : 0);
    uint64_t hi = ((cx + 1) << cbits) | (cy < cmask ? cy + 1 : cy);
    while (p < n && k[p] >> s->ibits < lo) p++;
    size_t q = p;
    while (q < n && k[q] >> s->ibits <= hi) q++;
    if (q > p && runs(s, a, b, p, q)) return -1;
    a = b;
  }
  return 0;
}

/* The sweep split into chunks of whole cells, one pair table each. */
typedef struct {
  const uint64_t *k;
  size_t n;
  int cbits, nchunks;
  scan *sc; /* one per chunk */
  int *failed;
} sweep_job;

static void sweep_chunk(void *arg, size_t job, int th) {
  (void)th;
  sweep_job *j = arg;
  size_t ib = (size_t)j->sc[0].ibits, n = j->n;
  size_t from = n * job / (size_t)j->nchunks, to = n * (job + 1) / (size_t)j->nchunks;
  while (from > 0 && from < n && j->k[from] >> ib == j->k[from - 1] >> ib) from++;
  while (to > 0 && to < n && j->k[to] >> ib == j->k[to - 1] >> ib) to++;
  if (from < to && sweep(&j->sc[job], j->k, from, to, n, j->cbits)) j->failed[job] = 1;
}

/* Adds the pairs of b into a (counts capped at 2). */
static int merge(pairs *a, const pairs *b) {
  for (size_t i = 0; i < b->cap; i++) {
    if (!b->key[i]) continue;
    uint64_t k = b->key[i] - 1;
    for (int c = 0; c < b->cnt[i]; c++)
      if (pairs_add(a, (int32_t)(k >> 32), (int32_t)(k & 0xffffffffu))) return -1;
  }
  return 0;
}

static int new_pairs(pairs *p) {
  p->cap = 1 << 12;
  p->used = 0;
  p->key = calloc(p->cap, sizeof *p->key);
  p->cnt = calloc(p->cap, 1);
  return p->key && p->cnt ? 0 : -1;
}

/* Sweeps on `threads` threads and merges their pairs into sc[0]. */
static int sweep_all(scan *sc, int nchunks, const uint64_t *k, size_t n,
                     int cbits) {
  int failed[64] = {0};
  for (int t = 1; t < nchunks; t++) {
    sc[t] = sc[0];
    if (new_pairs(&sc[t].pr)) failed[t] = 1;
  }
  sweep_job j = {k, n, cbits, nchunks, sc, failed};
  cb_par_run(nchunks, (size_t)nchunks, sweep_chunk, &j);
  int bad = failed[0];
  for (int t = 1; t < nchunks; t++) {
    bad |= failed[t] || merge(&sc[0].pr, &sc[t].pr);
    free(sc[t].pr.key);
    free(sc[t].pr.cnt);
  }
  return bad ? -1 : 0;
}

/* Puts the vertices in key order (one pass of scattered reads, so that
 * the sweep reads them in sequence). */
static int gather(verts *v, const uint64_t *k, int ibits) {
  uint64_t mask = ((uint64_t)1 << ibits) - 1;
  verts o = {malloc((v->n ? v->n : 1) * sizeof *o.x),
             malloc((v->n ? v->n : 1) * sizeof *o.y),
             malloc((v->n ? v->n : 1) * sizeof *o.f), v->n};
  if (!o.x || !o.y || !o.f) {
    verts_free(&o);
    return -1;
  }
  for (size_t i = 0; i < v->n; i++) {
    size_t j = (size_t)(k[i] & mask);
    o.x[i] = v->x[j];
    o.y[i] = v->y[j];
    o.f[i] = v->f[j];
  }
  verts_free(v);
  *v = o;
  return 0;
}

/* Packs (cell x, cell y, vertex index) into one key per vertex: the vertex
 * index takes the low bits, the cells share the rest, so cells are at
 * least snap wide and as fine as the bits allow. */
static uint64_t *make_keys(const verts *v, const double bb[4], double snap,
                           int *ibits, int *cbits) {
  int ib = 1;
  while (ib < 40 && ((size_t)1 << ib) < v->n) ib++;
  int cb = (64 - ib) / 2;
  double span = fmax(bb[2] - bb[0], bb[3] - bb[1]);
  double cell = fmax(snap, span / (double)(((uint64_t)1 << cb) - 2));
  if (!(cell > 0)) cell = 1;
  uint64_t *k = malloc((v->n ? v->n : 1) * sizeof *k);
  if (!k) return NULL;
  for (size_t i = 0; i < v->n; i++) {
    uint64_t cx = (uint64_t)((v->x[i] - bb[0]) / cell);
    uint64_t cy = (uint64_t)((v->y[i] - bb[1]) / cell);
    k[i] = (((cx << cb) | cy) << ib) | i;
  }
  *ibits = ib;
  *cbits = cb;
  return k;
}

/* The weights of the pairs with at least `need` shared points. */
static cb_weights *from_pairs(const pairs *pr, size_t n, int need, cb_err *e) {
  size_t m = 0;
  for (size_t i = 0; i < pr->cap; i++) m += pr->key[i] && pr->cnt[i] >= need;
  int32_t *ti = malloc((2 * m + 1) * sizeof *ti);
  int32_t *tj = malloc((2 * m + 1) * sizeof *tj);
  cb_weights *w = NULL;
  if (!ti || !tj) {
    cb_err_set(e, "out of memory");
  } else {
    size_t t = 0;
    for (size_t i = 0; i < pr->cap; i++)
      if (pr->key[i] && pr->cnt[i] >= need) {
        uint64_t k = pr->key[i] - 1;
        ti[t] = tj[t + 1] = (int32_t)(k >> 32);
        tj[t] = ti[t + 1] = (int32_t)(k & 0xffffffffu);
        t += 2;
      }
    w = cb_weights_from_triplets(n, t, ti, tj, NULL, e);
  }
  free(ti);
  free(tj);
  return w;
}

cb_weights *cb_weights_contiguity(const cb_polyset *ps, double snap,
                                  cb_contig_rule rule, int threads, cb_err *e) {
  verts v = {0};
  double bb[4];
  uint64_t *k = NULL, *tmp = NULL;
  scan sc[64];
  sc[0] = (scan){.v = &v, .snap = snap > 0 ? snap : 0, .last = UINT64_MAX};
  cb_weights *w = NULL;
  int cbits = 0;
  int nth = cb_par_threads(threads, ps->n ? ps->n : 1, e);
  if (nth < 0) return NULL;
  int oom = new_pairs(&sc[0].pr) || collect(ps, &v, bb) ||
            !(k = make_keys(&v, bb, sc[0].snap, &sc[0].ibits, &cbits)) ||
            !(tmp = malloc((v.n ? v.n : 1) * sizeof *tmp)) || radix_sort(k, tmp, v.n);
  free(tmp); /* before the gather, which copies the vertices */
  tmp = NULL;
  if (oom || gather(&v, k, sc[0].ibits)) {
    cb_err_set(e, "out of memory for the %zu polygons' vertices", ps->n);
    goto done;
  }
  if (sweep_all(sc, nth, k, v.n, cbits)) {
    cb_err_set(e, "out of memory for the neighbour pairs");
    goto done;
  }
  w = from_pairs(&sc[0].pr, ps->n, rule == CB_CONTIG_ROOK ? 2 : 1, e);
done:
  free(k);
  free(tmp);
  free(sc[0].pr.key);
  free(sc[0].pr.cnt);
  verts_free(&v);
  return w;
}
