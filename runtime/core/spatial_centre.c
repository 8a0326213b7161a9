/* Centres in the plane: area centroids of polygons, the weighted mean
 * centre of points and their standard deviational ellipse. */
#include <math.h>

#include "array.h"
#include "spatial_describe.h"

int cb_polyset_centroids(const cb_polyset *ps, double *cx, double *cy,
                         double *area, cb_err *e) {
  (void)e;
  for (size_t i = 0; i < ps->n; i++) {
    const cb_polygon *p = &ps->polys[i];
    double A = 0, Mx = 0, My = 0;
    for (size_t r = 0; r < p->nrings; r++) {
      double a, mx, my;
      cb_ring_moments(&p->rings[r], &a, &mx, &my);
      /* outer rings count positive, holes negative, whatever their winding */
      double s = (p->rings[r].hole ? -1.0 : 1.0) * (a < 0 ? -1.0 : 1.0);
      A += s * a;
      Mx += s * mx;
      My += s * my;
    }
    cx[i] = A > 0 ? Mx / A : NAN;
    cy[i] = A > 0 ? My / A : NAN;
    if (area) area[i] = A;
  }
  return 0;
}

int cb_centre(const double *x, const double *y, const double *v, size_t n,
              int sqrt2, cb_ellipse *out, cb_err *e) {
  cb_acc sw = {0, 0}, sx = {0, 0}, sy = {0, 0};
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(v[i]) || v[i] < 0)
      return cb_err_set(e, "weight %zu is %g; centres need weights >= 0",
                        i + 1, v[i]);
    if (v[i] == 0) continue;
    if (!isfinite(x[i]) || !isfinite(y[i]))
      return cb_err_set(e, "unit %zu has weight %g but no centroid (an empty "
                        "geometry?)", i + 1, v[i]);
    cb_acc_add(&sw, v[i]);
    cb_acc_add(&sx, v[i] * x[i]);
    cb_acc_add(&sy, v[i] * y[i]);
  }
  double W = cb_acc_get(&sw);
  if (!(W > 0)) return cb_err_set(e, "every weight is 0; the centre is undefined");
  double X = cb_acc_get(&sx) / W, Y = cb_acc_get(&sy) / W;
  cb_acc axx = {0, 0}, ayy = {0, 0}, axy = {0, 0};
  for (size_t i = 0; i < n; i++) {
    if (v[i] == 0) continue;
    double dx = x[i] - X, dy = y[i] - Y;
    cb_acc_add(&axx, v[i] * dx * dx);
    cb_acc_add(&ayy, v[i] * dy * dy);
    cb_acc_add(&axy, v[i] * dx * dy);
  }
  double sxx = cb_acc_get(&axx) / W, syy = cb_acc_get(&ayy) / W,
         sxy = cb_acc_get(&axy) / W;
  double mid = (sxx + syy) / 2, R = hypot((syy - sxx) / 2, sxy);
  double k = sqrt2 ? M_SQRT2 : 1.0;
  double rot = 0.5 * atan2(2 * sxy, syy - sxx) * 180 / M_PI;
  if (rot < 0) rot += 180;
  if (rot >= 180) rot -= 180;
  *out = (cb_ellipse){X, Y, k * sqrt(mid + R), k * sqrt(fmax(mid - R, 0)), rot};
  return 0;
}

void cb_ellipse_ring(const cb_ellipse *el, size_t npts, double *xy) {
  double t = el->rotation * M_PI / 180;
  double ux = sin(t), uy = cos(t); /* major axis, clockwise from north */
  for (size_t k = 0; k <= npts; k++) {
    double a = 2 * M_PI * (double)(k % npts) / (double)npts;
    double p = el->major * cos(a), q = el->minor * sin(a);
    xy[2 * k] = el->x + p * ux - q * uy;
    xy[2 * k + 1] = el->y + p * uy + q * ux;
  }
}
