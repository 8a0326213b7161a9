/* How many threads to use: an explicit count, else CBAL_THREADS, else the
 * online cores; one parser so every native function reads the variable
 * the same way. */
#ifndef CB_THREADS_H
#define CB_THREADS_H

#include "cb.h"

/* want > 0: want; else CBAL_THREADS when set, else the online cores;
 * clamped to 1..cap. -1 with e filled when CBAL_THREADS is set to
 * anything but a whole number from 1 (cap does not bound what is
 * accepted, only what is used). */
int cb_threads(int want, int cap, cb_err *e);

#endif
