/* Writing tables through OGR: CSV or XLSX by extension, into a temporary
 * file renamed over the target, with numbers that read back exactly. */
#include "table.h"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <ctype.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "atomic.h"
#include "gdalx.h"

static const char *basename_of(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

static int has_ext(const char *path, const char *ext) {
  const char *dot = strrchr(basename_of(path), '.');
  return dot && strcasecmp(dot + 1, ext) == 0;
}

static int check_sheet_name(const char *path, const char *s, cb_err *e) {
  if (!*s)
    return cb_err_set(e, "cannot write %s: option 'sheet' is empty", path);
  if (CPLStrlenUTF8(s) > 31)
    return cb_err_set(e,
                      "cannot write %s: sheet name '%s' is longer than the 31 "
                      "characters Excel allows",
                      path, s);
  if (strpbrk(s, "[]:*?/\\"))
    return cb_err_set(e,
                      "cannot write %s: sheet name '%s' contains one of "
                      "[ ] : * ? / \\, which Excel does not allow",
                      path, s);
  return 0;
}

static int create_fields(OGRLayerH lyr, const cb_table *t, int csv, cb_err *e) {
  for (size_t c = 0; c < t->ncols; c++) {
    const cb_column *col = &t->cols[c];
    if (!CPLIsUTF8(col->name, -1)) {
      char b[200];
      return cb_err_set(e, "column name '%s' is not UTF-8 text",
                        cb_err_bytes(col->name, b, sizeof b));
    }
    OGRFieldDefnH fd =
        OGR_Fld_Create(col->name, col->is_num && !csv ? OFTReal : OFTString);
    OGRErr err = OGR_L_CreateField(lyr, fd, FALSE);
    OGR_Fld_Destroy(fd);
    if (err != OGRERR_NONE) {
      char what[600];
      snprintf(what, sizeof what, "cannot create column '%s'", col->name);
      return cb_gdal_fail(e, what);
    }
  }
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
  if ((size_t)OGR_FD_GetFieldCount(defn) != t->ncols)
    return cb_err_set(e, "the driver did not create every column");
  return 0;
}

static int set_cell(OGRFeatureH ft, const cb_column *col, size_t c, size_t r,
                    int csv, cb_err *e) {
  if (!col->is_num) {
    const char *v = col->str[r];
    if (v && *v && !CPLIsUTF8(v, -1)) {
      char b[200];
      return cb_err_set(e, "column '%s', row %zu: '%s' is not UTF-8 text "
                        "(read from a file in another encoding? read it with "
                        "encoding = \"GBK\" or the file's encoding)",
                        col->name, r + 1, cb_err_bytes(v, b, sizeof b));
    }
    if (v && *v) OGR_F_SetFieldString(ft, (int)c, v);
    return 0;
  }
  double v = col->num[r];
  if (isnan(v)) return 0;
  if (csv) {
    char buf[40];
    cb_table_fmtnum(v, buf, sizeof buf);
    OGR_F_SetFieldString(ft, (int)c, buf);
    return 0;
  }
  if (isinf(v))
    return cb_err_set(e,
                      "column '%s', row %zu: XLSX cannot hold an infinite "
                      "value; replace it with NaN or a finite number",
                      col->name, r + 1);
  OGR_F_SetFieldDouble(ft, (int)c, v);
  return 0;
}

static int write_rows(OGRLayerH lyr, const cb_table *t, int csv, cb_err *e) {
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
  for (size_t r = 0; r < t->nrows; r++) {
    OGRFeatureH ft = OGR_F_Create(defn);
    if (!ft) return cb_err_set(e, "out of memory");
    for (size_t c = 0; c < t->ncols; c++)
      if (set_cell(ft, &t->cols[c], c, r, csv, e)) {
        OGR_F_Destroy(ft);
        return -1;
      }
    OGRErr err = OGR_L_CreateFeature(lyr, ft);
    OGR_F_Destroy(ft);
    if (err != OGRERR_NONE) return cb_gdal_fail(e, "cannot write a row");
  }
  return 0;
}

/* GDAL's XLSX writer prints numbers with %.16g, which does not always read
 * back as the same double; worth fixing only when some value needs 17. */
static int xlsx_needs_fix(const cb_table *t) {
  char buf[40];
  for (size_t c = 0; c < t->ncols; c++) {
    if (!t->cols[c].is_num) continue;
    for (size_t r = 0; r < t->nrows; r++) {
      double v = t->cols[c].num[r];
      if (!isfinite(v)) continue;
      CPLsnprintf(buf, sizeof buf, "%.16g", v);
      if (CPLStrtod(buf, NULL) != v) return 1;
    }
  }
  return 0;
}

/* Whether GDAL's text for a cell (n chars at s) was written from v: it
 * prints %.16g, which may even overflow to inf near DBL_MAX. */
static int same_cell(const char *s, size_t n, double v) {
  char buf[40];
  CPLsnprintf(buf, sizeof buf, "%.16g", v);
  if (strlen(buf) == n && strncmp(buf, s, n) == 0) return 1;
  double old = CPLStrtod(s, NULL);
  return isfinite(old) && fabs(old - v) <= 1e-14 * fabs(v);
}

/* Rewrites the <v> of each numeric cell of GDAL's sheet XML with the exact
 * value from t. Cell "B7" is column 1, data row 5 (row 1 is the header). */
static int fix_sheet_xml(const char *xml, const cb_table *t, cb_sbuf *out,
                         cb_err *e) {
  const char *p = xml, *q;
  while ((q = strstr(p, "<c r=\"")) != NULL) {
    const char *gt = strchr(q, '>');
    if (!gt) break;
    const char *ref = q + 6;
    size_t col = 0, row = 0;
    while (*ref >= 'A' && *ref <= 'Z')
      col = col * 26 + (size_t)(*ref++ - 'A' + 1);
    while (isdigit((unsigned char)*ref))
      row = row * 10 + (size_t)(*ref++ - '0');
    const char *vo = strstr(gt, "<v>"), *ce = strstr(gt, "</c>");
    int typed = memmem(q, (size_t)(gt - q), " t=\"", 4) != NULL;
    if (col == 0 || row < 2 || col > t->ncols || row - 2 >= t->nrows ||
        !t->cols[col - 1].is_num || typed || gt[-1] == '/' || !vo || !ce ||
        vo > ce) {
      if (cb_sbuf_add(out, p, (size_t)(gt + 1 - p)))
        return cb_err_set(e, "out of memory");
      p = gt + 1;
      continue;
    }
    const char *vc = strstr(vo, "</v>");
    double v = t->cols[col - 1].num[row - 2];
    if (!vc || !same_cell(vo + 3, (size_t)(vc - vo - 3), v))
      return cb_err_set(e,
                        "internal error: unexpected XLSX cell layout from "
                        "GDAL at column %zu, row %zu",
                        col, row);
    char num[40];
    cb_table_fmtnum(v, num, sizeof num);
    if (cb_sbuf_add(out, p, (size_t)(vo + 3 - p)) || cb_sbuf_add(out, num, strlen(num)))
      return cb_err_set(e, "out of memory");
    p = vc;
  }
  if (cb_sbuf_add(out, p, strlen(p))) return cb_err_set(e, "out of memory");
  return 0;
}

/* Copies the zip `src` into a new zip `dst`, passing the first sheet's XML
 * through fix_sheet_xml. */
static int xlsx_fix(const char *src, const char *dst, const cb_table *t,
                    cb_err *e) {
  char *root = CPLStrdup(CPLSPrintf("/vsizip/%s", src));
  char **files = VSIReadDirRecursive(root);
  void *zip = CPLCreateZip(dst, NULL);
  int rc = zip ? 0 : cb_gdal_fail(e, "cannot create the XLSX file");
  for (int i = 0; !rc && files && files[i]; i++) {
    char *full = CPLStrdup(CPLSPrintf("%s/%s", root, files[i]));
    VSIStatBufL st;
    GByte *data = NULL;
    vsi_l_offset size = 0;
    if (VSIStatL(full, &st) != 0 || VSI_ISDIR(st.st_mode)) {
      CPLFree(full);
      continue;
    }
    if (!VSIIngestFile(NULL, full, &data, &size, 1 << 30))
      rc = cb_gdal_fail(e, "cannot reread the XLSX file");
    cb_sbuf fixed = {0};
    const void *out = data;
    size_t outn = (size_t)size;
    if (!rc && strcmp(files[i], "xl/worksheets/sheet1.xml") == 0) {
      rc = fix_sheet_xml((const char *)data, t, &fixed, e);
      out = fixed.p;
      outn = fixed.n;
    }
    if (!rc && (CPLCreateFileInZip(zip, files[i], NULL) != CE_None ||
                CPLWriteFileInZip(zip, out, (int)outn) != CE_None ||
                CPLCloseFileInZip(zip) != CE_None))
      rc = cb_gdal_fail(e, "cannot write the XLSX file");
    free(fixed.p);
    VSIFree(data);
    CPLFree(full);
  }
  if (zip && CPLCloseZip(zip) != CE_None && !rc)
    rc = cb_gdal_fail(e, "cannot finish the XLSX file");
  CSLDestroy(files);
  CPLFree(root);
  return rc;
}

static int write_dataset(const char *tmp, const cb_table *t, int csv,
                         const char *sheet, int bom, cb_err *e) {
  GDALDriverH drv = GDALGetDriverByName(csv ? "CSV" : "XLSX");
  if (!drv)
    return cb_err_set(e, "GDAL lacks its %s driver", csv ? "CSV" : "XLSX");
  CPLErrorReset();
  GDALDatasetH ds = GDALCreate(drv, tmp, 0, 0, 0, GDT_Unknown, NULL);
  if (!ds) return cb_gdal_fail(e, "cannot create the file");
  const char *csv_lco[] = {"STRING_QUOTING=IF_NEEDED",
                           bom ? "WRITE_BOM=YES" : NULL, NULL};
  OGRLayerH lyr = GDALDatasetCreateLayer(
      ds, csv ? "table" : sheet, NULL, wkbNone, csv ? (char **)csv_lco : NULL);
  int rc = lyr ? 0 : cb_gdal_fail(e, "cannot create the table");
  if (!rc) rc = create_fields(lyr, t, csv, e);
  if (!rc) rc = write_rows(lyr, t, csv, e);
  if (!rc) CPLErrorReset();
  GDALClose(ds);
  if (!rc && CPLGetLastErrorType() == CE_Failure)
    rc = cb_gdal_fail(e, "cannot finish the file");
  return rc;
}

int cb_table_write(const char *path, const cb_table *t, const char *sheet,
                   int bom, cb_err *e) {
  cb_gdal_init();
  int csv = has_ext(path, "csv");
  if (!csv && !has_ext(path, "xlsx")) {
    const char *dot = strrchr(basename_of(path), '.');
    if (!dot)
      return cb_err_set(e,
                        "%s: name the file with the table format's extension "
                        "(supported: .csv, .xlsx)",
                        path);
    return cb_err_set(e,
                      "%s: cannot write tables as '%s' (supported: .csv, "
                      ".xlsx)",
                      path, dot);
  }
  if (!sheet) sheet = "Sheet1";
  if (!csv && check_sheet_name(path, sheet, e)) return -1;
  cb_out out;
  if (cb_out_open(&out, path, e)) return -1;
  char mem[200], mem2[200];
  cb_gdal_memname(path, mem, sizeof mem);
  int rc = csv ? cb_table_write_csv(mem, t, bom, e)
               : write_dataset(mem, t, 0, sheet, 0, e);
  const char *done = mem;
  if (!rc && !csv && xlsx_needs_fix(t)) {
    cb_gdal_memname(path, mem2, sizeof mem2);
    rc = xlsx_fix(mem, mem2, t, e);
    cb_gdal_memfree(mem);
    done = mem2;
  }
  if (rc) {
    char msg[sizeof e->msg];
    snprintf(msg, sizeof msg, "%s", e ? e->msg : "");
    cb_err_set(e, "cannot write %s: %s", path, msg);
  }
  return cb_gdal_publish(done, &out, rc, e);
}
