/* Bindings for allocation, growth rates and class counts:
 * cbal.alloc, cbal.growth, cbal.count_classes. */
#include <math.h>

#include "core/alloc.h"
#include "core/growth.h"
#include "l_util.h"

/* Pushes the group id at idx, with integral floats as integers so 3.0 and 3
 * name the same group. Raises on anything but a string or a number. */
static void push_id(lua_State *L, int idx, size_t item) {
  if (lua_type(L, idx) == LUA_TSTRING) {
    lua_pushvalue(L, idx);
    return;
  }
  if (lua_type(L, idx) != LUA_TNUMBER && item == 0)
    cbL_errorf(L, "alloc: a key of the totals table is a %s, expected a group "
           "id (string or number)", luaL_typename(L, idx));
  if (lua_type(L, idx) != LUA_TNUMBER)
    cbL_errorf(L, "alloc: group of item %zu is a %s, expected a string or "
               "number", item, luaL_typename(L, idx));
  lua_Number x = lua_tonumber(L, idx);
  lua_Integer k;
  if (isnan(x))
    cbL_errorf(L, "alloc: item %zu has no group (NaN)", item);
  if (lua_numbertointeger(x, &k) && (lua_Number)k == x)
    lua_pushinteger(L, k);
  else
    lua_pushnumber(L, x);
}

/* Index of the group named by the value on top (popped) in map (a table at
 * mapi: id -> index); a new index when unseen, with its name recorded in
 * the names table (list at namei). */
static size_t group_index(lua_State *L, int mapi, int namei, size_t *ng) {
  lua_pushvalue(L, -1);
  if (lua_rawget(L, mapi) == LUA_TNUMBER) {
    size_t g = (size_t)lua_tointeger(L, -1);
    lua_pop(L, 2);
    return g;
  }
  lua_pop(L, 1);
  size_t g = (*ng)++;
  lua_pushvalue(L, -1);
  lua_pushinteger(L, (lua_Integer)g);
  lua_rawset(L, mapi);
  luaL_tolstring(L, -1, NULL);
  lua_rawseti(L, namei, (lua_Integer)g + 1);
  lua_pop(L, 1);
  return g;
}

static int alloc_grouped(lua_State *L, const double *w, size_t n) {
  luaL_checktype(L, 1, LUA_TTABLE);
  if (lua_isnoneornil(L, 3))
    return cbL_errorf(L, "alloc: a table of totals needs a third argument, "
                      "the group id of each item");
  lua_newtable(L); /* map id -> index */
  int mapi = lua_gettop(L);
  lua_newtable(L); /* names */
  int namei = lua_gettop(L);
  size_t ng = 0;
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    if (lua_type(L, -1) != LUA_TNUMBER) {
      /* the type first: luaL_tolstring pushes, shifting the indices */
      const char *type = luaL_typename(L, -1);
      return cbL_errorf(L, "alloc: total of group '%s' is a %s, expected a "
                        "number", luaL_tolstring(L, -2, NULL), type);
    }
    lua_pop(L, 1);
    push_id(L, -1, 0);
    group_index(L, mapi, namei, &ng);
  }
  cbL_array *ga = cbL_testarray(L, 3);
  if (!ga) luaL_checktype(L, 3, LUA_TTABLE);
  size_t gn = ga ? ga->n : (size_t)luaL_len(L, 3);
  if (gn != n)
    return cbL_errorf(L, "alloc: %zu weights but %zu group ids; give one "
                      "group per item", n, gn);
  size_t *group = lua_newuserdatauv(L, (n ? n : 1) * sizeof *group, 0);
  for (size_t i = 0; i < n; i++) {
    if (ga)
      lua_pushnumber(L, ga->v[i]);
    else
      lua_geti(L, 3, (lua_Integer)i + 1);
    push_id(L, -1, i + 1);
    group[i] = group_index(L, mapi, namei, &ng);
    lua_pop(L, 1);
  }
  double *totals = lua_newuserdatauv(L, (ng ? ng : 1) * sizeof *totals, 0);
  const char **names = lua_newuserdatauv(L, (ng ? ng : 1) * sizeof *names, 0);
  for (size_t g = 0; g < ng; g++) {
    lua_rawgeti(L, namei, (lua_Integer)g + 1);
    names[g] = lua_tostring(L, -1); /* kept alive by the names table */
    lua_pop(L, 1);
    totals[g] = NAN;
  }
  /* Totals by group: walk the totals table again. */
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    double t = lua_tonumber(L, -1);
    lua_pop(L, 1);
    push_id(L, -1, 0);
    lua_rawget(L, mapi);
    totals[lua_tointeger(L, -1)] = t;
    lua_pop(L, 1);
  }
  cbL_array *out = cbL_newarray(L, n);
  cb_err e;
  if (cb_alloc_grouped(totals, ng, group, w, n, names, out->v, &e))
    return cbL_raise(L, &e);
  return 1;
}

/* cbal.alloc(total, weights) | cbal.alloc(totals, weights, groups) */
static int l_alloc(lua_State *L) {
  lua_settop(L, 3); /* conversions push above the arguments */
  size_t n;
  const double *w = cbL_tovalues(L, 2, &n);
  if (lua_type(L, 1) != LUA_TNUMBER) return alloc_grouped(L, w, n);
  if (!lua_isnoneornil(L, 3))
    return cbL_errorf(L, "alloc: groups given but the total is a number; "
                      "pass a table group -> total");
  cbL_array *out = cbL_newarray(L, n);
  cb_err e;
  if (cb_alloc(lua_tonumber(L, 1), w, n, out->v, &e)) return cbL_raise(L, &e);
  return 1;
}

/* A number (stride 0) or values (stride 1) at idx. */
static const double *operand(lua_State *L, int idx, size_t *n, size_t *stride,
                             double *scalar) {
  if (lua_type(L, idx) == LUA_TNUMBER) {
    *scalar = lua_tonumber(L, idx);
    *stride = 0, *n = 1;
    return scalar;
  }
  *stride = 1;
  return cbL_tovalues(L, idx, n);
}

/* cbal.growth(x0, x1, years) -> total, aagr (numbers, or arrays when either
 * input is an array or table). */
static int l_growth(lua_State *L) {
  lua_settop(L, 3);
  double years = luaL_checknumber(L, 3);
  luaL_argcheck(L, years > 0 && isfinite(years), 3,
                "years must be a positive number");
  size_t n0, n1, s0, s1;
  double a, b;
  const double *x0 = operand(L, 1, &n0, &s0, &a);
  const double *x1 = operand(L, 2, &n1, &s1, &b);
  if (s0 && s1 && n0 != n1)
    return cbL_errorf(L, "growth: start has %zu values but end has %zu", n0,
                      n1);
  size_t n = s0 ? n0 : n1, bad;
  if (!s0 && !s1) {
    double t, g;
    bad = cb_growth(x0, 0, x1, 0, years, &t, &g, 1);
    if (bad)
      cb_warn("growth: undefined for start %g and end %g (start must be > 0, "
              "end >= 0); result is NaN", a, b);
    lua_pushnumber(L, t);
    lua_pushnumber(L, g);
    return 2;
  }
  cbL_array *t = cbL_newarray(L, n);
  cbL_array *g = cbL_newarray(L, n);
  bad = cb_growth(x0, s0, x1, s1, years, t->v, g->v, n);
  if (bad)
    cb_warn("growth: %zu of %zu items undefined (start <= 0, end < 0 or "
            "missing); set to NaN", bad, n);
  return 2;
}

/* cbal.count_classes(class_index, k) -> counts (list of k integers),
 * missing (number of NaN entries). */
static int l_count_classes(lua_State *L) {
  size_t n;
  const double *c = cbL_tovalues(L, 1, &n);
  lua_Integer k = luaL_checkinteger(L, 2);
  luaL_argcheck(L, k >= 1, 2, "number of classes must be >= 1");
  lua_createtable(L, (int)k, 0);
  for (lua_Integer j = 1; j <= k; j++) {
    lua_pushinteger(L, 0);
    lua_rawseti(L, -2, j);
  }
  lua_Integer missing = 0;
  for (size_t i = 0; i < n; i++) {
    if (isnan(c[i])) {
      missing++;
      continue;
    }
    if (c[i] != floor(c[i]) || c[i] < 1 || c[i] > (double)k)
      return cbL_errorf(L, "count_classes: item %zu has class %g, expected an "
                        "integer in 1..%d (or NaN for missing)", i + 1, c[i],
                        (int)k);
    lua_Integer j = (lua_Integer)c[i];
    lua_rawgeti(L, -1, j);
    lua_Integer v = lua_tointeger(L, -1) + 1;
    lua_pop(L, 1);
    lua_pushinteger(L, v);
    lua_rawseti(L, -2, j);
  }
  lua_pushinteger(L, missing);
  return 2;
}

static const luaL_Reg funcs[] = {{"alloc", l_alloc},
                                 {"growth", l_growth},
                                 {"count_classes", l_count_classes},
                                 {NULL, NULL}};

void cbL_open_analytics(lua_State *L) { luaL_setfuncs(L, funcs, 0); }
