/* Reading tables through OGR: a sheet/layer into typed columns (CSV, XLSX,
 * ODS cells read as text and typed here; GPKG and other OGR layers keep their
 * field types) and sheet lists. Number text: table_num.c. */
#include "table.h"

#include <stdbool.h>

#include <cpl_conv.h>
#include <cpl_csv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gdalx.h"

/* ---- small helpers */

static const char *basename_of(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

static int in_list(const char *const *list, const char *name) {
  for (size_t i = 0; list && list[i]; i++)
    if (strcmp(list[i], name) == 0) return 1;
  return 0;
}

/* Appends "a, b, c" (names quoted) to buf, truncating with ", ..." */
static void join_names(char *buf, size_t len, char *const *names, size_t n) {
  size_t used = strlen(buf);
  for (size_t i = 0; i < n; i++) {
    int w = snprintf(buf + used, len - used, "%s'%s'", i ? ", " : "", names[i]);
    if (w < 0 || used + (size_t)w >= len - 8) {
      snprintf(buf + used, len - used, ", ...");
      return;
    }
    used += (size_t)w;
  }
}

/* Spreadsheet column letters for 0-based index i: A..Z, AA.. */
static void col_letters(size_t i, char *buf) {
  char tmp[16];
  int n = 0;
  i++;
  while (i > 0 && n < 15) {
    tmp[n++] = (char)('A' + (i - 1) % 26);
    i = (i - 1) / 26;
  }
  for (int k = 0; k < n; k++) buf[k] = tmp[n - 1 - k];
  buf[n] = 0;
}

void cb_table_free(cb_table *t) {
  if (!t) return;
  for (size_t c = 0; c < t->ncols && t->cols; c++) {
    cb_column *col = &t->cols[c];
    free(col->name);
    free(col->num);
    if (col->str)
      for (size_t r = 0; r < t->nrows; r++) free(col->str[r]);
    free(col->str);
  }
  free(t->cols);
  free(t->rowno);
  memset(t, 0, sizeof *t);
}

void cb_table_names_free(char **names, size_t n) {
  for (size_t i = 0; names && i < n; i++) free(names[i]);
  free(names);
}

/* ---- opening */

typedef enum { K_CSV, K_SHEET, K_TYPED } kind;

/* The spreadsheet drivers of GDAL 3.6 take their header and typing choices
 * from config options, consulted while the sheet is parsed (lazily), so they
 * stay set for the whole read and are restored afterwards. So does the
 * column limit of the CSV and ODS drivers (2000 by default). */
#define MAX_COLUMNS "100000"

typedef struct cfg_save {
  int n;
  char *name[3];
  char *old[3];
} cfg_save;

static void cfg_push(cfg_save *s, const char *key, const char *val) {
  const char *o = CPLGetThreadLocalConfigOption(key, NULL);
  s->name[s->n] = CPLStrdup(key);
  s->old[s->n] = o ? CPLStrdup(o) : NULL;
  s->n++;
  CPLSetThreadLocalConfigOption(key, val);
}

static void cfg_set(cfg_save *s, const char *drv, int sheet) {
  memset(s, 0, sizeof *s);
  char k[64];
  snprintf(k, sizeof k, "OGR_%s_MAX_FIELD_COUNT", drv);
  cfg_push(s, k, MAX_COLUMNS);
  if (!sheet) return;
  snprintf(k, sizeof k, "OGR_%s_HEADERS", drv);
  cfg_push(s, k, "DISABLE");
  snprintf(k, sizeof k, "OGR_%s_FIELD_TYPES", drv);
  cfg_push(s, k, "STRING");
}

static void cfg_restore(cfg_save *s) {
  for (int i = 0; i < s->n; i++) {
    CPLSetThreadLocalConfigOption(s->name[i], s->old[i]);
    CPLFree(s->name[i]);
    CPLFree(s->old[i]);
  }
  memset(s, 0, sizeof *s);
}

typedef struct source {
  GDALDatasetH ds;
  kind k;
  cfg_save cfg;
  char mem[4200]; /* /vsimem/ copy of a one-column CSV, or "" */
} source;

static void source_close(source *s) {
  if (s->ds) GDALClose(s->ds);
  s->ds = NULL;
  cfg_restore(&s->cfg);
  if (s->mem[0]) VSIUnlink(s->mem);
  s->mem[0] = 0;
}

/* GDAL 3.6's CSV driver refuses a file whose first line has no separator,
 * i.e. every one-column CSV (fixed in GDAL 3.7). Such a file is opened from
 * an in-memory copy whose first line ends in a comma; the empty column this
 * adds is dropped by grid_read. */
static GDALDatasetH open_one_column_csv(source *s, const char *path,
                                        const char *const *oo) {
  static unsigned long seq;
  GByte *data = NULL;
  vsi_l_offset size = 0;
  if (!VSIIngestFile(NULL, path, &data, &size, (vsi_l_offset)1 << 31))
    return NULL;
  size_t n = (size_t)size, eol = 0;
  while (eol < n && data[eol] != '\n' && data[eol] != '\r') eol++;
  if (memchr(data, ',', eol) || memchr(data, ';', eol) ||
      memchr(data, '\t', eol)) {
    VSIFree(data);
    return NULL;
  }
  GByte *copy = VSIMalloc(n + 2);
  if (!copy) {
    VSIFree(data);
    return NULL;
  }
  memcpy(copy, data, eol);
  copy[eol] = ',';
  memcpy(copy + eol + 1, data + eol, n - eol);
  VSIFree(data);
  /* same base name, so the layer keeps the file's name */
  snprintf(s->mem, sizeof s->mem, "/vsimem/cbal_table_%lu/%s",
           __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED), basename_of(path));
  VSILFILE *fp = VSIFileFromMemBuffer(s->mem, copy, n + 1, TRUE);
  if (!fp) {
    VSIFree(copy);
    s->mem[0] = 0;
    return NULL;
  }
  VSIFCloseL(fp);
  const char *only[2] = {"CSV", NULL};
  return GDALOpenEx(s->mem, GDAL_OF_VECTOR | GDAL_OF_READONLY, only, oo, NULL);
}

static int source_open(source *s, const char *path, cb_err *e) {
  memset(s, 0, sizeof *s);
  cb_gdal_init();
  VSIStatBufL st;
  if (VSIStatL(path, &st) != 0) return cb_err_set(e, "%s: no such file", path);
  if (VSI_ISDIR(st.st_mode))
    return cb_err_set(e, "%s: is a folder, expected a table file", path);
  GDALDriverH drv = GDALIdentifyDriverEx(path, GDAL_OF_VECTOR, NULL, NULL);
  if (!drv) {
    CPLErrorReset();
    return cb_err_set(e,
                      "%s: not a table GDAL can read (use CSV, XLSX, ODS "
                      "or GeoPackage)",
                      path);
  }
  const char *name = GDALGetDriverShortName(drv);
  const char *only[2] = {name, NULL};
  const char *csv_oo[] = {"HEADERS=NO", NULL};
  s->k = strcmp(name, "CSV") == 0                                  ? K_CSV
         : (strcmp(name, "XLSX") == 0 || strcmp(name, "ODS") == 0) ? K_SHEET
                                                                   : K_TYPED;
  if (s->k != K_TYPED) cfg_set(&s->cfg, name, s->k == K_SHEET);
  s->ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, only,
                     s->k == K_CSV ? csv_oo : NULL, NULL);
  if (!s->ds && s->k == K_CSV) {
    CPLErrorReset();
    s->ds = open_one_column_csv(s, path, csv_oo);
  }
  if (!s->ds) {
    source_close(s);
    char what[1200];
    snprintf(what, sizeof what, "%s: cannot read as %s", path, name);
    return cb_gdal_fail(e, what);
  }
  return 0;
}

static int layer_names(GDALDatasetH ds, char ***names, size_t *n, cb_err *e) {
  int nl = GDALDatasetGetLayerCount(ds);
  *n = 0;
  *names = calloc(nl > 0 ? (size_t)nl : 1, sizeof **names);
  if (!*names) return cb_err_set(e, "out of memory");
  for (int i = 0; i < nl; i++) {
    (*names)[i] = strdup(OGR_L_GetName(GDALDatasetGetLayer(ds, i)));
    if (!(*names)[i]) return cb_err_set(e, "out of memory");
    (*n)++;
  }
  return 0;
}

int cb_table_sheets(const char *path, char ***names, size_t *n, cb_err *e) {
  source s;
  *names = NULL;
  *n = 0;
  if (source_open(&s, path, e)) return -1;
  int rc = layer_names(s.ds, names, n, e);
  source_close(&s);
  if (rc) {
    cb_table_names_free(*names, *n);
    *names = NULL;
    *n = 0;
  }
  return rc;
}

static OGRLayerH pick_layer(GDALDatasetH ds, const char *path,
                            const cb_table_read_opts *o, cb_err *e) {
  int nl = GDALDatasetGetLayerCount(ds);
  OGRLayerH lyr = NULL;
  if (o->sheet) {
    for (int i = 0; i < nl && !lyr; i++)
      if (strcmp(OGR_L_GetName(GDALDatasetGetLayer(ds, i)), o->sheet) == 0)
        lyr = GDALDatasetGetLayer(ds, i);
  } else {
    int i = o->sheet_index > 0 ? o->sheet_index - 1 : 0;
    if (i < nl) lyr = GDALDatasetGetLayer(ds, i);
  }
  if (lyr) return lyr;
  char **names = NULL;
  size_t n = 0;
  char list[700] = "";
  if (layer_names(ds, &names, &n, e) == 0)
    join_names(list, sizeof list, names, n);
  cb_table_names_free(names, n);
  if (o->sheet)
    cb_err_set(e, "%s: no sheet '%s' (sheets: %s)", path, o->sheet, list);
  else
    cb_err_set(e, "%s: no sheet %d, the file has %d (sheets: %s)", path,
               o->sheet_index, nl, list);
  return NULL;
}

/* ---- the raw grid */

/* Cells as read: s[r*nf + f] is the text (NULL = empty); for fields numeric
 * in a typed file, d[r*nf + f] holds the value instead (NaN = null). */
typedef struct grid {
  size_t nf, nr, cap;
  char **s;
  double *d;
  int *native;
  char **fname;
  size_t *rowno;
} grid;

static void grid_free(grid *g) {
  for (size_t i = 0; g->s && i < g->nr * g->nf; i++) free(g->s[i]);
  for (size_t f = 0; g->fname && f < g->nf; f++) free(g->fname[f]);
  free(g->s);
  free(g->d);
  free(g->native);
  free(g->fname);
  free(g->rowno);
  memset(g, 0, sizeof *g);
}

static int grid_grow(grid *g) {
  size_t cap = g->cap ? g->cap * 2 : 64;
  char **s = realloc(g->s, cap * (g->nf ? g->nf : 1) * sizeof *s);
  if (!s) return -1;
  g->s = s;
  double *d = realloc(g->d, cap * (g->nf ? g->nf : 1) * sizeof *d);
  if (!d) return -1;
  g->d = d;
  size_t *rn = realloc(g->rowno, cap * sizeof *rn);
  if (!rn) return -1;
  g->rowno = rn;
  g->cap = cap;
  return 0;
}

static int is_native_num(OGRFieldType t) {
  return t == OFTInteger || t == OFTInteger64 || t == OFTReal;
}

static int row_empty(const grid *g, size_t r) {
  for (size_t f = 0; f < g->nf; f++)
    if (g->s[r * g->nf + f]) return 0;
  return 1;
}

/* A malloc'ed UTF-8 copy of v: recoded from enc when given, else checked.
 * NULL with *bad = 1 when v is not UTF-8 (or not valid in enc). */
static char *utf8_dup(const char *v, const char *enc, int *bad) {
  *bad = 0;
  if (!enc) {
    if (!CPLIsUTF8(v, -1)) {
      *bad = 1;
      return NULL;
    }
    return strdup(v);
  }
  CPLPushErrorHandler(CPLQuietErrorHandler);
  CPLErrorReset();
  char *r = CPLRecode(v, enc, CPL_ENC_UTF8);
  int lossy = CPLGetLastErrorType() != CE_None;
  CPLPopErrorHandler();
  CPLErrorReset();
  char *out = NULL;
  if (r && !lossy && CPLIsUTF8(r, -1)) out = strdup(r);
  else *bad = 1;
  CPLFree(r);
  return out;
}

static int not_utf8(cb_err *e, const char *path, const char *enc,
                    size_t row, size_t col) {
  if (enc)
    return cb_err_set(e, "%s: row %zu, column %zu is not valid %s text (or "
                      "'%s' is not an encoding iconv knows); check the encoding "
                      "option", path, row, col + 1, enc, enc);
  return cb_err_set(e, "%s: row %zu, column %zu is not UTF-8 text (a GBK or "
                    "other legacy encoding?); read it with encoding = \"GBK\" "
                    "or convert the file (iconv -f GBK -t UTF-8)",
                    path, row, col + 1);
}

/* Reads every feature of lyr. Blank rows before and after a sheet's table
 * are dropped (still counted, so rowno stays the row number the file shows);
 * blank rows inside it are rows of missing values. GDAL itself skips blank
 * lines of a CSV. */
static int grid_read(grid *g, OGRLayerH lyr, kind k, size_t maxf,
                     const char *enc, const char *path, cb_err *e) {
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
  g->nf = (size_t)OGR_FD_GetFieldCount(defn);
  if (g->nf > maxf) g->nf = maxf;
  g->native = calloc(g->nf ? g->nf : 1, sizeof *g->native);
  g->fname = calloc(g->nf ? g->nf : 1, sizeof *g->fname);
  if (!g->native || !g->fname) return cb_err_set(e, "out of memory");
  for (size_t f = 0; f < g->nf; f++) {
    OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, (int)f);
    g->native[f] = k == K_TYPED && is_native_num(OGR_Fld_GetType(fd));
    int bad;
    g->fname[f] = utf8_dup(OGR_Fld_GetNameRef(fd), enc, &bad);
    if (bad) return not_utf8(e, path, enc, 1, f);
    if (!g->fname[f]) return cb_err_set(e, "out of memory");
  }
  OGR_L_ResetReading(lyr);
  CPLErrorReset();
  size_t seen = 0;
  OGRFeatureH ft;
  while ((ft = OGR_L_GetNextFeature(lyr)) != NULL) {
    seen++;
    if (g->nr == g->cap && grid_grow(g)) {
      OGR_F_Destroy(ft);
      return cb_err_set(e, "out of memory reading %s", path);
    }
    char **srow = g->s + g->nr * g->nf;
    double *drow = g->d + g->nr * g->nf;
    int any = 0, oom = 0, bad = 0;
    size_t badf = 0;
    for (size_t f = 0; f < g->nf; f++) {
      srow[f] = NULL;
      drow[f] = NAN;
      if (!OGR_F_IsFieldSetAndNotNull(ft, (int)f)) continue;
      if (g->native[f]) {
        drow[f] = OGR_F_GetFieldAsDouble(ft, (int)f);
        any = 1;
        continue;
      }
      const char *v = OGR_F_GetFieldAsString(ft, (int)f);
      if (!v || !*v) continue;
      int b = 0;
      if (!bad && !(srow[f] = utf8_dup(v, enc, &b))) {
        if (b) {
          bad = 1;
          badf = f;
        } else {
          oom = 1;
        }
      }
      any = 1;
    }
    OGR_F_Destroy(ft);
    g->rowno[g->nr] = seen;
    g->nr++; /* counted even when empty so grid_free frees its cells */
    if (oom) return cb_err_set(e, "out of memory reading %s", path);
    if (bad) return not_utf8(e, path, enc, seen, badf);
    if (!any && k == K_SHEET && g->nr == 1) g->nr--; /* leading blank row */
  }
  while (k == K_SHEET && g->nr > 0 && row_empty(g, g->nr - 1)) {
    g->nr--; /* trailing blank rows: formatting, not data */
  }
  if (CPLGetLastErrorType() == CE_Failure) {
    char what[1100];
    snprintf(what, sizeof what, "%s: read failed", path);
    return cb_gdal_fail(e, what);
  }
  return 0;
}

/* ---- columns */

typedef struct colref {
  char *name;
  size_t f;
} colref;

static void refs_free(colref *c, size_t n) {
  for (size_t i = 0; c && i < n; i++) free(c[i].name);
  free(c);
}

static int col_has_data(const grid *g, size_t f, size_t r0) {
  for (size_t r = r0; r < g->nr; r++)
    if (g->native[f] ? !isnan(g->d[r * g->nf + f])
                     : g->s[r * g->nf + f] != NULL)
      return 1;
  return 0;
}

/* The file's columns in order with their names: the header row's cells, or
 * A, B, ... (spreadsheets) / field1, ... (CSV) without a header; the layer's
 * field names for typed formats. Unnamed columns with data take the
 * header-less name; unnamed empty columns are left out. */
static int column_refs(const grid *g, kind k, int header, colref **out,
                       size_t *n, cb_err *e) {
  *n = 0;
  *out = calloc(g->nf ? g->nf : 1, sizeof **out);
  if (!*out) return cb_err_set(e, "out of memory");
  size_t r0 = (header && k != K_TYPED) ? 1 : 0;
  for (size_t f = 0; f < g->nf; f++) {
    const char *name = NULL;
    char auto_name[32];
    if (k == K_CSV)
      snprintf(auto_name, sizeof auto_name, "field%zu", f + 1);
    else
      col_letters(f, auto_name);
    if (k == K_TYPED)
      name = g->fname[f];
    else if (header && g->nr > 0)
      name = g->s[f];
    if (!name || !*name) {
      if (header && k != K_TYPED && !col_has_data(g, f, r0)) continue;
      name = auto_name;
    }
    (*out)[*n].f = f;
    if (!((*out)[*n].name = strdup(name)))
      return cb_err_set(e, "out of memory");
    (*n)++;
  }
  return 0;
}

static void ref_list(char *buf, size_t len, const colref *c, size_t n) {
  char *names[64];
  size_t k = n < 64 ? n : 64;
  for (size_t i = 0; i < k; i++) names[i] = c[i].name;
  buf[0] = 0;
  join_names(buf, len, names, k);
}

/* Picks the columns to read (all, or opts->fields in that order) into sel;
 * fails on a missing or duplicated name. */
static int select_columns(const colref *all, size_t n, const char *path,
                          const cb_table_read_opts *o, size_t **sel,
                          size_t *nsel, cb_err *e) {
  size_t want = 0;
  if (o->fields)
    while (o->fields[want]) want++;
  else
    want = n;
  *nsel = 0;
  *sel = calloc(want ? want : 1, sizeof **sel);
  if (!*sel) return cb_err_set(e, "out of memory");
  char list[700];
  for (size_t w = 0; w < want; w++) {
    const char *name = o->fields ? o->fields[w] : all[w].name;
    size_t hit = n, hit2 = n, hits = 0;
    for (size_t i = 0; i < n; i++)
      if (strcmp(all[i].name, name) == 0) {
        if (!hits++)
          hit = i;
        else if (hits == 2)
          hit2 = i;
      }
    if (!hits) {
      ref_list(list, sizeof list, all, n);
      return cb_err_set(e, "%s: no column '%s' (columns: %s)", path, name,
                        list);
    }
    if (hits > 1)
      return cb_err_set(e,
                        "%s: duplicate column name '%s' (columns %zu and "
                        "%zu); rename one in the file, leave it out of "
                        "fields, or read with header=false",
                        path, name, all[hit].f + 1, all[hit2].f + 1);
    for (size_t i = 0; i < *nsel; i++)
      if ((*sel)[i] == hit)
        return cb_err_set(e, "fields: '%s' is listed twice", name);
    (*sel)[(*nsel)++] = hit;
  }
  return 0;
}

/* Checks that every name in list (option `opt`) is a selected column. */
static int check_names(const char *const *list, const char *opt,
                       const colref *all, const size_t *sel, size_t nsel,
                       const char *path, cb_err *e) {
  for (size_t i = 0; list && list[i]; i++) {
    int found = 0;
    for (size_t j = 0; j < nsel && !found; j++)
      found = strcmp(all[sel[j]].name, list[i]) == 0;
    if (!found)
      return cb_err_set(e,
                        "%s: option '%s' names column '%s', which is not "
                        "read (check the spelling or add it to fields)",
                        path, opt, list[i]);
  }
  return 0;
}

static int text_column(cb_column *c, const grid *g, size_t f, size_t r0,
                       cb_err *e) {
  size_t n = g->nr - r0;
  c->str = calloc(n ? n : 1, sizeof *c->str);
  if (!c->str) return cb_err_set(e, "out of memory");
  for (size_t r = 0; r < n; r++) {
    char buf[40] = "";
    const char *v = buf;
    size_t i = (r + r0) * g->nf + f;
    if (g->native[f]) {
      if (!isnan(g->d[i])) cb_table_fmtnum(g->d[i], buf, sizeof buf);
    } else if (g->s[i]) {
      v = g->s[i];
    }
    if (!(c->str[r] = strdup(v))) return cb_err_set(e, "out of memory");
  }
  return 0;
}

/* Fills c as numeric when every non-empty cell parses. Returns 1 when it
 * did, 0 when a cell is not a number (then *bad is its row index), -1 on
 * memory failure. */
static int num_column(cb_column *c, const grid *g, size_t f, size_t r0,
                      size_t *bad) {
  size_t n = g->nr - r0;
  double *v = malloc((n ? n : 1) * sizeof *v);
  if (!v) return -1;
  for (size_t r = 0; r < n; r++) {
    size_t i = (r + r0) * g->nf + f;
    if (g->native[f]) {
      v[r] = g->d[i];
    } else if (!g->s[i]) {
      v[r] = NAN;
    } else if (!cb_table_parsenum(g->s[i], &v[r])) {
      free(v);
      *bad = r + r0;
      return 0;
    }
  }
  c->num = v;
  c->is_num = 1;
  return 1;
}

static int build_column(cb_column *c, const grid *g, const colref *ref, kind k,
                        size_t r0, const char *path, const char *sheet,
                        const cb_table_read_opts *o, cb_err *e) {
  if (!(c->name = strdup(ref->name))) return cb_err_set(e, "out of memory");
  if (in_list(o->text, ref->name)) return text_column(c, g, ref->f, r0, e);
  size_t bad = 0;
  int rc = num_column(c, g, ref->f, r0, &bad);
  if (rc < 0) return cb_err_set(e, "out of memory");
  if (rc > 0) return 0;
  if (in_list(o->numeric, ref->name)) {
    char where[400] = "";
    if (k == K_SHEET) snprintf(where, sizeof where, ", sheet '%s'", sheet);
    return cb_err_set(e,
                      "%s%s, row %zu, column '%s': '%.80s' is not a number "
                      "(fix the cell or leave it empty for a missing value)",
                      path, where, g->rowno[bad], ref->name,
                      g->s[bad * g->nf + ref->f]);
  }
  return text_column(c, g, ref->f, r0, e);
}

static int fill_table(cb_table *t, const grid *g, kind k, const char *path,
                      const char *sheet, const cb_table_read_opts *o,
                      cb_err *e) {
  int header = o->header && k != K_TYPED;
  colref *all = NULL;
  size_t nall = 0, *sel = NULL, nsel = 0;
  int rc = -1;
  if (column_refs(g, k, header, &all, &nall, e)) goto done;
  if (select_columns(all, nall, path, o, &sel, &nsel, e)) goto done;
  if (check_names(o->numeric, "numeric", all, sel, nsel, path, e) ||
      check_names(o->text, "text", all, sel, nsel, path, e))
    goto done;
  for (size_t i = 0; o->numeric && o->numeric[i]; i++)
    if (in_list(o->text, o->numeric[i])) {
      cb_err_set(e, "column '%s' is listed in both 'numeric' and 'text'",
                 o->numeric[i]);
      goto done;
    }
  size_t r0 = header && g->nr > 0 ? 1 : 0;
  t->nrows = g->nr - r0;
  t->cols = calloc(nsel ? nsel : 1, sizeof *t->cols);
  t->rowno = malloc((t->nrows ? t->nrows : 1) * sizeof *t->rowno);
  if (!t->cols || !t->rowno) {
    cb_err_set(e, "out of memory");
    goto done;
  }
  for (size_t r = 0; r < t->nrows; r++) t->rowno[r] = g->rowno[r0 + r];
  for (size_t i = 0; i < nsel; i++) {
    t->ncols = i + 1;
    if (build_column(&t->cols[i], g, &all[sel[i]], k, r0, path, sheet, o, e))
      goto done;
  }
  rc = 0;
done:
  refs_free(all, nall);
  free(sel);
  return rc;
}

/* GDAL's warnings while a table is read: a column limit would drop the
 * columns past it without a word, so it is recorded (and becomes an error
 * naming the file); other warnings go to cb_warn. */
typedef struct watch {
  int cut;
} watch;

static void CPL_STDCALL watch_handler(CPLErr cls, CPLErrorNum num,
                                      const char *msg) {
  (void)num;
  if (cls != CE_Warning) return;
  watch *w = CPLGetErrorHandlerUserData();
  if (strstr(msg, "Limiting") && strstr(msg, "column")) {
    w->cut = 1;
    return;
  }
  cb_warn("GDAL: %s", msg);
}

/* A CSV row with more cells than the first row: GDAL's CSV reader takes
 * the column count from the first row and drops the extra cells, so a
 * non-empty extra cell fails naming the line. Parsed by GDAL's own CSV
 * tokenizer with the separator it detects. */
static int csv_ragged(const char *path, cb_err *e) {
  VSILFILE *fp = VSIFOpenL(path, "rb");
  if (!fp) return 0; /* GDAL opened it; nothing to add */
  const char *first = CPLReadLine2L(fp, 10000000, NULL);
  char sep[2] = {first ? CSVDetectSeperator(first) : ',', 0};
  VSIRewindL(fp);
  int rc = 0;
  size_t line = 0, n0 = 0;
  char **cells;
  while (!rc && (cells = CSVReadParseLine3L(fp, 10000000, sep, true, false,
                                            false, true)) != NULL) {
    size_t n = (size_t)CSLCount(cells);
    if (++line == 1) n0 = n;
    for (size_t i = n0; line > 1 && i < n && !rc; i++)
      if (cells[i][0])
        rc = cb_err_set(e, "%s, line %zu: %zu cells, but the first row has "
                        "%zu; the extra cell '%.60s' would be lost (quote a "
                        "value that holds the separator '%s', or fix the row)",
                        path, line, n, n0, cells[i], sep);
    CSLDestroy(cells);
  }
  VSIFCloseL(fp);
  return rc;
}

static int too_many_columns(const char *path, kind k, const char *sheet,
                            cb_err *e) {
  if (k == K_CSV)
    return cb_err_set(e, "%s: more than %s columns, the most cbal reads from "
                      "a CSV file; split the file", path, MAX_COLUMNS);
  return cb_err_set(e, "%s, sheet '%s': more columns than GDAL reads from "
                    "this spreadsheet format (2000 for XLSX, %s for ODS); save "
                    "the sheet as CSV or split it", path, sheet, MAX_COLUMNS);
}

int cb_table_read(const char *path, const cb_table_read_opts *o, cb_table *t,
                  cb_err *e) {
  memset(t, 0, sizeof *t);
  watch w = {0};
  CPLPushErrorHandlerEx(watch_handler, &w);
  source s;
  int rc = -1;
  grid g;
  memset(&g, 0, sizeof g);
  if (source_open(&s, path, e)) goto out;
  if (s.k == K_TYPED && !o->header) {
    cb_err_set(e, "%s: header=false applies to CSV, XLSX and ODS files only",
               path);
    goto done;
  }
  OGRLayerH lyr = pick_layer(s.ds, path, o, e);
  if (!lyr) goto done;
  if (grid_read(&g, lyr, s.k, s.mem[0] ? 1 : (size_t)-1, o->encoding, path, e))
    goto done;
  if (w.cut) {
    too_many_columns(path, s.k, OGR_L_GetName(lyr), e);
    goto done;
  }
  if (s.k == K_CSV && csv_ragged(path, e)) goto done;
  rc = fill_table(t, &g, s.k, path, OGR_L_GetName(lyr), o, e);
done:
  grid_free(&g);
  source_close(&s);
out:
  CPLPopErrorHandler();
  if (rc) cb_table_free(t);
  return rc;
}
