/* Coverage builder: polygons are boxed, ordered by first row and cut into
 * chunks that threads sweep row by row (coverage_sweep.c); each row's spans
 * are then laid out chunk after chunk, which is exactly what one sweep of
 * every polygon gives, so the result is the same for any thread count. */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "coverage_int.h"
#include "threads.h"

int cov_grow(cov_out *o) {
  size_t cap = o->cap ? o->cap + o->cap / 2 : 1024;
  cb_span *s = realloc(o->spans, cap * sizeof *s);
  if (!s) return -1;
  o->spans = s;
  o->cap = cap;
  return 0;
}

void cb_coverage_free(cb_coverage *c) {
  if (!c) return;
  free(c->spans);
  free(c->row_y);
  free(c->row_off);
  free(c->zone_cells);
  free(c->zone_area_outside);
  free(c);
}

size_t cb_coverage_bytes(const cb_coverage *c) {
  if (!c) return 0;
  return sizeof *c + c->nspans * sizeof *c->spans +
         c->nrows * sizeof *c->row_y + (c->nrows + 1) * sizeof *c->row_off +
         2 * c->nzones * sizeof(double);
}

int cb_coverage_check_grid(const cb_grid *g, cb_err *e) {
  for (int i = 0; i < 6; i++)
    if (!isfinite(g->gt[i]))
      return cb_err_set(e, "grid geotransform has a non-finite term (gt[%d]): "
                        "check the raster's georeferencing", i);
  if (g->gt[2] != 0.0 || g->gt[4] != 0.0)
    return cb_err_set(e, "rotated grid (geotransform terms gt[2]=%g, gt[4]=%g) "
                      "is not supported: warp the raster north-up first "
                      "(gdalwarp)", g->gt[2], g->gt[4]);
  if (g->gt[1] == 0.0 || g->gt[5] == 0.0)
    return cb_err_set(e, "grid has a zero cell size (gt[1]=%g, gt[5]=%g)",
                      g->gt[1], g->gt[5]);
  if (g->ncols <= 0 || g->nrows <= 0)
    return cb_err_set(e, "grid has no cells (%d x %d)", g->ncols, g->nrows);
  return 0;
}

/* First row a polygon with pixel bbox bb can touch, or -1 for none. */
static int first_row(const double bb[4], const cb_grid *g, cb_cover_mode m) {
  double lo = m == CB_COVER_CENTER ? floor(bb[1] - 0.5) : floor(bb[1]);
  double hi = m == CB_COVER_CENTER ? ceil(bb[3] - 0.5) : ceil(bb[3]) - 1.0;
  if (bb[2] < 0.0 || bb[0] > g->ncols || hi < 0.0 || lo > g->nrows - 1.0) return -1;
  return lo < 0.0 ? 0 : (int)lo;
}

#define MAX_THREADS 64
#define BOX_BLOCK 256           /* polygons per task when boxing */
#define CHUNK_POINTS (1 << 14)  /* points per chunk of the sweep (at least) */

/* The build, phase by phase: box every polygon (parallel), order them by
 * first row and cut the order into chunks (serial), sweep the chunks
 * (parallel), lay the rows out (serial), copy the chunks' spans
 * (parallel). */
typedef struct build {
  const cb_polyset *ps;
  cb_coverage *c;
  cov_xform t;
  int *start;        /* per polygon: first row, -1 when it touches none */
  size_t *order;     /* polygons with rows, by (first row, index) */
  size_t norder;
  cov_chunk *chunks;
  size_t nchunks, ntasks;
  void (*task)(struct build *, size_t);
  atomic_size_t next;
  atomic_int failed;
  atomic_size_t bad; /* lowest polygon with a non-finite point, or SIZE_MAX */
} build;

static void box_task(build *b, size_t blk) {
  const cb_grid *g = &b->c->grid;
  size_t i1 = (blk + 1) * BOX_BLOCK < b->ps->n ? (blk + 1) * BOX_BLOCK : b->ps->n;
  for (size_t i = blk * BOX_BLOCK; i < i1; i++) {
    double bb[4];
    int any = cov_poly_bbox(&b->ps->polys[i], &b->t, i + 1, bb, NULL);
    if (any < 0) {
      size_t cur = atomic_load(&b->bad);
      while (i < cur && !atomic_compare_exchange_weak(&b->bad, &cur, i)) {}
      any = 0;
    }
    b->start[i] = any ? first_row(bb, g, b->c->mode) : -1;
    if (any && (bb[0] < 0 || bb[1] < 0 || bb[2] > g->ncols || bb[3] > g->nrows)) {
      double total, inside;
      cov_poly_areas(&b->ps->polys[i], &b->t, g->ncols, g->nrows, &total, &inside);
      b->c->zone_area_outside[i] = total - inside > 0.0 ? total - inside : 0.0;
    }
  }
}

static void sweep_task(build *b, size_t k) {
  if (cov_chunk_sweep(&b->chunks[k], b->ps, b->order, b->start, &b->t, b->c))
    atomic_store(&b->failed, 1);
}

static void copy_task(build *b, size_t j) {
  cov_chunk *k = &b->chunks[j];
  for (size_t i = 0; i < k->nrows; i++)
    memcpy(b->c->spans + k->dst[i], k->out.spans + k->ro[i],
           (k->ro[i + 1] - k->ro[i]) * sizeof *k->out.spans);
  free(k->out.spans);
  k->out.spans = NULL;
}

static void *worker(void *arg) {
  build *b = arg;
  for (;;) {
    size_t i = atomic_fetch_add(&b->next, 1);
    if (i >= b->ntasks || atomic_load(&b->failed)) break;
    b->task(b, i);
  }
  return NULL;
}

/* Runs task(0..ntasks-1) on up to nth threads, this one included (fewer
 * when threads cannot be started: the result is the same). */
static void run(build *b, void (*task)(build *, size_t), size_t ntasks, int nth) {
  pthread_t th[MAX_THREADS];
  int started = 0;
  b->task = task;
  b->ntasks = ntasks;
  atomic_store(&b->next, 0);
  if ((size_t)nth > ntasks) nth = ntasks ? (int)ntasks : 1;
  for (int i = 1; i < nth; i++)
    if (pthread_create(&th[started], NULL, worker, b) == 0) started++;
  worker(b);
  for (int i = 0; i < started; i++) pthread_join(th[i], NULL);
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

/* Orders polygons by (first row, index) and cuts the order into chunks
 * of at least CHUNK_POINTS points. */
static int plan(build *b) {
  uint64_t *key = malloc((b->ps->n ? b->ps->n : 1) * sizeof *key);
  if (!key) return -1;
  for (size_t i = 0; i < b->ps->n; i++)
    if (b->start[i] >= 0) key[b->norder++] = (uint64_t)b->start[i] << 32 | i;
  qsort(key, b->norder, sizeof *key, cmp_u64);
  for (size_t j = 0; j < b->norder; j++) b->order[j] = key[j] & 0xffffffffu;
  free(key);
  b->chunks = calloc(b->norder ? b->norder : 1, sizeof *b->chunks);
  if (!b->chunks) return -1;
  size_t points = 0;
  for (size_t j = 0; j < b->norder; j++) {
    const cb_polygon *p = &b->ps->polys[b->order[j]];
    if (points == 0) b->chunks[b->nchunks].i0 = j;
    for (size_t q = 0; q < p->nrings; q++) points += p->rings[q].n + 1;
    if (points >= CHUNK_POINTS || j + 1 == b->norder) {
      b->chunks[b->nchunks++].i1 = j + 1;
      points = 0;
    }
  }
  return 0;
}

/* Lists the coverage's rows and where each chunk's rows go: within a row,
 * chunk after chunk in order (keys: row << 32 | chunk). */
static int place(build *b) {
  cb_coverage *c = b->c;
  size_t n = 0;
  for (size_t j = 0; j < b->nchunks; j++) n += b->chunks[j].nrows;
  uint64_t *key = malloc((n ? n : 1) * sizeof *key);
  c->row_y = malloc((n ? n : 1) * sizeof *c->row_y);
  c->row_off = malloc((n + 1) * sizeof *c->row_off);
  if (!key || !c->row_y || !c->row_off) {
    free(key);
    return -1;
  }
  n = 0;
  for (size_t j = 0; j < b->nchunks; j++) {
    cov_chunk *k = &b->chunks[j];
    if (!(k->dst = malloc((k->nrows ? k->nrows : 1) * sizeof *k->dst))) {
      free(key);
      return -1;
    }
    for (size_t i = 0; i < k->nrows; i++) key[n++] = (uint64_t)k->ry[i] << 32 | j;
  }
  qsort(key, n, sizeof *key, cmp_u64);
  size_t off = 0, *pos = calloc(b->nchunks ? b->nchunks : 1, sizeof *pos);
  if (!pos) {
    free(key);
    return -1;
  }
  for (size_t q = 0; q < n; q++) {
    int32_t r = (int32_t)(key[q] >> 32);
    cov_chunk *k = &b->chunks[key[q] & 0xffffffffu];
    size_t i = pos[key[q] & 0xffffffffu]++;
    if (c->nrows == 0 || c->row_y[c->nrows - 1] != r) {
      c->row_y[c->nrows] = r;
      c->row_off[c->nrows++] = off;
    }
    k->dst[i] = off;
    off += k->ro[i + 1] - k->ro[i];
  }
  c->row_off[c->nrows] = c->nspans = off;
  free(key);
  free(pos);
  c->spans = off ? malloc(off * sizeof *c->spans) : NULL;
  return off && !c->spans ? -1 : 0;
}

static void build_free(build *b) {
  for (size_t j = 0; b->chunks && j < b->nchunks; j++) {
    free(b->chunks[j].out.spans);
    free(b->chunks[j].ry);
    free(b->chunks[j].ro);
    free(b->chunks[j].dst);
  }
  free(b->chunks);
  free(b->start);
  free(b->order);
}

/* 0, -1 when out of memory, -2 with e filled (a non-finite point). */
static int build_all(build *b, int nth, cb_err *e) {
  size_t n = b->ps->n ? b->ps->n : 1;
  b->start = malloc(n * sizeof *b->start);
  b->order = malloc(n * sizeof *b->order);
  if (!b->start || !b->order) return -1;
  run(b, box_task, (b->ps->n + BOX_BLOCK - 1) / BOX_BLOCK, nth);
  size_t bad = atomic_load(&b->bad);
  if (bad != SIZE_MAX) { /* the first bad feature, as a serial build says */
    double bb[4];
    cov_poly_bbox(&b->ps->polys[bad], &b->t, bad + 1, bb, e);
    return -2;
  }
  if (plan(b)) return -1;
  run(b, sweep_task, b->nchunks, nth);
  if (atomic_load(&b->failed) || place(b)) return -1;
  run(b, copy_task, b->nchunks, nth);
  return 0;
}

cb_coverage *cb_coverage_build(const cb_grid *g, const cb_polyset *polys,
                               cb_cover_mode mode, cb_err *e) {
  return cb_coverage_build_threads(g, polys, mode, 0, e);
}

cb_coverage *cb_coverage_build_threads(const cb_grid *g, const cb_polyset *polys,
                                       cb_cover_mode mode, int threads,
                                       cb_err *e) {
  if (cb_coverage_check_grid(g, e)) return NULL;
  if (polys->n > UINT32_MAX) {
    cb_err_set(e, "too many polygons (%zu) for one coverage", polys->n);
    return NULL;
  }
  int nth = cb_threads(threads, MAX_THREADS, e);
  if (nth < 0) return NULL;
  build b = {.ps = polys};
  atomic_init(&b.next, 0);
  atomic_init(&b.failed, 0);
  atomic_init(&b.bad, SIZE_MAX);
  b.t = (cov_xform){-g->gt[0] / g->gt[1], 1.0 / g->gt[1], -g->gt[3] / g->gt[5],
                    1.0 / g->gt[5]};
  cb_coverage *c = b.c = calloc(1, sizeof *c);
  size_t n = polys->n ? polys->n : 1;
  int rc = -1;
  if (c) {
    c->grid = *g;
    c->mode = mode;
    c->nzones = polys->n;
    c->zone_cells = calloc(n, sizeof *c->zone_cells);
    c->zone_area_outside = calloc(n, sizeof *c->zone_area_outside);
    if (c->zone_cells && c->zone_area_outside) rc = build_all(&b, nth, e);
  }
  build_free(&b);
  if (rc == 0) return c;
  if (rc == -1)
    cb_err_set(e, "out of memory building the coverage of %zu polygons on a "
               "%d x %d grid", polys->n, g->ncols, g->nrows);
  cb_coverage_free(c);
  return NULL;
}
