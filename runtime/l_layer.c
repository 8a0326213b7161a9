/* cbal.open_layer -> cbal.Layer (an OGR vector layer), whose polygons
 * (layer:polygons) are a cbal.Polygons in some CRS, for zones and maps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/layer.h"
#include "l_util.h"

#define CBAL_LAYER "cbal.Layer"

typedef struct {
  cb_layer *l; /* NULL once closed */
} layer_ud;

cb_layer *cbL_checklayer(lua_State *L, int idx) {
  layer_ud *u = luaL_checkudata(L, idx, CBAL_LAYER);
  if (!u->l) luaL_error(L, "attempt to use a closed layer");
  return u->l;
}

/* cbal.open_layer(path [, {layer=, encoding=, crs=, where=, datum=}]) */
static int l_open_layer(lua_State *L) {
  static const char *const keys[] = {"layer", "encoding", "crs", "where",
                                     "datum", NULL};
  static const char *const datums[] = {"gcj02", "wgs84", NULL};
  const char *path = luaL_checkstring(L, 1);
  cbL_checkopts(L, 2, "open_layer", keys);
  int datum = cbL_optenum(L, 2, "open_layer", "datum", -1, datums);
  cb_layer_opts o = {cbL_optstrfield(L, 2, "layer", NULL),
                     cbL_optstrfield(L, 2, "encoding", NULL),
                     cbL_optstrfield(L, 2, "crs", NULL),
                     cbL_optstrfield(L, 2, "where", NULL),
                     datum < 0 ? NULL : datums[datum]};
  layer_ud *u = lua_newuserdatauv(L, sizeof *u, 0);
  u->l = NULL;
  luaL_setmetatable(L, CBAL_LAYER);
  cb_err e;
  u->l = cb_layer_open(path, &o, &e);
  if (!u->l) return cbL_raise(L, &e);
  return 1;
}

static int m_close(lua_State *L) {
  layer_ud *u = luaL_checkudata(L, 1, CBAL_LAYER);
  cb_layer_close(u->l);
  u->l = NULL;
  return 0;
}

static int m_len(lua_State *L) {
  cb_err e;
  long n = cb_layer_count(cbL_checklayer(L, 1), NULL, &e);
  if (n < 0) return cbL_raise(L, &e);
  lua_pushinteger(L, n);
  return 1;
}

static int m_fields(lua_State *L) {
  cb_layer *l = cbL_checklayer(L, 1);
  int n = cb_layer_nfields(l);
  lua_createtable(L, n, 0);
  for (int i = 0; i < n; i++) {
    lua_pushstring(L, cb_layer_field_name(l, i));
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

static void free_doubles(void *p, size_t n) {
  (void)n;
  free(p);
}

static void free_strings(void *p, size_t n) { cb_strings_free(p, n); }

void cbL_pushfield(lua_State *L, cb_layer *l, const char *name,
                   const char *where, int numeric) {
  cbL_box *b = cbL_newbox(L, 0, numeric ? free_doubles : free_strings);
  cb_err e;
  size_t n;
  if (numeric) {
    double *v;
    if (cb_layer_field_doubles(l, name, where, &v, &n, &e)) cbL_raise(L, &e);
    b->p = v, b->n = n;
    cbL_array *a = cbL_newarray(L, n);
    if (n) memcpy(a->v, v, n * sizeof *v);
  } else {
    char **s;
    if (cb_layer_field_strings(l, name, where, &s, &n, &e)) cbL_raise(L, &e);
    b->p = s, b->n = n;
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
      if (s[i]) lua_pushstring(L, s[i]); else lua_pushboolean(L, 0);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
  }
  cbL_freebox(b); /* core's copy is no longer needed */
  lua_remove(L, -2);
}

/* layer:field(name [, {where=, as="number"|"string"}]): numbers as a
 * cbal.Array (null -> NaN), text as a list of strings (null -> false). */
static int m_field(lua_State *L) {
  static const char *const keys[] = {"where", "as", NULL};
  cb_layer *l = cbL_checklayer(L, 1);
  const char *name = luaL_checkstring(L, 2);
  cbL_checkopts(L, 3, "field", keys);
  const char *where = cbL_optstrfield(L, 3, "where", NULL);
  static const char *const kinds[] = {"string", "number", NULL};
  int as = cbL_optenum(L, 3, "field", "as", -1, kinds);
  cb_err e;
  int numeric = cb_layer_field_is_numeric(l, name, &e);
  if (numeric < 0) return cbL_raise(L, &e);
  if (as >= 0) numeric = as;
  cbL_pushfield(L, l, name, where, numeric);
  return 1;
}

static int m_crs(lua_State *L) {
  lua_pushstring(L, cb_layer_srs_wkt(cbL_checklayer(L, 1))); /* nil if none */
  return 1;
}

struct cb_polyset *cbL_layer_polygons(lua_State *L, int idx, const char *srs) {
  return cbL_layer_polygons_where(L, idx, srs, NULL);
}

struct cb_polyset *cbL_layer_polygons_where(lua_State *L, int idx,
                                            const char *srs,
                                            const char *where) {
  cb_layer *l = cbL_checklayer(L, idx);
  cb_polyset **slot = cbL_pushpolygons(L);
  cb_err e;
  *slot = cb_layer_polygons(l, where, NULL, srs, &e);
  if (!*slot) cbL_raise(L, &e);
  return *slot;
}

/* layer:polygons{crs=, where=} -> cbal.Polygons */
static int m_polygons(lua_State *L) {
  static const char *const keys[] = {"crs", "where", NULL};
  cbL_checklayer(L, 1);
  cbL_checkopts(L, 2, "polygons", keys);
  cbL_layer_polygons_where(L, 1, cbL_optstrfield(L, 2, "crs", NULL),
                           cbL_optstrfield(L, 2, "where", NULL));
  return 1;
}

/* layer:dissolve(field) -> a new cbal.Layer, one feature per value of
 * field with the union of its features' polygons (e.g. cities from
 * counties). */
static int m_dissolve(lua_State *L) {
  cb_layer *l = cbL_checklayer(L, 1);
  const char *field = luaL_checkstring(L, 2);
  layer_ud *u = lua_newuserdatauv(L, sizeof *u, 0);
  u->l = NULL;
  luaL_setmetatable(L, CBAL_LAYER);
  cb_err e;
  if (!(u->l = cb_layer_dissolve(l, field, &e)))
    return luaL_error(L, "dissolve: %s", e.msg);
  return 1;
}

/* Methods first (so :close() works on a closed layer), then properties. */
static int m_index(lua_State *L) {
  luaL_checkudata(L, 1, CBAL_LAYER);
  const char *k = luaL_checkstring(L, 2);
  if (cbL_getmethod(L, CBAL_LAYER, k)) return 1;
  cb_layer *l = cbL_checklayer(L, 1);
  if (strcmp(k, "path") == 0)
    lua_pushstring(L, cb_layer_path(l));
  else if (strcmp(k, "name") == 0)
    lua_pushstring(L, cb_layer_name(l));
  else if (strcmp(k, "datum") == 0)
    lua_pushstring(L, cb_layer_datum(l)); /* nil when not given */
  else
    return luaL_error(L, "cbal.Layer has no field or method '%s'", k);
  return 1;
}

static int m_tostring(lua_State *L) {
  layer_ud *u = luaL_checkudata(L, 1, CBAL_LAYER);
  if (!u->l)
    lua_pushstring(L, "cbal.Layer (closed)");
  else
    lua_pushfstring(L, "cbal.Layer('%s', layer '%s')", cb_layer_path(u->l),
                    cb_layer_name(u->l));
  return 1;
}

static const luaL_Reg layer_methods[] = {
    {"close", m_close}, {"fields", m_fields},     {"field", m_field},
    {"crs", m_crs},     {"polygons", m_polygons}, {"dissolve", m_dissolve},
    {NULL, NULL}};

static const luaL_Reg layer_meta[] = {
    {"__index", m_index}, {"__len", m_len},     {"__gc", m_close},
    {"__close", m_close}, {"__tostring", m_tostring}, {NULL, NULL}};

static const luaL_Reg funcs[] = {{"open_layer", l_open_layer}, {NULL, NULL}};

void cbL_open_layer(lua_State *L) {
  cbL_newtype(L, CBAL_LAYER, layer_methods, layer_meta);
  luaL_setfuncs(L, funcs, 0);
}
