/* Bar charts: grouped or stacked series over categories, vertical or
 * horizontal; diverging bars coloured by sign (LMDI effects). Stacks put
 * positive parts above zero and negative parts below, with a marker at
 * each stack's net total (the ΔQ of an LMDI decomposition). */
#ifndef CBC_BARS_H
#define CBC_BARS_H

#include <stddef.h>

#include "key.h"
#include "plot.h"
#include "scale.h"

#define CBC_MAX_BAR_SERIES 16

typedef struct cbc_bar_series {
  const char *name;
  const double *v;        /* one value per category; NaN: no bar */
  int has_color;
  cbc_rgb color;
} cbc_bar_series;

typedef struct cbc_bars_spec {
  const char *const *categories;
  size_t ncat;
  const cbc_bar_series *series;
  size_t nseries;
  int stacked, horizontal;
  int diverging;          /* one series coloured by sign */
  cbc_rgb pos_color, neg_color;
  const char *value_label, *cat_label;
  int legend;             /* key above the plot (1 with several series) */
  int net;                /* stacked: a marker at each category's total
                             (-1: when the stacks mix signs) */
  const char *net_label;  /* its key entry ("Net") */
  const char *palette;    /* OkabeIto */
} cbc_bars_spec;

void cbc_bars_spec_defaults(cbc_bars_spec *s);

typedef struct cbc_bar_rect {
  cbc_rect r;
  cbc_rgb color;
  size_t cat, series;
} cbc_bar_rect;

typedef struct cbc_bars_layout {
  cbc_rect plot;
  cbc_ticks vt;           /* value axis ticks */
  cbc_lin mv;             /* value -> mm */
  double band;            /* mm per category */
  int rotate_labels;      /* vertical bars: category labels turned 90° */
  int label_every;        /* 1: every category labelled; n: every n-th, so
                             labels never overlap */
  cbc_bar_rect *bars;     /* nbars rectangles */
  size_t nbars;
  cbc_key_entry key[CBC_MAX_BAR_SERIES + 2];
  size_t nkey;
  int has_net;
  double *net;            /* per category: the total (NaN: none) */
  double *net_at[2];      /* its marker's x and y, mm */
} cbc_bars_layout;

typedef struct cbc_bars cbc_bars;

cbc_bars *cbc_bars_new(const cbc_bars_spec *s, cb_err *e);
cbc_plot *cbc_bars_plot(cbc_bars *b);
const cbc_bars_layout *cbc_bars_layout_get(const cbc_bars *b);
size_t cbc_bars_ncat(const cbc_bars *b);

#endif
