/* Streaming zonal statistics: threads take tasks (runs of strips, see
 * zonal_plan.c) in turn, each strip yields sparse per-zone partials, and
 * partials are merged strictly in strip order, so any thread count gives
 * bit-identical results. Only windows that hold spans are read. A zone's
 * kept values (zonal_values.c) are finished as soon as its last strip is
 * merged, so they are held only while the pass is on its rows. */
#include "zonal.h"

#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "progress.h"
#include "threads.h"
#include "zonal_int.h"

#define MAX_THREADS 64
#define STRIP_BUDGET ((size_t)256 << 20) /* bytes of windows over all threads */
#define BLOCK_BUDGET ((size_t)64 << 20)  /* bytes of whole blocks per thread */

typedef struct {
  uint32_t zone;
  zacc a;
} partial;

/* A strip's partials, waiting for their turn to be merged. */
typedef struct {
  partial *p;
  size_t n;
  int ready;
} strip_out;

typedef struct job {
  const cb_coverage *c;
  cb_raster *r, *wr;
  const cb_zonal_opts *o;
  zplan plan;
  zspan_how how;
  zvneed need;
  int keep;             /* cells are kept for the value statistics */
  size_t es;            /* bytes of a kept cell that is not whole */
  atomic_size_t next;   /* next task */
  atomic_int done, failed;
  pthread_mutex_t lock; /* guards what follows */
  pthread_cond_t merged; /* next_merge moved, or the pass failed */
  size_t ahead;         /* how far past next_merge a task may start (0:
                           any distance) */
  int blocks;           /* the value raster's blocks are read in place */
  int bx, by, nbc;      /* its block size, block columns */
  size_t max_nbr;       /* block rows a strip spans, at most */
  strip_out *outs;      /* one per strip */
  size_t next_merge;
  ztotal *tot;
  _Atomic(unsigned char *) *store; /* with values: each zone's block */
  atomic_size_t held, peak; /* cells the blocks have room for, now and at most */
  uint32_t *ready;      /* zones whose cells are complete, to finish */
  size_t ready_head, ready_tail;
  cb_zonal_result *res;
  cb_err err;
  cb_progress bar;
} job;

typedef struct worker {
  job *j;
  int id;
  cb_raster_reader *rd, *wrd;
  unsigned char *buf, *wbuf; /* raw windows (see cb_raster_raw_size) */
  const unsigned char **ptr; /* with blocks: block rows br0.. of the current
                                strip, nbc each: where their values are */
  uint8_t *have;      /* per block of ptr: located */
  unsigned char *blk; /* room for the blocks the file does not hold, read
                         through GDAL (allocated when one is met) */
  int br0, nbr;
  double *row, *wrow;        /* one converted window row each, in cache */
  zacc *accs;        /* one per zone */
  zvcur *cur;        /* per zone, when values are kept: where its next
                        cells go */
  zscratch scratch;  /* for finishing zones */
  uint32_t *touched; /* zones seen in the current strip, in first-seen order */
  uint8_t *mark;     /* per zone: 1 when in touched */
  size_t ntouched;
  pthread_t th;
} worker;

int cb_zonal_threads(int want, cb_err *e) {
  return cb_threads(want, MAX_THREADS, e);
}

/* As cb_zonal_check_grid; a weight raster gets its own advice (warp it
 * onto the grid), since new zones would not match the value raster. */
const char *cb_zonal_grid_differs(const cb_grid *g, const cb_raster *r) {
  double gt[6];
  cb_raster_geotransform(r, gt);
  if (cb_raster_width(r) != g->ncols || cb_raster_height(r) != g->nrows)
    return "size";
  double tx = 1e-9 * fabs(g->gt[1]), ty = 1e-9 * fabs(g->gt[5]);
  if (fabs(gt[1] - g->gt[1]) > tx || fabs(gt[5] - g->gt[5]) > ty ||
      fabs(gt[2] - g->gt[2]) > tx || fabs(gt[4] - g->gt[4]) > ty)
    return "cell size";
  if (fabs(gt[0] - g->gt[0]) > tx || fabs(gt[3] - g->gt[3]) > ty)
    return "origin";
  return NULL;
}

static int check_grid(const cb_grid *g, const cb_raster *r, int weight,
                      cb_err *e) {
  const char *what = cb_zonal_grid_differs(g, r);
  if (!what) return 0;
  double gt[6];
  cb_raster_geotransform(r, gt);
  int w = cb_raster_width(r), h = cb_raster_height(r);
  char advice[300];
  if (weight)
    snprintf(advice, sizeof advice, "warp it onto that grid, e.g. gdalwarp "
             "-te %.17g %.17g %.17g %.17g -ts %d %d", g->gt[0],
             g->gt[3] + g->nrows * g->gt[5], g->gt[0] + g->ncols * g->gt[1],
             g->gt[3], g->ncols, g->nrows);
  else
    snprintf(advice, sizeof advice, "build zones for that grid with "
             "cbal.zones(layer, raster)");
  return cb_err_set(e, "%sraster '%s' is not on the zones' grid (%s differs: "
                    "%dx%d cells of %g x %g at (%g, %g) vs zones %dx%d of %g "
                    "x %g at (%g, %g)); %s", weight ? "weight " : "",
                    cb_raster_path(r), what, w, h, gt[1], gt[5], gt[0], gt[3],
                    g->ncols, g->nrows, g->gt[1], g->gt[5], g->gt[0], g->gt[3],
                    advice);
}

int cb_zonal_check_grid(const cb_grid *g, const cb_raster *r, cb_err *e) {
  return check_grid(g, r, 0, e);
}

/* Notes zone z as seen in this strip (its partial goes out with it). */
static inline zacc *touch(worker *wk, uint32_t z) {
  if (!wk->mark[z]) {
    wk->mark[z] = 1;
    wk->touched[wk->ntouched++] = z;
  }
  return &wk->accs[z];
}

/* One row's spans, with the how-flags constant in each caller. */
static inline __attribute__((always_inline)) void do_spans(worker *wk, size_t u, const zstrip *st,
                            const double *v, const double *wv, double wa,
                            double cf, zspan_how h) {
  const cb_coverage *c = wk->j->c;
  int ncols = c->grid.ncols, none = wk->j->o->cover_weight == CB_COVW_NONE;
  float minc = (float)wk->j->o->min_coverage;
  for (size_t i = c->row_off[u]; i < c->row_off[u + 1]; i++) {
    const cb_span *sp = &c->spans[i];
    int x0 = sp->x0 < 0 ? 0 : sp->x0, x1 = sp->x1 > ncols ? ncols : sp->x1;
    if (sp->w < minc || x0 >= x1 || x0 < st->x0 || x1 > st->x1) continue;
    zacc *a = touch(wk, sp->zone);
    double ce = none ? 1.0 : sp->w * cf;
    zacc_span(a, v, wv, x0 - st->x0, x1 - st->x0, sp->w, ce, wa, h,
              h.store ? &wk->cur[sp->zone] : NULL);
  }
}

/* Row y of strip st (columns st->x0..st->x1-1) from its blocks, converted
 * into v. */
static void block_row(const worker *wk, const zstrip *st, int y, double *v) {
  const job *j = wk->j;
  size_t rs = cb_raster_raw_size(j->r);
  size_t k = (size_t)(y / j->by - wk->br0), yy = (size_t)(y % j->by);
  for (int x = st->x0; x < st->x1;) {
    int bc = x / j->bx, xe = (bc + 1) * j->bx < st->x1 ? (bc + 1) * j->bx : st->x1;
    const unsigned char *b = wk->ptr[k * (size_t)j->nbc + (size_t)bc];
    cb_raster_convert_row(j->r, b + (yy * (size_t)j->bx + (size_t)(x - bc * j->bx)) * rs,
                          v + (x - st->x0), (size_t)(xe - x));
    x = xe;
  }
}

/* Accumulates the spans of strip st, whose window is in wk->buf (or its
 * blocks at wk->ptr). */
static void do_rows(worker *wk, const zstrip *st) {
  job *j = wk->j;
  const cb_coverage *c = j->c;
  const double *areas = j->o->weights == CB_WEIGHT_AREA ? j->o->row_areas : NULL;
  zspan_how h = j->how;
  size_t ww = (size_t)(st->x1 - st->x0);
  size_t rs = cb_raster_raw_size(j->r), wrs = j->wr ? cb_raster_raw_size(j->wr) : 0;
  for (size_t u = st->u0; u < st->u1; u++) {
    size_t off = (size_t)(c->row_y[u] - st->y0) * ww;
    double *v = wk->row, *wv = wk->wbuf ? wk->wrow : NULL;
    double wa = areas ? areas[u] : 1.0, cf = zonal_cover_factor(j->o, &c->grid, c->row_y[u]);
    if (j->blocks) block_row(wk, st, c->row_y[u], v);
    else cb_raster_convert_row(j->r, wk->buf + off * rs, v, ww);
    if (wv) cb_raster_convert_row(j->wr, wk->wbuf + off * wrs, wv, ww);
    if (!h.weighted && !h.store && !h.spread) /* count, sum, mean, min, max */
      do_spans(wk, u, st, v, NULL, 1.0, cf, (zspan_how){0, 0, 0, 0, 0, 0});
    else if (!h.weighted && !h.store)
      do_spans(wk, u, st, v, NULL, 1.0, cf, (zspan_how){0, 0, 0, 0, 0, 1});
    else if (!h.store)
      do_spans(wk, u, st, v, wv, wa, cf, (zspan_how){1, 0, 0, 0, h.defw, h.spread});
    else if (!h.weighted && h.split && !h.spread) /* quantiles, mode, ... */
      do_spans(wk, u, st, v, NULL, 1.0, cf, (zspan_how){0, 1, 1, 1, 0, 0});
    else
      do_spans(wk, u, st, v, wv, wa, cf, h);
  }
}

static void fail(job *j, const cb_err *e) {
  pthread_mutex_lock(&j->lock);
  if (!atomic_load(&j->failed)) j->err = *e;
  atomic_store(&j->failed, 1);
  pthread_cond_broadcast(&j->merged);
  pthread_mutex_unlock(&j->lock);
}

/* Merges strip o into the totals (lock held); zones whose last strip it
 * is join the ready queue. */
static void merge_strip(job *j, strip_out *o, size_t s) {
  for (size_t t = 0; t < o->n; t++) ztotal_merge(&j->tot[o->p[t].zone], &o->p[t].a);
  free(o->p);
  o->p = NULL, o->n = 0;
  if (j->keep)
    for (size_t i = j->plan.fin_off[s]; i < j->plan.fin_off[s + 1]; i++)
      j->ready[j->ready_tail++] = j->plan.fin_zone[i];
}

/* Bytes of zone z's whole keys in its block (a multiple of 8). */
static size_t whole_bytes(const job *j, uint32_t z) {
  return (j->plan.zw[z] * sizeof(uint32_t) + 7) / 8 * 8;
}

/* Zone z's block, allocated by the first strip that reaches it, with room
 * for every cell its spans cover; NULL when out of memory. */
static unsigned char *zone_block(job *j, uint32_t z) {
  unsigned char *b = atomic_load(&j->store[z]);
  if (b) return b;
  size_t cells = j->plan.zw[z] + j->plan.zp[z];
  unsigned char *nb = malloc(whole_bytes(j, z) + j->plan.zp[z] * j->es + 1);
  if (!nb) return NULL;
  if (!atomic_compare_exchange_strong(&j->store[z], &b, nb)) {
    free(nb); /* another thread's strip of the zone was first */
    return b;
  }
  size_t held = atomic_fetch_add(&j->held, cells) + cells;
  size_t peak = atomic_load(&j->peak);
  while (held > peak && !atomic_compare_exchange_weak(&j->peak, &peak, held)) {}
  return nb;
}

/* Points the cursors of strip s's zones at their room in the zones'
 * blocks. -1 when out of memory. */
static int start_strip(worker *wk, size_t s) {
  job *j = wk->j;
  for (size_t i = j->plan.pair_off[s]; i < j->plan.pair_off[s + 1]; i++) {
    const zpair *pr = &j->plan.pairs[i];
    unsigned char *b = zone_block(j, pr->zone);
    if (!b) return -1;
    wk->cur[pr->zone].k = (uint32_t *)b + pr->wo;
    wk->cur[pr->zone].p = b + whole_bytes(j, pr->zone) + pr->po * j->es;
  }
  return 0;
}

/* Notes how many cells strip s wrote for each of its zones. */
static void end_strip(worker *wk, size_t s) {
  job *j = wk->j;
  for (size_t i = j->plan.pair_off[s]; i < j->plan.pair_off[s + 1]; i++) {
    zpair *pr = &j->plan.pairs[i];
    unsigned char *b = atomic_load(&j->store[pr->zone]);
    pr->vw = (size_t)(wk->cur[pr->zone].k - ((uint32_t *)b + pr->wo));
    pr->vp = (size_t)(wk->cur[pr->zone].p - (b + whole_bytes(j, pr->zone) +
                                             pr->po * j->es)) / j->es;
  }
}

/* Zone z's cells in its block b, closed up (the room its strips left
 * unused taken out), with the bounds of their keys. */
static zvcells zone_cells(const job *j, uint32_t z, unsigned char *b) {
  zvcells zc = {0};
  if (!b) return zc;
  const zplan *p = &j->plan;
  size_t es = j->es;
  unsigned char *other = b + whole_bytes(j, z);
  zc.k = (uint32_t *)b, zc.p = other;
  for (size_t i = p->zpair_off[z]; i < p->zpair_off[z + 1]; i++) {
    const zpair *pr = &p->pairs[p->zpair[i]];
    if (pr->vw && zc.nk != pr->wo) memmove(zc.k + zc.nk, zc.k + pr->wo, pr->vw * 4);
    if (pr->vp && zc.n != pr->po)
      memmove(other + zc.n * es, other + pr->po * es, pr->vp * es);
    zc.nk += pr->vw, zc.n += pr->vp;
  }
  /* every kept value (-0 kept as 0) lies in the zone's [min, max] */
  zc.lo = zv_key32((float)(j->tot[z].mn + 0.0));
  zc.hi = zv_key32((float)(j->tot[z].mx + 0.0));
  return zc;
}

/* Finishes ready zones (their value statistics) until the queue is empty;
 * with a zone callback only the calling thread (worker 0) does, since the
 * callback may run Lua. -1 with e filled on failure. */
static int drain(worker *wk, cb_err *e) {
  job *j = wk->j;
  if (!j->keep || (j->need.fn && wk->id != 0)) return 0;
  int rc = 0;
  pthread_mutex_lock(&j->lock);
  while (!rc && j->ready_head < j->ready_tail && !atomic_load(&j->failed)) {
    uint32_t z = j->ready[j->ready_head++];
    pthread_mutex_unlock(&j->lock);
    unsigned char *b = atomic_exchange(&j->store[z], NULL);
    zvcells zc = zone_cells(j, z, b);
    rc = zv_finish(&zc, &j->need, z, j->res, &wk->scratch, e);
    if (b) {
      free(b);
      atomic_fetch_sub(&j->held, j->plan.zw[z] + j->plan.zp[z]);
    }
    pthread_mutex_lock(&j->lock);
  }
  pthread_mutex_unlock(&j->lock);
  return rc;
}

/* Hands this strip's partials over and merges every strip that is next
 * in order. -1 with e filled on failure. */
static int finish_strip(worker *wk, size_t strip, cb_err *e) {
  job *j = wk->j;
  partial *p = malloc((wk->ntouched ? wk->ntouched : 1) * sizeof *p);
  if (!p) return cb_err_set(e, "out of memory");
  if (j->keep) end_strip(wk, strip);
  for (size_t t = 0; t < wk->ntouched; t++) {
    uint32_t z = wk->touched[t];
    p[t].zone = z;
    p[t].a = wk->accs[z];
    zacc_reset(&wk->accs[z]);
    wk->mark[z] = 0;
  }
  pthread_mutex_lock(&j->lock);
  j->outs[strip] = (strip_out){p, wk->ntouched, 1};
  size_t before = j->next_merge;
  while (j->next_merge < j->plan.nstrips && j->outs[j->next_merge].ready) {
    merge_strip(j, &j->outs[j->next_merge], j->next_merge);
    j->next_merge++;
  }
  if (j->next_merge != before) pthread_cond_broadcast(&j->merged);
  pthread_mutex_unlock(&j->lock);
  wk->ntouched = 0;
  return drain(wk, e);
}

/* Lets the mapped blocks the worker holds leave its memory. */
static void drop_blocks(worker *wk) {
  const job *j = wk->j;
  for (int k = 0; k < wk->nbr; k++) {
    const uint8_t *h = wk->have + (size_t)k * (size_t)j->nbc;
    int a = 0, b = j->nbc - 1;
    while (a <= b && !h[a]) a++;
    while (b >= a && !h[b]) b--;
    if (a <= b) cb_raster_block_pages(j->r, wk->br0 + k, a, b, 0);
  }
  wk->br0 = -1, wk->nbr = 0;
}

/* Locates the blocks of strip st that the worker does not hold yet: in
 * the mapped file, or read into wk->blk when the file lacks them. */
static int read_blocks(worker *wk, const zstrip *st, cb_err *e) {
  const job *j = wk->j;
  int br0 = st->y0 / j->by, nbr = (st->y1 - 1) / j->by - br0 + 1;
  size_t bbytes = (size_t)j->bx * (size_t)j->by * cb_raster_raw_size(j->r);
  if (br0 != wk->br0 || nbr != wk->nbr) {
    drop_blocks(wk);
    memset(wk->have, 0, (size_t)nbr * (size_t)j->nbc);
    wk->br0 = br0, wk->nbr = nbr;
  }
  for (int k = 0; k < nbr; k++) {
    int a = -1, b = -1; /* the blocks located now */
    for (int bc = st->x0 / j->bx; bc <= (st->x1 - 1) / j->bx; bc++) {
      size_t i = (size_t)k * (size_t)j->nbc + (size_t)bc;
      if (wk->have[i]) continue;
      if (a < 0) a = bc;
      b = bc;
      wk->ptr[i] = cb_raster_block_at(j->r, bc, br0 + k);
      if (!wk->ptr[i]) {
        if (!wk->blk && !(wk->blk = malloc(j->max_nbr * (size_t)j->nbc * bbytes)))
          return cb_err_set(e, "out of memory (blocks of %zu bytes)", bbytes);
        if (cb_raster_read_block(wk->rd, bc, br0 + k, wk->blk + i * bbytes, e)) return -1;
        wk->ptr[i] = wk->blk + i * bbytes;
      }
      wk->have[i] = 1;
    }
    if (a >= 0) cb_raster_block_pages(j->r, br0 + k, a, b, 1);
  }
  __atomic_add_fetch(&cb_raster_cells_read,
                     (unsigned long long)(st->x1 - st->x0) * (unsigned long long)(st->y1 - st->y0),
                     __ATOMIC_RELAXED);
  return 0;
}

/* Reads strip st's window of the value (and weight) raster. */
static int read_strip(worker *wk, const zstrip *st, cb_err *e) {
  int w = st->x1 - st->x0, h = st->y1 - st->y0;
  if (wk->j->blocks ? read_blocks(wk, st, e)
                    : cb_raster_read_window(wk->rd, st->x0, st->y0, w, h, wk->buf, e))
    return -1;
  if (wk->wrd && cb_raster_read_window(wk->wrd, st->x0, st->y0, w, h, wk->wbuf, e))
    return -1;
  return 0;
}

/* Runs the strips of task t in order; GDAL's block cache is dropped after
 * the last one, so a block larger than a strip is decoded once. */
static int run_task(worker *wk, size_t t, cb_err *e) {
  job *j = wk->j;
  int rc = 0;
  for (size_t s = j->plan.task[t]; s < j->plan.task[t + 1] && !rc; s++) {
    const zstrip *st = &j->plan.strips[s];
    if (j->keep && start_strip(wk, s)) {
      rc = cb_err_set(e, "out of memory keeping the values of zones");
      break;
    }
    if (read_strip(wk, st, e)) {
      rc = -1;
      break;
    }
    do_rows(wk, st);
    rc = finish_strip(wk, s, e);
    int d = atomic_fetch_add(&j->done, 1) + 1;
    if (wk->id == 0) cb_progress_update(&j->bar, d);
    if (atomic_load(&j->failed)) break;
  }
  cb_raster_reader_release(wk->rd);
  if (wk->wrd) cb_raster_reader_release(wk->wrd);
  if (j->blocks) drop_blocks(wk);
  return rc;
}

static void *run_worker(void *arg) {
  worker *wk = arg;
  job *j = wk->j;
  cb_err e;
  while (!atomic_load(&j->failed)) {
    size_t t = atomic_fetch_add(&j->next, 1);
    if (t >= j->plan.ntasks) break;
    /* a thread running far ahead would pile up strips (and their values)
     * that cannot be merged yet: wait for the merge to come near. The
     * strips before task t are all taken, so the merge moves on. */
    pthread_mutex_lock(&j->lock);
    while (j->ahead && j->plan.task[t] > j->next_merge + j->ahead && !atomic_load(&j->failed))
      pthread_cond_wait(&j->merged, &j->lock);
    pthread_mutex_unlock(&j->lock);
    if (run_task(wk, t, &e)) {
      fail(j, &e);
      break;
    }
  }
  return NULL;
}

static void worker_free(worker *wk) {
  cb_raster_reader_close(wk->rd);
  cb_raster_reader_close(wk->wrd);
  free(wk->buf);
  free(wk->ptr);
  free(wk->blk);
  free(wk->have);
  free(wk->wbuf);
  free(wk->row);
  free(wk->wrow);
  free(wk->accs);
  free(wk->cur);
  zscratch_free(&wk->scratch);
  free(wk->touched);
  free(wk->mark);
}

static int worker_init(worker *wk, job *j, int id, cb_err *e) {
  memset(wk, 0, sizeof *wk);
  wk->j = j;
  wk->id = id;
  size_t cells = j->plan.max_cells ? j->plan.max_cells : 1;
  size_t width = j->plan.max_width ? (size_t)j->plan.max_width : 1;
  size_t nz = j->c->nzones ? j->c->nzones : 1;
  wk->br0 = -1;
  if (j->blocks) {
    size_t nb = j->max_nbr * (size_t)j->nbc;
    wk->ptr = malloc(nb * sizeof *wk->ptr);
    wk->have = calloc(nb, 1);
  } else {
    wk->buf = malloc(cells * cb_raster_raw_size(j->r));
  }
  wk->wbuf = j->wr ? malloc(cells * cb_raster_raw_size(j->wr)) : NULL;
  wk->row = malloc(width * sizeof(double));
  wk->wrow = j->wr ? malloc(width * sizeof(double)) : NULL;
  wk->accs = malloc(nz * sizeof *wk->accs);
  wk->cur = j->keep ? calloc(nz, sizeof *wk->cur) : NULL;
  wk->touched = malloc(nz * sizeof *wk->touched);
  wk->mark = calloc(nz, 1);
  if ((j->blocks ? !wk->ptr || !wk->have : !wk->buf) || (j->wr && (!wk->wbuf || !wk->wrow)) || !wk->row ||
      !wk->accs || (j->keep && !wk->cur) || !wk->touched || !wk->mark)
    return cb_err_set(e, "out of memory (a window of %zu cells)", cells);
  for (size_t z = 0; z < nz; z++) zacc_reset(&wk->accs[z]);
  if (id == 0) {
    wk->rd = cb_raster_main_reader(j->r);
    wk->wrd = j->wr ? cb_raster_main_reader(j->wr) : NULL;
    return 0;
  }
  wk->rd = cb_raster_reader_open(j->r, e);
  if (!wk->rd) return -1;
  if (j->wr && !(wk->wrd = cb_raster_reader_open(j->wr, e))) return -1;
  return 0;
}

static int check_inputs(const cb_coverage *c, cb_raster *r,
                        const cb_zonal_opts *o, cb_err *e) {
  if (cb_zonal_check_grid(&c->grid, r, e)) return -1;
  if (o->weights == CB_WEIGHT_RASTER) {
    if (!o->weight_raster)
      return cb_err_set(e, "weights: a weight raster is required");
    if (check_grid(&c->grid, o->weight_raster, 1, e)) return -1;
  }
  if (o->weights == CB_WEIGHT_AREA && !o->row_areas)
    return cb_err_set(e, "weights 'area': cell areas are missing");
  return 0;
}

static int run(job *j, int nth, cb_err *e) {
  worker wk[MAX_THREADS];
  int started = 0, rc = 0;
  for (int i = 0; i < nth; i++) {
    if (worker_init(&wk[i], j, i, e)) {
      worker_free(&wk[i]);
      if (i == 0) rc = -1;
      break; /* fewer threads give the same result */
    }
    started++;
  }
  if (rc) return -1;
  if (j->o->label) /* else the bar stays zeroed: silent */
    cb_progress_start(&j->bar, j->o->label, (double)j->plan.nstrips);
  for (int i = 1; i < started; i++)
    if (pthread_create(&wk[i].th, NULL, run_worker, &wk[i])) {
      for (int k = i; k < started; k++) worker_free(&wk[k]);
      started = i;
      break;
    }
  cb_err de;
  if (drain(&wk[0], &de)) fail(j, &de); /* zones no strip has */
  run_worker(&wk[0]);
  for (int i = 1; i < started; i++) pthread_join(wk[i].th, NULL);
  if (!atomic_load(&j->failed) && drain(&wk[0], &de)) fail(j, &de);
  if (atomic_load(&j->failed)) cb_progress_abandon(&j->bar);
  else cb_progress_finish(&j->bar);
  for (int i = 0; i < started; i++) worker_free(&wk[i]);
  if (atomic_load(&j->failed)) {
    *e = j->err;
    return -1;
  }
  return 0;
}

/* GDAL decodes each tile into a freshly allocated block, and we drop the
 * blocks after every strip to bound memory. With glibc's default (dynamic)
 * thresholds the freed memory goes back to the OS and every strip faults it
 * in again, which cost as much as decoding on a VM. Keeping up to 64 MB of
 * free heap (and serving allocations below 32 MB from the heap) stops that;
 * the peak is unchanged. */
static pthread_once_t malloc_once = PTHREAD_ONCE_INIT;
static void tune_malloc(void) {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
}

/* Whether the value raster's blocks are read in place (mapped, see
 * cb_raster_map_blocks): when it can be and the block rows one strip spans
 * fit in BLOCK_BUDGET (the most a worker may have to read through GDAL). */
static void plan_blocks(job *j) {
  int bx, by;
  cb_raster_block_size(j->r, &bx, &by);
  if (bx < 1 || by < 1 || !cb_raster_map_blocks(j->r)) return;
  size_t nbc = ((size_t)cb_raster_width(j->r) + (size_t)bx - 1) / (size_t)bx, maxr = 1;
  for (size_t s = 0; s < j->plan.nstrips; s++) {
    const zstrip *st = &j->plan.strips[s];
    size_t n = (size_t)((st->y1 - 1) / by - st->y0 / by + 1);
    if (n > maxr) maxr = n;
  }
  if ((double)maxr * (double)nbc * bx * by * (double)cb_raster_raw_size(j->r) > (double)BLOCK_BUDGET)
    return;
  j->blocks = 1, j->bx = bx, j->by = by, j->nbc = (int)nbc, j->max_nbr = maxr;
}

/* Threads to use: as asked, at most one per task, and few enough that
 * the windows held at once stay within STRIP_BUDGET. */
static int thread_count(const job *j, int want, cb_err *e) {
  int nth = cb_zonal_threads(want, e);
  if (nth < 0) return -1;
  if ((size_t)nth > j->plan.ntasks) nth = j->plan.ntasks > 0 ? (int)j->plan.ntasks : 1;
  size_t sb = j->blocks ? j->max_nbr * (size_t)j->nbc * (size_t)j->bx * (size_t)j->by *
                              cb_raster_raw_size(j->r)
                        : j->plan.max_cells * cb_raster_raw_size(j->r);
  sb += j->wr ? j->plan.max_cells * cb_raster_raw_size(j->wr) : 0;
  if (sb > 0 && (size_t)nth * sb > STRIP_BUDGET)
    nth = STRIP_BUDGET / sb > 1 ? (int)(STRIP_BUDGET / sb) : 1;
  return nth;
}

/* What the value statistics need: cells are packed (8 bytes) when the
 * value and the coverage weight are exact in float32 and no weight is
 * kept per cell. */
static void plan_values(job *j) {
  const cb_zonal_opts *o = j->o;
  zvneed *n = &j->need;
  int weighted = o->weights != CB_WEIGHT_NONE;
  n->q = o->quantiles, n->nq = o->nq;
  n->sort = o->nq > 0 || o->values || o->keep_hist;
  n->hist = o->keep_hist;
  n->weighted = weighted;
  n->max_classes = o->max_classes;
  n->fn = o->zone_fn, n->fn_ud = o->zone_ud;
  int exact_v = cb_raster_raw_size(j->r) == sizeof(float) &&
                cb_raster_scale(j->r) == 1 && cb_raster_offset(j->r) == 0;
  int exact_c = o->cover_weight == CB_COVW_FRACTION || o->cover_weight == CB_COVW_NONE;
  n->packed = exact_v && exact_c && !(weighted && (n->hist || n->fn));
  n->split = n->packed && !n->fn;
  j->keep = n->sort || n->fn != NULL;
  j->es = n->packed ? sizeof(uint64_t) : sizeof(zfull);
  j->how = (zspan_how){weighted, j->keep, n->packed, n->split,
                       o->default_weight, !o->no_spread};
}

/* The per-zone state of a pass that keeps values; -1 out of memory. */
static int values_init(job *j) {
  size_t nz = j->c->nzones ? j->c->nzones : 1;
  const cb_zonal_opts *o = j->o;
  if (zplan_values(&j->plan, j->c, (float)o->min_coverage, j->need.split,
                   o->cover_weight == CB_COVW_NONE))
    return -1;
  j->store = calloc(nz, sizeof *j->store);
  j->ready = malloc(nz * sizeof *j->ready);
  if (!j->store || !j->ready) return -1;
  /* zones no strip has are ready from the start */
  size_t s = j->plan.nstrips;
  for (size_t i = j->plan.fin_off[s]; i < j->plan.fin_off[s + 1]; i++)
    j->ready[j->ready_tail++] = j->plan.fin_zone[i];
  return 0;
}

static void job_free(job *j) {
  for (size_t s = 0; j->outs && s < j->plan.nstrips; s++) free(j->outs[s].p);
  free(j->outs);
  free(j->tot);
  for (size_t z = 0; j->store && z < j->c->nzones; z++) free(atomic_load(&j->store[z]));
  free(j->store);
  free(j->ready);
  zplan_free(&j->plan);
  pthread_mutex_destroy(&j->lock);
  pthread_cond_destroy(&j->merged);
}

int cb_zonal_stats(const cb_coverage *c, cb_raster *r, const cb_zonal_opts *o,
                   cb_zonal_result *out, cb_err *e) {
  pthread_once(&malloc_once, tune_malloc);
  cb_zonal_opts def = {0};
  if (!o) o = &def;
  memset(out, 0, sizeof *out);
  if (check_inputs(c, r, o, e)) return -1;
  job j;
  memset(&j, 0, sizeof j);
  j.c = c, j.r = r, j.o = o, j.res = out;
  j.wr = o->weights == CB_WEIGHT_RASTER ? o->weight_raster : NULL;
  atomic_init(&j.next, 0), atomic_init(&j.done, 0), atomic_init(&j.failed, 0);
  atomic_init(&j.held, 0), atomic_init(&j.peak, 0);
  pthread_mutex_init(&j.lock, NULL);
  pthread_cond_init(&j.merged, NULL);
  plan_values(&j);
  int rc = -1, nth, keep = j.keep;
  /* strips near a million cells inside block-row tasks (kept values
   * follow them; a plain pass holds less and stays in cache) */
  if (zplan_build(&j.plan, c, r, o->strip_rows, 1) || (keep && values_init(&j))) {
    cb_err_set(e, "out of memory planning the pass over %zu rows", c->nrows);
    goto done;
  }
  j.outs = calloc(j.plan.nstrips ? j.plan.nstrips : 1, sizeof *j.outs);
  j.tot = malloc((c->nzones ? c->nzones : 1) * sizeof *j.tot);
  if (!j.outs || !j.tot || zresult_alloc(out, c->nzones, &j.need)) {
    cb_err_set(e, "out of memory");
    goto done;
  }
  for (size_t z = 0; z < c->nzones; z++) ztotal_reset(&j.tot[z]);
  plan_blocks(&j);
  if ((nth = thread_count(&j, o->threads, e)) < 0) goto done;
  /* a pass that keeps values lets a task start at most one task per thread
   * past the merge (the values held stay near the rows the pass is on); a
   * plain pass holds only small partials, so its threads never wait */
  size_t per = 1;
  for (size_t t = 0; t < j.plan.ntasks; t++)
    if (j.plan.task[t + 1] - j.plan.task[t] > per) per = j.plan.task[t + 1] - j.plan.task[t];
  j.ahead = keep ? (size_t)nth * per : 0;
  if (run(&j, nth, e)) goto done;
  zresult_fill(out, c, j.tot, o->weights != CB_WEIGHT_NONE, !o->no_spread);
  out->values_peak = atomic_load(&j.peak);
  rc = 0;
done:
  job_free(&j);
  if (rc) cb_zonal_free(out);
  return rc;
}
