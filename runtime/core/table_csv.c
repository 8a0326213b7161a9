/* CSV tables written directly, in the text GDAL's CSV driver writes
 * (STRING_QUOTING=IF_NEEDED, LF line ends, optional BOM), without a GDAL
 * feature per row; the rows are formatted by several threads. */
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "gdalx.h"
#include "table.h"
#include "threads.h"

#define MAX_THREADS 8
#define ROWS_PER_THREAD 256 /* fewer rows per thread are not worth one */

/* Room for `more` bytes and the NUL after them; -1 when out of memory. */
static int reserve(cb_sbuf *b, size_t more) {
  if (b->n + more + 1 <= b->cap) return 0;
  size_t cap = b->cap ? 2 * b->cap : 4096;
  while (cap < b->n + more + 1) cap *= 2;
  char *p = realloc(b->p, cap);
  if (!p) return -1;
  b->p = p, b->cap = cap;
  return 0;
}

int cb_sbuf_add(cb_sbuf *b, const char *s, size_t n) {
  if (reserve(b, n)) return -1;
  if (n) memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = 0;
  return 0;
}

/* One field: quoted (quotes doubled) when it holds , " ; tab CR or LF, as
 * GDAL's CSV escaping does. */
static int put_field(cb_sbuf *b, const char *s) {
  size_t n = strlen(s);
  if (!s[strcspn(s, ",\";\t\r\n")]) return cb_sbuf_add(b, s, n);
  if (reserve(b, 2 * n + 2)) return -1;
  b->p[b->n++] = '"';
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '"') b->p[b->n++] = '"';
    b->p[b->n++] = s[i];
  }
  b->p[b->n++] = '"';
  b->p[b->n] = 0;
  return 0;
}

typedef struct part {
  const cb_table *t;
  size_t r0, r1;
  cb_sbuf out;
  int failed;     /* 1: out of memory; 2: text not UTF-8 at (bad_r, bad_c) */
  size_t bad_r, bad_c;
  pthread_t th;
} part;

/* Formats rows r0..r1-1 of the table into p->out. */
static void *format_rows(void *arg) {
  part *p = arg;
  const cb_table *t = p->t;
  int one = t->ncols == 1;
  char num[40];
  for (size_t r = p->r0; r < p->r1 && !p->failed; r++) {
    size_t start = p->out.n;
    for (size_t c = 0; c < t->ncols && !p->failed; c++) {
      const cb_column *col = &t->cols[c];
      const char *v = NULL;
      if (c && cb_sbuf_add(&p->out, ",", 1)) p->failed = 1;
      if (col->is_num) {
        if (!isnan(col->num[r])) cb_table_fmtnum(col->num[r], num, sizeof num), v = num;
      } else if (col->str[r] && *col->str[r]) {
        v = col->str[r];
        if (!CPLIsUTF8(v, -1)) p->failed = 2, p->bad_r = r, p->bad_c = c;
      }
      if (!p->failed && v && put_field(&p->out, v)) p->failed = 1;
    }
    /* an empty line would read as no row: a lone empty cell is "" */
    if (!p->failed && one && p->out.n == start && cb_sbuf_add(&p->out, "\"\"", 2)) p->failed = 1;
    if (!p->failed && cb_sbuf_add(&p->out, "\n", 1)) p->failed = 1;
  }
  return NULL;
}

static int header(cb_sbuf *b, const cb_table *t, int bom, cb_err *e) {
  if (bom && cb_sbuf_add(b, "\xEF\xBB\xBF", 3)) return cb_err_set(e, "out of memory");
  for (size_t c = 0; c < t->ncols; c++) {
    const char *name = t->cols[c].name;
    if (!CPLIsUTF8(name, -1)) {
      char s[200];
      return cb_err_set(e, "column name '%s' is not UTF-8 text",
                        cb_err_bytes(name, s, sizeof s));
    }
    if ((c && cb_sbuf_add(b, ",", 1)) || put_field(b, name))
      return cb_err_set(e, "out of memory");
  }
  if (t->ncols == 1 && !*t->cols[0].name && cb_sbuf_add(b, "\"\"", 2))
    return cb_err_set(e, "out of memory");
  return cb_sbuf_add(b, "\n", 1) ? cb_err_set(e, "out of memory") : 0;
}

/* The rows, split among threads; their texts follow the header in b. */
static int rows(cb_sbuf *b, const cb_table *t, cb_err *e) {
  cb_err te; /* a bad CBAL_THREADS is for the passes that read it: one thread */
  int nth = cb_threads(0, MAX_THREADS, &te);
  size_t most = t->nrows / ROWS_PER_THREAD;
  if (nth < 1) nth = 1;
  if ((size_t)nth > most) nth = most > 1 ? (int)most : 1;
  part p[MAX_THREADS];
  memset(p, 0, sizeof p);
  for (int i = 0; i < nth; i++) {
    p[i].t = t;
    p[i].r0 = t->nrows * (size_t)i / (size_t)nth;
    p[i].r1 = t->nrows * (size_t)(i + 1) / (size_t)nth;
  }
  int started = 1;
  while (started < nth && !pthread_create(&p[started].th, NULL, format_rows, &p[started]))
    started++;
  format_rows(&p[0]);
  for (int i = started; i < nth; i++) format_rows(&p[i]); /* no thread for it */
  for (int i = 1; i < started; i++) pthread_join(p[i].th, NULL);
  int rc = 0;
  for (int i = 0; i < nth; i++) {
    if (!rc && p[i].failed == 2) {
      char s[200];
      const cb_column *col = &t->cols[p[i].bad_c];
      rc = cb_err_set(e, "column '%s', row %zu: '%s' is not UTF-8 text "
                      "(read from a file in another encoding? read it with "
                      "encoding = \"GBK\" or the file's encoding)",
                      col->name, p[i].bad_r + 1,
                      cb_err_bytes(col->str[p[i].bad_r], s, sizeof s));
    }
    if (!rc && (p[i].failed || cb_sbuf_add(b, p[i].out.p, p[i].out.n)))
      rc = cb_err_set(e, "out of memory");
    free(p[i].out.p);
  }
  return rc;
}

int cb_table_write_csv(const char *tmp, const cb_table *t, int bom, cb_err *e) {
  cb_sbuf b = {0};
  int rc = header(&b, t, bom, e);
  if (!rc) rc = rows(&b, t, e);
  if (!rc) {
    VSILFILE *f = VSIFOpenL(tmp, "wb");
    int ok = f && VSIFWriteL(b.p, 1, b.n, f) == b.n;
    if (f && VSIFCloseL(f) != 0) ok = 0;
    if (!ok) rc = cb_gdal_fail(e, "cannot write the CSV file");
  }
  free(b.p);
  return rc;
}
