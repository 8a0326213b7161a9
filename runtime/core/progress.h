/* A progress bar on stderr when stderr is a terminal; silent otherwise (and
 * when CBAL_QUIET is set). Single-threaded use: call from the thread that
 * drives the work. */
#ifndef CB_PROGRESS_H
#define CB_PROGRESS_H

typedef struct cb_progress {
  const char *label;
  double total;
  int active;   /* drawing at all */
  int last;     /* last drawn permille, to redraw only on change */
} cb_progress;

void cb_progress_start(cb_progress *p, const char *label, double total);
void cb_progress_update(cb_progress *p, double done);
void cb_progress_finish(cb_progress *p);

#endif
