/* Scale bars with round lengths, in metres or kilometres, correct for
 * projected (metre) and geographic (degree) coordinates. */
#ifndef CBC_SCALEBAR_H
#define CBC_SCALEBAR_H

#include <stddef.h>

/* Metres per degree of longitude and of latitude at latitude lat_deg on
 * the WGS84 ellipsoid. */
void cbc_metres_per_degree(double lat_deg, double *per_lon, double *per_lat);

typedef struct cbc_scalebar {
  double metres;      /* total length, a round number (1, 2, 5 x 10^k) */
  double map_units;   /* the same length in the map's x units */
  double mm;          /* its length on paper */
  int segments;       /* alternating segments (2 or 4 or 5) */
  char label[32];     /* "50 km", "500 m" */
  char unit[4];       /* "km" or "m" */
  double unit_div;    /* 1000 for km, 1 for m */
} cbc_scalebar;

/* A bar at most max_mm long for a map drawn at mm_per_unit millimetres per
 * x unit. geographic: x is degrees of longitude, measured along the
 * parallel lat_deg; else x is metres. Returns -1 when nothing fits. */
int cbc_scalebar_make(double mm_per_unit, int geographic, double lat_deg,
                      double max_mm, cbc_scalebar *sb);

#endif
