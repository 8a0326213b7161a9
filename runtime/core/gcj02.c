/* GCJ-02 <-> WGS84: the forward transform as published (Krasovsky 1940
 * semi-major axis and eccentricity) and its inverse by iteration. */
#include "gcj02.h"

#include <math.h>

#define KRASOVSKY_A 6378245.0
#define KRASOVSKY_EE 0.00669342162296594323

int cb_gcj02_outside(double lon, double lat) {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

/* The published offset polynomials, in metres-like units, of x = lon - 105,
 * y = lat - 35. */
static void offsets(double x, double y, double *dlon, double *dlat) {
  double d = (20.0 * sin(6.0 * x * M_PI) + 20.0 * sin(2.0 * x * M_PI)) * 2.0 / 3.0;
  double la = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y +
              0.2 * sqrt(fabs(x)) + d;
  la += (20.0 * sin(y * M_PI) + 40.0 * sin(y / 3.0 * M_PI)) * 2.0 / 3.0;
  la += (160.0 * sin(y / 12.0 * M_PI) + 320.0 * sin(y * M_PI / 30.0)) * 2.0 / 3.0;
  double lo = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y +
              0.1 * sqrt(fabs(x)) + d;
  lo += (20.0 * sin(x * M_PI) + 40.0 * sin(x / 3.0 * M_PI)) * 2.0 / 3.0;
  lo += (150.0 * sin(x / 12.0 * M_PI) + 300.0 * sin(x / 30.0 * M_PI)) * 2.0 / 3.0;
  *dlon = lo, *dlat = la;
}

void cb_gcj02_from_wgs84(double lon, double lat, double *glon, double *glat) {
  if (isnan(lon) || isnan(lat) || cb_gcj02_outside(lon, lat)) {
    *glon = lon, *glat = lat;
    return;
  }
  double dlon, dlat;
  offsets(lon - 105.0, lat - 35.0, &dlon, &dlat);
  double rad = lat / 180.0 * M_PI, s = sin(rad);
  double magic = 1 - KRASOVSKY_EE * s * s, sq = sqrt(magic);
  dlat = (dlat * 180.0) /
         ((KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (magic * sq) * M_PI);
  dlon = (dlon * 180.0) / (KRASOVSKY_A / sq * cos(rad) * M_PI);
  *glon = lon + dlon, *glat = lat + dlat;
}

void cb_gcj02_to_wgs84(double glon, double glat, double *lon, double *lat) {
  double x = glon, y = glat;
  if (!isnan(glon) && !isnan(glat) && !cb_gcj02_outside(glon, glat)) {
    /* w <- w - (f(w) - g): the offset changes slowly, so this contracts */
    for (int i = 0; i < 30; i++) {
      double fx, fy;
      cb_gcj02_from_wgs84(x, y, &fx, &fy);
      double ex = fx - glon, ey = fy - glat;
      x -= ex, y -= ey;
      if (fabs(ex) < 1e-10 && fabs(ey) < 1e-10) break;
    }
  }
  *lon = x, *lat = y;
}

void cb_gcj02_to_wgs84_n(const double *lon, const double *lat, double *out_lon,
                         double *out_lat, size_t n) {
  for (size_t i = 0; i < n; i++)
    cb_gcj02_to_wgs84(lon[i], lat[i], &out_lon[i], &out_lat[i]);
}

void cb_gcj02_from_wgs84_n(const double *lon, const double *lat,
                           double *out_lon, double *out_lat, size_t n) {
  for (size_t i = 0; i < n; i++)
    cb_gcj02_from_wgs84(lon[i], lat[i], &out_lon[i], &out_lat[i]);
}
