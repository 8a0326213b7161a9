/* Outputs appear whole or not at all: every output file is written to a
 * temporary file beside its target, each write and the close are checked,
 * and only a file written without error is renamed over the target. */
#ifndef CB_ATOMIC_H
#define CB_ATOMIC_H

#include <stddef.h>
#include <stdio.h>

#include "cb.h"

/* An output file being written. Fill it with cb_out_open, then
 * cb_out_write, then cb_out_commit (or cb_out_abort). */
typedef struct cb_out {
  FILE *f;
  int err;            /* errno of the first failed write, 0 if none */
  int inject;         /* CB_FAIL_* from the test hook */
  const char *target; /* borrowed: must outlive the cb_out */
  char tmp[4200];
} cb_out;

/* Creates the temporary file for target, e.g. "out/.fig5.12345-1.tmp.pdf"
 * (same folder, same extension). Fails naming the folder when it does not
 * exist or is not writable. */
int cb_out_open(cb_out *o, const char *target, cb_err *e);

/* Appends n bytes. Returns 0, or -1 when this or an earlier write failed;
 * the failure is kept and reported by cb_out_commit. */
int cb_out_write(cb_out *o, const void *p, size_t n);

/* Flushes and closes the temporary file, checking both, then renames it
 * over the target. On any failure (of a write, the flush, the close or the
 * rename) removes the temporary file and fills e with "cannot write
 * <target>: <reason>"; the previous target is left untouched. */
int cb_out_commit(cb_out *o, cb_err *e);

/* Closes and removes the temporary file (after another failure). */
void cb_out_abort(cb_out *o);

/* cb_out_open + cb_out_write + cb_out_commit of one buffer. */
int cb_out_file(const char *target, const void *p, size_t n, cb_err *e);

/* Test hook: the next output file opened fails with ENOSPC ("No space left
 * on device") at its first write (CB_FAIL_WRITE) or at its close
 * (CB_FAIL_CLOSE), as on a full disk. Not thread-safe; for tests only. */
enum { CB_FAIL_NONE, CB_FAIL_WRITE, CB_FAIL_CLOSE };
void cb_out_fail_next(int how);

/* Creates a new folder named prefix + 6 random characters, exclusively
 * (mkdtemp: never an existing folder, whatever the address randomisation),
 * mode 0700, and copies its path into out. Fails naming the parent folder. */
int cb_atomic_mkdtemp(const char *prefix, char *out, size_t outlen, cb_err *e);

/* Creates folder path and its missing parents (mkdir -p); an existing
 * folder is fine. Fails naming the folder that could not be made and why,
 * or path when it exists and is not a folder. */
int cb_mkdirs(const char *path, cb_err *e);

/* Swaps the paths a and b in one step (renameat2 RENAME_EXCHANGE): both
 * must exist. Returns 0 when swapped, 1 when the kernel or the file system
 * cannot exchange (nothing changed; the caller falls back to renames), -1
 * with e filled on any other failure. */
int cb_atomic_exchange(const char *a, const char *b, cb_err *e);

#endif
