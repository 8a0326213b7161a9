/* Terminal progress bar for long native work. */
#include "progress.h"

#include "cb.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void cb_progress_start(cb_progress *p, const char *label, double total) {
  p->label = label;
  p->total = total > 0 ? total : 1;
  p->active = isatty(STDERR_FILENO) && !cb_quiet();
  p->last = -1;
}

void cb_progress_update(cb_progress *p, double done) {
  if (!p->active) return;
  int pm = (int)(1000.0 * done / p->total);
  if (pm > 1000) pm = 1000;
  if (pm / 5 == p->last / 5) return;
  p->last = pm;
  char bar[41];
  int fill = pm * 40 / 1000;
  for (int i = 0; i < 40; i++) bar[i] = i < fill ? '#' : '.';
  bar[40] = 0;
  fprintf(stderr, "\r%s [%s] %5.1f%%", p->label, bar, pm / 10.0);
  fflush(stderr);
}

void cb_progress_finish(cb_progress *p) {
  if (!p->active) return;
  cb_progress_update(p, p->total);
  fputs("\n", stderr);
  p->active = 0;
}
