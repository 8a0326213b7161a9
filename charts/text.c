/* pango text: family checks with fallback, layout, measure and draw. */
#include "text.h"

#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/cb.h"

struct cbc_text {
  PangoContext *ctx;
  PangoLayout *layout;
  char family[256];
};

int cbc_font_known(const char *family) {
  if (!strcasecmp(family, "sans") || !strcasecmp(family, "sans-serif") ||
      !strcasecmp(family, "serif") || !strcasecmp(family, "monospace"))
    return 1;
  PangoFontMap *fm = pango_cairo_font_map_get_default();
  PangoFontFamily **fams = NULL;
  int n = 0, found = 0;
  pango_font_map_list_families(fm, &fams, &n);
  for (int i = 0; i < n && !found; i++)
    found = strcasecmp(pango_font_family_get_name(fams[i]), family) == 0;
  g_free(fams);
  return found;
}

/* Keeps the known families of a comma list (a list of preferences, as in
 * a theme: "Arial, Helvetica, DejaVu Sans"); "" when none is known, and
 * then a warning names them. */
static void known_families(const char *font, char *out, size_t len) {
  out[0] = 0;
  char buf[256], missing[256] = "";
  snprintf(buf, sizeof buf, "%s", font);
  for (char *save = NULL, *f = strtok_r(buf, ",", &save); f;
       f = strtok_r(NULL, ",", &save)) {
    while (*f == ' ') f++;
    size_t n = strlen(f);
    while (n && f[n - 1] == ' ') f[--n] = 0;
    if (!n) continue;
    char *to = cbc_font_known(f) ? out : missing;
    size_t cap = to == out ? len : sizeof missing;
    cb_list_add(to, cap, f);
  }
  if (!out[0] && missing[0])
    cb_warn("font '%s' is not installed; falling back to %s", missing,
            CBC_HOUSE_FONT);
}

cbc_text *cbc_text_new(const char *font) {
  cbc_text *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  if (font && *font) known_families(font, t->family, sizeof t->family);
  if (!t->family[0])
    snprintf(t->family, sizeof t->family, "%s", CBC_HOUSE_FONT);
  else /* fallback families after the chosen ones, for missing glyphs */
    strncat(t->family, ", " CBC_HOUSE_FONT,
            sizeof t->family - strlen(t->family) - 1);
  PangoFontMap *fm = pango_cairo_font_map_get_default();
  t->ctx = pango_font_map_create_context(fm);
  /* Positions in mm: rounding them to whole units would wreck spacing. */
  pango_context_set_round_glyph_positions(t->ctx, FALSE);
  cairo_font_options_t *fo = cairo_font_options_create();
  /* Unhinted metrics: the same layout at every resolution and format. */
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(t->ctx, fo);
  cairo_font_options_destroy(fo);
  t->layout = pango_layout_new(t->ctx);
  return t;
}

void cbc_text_free(cbc_text *t) {
  if (!t) return;
  if (t->layout) g_object_unref(t->layout);
  if (t->ctx) g_object_unref(t->ctx);
  free(t);
}

const char *cbc_text_family(const cbc_text *t) { return t->family; }

static void set_text(cbc_text *t, const char *s, double pt, int bold) {
  PangoFontDescription *d = pango_font_description_from_string(t->family);
  pango_font_description_set_family(d, t->family);
  /* Absolute size in user units: the layout works in millimetres. */
  pango_font_description_set_absolute_size(d, pt * CBC_MM_PER_PT * PANGO_SCALE);
  pango_font_description_set_weight(d, bold ? PANGO_WEIGHT_BOLD
                                            : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(t->layout, d);
  pango_font_description_free(d);
  pango_layout_set_text(t->layout, s, -1);
}

void cbc_text_size(cbc_text *t, const char *s, double pt, int bold,
                   double *w, double *h) {
  set_text(t, s, pt, bold);
  PangoRectangle log;
  pango_layout_get_extents(t->layout, NULL, &log);
  if (w) *w = (double)log.width / PANGO_SCALE;
  if (h) *h = (double)log.height / PANGO_SCALE;
}

int cbc_text_missing(cbc_text *t, const char *s) {
  set_text(t, s, 10, 0);
  return pango_layout_get_unknown_glyphs_count(t->layout);
}

void cbc_text_draw(cairo_t *cr, cbc_text *t, const char *s, double pt,
                   int bold, double x, double y, double ax, double ay,
                   double rot_deg, cbc_rgb color, double halo, cbc_rect *box) {
  double w, h;
  cbc_text_size(t, s, pt, bold, &w, &h);
  if (box) *box = (cbc_rect){x - ax * w, y - ay * h, w, h};
  cairo_save(cr);
  cairo_translate(cr, x, y);
  if (rot_deg != 0) cairo_rotate(cr, -rot_deg * G_PI / 180);
  cairo_move_to(cr, -ax * w, -ay * h);
  pango_cairo_update_context(cr, t->ctx);
  pango_layout_context_changed(t->layout);
  if (halo > 0) {
    pango_cairo_layout_path(cr, t->layout);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
    cairo_set_line_width(cr, halo);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
    cairo_move_to(cr, -ax * w, -ay * h);
  }
  cairo_set_source_rgba(cr, color.r, color.g, color.b, color.a);
  pango_cairo_show_layout(cr, t->layout);
  cairo_restore(cr);
}
