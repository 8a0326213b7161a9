/* Progress of long native work: a bar on a terminal, plain lines in logs. */
#include "progress.h"

#include "cb.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void cb_progress_start(cb_progress *p, const char *label, double total) {
  p->label = label;
  p->total = total > 0 ? total : 1;
  int quiet = cb_quiet(), tty = isatty(STDERR_FILENO);
  p->active = !quiet && tty;
  p->lines = !quiet && !tty;
  p->last = p->active ? -1 : 0;
}

/* A log gets one line per quarter reached; never a \r. */
static void log_line(cb_progress *p, double done) {
  int q = (int)(4.0 * done / p->total);
  if (q > 4) q = 4;
  if (q <= p->last) return;
  p->last = q;
  fprintf(stderr, "%s: %d%%\n", p->label, q * 25);
  fflush(stderr);
}

void cb_progress_update(cb_progress *p, double done) {
  if (p->lines) log_line(p, done);
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
  if (p->lines) log_line(p, p->total);
  p->lines = 0;
  if (!p->active) return;
  cb_progress_update(p, p->total);
  fputs("\n", stderr);
  p->active = 0;
}

void cb_progress_abandon(cb_progress *p) {
  p->lines = 0;
  if (!p->active) return;
  fputs("\n", stderr);
  p->active = 0;
}
