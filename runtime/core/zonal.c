/* Streaming zonal statistics: threads take strips of rows in turn, each
 * strip yields sparse per-zone partials, and partials are merged strictly in
 * strip order, so any thread count gives bit-identical results. */
#include "zonal.h"

#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "progress.h"

#define MAX_THREADS 64
#define STRIP_CELLS (1 << 20)
#define STRIP_BUDGET ((size_t)256 << 20) /* bytes of strips over all threads */

/* One zone's sums over one strip. Variance uses sums shifted by the first
 * value seen (k), which keeps them well conditioned. */
typedef struct {
  double cnt, w, s, k, a1, a2, mn, mx, miss;
} acc;

typedef struct {
  uint32_t zone;
  acc a;
} partial;

/* A strip's partials, waiting for their turn to be merged. */
typedef struct {
  partial *p;
  size_t n;
  int ready;
} strip_out;

/* Running merged statistics of one zone. */
typedef struct {
  double cnt, w, s, mean, m2, mn, mx, miss;
} total;

typedef struct job {
  const cb_coverage *c;
  cb_raster *r, *wr;
  const cb_zonal_opts *o;
  int width, height, strip_rows, nstrips;
  atomic_int next, done, failed;
  pthread_mutex_t lock;
  strip_out *outs;
  int next_merge;
  total *tot;
  cb_err err;
  cb_progress bar;
} job;

typedef struct worker {
  job *j;
  int id;
  cb_raster_reader *rd, *wrd;
  unsigned char *buf, *wbuf; /* raw strips (see cb_raster_raw_size) */
  double *row, *wrow;        /* one converted row each, kept in cache */
  acc *accs;      /* one per zone */
  uint32_t *touched; /* zones seen in the current strip, in first-seen order */
  uint8_t *mark;     /* per zone: 1 when in touched */
  size_t ntouched;
  pthread_t th;
} worker;

int cb_zonal_threads(int want) {
  if (want <= 0) {
    const char *env = getenv("CBAL_THREADS");
    want = env && *env ? atoi(env) : 0;
  }
  if (want <= 0) want = (int)sysconf(_SC_NPROCESSORS_ONLN);
  if (want < 1) want = 1;
  return want > MAX_THREADS ? MAX_THREADS : want;
}

/* As cb_zonal_check_grid; a weight raster gets its own advice (warp it
 * onto the grid), since new zones would not match the value raster. */
static int check_grid(const cb_grid *g, const cb_raster *r, int weight,
                      cb_err *e) {
  double gt[6];
  cb_raster_geotransform(r, gt);
  int w = cb_raster_width(r), h = cb_raster_height(r);
  const char *what = NULL;
  if (w != g->ncols || h != g->nrows) what = "size";
  double tx = 1e-9 * fabs(g->gt[1]), ty = 1e-9 * fabs(g->gt[5]);
  if (!what && (fabs(gt[1] - g->gt[1]) > tx || fabs(gt[5] - g->gt[5]) > ty ||
                fabs(gt[2] - g->gt[2]) > tx || fabs(gt[4] - g->gt[4]) > ty))
    what = "cell size";
  if (!what && (fabs(gt[0] - g->gt[0]) > tx || fabs(gt[3] - g->gt[3]) > ty))
    what = "origin";
  if (!what) return 0;
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

/* Strip height: a whole number of the raster's block rows, about
 * STRIP_CELLS cells, fixed by the raster alone (not by the thread count). */
static int strip_rows(const cb_raster *r) {
  int bx, by, w = cb_raster_width(r), h = cb_raster_height(r);
  cb_raster_block_size(r, &bx, &by);
  int want = STRIP_CELLS / (w > 0 ? w : 1);
  if (want < 1) want = 1;
  if (by < 1 || (double)by * w > 16.0 * STRIP_CELLS) by = 1;
  int rows = (want + by - 1) / by * by;
  return rows > h ? (h > 0 ? h : 1) : rows;
}

static void acc_reset(acc *a) {
  a->cnt = a->w = a->s = a->a1 = a->a2 = a->miss = 0;
  a->k = NAN;
  a->mn = INFINITY;
  a->mx = -INFINITY;
}

/* Accumulates cells x0..x1 of one row for one span. */
static void do_span(acc *a, const double *v, const double *wv, int x0, int x1,
                    double cov, double rowf) {
  double cnt = a->cnt, w = a->w, s = a->s, k = a->k, a1 = a->a1, a2 = a->a2;
  double mn = a->mn, mx = a->mx, miss = a->miss, cw = cov * rowf;
  for (int x = x0; x < x1; x++) {
    double val = v[x], ww = cw;
    if (wv) {
      double q = wv[x];
      if (!(q >= 0)) {
        miss += cov;
        continue;
      }
      ww *= q;
    }
    if (val != val) {
      miss += cov;
      continue;
    }
    if (k != k) k = val;
    double d = val - k;
    cnt += cov;
    w += ww;
    s += ww * val;
    a1 += ww * d;
    a2 += ww * d * d;
    mn = val < mn ? val : mn;
    mx = val > mx ? val : mx;
  }
  a->cnt = cnt, a->w = w, a->s = s, a->k = k, a->a1 = a1, a->a2 = a2;
  a->mn = mn, a->mx = mx, a->miss = miss;
}

static void do_rows(worker *wk, int y0, int y1) {
  job *j = wk->j;
  const cb_coverage *c = j->c;
  const double *areas = j->o->weights == CB_WEIGHT_AREA ? j->o->row_areas : NULL;
  for (int y = y0; y < y1; y++) {
    if (c->row_start[y] == c->row_start[y + 1]) continue; /* no zone here */
    size_t off = (size_t)(y - y0) * j->width, w = (size_t)j->width;
    double *v = wk->row, *wv = wk->wbuf ? wk->wrow : NULL;
    double rowf = areas ? areas[y] : 1.0;
    cb_raster_convert_row(j->r, wk->buf + off * cb_raster_raw_size(j->r), v, w);
    if (wv)
      cb_raster_convert_row(j->wr, wk->wbuf + off * cb_raster_raw_size(j->wr),
                            wv, w);
    for (size_t i = c->row_start[y]; i < c->row_start[y + 1]; i++) {
      const cb_span *sp = &c->spans[i];
      acc *a = &wk->accs[sp->zone];
      if (!wk->mark[sp->zone]) {
        wk->mark[sp->zone] = 1;
        wk->touched[wk->ntouched++] = sp->zone;
      }
      int x0 = sp->x0 < 0 ? 0 : sp->x0, x1 = sp->x1 > j->width ? j->width : sp->x1;
      if (x0 < x1) do_span(a, v, wv, x0, x1, sp->w, rowf);
    }
  }
}

static void merge_one(total *t, const acc *a) {
  t->cnt += a->cnt;
  t->s += a->s;
  t->miss += a->miss;
  t->mn = a->mn < t->mn ? a->mn : t->mn;
  t->mx = a->mx > t->mx ? a->mx : t->mx;
  if (!(a->w > 0)) return;
  double mp = a->k + a->a1 / a->w, m2p = a->a2 - a->a1 * a->a1 / a->w;
  if (m2p < 0) m2p = 0;
  if (t->w == 0) {
    t->mean = mp, t->m2 = m2p, t->w = a->w;
    return;
  }
  double wn = t->w + a->w, d = mp - t->mean;
  t->mean += d * a->w / wn;
  t->m2 += m2p + d * d * t->w * a->w / wn;
  t->w = wn;
}

/* Stores this strip's partials and merges every strip that is next in
 * order. Returns -1 on out of memory. */
static int finish_strip(worker *wk, int strip) {
  job *j = wk->j;
  partial *p = malloc((wk->ntouched ? wk->ntouched : 1) * sizeof *p);
  if (!p) return -1;
  for (size_t t = 0; t < wk->ntouched; t++) {
    p[t].zone = wk->touched[t];
    p[t].a = wk->accs[wk->touched[t]];
    acc_reset(&wk->accs[wk->touched[t]]);
    wk->mark[wk->touched[t]] = 0;
  }
  pthread_mutex_lock(&j->lock);
  j->outs[strip] = (strip_out){p, wk->ntouched, 1};
  while (j->next_merge < j->nstrips && j->outs[j->next_merge].ready) {
    strip_out *o = &j->outs[j->next_merge++];
    for (size_t t = 0; t < o->n; t++) merge_one(&j->tot[o->p[t].zone], &o->p[t].a);
    free(o->p);
    o->p = NULL;
  }
  pthread_mutex_unlock(&j->lock);
  wk->ntouched = 0;
  return 0;
}

static void fail(job *j, const cb_err *e) {
  pthread_mutex_lock(&j->lock);
  if (!atomic_load(&j->failed)) j->err = *e;
  atomic_store(&j->failed, 1);
  pthread_mutex_unlock(&j->lock);
}

static void *run_worker(void *arg) {
  worker *wk = arg;
  job *j = wk->j;
  cb_err e;
  while (!atomic_load(&j->failed)) {
    int s = atomic_fetch_add(&j->next, 1);
    if (s >= j->nstrips) break;
    int y0 = s * j->strip_rows, y1 = y0 + j->strip_rows;
    if (y1 > j->height) y1 = j->height;
    if (cb_raster_read_raw(wk->rd, y0, y1, wk->buf, &e) ||
        (wk->wrd && cb_raster_read_raw(wk->wrd, y0, y1, wk->wbuf, &e))) {
      fail(j, &e);
      break;
    }
    cb_raster_reader_release(wk->rd);
    if (wk->wrd) cb_raster_reader_release(wk->wrd);
    do_rows(wk, y0, y1);
    if (finish_strip(wk, s)) {
      cb_err_set(&e, "out of memory");
      fail(j, &e);
      break;
    }
    int d = atomic_fetch_add(&j->done, 1) + 1;
    if (wk->id == 0) cb_progress_update(&j->bar, d);
  }
  return NULL;
}

static void worker_free(worker *wk) {
  cb_raster_reader_close(wk->rd);
  cb_raster_reader_close(wk->wrd);
  free(wk->buf);
  free(wk->wbuf);
  free(wk->row);
  free(wk->wrow);
  free(wk->accs);
  free(wk->touched);
  free(wk->mark);
}

static int worker_init(worker *wk, job *j, int id, cb_err *e) {
  memset(wk, 0, sizeof *wk);
  wk->j = j;
  wk->id = id;
  size_t cells = (size_t)j->width * (size_t)j->strip_rows;
  size_t nz = j->c->nzones ? j->c->nzones : 1;
  wk->buf = malloc(cells * cb_raster_raw_size(j->r));
  wk->wbuf = j->wr ? malloc(cells * cb_raster_raw_size(j->wr)) : NULL;
  wk->row = malloc((size_t)j->width * sizeof(double));
  wk->wrow = j->wr ? malloc((size_t)j->width * sizeof(double)) : NULL;
  wk->accs = malloc(nz * sizeof *wk->accs);
  wk->touched = malloc(nz * sizeof *wk->touched);
  wk->mark = calloc(nz, 1);
  if (!wk->buf || (j->wr && (!wk->wbuf || !wk->wrow)) || !wk->row ||
      !wk->accs || !wk->touched ||
      !wk->mark)
    return cb_err_set(e, "out of memory (a strip of %zu cells)", cells);
  for (size_t z = 0; z < nz; z++) acc_reset(&wk->accs[z]);
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

static int alloc_result(cb_zonal_result *res, size_t n) {
  memset(res, 0, sizeof *res);
  res->n = n;
  double **f[] = {&res->count, &res->weight, &res->sum,   &res->mean,
                  &res->min,   &res->max,    &res->stddev, &res->cells,
                  &res->valid, &res->missing};
  for (size_t i = 0; i < sizeof f / sizeof *f; i++)
    if (!(*f[i] = calloc(n ? n : 1, sizeof(double)))) return -1;
  return 0;
}

void cb_zonal_free(cb_zonal_result *res) {
  if (!res) return;
  free(res->count), free(res->weight), free(res->sum), free(res->mean);
  free(res->min), free(res->max), free(res->stddev), free(res->cells);
  free(res->valid), free(res->missing);
  memset(res, 0, sizeof *res);
}

static void fill_result(const job *j, cb_zonal_result *res) {
  const cb_coverage *c = j->c;
  for (size_t z = 0; z < c->nzones; z++) {
    const total *t = &j->tot[z];
    res->count[z] = res->valid[z] = t->cnt;
    res->weight[z] = t->w;
    res->sum[z] = t->s;
    res->mean[z] = t->w > 0 ? t->s / t->w : NAN;
    res->stddev[z] = t->w > 0 ? sqrt(t->m2 / t->w) : NAN;
    res->min[z] = t->cnt > 0 ? t->mn : NAN;
    res->max[z] = t->cnt > 0 ? t->mx : NAN;
    res->cells[z] = c->zone_cells[z];
    res->missing[z] = t->miss + c->zone_area_outside[z];
    res->total_valid += t->cnt;
    res->total_cells += c->zone_cells[z];
  }
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
  cb_progress_start(&j->bar, j->o->label ? j->o->label : "zonal",
                    j->nstrips);
  if (!j->o->label) j->bar.active = 0;
  for (int i = 1; i < started; i++)
    if (pthread_create(&wk[i].th, NULL, run_worker, &wk[i])) {
      for (int k = i; k < started; k++) worker_free(&wk[k]);
      started = i;
      break;
    }
  run_worker(&wk[0]);
  for (int i = 1; i < started; i++) pthread_join(wk[i].th, NULL);
  cb_progress_finish(&j->bar);
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

int cb_zonal_stats(const cb_coverage *c, cb_raster *r, const cb_zonal_opts *o,
                   cb_zonal_result *out, cb_err *e) {
  pthread_once(&malloc_once, tune_malloc);
  cb_zonal_opts def = {0};
  if (!o) o = &def;
  memset(out, 0, sizeof *out);
  if (check_inputs(c, r, o, e)) return -1;
  job j;
  memset(&j, 0, sizeof j);
  j.c = c, j.r = r, j.o = o;
  j.wr = o->weights == CB_WEIGHT_RASTER ? o->weight_raster : NULL;
  j.width = cb_raster_width(r), j.height = cb_raster_height(r);
  j.strip_rows = o->strip_rows > 0 ? o->strip_rows : strip_rows(r);
  j.nstrips = (j.height + j.strip_rows - 1) / j.strip_rows;
  atomic_init(&j.next, 0), atomic_init(&j.done, 0), atomic_init(&j.failed, 0);
  pthread_mutex_init(&j.lock, NULL);
  j.outs = calloc(j.nstrips ? (size_t)j.nstrips : 1, sizeof *j.outs);
  j.tot = malloc((c->nzones ? c->nzones : 1) * sizeof *j.tot);
  int rc = -1;
  if (!j.outs || !j.tot || alloc_result(out, c->nzones)) {
    cb_err_set(e, "out of memory");
    goto done;
  }
  for (size_t z = 0; z < c->nzones; z++)
    j.tot[z] = (total){0, 0, 0, 0, 0, INFINITY, -INFINITY, 0};
  int nth = cb_zonal_threads(o->threads);
  if (nth > j.nstrips) nth = j.nstrips > 0 ? j.nstrips : 1;
  /* many cores must not multiply memory: cap the strips held at once */
  size_t sb = (size_t)j.width * (size_t)j.strip_rows *
              (cb_raster_raw_size(r) + (j.wr ? cb_raster_raw_size(j.wr) : 0));
  if (sb > 0 && (size_t)nth * sb > STRIP_BUDGET)
    nth = STRIP_BUDGET / sb > 1 ? (int)(STRIP_BUDGET / sb) : 1;
  if (run(&j, nth, e)) goto done;
  fill_result(&j, out);
  rc = 0;
done:
  for (int s = 0; j.outs && s < j.nstrips; s++) free(j.outs[s].p);
  free(j.outs);
  free(j.tot);
  pthread_mutex_destroy(&j.lock);
  if (rc) cb_zonal_free(out);
  return rc;
}
