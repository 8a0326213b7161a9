/* Map: copy and classify (new), lay out frame, legend and furniture
 * (build), draw (render). */
#include "map.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MODE_OUTLINE, MODE_CLASSES, MODE_CONT, MODE_CAT };

struct cbc_map {
  cbc_plot plot;
  cb_polyset *polys, *overlay;
  double *values;
  char **labels;
  size_t nlabels;
  cbc_map_label *placed;  /* per label, filled by build */
  cbc_rgb *fill;          /* per feature */
  int mode;
  cbc_palette pal;
  int centered;
  double center, vmin, vmax;
  char **cats;
  size_t ncats;
  cbc_map_spec opt;       /* scalars only; pointers cleared */
  char *title, *units, *nodata_label;
  cbc_map_layout lay;
};

void cbc_map_spec_defaults(cbc_map_spec *s) {
  memset(s, 0, sizeof *s);
  s->k = 5;
  s->breaks_round = 1;
  s->geographic = -1;
  s->legend_pos = CBC_LEGEND_RIGHT;
  s->overlay_width = 0.3;
  s->nodata_color = cbc_hex(0xd9d9d9);
  s->edge_color = cbc_hex(0x7f7f7f);
  s->edge_width = 0.08;
}

static cb_polyset *polyset_copy(const cb_polyset *src) {
  cb_polyset *d = calloc(1, sizeof *d);
  if (!d) return NULL;
  d->polys = calloc(src->n ? src->n : 1, sizeof *d->polys);
  if (!d->polys) goto fail;
  d->n = src->n;
  memcpy(d->bbox, src->bbox, sizeof d->bbox);
  if (src->srs_wkt && !(d->srs_wkt = cbc_strdup(src->srs_wkt))) goto fail;
  for (size_t i = 0; i < src->n; i++) {
    const cb_polygon *sp = &src->polys[i];
    cb_polygon *dp = &d->polys[i];
    if (!sp->nrings) continue;
    dp->rings = calloc(sp->nrings, sizeof *dp->rings);
    if (!dp->rings) goto fail;
    dp->nrings = sp->nrings;
    for (size_t r = 0; r < sp->nrings; r++) {
      dp->rings[r] = sp->rings[r];
      dp->rings[r].xy = malloc(2 * sp->rings[r].n * sizeof(double) + 1);
      if (!dp->rings[r].xy) {
        dp->rings[r].n = 0;
        goto fail;
      }
      memcpy(dp->rings[r].xy, sp->rings[r].xy, 2 * sp->rings[r].n * sizeof(double));
    }
  }
  return d;
fail:
  cb_polyset_free(d);
  return NULL;
}

static void map_free(cbc_plot *p) {
  cbc_map *m = (cbc_map *)p;
  if (!m) return;
  cb_polyset_free(m->polys);
  cb_polyset_free(m->overlay);
  free(m->values);
  for (size_t i = 0; i < m->nlabels; i++) free(m->labels[i]);
  free(m->labels);
  free(m->placed);
  for (size_t i = 0; i < m->ncats; i++) free(m->cats[i]);
  free(m->cats);
  free(m->fill);
  free(m->title);
  free(m->units);
  free(m->nodata_label);
  free(m);
}

static int build_map(cbc_plot *p, cbc_rect box, cbc_text *tx,
                     const cbc_style *st, cb_err *e);
static void render_map(cbc_plot *p, cairo_t *cr, cbc_text *tx,
                       const cbc_style *st);

/* Class edges and colours for MODE_CLASSES. */
static int setup_classes(cbc_map *m, const cbc_map_spec *s, size_t n,
                         cb_err *e) {
  cbc_map_layout *L = &m->lay;
  if (s->breaks) {
    if (cbc_breaks_check(s->breaks, s->nbreaks, e)) return -1;
    L->k = (int)s->nbreaks - 1;
    memcpy(L->edges, s->breaks, s->nbreaks * sizeof(double));
  } else {
    if (!m->values) return cb_err_set(e, "map: breaks need values");
    if (cbc_breaks_auto(m->values, n, s->auto_breaks ? s->auto_breaks : "quantile",
                        s->k > 0 ? s->k : 5, s->breaks_round, L->edges, &L->k, e))
      return -1;
  }
  if (m->centered)
    cbc_palette_centered(&m->pal, L->edges, L->k, m->center, L->class_colors);
  else
    cbc_palette_classes(&m->pal, L->k, L->class_colors);
  return 0;
}

static int setup(cbc_map *m, const cbc_map_spec *s, cb_err *e) {
  size_t n = m->polys ? m->polys->n : s->nvalues;
  cbc_map_layout *L = &m->lay;
  const char *pal = s->palette;
  if (!pal)
    pal = m->mode == MODE_CAT ? "Set2" : m->centered ? "RdBu_r" : "YlOrRd";
  if (cbc_palette_find(pal, &m->pal, e)) return -1;
  if (m->values) {
    size_t valid = 0;
    m->vmin = INFINITY, m->vmax = -INFINITY;
    for (size_t i = 0; i < n; i++)
      if (isfinite(m->values[i])) {
        valid++;
        m->vmin = fmin(m->vmin, m->values[i]);
        m->vmax = fmax(m->vmax, m->values[i]);
      }
    if (!valid && !s->breaks && m->mode != MODE_CAT)
      return cb_err_set(e, "map values: all %zu values are missing (NaN); "
                        "nothing to draw (check the join or the year)", n);
    if (!valid) cb_warn("map values: all %zu values are missing (NaN)", n);
  }
  if (m->mode == MODE_CLASSES && setup_classes(m, s, n, e)) return -1;
  if (m->mode == MODE_CAT) {
    L->k = (int)m->ncats;
    cbc_palette_classes(&m->pal, L->k, L->class_colors);
  }
  for (int i = 0; i < L->k && i < (int)s->ncolors; i++)
    L->class_colors[i] = s->colors[i];
  if (!m->polys) return 0;
  for (size_t i = 0; i < n; i++) {
    double v = m->values ? m->values[i] : NAN;
    cbc_rgb c = s->nodata_color;
    if (m->mode == MODE_OUTLINE) {
      c = (cbc_rgb){1, 1, 1, 1};
    } else if (isnan(v)) {
      L->nodata_count++;
    } else if (m->mode == MODE_CAT) {
      double c1 = floor(v);
      if (c1 != v || c1 < 1 || c1 > (double)m->ncats)
        return cb_err_set(e, "map values: feature %zu has category %g; "
                          "categories are integers 1..%zu", i + 1, v, m->ncats);
      c = L->class_colors[(int)c1 - 1];
      L->counts[(int)c1 - 1]++;
    } else if (m->mode == MODE_CLASSES) {
      int k = cbc_class_of(v, L->edges, L->k);
      c = L->class_colors[k];
      L->counts[k]++;
    } else {
      double t;
      if (m->centered) {
        double dev = fmax(fabs(m->vmax - m->center), fabs(m->vmin - m->center));
        t = dev > 0 ? 0.5 + 0.5 * (v - m->center) / dev : 0.5;
      } else {
        t = m->vmax > m->vmin ? (v - m->vmin) / (m->vmax - m->vmin) : 0.5;
      }
      c = cbc_palette_at(&m->pal, t);
    }
    m->fill[i] = c;
  }
  if (m->mode == MODE_CLASSES && m->values && m->vmin <= m->vmax &&
      (m->vmin < L->edges[0] || m->vmax > L->edges[L->k]))
    cb_warn("map values range %g..%g beyond the breaks %g..%g; outside "
            "values are drawn in the end classes", m->vmin, m->vmax,
            L->edges[0], L->edges[L->k]);
  return 0;
}

static int copy_strings(char ***dst, size_t *nd, const char *const *src,
                        size_t n) {
  *dst = calloc(n ? n : 1, sizeof **dst);
  if (!*dst) return -1;
  *nd = n;
  for (size_t i = 0; i < n; i++)
    if (src[i] && !((*dst)[i] = cbc_strdup(src[i]))) return -1;
  return 0;
}

cbc_map *cbc_map_new(const cbc_map_spec *s, cb_err *e) {
  size_t n = s->polys ? s->polys->n : s->nvalues;
  if (s->polys && s->values && s->nvalues != n) {
    cb_err_set(e, "map: values has %zu entries but the layer has %zu "
               "features; give one value per feature", s->nvalues, n);
    return NULL;
  }
  if (s->labels && s->polys && s->nlabels != n) {
    cb_err_set(e, "map: labels has %zu entries but the layer has %zu "
               "features", s->nlabels, n);
    return NULL;
  }
  if (s->polys && !(s->polys->bbox[0] <= s->polys->bbox[2])) {
    cb_err_set(e, "map: the layer is empty (%zu features, none with a "
               "polygon); nothing to draw", n);
    return NULL;
  }
  if (s->ncategories > CBC_MAX_CATEGORIES) {
    cb_err_set(e, "map: %zu categories; at most %d", s->ncategories,
               CBC_MAX_CATEGORIES);
    return NULL;
  }
  cbc_map *m = calloc(1, sizeof *m);
  if (!m) goto oom;
  m->plot = (cbc_plot){CBC_PLOT_MAP, build_map, render_map, map_free};
  m->opt = *s;
  m->centered = s->centered;
  m->center = s->center;
  m->mode = s->categories ? MODE_CAT
          : !s->values && !s->breaks ? MODE_OUTLINE
          : s->continuous ? MODE_CONT : MODE_CLASSES;
  if (m->mode == MODE_OUTLINE && !s->polys) {
    cb_err_set(e, "legend: give breaks, values or categories");
    goto fail;
  }
  if (s->polys && !(m->polys = polyset_copy(s->polys))) goto oom;
  if (s->overlay && !(m->overlay = polyset_copy(s->overlay))) goto oom;
  if (s->values && n) {
    if (!(m->values = malloc(n * sizeof(double)))) goto oom;
    memcpy(m->values, s->values, n * sizeof(double));
  }
  if (!(m->fill = calloc(n ? n : 1, sizeof *m->fill))) goto oom;
  if (s->labels &&
      (copy_strings(&m->labels, &m->nlabels, s->labels, s->nlabels) ||
       !(m->placed = calloc(s->nlabels ? s->nlabels : 1, sizeof *m->placed))))
    goto oom;
  if (s->categories &&
      copy_strings(&m->cats, &m->ncats, s->categories, s->ncategories))
    goto oom;
  if ((s->legend_title && !(m->title = cbc_strdup(s->legend_title))) ||
      (s->units && !(m->units = cbc_strdup(s->units))) ||
      !(m->nodata_label = cbc_strdup(s->nodata_label ? s->nodata_label : "No data")))
    goto oom;
  if (setup(m, s, e)) goto fail;
  if (s->scale_bar && m->polys && !m->polys->srs_wkt && s->geographic < 0)
    cb_warn("map has no CRS: the scale bar assumes metres (set "
            "geographic = true for degrees)");
  return m;
oom:
  cb_err_set(e, "map: out of memory");
fail:
  map_free((cbc_plot *)m);
  return NULL;
}

cbc_plot *cbc_map_plot(cbc_map *m) { return &m->plot; }
const cbc_map_layout *cbc_map_layout_get(const cbc_map *m) { return &m->lay; }
cbc_rgb cbc_map_feature_color(const cbc_map *m, size_t i) { return m->fill[i]; }

void cbc_map_project(const cbc_map *m, double x, double y, double *fx,
                     double *fy) {
  *fx = m->lay.ox + (x - m->polys->bbox[0]) * m->lay.kx;
  *fy = m->lay.oy + (m->polys->bbox[3] - y) * m->lay.ky;
}


/* ---- layout ---------------------------------------------------------- */

#define SWATCH_W 4.0
#define SWATCH_H 2.6
#define LEG_GAP 1.2
#define NORTH_W 3.0
#define NORTH_H 7.5

static int is_geographic(const cbc_map *m) {
  if (m->opt.geographic >= 0) return m->opt.geographic;
  const char *w = m->polys ? m->polys->srs_wkt : NULL;
  if (!w) return 0;
  while (*w == ' ' || *w == '\n') w++;
  return !strncmp(w, "GEOGCS", 6) || !strncmp(w, "GEOGCRS", 7) ||
         !strncmp(w, "GEOGRAPHICCRS", 13);
}

/* Fills the legend entries and returns the legend's size. */
static void legend_size(cbc_map *m, cbc_text *tx, const cbc_style *st,
                        double *w, double *h) {
  cbc_map_layout *L = &m->lay;
  double lh = st->pt * CBC_MM_PER_PT * 1.45, tw, th;
  L->legend_title[0] = 0;
  if (m->title && m->units)
    snprintf(L->legend_title, sizeof L->legend_title, "%s (%s)", m->title, m->units);
  else if (m->title || m->units)
    snprintf(L->legend_title, sizeof L->legend_title, "%s", m->title ? m->title : m->units);
  *w = 0, *h = 0;
  if (L->legend_title[0]) {
    cbc_measure(tx, st, L->legend_title, st->pt, 0, &tw, &th);
    L->legend_title_box = (cbc_rect){0, 0, tw, th};
    *w = tw, *h = th + 0.8;
  }
  L->nentries = 0;
  if (m->mode == MODE_CONT) {
    L->ramp = 1;
    cbc_ticks_make(m->vmin, m->vmax, 5, &L->ramp_ticks);
    double rh = fmin(28.0, lh * 7);
    double lw = 0;
    char buf[48];
    for (int i = 0; i < L->ramp_ticks.n; i++) {
      cbc_fmt_fixed(L->ramp_ticks.v[i], L->ramp_ticks.decimals, buf, sizeof buf);
      cbc_typeset_minus(buf, sizeof buf);
      cbc_measure(tx, st, buf, st->pt, 0, &tw, &th);
      lw = fmax(lw, tw);
    }
    L->ramp_box = (cbc_rect){0, *h + th / 2, 3.0, rh};
    *w = fmax(*w, 3.0 + 1.8 + lw);
    *h += rh + th;
  } else {
    for (int i = 0; i < L->k; i++) {
      cbc_legend_entry *en = &L->entries[L->nentries++];
      if (m->mode == MODE_CAT)
        snprintf(en->label, sizeof en->label, "%s", m->cats[i] ? m->cats[i] : "");
      else
        cbc_class_label(L->edges, L->k, i, en->label, sizeof en->label);
      en->color = L->class_colors[i];
      en->nodata = 0;
    }
  }
  if (L->nodata_count) {
    cbc_legend_entry *en = &L->entries[L->nentries++];
    snprintf(en->label, sizeof en->label, "%s", m->nodata_label);
    en->color = m->opt.nodata_color;
    en->nodata = 1;
  }
  double y = *h + (L->ramp ? 0.8 : 0);
  for (size_t i = 0; i < L->nentries; i++) {
    cbc_legend_entry *en = &L->entries[i];
    cbc_measure(tx, st, en->label, st->pt, 0, &tw, &th);
    en->swatch = (cbc_rect){0, y + (lh - SWATCH_H) / 2, SWATCH_W, SWATCH_H};
    en->text = (cbc_rect){SWATCH_W + LEG_GAP, y + (lh - th) / 2, tw, th};
    *w = fmax(*w, SWATCH_W + LEG_GAP + tw);
    y += lh;
  }
  *h = y;
}

static void shift_legend(cbc_map_layout *L, double x, double y) {
  L->legend_box.x = x, L->legend_box.y = y;
  L->legend_title_box.x += x, L->legend_title_box.y += y;
  L->ramp_box.x += x, L->ramp_box.y += y;
  for (size_t i = 0; i < L->nentries; i++) {
    L->entries[i].swatch.x += x, L->entries[i].swatch.y += y;
    L->entries[i].text.x += x, L->entries[i].text.y += y;
  }
}

static void fit_frame(cbc_map *m, cbc_rect avail) {
  cbc_map_layout *L = &m->lay;
  const double *b = m->polys->bbox;
  double dx = b[2] - b[0], dy = b[3] - b[1];
  double mx = 1, my = 1;
  L->geographic = is_geographic(m);
  L->lat_mid = (b[1] + b[3]) / 2;
  if (L->geographic) cbc_metres_per_degree(L->lat_mid, &mx, &my);
  if (!(dx > 0)) dx = dy > 0 ? dy : 1;
  if (!(dy > 0)) dy = dx;
  double s = fmin(avail.w / (dx * mx), avail.h / (dy * my));
  L->kx = s * mx, L->ky = s * my;
  double fw = dx * L->kx, fh = dy * L->ky;
  L->frame = (cbc_rect){avail.x + (avail.w - fw) / 2, avail.y + (avail.h - fh) / 2, fw, fh};
  L->ox = L->frame.x, L->oy = L->frame.y;
}

static void place_labels(cbc_map *m, cbc_text *tx, const cbc_style *st);

static int build_map(cbc_plot *p, cbc_rect box, cbc_text *tx,
                     const cbc_style *st, cb_err *e) {
  (void)e;
  cbc_map *m = (cbc_map *)p;
  cbc_map_layout *L = &m->lay;
  double lw = 0, lh = 0;
  int pos = m->opt.legend_pos;
  L->has_legend = pos != CBC_LEGEND_NONE && m->mode != MODE_OUTLINE;
  if (L->has_legend) legend_size(m, tx, st, &lw, &lh);
  L->legend_box.w = lw, L->legend_box.h = lh;
  if (!m->polys) { /* legend alone, centred vertically at the left */
    shift_legend(L, box.x + 1, box.y + fmax(0, (box.h - lh) / 2));
    return 0;
  }
  cbc_rect avail = box;
  L->has_scalebar = m->opt.scale_bar;
  L->has_north = m->opt.north_arrow;
  double th = st->pt * CBC_MM_PER_PT * 1.2;
  if (L->has_scalebar || m->opt.reserve) avail.h -= 1.0 + 1.2 + 0.6 + th;
  double col = 0;
  if (pos == CBC_LEGEND_RIGHT && L->has_legend) col = lw;
  /* The north arrow has its own column at the right, never over the map. */
  if (L->has_north || m->opt.reserve) col = fmax(col, NORTH_W);
  if (col > 0) avail.w -= col + 2.0;
  if (avail.w < 5 || avail.h < 5) avail.w = fmax(avail.w, 5), avail.h = fmax(avail.h, 5);
  fit_frame(m, avail);
  cbc_rect f = L->frame;
  /* With the furniture column at the right, pull it to the frame. */
  double colx = f.x + f.w + 2.0;
  if (L->has_legend) {
    double x, y;
    switch (pos) {
    case CBC_LEGEND_RIGHT: x = colx, y = f.y + f.h - lh; break;
    case CBC_LEGEND_BOTTOMLEFT: x = f.x + 1, y = f.y + f.h - lh - 1; break;
    case CBC_LEGEND_TOPLEFT: x = f.x + 1, y = f.y + 1; break;
    case CBC_LEGEND_TOPRIGHT: x = f.x + f.w - lw - 1, y = f.y + 1; break;
    default: x = f.x + f.w - lw - 1, y = f.y + f.h - lh - 1; break;
    }
    shift_legend(L, x, y);
  }
  if (L->has_north) L->north_box = (cbc_rect){colx, f.y, NORTH_W, NORTH_H};
  if (L->has_scalebar) {
    double mm_per_unit = L->kx;
    if (cbc_scalebar_make(mm_per_unit, L->geographic, L->lat_mid, f.w * 0.3,
                          &L->sb) == 0)
      L->sb_box = (cbc_rect){f.x, f.y + f.h + 1.0, L->sb.mm, 1.2 + 0.6 + th};
    else
      L->has_scalebar = 0;
  }
  if (m->labels) place_labels(m, tx, st);
  return 0;
}

/* ---- drawing --------------------------------------------------------- */

static void path_polygon(cairo_t *cr, const cbc_map *m, const cb_polygon *pg) {
  for (size_t r = 0; r < pg->nrings; r++) {
    const cb_ring *rg = &pg->rings[r];
    for (size_t j = 0; j < rg->n; j++) {
      double x, y;
      cbc_map_project(m, rg->xy[2 * j], rg->xy[2 * j + 1], &x, &y);
      if (j == 0) cairo_move_to(cr, x, y);
      else cairo_line_to(cr, x, y);
    }
    if (rg->n) cairo_close_path(cr);
  }
}

/* Grey hatch over the current path (consumed): the no-data style. */
static void hatch(cairo_t *cr, cbc_rgb base) {
  double x0, y0, x1, y1;
  cairo_save(cr);
  cairo_set_source_rgba(cr, base.r, base.g, base.b, base.a);
  cairo_fill_preserve(cr);
  cairo_clip(cr);
  cairo_clip_extents(cr, &x0, &y0, &x1, &y1);
  cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
  cairo_set_line_width(cr, 0.1);
  for (double d = x0 - (y1 - y0); d < x1; d += 0.9) {
    cairo_move_to(cr, d, y1);
    cairo_line_to(cr, d + (y1 - y0), y0);
  }
  cairo_stroke(cr);
  cairo_restore(cr);
}

static void draw_polys(cairo_t *cr, const cbc_map *m) {
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  for (size_t i = 0; i < m->polys->n; i++) {
    const cb_polygon *pg = &m->polys->polys[i];
    if (!pg->nrings) continue;
    cairo_new_path(cr);
    path_polygon(cr, m, pg);
    int nodata = m->mode != MODE_OUTLINE && (!m->values || isnan(m->values[i]));
    if (nodata) {
      hatch(cr, m->fill[i]);
    } else {
      cbc_rgb c = m->fill[i];
      cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
      cairo_fill(cr);
    }
  }
  cbc_rgb ec = m->opt.edge_color;
  cairo_set_source_rgba(cr, ec.r, ec.g, ec.b, ec.a);
  cairo_set_line_width(cr, m->mode == MODE_OUTLINE ? 0.15 : m->opt.edge_width);
  for (size_t i = 0; i < m->polys->n; i++) {
    cairo_new_path(cr);
    path_polygon(cr, m, &m->polys->polys[i]);
    cairo_stroke(cr);
  }
  if (m->overlay) {
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
    cairo_set_line_width(cr, m->opt.overlay_width);
    for (size_t i = 0; i < m->overlay->n; i++) {
      cairo_new_path(cr);
      path_polygon(cr, m, &m->overlay->polys[i]);
      cairo_stroke(cr);
    }
  }
}

/* Area-weighted centroid of the largest ring of a feature. */
static int label_point(const cb_polygon *pg, double *x, double *y) {
  double best = 0;
  int found = 0;
  for (size_t r = 0; r < pg->nrings; r++) {
    const cb_ring *rg = &pg->rings[r];
    if (rg->hole || rg->n < 3) continue;
    double a = 0, cx = 0, cy = 0;
    for (size_t j = 0; j < rg->n; j++) {
      size_t k = (j + 1) % rg->n;
      double x0 = rg->xy[2 * j], y0 = rg->xy[2 * j + 1];
      double x1 = rg->xy[2 * k], y1 = rg->xy[2 * k + 1];
      double c = x0 * y1 - x1 * y0;
      a += c, cx += (x0 + x1) * c, cy += (y0 + y1) * c;
    }
    if (fabs(a) > best) {
      best = fabs(a);
      *x = cx / (3 * a), *y = cy / (3 * a);
      found = 1;
    }
  }
  return found;
}

static double ring_area_abs(const cb_polygon *pg) {
  double a = 0;
  for (size_t r = 0; r < pg->nrings; r++)
    if (!pg->rings[r].hole) a += fabs(cb_ring_area(&pg->rings[r]));
  return a;
}

static int overlaps(cbc_rect a, cbc_rect b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* Greedy placement, largest features first: a label is shown when its box
 * does not overlap one already shown. */
static void place_labels(cbc_map *m, cbc_text *tx, const cbc_style *st) {
  size_t n = m->nlabels < m->polys->n ? m->nlabels : m->polys->n;
  size_t *order = malloc((n ? n : 1) * sizeof *order);
  double *area = malloc((n ? n : 1) * sizeof *area);
  if (!order || !area) { /* no memory: show none rather than overlap */
    free(order), free(area);
    memset(m->placed, 0, m->nlabels * sizeof *m->placed);
    return;
  }
  for (size_t i = 0; i < n; i++) {
    order[i] = i;
    area[i] = ring_area_abs(&m->polys->polys[i]);
  }
  for (size_t i = 1; i < n; i++) /* insertion sort by area, descending */
    for (size_t j = i; j > 0 && area[order[j]] > area[order[j - 1]]; j--) {
      size_t t = order[j];
      order[j] = order[j - 1], order[j - 1] = t;
    }
  for (size_t k = 0; k < n; k++) {
    size_t i = order[k];
    cbc_map_label *pl = &m->placed[i];
    double x, y, w, h;
    pl->shown = 0;
    if (!m->labels[i] || !label_point(&m->polys->polys[i], &x, &y)) continue;
    cbc_map_project(m, x, y, &x, &y);
    cbc_measure(tx, st, m->labels[i], st->pt_small, 0, &w, &h);
    pl->box = (cbc_rect){x - w / 2, y - h / 2, w, h};
    pl->shown = 1;
    for (size_t q = 0; q < k && pl->shown; q++)
      if (m->placed[order[q]].shown && overlaps(pl->box, m->placed[order[q]].box))
        pl->shown = 0;
  }
  free(order);
  free(area);
}

const cbc_map_label *cbc_map_labels(const cbc_map *m) { return m->placed; }

static void draw_labels(cairo_t *cr, const cbc_map *m, cbc_text *tx,
                        const cbc_style *st) {
  if (!st->draw_text) return;
  for (size_t i = 0; i < m->nlabels && i < m->polys->n; i++) {
    const cbc_map_label *pl = &m->placed[i];
    if (!pl->shown) continue;
    cbc_text_draw(cr, tx, m->labels[i], st->pt_small, 0, pl->box.x + pl->box.w / 2,
                  pl->box.y + pl->box.h / 2, 0.5, 0.5, 0, st->ink, 0.5, NULL);
  }
}

static void draw_legend(cairo_t *cr, const cbc_map *m, cbc_text *tx,
                        const cbc_style *st) {
  const cbc_map_layout *L = &m->lay;
  if (L->legend_title[0])
    cbc_label(cr, tx, st, L->legend_title, st->pt, 0, L->legend_title_box.x,
              L->legend_title_box.y, 0, 0, 0);
  if (L->ramp) {
    cbc_rect r = L->ramp_box;
    int steps = 64;
    for (int i = 0; i < steps; i++) { /* high values on top */
      double v0 = L->ramp_ticks.lo, v1 = L->ramp_ticks.hi;
      double v = v1 - (v1 - v0) * (i + 0.5) / steps, t;
      if (m->centered) {
        double dev = fmax(fabs(m->vmax - m->center), fabs(m->vmin - m->center));
        t = dev > 0 ? 0.5 + 0.5 * (v - m->center) / dev : 0.5;
      } else {
        t = m->vmax > m->vmin ? (v - m->vmin) / (m->vmax - m->vmin) : 0.5;
      }
      cbc_rgb c = cbc_palette_at(&m->pal, t);
      cairo_set_source_rgba(cr, c.r, c.g, c.b, 1);
      cairo_rectangle(cr, r.x, r.y + r.h * i / steps, r.w, r.h / steps + 0.05);
      cairo_fill(cr);
    }
    cbc_lin map = {L->ramp_ticks.lo, L->ramp_ticks.hi, r.y + r.h, r.y};
    char buf[48];
    cairo_set_source_rgba(cr, st->ink.r, st->ink.g, st->ink.b, 1);
    cairo_set_line_width(cr, st->line_w * 0.8);
    for (int i = 0; i < L->ramp_ticks.n; i++) {
      double y = cbc_lin_map(&map, L->ramp_ticks.v[i]);
      cairo_move_to(cr, r.x + r.w, y);
      cairo_line_to(cr, r.x + r.w + 0.8, y);
      cairo_stroke(cr);
      cbc_fmt_fixed(L->ramp_ticks.v[i], L->ramp_ticks.decimals, buf, sizeof buf);
      cbc_typeset_minus(buf, sizeof buf);
      cbc_label(cr, tx, st, buf, st->pt, 0, r.x + r.w + 1.4, y, 0, 0.5, 0);
    }
  }
  for (size_t i = 0; i < L->nentries; i++) {
    const cbc_legend_entry *en = &L->entries[i];
    cbc_rect s = en->swatch;
    cairo_new_path(cr);
    cairo_rectangle(cr, s.x, s.y, s.w, s.h);
    if (en->nodata) {
      hatch(cr, en->color);
      cairo_rectangle(cr, s.x, s.y, s.w, s.h);
    } else {
      cairo_set_source_rgba(cr, en->color.r, en->color.g, en->color.b, 1);
      cairo_fill_preserve(cr);
    }
    cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
    cairo_set_line_width(cr, 0.08);
    cairo_stroke(cr);
    cbc_label(cr, tx, st, en->label, st->pt, 0, en->text.x, en->text.y, 0, 0, 0);
  }
}

static void draw_north(cairo_t *cr, const cbc_map *m, cbc_text *tx,
                       const cbc_style *st) {
  cbc_rect b = m->lay.north_box;
  double cx = b.x + b.w / 2, top = b.y + b.h * 0.36, bot = b.y + b.h;
  double hw = b.w / 2;
  cbc_rgb k = st->ink;
  cbc_label(cr, tx, st, "N", st->pt, 0, cx, b.y, 0.5, 0, 0);
  cairo_new_path(cr);
  cairo_move_to(cr, cx, top);
  cairo_line_to(cr, cx - hw, bot);
  cairo_line_to(cr, cx, bot - (bot - top) * 0.28);
  cairo_close_path(cr);
  cairo_set_source_rgba(cr, k.r, k.g, k.b, 1);
  cairo_fill(cr);
  cairo_move_to(cr, cx, top);
  cairo_line_to(cr, cx + hw, bot);
  cairo_line_to(cr, cx, bot - (bot - top) * 0.28);
  cairo_close_path(cr);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_fill_preserve(cr);
  cairo_set_source_rgba(cr, k.r, k.g, k.b, 1);
  cairo_set_line_width(cr, 0.12);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
  cairo_stroke(cr);
}

static void draw_scalebar(cairo_t *cr, const cbc_map *m, cbc_text *tx,
                          const cbc_style *st) {
  const cbc_scalebar *sb = &m->lay.sb;
  cbc_rect b = m->lay.sb_box;
  double h = 1.0, seg = sb->mm / sb->segments;
  cbc_rgb k = st->ink;
  for (int i = 0; i < sb->segments; i++) {
    cairo_rectangle(cr, b.x + i * seg, b.y, seg, h);
    if (i % 2 == 0) cairo_set_source_rgba(cr, k.r, k.g, k.b, 1);
    else cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    cairo_set_source_rgba(cr, k.r, k.g, k.b, 1);
    cairo_set_line_width(cr, 0.1);
    cairo_stroke(cr);
  }
  char num[32];
  cbc_label(cr, tx, st, "0", st->pt, 0, b.x, b.y + h + 0.5, 0.5, 0, 0);
  cbc_fmt_sig(sb->metres / sb->unit_div, 6, num, sizeof num);
  double nw, nh;
  cbc_measure(tx, st, num, st->pt, 0, &nw, &nh);
  cbc_label(cr, tx, st, num, st->pt, 0, b.x + sb->mm, b.y + h + 0.5, 0.5, 0, 0);
  cbc_label(cr, tx, st, sb->unit, st->pt, 0, b.x + sb->mm + nw / 2 + 0.8,
            b.y + h + 0.5, 0, 0, 0);
}

static void render_map(cbc_plot *p, cairo_t *cr, cbc_text *tx,
                       const cbc_style *st) {
  cbc_map *m = (cbc_map *)p;
  cairo_save(cr);
  if (m->polys) {
    draw_polys(cr, m);
    if (m->labels) draw_labels(cr, m, tx, st);
    if (m->lay.has_north) draw_north(cr, m, tx, st);
    if (m->lay.has_scalebar) draw_scalebar(cr, m, tx, st);
  }
  if (m->lay.has_legend) draw_legend(cr, m, tx, st);
  cairo_restore(cr);
}
