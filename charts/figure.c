/* Figure: panel grid layout, rendering, PNG/PDF/SVG output. */
#include "figure.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/atomic.h"
#include "palette.h"

#define MARGIN (f->o.margin)  /* page margin, mm */
#define GAP (f->o.gap)        /* between panels, mm */

typedef struct panel {
  int row, col, rowspan, colspan;
  char *title;
  double title_pt;   /* its size as laid out (shrunk when too wide) */
  cbc_plot *plot;
  cbc_rect box, content;
} panel;

struct cbc_figure {
  cbc_figure_opts o;
  char *title;
  double title_pt;     /* as laid out */
  char *palettes[3];
  cbc_style st;
  cbc_text *tx;
  panel *p;
  size_t n, cap;
  double colw[51], rowh[51];   /* relative weights, 1-based */
};

void cbc_figure_defaults(cbc_figure_opts *o) {
  memset(o, 0, sizeof *o);
  o->width_mm = 183, o->height_mm = 120, o->dpi = 300, o->font_pt = 7;
  o->draw_text = 1;
  o->margin = 2, o->gap = 4;
}

static int check_look(const cbc_figure_opts *o, cb_err *e) {
  const double v[] = {o->title_pt, o->label_pt, o->line_w, o->edge_w};
  const char *what[] = {"title size", "label size", "line width", "edge width"};
  for (int i = 0; i < 4; i++)
    if (!(v[i] >= 0 && v[i] <= (i < 2 ? 40 : 5)))
      return cb_err_set(e, "figure: %s %g is outside 0..%g", what[i], v[i],
                        i < 2 ? 40.0 : 5.0);
  if (!(o->margin >= 0 && o->margin <= 50 && o->gap >= 0 && o->gap <= 50))
    return cb_err_set(e, "figure: margin %g and gap %g mm must be 0..50",
                      o->margin, o->gap);
  for (int i = 0; i < 3; i++) {
    cbc_palette p;
    if (o->palettes[i] && cbc_palette_find(o->palettes[i], &p, e)) return -1;
  }
  return 0;
}

static void apply_look(cbc_figure *f) {
  const cbc_figure_opts *o = &f->o;
  cbc_style_defaults(&f->st, o->font_pt);
  if (o->title_pt > 0) f->st.pt_title = o->title_pt;
  if (o->label_pt > 0) f->st.pt_small = o->label_pt;
  if (o->line_w > 0) f->st.line_w = o->line_w;
  if (o->edge_w > 0) f->st.edge_w = o->edge_w;
  if (o->has_ink) f->st.ink = o->ink;
  f->st.draw_text = o->draw_text;
}

const char *cbc_figure_palette(const cbc_figure *f, int kind) {
  static const char *const def[] = {"YlOrRd", "RdBu_r", "OkabeIto"};
  return f->palettes[kind] ? f->palettes[kind] : def[kind];
}

cbc_figure *cbc_figure_new(const cbc_figure_opts *o, cb_err *e) {
  if (!(o->width_mm >= 10 && o->width_mm <= 2000 && o->height_mm >= 10 &&
        o->height_mm <= 2000)) {
    cb_err_set(e, "figure: size %g x %g mm is outside 10..2000 mm",
               o->width_mm, o->height_mm);
    return NULL;
  }
  if (!(o->dpi >= 30 && o->dpi <= 2400)) {
    cb_err_set(e, "figure: dpi %g is outside 30..2400", o->dpi);
    return NULL;
  }
  if (!(o->font_pt >= 3 && o->font_pt <= 30)) {
    cb_err_set(e, "figure: font size %g pt is outside 3..30", o->font_pt);
    return NULL;
  }
  if (check_look(o, e)) return NULL;
  cbc_figure *f = calloc(1, sizeof *f);
  if (!f) goto oom;
  f->o = *o;
  f->o.font = NULL, f->o.title = NULL;
  for (int i = 0; i < 3; i++) {
    f->o.palettes[i] = NULL;
    if (o->palettes[i] && !(f->palettes[i] = cbc_strdup(o->palettes[i]))) goto oom;
  }
  if (o->title && !(f->title = cbc_strdup(o->title))) goto oom;
  if (!(f->tx = cbc_text_new(o->font))) goto oom;
  apply_look(f);
  for (int i = 0; i <= 50; i++) f->colw[i] = f->rowh[i] = 1;
  return f;
oom:
  cbc_figure_free(f);
  cb_err_set(e, "figure: out of memory");
  return NULL;
}

void cbc_figure_free(cbc_figure *f) {
  if (!f) return;
  for (size_t i = 0; i < f->n; i++) {
    free(f->p[i].title);
    if (f->p[i].plot) f->p[i].plot->free(f->p[i].plot);
  }
  free(f->p);
  free(f->title);
  for (int i = 0; i < 3; i++) free(f->palettes[i]);
  cbc_text_free(f->tx);
  free(f);
}

cbc_plot *cbc_figure_panel_plot(const cbc_figure *f, int i) {
  return i >= 0 && (size_t)i < f->n ? f->p[i].plot : NULL;
}

size_t cbc_figure_npanels(const cbc_figure *f) { return f->n; }

int cbc_figure_weights(cbc_figure *f, int rows, const double *w, size_t n,
                       cb_err *e) {
  const char *what = rows ? "heights" : "widths";
  if (n > 50) return cb_err_set(e, "figure: %s: at most 50 weights", what);
  for (size_t i = 0; i < n; i++)
    if (!(w[i] > 0 && w[i] < 1e6))
      return cb_err_set(e, "figure: %s: weight %zu is %g; weights must be > 0",
                        what, i + 1, w[i]);
  for (size_t i = 0; i < n; i++) (rows ? f->rowh : f->colw)[i + 1] = w[i];
  return 0;
}

/* Offset and size of cells a..a+span-1 along one axis of total `len` mm
 * split by weights w[1..n] with gaps. */
static void cells(const double *w, int n, double start, double len, int a,
                  int span, double gap, double *pos, double *size) {
  double sum = 0, before = 0, in = 0;
  for (int i = 1; i <= n; i++) {
    sum += w[i];
    if (i < a) before += w[i];
    else if (i < a + span) in += w[i];
  }
  double unit = (len - (n - 1) * gap) / sum;
  *pos = start + before * unit + (a - 1) * gap;
  *size = in * unit + (span - 1) * gap;
}

int cbc_figure_panel(cbc_figure *f, int row, int col, int rowspan,
                     int colspan, const char *title, cb_err *e) {
  if (row < 1 || col < 1 || row > 50 || col > 50)
    return cb_err_set(e, "panel: row %d, col %d: use 1..50", row, col);
  if (rowspan < 1 || colspan < 1 || rowspan > 50 || colspan > 50)
    return cb_err_set(e, "panel: rowspan and colspan must be 1..50");
  for (size_t i = 0; i < f->n; i++) {
    const panel *q = &f->p[i];
    if (row < q->row + q->rowspan && q->row < row + rowspan &&
        col < q->col + q->colspan && q->col < col + colspan)
      return cb_err_set(e, "panel: row %d, col %d overlaps panel %zu at "
                        "row %d, col %d", row, col, i + 1, q->row, q->col);
  }
  if (f->n == f->cap) {
    size_t cap = f->cap ? 2 * f->cap : 8;
    panel *np = realloc(f->p, cap * sizeof *np);
    if (!np) return cb_err_set(e, "panel: out of memory");
    f->p = np, f->cap = cap;
  }
  panel *q = &f->p[f->n];
  memset(q, 0, sizeof *q);
  q->row = row, q->col = col, q->rowspan = rowspan, q->colspan = colspan;
  if (title && !(q->title = cbc_strdup(title)))
    return cb_err_set(e, "panel: out of memory");
  return (int)f->n++;
}

int cbc_figure_set_plot(cbc_figure *f, int i, cbc_plot *p, cb_err *e) {
  if (i < 0 || (size_t)i >= f->n) {
    if (p) p->free(p);
    return cb_err_set(e, "panel %d does not exist", i + 1);
  }
  if (f->p[i].plot) {
    if (p) p->free(p);
    return cb_err_set(e, "panel %d already has a plot; add another panel",
                      i + 1);
  }
  f->p[i].plot = p;
  return 0;
}

/* The size (pt, at most pt) at which the bold text s fits in room mm: a
 * title longer than its page or panel shrinks rather than runs off it. */
static double fit_pt(cbc_figure *f, const char *s, double pt, double room) {
  double w, h;
  cbc_measure(f->tx, &f->st, s, pt, 1, &w, &h);
  return w > room && room > 0 ? pt * room / w * 0.98 : pt;
}

int cbc_figure_layout(cbc_figure *f, cb_err *e) {
  int rows = 1, cols = 1;
  for (size_t i = 0; i < f->n; i++) {
    if (f->p[i].row + f->p[i].rowspan - 1 > rows) rows = f->p[i].row + f->p[i].rowspan - 1;
    if (f->p[i].col + f->p[i].colspan - 1 > cols) cols = f->p[i].col + f->p[i].colspan - 1;
  }
  double top = MARGIN, th;
  if (f->title) {
    f->title_pt = fit_pt(f, f->title, f->st.pt_title * 1.15, f->o.width_mm - 2 * MARGIN);
    cbc_measure(f->tx, &f->st, f->title, f->title_pt, 1, NULL, &th);
    top += th + 1.5;
  }
  double gw = f->o.width_mm - 2 * MARGIN, gh = f->o.height_mm - top - MARGIN;
  double x, y, w, h;
  if (gw - (cols - 1) * GAP < 5 * cols || gh - (rows - 1) * GAP < 5 * rows)
    return cb_err_set(e, "figure: %d x %d panels do not fit in %g x %g mm",
                      rows, cols, f->o.width_mm, f->o.height_mm);
  for (size_t i = 0; i < f->n; i++) {
    panel *q = &f->p[i];
    cells(f->colw, cols, MARGIN, gw, q->col, q->colspan, GAP, &x, &w);
    cells(f->rowh, rows, top, gh, q->row, q->rowspan, GAP, &y, &h);
    q->box = (cbc_rect){x, y, w, h};
    q->content = q->box;
    if (q->title) {
      q->title_pt = fit_pt(f, q->title, f->st.pt_title, w);
      cbc_measure(f->tx, &f->st, q->title, q->title_pt, 1, NULL, &th);
      q->content.y += th + 1.0, q->content.h -= th + 1.0;
    }
    if (q->plot && q->plot->build(q->plot, q->content, f->tx, &f->st, e))
      return -1;
  }
  return 0;
}

cbc_rect cbc_figure_panel_box(const cbc_figure *f, int i) {
  return f->p[i].content;
}

int cbc_figure_render(cbc_figure *f, cairo_t *cr, cb_err *e) {
  if (cbc_figure_layout(f, e)) return -1;
  cairo_save(cr);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  if (f->title)
    cbc_label(cr, f->tx, &f->st, f->title, f->title_pt, 1,
              f->o.width_mm / 2, MARGIN, 0.5, 0, 0);
  for (size_t i = 0; i < f->n; i++) {
    panel *q = &f->p[i];
    if (q->title)
      cbc_label(cr, f->tx, &f->st, q->title, q->title_pt, 1, q->box.x,
                q->box.y, 0, 0, 0);
    if (q->plot) q->plot->render(q->plot, cr, f->tx, &f->st);
  }
  cairo_restore(cr);
  cairo_status_t s = cairo_status(cr);
  if (s != CAIRO_STATUS_SUCCESS)
    return cb_err_set(e, "figure: drawing failed: %s", cairo_status_to_string(s));
  return 0;
}

cairo_surface_t *cbc_figure_image(cbc_figure *f, cb_err *e) {
  double k = f->o.dpi / 25.4;
  int w = (int)lround(f->o.width_mm * k), h = (int)lround(f->o.height_mm * k);
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(s);
    cb_err_set(e, "figure: cannot make a %d x %d image", w, h);
    return NULL;
  }
  cairo_t *cr = cairo_create(s);
  cairo_scale(cr, k, k);
  int rc = cbc_figure_render(f, cr, e);
  cairo_destroy(cr);
  if (rc) {
    cairo_surface_destroy(s);
    return NULL;
  }
  cairo_surface_flush(s);
  return s;
}

typedef struct {
  unsigned char *d;
  size_t n, cap;
} membuf;

static cairo_status_t mem_write(void *closure, const unsigned char *data,
                                unsigned int len) {
  membuf *b = closure;
  if (b->n + len > b->cap) {
    size_t cap = (b->n + len) * 2;
    unsigned char *d = realloc(b->d, cap);
    if (!d) return CAIRO_STATUS_NO_MEMORY;
    b->d = d, b->cap = cap;
  }
  memcpy(b->d + b->n, data, len);
  b->n += len;
  return CAIRO_STATUS_SUCCESS;
}

static unsigned long crc32_png(const unsigned char *p, size_t n) {
  unsigned long c = 0xffffffffUL;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320UL ^ (c >> 1) : c >> 1;
  }
  return c ^ 0xffffffffUL;
}

static void put32(unsigned char *p, unsigned long v) {
  p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16);
  p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
}

/* Writes the PNG with a pHYs chunk after IHDR, so viewers and journals see
 * the stated dpi (cairo writes none). */
static int write_png(cairo_surface_t *s, double dpi, cb_out *o, cb_err *e) {
  membuf b = {0};
  cairo_status_t st = cairo_surface_write_to_png_stream(s, mem_write, &b);
  if (st != CAIRO_STATUS_SUCCESS || b.n < 33) {
    free(b.d);
    cb_out_abort(o);
    return cb_err_set(e, "cannot write %s: %s", o->target,
                      cairo_status_to_string(st));
  }
  unsigned char phys[21];
  unsigned long ppm = (unsigned long)lround(dpi / 0.0254);
  put32(phys, 9);
  memcpy(phys + 4, "pHYs", 4);
  put32(phys + 8, ppm);
  put32(phys + 12, ppm);
  phys[16] = 1; /* unit: metre */
  put32(phys + 17, crc32_png(phys + 4, 13));
  cb_out_write(o, b.d, 33);
  cb_out_write(o, phys, 21);
  cb_out_write(o, b.d + 33, b.n - 33);
  free(b.d);
  return cb_out_commit(o, e);
}

static const char *ext_of(const char *path) {
  const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
  return dot && (!slash || dot > slash) ? dot + 1 : "";
}

static cairo_status_t out_write(void *closure, const unsigned char *data,
                                unsigned int len) {
  return cb_out_write(closure, data, len) ? CAIRO_STATUS_WRITE_ERROR
                                          : CAIRO_STATUS_SUCCESS;
}

/* Draws into a vector surface that streams into o, then commits o; the
 * surface's status after finishing and every write are checked. */
static int save_vector(cbc_figure *f, cb_out *o, int pdf, cb_err *e) {
  double k = 72 / 25.4;
  double w = f->o.width_mm * k, h = f->o.height_mm * k;
  cairo_surface_t *s = pdf ? cairo_pdf_surface_create_for_stream(out_write, o, w, h)
                           : cairo_svg_surface_create_for_stream(out_write, o, w, h);
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
    cairo_status_t st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    cb_out_abort(o);
    return cb_err_set(e, "cannot write %s: %s", o->target,
                      cairo_status_to_string(st));
  }
  if (pdf) cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "cbal " CBAL_VERSION);
  cairo_t *cr = cairo_create(s);
  cairo_scale(cr, k, k);
  int rc = cbc_figure_render(f, cr, e);
  cairo_destroy(cr);
  cairo_surface_finish(s);
  cairo_status_t st = cairo_surface_status(s);
  cairo_surface_destroy(s);
  if (rc) {
    cb_out_abort(o);
    return -1;
  }
  /* a failed write shows up as CAIRO_STATUS_WRITE_ERROR; cb_out_commit
   * names its cause (e.g. "No space left on device") */
  if (st != CAIRO_STATUS_SUCCESS && !o->err) {
    cb_out_abort(o);
    return cb_err_set(e, "cannot write %s: %s", o->target,
                      cairo_status_to_string(st));
  }
  return cb_out_commit(o, e);
}

int cbc_figure_save(cbc_figure *f, const char *path, cb_err *e) {
  const char *ext = ext_of(path);
  int png = !strcasecmp(ext, "png"), pdf = !strcasecmp(ext, "pdf"),
      svg = !strcasecmp(ext, "svg");
  if (!png && !pdf && !svg)
    return cb_err_set(e, "cannot save figure %s: unknown extension '%s' "
                      "(use .png, .pdf or .svg)", path, ext);
  cb_out o;
  if (cb_out_open(&o, path, e)) return -1;
  if (!png) return save_vector(f, &o, pdf, e);
  cairo_surface_t *s = cbc_figure_image(f, e);
  if (!s) {
    cb_out_abort(&o);
    return -1;
  }
  int rc = write_png(s, f->o.dpi, &o, e);
  cairo_surface_destroy(s);
  return rc;
}
