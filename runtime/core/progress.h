/* Progress of long native work on stderr: a bar redrawn with \r on a
 * terminal; plain lines at 25 %, 50 %, 75 % and 100 % when stderr is a file
 * or a pipe (a log); nothing when CBAL_QUIET is set. Single-threaded use:
 * call from the thread that drives the work. */
#ifndef CB_PROGRESS_H
#define CB_PROGRESS_H

typedef struct cb_progress {
  const char *label;
  double total;
  int active;   /* drawing a bar on a terminal */
  int lines;    /* writing plain lines to a log */
  int last;     /* last drawn permille (bar) or quarter (lines) */
} cb_progress;

void cb_progress_start(cb_progress *p, const char *label, double total);
void cb_progress_update(cb_progress *p, double done);
/* The work is done: the bar or the lines reach 100 %. Idempotent. */
void cb_progress_finish(cb_progress *p);
/* The work stopped (an error): ends the bar's line without claiming
 * 100 %. Idempotent. */
void cb_progress_abandon(cb_progress *p);

#endif
