/* Helpers shared by the Lua bindings (runtime/l_*.c): the cbal.Array
 * userdata, option tables, errors from core, type registration. */
#ifndef L_UTIL_H
#define L_UTIL_H

#include <lauxlib.h>
#include <lua.h>
#include <stddef.h>

#include "core/cb.h"

#define CBAL_ARRAY "cbal.Array"

/* The array userdata: the values live inside the userdata itself, so an
 * error between creation and use cannot leak them. */
typedef struct cbL_array {
  size_t n;
  double v[];
} cbL_array;

/* Pushes a new array of n elements (uninitialised) and returns it. */
cbL_array *cbL_newarray(lua_State *L, size_t n);
/* The array at idx, or a type error naming the argument. */
cbL_array *cbL_checkarray(lua_State *L, int idx);
cbL_array *cbL_testarray(lua_State *L, int idx);
/* Values at idx as a double vector: an array, or a Lua sequence of numbers
 * (converted into a new array pushed on the stack, so the pointer stays
 * valid while that stack slot lives). *n receives the length. Raises naming
 * the argument and element on a non-number. */
double *cbL_tovalues(lua_State *L, int idx, size_t *n);

/* The one option checker of the bindings (lua/cbal/opts.lua is its Lua
 * twin, with the same wording): checks that the table at idx (which may be
 * absent/nil) has only keys from `allowed` (NULL-terminated); raises
 * "unknown key 'x' in <fname> (expected one of: a, b, c)" otherwise.
 * Returns 1 when a table is present. */
int cbL_checkopts(lua_State *L, int idx, const char *fname,
                  const char *const allowed[]);

/* Option readers: return the field of the options table at idx, or def when
 * the table or the field is absent; raise naming the option on a wrong type. */
double cbL_optnumfield(lua_State *L, int idx, const char *key, double def);
lua_Integer cbL_optintfield(lua_State *L, int idx, const char *key,
                            lua_Integer def);
const char *cbL_optstrfield(lua_State *L, int idx, const char *key,
                            const char *def);
int cbL_optboolfield(lua_State *L, int idx, const char *key, int def);
/* The one enum helper (opts.enum is its Lua twin, with the same wording):
 * option `key` of the table at idx as the index of its value in names
 * (NULL-terminated), def when the table or the key is absent; raises
 * "<where>: option 'key': unknown value 'v' (expected one of: a, b)" (no
 * "<where>: " when where is NULL). */
int cbL_optenum(lua_State *L, int idx, const char *where, const char *key,
                int def, const char *const names[]);
/* The same check on a string already read (key names it in the message,
 * e.g. "symbols[2]"): its index in names, or raises. */
int cbL_enum(lua_State *L, const char *s, const char *where, const char *key,
             const char *const names[]);

/* luaL_error with the C library's printf formats (%zu, %g, %.3f, ...), which
 * lua_pushfstring lacks; messages longer than 1 KiB are cut (never returns). */
int cbL_errorf(lua_State *L, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Pushes the text of the error object at idx: a string or number as
 * is, the result of its __tostring, else "(error object is a T value)".
 * Returns the pushed string. May raise (call it where that is safe). */
const char *cbL_errmsg(lua_State *L, int idx);

/* Raises the message of a core error (never returns). */
int cbL_raise(lua_State *L, const cb_err *e);

/* The one box for memory core allocates: a userdata that calls fn(p, n)
 * when collected (nothing while p is NULL). Push it before the core call
 * that allocates and store the result in it at once, so any later raise
 * (an out-of-memory error in the Lua API too) frees it. With inline_size >
 * 0, p points to that many zeroed bytes inside the box (for a struct core
 * fills). */
typedef struct cbL_box {
  void *p;
  size_t n;
  void (*fn)(void *p, size_t n);
} cbL_box;
cbL_box *cbL_newbox(lua_State *L, size_t inline_size,
                    void (*fn)(void *p, size_t n));
/* Frees what the box holds now (instead of at collection). */
void cbL_freebox(cbL_box *b);

/* The one type registration: creates metatable `tname` (its __name) with
 * the metamethods in `meta` (__gc, __close, __tostring, ...) and the methods
 * in `methods` (either may be NULL, not both); leaves the stack unchanged.
 * When meta has its own __index (a type with properties or elements), the
 * methods are kept in the metatable's "methods" field for cbL_getmethod;
 * otherwise the method table is the __index. Registering the same type
 * again (a reopened module) is harmless; a second type under a name already
 * taken raises "two native types are named '<tname>'". */
void cbL_newtype(lua_State *L, const char *tname, const luaL_Reg *methods,
                 const luaL_Reg *meta);

/* ---- polygons (l_polygons.c) ----
 * cbal.Polygons is a cb_polyset owned by a userdata (freed by GC): a
 * layer's polygons or a Lua list read into one. The one Lua form of a
 * geometry is a list of parts, each a list of rings (the first the outer
 * boundary, the others holes), each ring {x1, y1, x2, y2, ...} or {{x1,
 * y1}, {x2, y2}, ...} with at least 3 points; a geometry of one part may be
 * given as that part alone. */
#define CBAL_POLYGONS "cbal.Polygons"
struct cb_polyset;
struct cb_polygon;
/* Pushes an empty cbal.Polygons and returns its slot for a set core makes
 * (store it at once: the userdata frees whatever the slot holds). */
struct cb_polyset **cbL_pushpolygons(lua_State *L);
/* Pushes a cbal.Polygons of n features without rings, and returns the set. */
struct cb_polyset *cbL_newpolygons(lua_State *L, size_t n);
/* The set of the cbal.Polygons at idx; raises on another value. */
struct cb_polyset *cbL_checkpolygons(lua_State *L, int idx);
/* The value at idx as polygons: a cbal.Polygons (pushed again) or a list of
 * geometries (read into a new, pushed cbal.Polygons with its bbox). Raises
 * "<what>: feature F, ring R: coordinate K is not a finite number (got
 * string 'x')" and the like. */
struct cb_polyset *cbL_topolygons(lua_State *L, int idx, const char *what);
/* The geometry at idx (nil: none) into g, whose rings are malloc'ed: g must
 * belong to a set a userdata owns (cbL_newpolygons) before this is called,
 * so a raise frees them. Messages name what and feature (none when 0). */
void cbL_readgeometry(lua_State *L, int idx, struct cb_polygon *g,
                      const char *what, size_t feature);
/* Pushes g in the Lua form (always a list of parts). */
void cbL_pushgeometry(lua_State *L, const struct cb_polygon *g);

/* The polygons of the cbal.Layer at idx, reprojected into `srs` (WKT or
 * any string OGR's SetFromUserInput takes; NULL keeps the layer's CRS).
 * Pushes a cbal.Polygons userdata that owns the result (freed by GC) and
 * returns the set; raises naming the layer on failure. In l_layer.c. */
struct cb_polyset;
struct cb_polyset *cbL_layer_polygons(lua_State *L, int idx, const char *srs);
/* The same, keeping only features that pass the OGR SQL filter `where`. */
struct cb_polyset *cbL_layer_polygons_where(lua_State *L, int idx,
                                            const char *srs, const char *where);
/* Pushes the values of field `name` of layer l (features passing the OGR
 * SQL filter `where`, or all): a cbal.Array when numeric (null -> NaN),
 * else a list of strings (null -> false). Raises naming the field. In
 * l_layer.c. */
struct cb_layer;
void cbL_pushfield(lua_State *L, struct cb_layer *l, const char *name,
                   const char *where, int numeric);

/* The open cb_layer / cb_raster behind a cbal.Layer / cbal.Raster argument;
 * raise on another type or a closed one. In l_layer.c and l_raster.c. */
struct cb_layer;
struct cb_raster;
struct cb_layer *cbL_checklayer(lua_State *L, int idx);
struct cb_raster *cbL_checkraster(lua_State *L, int idx);

/* For a custom __index: pushes the method `key` of type `tname` and returns
 * 1, or pushes nothing and returns 0 when there is no such method. */
int cbL_getmethod(lua_State *L, const char *tname, const char *key);

/* Openers: each adds its functions to the module table on top of the stack. */
void cbL_open_array(lua_State *L);
void cbL_open_progress(lua_State *L);
void cbL_open_encode(lua_State *L);
void cbL_open_table(lua_State *L);
void cbL_open_raster(lua_State *L);
void cbL_open_layer(lua_State *L);
void cbL_open_polygons(lua_State *L);
void cbL_open_zones(lua_State *L);
void cbL_open_write(lua_State *L);
void cbL_open_analytics(lua_State *L);
void cbL_open_lmdi(lua_State *L);
void cbL_open_classify(lua_State *L);
void cbL_open_figure(lua_State *L);
void cbL_open_sandbox(lua_State *L);
void cbL_open_gcj02(lua_State *L);
void cbL_open_fs(lua_State *L);
void cbL_open_cli(lua_State *L);
void cbL_open_spatial(lua_State *L);

#endif
