/* Scale-bar length choice. */
#include "scalebar.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scale.h"

void cbc_metres_per_degree(double lat_deg, double *per_lon, double *per_lat) {
  const double a = 6378137.0, f = 1 / 298.257223563;
  double e2 = f * (2 - f), phi = lat_deg * M_PI / 180, s = sin(phi);
  double w = sqrt(1 - e2 * s * s);
  double n = a / w;                      /* prime vertical radius */
  double m = a * (1 - e2) / (w * w * w); /* meridional radius */
  if (per_lon) *per_lon = M_PI / 180 * n * cos(phi);
  if (per_lat) *per_lat = M_PI / 180 * m;
}

int cbc_scalebar_make(double mm_per_unit, int geographic, double lat_deg,
                      double max_mm, cbc_scalebar *sb) {
  memset(sb, 0, sizeof *sb);
  if (!(mm_per_unit > 0) || !(max_mm > 0)) return -1;
  double m_per_unit = 1;
  if (geographic) cbc_metres_per_degree(lat_deg, &m_per_unit, NULL);
  double m_per_mm = m_per_unit / mm_per_unit;
  double max_m = max_mm * m_per_mm;
  /* the largest of {1, 2, 5} x 10^k not above max_m */
  double p = pow(10, floor(log10(max_m) + 1e-12));
  double len = max_m >= 5 * p ? 5 * p : max_m >= 2 * p ? 2 * p : p;
  sb->metres = len;
  sb->map_units = len / m_per_unit;
  sb->mm = len / m_per_mm;
  double lead = len / p;
  sb->segments = lead == 2 ? 4 : lead == 5 ? 5 : 2;
  int km = len >= 1000;
  sb->unit_div = km ? 1000 : 1;
  snprintf(sb->unit, sizeof sb->unit, "%s", km ? "km" : "m");
  char num[24];
  cbc_fmt_sig(len / sb->unit_div, 6, num, sizeof num);
  snprintf(sb->label, sizeof sb->label, "%s %s", num, sb->unit);
  return 0;
}
