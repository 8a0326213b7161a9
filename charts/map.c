/* Map: copy and classify the spec (new), lay out the frame and what goes
 * on it (build), draw (render); polygons through a data -> paper map. */
#include "map_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crs.h"

const char *const cbc_symbol_names[] = {"fill", "line", "point", "path", NULL};
const char *const cbc_pos_names[] = {
    "auto", "topleft", "top", "topright", "left", "right", "bottomleft",
    "bottom", "bottomright", "outside", "none", NULL};

void cbc_map_spec_defaults(cbc_map_spec *s) {
  memset(s, 0, sizeof *s);
  s->k = 5;
  s->breaks_round = 1;
  s->geographic = -1;
  s->legend_pos = CBC_POS_AUTO;
  s->legend_box = -1;
  s->legend_opacity = 0.85;
  s->overlay_width = 0.3;
  s->overlay_color = (cbc_rgb){0.15, 0.15, 0.15, 1};
  s->inset_scale = 3;
  s->nodata_color = cbc_hex(0xd9d9d9);
  s->edge_color = cbc_hex(0x7f7f7f);
  s->edge_width = 0; /* the figure's (its theme's) edge width */
}

cb_polyset *cbc_polyset_copy(const cb_polyset *src) {
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
  cb_polyset_free(m->locator);
  cb_polyset_free(m->highlight);
  free(m->values);
  for (size_t i = 0; i < m->nlabels; i++) free(m->labels[i]);
  free(m->labels);
  free(m->placed);
  for (size_t i = 0; i < m->ncats; i++) free(m->cats[i]);
  free(m->cats);
  for (size_t i = 0; i < m->ngrat; i++) free((double *)m->grat[i].xy);
  free(m->grat);
  free(m->fill);
  free(m->title);
  free(m->units);
  free(m->nodata_label);
  cbc_occ_free(&m->occ);
  free(m);
}

static int build_map(cbc_plot *p, cbc_rect box, cbc_text *tx,
                     const cbc_style *st, cb_err *e);
static void render_map(cbc_plot *p, cairo_t *cr, cbc_text *tx,
                       const cbc_style *st);

/* Computed diverging classes get the centre as a limit: the nearest inner
 * limit moves to it when the order allows, else it splits its class. */
static void centre_edge(cbc_map_layout *L, double c) {
  if (!(c > L->edges[0] && c < L->edges[L->k])) return;
  int best = -1;
  for (int j = 1; j < L->k; j++) {
    if (L->edges[j] == c) return;
    if (L->edges[j - 1] < c && c < L->edges[j + 1] &&
        (best < 0 || fabs(L->edges[j] - c) < fabs(L->edges[best] - c)))
      best = j;
  }
  if (best >= 0) {
    L->edges[best] = c;
    return;
  }
  if (L->k >= CBC_MAX_CLASSES) return;
  int i = cbc_class_of(c, L->edges, L->k);
  memmove(&L->edges[i + 2], &L->edges[i + 1], (L->k - i) * sizeof(double));
  L->edges[i + 1] = c;
  L->k++;
}

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
    if (m->centered) centre_edge(L, m->center);
  }
  if (m->centered)
    cbc_palette_centered(&m->pal, L->edges, L->k, m->center, L->class_colors);
  else
    cbc_palette_classes(&m->pal, L->k, L->class_colors);
  return 0;
}

/* Range of the finite values; fails when none is finite and nothing else
 * (breaks, categories) can stand in for them. */
static int value_range(cbc_map *m, const cbc_map_spec *s, size_t n,
                       cb_err *e) {
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
  return 0;
}

/* The fill of feature i (its class, category or ramp colour). */
static int feature_fill(cbc_map *m, size_t i, cb_err *e) {
  cbc_map_layout *L = &m->lay;
  double v = m->values ? m->values[i] : NAN;
  cbc_rgb c = m->opt.nodata_color;
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
  return 0;
}

static int setup(cbc_map *m, const cbc_map_spec *s, cb_err *e) {
  size_t n = m->polys ? m->polys->n : s->nvalues;
  cbc_map_layout *L = &m->lay;
  const char *pal = s->palette;
  if (!pal)
    pal = m->mode == MODE_CAT ? "OkabeIto" : m->centered ? "RdBu_r" : "YlOrRd";
  if (cbc_palette_find(pal, &m->pal, e)) return -1;
  if (m->values && value_range(m, s, n, e)) return -1;
  if (m->mode == MODE_CLASSES && setup_classes(m, s, n, e)) return -1;
  if (m->mode == MODE_CAT) {
    L->k = (int)m->ncats;
    cbc_palette_classes(&m->pal, L->k, L->class_colors);
  }
  for (int i = 0; i < L->k && i < (int)s->ncolors; i++)
    L->class_colors[i] = s->colors[i];
  if (!m->polys) { /* a legend alone: "No data" when its values miss one */
    for (size_t i = 0; m->values && m->mode != MODE_CAT && i < n; i++)
      L->nodata_count += isnan(m->values[i]);
    return 0;
  }
  for (size_t i = 0; i < n; i++)
    if (feature_fill(m, i, e)) return -1;
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

static int copy_grat(cbc_map *m, const cbc_map_spec *s) {
  if (!s->grat || !s->ngrat) return 0;
  if (!(m->grat = calloc(s->ngrat, sizeof *m->grat))) return -1;
  for (size_t i = 0; i < s->ngrat; i++) {
    double *xy = malloc((2 * s->grat[i].n + 1) * sizeof *xy);
    if (!xy) return -1;
    memcpy(xy, s->grat[i].xy, 2 * s->grat[i].n * sizeof *xy);
    m->grat[i] = s->grat[i];
    m->grat[i].xy = xy;
    m->ngrat++;
  }
  return 0;
}

/* Checks of the spec that need no copy. */
static int check_spec(const cbc_map_spec *s, size_t n, cb_err *e) {
  if (s->polys && s->values && s->nvalues != n)
    return cb_err_set(e, "map: values has %zu entries but the layer has %zu "
                      "features; give one value per feature", s->nvalues, n);
  if (s->labels && s->polys && s->nlabels != n)
    return cb_err_set(e, "map: labels has %zu entries but the layer has %zu "
                      "features", s->nlabels, n);
  if (s->polys && !(s->polys->bbox[0] <= s->polys->bbox[2]))
    return cb_err_set(e, "map: the layer is empty (%zu features, none with a "
                      "polygon); nothing to draw", n);
  if (s->ncategories > CBC_MAX_CATEGORIES)
    return cb_err_set(e, "map: %zu categories; at most %d", s->ncategories,
                      CBC_MAX_CATEGORIES);
  if (s->nsymbols && s->nsymbols != s->ncategories)
    return cb_err_set(e, "map: symbols has %zu entries but there are %zu "
                      "categories; give one symbol per category", s->nsymbols,
                      s->ncategories);
  for (size_t i = 0; i < s->nsymbols; i++)
    if (s->symbols[i] > CBC_SYM_PATH)
      return cb_err_set(e, "map: symbols[%zu] is %d, not a cbc_symbol", i + 1,
                        s->symbols[i]);
  if (s->inset && s->polys) {
    const double *a = s->inset_bbox, *b = s->polys->bbox;
    if (!(a[0] < a[2] && a[1] < a[3]))
      return cb_err_set(e, "map: inset bbox {%g, %g, %g, %g} is empty; give "
                        "{xmin, ymin, xmax, ymax} with xmin < xmax and ymin "
                        "< ymax", a[0], a[1], a[2], a[3]);
    if (a[2] <= b[0] || a[0] >= b[2] || a[3] <= b[1] || a[1] >= b[3])
      return cb_err_set(e, "map: inset bbox {%g, %g, %g, %g} is outside the "
                        "map's extent {%.6g, %.6g, %.6g, %.6g}; give it in "
                        "the map's coordinates, inside that extent", a[0],
                        a[1], a[2], a[3], b[0], b[1], b[2], b[3]);
    if (!(s->inset_scale > 1 && s->inset_scale <= 50))
      return cb_err_set(e, "map: inset scale %g: use a magnification above "
                        "1 (up to 50)", s->inset_scale);
  }
  return 0;
}

static int copy_spec(cbc_map *m, const cbc_map_spec *s, size_t n) {
  if ((s->polys && !(m->polys = cbc_polyset_copy(s->polys))) ||
      (s->overlay && !(m->overlay = cbc_polyset_copy(s->overlay))) ||
      (s->locator && !(m->locator = cbc_polyset_copy(s->locator))) ||
      (s->highlight && !(m->highlight = cbc_polyset_copy(s->highlight))))
    return -1;
  if (s->values && n) {
    if (!(m->values = malloc(n * sizeof(double)))) return -1;
    memcpy(m->values, s->values, n * sizeof(double));
  }
  if (!(m->fill = calloc(n ? n : 1, sizeof *m->fill))) return -1;
  if (s->labels &&
      (copy_strings(&m->labels, &m->nlabels, s->labels, s->nlabels) ||
       !(m->placed = calloc(s->nlabels ? s->nlabels : 1, sizeof *m->placed))))
    return -1;
  if (s->categories &&
      copy_strings(&m->cats, &m->ncats, s->categories, s->ncategories))
    return -1;
  for (size_t i = 0; i < s->nsymbols && i < CBC_MAX_CATEGORIES; i++)
    m->symbols[i] = s->symbols[i];
  if ((s->legend_title && !(m->title = cbc_strdup(s->legend_title))) ||
      (s->units && !(m->units = cbc_strdup(s->units))) ||
      !(m->nodata_label = cbc_strdup(s->nodata_label ? s->nodata_label : "No data")))
    return -1;
  return copy_grat(m, s);
}

cbc_map *cbc_map_new(const cbc_map_spec *s, cb_err *e) {
  size_t n = s->polys ? s->polys->n : s->nvalues;
  if (check_spec(s, n, e)) return NULL;
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
  if (copy_spec(m, s, n)) goto oom;
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
const cbc_map_label *cbc_map_labels(const cbc_map *m) { return m->placed; }

void cbc_minimap_project(const cbc_minimap *mm, double x, double y, double *fx,
                         double *fy) {
  *fx = mm->ox + (x - mm->bbox[0]) * mm->kx;
  *fy = mm->oy + (mm->bbox[3] - y) * mm->ky;
}

cbc_minimap cbc_map_main(const cbc_map *m) {
  cbc_minimap mm = {{0}, m->lay.kx, m->lay.ky, m->lay.ox, m->lay.oy};
  memcpy(mm.bbox, m->polys->bbox, sizeof mm.bbox);
  return mm;
}

void cbc_map_project(const cbc_map *m, double x, double y, double *fx,
                     double *fy) {
  cbc_minimap mm = cbc_map_main(m);
  cbc_minimap_project(&mm, x, y, fx, fy);
}

/* Fits bbox into box (centred), x scaled kx_per_ky times y. */
void cbc_minimap_fit(cbc_minimap *mm, const double *bbox, cbc_rect box,
                     double kx_per_ky) {
  memcpy(mm->bbox, bbox, sizeof mm->bbox);
  double dx = bbox[2] - bbox[0], dy = bbox[3] - bbox[1];
  if (!(dx > 0)) dx = 1;
  if (!(dy > 0)) dy = 1;
  double ky = fmin(box.w / (dx * kx_per_ky), box.h / dy);
  mm->ky = ky, mm->kx = ky * kx_per_ky;
  mm->ox = box.x + (box.w - dx * mm->kx) / 2;
  mm->oy = box.y + (box.h - dy * ky) / 2;
}

/* ---- layout ---------------------------------------------------------- */

static int is_geographic(const cbc_map *m) {
  if (m->opt.geographic >= 0) return m->opt.geographic;
  return m->polys && cb_crs_geographic(m->polys->srs_wkt);
}

static void place_legend_box(cbc_map *m, double lw, double lh) {
  cbc_map_layout *L = &m->lay;
  if (!L->has_legend) return;
  cbc_rect f = L->frame;
  if (m->opt.legend_pos == CBC_POS_OUTSIDE) {
    L->legend = (cbc_placed){1, CBC_POS_OUTSIDE,
                             {f.x + f.w + 2.0, f.y + f.h - lh, lw, lh}, 0};
    L->legend_bg = 0;
    cbc_legend_shift(L, f.x + f.w + 2.0, f.y + f.h - lh);
    return;
  }
  double pad = L->legend_bg ? 1.2 : 0;
  cbc_legend_shift(L, L->legend.box.x + pad, L->legend.box.y + pad);
  (void)lw;
}

/* Elements that found no free space sit on the map: say which, once. */
static void warn_covering(cbc_map *m) {
  const cbc_map_layout *L = &m->lay;
  const char *names[] = {"legend", "north arrow", "scale bar", "inset", "locator"};
  const cbc_placed *el[] = {&L->legend, &L->north, &L->scalebar, &L->inset, &L->locator};
  for (int k = 0; k < 5 && !m->warned_cover; k++)
    if (el[k]->on && el[k]->covers > 0.02) {
      m->warned_cover = 1;
      cb_warn("map: no free space for the %s; it covers %.0f%% of its box of "
              "the map at %s%s (a larger panel or another position frees it)",
              names[k], 100 * el[k]->covers, cbc_pos_names[el[k]->pos],
              k == 0 && L->legend_bg ? ", on a white box" : "");
    }
}

static int build_map(cbc_plot *p, cbc_rect box, cbc_text *tx,
                     const cbc_style *st, cb_err *e) {
  cbc_map *m = (cbc_map *)p;
  cbc_map_layout *L = &m->lay;
  double lw = 0, lh = 0;
  cbc_pos pos = m->opt.legend_pos;
  L->has_legend = pos != CBC_POS_NONE && m->mode != MODE_OUTLINE;
  if (L->has_legend) cbc_legend_size(m, tx, st, &lw, &lh);
  if (!m->polys) { /* legend alone, centred vertically at the left */
    m->legend_k = 1;
    if (L->has_legend && lw > box.w - 1 && box.w > 2) { /* smaller text, not clipped */
      cbc_style small = *st;
      m->legend_k = (box.w - 1) / lw;
      small.pt *= m->legend_k;
      cbc_legend_size(m, tx, &small, &lw, &lh);
    }
    cbc_legend_shift(L, box.x + 1, box.y + fmax(0, (box.h - lh) / 2));
    return 0;
  }
  L->edge_w = m->opt.edge_width > 0 ? m->opt.edge_width : st->edge_w;
  L->geographic = is_geographic(m);
  L->lat_mid = (m->polys->bbox[1] + m->polys->bbox[3]) / 2;
  L->has_grat = m->ngrat > 0;
  cbc_rect frame = box;
  if (L->has_grat) {
    double l = cbc_grat_margin(m, tx, st, 1), b = cbc_grat_margin(m, tx, st, 0);
    double t = cbc_grat_margin(m, tx, st, 2), r = cbc_grat_margin(m, tx, st, 3);
    frame = (cbc_rect){box.x + l, box.y + t, box.w - l - r, box.h - t - b};
  }
  if (L->has_legend && pos == CBC_POS_OUTSIDE) frame.w -= lw + 2.0;
  frame.w = fmax(frame.w, 5), frame.h = fmax(frame.h, 5);
  L->legend_bg = L->has_legend && pos != CBC_POS_OUTSIDE && m->opt.legend_box != 0;
  if (cbc_map_place(m, frame, tx, st, lw, lh))
    return cb_err_set(e, "map: out of memory");
  place_legend_box(m, lw, lh);
  warn_covering(m);
  if (L->has_grat) cbc_grat_ticks(m);
  if (m->labels) {
    cbc_map_place_labels(m, tx, st);
    cbc_map_warn_dropped(m);
  }
  return 0;
}

/* ---- drawing --------------------------------------------------------- */

void cbc_path_polygon(cairo_t *cr, const cb_polygon *pg, const cbc_minimap *mm) {
  for (size_t r = 0; r < pg->nrings; r++) {
    const cb_ring *rg = &pg->rings[r];
    for (size_t j = 0; j < rg->n; j++) {
      double x, y;
      cbc_minimap_project(mm, rg->xy[2 * j], rg->xy[2 * j + 1], &x, &y);
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

void cbc_hatch_path(cairo_t *cr, cbc_rgb base) { hatch(cr, base); }

static void stroke_set(cairo_t *cr, const cb_polyset *ps, const cbc_minimap *mm) {
  for (size_t i = 0; i < ps->n; i++) {
    cairo_new_path(cr);
    cbc_path_polygon(cr, &ps->polys[i], mm);
    cairo_stroke(cr);
  }
}

/* Fills, edges and the overlay through mm (the main map or an inset). */
void cbc_draw_fills(cairo_t *cr, const cbc_map *m, const cbc_minimap *mm,
                    double scale) {
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  for (size_t i = 0; i < m->polys->n; i++) {
    const cb_polygon *pg = &m->polys->polys[i];
    if (!pg->nrings) continue;
    cairo_new_path(cr);
    cbc_path_polygon(cr, pg, mm);
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
  cairo_set_line_width(cr, m->lay.edge_w * (m->mode == MODE_OUTLINE ? 1.9 : 1) *
                               fmin(scale, 2));
  stroke_set(cr, m->polys, mm);
  if (m->overlay) {
    cbc_rgb oc = m->opt.overlay_color;
    cairo_set_source_rgba(cr, oc.r, oc.g, oc.b, oc.a);
    cairo_set_line_width(cr, m->opt.overlay_width);
    stroke_set(cr, m->overlay, mm);
  }
}

static void render_map(cbc_plot *p, cairo_t *cr, cbc_text *tx,
                       const cbc_style *st) {
  cbc_map *m = (cbc_map *)p;
  cairo_save(cr);
  if (m->polys) {
    cbc_minimap mm = cbc_map_main(m);
    cbc_draw_fills(cr, m, &mm, 1);
    if (m->lay.has_grat) cbc_draw_grat(cr, m, tx, st);
    if (m->labels) cbc_map_draw_labels(cr, m, tx, st, 0);
    if (m->lay.locator.on) cbc_draw_locator(cr, m, st);
    if (m->lay.inset.on) cbc_draw_inset(cr, m, tx, st);
    if (m->lay.has_north) cbc_draw_north(cr, m, tx, st);
    if (m->lay.has_scalebar) cbc_draw_scalebar(cr, m, tx, st);
  }
  if (m->lay.has_legend) {
    cbc_style small = *st;
    if (!m->polys && m->legend_k > 0) small.pt *= m->legend_k;
    cbc_legend_draw(cr, m, tx, &small);
  }
  cairo_restore(cr);
}
