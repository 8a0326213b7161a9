/* The parallel loop over independent jobs (the spatial kernels, several
 * rasters' zonal passes at once): jobs 0..n-1 are handed
 * out one at a time to a fixed set of threads; each job must write only
 * its own results (or add integers into per-thread slots), so the outcome
 * never depends on the thread count. */
#ifndef CB_PAR_H
#define CB_PAR_H

#include <stddef.h>

/* The threads for njobs jobs: cb_threads(want) capped at njobs (>= 1);
 * -1 with e filled when CBAL_THREADS is not a whole number. */
#include "cb.h"
int cb_par_threads(int want, size_t njobs, cb_err *e);

/* Runs fn(ctx, job, thread) for every job on `threads` threads (thread 0 is
 * the caller). Returns 0; a thread that cannot be started leaves its share
 * to the others. */
typedef void (*cb_par_fn)(void *ctx, size_t job, int thread);
int cb_par_run(int threads, size_t njobs, cb_par_fn fn, void *ctx);

#endif
