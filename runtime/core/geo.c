/* True cell areas per grid row: exact ellipsoidal lat-band areas for
 * geographic grids, constant areas for projected grids. */
#include "geo.h"

#include <math.h>
#include <stdlib.h>

#include "crs.h"

/* The authalic function q(phi) without the (1 - e^2) factor's sign issues:
 * q = (1-e2) [sin/(1-e2 sin^2) - 1/(2e) ln((1 - e sin)/(1 + e sin))]. */
static double qfun(double e, double phi) {
  double s = sin(phi), e2 = e * e;
  if (e < 1e-12) return 2 * s;
  return (1 - e2) * (s / (1 - e2 * s * s) + atanh(e * s) / e);
}

double cb_geo_band_area(double a, double f, double lat1, double lat2,
                        double dlon) {
  double e = sqrt(f * (2 - f));
  /* Area between the equator and phi over 2*pi of longitude: pi a^2 q. */
  double d = qfun(e, lat2) - qfun(e, lat1);
  return fabs(0.5 * a * a * d * dlon);
}

int cb_geo_row_areas(const cb_grid *g, const char *srs, const int32_t *rows,
                     size_t n, double *out, cb_err *e) {
  if (!srs)
    return cb_err_set(e, "cell areas need the raster's CRS, and it has none "
                      "(open the raster with {crs = \"EPSG:...\"})");
  OGRSpatialReferenceH s = cb_crs_parse(srs);
  if (!s) return cb_err_set(e, "cell areas: cannot read the raster's CRS");
  int rc = 0;
  if (OSRIsGeographic(s)) {
    OGRErr err;
    double a = OSRGetSemiMajor(s, &err), inv = OSRGetInvFlattening(s, &err);
    double f = inv > 0 ? 1 / inv : 0;
    double u = OSRGetAngularUnits(s, NULL); /* radians per unit */
    double dlon = fabs(g->gt[1]) * u, lim = M_PI / 2;
    for (size_t i = 0; i < n; i++) {
      double r = rows ? rows[i] : (double)i;
      double y0 = (g->gt[3] + r * g->gt[5]) * u;
      double y1 = (g->gt[3] + (r + 1) * g->gt[5]) * u;
      y0 = fmax(-lim, fmin(lim, y0));
      y1 = fmax(-lim, fmin(lim, y1));
      out[i] = cb_geo_band_area(a, f, y0, y1, dlon);
    }
  } else if (OSRIsProjected(s)) {
    double u = OSRGetLinearUnits(s, NULL); /* metres per unit */
    double area = fabs(g->gt[1] * g->gt[5]) * u * u;
    for (size_t i = 0; i < n; i++) out[i] = area;
  } else {
    rc = cb_err_set(e, "cell areas: the raster's CRS is neither geographic "
                    "nor projected");
  }
  OSRDestroySpatialReference(s);
  return rc;
}
