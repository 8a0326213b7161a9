/* The parallel loop over independent jobs: an atomic job counter shared
 * by a fixed set of threads. */
#include <pthread.h>
#include <stdatomic.h>

#include "par.h"
#include "threads.h"

int cb_par_threads(int want, size_t njobs, cb_err *e) {
  int t = cb_threads(want, 64, e);
  if (t < 0) return -1;
  if ((size_t)t > njobs) t = njobs ? (int)njobs : 1;
  return t;
}

typedef struct {
  atomic_size_t next;
  size_t njobs;
  cb_par_fn fn;
  void *ctx;
} loop;

typedef struct {
  loop *l;
  int id;
  pthread_t th;
} worker;

static void *work(void *arg) {
  worker *w = arg;
  for (;;) {
    size_t j = atomic_fetch_add(&w->l->next, 1);
    if (j >= w->l->njobs) break;
    w->l->fn(w->l->ctx, j, w->id);
  }
  return NULL;
}

int cb_par_run(int threads, size_t njobs, cb_par_fn fn, void *ctx) {
  loop l = {.njobs = njobs, .fn = fn, .ctx = ctx};
  atomic_init(&l.next, 0);
  worker w[64];
  if (threads > 64) threads = 64;
  if (threads < 1) threads = 1;
  int started[64] = {0};
  for (int t = 1; t < threads; t++) {
    w[t] = (worker){&l, t, 0};
    started[t] = pthread_create(&w[t].th, NULL, work, &w[t]) == 0;
  }
  w[0] = (worker){&l, 0, 0};
  work(&w[0]);
  for (int t = 1; t < threads; t++)
    if (started[t]) pthread_join(w[t].th, NULL);
  return 0;
}
