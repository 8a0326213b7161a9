/* Style defaults and small text helpers shared by the plots. */
#include "plot.h"

#include <stdlib.h>
#include <string.h>

void cbc_style_defaults(cbc_style *s, double base_pt) {
  if (!(base_pt > 0)) base_pt = 7;
  s->pt = base_pt;
  s->pt_small = base_pt * 5.5 / 7;
  s->pt_title = base_pt * 8 / 7;
  s->line_w = 0.18; /* about half a point */
  s->edge_w = 0.08;
  s->ink = (cbc_rgb){0.13, 0.13, 0.13, 1};
  s->draw_text = 1;
}

void cbc_label(cairo_t *cr, cbc_text *tx, const cbc_style *st, const char *s,
               double pt, int bold, double x, double y, double ax, double ay,
               double rot) {
  if (!st->draw_text || !s || !*s) return;
  cbc_text_draw(cr, tx, s, pt, bold, x, y, ax, ay, rot, st->ink, 0, NULL);
}

void cbc_measure(cbc_text *tx, const cbc_style *st, const char *s, double pt,
                 int bold, double *w, double *h) {
  if (st->draw_text && s && *s) {
    cbc_text_size(tx, s, pt, bold, w, h);
    return;
  }
  /* Text off: keep the line height so layouts do not depend on text. */
  if (w) *w = 0;
  if (h) *h = pt * CBC_MM_PER_PT * 1.2;
}

char *cbc_strdup(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}
