/* Streaming zonal statistics: threads take tasks (runs of strips, see
 * zonal_plan.c) in turn, each strip yields sparse per-zone partials, and
 * partials are merged strictly in strip order, so any thread count gives
 * bit-identical results. Only windows that hold spans are read. */
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
#include "threads.h"
#include "zonal_int.h"

#define MAX_THREADS 64
#define STRIP_BUDGET ((size_t)256 << 20) /* bytes of strips over all threads */

/* One zone's sums over one strip: with coverage weights c (cnt, s) and
 * with c x w (wc, ws). Variances use sums shifted by the first value seen
 * (k), which keeps them well conditioned. */
typedef struct {
  double cnt, s, k, a1, a2;
  double wc, ws, wa1, wa2;
  double valid, miss, mn, mx;
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

/* Running merged statistics of one zone: sums, and mean and sum of squared
 * deviations (m2) for c and c x w. */
typedef struct {
  double cnt, s, mean, m2;
  double wc, ws, wmean, wm2;
  double valid, miss, mn, mx;
} total;

typedef struct job {
  const cb_coverage *c;
  cb_raster *r, *wr;
  const cb_zonal_opts *o;
  zplan plan;
  atomic_size_t next;   /* next task */
  atomic_int done, failed;
  pthread_mutex_t lock;
  strip_out *outs;      /* one per strip */
  size_t next_merge;
  total *tot;
  cb_err err;
  cb_progress bar;
} job;

typedef struct worker {
  job *j;
  int id;
  cb_raster_reader *rd, *wrd;
  unsigned char *buf, *wbuf; /* raw windows (see cb_raster_raw_size) */
  double *row, *wrow;        /* one converted window row each, in cache */
  acc *accs;      /* one per zone */
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

static void acc_reset(acc *a) {
  *a = (acc){0};
  a->k = NAN;
  a->mn = INFINITY;
  a->mx = -INFINITY;
}

/* Accumulates cells x0..x1 of one row for one span: cov is the span's
 * coverage fraction, ce the coverage weight c of its cells. With weights
 * (wr >= 0), w is wv[x] (a weight raster; missing -> defw) or, without
 * wv, wrow (the row's cell area). The compiler specialises each caller. */
static inline void do_span(acc *a, const double *v, const double *wv, int x0,
                           int x1, double cov, double ce, int weighted,
                           double wrow, double defw) {
  acc t = *a;
  for (int x = x0; x < x1; x++) {
    double val = v[x];
    if (val != val) {
      t.miss += cov;
      continue;
    }
    if (t.k != t.k) t.k = val;
    double d = val - t.k;
    t.valid += cov;
    t.cnt += ce;
    t.s += ce * val;
    t.a1 += ce * d;
    t.a2 += ce * d * d;
    t.mn = val < t.mn ? val : t.mn;
    t.mx = val > t.mx ? val : t.mx;
    if (weighted) {
      double w = wrow;
      if (wv) {
        w = wv[x];
        if (w != w) w = defw;
      }
      double cw = ce * w;
      t.wc += cw;
      t.ws += cw * val;
      t.wa1 += cw * d;
      t.wa2 += cw * d * d;
    }
  }
  *a = t;
}

/* The coverage weight c of a cell covered by fraction cov in row y. */
static double cover_factor(const job *j, int y) {
  switch (j->o->cover_weight) {
  case CB_COVW_AREA_CARTESIAN:
    return fabs(j->c->grid.gt[1] * j->c->grid.gt[5]);
  case CB_COVW_AREA_SPHERICAL_M2:
  case CB_COVW_AREA_SPHERICAL_KM2: {
    /* exactextract's sphere (radius 6378137 m) over the row's latitudes */
    const double r2 = 6378137.0 * 6378137.0, d2r = M_PI / 180;
    const double *gt = j->c->grid.gt;
    double y0 = gt[3] + y * gt[5], y1 = y0 + gt[5];
    double a = r2 * d2r * fabs(sin(y0 * d2r) - sin(y1 * d2r)) * fabs(gt[1]);
    return j->o->cover_weight == CB_COVW_AREA_SPHERICAL_KM2 ? a * 1e-6 : a;
  }
  default:
    return 1.0;
  }
}

/* Notes zone z as seen in this strip (its partial goes out with it). */
static inline acc *touch(worker *wk, uint32_t z) {
  if (!wk->mark[z]) {
    wk->mark[z] = 1;
    wk->touched[wk->ntouched++] = z;
  }
  return &wk->accs[z];
}

/* Accumulates the spans of strip st, whose window is in wk->buf. */
static void do_rows(worker *wk, const zstrip *st) {
  job *j = wk->j;
  const cb_coverage *c = j->c;
  const cb_zonal_opts *o = j->o;
  const double *areas = o->weights == CB_WEIGHT_AREA ? o->row_areas : NULL;
  int weighted = o->weights != CB_WEIGHT_NONE, none = o->cover_weight == CB_COVW_NONE;
  int ncols = c->grid.ncols;
  float minc = (float)o->min_coverage;
  size_t ww = (size_t)(st->x1 - st->x0);
  size_t rs = cb_raster_raw_size(j->r), wrs = j->wr ? cb_raster_raw_size(j->wr) : 0;
  for (size_t u = st->u0; u < st->u1; u++) {
    size_t off = (size_t)(c->row_y[u] - st->y0) * ww;
    double *v = wk->row, *wv = wk->wbuf ? wk->wrow : NULL;
    double wa = areas ? areas[u] : 1.0, cf = cover_factor(j, c->row_y[u]);
    cb_raster_convert_row(j->r, wk->buf + off * rs, v, ww);
    if (wv) cb_raster_convert_row(j->wr, wk->wbuf + off * wrs, wv, ww);
    for (size_t i = c->row_off[u]; i < c->row_off[u + 1]; i++) {
      const cb_span *sp = &c->spans[i];
      int x0 = sp->x0 < 0 ? 0 : sp->x0, x1 = sp->x1 > ncols ? ncols : sp->x1;
      if (sp->w < minc || x0 >= x1) continue;
      acc *a = touch(wk, sp->zone);
      double ce = none ? 1.0 : sp->w * cf;
      x0 -= st->x0, x1 -= st->x0;
      if (weighted)
        do_span(a, v, wv, x0, x1, sp->w, ce, 1, wa, o->default_weight);
      else
        do_span(a, v, NULL, x0, x1, sp->w, ce, 0, 1.0, 0.0);
    }
  }
}

/* Merges a strip's mean and squared deviations (weight aw, shifted sums
 * a1, a2 around k) into running ones (Chan et al.); a NaN weight makes
 * the running values NaN. */
static void merge_moments(double *tw, double *tmean, double *tm2, double aw,
                          double k, double a1, double a2) {
  if (aw == 0) return;
  double mp = k + a1 / aw, m2p = a2 - a1 * a1 / aw;
  if (m2p < 0) m2p = 0;
  if (*tw == 0) {
    *tmean = mp, *tm2 = m2p, *tw = aw;
    return;
  }
  double wn = *tw + aw, d = mp - *tmean;
  *tmean += d * aw / wn;
  *tm2 += m2p + d * d * *tw * aw / wn;
  *tw = wn;
}

static void merge_one(total *t, const acc *a) {
  t->s += a->s;
  t->ws += a->ws;
  t->valid += a->valid;
  t->miss += a->miss;
  t->mn = a->mn < t->mn ? a->mn : t->mn;
  t->mx = a->mx > t->mx ? a->mx : t->mx;
  merge_moments(&t->cnt, &t->mean, &t->m2, a->cnt, a->k, a->a1, a->a2);
  merge_moments(&t->wc, &t->wmean, &t->wm2, a->wc, a->k, a->wa1, a->wa2);
}

/* Stores this strip's partials and merges every strip that is next in
 * order. Returns -1 on out of memory. */
static int finish_strip(worker *wk, size_t strip) {
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
  while (j->next_merge < j->plan.nstrips && j->outs[j->next_merge].ready) {
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

/* Reads strip st's window of the value (and weight) raster. */
static int read_strip(worker *wk, const zstrip *st, cb_err *e) {
  int w = st->x1 - st->x0, h = st->y1 - st->y0;
  if (cb_raster_read_window(wk->rd, st->x0, st->y0, w, h, wk->buf, e)) return -1;
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
    if (read_strip(wk, st, e)) {
      rc = -1;
      break;
    }
    do_rows(wk, st);
    if (finish_strip(wk, s)) rc = cb_err_set(e, "out of memory");
    int d = atomic_fetch_add(&j->done, 1) + 1;
    if (wk->id == 0) cb_progress_update(&j->bar, d);
    if (atomic_load(&j->failed)) break;
  }
  cb_raster_reader_release(wk->rd);
  if (wk->wrd) cb_raster_reader_release(wk->wrd);
  return rc;
}

static void *run_worker(void *arg) {
  worker *wk = arg;
  job *j = wk->j;
  cb_err e;
  while (!atomic_load(&j->failed)) {
    size_t t = atomic_fetch_add(&j->next, 1);
    if (t >= j->plan.ntasks) break;
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
  size_t cells = j->plan.max_cells ? j->plan.max_cells : 1;
  size_t width = j->plan.max_width ? (size_t)j->plan.max_width : 1;
  size_t nz = j->c->nzones ? j->c->nzones : 1;
  wk->buf = malloc(cells * cb_raster_raw_size(j->r));
  wk->wbuf = j->wr ? malloc(cells * cb_raster_raw_size(j->wr)) : NULL;
  wk->row = malloc(width * sizeof(double));
  wk->wrow = j->wr ? malloc(width * sizeof(double)) : NULL;
  wk->accs = malloc(nz * sizeof *wk->accs);
  wk->touched = malloc(nz * sizeof *wk->touched);
  wk->mark = calloc(nz, 1);
  if (!wk->buf || (j->wr && (!wk->wbuf || !wk->wrow)) || !wk->row ||
      !wk->accs || !wk->touched ||
      !wk->mark)
    return cb_err_set(e, "out of memory (a window of %zu cells)", cells);
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

/* The result's arrays, in one list for allocating and freeing. */
#define RESULT_ARRAYS(r)                                                     \
  &(r)->count, &(r)->sum, &(r)->mean, &(r)->variance, &(r)->stdev,          \
      &(r)->cv, &(r)->min, &(r)->max, &(r)->wcount, &(r)->wsum,            \
      &(r)->wmean, &(r)->wvariance, &(r)->wstdev, &(r)->cells, &(r)->valid, \
      &(r)->missing

static int alloc_result(cb_zonal_result *res, size_t n) {
  memset(res, 0, sizeof *res);
  res->n = n;
  double **f[] = {RESULT_ARRAYS(res)};
  for (size_t i = 0; i < sizeof f / sizeof *f; i++)
    if (!(*f[i] = calloc(n ? n : 1, sizeof(double)))) return -1;
  return 0;
}

void cb_zonal_free(cb_zonal_result *res) {
  if (!res) return;
  double **f[] = {RESULT_ARRAYS(res)};
  for (size_t i = 0; i < sizeof f / sizeof *f; i++) free(*f[i]);
  memset(res, 0, sizeof *res);
}

static double ratio(double a, double b) { return b != 0 ? a / b : NAN; }

static void fill_result(const job *j, cb_zonal_result *res) {
  const cb_coverage *c = j->c;
  int weighted = j->o->weights != CB_WEIGHT_NONE;
  for (size_t z = 0; z < c->nzones; z++) {
    const total *t = &j->tot[z];
    res->count[z] = t->cnt;
    res->sum[z] = t->s;
    res->mean[z] = ratio(t->s, t->cnt);
    res->variance[z] = ratio(t->m2, t->cnt);
    res->stdev[z] = sqrt(res->variance[z]);
    res->cv[z] = res->stdev[z] / res->mean[z];
    res->min[z] = t->cnt > 0 ? t->mn : NAN;
    res->max[z] = t->cnt > 0 ? t->mx : NAN;
    res->wcount[z] = weighted ? t->wc : NAN;
    res->wsum[z] = weighted ? t->ws : NAN;
    res->wmean[z] = weighted ? ratio(t->ws, t->wc) : NAN;
    res->wvariance[z] = weighted ? ratio(t->wm2, t->wc) : NAN;
    res->wstdev[z] = sqrt(res->wvariance[z]);
    res->valid[z] = t->valid;
    res->cells[z] = c->zone_cells[z];
    res->missing[z] = t->miss + c->zone_area_outside[z];
    res->total_valid += t->valid;
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
                    (long)j->plan.nstrips);
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

/* Threads to use: as asked, at most one per task, and few enough that
 * the windows held at once stay within STRIP_BUDGET. */
static int thread_count(const job *j, int want, cb_err *e) {
  int nth = cb_zonal_threads(want, e);
  if (nth < 0) return -1;
  if ((size_t)nth > j->plan.ntasks) nth = j->plan.ntasks > 0 ? (int)j->plan.ntasks : 1;
  size_t sb = j->plan.max_cells * (cb_raster_raw_size(j->r) +
                                   (j->wr ? cb_raster_raw_size(j->wr) : 0));
  if (sb > 0 && (size_t)nth * sb > STRIP_BUDGET)
    nth = STRIP_BUDGET / sb > 1 ? (int)(STRIP_BUDGET / sb) : 1;
  return nth;
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
  atomic_init(&j.next, 0), atomic_init(&j.done, 0), atomic_init(&j.failed, 0);
  pthread_mutex_init(&j.lock, NULL);
  int rc = -1, nth;
  if (zplan_build(&j.plan, c, r, o->strip_rows)) {
    cb_err_set(e, "out of memory planning the pass over %zu rows", c->nrows);
    goto done;
  }
  j.outs = calloc(j.plan.nstrips ? j.plan.nstrips : 1, sizeof *j.outs);
  j.tot = malloc((c->nzones ? c->nzones : 1) * sizeof *j.tot);
  if (!j.outs || !j.tot || alloc_result(out, c->nzones)) {
    cb_err_set(e, "out of memory");
    goto done;
  }
  for (size_t z = 0; z < c->nzones; z++)
    j.tot[z] = (total){.mn = INFINITY, .mx = -INFINITY};
  if ((nth = thread_count(&j, o->threads, e)) < 0 || run(&j, nth, e)) goto done;
  fill_result(&j, out);
  rc = 0;
done:
  for (size_t s = 0; j.outs && s < j.plan.nstrips; s++) free(j.outs[s].p);
  free(j.outs);
  free(j.tot);
  zplan_free(&j.plan);
  pthread_mutex_destroy(&j.lock);
  if (rc) cb_zonal_free(out);
  return rc;
}

void cb_zonal_cover_area(const cb_coverage *c, const double *row_areas,
                         double min_coverage, double *out) {
  float minc = (float)min_coverage;
  memset(out, 0, c->nzones * sizeof *out);
  for (size_t u = 0; u < c->nrows; u++)
    for (size_t i = c->row_off[u]; i < c->row_off[u + 1]; i++) {
      const cb_span *sp = &c->spans[i];
      if (sp->w >= minc) out[sp->zone] += (double)sp->w * (sp->x1 - sp->x0) * row_areas[u];
    }
}
