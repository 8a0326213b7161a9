/* Shared by the zonal statistics bindings: the parsed request (l_zonal.c),
 * the result table (l_zonal_out.c) and Lua functions as statistics
 * (l_zonal_fn.c). */
#ifndef L_ZONAL_H
#define L_ZONAL_H

#include <lua.h>
#include <stddef.h>

#include "core/raster.h"
#include "core/zonal.h"

enum {
  K_COUNT, K_SUM, K_MEAN, K_MIN, K_MAX, K_STDEV, K_VARIANCE, K_CV, K_WEIGHT,
  K_WSUM, K_WMEAN, K_WSTDEV, K_WVARIANCE, K_COVAREA, K_MEDIAN, K_QUANTILE,
  K_MODE, K_MINORITY, K_VARIETY, K_FRAC, K_WFRAC, K_UNIQUE, K_FN
};

#define F_WEIGHTS 1 /* needs the weights option */
#define F_USESW 2   /* uses the weights when given */
#define F_AREAS 4   /* needs true cell areas */
#define F_VALUES 8  /* mode, minority, variety */
#define F_HIST 16   /* keeps each zone's histogram */
#define F_Q 32      /* a quantile */

/* frac and weighted_frac make a column per distinct value: at most this
 * many (they are for class rasters) */
#define MAX_CLASSES 1000

/* One asked statistic: its kind, column name, q (quantiles), and for
 * functions the stack index of the function and of its result array. */
typedef struct {
  int kind, flags;
  char col[64];
  double q;
  int fn, out;
} req;

/* Pushes {columns = {...}, <column> = array (a list of lists for unique),
 * ..., cells, valid, missing}; area is coverage_area's column. */
void cbL_zonal_push(lua_State *L, const cb_zonal_result *res, const req *rq,
                    size_t nreq, const double *area, int weighted,
                    const cb_raster *r);

/* The Lua functions of a pass: called by the engine once per zone. */
typedef struct fnctx {
  lua_State *L;
  int fns;            /* stack index of the list of functions */
  const req **fn;     /* their requests */
  double **out;       /* their result arrays */
  size_t nfn, cur;    /* cur: the function running, for messages */
  size_t zone, n;
  const double *v, *c, *w;
} fnctx;

/* Sets up the functions among the requests (their list and result arrays
 * go on the stack; each request's out becomes its array's stack index) and
 * points the engine's options at them. */
void cbL_zonal_fns(lua_State *L, req *rq, size_t nreq, size_t nzones,
                   fnctx *x, cb_zonal_opts *o);

#endif
