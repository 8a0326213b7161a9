/* Internal to the zonal engine: the plan of a pass, i.e. which windows of
 * the raster are read (strips) and which strips one thread takes in a row
 * (tasks), built from the coverage's rows alone. */
#ifndef CB_ZONAL_INT_H
#define CB_ZONAL_INT_H

#include <stddef.h>
#include <stdint.h>

#include "coverage.h"
#include "raster.h"

/* Strips hold about this many cells; a block row larger than 16 times
 * this is split into strips of this size (the block stays cached until
 * its last strip is done). */
#define ZSTRIP_CELLS (1 << 20)

/* One strip: the window read (rows y0..y1-1, columns x0..x1-1, which hold
 * every span of the coverage rows u0..u1-1). */
typedef struct zstrip {
  int y0, y1, x0, x1;
  size_t u0, u1;
} zstrip;

typedef struct zplan {
  zstrip *strips;  /* only strips with spans, in row order */
  size_t nstrips;
  size_t *task;    /* task t: strips task[t] .. task[t + 1] - 1 */
  size_t ntasks;
  size_t max_cells; /* the largest window, in cells */
  int max_width;    /* the widest window */
} zplan;

/* Plans a pass of raster r over coverage c: strips of strip_rows rows
 * (0: about ZSTRIP_CELLS cells, a whole number of the raster's block rows)
 * cut to the rows and columns that have spans; a task is one strip, or
 * every strip of one block row when block rows are larger. Memory grows
 * with the coverage's rows, not the raster. -1 when out of memory. */
int zplan_build(zplan *p, const cb_coverage *c, const cb_raster *r,
                int strip_rows);
void zplan_free(zplan *p);

#endif
