/* cbal.Array: a float64 vector userdata (NaN = missing) with element-wise
 * arithmetic, comparisons to 0/1 masks and NaN-skipping reductions. */
#include <math.h>
#include <string.h>

#include "core/array.h"
#include "l_util.h"

cbL_array *cbL_newarray(lua_State *L, size_t n) {
  if (n > (((size_t)-1) - sizeof(cbL_array)) / sizeof(double))
    cbL_errorf(L, "array of %zu elements is too large", n);
  cbL_array *a = lua_newuserdatauv(L, sizeof(cbL_array) + n * sizeof(double), 0);
  a->n = n;
  luaL_setmetatable(L, CBAL_ARRAY);
  return a;
}

cbL_array *cbL_checkarray(lua_State *L, int idx) {
  return luaL_checkudata(L, idx, CBAL_ARRAY);
}

cbL_array *cbL_testarray(lua_State *L, int idx) {
  return luaL_testudata(L, idx, CBAL_ARRAY);
}

double *cbL_tovalues(lua_State *L, int idx, size_t *n) {
  idx = lua_absindex(L, idx);
  cbL_array *a = cbL_testarray(L, idx);
  if (a) {
    *n = a->n;
    return a->v;
  }
  if (!lua_istable(L, idx)) {
    luaL_typeerror(L, idx, "cbal.Array or table of numbers");
    return NULL;
  }
  size_t len = (size_t)luaL_len(L, idx);
  cbL_array *b = cbL_newarray(L, len);
  for (size_t i = 0; i < len; i++) {
    int t = lua_geti(L, idx, (lua_Integer)i + 1);
    if (t == LUA_TNUMBER)
      b->v[i] = lua_tonumber(L, -1);
    else if (t == LUA_TNIL)
      b->v[i] = NAN;
    else
      luaL_error(L, "bad argument #%d: element %I is a %s, expected a number",
                 idx, (lua_Integer)i + 1, luaL_typename(L, -1));
    lua_pop(L, 1);
  }
  *n = len;
  return b->v;
}

/* cbal.array(t) | cbal.array(n [, fill]) | cbal.array(other) */
static int l_array(lua_State *L) {
  if (lua_type(L, 1) == LUA_TNUMBER) {
    lua_Integer n = luaL_checkinteger(L, 1);
    luaL_argcheck(L, n >= 0, 1, "length must be >= 0");
    double fill = luaL_optnumber(L, 2, 0.0);
    cbL_array *a = cbL_newarray(L, (size_t)n);
    for (size_t i = 0; i < a->n; i++) a->v[i] = fill;
    return 1;
  }
  cbL_array *src = cbL_testarray(L, 1);
  if (src) {
    cbL_array *a = cbL_newarray(L, src->n);
    memcpy(a->v, src->v, src->n * sizeof(double));
    return 1;
  }
  luaL_argexpected(L, lua_istable(L, 1), 1, "table, length or cbal.Array");
  size_t n;
  cbL_tovalues(L, 1, &n);
  return 1;
}

/* cbal.seq(from, to [, step]): from, from+step, ... while <= to (>= for a
 * negative step). */
static int l_seq(lua_State *L) {
  double from = luaL_checknumber(L, 1), to = luaL_checknumber(L, 2);
  double step = luaL_optnumber(L, 3, 1.0);
  luaL_argcheck(L, step != 0 && isfinite(step), 3, "step must be non-zero");
  double span = (to - from) / step;
  size_t n = span < 0 ? 0 : (size_t)floor(span + 1e-9) + 1;
  cbL_array *a = cbL_newarray(L, n);
  for (size_t i = 0; i < n; i++) a->v[i] = from + (double)i * step;
  return 1;
}

static lua_Integer checkpos(lua_State *L, cbL_array *a, int idx) {
  int ok;
  lua_Integer i = lua_tointegerx(L, idx, &ok);
  if (!ok) luaL_error(L, "array index must be an integer, got %s",
                      luaL_typename(L, idx));
  if (i < 1 || (size_t)i > a->n)
    luaL_error(L, "array index %I out of range (length %I)", i,
               (lua_Integer)a->n);
  return i - 1;
}

static int m_index(lua_State *L) {
  cbL_array *a = cbL_checkarray(L, 1);
  if (lua_type(L, 2) == LUA_TSTRING) {
    if (!cbL_getmethod(L, CBAL_ARRAY, lua_tostring(L, 2))) lua_pushnil(L);
    return 1;
  }
  lua_pushnumber(L, a->v[checkpos(L, a, 2)]);
  return 1;
}

static int m_newindex(lua_State *L) {
  cbL_array *a = cbL_checkarray(L, 1);
  lua_Integer i = checkpos(L, a, 2);
  a->v[i] = lua_isnil(L, 3) ? NAN : luaL_checknumber(L, 3);
  return 0;
}

static int m_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)cbL_checkarray(L, 1)->n);
  return 1;
}

/* An operand of a binary operation: an array, or a number repeated. */
typedef struct {
  const double *v;
  size_t stride, n;
  double scalar;
} operand;

static void getoperand(lua_State *L, int idx, operand *o, const char *op) {
  cbL_array *a = cbL_testarray(L, idx);
  if (a) {
    o->v = a->v, o->stride = 1, o->n = a->n;
    return;
  }
  if (lua_type(L, idx) != LUA_TNUMBER)
    luaL_error(L, "attempt to %s a cbal.Array and a %s", op,
               luaL_typename(L, idx));
  o->scalar = lua_tonumber(L, idx);
  o->v = &o->scalar, o->stride = 0, o->n = 0;
}

static size_t binary_len(lua_State *L, operand *a, operand *b, const char *op) {
  if (a->stride && b->stride && a->n != b->n)
    cbL_errorf(L, "array length mismatch in %s: %zu vs %zu", op, a->n, b->n);
  return a->stride ? a->n : b->n;
}

static int arith(lua_State *L, cb_arith op, const char *name) {
  operand a, b;
  getoperand(L, 1, &a, name);
  getoperand(L, 2, &b, name);
  size_t n = binary_len(L, &a, &b, name);
  cbL_array *out = cbL_newarray(L, n);
  cb_arith_apply(op, a.v, a.stride, b.v, b.stride, out->v, n);
  return 1;
}

static int m_add(lua_State *L) { return arith(L, CB_ADD, "add"); }
static int m_sub(lua_State *L) { return arith(L, CB_SUB, "subtract"); }
static int m_mul(lua_State *L) { return arith(L, CB_MUL, "multiply"); }
static int m_div(lua_State *L) { return arith(L, CB_DIV, "divide"); }
static int m_pow(lua_State *L) { return arith(L, CB_POW, "exponentiate"); }

static int m_unm(lua_State *L) {
  cbL_array *a = cbL_checkarray(L, 1);
  cbL_array *out = cbL_newarray(L, a->n);
  for (size_t i = 0; i < a->n; i++) out->v[i] = -a->v[i];
  return 1;
}

static int compare(lua_State *L, cb_cmp op, const char *name) {
  cbL_checkarray(L, 1);
  operand a, b;
  getoperand(L, 1, &a, name);
  getoperand(L, 2, &b, name);
  size_t n = binary_len(L, &a, &b, name);
  cbL_array *out = cbL_newarray(L, n);
  cb_cmp_apply(op, a.v, a.stride, b.v, b.stride, out->v, n);
  return 1;
}

static int m_lt(lua_State *L) { return compare(L, CB_LT, "compare (lt)"); }
static int m_le(lua_State *L) { return compare(L, CB_LE, "compare (le)"); }
static int m_gt(lua_State *L) { return compare(L, CB_GT, "compare (gt)"); }
static int m_ge(lua_State *L) { return compare(L, CB_GE, "compare (ge)"); }
static int m_eq(lua_State *L) { return compare(L, CB_EQ, "compare (eq)"); }
static int m_ne(lua_State *L) { return compare(L, CB_NE, "compare (ne)"); }

static int m_sum(lua_State *L) {
  cbL_array *a = cbL_checkarray(L, 1);
  lua_pushnumber(L, cb_sum(a->v, a->n));
  return 1;
}
static int m_mean(lua_State *L) {
  cbL_array *a = cbL_checkarray(L, 1);
  lua_pushnumber(L, cb_mean(a->v, a->n));
  return 1;
}
static int m_min(lua_State *L) {
  cbL_array *a = cbL_checkarray(L, 1);
  lua_pushnumber(L, cb_min(a->v, a->n));
  return 1;
}
static int m_max(lua_State *L) {
  cbL_array *a = cbL_checkarray(L, 1);
  lua_pushnumber(L, cb_max(a->v, a->n));
  return 1;
}
static int m_count(lua_State *L) {
  cbL_array *a = cbL_checkarray(L, 1);
  lua_pushinteger(L, (lua_Integer)cb_count(a->v, a->n));
  return 1;
}

/* Missing values become nil, so #t may be shorter than the array: pass a
 * fill value (e.g. 0/0 or false) to keep them. */
static int m_totable(lua_State *L) {
  cbL_array *a = cbL_checkarray(L, 1);
  int has_fill = !lua_isnoneornil(L, 2);
  lua_createtable(L, (int)a->n, 0);
  for (size_t i = 0; i < a->n; i++) {
    if (isnan(a->v[i])) {
      if (!has_fill) continue;
      lua_pushvalue(L, 2);
    } else {
      lua_pushnumber(L, a->v[i]);
    }
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

static int m_copy(lua_State *L) {
  cbL_array *a = cbL_checkarray(L, 1);
  cbL_array *out = cbL_newarray(L, a->n);
  memcpy(out->v, a->v, a->n * sizeof(double));
  return 1;
}

/* a:slice(i [, j]): elements i..j (1-based, inclusive; negative counts from
 * the end, as string.sub). */
static int m_slice(lua_State *L) {
  cbL_array *a = cbL_checkarray(L, 1);
  lua_Integer n = (lua_Integer)a->n;
  lua_Integer i = luaL_checkinteger(L, 2), j = luaL_optinteger(L, 3, -1);
  if (i < 0) i = n + i + 1;
  if (j < 0) j = n + j + 1;
  if (i < 1) i = 1;
  if (j > n) j = n;
  size_t len = j >= i ? (size_t)(j - i + 1) : 0;
  cbL_array *out = cbL_newarray(L, len);
  if (len) memcpy(out->v, a->v + (i - 1), len * sizeof(double));
  return 1;
}

static int m_isnan(lua_State *L) {
  cbL_array *a = cbL_checkarray(L, 1);
  cbL_array *out = cbL_newarray(L, a->n);
  for (size_t i = 0; i < a->n; i++) out->v[i] = isnan(a->v[i]);
  return 1;
}

/* a:where(mask [, other]): a where mask is 1, else other (default NaN). */
static int m_where(lua_State *L) {
  cbL_array *a = cbL_checkarray(L, 1);
  operand m, o;
  getoperand(L, 2, &m, "mask");
  double nan = NAN;
  if (lua_isnoneornil(L, 3))
    o.v = &nan, o.stride = 0, o.n = 0;
  else
    getoperand(L, 3, &o, "fill");
  operand self = {a->v, 1, a->n, 0};
  binary_len(L, &self, &m, "where (mask)");
  binary_len(L, &self, &o, "where (fill)");
  cbL_array *out = cbL_newarray(L, a->n);
  for (size_t i = 0; i < a->n; i++) {
    double k = m.v[i * m.stride];
    out->v[i] = (!isnan(k) && k != 0) ? a->v[i] : o.v[i * o.stride];
  }
  return 1;
}

static int unary(lua_State *L, double (*f)(double)) {
  cbL_array *a = cbL_checkarray(L, 1);
  cbL_array *out = cbL_newarray(L, a->n);
  for (size_t i = 0; i < a->n; i++) out->v[i] = f(a->v[i]);
  return 1;
}
static int m_abs(lua_State *L) { return unary(L, fabs); }
static int m_log(lua_State *L) { return unary(L, log); }
static int m_exp(lua_State *L) { return unary(L, exp); }
static int m_sqrt(lua_State *L) { return unary(L, sqrt); }

/* Equal length and every pair equal or both missing. */
static int m_equal(lua_State *L) {
  cbL_array *a = cbL_testarray(L, 1), *b = cbL_testarray(L, 2);
  int eq = a && b && a->n == b->n;
  for (size_t i = 0; eq && i < a->n; i++)
    eq = a->v[i] == b->v[i] || (isnan(a->v[i]) && isnan(b->v[i]));
  lua_pushboolean(L, eq);
  return 1;
}

static void addnum(luaL_Buffer *b, double x) {
  char s[32];
  if (isnan(x))
    strcpy(s, "nan");
  else
    snprintf(s, sizeof s, "%.10g", x);
  luaL_addstring(b, s);
}

static int m_tostring(lua_State *L) {
  cbL_array *a = cbL_checkarray(L, 1);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  char head[64];
  snprintf(head, sizeof head, "cbal.array(%zu): [", a->n);
  luaL_addstring(&b, head);
  size_t shown = a->n <= 12 ? a->n : 10;
  for (size_t i = 0; i < shown; i++) {
    if (i) luaL_addstring(&b, ", ");
    addnum(&b, a->v[i]);
  }
  if (shown < a->n) {
    luaL_addstring(&b, ", ..., ");
    addnum(&b, a->v[a->n - 1]);
  }
  luaL_addstring(&b, "]");
  luaL_pushresult(&b);
  return 1;
}

static const luaL_Reg methods[] = {
    {"sum", m_sum},     {"mean", m_mean},   {"min", m_min},
    {"max", m_max},     {"count", m_count}, {"totable", m_totable},
    {"copy", m_copy},   {"slice", m_slice}, {"isnan", m_isnan},
    {"where", m_where}, {"lt", m_lt},       {"le", m_le},
    {"gt", m_gt},       {"ge", m_ge},       {"eq", m_eq},
    {"ne", m_ne},       {"abs", m_abs},     {"log", m_log},
    {"exp", m_exp},     {"sqrt", m_sqrt},   {NULL, NULL}};

static const luaL_Reg meta[] = {
    {"__index", m_index}, {"__newindex", m_newindex}, {"__len", m_len},
    {"__add", m_add},     {"__sub", m_sub},           {"__mul", m_mul},
    {"__div", m_div},     {"__pow", m_pow},           {"__unm", m_unm},
    {"__eq", m_equal},    {"__tostring", m_tostring}, {NULL, NULL}};

static const luaL_Reg funcs[] = {
    {"array", l_array}, {"seq", l_seq}, {NULL, NULL}};

void cbL_open_array(lua_State *L) {
  cbL_newtype(L, CBAL_ARRAY, methods, meta);
  luaL_setfuncs(L, funcs, 0);
}
