/* GCJ-02 ("Mars" coordinates of AMap, Aliyun DataV, Tencent) to and from
 * WGS84: the published forward transform on the Krasovsky ellipsoid and an
 * iterative inverse. Points outside China's box are left unchanged. */
#ifndef CB_GCJ02_H
#define CB_GCJ02_H

#include <stddef.h>

/* 1 when (lon, lat) is outside the box the published transform applies to
 * (72.004..137.8347 E, 0.8293..55.8271 N); there both directions are the
 * identity. */
int cb_gcj02_outside(double lon, double lat);

/* WGS84 -> GCJ-02 (the published algorithm). NaN in gives NaN out. */
void cb_gcj02_from_wgs84(double lon, double lat, double *glon, double *glat);

/* GCJ-02 -> WGS84 by fixed-point iteration of the forward transform, to
 * 1e-10 degrees (at most 30 steps; 3-4 inside China). */
void cb_gcj02_to_wgs84(double glon, double glat, double *lon, double *lat);

/* The same over n points: lon[i], lat[i] in, out_lon[i], out_lat[i] out
 * (out may alias in). */
void cb_gcj02_to_wgs84_n(const double *lon, const double *lat, double *out_lon,
                         double *out_lat, size_t n);
void cb_gcj02_from_wgs84_n(const double *lon, const double *lat,
                           double *out_lon, double *out_lat, size_t n);

#endif
