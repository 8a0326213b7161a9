/* Bindings for the zoning mask kernel and class breaks: cbal.mask,
 * cbal.breaks, cbal.classify_breaks. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/breaks.h"
#include "core/classify.h"
#include "l_util.h"

static const char *const op_names[] = {"<", "<=", ">", ">=", "==", "~=", NULL};
static const cb_cmp op_codes[] = {CB_LT, CB_LE, CB_GT, CB_GE, CB_EQ, CB_NE};

/* cbal.mask(values, op, value [, within]) -> array of 1/0: values[i] op
 * value holds (NaN never holds) and within[i] is non-zero when given. The
 * kernel of cbal.classify and the zoning criteria (lua/cbal/classify.lua). */
static int l_mask(lua_State *L) {
  size_t n, m;
  const double *v = cbL_tovalues(L, 1, &n);
  int op = cbL_enum(L, luaL_checkstring(L, 2), "mask", "op", op_names);
  double value = luaL_checknumber(L, 3);
  const double *within = NULL;
  if (!lua_isnoneornil(L, 4)) {
    within = cbL_tovalues(L, 4, &m);
    if (m != n)
      return cbL_errorf(L, "mask: 'within' has %zu values, 'values' has %zu",
                        m, n);
  }
  cbL_array *out = cbL_newarray(L, n);
  cb_mask(v, n, op_codes[op], value, within, out->v);
  return 1;
}

/* Values at idx as parts: one array, a list of numbers, or a list of
 * arrays (pooled). Pushes a userdata of part pointers and one of lengths. */
static size_t read_parts(lua_State *L, int idx, const double ***parts,
                         size_t **lens) {
  int single = cbL_testarray(L, idx) != NULL;
  if (!single) {
    luaL_argexpected(L, lua_istable(L, idx), idx,
                     "cbal.Array, list of numbers or list of arrays");
    lua_geti(L, idx, 1);
    single = lua_type(L, -1) != LUA_TTABLE && !cbL_testarray(L, -1);
    lua_pop(L, 1);
  }
  size_t np = single ? 1 : (size_t)luaL_len(L, idx);
  *parts = lua_newuserdatauv(L, (np ? np : 1) * sizeof **parts, 0);
  *lens = lua_newuserdatauv(L, (np ? np : 1) * sizeof **lens, 0);
  if (single) {
    (*parts)[0] = cbL_tovalues(L, idx, &(*lens)[0]);
    return 1;
  }
  luaL_checkstack(L, 2 * (int)np + 4, "too many arrays");
  for (size_t p = 0; p < np; p++) {
    lua_geti(L, idx, (lua_Integer)p + 1);
    if (!lua_istable(L, -1) && !cbL_testarray(L, -1))
      cbL_errorf(L, "breaks: element %zu of the list is a %s, expected an "
                 "array or a table of numbers", p + 1, luaL_typename(L, -1));
    (*parts)[p] = cbL_tovalues(L, -1, &(*lens)[p]);
  }
  return np;
}

/* cbal.breaks(values | {arrays...}, {method=, k=, breaks=, max_exact=,
 * round=}) -> array of k+1 edges (computed ones rounded to pretty numbers
 * unless round = false), number of values whose class the rounding moved */
static int l_breaks(lua_State *L) {
  lua_settop(L, 2);
  static const char *const allowed[] = {"method", "k", "breaks", "max_exact",
                                        "round", NULL};
  static const char *const methods[] = {"quantile", "equal", "jenks",
                                        "manual", NULL};
  cbL_checkopts(L, 2, "breaks", allowed);
  int m = cbL_optenum(L, 2, "breaks", "method", 2, methods);
  cb_err e;
  if (m == 3) {
    if (lua_isnoneornil(L, 2) || lua_getfield(L, 2, "breaks") == LUA_TNIL)
      return cbL_errorf(L, "breaks: method \"manual\" needs the option "
                        "'breaks' (a list of edges)");
    size_t ne, moved = 0;
    const double *ed = cbL_tovalues(L, -1, &ne);
    if (cb_breaks_check(ed, ne, &e)) return cbL_raise(L, &e);
    cbL_array *out = cbL_newarray(L, ne);
    memcpy(out->v, ed, ne * sizeof *ed);
    int oi = lua_gettop(L);
    if (cbL_optboolfield(L, 2, "round", 0)) { /* the user's limits, made pretty */
      if (lua_isnil(L, 1))
        return cbL_errorf(L, "breaks: round = true needs the values");
      const double **parts;
      size_t *lens, np = read_parts(L, 1, &parts, &lens);
      if (cb_breaks_round(out->v, ne, parts, lens, np, &moved, &e))
        return cbL_raise(L, &e);
      lua_pushvalue(L, oi); /* the edges, above the parts */
    }
    lua_pushinteger(L, (lua_Integer)moved);
    return 2;
  }
  lua_Integer k = cbL_optintfield(L, 2, "k", 5);
  if (k < 1) return cbL_errorf(L, "breaks: option 'k' must be >= 1, got %d",
                               (int)k);
  lua_Integer mx = cbL_optintfield(L, 2, "max_exact", 0);
  if (mx < 0) return cbL_errorf(L, "breaks: option 'max_exact' must be >= 0");
  const double **parts;
  size_t *lens;
  size_t np = read_parts(L, 1, &parts, &lens);
  double *edges = lua_newuserdatauv(L, ((size_t)k + 1) * sizeof *edges, 0);
  size_t kout;
  size_t moved = 0;
  if (cb_breaks((cb_breaks_method)m, parts, lens, np, (size_t)k, (size_t)mx,
                edges, &kout, &e) ||
      (cbL_optboolfield(L, 2, "round", 1) &&
       cb_breaks_round(edges, kout + 1, parts, lens, np, &moved, &e)))
    return cbL_raise(L, &e);
  cbL_array *out = cbL_newarray(L, kout + 1);
  memcpy(out->v, edges, (kout + 1) * sizeof *edges);
  lua_pushinteger(L, (lua_Integer)moved);
  return 2;
}

/* cbal.classify_breaks(values, edges [, {closed = "right" | "left"}]) ->
 * class index array (1..k, NaN for missing or out of range), counts (list
 * of k integers) */
static int l_classify_breaks(lua_State *L) {
  lua_settop(L, 3);
  static const char *const allowed[] = {"closed", NULL};
  cbL_checkopts(L, 3, "classify_breaks", allowed);
  static const char *const sides[] = {"left", "right", NULL};
  int right = cbL_optenum(L, 3, "classify_breaks", "closed", 1, sides);
  size_t n, ne;
  const double *v = cbL_tovalues(L, 1, &n);
  const double *ed = cbL_tovalues(L, 2, &ne);
  cb_err e;
  if (cb_breaks_check(ed, ne, &e)) return cbL_raise(L, &e);
  size_t *counts = lua_newuserdatauv(L, (ne - 1) * sizeof *counts, 0);
  cbL_array *cls = cbL_newarray(L, n);
  size_t outside;
  cb_classify_breaks(v, n, ed, ne, right, cls->v, counts, &outside);
  if (outside)
    cb_warn("classify_breaks: %zu of %zu values lie outside the edges [%g, "
            "%g] and get no class (NaN)", outside, n, ed[0], ed[ne - 1]);
  lua_createtable(L, (int)ne - 1, 0);
  for (size_t j = 0; j + 1 < ne; j++) {
    lua_pushinteger(L, (lua_Integer)counts[j]);
    lua_rawseti(L, -2, (lua_Integer)j + 1);
  }
  return 2;
}

static const luaL_Reg funcs[] = {{"mask", l_mask},
                                 {"breaks", l_breaks},
                                 {"classify_breaks", l_classify_breaks},
                                 {NULL, NULL}};

void cbL_open_classify(lua_State *L) { luaL_setfuncs(L, funcs, 0); }
