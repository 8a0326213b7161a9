/* Colour palettes: ColorBrewer sequential, diverging and qualitative
 * schemes, viridis, cividis, magma and Okabe-Ito; "_r" reverses any of
 * them; how many classes each keeps apart for colour-blind readers. */
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
  int cvd;            /* up to this many classes, adjacent ones (any two
                         for qualitative palettes) stay apart by CIEDE2000
                         >= 5 under simulated deuteranopia */
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

/* Colour vision deficiencies simulated by cbc_lab (full severity). */
typedef enum { CBC_CVD_NONE, CBC_CVD_PROTAN, CBC_CVD_DEUTAN } cbc_cvd;

/* CIE L*a*b* (D65) of sRGB colour c as seen with deficiency cvd
 * (Machado, Oliveira & Fernandes 2009, severity 1; linear RGB). */
void cbc_lab(cbc_rgb c, cbc_cvd cvd, double lab[3]);

/* The CIEDE2000 colour difference of two L*a*b* colours. */
double cbc_ciede2000(const double a[3], const double b[3]);

/* The smallest CIEDE2000 difference between the k class colours of p as
 * seen with cvd: between adjacent classes (sequential, diverging) or any
 * two (qualitative). Infinity for k < 2. */
double cbc_palette_min_de(const cbc_palette *p, int k, cbc_cvd cvd);

#endif
