/* cbal.write_raster, cbal.write_layer, cbal.rasterize, cbal.transform,
 * cbal.geom_op and cbal.sha256: check the Lua arguments, convert, call
 * core/write.c and core/sha256.c. */
#include <math.h>
#include <string.h>

#include "core/sha256.h"
#include "core/write.h"
#include "l_util.h"

/* The geotransform list at option `key` of the table at idx. */
static void get_gt(lua_State *L, int idx, const char *fname, double gt[6]) {
  if (lua_getfield(L, idx, "geotransform") != LUA_TTABLE)
    luaL_error(L, "%s: option 'geotransform' must be a list of 6 numbers "
               "{x0, dx, 0, y0, 0, -dy}", fname);
  for (int i = 0; i < 6; i++) {
    lua_geti(L, -1, i + 1);
    if (!lua_isnumber(L, -1))
      luaL_error(L, "%s: geotransform[%d] must be a number", fname, i + 1);
    gt[i] = lua_tonumber(L, -1);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

static int get_size(lua_State *L, int idx, const char *key, const char *fname) {
  lua_Integer v = cbL_optintfield(L, idx, key, -1);
  if (v <= 0 || v > 1000000)
    luaL_error(L, "%s: option '%s' must be a positive integer", fname, key);
  return (int)v;
}

typedef struct rowsrc {
  lua_State *L;
  int fn;          /* stack index of the row callback, 0 when values given */
  const double *v; /* all values, row-major */
  int width;
} rowsrc;

typedef struct rowcall {
  rowsrc *s;
  int y;
  double *row;
} rowcall;

/* Protected, with the row context and the callback as arguments: calls
 * the callback for row c->y and copies its values
 * into c->row; raises with a message naming the row (and column). */
static int row_call(lua_State *L) {
  rowcall *c = lua_touserdata(L, 1);
  int y = c->y, width = c->s->width;
  lua_pushvalue(L, 2);
  lua_pushinteger(L, y + 1);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK)
    return luaL_error(L, "write_raster: row callback failed at row %d: %s",
                      y + 1, cbL_errmsg(L, -1));
  cbL_array *a = cbL_testarray(L, -1);
  size_t n = a ? a->n : (lua_istable(L, -1) ? lua_rawlen(L, -1) : 0);
  if (n != (size_t)width)
    return cbL_errorf(L, "write_raster: row callback returned %zu values for "
                      "row %d, expected width = %d", n, y + 1, width);
  if (a) {
    memcpy(c->row, a->v, sizeof(double) * n);
    return 0;
  }
  for (size_t i = 0; i < n; i++) {
    int t = lua_rawgeti(L, -1, (lua_Integer)i + 1);
    if (t != LUA_TNUMBER)
      return cbL_errorf(L, "write_raster: row callback returned a %s at row "
                        "%d, column %zu (return numbers; 0/0 for a missing "
                        "value)", lua_typename(L, t), y + 1, i + 1);
    c->row[i] = lua_tonumber(L, -1);
    lua_pop(L, 1);
  }
  return 0;
}

/* Called by core for each row: nothing here raises (core holds GDAL
 * objects that a longjmp would leak), so the callback runs in row_call
 * under a protected call. */
static int row_from(void *ud, int y, double *row, cb_err *e) {
  rowsrc *s = ud;
  if (!s->fn) {
    memcpy(row, s->v + (size_t)y * (size_t)s->width,
           sizeof(double) * (size_t)s->width);
    return 0;
  }
  lua_State *L = s->L;
  rowcall c = {s, y, row};
  lua_pushcfunction(L, row_call); /* light C function: no allocation */
  lua_pushlightuserdata(L, &c);
  lua_pushvalue(L, s->fn);
  if (lua_pcall(L, 2, 0, 0) == LUA_OK) return 0;
  cb_err_set(e, "%s", lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
                                                     : "write_raster: error");
  lua_pop(L, 1);
  return -1;
}

static const char *const raster_keys[] = {
    "width", "height", "geotransform", "crs", "type", "nodata", "scale",
    "offset", "values", "tiled", "compress", "clamp", NULL};

/* cbal.write_raster(path, {width=, height=, geotransform=, crs=, type=,
 * nodata=, scale=, offset=, values = cbal.Array | function(row) -> values,
 * tiled=, compress=, clamp=}) */
static int l_write_raster(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  cbL_checkopts(L, 2, "write_raster", raster_keys);
  cb_raster_spec s = {0};
  s.width = get_size(L, 2, "width", "write_raster");
  s.height = get_size(L, 2, "height", "write_raster");
  get_gt(L, 2, "write_raster", s.gt);
  s.crs = cbL_optstrfield(L, 2, "crs", NULL);
  s.type = cbL_optstrfield(L, 2, "type", "Float32");
  double nd = cbL_optnumfield(L, 2, "nodata", NAN);
  lua_getfield(L, 2, "nodata");
  s.has_nodata = !lua_isnil(L, -1);
  lua_pop(L, 1);
  s.nodata = nd;
  s.scale = cbL_optnumfield(L, 2, "scale", 1.0);
  s.offset = cbL_optnumfield(L, 2, "offset", 0.0);
  lua_getfield(L, 2, "scale");
  lua_getfield(L, 2, "offset");
  s.has_scale = !lua_isnil(L, -1) || !lua_isnil(L, -2);
  lua_pop(L, 2);
  s.tiled = cbL_optboolfield(L, 2, "tiled", 0);
  s.compress = cbL_optstrfield(L, 2, "compress", "DEFLATE");
  s.clamp = cbL_optboolfield(L, 2, "clamp", 0);
  rowsrc src = {L, 0, NULL, s.width};
  int t = lua_getfield(L, 2, "values");
  if (t == LUA_TFUNCTION) {
    src.fn = lua_gettop(L);
  } else if (t == LUA_TTABLE || cbL_testarray(L, -1)) {
    size_t n;
    src.v = cbL_tovalues(L, -1, &n);
    if (n != (size_t)s.width * (size_t)s.height)
      return cbL_errorf(L, "write_raster: values has %zu elements, expected "
                        "width*height = %zu", n,
                        (size_t)s.width * (size_t)s.height);
  } else {
    return luaL_error(L, "write_raster: option 'values' must be a cbal.Array "
                      "(row-major) or a function(row) returning a row");
  }
  luaL_checkstack(L, 8, "write_raster");
  cb_err e;
  if (cb_write_raster(path, &s, row_from, &src, &e)) return cbL_raise(L, &e);
  return 0;
}

/* Memory that lives as long as a userdata on the stack (freed by GC). */
static void *scratch(lua_State *L, size_t n) {
  return lua_newuserdatauv(L, n ? n : 1, 0);
}

/* The type of the field spec at idx ({name =, type =}): 's', 'i' or 'r'. */
static char field_type(lua_State *L, int idx, const char *name) {
  static const char *const types[] = {"string", "integer", "real", NULL};
  idx = lua_absindex(L, idx);
  const char *where = lua_pushfstring(L, "write_layer: field '%s'", name);
  char t = "sir"[cbL_optenum(L, idx, where, "type", 0, types)];
  lua_pop(L, 1);
  return t;
}

/* Reads opts.fields (at the top of the stack) into a scratch array. */
static cb_field *read_fields(lua_State *L, int anchor, size_t *nf) {
  if (!lua_istable(L, -1))
    luaL_error(L, "write_layer: option 'fields' must be a list of {name=, "
               "type=}");
  *nf = lua_rawlen(L, -1);
  cb_field *f = scratch(L, *nf * sizeof(cb_field));
  luaL_ref(L, anchor);
  for (size_t j = 0; j < *nf; j++) {
    lua_rawgeti(L, -1, (lua_Integer)j + 1);
    if (lua_getfield(L, -1, "name") != LUA_TSTRING)
      luaL_error(L, "write_layer: fields[%d].name must be a string", (int)j + 1);
    f[j].name = lua_tostring(L, -1);
    luaL_ref(L, anchor);
    f[j].type = field_type(L, -1, f[j].name);
    lua_pop(L, 1);
  }
  return f;
}

/* One attribute of the feature at the top of the stack. */
static void read_value(lua_State *L, int anchor, const cb_field *f,
                       cb_value *v, size_t i) {
  int t = lua_getfield(L, -1, f->name);
  memset(v, 0, sizeof *v);
  if (t == LUA_TNIL || (t == LUA_TNUMBER && isnan(lua_tonumber(L, -1)))) {
    v->isnull = 1;
  } else if (f->type == 's') {
    if (t != LUA_TSTRING && t != LUA_TNUMBER)
      luaL_error(L, "write_layer: feature %d field '%s' must be a string", (int)i,
                 f->name);
    lua_pushvalue(L, -1);
    v->s = lua_tostring(L, -1);
    luaL_ref(L, anchor);
  } else if (t != LUA_TNUMBER) {
    luaL_error(L, "write_layer: feature %d field '%s' must be a number", (int)i,
               f->name);
  } else if (f->type == 'i') {
    /* exact for integers beyond 2^53; refuses floats out of range */
    int ok;
    v->i = (long long)lua_tointegerx(L, -1, &ok);
    if (!ok)
      luaL_error(L, "write_layer: feature %d field '%s' must be an integer",
                 (int)i, f->name);
  } else {
    v->r = lua_tonumber(L, -1);
  }
  lua_pop(L, 1);
}

/* Refuses a key of the feature at the top of the stack that is neither a
 * declared field nor "geometry": it would be dropped without a word. */
static void check_feature_keys(lua_State *L, const cb_field *f, size_t nf,
                               size_t i) {
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    lua_pop(L, 1);
    const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    int known = k && strcmp(k, "geometry") == 0;
    for (size_t j = 0; k && !known && j < nf; j++) known = !strcmp(k, f[j].name);
    if (!known)
      luaL_error(L, "write_layer: feature %d has key '%s', which is not a "
                 "declared field (add it to fields = {...} or leave it out)",
                 (int)i, luaL_tolstring(L, -1, NULL));
  }
}

static const char *const layer_keys[] = {
    "crs", "geometry_type", "fields", "features", "layer", "geometries", NULL};

/* Geometries taken from a cbal.Layer (option `geometries`): feature i gets
 * the layer's feature i, in the layer's CRS unless crs is given. */
static cb_polyset *layer_geoms(lua_State *L, size_t nf, cb_layer_spec *s) {
  if (lua_getfield(L, 2, "geometries") == LUA_TNIL) {
    lua_pop(L, 1);
    return NULL;
  }
  cbL_checklayer(L, lua_gettop(L));
  cb_polyset *ps = cbL_layer_polygons(L, lua_gettop(L), s->crs);
  if (ps->n != nf)
    luaL_error(L, "write_layer: option 'geometries' has %d features but "
               "'features' has %d; give one attribute row per feature",
               (int)ps->n, (int)nf);
  if (!s->crs) s->crs = ps->srs_wkt;
  return ps; /* kept alive on the stack until the write is done */
}

/* cbal.write_layer(path, {crs=, geometry_type=, fields=, features=, layer=,
 * geometries=}) */
static int l_write_layer(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  cbL_checkopts(L, 2, "write_layer", layer_keys);
  lua_newtable(L);
  int anchor = lua_gettop(L);
  cb_layer_spec s = {0};
  s.crs = cbL_optstrfield(L, 2, "crs", NULL);
  s.geometry_type = (cb_geom_type)cbL_optenum(
      L, 2, "write_layer", "geometry_type", CB_GEOM_MULTIPOLYGON,
      cb_geom_type_names);
  s.layer = cbL_optstrfield(L, 2, "layer", NULL);
  lua_getfield(L, 2, "fields");
  cb_field *fields = read_fields(L, anchor, &s.nfields);
  lua_pop(L, 1);
  s.fields = fields;
  if (!s.layer) {
    const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    lua_pushlstring(L, base, dot ? (size_t)(dot - base) : strlen(base));
    s.layer = lua_tostring(L, -1);
    luaL_ref(L, anchor);
  }
  if (lua_getfield(L, 2, "features") != LUA_TTABLE)
    return luaL_error(L, "write_layer: option 'features' must be a list");
  size_t nf = lua_rawlen(L, -1);
  cb_feature *feats = scratch(L, nf * sizeof(cb_feature));
  luaL_ref(L, anchor);
  cb_polygon *polys = cbL_newpolygons(L, nf)->polys;
  luaL_ref(L, anchor);
  lua_pushvalue(L, -1);
  int feats_idx = lua_gettop(L);
  cb_polyset *ps = layer_geoms(L, nf, &s);
  lua_pushvalue(L, feats_idx);
  for (size_t i = 0; i < nf; i++) {
    char what[64];
    snprintf(what, sizeof what, "write_layer: feature %zu", i + 1);
    if (lua_rawgeti(L, -1, (lua_Integer)i + 1) != LUA_TTABLE)
      return luaL_error(L, "%s must be a table", what);
    cb_value *vals = scratch(L, s.nfields * sizeof(cb_value));
    luaL_ref(L, anchor);
    for (size_t j = 0; j < s.nfields; j++)
      read_value(L, anchor, &fields[j], &vals[j], i + 1);
    check_feature_keys(L, fields, s.nfields, i + 1);
    if (ps) {
      feats[i].geom = &ps->polys[i];
    } else {
      lua_getfield(L, -1, "geometry");
      cbL_readgeometry(L, -1, &polys[i], "write_layer", i + 1);
      lua_pop(L, 1);
      feats[i].geom = &polys[i];
    }
    lua_pop(L, 1);
    feats[i].values = vals;
  }
  cb_err e;
  if (cb_write_layer(path, &s, feats, nf, &e)) return cbL_raise(L, &e);
  return 0;
}

static const char *const rz_keys[] = {
    "width", "height", "geotransform", "crs", "src_crs", "values",
    "all_touched", "background", NULL};

/* cbal.rasterize(geometries, {width=, height=, geotransform=, crs=,
 * src_crs=, values=, all_touched=, background=}) -> cbal.Array (row-major)
 * with values[i] (default i) where geometry i covers a cell centre. */
static int l_rasterize(lua_State *L) {
  luaL_checktype(L, 2, LUA_TTABLE);
  cbL_checkopts(L, 2, "rasterize", rz_keys);
  int w = get_size(L, 2, "width", "rasterize");
  int h = get_size(L, 2, "height", "rasterize");
  double gt[6];
  get_gt(L, 2, "rasterize", gt);
  const char *crs = cbL_optstrfield(L, 2, "crs", NULL);
  const char *src = cbL_optstrfield(L, 2, "src_crs", NULL);
  int touched = cbL_optboolfield(L, 2, "all_touched", 0);
  double bg = cbL_optnumfield(L, 2, "background", 0.0);
  cb_polyset *ps = cbL_topolygons(L, 1, "rasterize");
  size_t n = ps->n;
  double *burn = scratch(L, n * sizeof(double));
  for (size_t i = 0; i < n; i++) burn[i] = (double)(i + 1);
  if (lua_getfield(L, 2, "values") != LUA_TNIL) {
    size_t nv;
    double *v = cbL_tovalues(L, -1, &nv);
    if (nv != n)
      return cbL_errorf(L, "rasterize: values has %zu elements for %zu "
                        "geometries", nv, n);
    memcpy(burn, v, n * sizeof(double));
  }
  cbL_array *out = cbL_newarray(L, (size_t)w * (size_t)h);
  cb_err e;
  if (cb_rasterize(ps->polys, burn, n, src, w, h, gt, crs, touched, bg, out->v,
                   &e))
    return cbL_raise(L, &e);
  return 1;
}

/* cbal.transform(xs, ys, from_crs, to_crs) -> xs', ys' (cbal.Array) */
static int l_transform(lua_State *L) {
  size_t nx, ny;
  double *x = cbL_tovalues(L, 1, &nx);
  double *y = cbL_tovalues(L, 2, &ny);
  const char *from = luaL_checkstring(L, 3), *to = luaL_checkstring(L, 4);
  luaL_argcheck(L, nx == ny, 2, "xs and ys must have the same length");
  cbL_array *ox = cbL_newarray(L, nx);
  cbL_array *oy = cbL_newarray(L, ny);
  memcpy(ox->v, x, nx * sizeof(double));
  memcpy(oy->v, y, ny * sizeof(double));
  cb_err e;
  if (cb_transform(ox->v, oy->v, nx, from, to, &e)) return cbL_raise(L, &e);
  return 2;
}

/* cbal.sha256(path) -> hex digest, size in bytes; cbal.sha256(s, true)
 * hashes the string s itself. */
static int l_sha256(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  char hex[65];
  if (lua_toboolean(L, 2)) {
    cb_sha256_mem(s, len, hex);
    lua_pushstring(L, hex);
    lua_pushinteger(L, (lua_Integer)len);
    return 2;
  }
  long long size;
  cb_err e;
  if (cb_sha256_file(s, hex, &size, &e)) return cbL_raise(L, &e);
  lua_pushstring(L, hex);
  lua_pushinteger(L, (lua_Integer)size);
  return 2;
}

/* cbal.geom_op(a, b, "intersection" | "difference" | "union") -> geometry
 * in the same form (parts of rings), or nil when the result is empty. */
static int l_geom_op(lua_State *L) {
  cb_geom_opkind op = (cb_geom_opkind)cbL_enum(L, luaL_checkstring(L, 3),
                                              "geom_op", "op", cb_geom_op_names);
  cb_polygon *g = cbL_newpolygons(L, 3)->polys; /* a, b and the result */
  cbL_readgeometry(L, 1, &g[0], "geom_op (argument #1)", 0);
  cbL_readgeometry(L, 2, &g[1], "geom_op (argument #2)", 0);
  cb_err e;
  if (cb_geom_op(&g[0], &g[1], op, &g[2], &e)) return cbL_raise(L, &e);
  if (g[2].nrings == 0) lua_pushnil(L);
  else cbL_pushgeometry(L, &g[2]);
  return 1;
}

static const luaL_Reg funcs[] = {
    {"geom_op", l_geom_op},
    {"write_raster", l_write_raster}, {"write_layer", l_write_layer},
    {"rasterize", l_rasterize},       {"transform", l_transform},
    {"sha256", l_sha256},             {NULL, NULL}};

void cbL_open_write(lua_State *L) { luaL_setfuncs(L, funcs, 0); }
