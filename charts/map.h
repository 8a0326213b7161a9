/* Choropleth and category maps of polygons: the extent fills the panel,
 * and the legend, north arrow, scale bar, a zoomed inset and a locator map
 * go where the map leaves free space; labels (with callouts), a graticule
 * and boundary overlays. With no polygons, a legend alone (the shared
 * legend of a row of maps). */
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

/* Where a map element goes: AUTO picks free space; the eight compass
 * positions are inside the map's frame; OUTSIDE (legends only) is a column
 * at the right of the frame. */
typedef enum {
  CBC_POS_AUTO, CBC_POS_TOPLEFT, CBC_POS_TOP, CBC_POS_TOPRIGHT, CBC_POS_LEFT,
  CBC_POS_RIGHT, CBC_POS_BOTTOMLEFT, CBC_POS_BOTTOM, CBC_POS_BOTTOMRIGHT,
  CBC_POS_OUTSIDE, CBC_POS_NONE
} cbc_pos;

/* Names of the positions, in enum order ("auto", "topleft", ...,
 * "outside", "none"), NULL-terminated. */
extern const char *const cbc_pos_names[];

/* A graticule line (a meridian or a parallel) in the map's coordinates. */
typedef struct cbc_gratline {
  const double *xy;   /* n interleaved x, y points */
  size_t n;
  double value;       /* its longitude or latitude, degrees */
  int lon;            /* 1 meridian, 0 parallel */
} cbc_gratline;

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
  const char *palette;            /* NULL: YlOrRd, RdBu_r centred,
                                     OkabeIto for categories */
  int centered;                   /* diverging around `center` */
  double center;
  const char *const *categories;  /* category map: value c is categories[c-1] */
  size_t ncategories;
  const cbc_rgb *colors;          /* explicit class/category colours */
  size_t ncolors;
  const unsigned char *symbols;   /* per category, its legend symbol
                                     (cbc_symbol); absent: CBC_SYM_FILL */
  size_t nsymbols;
  const char *legend_title, *units;
  cbc_pos legend_pos;             /* AUTO */
  int legend_box;                 /* background box inside the map: -1
                                     auto (yes inside), 0 no, 1 yes */
  double legend_opacity;          /* of that box (0.85) */
  int north_arrow, scale_bar;
  cbc_pos north_pos, scale_pos;   /* AUTO */
  int reserve;                    /* lay out both even when not drawn, so
                                     maps in a grid share one scale */
  int geographic;                 /* -1: from the CRS; 0 metres; 1 degrees */
  const char *const *labels;      /* one per feature, NULL entries skipped */
  size_t nlabels;
  int callouts;                   /* unplaced labels outside, with leaders */
  const cb_polyset *overlay;      /* boundaries drawn over the fill */
  double overlay_width;           /* mm (0.3) */
  cbc_rgb overlay_color;
  int inset;                      /* a zoomed inset of inset_bbox */
  double inset_bbox[4];           /* xmin, ymin, xmax, ymax (map units) */
  cbc_pos inset_pos;              /* AUTO */
  double inset_scale;             /* magnification over the map (3) */
  const cb_polyset *locator;      /* the larger area, in the map's CRS */
  const cb_polyset *highlight;    /* drawn dark on it; NULL: the map's own
                                     polygons */
  cbc_pos locator_pos;            /* AUTO */
  int locator_hidden;             /* laid out but not drawn (maps in a
                                     grid, as reserve) */
  double locator_width;           /* mm; 0: a quarter of the frame */
  const cbc_gratline *grat;       /* graticule lines (NULL: none) */
  size_t ngrat;
  int grat_lines;                 /* 1: lines across the map; 0: ticks on
                                     the frame only */
  cbc_rgb nodata_color;
  const char *nodata_label;       /* "No data" */
  cbc_rgb edge_color;
  double edge_width;              /* mm; 0: the figure's (0.08) */
} cbc_map_spec;

void cbc_map_spec_defaults(cbc_map_spec *s);

/* A category's symbol in the legend: a filled box (areas), a line
 * (outlines such as ellipses), a dot (points), or a line through a dot
 * (paths of points). Names in cbc_symbol_names. */
typedef enum { CBC_SYM_FILL, CBC_SYM_LINE, CBC_SYM_POINT, CBC_SYM_PATH } cbc_symbol;
extern const char *const cbc_symbol_names[]; /* "fill", "line", ...; NULL */

typedef struct cbc_legend_entry {
  char label[96];
  cbc_rgb color;
  int symbol;                 /* cbc_symbol */
  int nodata;
  int centre;                 /* a mark at the centre of a diverging
                                 palette, between two classes */
  cbc_rect swatch, text;
} cbc_legend_entry;

/* A placed map element: its box on paper, where it went, and whether it
 * had to cover part of the map (no free space was left). */
typedef struct cbc_placed {
  int on;
  cbc_pos pos;
  cbc_rect box;
  double covers;              /* fraction of its box over polygons */
} cbc_placed;

/* A small map in a box (inset or locator): data bbox -> box. */
typedef struct cbc_minimap {
  double bbox[4];
  double kx, ky, ox, oy;      /* x = ox + (X - bbox[0]) kx, y = oy + (bbox[3] - Y) ky */
} cbc_minimap;

/* A tick of the graticule on the frame, with its label (may be empty). */
typedef struct cbc_gtick {
  double x, y;                /* on the frame */
  int side;                   /* 0 bottom, 1 left, 2 top, 3 right */
  char label[24];
} cbc_gtick;

#define CBC_MAX_GTICKS 96

/* Where a feature's label went. */
typedef enum { CBC_LABEL_NONE, CBC_LABEL_MAP, CBC_LABEL_CALLOUT,
               CBC_LABEL_INSET } cbc_label_where;

/* The built layout: everything render draws, as numbers. */
typedef struct cbc_map_layout {
  cbc_rect frame;             /* the map's extent on paper */
  double kx, ky;              /* mm per x unit and per y unit */
  double ox, oy;              /* frame point of data (xmin, ymax) */
  double fill;                /* share of the frame the data bbox covers */
  double edge_w;              /* polygon edges, mm */
  int geographic;
  double lat_mid;             /* latitude of the map centre (geographic) */
  int k;                      /* classes (0 when continuous/outline) */
  double edges[CBC_MAX_CLASSES + 1];
  cbc_rgb class_colors[CBC_MAX_CATEGORIES];
  size_t counts[CBC_MAX_CATEGORIES]; /* features per class/category */
  size_t nodata_count;
  int has_legend;
  cbc_placed legend;          /* box: the legend with its padding */
  int legend_bg;              /* drawn on a white box */
  cbc_rect legend_box;        /* the legend's content */
  char legend_title[160];
  cbc_rect legend_title_box;
  cbc_legend_entry entries[CBC_MAX_CATEGORIES + 2];
  size_t nentries;
  int ramp;                   /* continuous legend: a colour ramp */
  cbc_rect ramp_box;
  cbc_ticks ramp_ticks;
  int has_scalebar, has_north;
  cbc_placed scalebar, north;
  cbc_scalebar sb;
  cbc_rect sb_box, north_box; /* what is drawn (inside the placed boxes) */
  cbc_placed inset, locator;
  cbc_minimap inset_map, locator_map;
  int has_grat;
  cbc_gtick gticks[CBC_MAX_GTICKS];
  size_t ngticks;
  size_t label_counts[4];     /* labels by where they went (index
                                 cbc_label_where; [0]: shown nowhere) */
} cbc_map_layout;

/* A feature label after placement: where its text goes and where it is
 * shown (labels that fit nowhere are listed in a warning). */
typedef struct cbc_map_label {
  cbc_rect box;
  int shown;                  /* 1 when drawn somewhere */
  cbc_label_where where;
  double ax, ay;              /* callouts: the leader's start (in the
                                 feature) */
} cbc_map_label;

typedef struct cbc_map cbc_map;

/* Validates and copies the spec; classifies values (computes breaks when
 * asked). Fails naming the problem: values length != features, all values
 * missing, unknown palette, bad breaks, category out of range, an empty
 * layer, an inset bbox outside the map. */
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
