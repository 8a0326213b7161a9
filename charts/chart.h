/* Plain types shared by the chart modules: colours, boxes, units.
 * All geometry in charts/ is in millimetres, y pointing down, origin at the
 * figure's top-left corner; text sizes are in points. */
#ifndef CBC_CHART_H
#define CBC_CHART_H

#define CBC_MM_PER_PT (25.4 / 72.0)

typedef struct cbc_rgb {
  double r, g, b, a;
} cbc_rgb;

typedef struct cbc_rect {
  double x, y, w, h;
} cbc_rect;

/* 0xRRGGBB as an opaque colour. */
cbc_rgb cbc_hex(unsigned rgb);

/* Parses "#rrggbb", "#rgb" or a few names (black, white, grey/gray, red,
 * blue, none); returns 0 on success, -1 when the text is not a colour. */
int cbc_parse_color(const char *s, cbc_rgb *out);

#endif
