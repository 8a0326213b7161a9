/* Choropleth and category maps of polygons with legend, north arrow,
 * scale bar, labels and a boundary overlay; with no polygons, a legend
 * alone (the shared legend of a row of maps). */
#ifndef CBC_MAP_H
#define CBC_MAP_H

#include <stddef.h>

#include "classes.h"
#include "core/geom.h"
#include "palette.h"
#include "plot.h"
#include "scale.h"
#include "scalebar.h"

#define CBC_MAX_CATEGORIES 64

typedef enum {
  CBC_LEGEND_RIGHT, CBC_LEGEND_BOTTOMRIGHT, CBC_LEGEND_BOTTOMLEFT,
  CBC_LEGEND_TOPLEFT, CBC_LEGEND_TOPRIGHT, CBC_LEGEND_NONE
} cbc_legend_pos;

/* What the caller gives; everything is copied by cbc_map_new. */
typedef struct cbc_map_spec {
  const cb_polyset *polys;        /* NULL: legend only */
  const double *values;           /* one per feature; NULL: outlines only */
  size_t nvalues;
  const double *breaks;           /* k+1 edges; NULL: auto or continuous */
  size_t nbreaks;
  const char *auto_breaks;        /* "quantile" | "equal" | "jenks" when
                                     breaks NULL */
  int k;                          /* classes for auto_breaks (5) */
  int breaks_round;               /* pretty limits for auto_breaks (1) */
  int continuous;                 /* colour ramp instead of classes */
  const char *palette;            /* NULL: YlOrRd, RdBu_r centred, Set2 */
  int centered;                   /* diverging around `center` */
  double center;
  const char *const *categories;  /* category map: value c is categories[c-1] */
  size_t ncategories;
  const cbc_rgb *colors;          /* explicit class/category colours */
  size_t ncolors;
  const char *legend_title, *units;
  cbc_legend_pos legend_pos;
  int north_arrow, scale_bar;
  int reserve;                    /* keep room for both even when not drawn,
                                     so maps in a grid share one scale */
  int geographic;                 /* -1: from the CRS; 0 metres; 1 degrees */
  const char *const *labels;      /* one per feature, NULL entries skipped */
  size_t nlabels;
  const cb_polyset *overlay;      /* boundaries drawn over the fill */
  double overlay_width;           /* mm (0.3) */
  cbc_rgb nodata_color;
  const char *nodata_label;       /* "No data" */
  cbc_rgb edge_color;
  double edge_width;              /* mm (0.08) */
} cbc_map_spec;

void cbc_map_spec_defaults(cbc_map_spec *s);

typedef struct cbc_legend_entry {
  char label[96];
  cbc_rgb color;
  int nodata;
  cbc_rect swatch, text;
} cbc_legend_entry;

/* The built layout: everything render draws, as numbers. */
typedef struct cbc_map_layout {
  cbc_rect frame;             /* where the polygons go */
  double kx, ky;              /* mm per x unit and per y unit */
  double ox, oy;              /* frame point of data (xmin, ymax) */
  int geographic;
  double lat_mid;             /* latitude of the map centre (geographic) */
  int k;                      /* classes (0 when continuous/outline) */
  double edges[CBC_MAX_CLASSES + 1];
  cbc_rgb class_colors[CBC_MAX_CATEGORIES];
  size_t counts[CBC_MAX_CATEGORIES]; /* features per class/category */
  size_t nodata_count;
  int has_legend;
  cbc_rect legend_box;
  char legend_title[160];
  cbc_rect legend_title_box;
  cbc_legend_entry entries[CBC_MAX_CATEGORIES + 1];
  size_t nentries;
  int ramp;                   /* continuous legend: a colour ramp */
  cbc_rect ramp_box;
  cbc_ticks ramp_ticks;
  int has_scalebar;
  cbc_scalebar sb;
  cbc_rect sb_box;
  int has_north;
  cbc_rect north_box;
} cbc_map_layout;

/* A feature label after placement: where its text goes, and whether it is
 * drawn (labels that would overlap a larger feature's label are left out). */
typedef struct cbc_map_label {
  cbc_rect box;
  int shown;
} cbc_map_label;

typedef struct cbc_map cbc_map;

/* Validates and copies the spec; classifies values (computes breaks when
 * asked). Fails naming the problem: values length != features, all values
 * missing, unknown palette, bad breaks, category out of range. */
cbc_map *cbc_map_new(const cbc_map_spec *s, cb_err *e);

cbc_plot *cbc_map_plot(cbc_map *m);
const cbc_map_layout *cbc_map_layout_get(const cbc_map *m);

/* Colour of feature i after classification (nodata colour for missing). */
cbc_rgb cbc_map_feature_color(const cbc_map *m, size_t i);

/* Placed labels, one per feature (NULL without labels), after build. */
const cbc_map_label *cbc_map_labels(const cbc_map *m);

/* Frame position in mm of data point (x, y), after build. */
void cbc_map_project(const cbc_map *m, double x, double y, double *fx,
                     double *fy);

#endif
