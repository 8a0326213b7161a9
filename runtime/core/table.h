/* Tables in and out through OGR: CSV, XLSX, ODS and GeoPackage (or any OGR
 * vector layer) read into typed columns (table.c); CSV and XLSX written
 * atomically (table_write.c). No Lua here: plain C values and cb_err. */
#ifndef CB_TABLE_H
#define CB_TABLE_H

#include <stddef.h>

#include "cb.h"

/* One column: numeric (num[nrows], NaN = empty cell) or text (str[nrows],
 * "" for an empty cell). */
typedef struct cb_column {
  char *name;
  int is_num;
  double *num;
  char **str;
} cb_column;

typedef struct cb_table {
  size_t ncols, nrows;
  cb_column *cols;
  size_t *rowno; /* per data row: its row number as the file shows it (a
                    spreadsheet's row; a CSV's record counting the header;
                    a typed layer's feature position); NULL when written */
} cb_table;

/* Reading options; a zeroed struct (plus header = 1) reads every column of
 * the first sheet. Name lists are NULL-terminated arrays (or NULL). */
typedef struct cb_table_read_opts {
  const char *sheet;          /* sheet/layer name, or NULL */
  int sheet_index;            /* 1-based; used when sheet is NULL, 0 = first */
  const char *const *fields;  /* columns to read, in this order */
  const char *const *numeric; /* columns that must be numeric */
  const char *const *text;    /* columns kept as text */
  int header;                 /* first row holds the names (not for GPKG) */
  const char *encoding;       /* text encoding of the cells (e.g. "GBK"),
                                 recoded to UTF-8; NULL = UTF-8 expected */
} cb_table_read_opts;

/* Reads one sheet/layer of `path` into t (zeroed first; free with
 * cb_table_free, also after a failure). CSV, XLSX and ODS cells are read as
 * text and typed here: a column is numeric when every non-empty cell parses
 * as a number (decimal, optional exponent, inf). Typed formats (GPKG, DBF,
 * ...) keep their field types. Text that is not valid UTF-8 (without
 * o->encoding) fails naming the row and column and suggesting an encoding,
 * never comes back garbled. Fails with a message naming the file, and the
 * sheet, row (as a spreadsheet shows it) or column when relevant. */
int cb_table_read(const char *path, const cb_table_read_opts *o, cb_table *t,
                  cb_err *e);

/* Frees everything t owns and zeroes it; safe on a zeroed or freed table. */
void cb_table_free(cb_table *t);

/* The sheet (layer) names of `path` in file order, as a malloc'ed array of
 * malloc'ed strings in *names with *n entries; free with cb_table_names_free.
 */
int cb_table_sheets(const char *path, char ***names, size_t *n, cb_err *e);
void cb_table_names_free(char **names, size_t n);

/* Writes t to `path` as CSV or XLSX (by extension, case-insensitive),
 * through a temporary file beside it that is renamed over `path` on success
 * and removed on failure. Columns are written in t's order; NaN as an empty
 * cell; numbers in shortest round-trip form. `sheet` names the XLSX sheet
 * (NULL = "Sheet1"; ignored for CSV). `bom` starts a CSV with a UTF-8
 * byte-order mark, so that Excel in a Chinese (or any non-UTF-8) locale
 * reads its text as UTF-8; ignored for XLSX. The strings of t are only read. */
int cb_table_write(const char *path, const cb_table *t, const char *sheet,
                   int bom, cb_err *e);

/* A growing byte buffer: p holds n bytes and a NUL after them. */
typedef struct cb_sbuf {
  char *p;
  size_t n, cap;
} cb_sbuf;

/* Appends the n bytes at s; -1 when out of memory (b unchanged). */
int cb_sbuf_add(cb_sbuf *b, const char *s, size_t n);

/* The CSV text of t (GDAL's CSV format: fields holding , " ; tab CR or LF
 * quoted, LF line ends, a lone empty cell as "", a UTF-8 BOM first when
 * bom) written to the (GDAL) file `tmp`; cb_table_write's CSV path. */
int cb_table_write_csv(const char *tmp, const cb_table *t, int bom, cb_err *e);

/* Formats v in the shortest form that reads back as exactly v ("inf",
 * "-inf", "nan" for non-finite values) into buf (at least 32 bytes). */
void cb_table_fmtnum(double v, char *buf, size_t len);

/* Parses a whole cell as a number: optional surrounding blanks, decimal
 * notation with optional exponent, or inf/infinity (any case, signed).
 * Returns 1 and sets *v on success, 0 otherwise (hex, nan, "1,234", ""). */
int cb_table_parsenum(const char *s, double *v);

#endif
