/* Colour palettes: ColorBrewer sequential, diverging and qualitative
 * schemes, viridis and magma; "_r" reverses any of them. */
#ifndef CBC_PALETTE_H
#define CBC_PALETTE_H

#include <stddef.h>

#include "chart.h"
#include "core/cb.h"

typedef enum { CBC_SEQ, CBC_DIV, CBC_QUAL } cbc_paltype;

typedef struct cbc_palette {
  char name[32];
  cbc_paltype type;
  int n;              /* anchor colours */
  int reversed;
  unsigned rgb[12];   /* anchors, low to high (already reversed) */
} cbc_palette;

/* Finds a palette by name (case-insensitive, optional "_r" suffix). An
 * unknown name fails listing the known ones. */
int cbc_palette_find(const char *name, cbc_palette *p, cb_err *e);

/* Colour at t in [0, 1] (clamped), interpolated between anchors; for a
 * qualitative palette the anchor nearest t. */
cbc_rgb cbc_palette_at(const cbc_palette *p, double t);

/* k class colours: evenly spread over the ramp, or the first k colours of a
 * qualitative palette (cycling when k exceeds it). */
void cbc_palette_classes(const cbc_palette *p, int k, cbc_rgb *out);

/* Class colours for classes with edges e[0..k] on a diverging palette
 * centred on `center`: classes below the centre take the low half, above it
 * the high half, with equal steps of intensity per class on either side, so
 * the centre is the palette's middle whatever the class counts. A class
 * containing the centre gets the middle colour. */
void cbc_palette_centered(const cbc_palette *p, const double *e, int k,
                          double center, cbc_rgb *out);

/* Names of all palettes, NULL-terminated. */
extern const char *const cbc_palette_names[];

#endif
