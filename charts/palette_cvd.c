/* Colour-blind checks: sRGB -> CIE L*a*b* (D65), optionally through a
 * simulation of protanopia or deuteranopia (Machado, Oliveira & Fernandes
 * 2009, severity 1), and the CIEDE2000 colour difference (Sharma, Wu &
 * Dalal 2005). */
#include "palette.h"

#include <math.h>

static double lin(double c) {
  return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double lab_f(double t) {
  const double d = 6.0 / 29;
  return t > d * d * d ? cbrt(t) : t / (3 * d * d) + 4.0 / 29;
}

void cbc_lab(cbc_rgb c, cbc_cvd cvd, double lab[3]) {
  static const double sim[3][3][3] = {
      {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
      {{0.152286, 1.052583, -0.204868},
       {0.114503, 0.786281, 0.099216},
       {-0.003882, -0.048116, 1.051998}},
      {{0.367322, 0.860646, -0.227968},
       {0.280085, 0.672501, 0.047413},
       {-0.011820, 0.042940, 0.968881}}};
  double v[3] = {lin(c.r), lin(c.g), lin(c.b)}, s[3];
  for (int i = 0; i < 3; i++) {
    s[i] = sim[cvd][i][0] * v[0] + sim[cvd][i][1] * v[1] + sim[cvd][i][2] * v[2];
    s[i] = s[i] < 0 ? 0 : s[i] > 1 ? 1 : s[i];
  }
  double x = 0.4124564 * s[0] + 0.3575761 * s[1] + 0.1804375 * s[2];
  double y = 0.2126729 * s[0] + 0.7151522 * s[1] + 0.0721750 * s[2];
  double z = 0.0193339 * s[0] + 0.1191920 * s[1] + 0.9503041 * s[2];
  double fx = lab_f(x / 0.95047), fy = lab_f(y), fz = lab_f(z / 1.08883);
  lab[0] = 116 * fy - 16, lab[1] = 500 * (fx - fy), lab[2] = 200 * (fy - fz);
}

static double deg(double r) { return r * 180 / M_PI; }
static double rad(double d) { return d * M_PI / 180; }

/* Hue angle in degrees, 0..360. */
static double hue(double b, double a) {
  if (a == 0 && b == 0) return 0;
  double h = deg(atan2(b, a));
  return h < 0 ? h + 360 : h;
}

double cbc_ciede2000(const double p[3], const double q[3]) {
  double c1 = hypot(p[1], p[2]), c2 = hypot(q[1], q[2]), cm = (c1 + c2) / 2;
  double cm7 = pow(cm, 7), g = 0.5 * (1 - sqrt(cm7 / (cm7 + pow(25, 7))));
  double a1 = p[1] * (1 + g), a2 = q[1] * (1 + g);
  double C1 = hypot(a1, p[2]), C2 = hypot(a2, q[2]);
  double h1 = hue(p[2], a1), h2 = hue(q[2], a2);
  double dL = q[0] - p[0], dC = C2 - C1, dh = 0;
  if (C1 * C2 != 0) {
    dh = h2 - h1;
    if (dh > 180) dh -= 360;
    else if (dh < -180) dh += 360;
  }
  double dH = 2 * sqrt(C1 * C2) * sin(rad(dh / 2));
  double Lm = (p[0] + q[0]) / 2, Cm = (C1 + C2) / 2, hm = h1 + h2;
  if (C1 * C2 != 0) {
    if (fabs(h1 - h2) <= 180) hm = (h1 + h2) / 2;
    else hm = h1 + h2 < 360 ? (h1 + h2 + 360) / 2 : (h1 + h2 - 360) / 2;
  }
  double t = 1 - 0.17 * cos(rad(hm - 30)) + 0.24 * cos(rad(2 * hm)) +
             0.32 * cos(rad(3 * hm + 6)) - 0.20 * cos(rad(4 * hm - 63));
  double dtheta = 30 * exp(-pow((hm - 275) / 25, 2));
  double Cm7 = pow(Cm, 7), rc = 2 * sqrt(Cm7 / (Cm7 + pow(25, 7)));
  double l50 = (Lm - 50) * (Lm - 50);
  double sl = 1 + 0.015 * l50 / sqrt(20 + l50), sc = 1 + 0.045 * Cm,
         sh = 1 + 0.015 * Cm * t;
  double rt = -sin(rad(2 * dtheta)) * rc;
  double x = dL / sl, y = dC / sc, z = dH / sh;
  return sqrt(x * x + y * y + z * z + rt * y * z);
}

double cbc_palette_min_de(const cbc_palette *p, int k, cbc_cvd cvd) {
  cbc_rgb c[64];
  double lab[64][3], best = INFINITY;
  if (k < 2) return INFINITY;
  if (k > 64) k = 64;
  cbc_palette_classes(p, k, c);
  for (int i = 0; i < k; i++) cbc_lab(c[i], cvd, lab[i]);
  for (int i = 0; i < k; i++)
    for (int j = i + 1; j < k; j++) {
      if (p->type != CBC_QUAL && j != i + 1) continue; /* adjacent classes */
      double d = cbc_ciede2000(lab[i], lab[j]);
      if (d < best) best = d;
    }
  return best;
}
