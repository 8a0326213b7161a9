/* Inside the map module: the map object and the functions its files share
 * (map.c: spec, classes, build, polygons; map_legend.c; map_place.c: free
 * space; map_labels.c; map_extras.c: furniture, inset, locator, graticule). */
#ifndef CBC_MAP_INT_H
#define CBC_MAP_INT_H

#include "map.h"

enum { MODE_OUTLINE, MODE_CLASSES, MODE_CONT, MODE_CAT };

/* Polygon coverage on a grid over the data bbox, as a summed-area table:
 * the covered share of any rectangle in O(1). */
typedef struct cbc_occ {
  int nx, ny;
  double x0, y0, dx, dy;      /* cell (0, 0) at (x0, y0), y up */
  unsigned *sat;              /* (nx + 1) x (ny + 1) */
} cbc_occ;

struct cbc_map {
  cbc_plot plot;
  cb_polyset *polys, *overlay, *locator, *highlight;
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
  unsigned char symbols[CBC_MAX_CATEGORIES]; /* per category (cbc_symbol) */
  cbc_gratline *grat;     /* copies (xy owned) */
  size_t ngrat;
  cbc_map_spec opt;       /* scalars only; pointers cleared */
  char *title, *units, *nodata_label;
  cbc_occ occ;
  int warned;             /* dropped labels reported once */
  int warned_cover;       /* elements on the map reported once */
  double legend_k;        /* a legend alone: text scale that fits its box */
  cbc_map_layout lay;
};

/* map.c */
cb_polyset *cbc_polyset_copy(const cb_polyset *src);
void cbc_path_polygon(cairo_t *cr, const cb_polygon *pg, const cbc_minimap *mm);
cbc_minimap cbc_map_main(const cbc_map *m);
void cbc_draw_fills(cairo_t *cr, const cbc_map *m, const cbc_minimap *mm,
                    double scale);
void cbc_minimap_project(const cbc_minimap *mm, double x, double y, double *fx,
                         double *fy);
void cbc_hatch_path(cairo_t *cr, cbc_rgb base); /* consumes the path */

/* map_legend.c: entries and size (relative to 0, 0), moving, drawing. */
void cbc_legend_size(cbc_map *m, cbc_text *tx, const cbc_style *st, double *w,
                     double *h);
void cbc_legend_shift(cbc_map_layout *L, double x, double y);
void cbc_legend_draw(cairo_t *cr, const cbc_map *m, cbc_text *tx,
                     const cbc_style *st);

/* map_place.c */
int cbc_occ_build(cbc_occ *o, const cb_polyset *ps, int cells);
void cbc_occ_free(cbc_occ *o);
int cbc_map_place(cbc_map *m, cbc_rect frame, cbc_text *tx,
                  const cbc_style *st, double lw, double lh);

/* map_labels.c */
void cbc_map_place_labels(cbc_map *m, cbc_text *tx, const cbc_style *st);
void cbc_map_draw_labels(cairo_t *cr, const cbc_map *m, cbc_text *tx,
                         const cbc_style *st, int inset);
void cbc_map_warn_dropped(cbc_map *m);

/* map_extras.c */
#define CBC_NORTH_W 3.0
#define CBC_NORTH_H 7.5
void cbc_scalebar_size(const cbc_map *m, double kx, double max_mm,
                       cbc_text *tx, const cbc_style *st, cbc_scalebar *sb,
                       double *w, double *h);
void cbc_draw_north(cairo_t *cr, const cbc_map *m, cbc_text *tx,
                    const cbc_style *st);
void cbc_draw_scalebar(cairo_t *cr, const cbc_map *m, cbc_text *tx,
                       const cbc_style *st);
double cbc_grat_margin(const cbc_map *m, cbc_text *tx, const cbc_style *st,
                       int side);
void cbc_grat_ticks(cbc_map *m);
void cbc_draw_grat(cairo_t *cr, const cbc_map *m, cbc_text *tx,
                   const cbc_style *st);
void cbc_draw_inset(cairo_t *cr, const cbc_map *m, cbc_text *tx,
                    const cbc_style *st);
void cbc_draw_locator(cairo_t *cr, const cbc_map *m, const cbc_style *st);
void cbc_minimap_fit(cbc_minimap *mm, const double *bbox, cbc_rect box,
                     double kx_per_ky);

#endif
