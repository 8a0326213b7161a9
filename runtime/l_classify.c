/* Bindings for zoning rules and class breaks: cbal.classify, cbal.breaks,
 * cbal.classify_breaks. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/breaks.h"
#include "core/classify.h"
#include "l_util.h"

static const char *const op_names[] = {"<", "<=", ">", ">=", "==", "~=", NULL};
static const cb_cmp op_codes[] = {CB_LT, CB_LE, CB_GT, CB_GE, CB_EQ, CB_NE};

/* Index (1-based) of zone name at top of stack in zmap (name -> index),
 * adding it to zmap and the names list znames when new. Pops the name. */
static size_t zone_index(lua_State *L, int zmap, int znames, size_t *nz) {
  lua_pushvalue(L, -1);
  if (lua_rawget(L, zmap) == LUA_TNUMBER) {
    size_t z = (size_t)lua_tointeger(L, -1);
    lua_pop(L, 2);
    return z;
  }
  lua_pop(L, 1);
  size_t z = ++*nz;
  lua_pushvalue(L, -1);
  lua_rawseti(L, znames, (lua_Integer)z);
  lua_pushinteger(L, (lua_Integer)z);
  lua_rawset(L, zmap);
  return z;
}

/* Reads vars (table name -> values) at idx: vmap[name] = 0-based index,
 * vmap[index+1] anchors the values (so converted tables stay alive),
 * vnames[index+1] = name, and *ptrs points into a userdata pushed on the
 * stack with `extra` more slots. Returns the count. */
static size_t read_vars(lua_State *L, int idx, int vmap, int vnames,
                        size_t extra, const double ***ptrs, size_t *n) {
  size_t nv = 0;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    nv++;
  }
  *ptrs = lua_newuserdatauv(L, (nv + extra + 1) * sizeof **ptrs, 0);
  size_t v = 0;
  *n = (size_t)-1;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    int top = lua_gettop(L);
    if (lua_type(L, top - 1) != LUA_TSTRING)
      cbL_errorf(L, "classify: vars must be keyed by name, got a %s key",
                 luaL_typename(L, top - 1));
    const char *name = lua_tostring(L, top - 1);
    if (!lua_istable(L, top) && !cbL_testarray(L, top))
      cbL_errorf(L, "classify: variable '%s' is a %s, expected an array or a "
                 "table of numbers", name, luaL_typename(L, top));
    size_t m;
    (*ptrs)[v] = cbL_tovalues(L, top, &m);
    if (*n == (size_t)-1) *n = m;
    if (m != *n)
      cbL_errorf(L, "classify: variable '%s' has %zu values, others have %zu",
                 name, m, *n);
    if (lua_gettop(L) == top) lua_pushvalue(L, top);
    lua_rawseti(L, vmap, (lua_Integer)v + 1);
    lua_pushvalue(L, top - 1);
    lua_pushinteger(L, (lua_Integer)v);
    lua_rawset(L, vmap);
    lua_pushvalue(L, top - 1);
    lua_rawseti(L, vnames, (lua_Integer)v + 1);
    lua_settop(L, top - 1);
    v++;
  }
  if (*n == (size_t)-1) *n = 0;
  return nv;
}

static cb_cmp check_op(lua_State *L, size_t r, size_t c) {
  const char *op = lua_tostring(L, -1);
  for (int i = 0; op && op_names[i]; i++)
    if (strcmp(op, op_names[i]) == 0) return op_codes[i];
  cbL_errorf(L, "classify: rule %zu condition %zu: operator must be one of < "
             "<= > >= == ~=, got %s", r, c, op ? op : luaL_typename(L, -1));
  return CB_LT;
}

/* One condition {var, op, value} of rule r at the top of the stack. */
static void read_cond(lua_State *L, int vmap, size_t r, size_t c,
                      cb_cond *out) {
  if (!lua_istable(L, -1))
    cbL_errorf(L, "classify: rule %zu condition %zu must be a table {var, op, "
               "value}", r, c);
  int t = lua_gettop(L);
  if (lua_geti(L, t, 1) != LUA_TSTRING)
    cbL_errorf(L, "classify: rule %zu condition %zu: first element must be a "
               "variable name", r, c);
  if (lua_rawget(L, vmap) != LUA_TNUMBER) {
    lua_geti(L, t, 1);
    cbL_errorf(L, "classify: rule %zu condition %zu uses variable '%s', which "
               "is not in vars", r, c, lua_tostring(L, -1));
  }
  out->var = (size_t)lua_tointeger(L, -1);
  lua_pop(L, 1);
  lua_geti(L, t, 2);
  out->op = check_op(L, r, c);
  lua_pop(L, 1);
  if (lua_geti(L, t, 3) != LUA_TNUMBER)
    cbL_errorf(L, "classify: rule %zu condition %zu: value must be a number, "
               "got %s", r, c, luaL_typename(L, -1));
  out->value = lua_tonumber(L, -1);
  lua_pop(L, 1);
}

/* mask[i] = 1 when the predicate at fidx returns a true value for item i,
 * called as f(row, i) with row = {name = value} (NaN for missing). */
static void predicate_mask(lua_State *L, int fidx, int vnames,
                           const double *const *vars, size_t nv, size_t n,
                           double *mask, size_t r) {
  for (size_t i = 0; i < n; i++) {
    lua_pushvalue(L, fidx);
    lua_createtable(L, 0, (int)nv);
    for (size_t v = 0; v < nv; v++) {
      lua_rawgeti(L, vnames, (lua_Integer)v + 1);
      lua_pushnumber(L, vars[v][i]);
      lua_rawset(L, -3);
    }
    lua_pushinteger(L, (lua_Integer)i + 1);
    if (lua_pcall(L, 2, 1, 0) != LUA_OK)
      cbL_errorf(L, "classify: rule %zu: 'when' failed on item %zu: %s", r, i + 1,
             lua_tostring(L, -1) ? lua_tostring(L, -1) : "(error object)");
    mask[i] = lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
}

/* cbal.classify(rules, vars [, {default=, unmatched=}]); a rule is {zone =
 * name, all = {{var, op, value}, ...}, when = f(row, i)} -> zones (list of
 * names, false when unmatched), counts (name -> n), index (array of zone
 * numbers, 0 = unmatched), names (zone names in index order). */
static int l_classify(lua_State *L) {
  static const char *const allowed[] = {"default", "unmatched", NULL};
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  cbL_checkopts(L, 3, "classify", allowed);
  const char *def = cbL_optstrfield(L, 3, "default", NULL);
  const char *um = cbL_optstrfield(L, 3, "unmatched", "error");
  int strict = strcmp(um, "error") == 0;
  if (!strict && strcmp(um, "keep") != 0)
    return cbL_errorf(L, "classify: option 'unmatched' must be \"error\" or "
                      "\"keep\", got \"%s\"", um);
  lua_settop(L, 3);
  lua_newtable(L); /* 4: vmap */
  lua_newtable(L); /* 5: zmap */
  lua_newtable(L); /* 6: znames */
  lua_newtable(L); /* 7: vnames */
  size_t nr = (size_t)luaL_len(L, 1), npred = 0;
  for (size_t r = 0; r < nr; r++) {
    if (lua_geti(L, 1, (lua_Integer)r + 1) == LUA_TTABLE &&
        lua_getfield(L, -1, "when") == LUA_TFUNCTION)
      npred++;
    lua_settop(L, 7);
  }
  size_t n, nz = 0, np = 0;
  const double **vars;
  size_t nv = read_vars(L, 2, 4, 7, npred, &vars, &n);
  cb_rule *rules = lua_newuserdatauv(L, (nr ? nr : 1) * sizeof *rules, 0);
  for (size_t r = 0; r < nr; r++) {
    static const char *const rkeys[] = {"zone", "all", "when", NULL};
    char fname[48];
    snprintf(fname, sizeof fname, "classify: rule %zu", r + 1);
    lua_geti(L, 1, (lua_Integer)r + 1);
    int rt = lua_gettop(L);
    if (!lua_istable(L, rt))
      return cbL_errorf(L, "classify: rule %zu must be a table {zone=, all=}",
                        r + 1);
    cbL_checkopts(L, rt, fname, rkeys);
    if (lua_getfield(L, rt, "zone") != LUA_TSTRING)
      return cbL_errorf(L, "classify: rule %zu needs a zone name (string)",
                        r + 1);
    rules[r].zone = zone_index(L, 5, 6, &nz);
    lua_getfield(L, rt, "all");
    size_t nc = lua_istable(L, -1) ? (size_t)luaL_len(L, -1) : 0;
    if (!lua_isnil(L, -1) && !lua_istable(L, -1))
      return cbL_errorf(L, "classify: rule %zu: 'all' must be a list of "
                        "conditions", r + 1);
    cb_cond *conds = lua_newuserdatauv(L, (nc + 1) * sizeof *conds, 0);
    lua_rawsetp(L, 4, conds); /* anchor */
    for (size_t c = 0; c < nc; c++) {
      lua_geti(L, -1, (lua_Integer)c + 1);
      read_cond(L, 4, r + 1, c + 1, &conds[c]);
      lua_pop(L, 1);
    }
    int wt = lua_getfield(L, rt, "when");
    if (wt != LUA_TNIL && wt != LUA_TFUNCTION)
      return cbL_errorf(L, "classify: rule %zu: 'when' must be a function, got "
                    "%s", r + 1, luaL_typename(L, -1));
    if (wt == LUA_TFUNCTION && np < npred) {
      /* the predicate becomes one more condition: mask == 1 */
      cbL_array *mask = cbL_newarray(L, n);
      lua_rawseti(L, 4, (lua_Integer)(nv + np) + 1); /* anchor */
      predicate_mask(L, lua_gettop(L), 7, vars, nv, n, mask->v, r + 1);
      vars[nv + np] = mask->v;
      conds[nc++] = (cb_cond){nv + np, CB_EQ, 1};
      np++;
    }
    rules[r].conds = conds;
    rules[r].nconds = nc;
    lua_settop(L, rt - 1);
  }
  size_t dz = 0;
  if (def) {
    lua_pushstring(L, def);
    dz = zone_index(L, 5, 6, &nz);
  }
  size_t *zone = lua_newuserdatauv(L, (n ? n : 1) * sizeof *zone, 0);
  size_t *counts = lua_newuserdatauv(L, (nz + 1) * sizeof *counts, 0);
  cb_err e;
  if (cb_classify(rules, nr, vars, nv + np, n, dz, strict, zone, counts, nz,
                  &e))
    return cbL_raise(L, &e);
  lua_createtable(L, (int)n, 0);
  int zt = lua_gettop(L);
  cbL_array *index = cbL_newarray(L, n);
  for (size_t i = 0; i < n; i++) {
    index->v[i] = (double)zone[i];
    if (zone[i])
      lua_rawgeti(L, 6, (lua_Integer)zone[i]);
    else
      lua_pushboolean(L, 0);
    lua_rawseti(L, zt, (lua_Integer)i + 1);
  }
  lua_createtable(L, 0, (int)nz);
  for (size_t z = 1; z <= nz; z++) {
    lua_rawgeti(L, 6, (lua_Integer)z);
    lua_pushinteger(L, (lua_Integer)counts[z]);
    lua_rawset(L, -3);
  }
  lua_pushvalue(L, zt + 1); /* index */
  lua_pushvalue(L, 6);      /* names */
  lua_remove(L, zt + 1);
  return 4;
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
  const char *ms = cbL_optstrfield(L, 2, "method", "jenks");
  int m = 0;
  while (methods[m] && strcmp(methods[m], ms) != 0) m++;
  if (!methods[m])
    return cbL_errorf(L, "breaks: option 'method' must be one of quantile, "
                      "equal, jenks, manual; got \"%s\"", ms);
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
  const char *closed = cbL_optstrfield(L, 3, "closed", "right");
  int right = strcmp(closed, "right") == 0;
  if (!right && strcmp(closed, "left") != 0)
    return cbL_errorf(L, "classify_breaks: option 'closed' must be \"right\" "
                      "or \"left\", got \"%s\"", closed);
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

static const luaL_Reg funcs[] = {{"classify", l_classify},
                                 {"breaks", l_breaks},
                                 {"classify_breaks", l_classify_breaks},
                                 {NULL, NULL}};

void cbL_open_classify(lua_State *L) { luaL_setfuncs(L, funcs, 0); }
