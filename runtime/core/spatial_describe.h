/* Descriptive spatial statistics of a variable over units: inequality
 * (Theil T and L with their between/within decomposition, Gini), the
 * weighted centre and standard deviational ellipse of planar centroids,
 * and Tapio's decoupling elasticity and states. */
#ifndef CB_SPATIAL_DESCRIBE_H
#define CB_SPATIAL_DESCRIBE_H

#include <stddef.h>
#include <stdint.h>

#include "cb.h"
#include "geom.h"

/* Theil indices of totals y (emissions, ...) over units with population
 * weights pw (NULL: equal; with weights they measure y per person),
 * shares s_i = y_i / sum y and p_i = pw_i / sum pw (Theil 1967; Shorrocks
 * 1980 for the decomposition):
 *   T = sum s_i ln(s_i / p_i)   (0 ln 0 = 0)
 *   L = sum p_i ln(p_i / s_i)   (+inf when some y_i is 0)
 * With groups (group[i] in 0..ng-1), T = T_between + T_within where
 * T_between = sum_g S_g ln(S_g / P_g), T_within = sum_g S_g T_g, and
 * L = L_between + L_within with L_between = sum_g P_g ln(P_g / S_g),
 * L_within = sum_g P_g L_g (S_g, P_g the group's shares, T_g and L_g the
 * indices within the group). */
typedef struct cb_theil_out {
  double T, L, T_between, T_within, L_between, L_within;
} cb_theil_out;

typedef struct cb_theil_group {
  double n, share_y, share_w, T, L;
} cb_theil_group;

/* y must be finite and >= 0 with a positive sum, pw finite and > 0; e
 * names the first bad unit (1-based) otherwise. group may be NULL (then
 * the decomposition fields are NaN); gout (ng entries) may be NULL. */
int cb_theil(const double *y, const double *pw, const int32_t *group,
             size_t ng, size_t n, cb_theil_out *out, cb_theil_group *gout,
             cb_err *e);

/* The Gini coefficient of totals y over units with population weights pw
 * (NULL: equal), i.e. of y per person, from the Lorenz curve:
 * G = 1 - sum_i (P_i - P_{i-1}) (L_i + L_{i-1}) over units sorted by
 * y_i / pw_i, P and L the cumulative shares of weight and of y; equal to
 * sum_ij p_i p_j |r_i - r_j| / (2 mean r) with r = y / pw. Same input
 * rules as cb_theil. */
int cb_gini(const double *y, const double *pw, size_t n, double *out,
            cb_err *e);

/* Planar area centroid of every feature of ps (holes subtracted); NaN for
 * features without area. area may be NULL. */
int cb_polyset_centroids(const cb_polyset *ps, double *cx, double *cy,
                         double *area, cb_err *e);

/* The weighted mean centre of points (x_i, y_i) with weights v_i >= 0 and
 * their standard deviational ellipse (Lefever 1926, Yuill 1971; ArcGIS's
 * Directional Distribution): from the weighted covariances sxx, syy, sxy
 * about the centre, the axes are sqrt of the covariance matrix's
 * eigenvalues (times sqrt 2 when sqrt2, ArcGIS's two-dimensional
 * correction) and `rotation` is the major axis's angle in degrees
 * clockwise from the grid's north, in [0, 180). */
typedef struct cb_ellipse {
  double x, y, major, minor, rotation;
} cb_ellipse;

int cb_centre(const double *x, const double *y, const double *v, size_t n,
              int sqrt2, cb_ellipse *out, cb_err *e);

/* npts points around the ellipse and the first again (2 * (npts + 1)
 * doubles into xy), counter-clockwise. */
void cb_ellipse_ring(const cb_ellipse *el, size_t npts, double *xy);

/* Tapio's (2005) decoupling elasticity e = (dC / C0) / (dG / G0) per unit
 * and its state, cuts at 0.8 and 1.2 (coupling is 0.8 <= e <= 1.2):
 *   dG > 0: dC < 0 strong decoupling (1); e < 0.8 weak decoupling (2);
 *           coupling: expansive coupling (3); e > 1.2 expansive negative
 *           decoupling (4)
 *   dG < 0: dC > 0 strong negative decoupling (5); e < 0.8 weak negative
 *           decoupling (6); coupling: recessive coupling (7); e > 1.2
 *           recessive decoupling (8)
 * State 0 (e NaN) when dG = 0, C0 or G0 is not positive, or a value is
 * missing. Returns the number of undefined units. */
size_t cb_tapio(const double *c0, const double *c1, const double *g0,
                const double *g1, size_t n, double *e, unsigned char *state);

#endif
