/* Palette tables (ColorBrewer 9/11-class anchors, viridis, magma) and
 * sampling. */
#include "palette.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef struct {
  const char *name;
  cbc_paltype type;
  int n;
  unsigned rgb[12];
  int cvd; /* classes told apart under deuteranopia (tests/c/test_palette.c) */
} pal_def;

static const pal_def defs[] = {
  {"Blues", CBC_SEQ, 9, {0xf7fbff, 0xdeebf7, 0xc6dbef, 0x9ecae1, 0x6baed6, 0x4292c6, 0x2171b5, 0x08519c, 0x08306b}, 9},
  {"Greens", CBC_SEQ, 9, {0xf7fcf5, 0xe5f5e0, 0xc7e9c0, 0xa1d99b, 0x74c476, 0x41ab5d, 0x238b45, 0x006d2c, 0x00441b}, 8},
  {"Greys", CBC_SEQ, 9, {0xffffff, 0xf0f0f0, 0xd9d9d9, 0xbdbdbd, 0x969696, 0x737373, 0x525252, 0x252525, 0x000000}, 6},
  {"Oranges", CBC_SEQ, 9, {0xfff5eb, 0xfee6ce, 0xfdd0a2, 0xfdae6b, 0xfd8d3c, 0xf16913, 0xd94801, 0xa63603, 0x7f2704}, 10},
  {"Purples", CBC_SEQ, 9, {0xfcfbfd, 0xefedf5, 0xdadaeb, 0xbcbddc, 0x9e9ac8, 0x807dba, 0x6a51a3, 0x54278f, 0x3f007d}, 7},
  {"Reds", CBC_SEQ, 9, {0xfff5f0, 0xfee0d2, 0xfcbba1, 0xfc9272, 0xfb6a4a, 0xef3b2c, 0xcb181d, 0xa50f15, 0x67000d}, 11},
  {"YlOrRd", CBC_SEQ, 9, {0xffffcc, 0xffeda0, 0xfed976, 0xfeb24c, 0xfd8d3c, 0xfc4e2a, 0xe31a1c, 0xbd0026, 0x800026}, 9},
  {"YlOrBr", CBC_SEQ, 9, {0xffffe5, 0xfff7bc, 0xfee391, 0xfec44f, 0xfe9929, 0xec7014, 0xcc4c02, 0x993404, 0x662506}, 11},
  {"YlGnBu", CBC_SEQ, 9, {0xffffd9, 0xedf8b1, 0xc7e9b4, 0x7fcdbb, 0x41b6c4, 0x1d91c0, 0x225ea8, 0x253494, 0x081d58}, 9},
  {"YlGn", CBC_SEQ, 9, {0xffffe5, 0xf7fcb9, 0xd9f0a3, 0xaddd8e, 0x78c679, 0x41ab5d, 0x238443, 0x006837, 0x004529}, 7},
  {"OrRd", CBC_SEQ, 9, {0xfff7ec, 0xfee8c8, 0xfdd49e, 0xfdbb84, 0xfc8d59, 0xef6548, 0xd7301f, 0xb30000, 0x7f0000}, 8},
  {"PuBu", CBC_SEQ, 9, {0xfff7fb, 0xece7f2, 0xd0d1e6, 0xa6bddb, 0x74a9cf, 0x3690c0, 0x0570b0, 0x045a8d, 0x023858}, 8},
  {"GnBu", CBC_SEQ, 9, {0xf7fcf0, 0xe0f3db, 0xccebc5, 0xa8ddb5, 0x7bccc4, 0x4eb3d3, 0x2b8cbe, 0x0868ac, 0x084081}, 6},
  {"viridis", CBC_SEQ, 11, {0x440154, 0x482475, 0x414487, 0x355f8d, 0x2a788e, 0x21918c, 0x22a884, 0x44bf70, 0x7ad151, 0xbddf26, 0xfde725}, 11},
  {"cividis", CBC_SEQ, 6, {0x00224e, 0x35456c, 0x666970, 0x948e77, 0xc8b866, 0xfee838}, 11},
  {"magma", CBC_SEQ, 11, {0x000004, 0x140e36, 0x3b0f70, 0x641a80, 0x8c2981, 0xb73779, 0xde4968, 0xf7705c, 0xfe9f6d, 0xfecf92, 0xfcfdbf}, 12},
  {"RdYlBu", CBC_DIV, 11, {0xa50026, 0xd73027, 0xf46d43, 0xfdae61, 0xfee090, 0xffffbf, 0xe0f3f8, 0xabd9e9, 0x74add1, 0x4575b4, 0x313695}, 12},
  {"RdBu", CBC_DIV, 11, {0x67001f, 0xb2182b, 0xd6604d, 0xf4a582, 0xfddbc7, 0xf7f7f7, 0xd1e5f0, 0x92c5de, 0x4393c3, 0x2166ac, 0x053061}, 12},
  {"BrBG", CBC_DIV, 11, {0x543005, 0x8c510a, 0xbf812d, 0xdfc27d, 0xf6e8c3, 0xf5f5f5, 0xc7eae5, 0x80cdc1, 0x35978f, 0x01665e, 0x003c30}, 10},
  {"PiYG", CBC_DIV, 11, {0x8e0152, 0xc51b7d, 0xde77ae, 0xf1b6da, 0xfde0ef, 0xf7f7f7, 0xe6f5d0, 0xb8e186, 0x7fbc41, 0x4d9221, 0x276419}, 10},
  {"PRGn", CBC_DIV, 11, {0x40004b, 0x762a83, 0x9970ab, 0xc2a5cf, 0xe7d4e8, 0xf7f7f7, 0xd9f0d3, 0xa6dba0, 0x5aae61, 0x1b7837, 0x00441b}, 12},
  {"RdYlGn", CBC_DIV, 11, {0xa50026, 0xd73027, 0xf46d43, 0xfdae61, 0xfee08b, 0xffffbf, 0xd9ef8b, 0xa6d96a, 0x66bd63, 0x1a9850, 0x006837}, 3},
  {"Spectral", CBC_DIV, 11, {0x9e0142, 0xd53e4f, 0xf46d43, 0xfdae61, 0xfee08b, 0xffffbf, 0xe6f598, 0xabdda4, 0x66c2a5, 0x3288bd, 0x5e4fa2}, 5},
  {"PuOr", CBC_DIV, 11, {0x7f3b08, 0xb35806, 0xe08214, 0xfdb863, 0xfee0b6, 0xf7f7f7, 0xd8daeb, 0xb2abd2, 0x8073ac, 0x542788, 0x2d004b}, 12},
  {"OkabeIto", CBC_QUAL, 7, {0xe69f00, 0x56b4e9, 0x009e73, 0xf0e442, 0x0072b2, 0xd55e00, 0xcc79a7}, 7},
  {"Set1", CBC_QUAL, 9, {0xe41a1c, 0x377eb8, 0x4daf4a, 0x984ea3, 0xff7f00, 0xffff33, 0xa65628, 0xf781bf, 0x999999}, 3},
  {"Set2", CBC_QUAL, 8, {0x66c2a5, 0xfc8d62, 0x8da0cb, 0xe78ac3, 0xa6d854, 0xffd92f, 0xe5c494, 0xb3b3b3}, 7},
  {"Set3", CBC_QUAL, 12, {0x8dd3c7, 0xffffb3, 0xbebada, 0xfb8072, 0x80b1d3, 0xfdb462, 0xb3de69, 0xfccde5, 0xd9d9d9, 0xbc80bd, 0xccebc5, 0xffed6f}, 6},
  {"Dark2", CBC_QUAL, 8, {0x1b9e77, 0xd95f02, 0x7570b3, 0xe7298a, 0x66a61e, 0xe6ab02, 0xa6761d, 0x666666}, 3},
  {"Paired", CBC_QUAL, 12, {0xa6cee3, 0x1f78b4, 0xb2df8a, 0x33a02c, 0xfb9a99, 0xe31a1c, 0xfdbf6f, 0xff7f00, 0xcab2d6, 0x6a3d9a, 0xffff99, 0xb15928}, 5},
  {"Pastel1", CBC_QUAL, 9, {0xfbb4ae, 0xb3cde3, 0xccebc5, 0xdecbe4, 0xfed9a6, 0xffffcc, 0xe5d8bd, 0xfddaec, 0xf2f2f2}, 3},
};
#define NDEFS (sizeof defs / sizeof defs[0])

const char *const cbc_palette_names[] = {
  "Blues", "Greens", "Greys", "Oranges", "Purples", "Reds", "YlOrRd",
  "YlOrBr", "YlGnBu", "YlGn", "OrRd", "PuBu", "GnBu", "viridis", "cividis",
  "magma", "RdYlBu", "RdBu", "BrBG", "PiYG", "PRGn", "RdYlGn", "Spectral",
  "PuOr", "OkabeIto", "Set1", "Set2", "Set3", "Dark2", "Paired", "Pastel1",
  NULL};

cbc_rgb cbc_hex(unsigned rgb) {
  cbc_rgb c = {((rgb >> 16) & 255) / 255.0, ((rgb >> 8) & 255) / 255.0,
               (rgb & 255) / 255.0, 1.0};
  return c;
}

int cbc_parse_color(const char *s, cbc_rgb *out) {
  static const struct { const char *n; unsigned v; } names[] = {
    {"black", 0x000000}, {"white", 0xffffff}, {"grey", 0x808080},
    {"gray", 0x808080}, {"red", 0xd62728}, {"blue", 0x1f77b4},
    {"green", 0x2ca02c}, {"orange", 0xff7f0e}};
  if (!s) return -1;
  if (strcasecmp(s, "none") == 0) {
    *out = (cbc_rgb){0, 0, 0, 0};
    return 0;
  }
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcasecmp(s, names[i].n) == 0) {
      *out = cbc_hex(names[i].v);
      return 0;
    }
  if (s[0] != '#') return -1;
  size_t n = strlen(s + 1);
  unsigned v = 0;
  for (size_t i = 1; i <= n; i++) {
    char c = s[i];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
          : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (d < 0) return -1;
    v = v * 16 + (unsigned)d;
  }
  if (n == 3)
    v = ((v >> 8) & 15) * 0x110000 + ((v >> 4) & 15) * 0x1100 + (v & 15) * 0x11;
  else if (n != 6)
    return -1;
  *out = cbc_hex(v);
  return 0;
}

int cbc_palette_find(const char *name, cbc_palette *p, cb_err *e) {
  char base[32];
  size_t len = name ? strlen(name) : 0;
  int rev = len > 2 && strcasecmp(name + len - 2, "_r") == 0;
  if (rev) len -= 2;
  if (len == 0 || len >= sizeof base) goto unknown;
  memcpy(base, name, len);
  base[len] = 0;
  for (size_t i = 0; i < NDEFS; i++) {
    if (strcasecmp(defs[i].name, base) != 0) continue;
    snprintf(p->name, sizeof p->name, "%s%s", defs[i].name, rev ? "_r" : "");
    p->type = defs[i].type;
    p->n = defs[i].n;
    p->reversed = rev;
    p->cvd = defs[i].cvd;
    for (int j = 0; j < p->n; j++)
      p->rgb[j] = defs[i].rgb[rev ? p->n - 1 - j : j];
    return 0;
  }
unknown:;
  char list[600] = "";
  for (size_t i = 0; i < NDEFS; i++) cb_list_add(list, sizeof list, defs[i].name);
  return cb_err_set(e, "unknown palette '%s' (expected one of: %s; add _r to reverse)",
                    name ? name : "(null)", list);
}

cbc_rgb cbc_palette_at(const cbc_palette *p, double t) {
  if (!(t >= 0)) t = 0;
  if (t > 1) t = 1;
  if (p->type == CBC_QUAL) return cbc_hex(p->rgb[(int)lround(t * (p->n - 1))]);
  double x = t * (p->n - 1);
  int i = (int)floor(x);
  if (i >= p->n - 1) i = p->n - 2;
  double f = x - i;
  cbc_rgb a = cbc_hex(p->rgb[i]), b = cbc_hex(p->rgb[i + 1]);
  return (cbc_rgb){a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f,
                   a.b + (b.b - a.b) * f, 1.0};
}

void cbc_palette_classes(const cbc_palette *p, int k, cbc_rgb *out) {
  for (int i = 0; i < k; i++) {
    if (p->type == CBC_QUAL)
      out[i] = cbc_hex(p->rgb[i % p->n]);
    else
      out[i] = cbc_palette_at(p, k == 1 ? 0.5 : (double)i / (k - 1));
  }
}

void cbc_palette_centered(const cbc_palette *p, const double *e, int k,
                          double center, cbc_rgb *out) {
  int below = 0, above = 0;
  for (int i = 0; i < k; i++) {
    if (e[i + 1] <= center) below++;
    else if (e[i] >= center) above++;
  }
  int side = below > above ? below : above;
  if (side == 0) side = 1;
  for (int i = 0, b = 0, a = 0; i < k; i++) {
    double t = 0.5;
    if (e[i + 1] <= center) /* rank from the centre: below - b */
      t = 0.5 - 0.5 * (below - b++) / side;
    else if (e[i] >= center)
      t = 0.5 + 0.5 * (++a) / side;
    out[i] = cbc_palette_at(p, t);
  }
}
