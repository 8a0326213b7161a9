/* Spatial weights in compressed rows: allocation, triplets, styles,
 * subsets, self-inclusion and the constants S0, S1, S2 of Cliff and Ord. */
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "spatial.h"

cb_weights *cb_weights_new(size_t n, size_t nnz, cb_err *e) {
  cb_weights *w = calloc(1, sizeof *w);
  if (w) {
    w->n = n;
    w->off = calloc(n + 1, sizeof *w->off);
    w->nb = malloc((nnz ? nnz : 1) * sizeof *w->nb);
    w->w = malloc((nnz ? nnz : 1) * sizeof *w->w);
  }
  if (!w || !w->off || !w->nb || !w->w) {
    cb_weights_free(w);
    cb_err_set(e, "out of memory for spatial weights of %zu units", n);
    return NULL;
  }
  return w;
}

void cb_weights_free(cb_weights *w) {
  if (!w) return;
  free(w->off);
  free(w->nb);
  free(w->w);
  free(w);
}

/* Sorts row i by neighbour index (insertion sort: rows are short). */
static void sort_row(cb_weights *w, size_t i) {
  for (size_t a = w->off[i] + 1; a < w->off[i + 1]; a++) {
    int32_t j = w->nb[a];
    double v = w->w[a];
    size_t b = a;
    for (; b > w->off[i] && w->nb[b - 1] > j; b--) {
      w->nb[b] = w->nb[b - 1];
      w->w[b] = w->w[b - 1];
    }
    w->nb[b] = j;
    w->w[b] = v;
  }
}

cb_weights *cb_weights_from_triplets(size_t n, size_t nnz, const int32_t *ti,
                                     const int32_t *tj, const double *tw,
                                     cb_err *e) {
  for (size_t k = 0; k < nnz; k++) {
    if (ti[k] < 0 || tj[k] < 0 || (size_t)ti[k] >= n || (size_t)tj[k] >= n) {
      cb_err_set(e, "neighbour pair %zu refers to unit %d of %zu", k + 1,
                 (ti[k] < 0 || (size_t)ti[k] >= n ? ti[k] : tj[k]) + 1, n);
      return NULL;
    }
    if (ti[k] == tj[k]) {
      cb_err_set(e, "neighbour pair %zu makes unit %d its own neighbour",
                 k + 1, ti[k] + 1);
      return NULL;
    }
  }
  cb_weights *w = cb_weights_new(n, nnz, e);
  if (!w) return NULL;
  for (size_t k = 0; k < nnz; k++) w->off[ti[k] + 1]++;
  for (size_t i = 0; i < n; i++) w->off[i + 1] += w->off[i];
  size_t *fill = malloc((n ? n : 1) * sizeof *fill);
  if (!fill) {
    cb_weights_free(w);
    cb_err_set(e, "out of memory");
    return NULL;
  }
  memcpy(fill, w->off, n * sizeof *fill);
  for (size_t k = 0; k < nnz; k++) {
    size_t at = fill[ti[k]]++;
    w->nb[at] = tj[k];
    w->w[at] = tw ? tw[k] : 1.0;
  }
  free(fill);
  for (size_t i = 0; i < n; i++) {
    sort_row(w, i);
    for (size_t a = w->off[i] + 1; a < w->off[i + 1]; a++)
      if (w->nb[a] == w->nb[a - 1]) {
        cb_err_set(e, "units %zu and %d are paired twice", i + 1,
                   w->nb[a] + 1);
        cb_weights_free(w);
        return NULL;
      }
  }
  return w;
}

void cb_weights_style(cb_weights *w, char style) {
  for (size_t i = 0; i < w->n; i++) {
    size_t a = w->off[i], b = w->off[i + 1];
    if (style == 'B') {
      for (size_t k = a; k < b; k++) w->w[k] = 1.0;
      continue;
    }
    cb_acc s = {0, 0};
    for (size_t k = a; k < b; k++) cb_acc_add(&s, w->w[k]);
    double t = cb_acc_get(&s);
    if (t != 0)
      for (size_t k = a; k < b; k++) w->w[k] /= t;
  }
}

cb_weights *cb_weights_subset(const cb_weights *w, const unsigned char *keep,
                              cb_err *e) {
  int32_t *map = malloc((w->n ? w->n : 1) * sizeof *map);
  if (!map) {
    cb_err_set(e, "out of memory");
    return NULL;
  }
  size_t m = 0, nnz = 0;
  for (size_t i = 0; i < w->n; i++) map[i] = keep[i] ? (int32_t)m++ : -1;
  for (size_t i = 0; i < w->n; i++)
    if (keep[i])
      for (size_t k = w->off[i]; k < w->off[i + 1]; k++)
        nnz += map[w->nb[k]] >= 0;
  cb_weights *s = cb_weights_new(m, nnz, e);
  if (s) {
    size_t r = 0, at = 0;
    for (size_t i = 0; i < w->n; i++) {
      if (!keep[i]) continue;
      for (size_t k = w->off[i]; k < w->off[i + 1]; k++)
        if (map[w->nb[k]] >= 0) {
          s->nb[at] = map[w->nb[k]];
          s->w[at++] = w->w[k];
        }
      s->off[++r] = at;
    }
  }
  free(map);
  return s;
}

double cb_weights_get(const cb_weights *w, size_t i, size_t j) {
  size_t lo = w->off[i], hi = w->off[i + 1];
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if ((size_t)w->nb[mid] < j)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < w->off[i + 1] && (size_t)w->nb[lo] == j ? w->w[lo] : 0.0;
}

int cb_weights_constants(const cb_weights *w, double *s0, double *s1,
                         double *s2, cb_err *e) {
  double *col = calloc(w->n ? w->n : 1, sizeof *col);
  if (!col) return cb_err_set(e, "out of memory");
  cb_acc a0 = {0, 0}, a1 = {0, 0}, a2 = {0, 0};
  for (size_t i = 0; i < w->n; i++)
    for (size_t k = w->off[i]; k < w->off[i + 1]; k++) {
      double wij = w->w[k], wji = cb_weights_get(w, (size_t)w->nb[k], i);
      cb_acc_add(&a0, wij);
      /* 1/2 (w_ij + w_ji)^2 summed over ordered pairs = sum over listed
       * entries of w_ij^2 + w_ij w_ji (spdep's form) */
      cb_acc_add(&a1, wij * wij + wij * wji);
      col[w->nb[k]] += wij;
    }
  for (size_t i = 0; i < w->n; i++) {
    cb_acc r = {0, 0};
    for (size_t k = w->off[i]; k < w->off[i + 1]; k++) cb_acc_add(&r, w->w[k]);
    double t = cb_acc_get(&r) + col[i];
    cb_acc_add(&a2, t * t);
  }
  free(col);
  *s0 = cb_acc_get(&a0);
  *s1 = cb_acc_get(&a1);
  *s2 = cb_acc_get(&a2);
  return 0;
}

cb_weights *cb_weights_with_self(const cb_weights *w, char style, cb_err *e) {
  cb_weights *s = cb_weights_new(w->n, cb_weights_nnz(w) + w->n, e);
  if (!s) return NULL;
  size_t at = 0;
  for (size_t i = 0; i < w->n; i++) {
    int self = 0;
    for (size_t k = w->off[i]; k <= w->off[i + 1]; k++) {
      int end = k == w->off[i + 1];
      if (!self && (end || (size_t)w->nb[k] > i)) {
        s->nb[at] = (int32_t)i;
        s->w[at++] = 1.0;
        self = 1;
      }
      if (end) break;
      s->nb[at] = w->nb[k];
      s->w[at++] = 1.0;
    }
    s->off[i + 1] = at;
  }
  cb_weights_style(s, style);
  return s;
}
