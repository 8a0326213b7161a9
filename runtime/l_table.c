/* cbal.read_table, cbal.table_sheets, cbal.write_table: tables through OGR
 * (core/table.c) as columns of cbal.Array (numbers) or lists of strings;
 * cbal.number_text: a number as tables write it. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/table.h"
#include "l_util.h"

/* Holds what core allocates while Lua values are pushed, so an error
 * (e.g. out of memory) in between frees it through __gc. */
#define HOLDER "cbal.TableResult"

typedef struct holder {
  cb_table t;
  char **names;
  size_t n;
} holder;

static int holder_gc(lua_State *L) {
  holder *h = luaL_checkudata(L, 1, HOLDER);
  cb_table_free(&h->t);
  cb_table_names_free(h->names, h->n);
  h->names = NULL;
  h->n = 0;
  return 0;
}

static holder *new_holder(lua_State *L) {
  holder *h = lua_newuserdatauv(L, sizeof *h, 0);
  memset(h, 0, sizeof *h);
  luaL_setmetatable(L, HOLDER);
  return h;
}

/* opts[key] as a NULL-terminated array of strings (kept alive by opts) in a
 * userdata left on the stack; NULL (and a nil on the stack) when absent. */
static const char **name_list(lua_State *L, int opts, const char *key) {
  if (lua_isnoneornil(L, opts) || lua_getfield(L, opts, key) == LUA_TNIL) {
    if (!lua_isnoneornil(L, opts)) lua_pop(L, 1);
    lua_pushnil(L);
    return NULL;
  }
  if (!lua_istable(L, -1))
    luaL_error(L, "option '%s' must be a list of column names, got %s", key,
               luaL_typename(L, -1));
  int t = lua_gettop(L);
  size_t n = (size_t)luaL_len(L, t);
  const char **v = lua_newuserdatauv(L, (n + 1) * sizeof *v, 0);
  for (size_t i = 0; i < n; i++) {
    if (lua_geti(L, t, (lua_Integer)i + 1) != LUA_TSTRING)
      luaL_error(L,
                 "option '%s': item %d must be a column name (string), "
                 "got %s",
                 key, (int)i + 1, luaL_typename(L, -1));
    v[i] = lua_tostring(L, -1); /* alive: referenced by opts */
    lua_pop(L, 1);
  }
  v[n] = NULL;
  lua_remove(L, t);
  return v;
}

static void push_column(lua_State *L, const cb_column *c, size_t nrows) {
  if (c->is_num) {
    cbL_array *a = cbL_newarray(L, nrows);
    if (nrows) memcpy(a->v, c->num, nrows * sizeof(double));
    return;
  }
  lua_createtable(L, (int)nrows, 0);
  for (size_t r = 0; r < nrows; r++) {
    lua_pushstring(L, c->str[r]);
    lua_rawseti(L, -2, (lua_Integer)r + 1);
  }
}

/* cols, names, nrows, rows = cbal.read_table(path [, opts]); rows[i] is data
 * row i's row number as the file shows it */
static int l_read_table(lua_State *L) {
  static const char *const keys[] = {"sheet",  "fields",   "numeric", "text",
                                     "header", "encoding", NULL};
  const char *path = luaL_checkstring(L, 1);
  cbL_checkopts(L, 2, "read_table", keys);
  cb_table_read_opts o = {0};
  o.header = cbL_optboolfield(L, 2, "header", 1);
  o.encoding = cbL_optstrfield(L, 2, "encoding", NULL);
  if (!lua_isnoneornil(L, 2)) {
    int t = lua_getfield(L, 2, "sheet");
    if (t == LUA_TSTRING) {
      o.sheet = lua_tostring(L, -1);
    } else if (t == LUA_TNUMBER) {
      int ok;
      lua_Integer i = lua_tointegerx(L, -1, &ok);
      if (!ok || i < 1 || i > 1000000)
        luaL_error(L,
                   "option 'sheet' must be a name or a 1-based index, got %s",
                   lua_tostring(L, -1));
      o.sheet_index = (int)i;
    } else if (t != LUA_TNIL) {
      luaL_error(L, "option 'sheet' must be a name or a 1-based index, got %s",
                 luaL_typename(L, -1));
    }
    lua_pop(L, 1);
  }
  o.fields = name_list(L, 2, "fields");
  o.numeric = name_list(L, 2, "numeric");
  o.text = name_list(L, 2, "text");
  holder *h = new_holder(L);
  cb_err e;
  if (cb_table_read(path, &o, &h->t, &e)) return cbL_raise(L, &e);
  lua_createtable(L, 0, (int)h->t.ncols);
  lua_createtable(L, (int)h->t.ncols, 0);
  for (size_t c = 0; c < h->t.ncols; c++) {
    lua_pushstring(L, h->t.cols[c].name);
    lua_rawseti(L, -2, (lua_Integer)c + 1);
    push_column(L, &h->t.cols[c], h->t.nrows);
    lua_setfield(L, -3, h->t.cols[c].name);
  }
  lua_pushinteger(L, (lua_Integer)h->t.nrows);
  cbL_array *rows = cbL_newarray(L, h->t.nrows);
  for (size_t r = 0; r < h->t.nrows; r++) rows->v[r] = (double)h->t.rowno[r];
  cb_table_free(&h->t);
  return 4;
}

/* cbal.table_sheets(path): sheet (layer) names in file order */
static int l_table_sheets(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  holder *h = new_holder(L);
  cb_err e;
  if (cb_table_sheets(path, &h->names, &h->n, &e)) return cbL_raise(L, &e);
  lua_createtable(L, (int)h->n, 0);
  for (size_t i = 0; i < h->n; i++) {
    lua_pushstring(L, h->names[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The column names to write, in order: opts.order (checked against the
 * columns both ways) or the sorted keys of cols. Left on the stack as a
 * userdata; *n receives the count. */
static const char **write_order(lua_State *L, int cols, int opts, size_t *n) {
  size_t nkeys = 0;
  lua_pushnil(L);
  while (lua_next(L, cols)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING)
      luaL_error(L, "write_table: column names must be strings, got a %s key",
                 luaL_typename(L, -1));
    nkeys++;
  }
  const char **order = name_list(L, opts, "order");
  if (order) {
    for (*n = 0; order[*n]; (*n)++) {
      if (lua_getfield(L, cols, order[*n]) == LUA_TNIL)
        luaL_error(L, "write_table: order names '%s', which is not a column",
                   order[*n]);
      lua_pop(L, 1);
      for (size_t j = 0; j < *n; j++)
        if (strcmp(order[j], order[*n]) == 0)
          luaL_error(L, "write_table: order lists '%s' twice", order[*n]);
    }
    if (*n != nkeys) {
      lua_pushnil(L);
      while (lua_next(L, cols)) {
        lua_pop(L, 1);
        const char *k = lua_tostring(L, -1);
        size_t j = 0;
        while (j < *n && strcmp(order[j], k) != 0) j++;
        if (j == *n)
          luaL_error(L,
                     "write_table: column '%s' is missing from order; add "
                     "it there or drop it from the columns",
                     k);
      }
    }
    return order;
  }
  lua_pop(L, 1);
  order = lua_newuserdatauv(L, (nkeys + 1) * sizeof *order, 0);
  *n = 0;
  lua_pushnil(L);
  while (lua_next(L, cols)) {
    lua_pop(L, 1);
    order[(*n)++] = lua_tostring(L, -1); /* alive: a key of cols */
  }
  order[*n] = NULL;
  qsort(order, *n, sizeof *order, cmp_str);
  return order;
}

/* Fills c from the value at idx: a cbal.Array, a list of numbers, or a list
 * of strings (numbers in it are written as text). New buffers and strings
 * are kept alive in the anchor table. Returns the length. */
static size_t to_column(lua_State *L, int idx, int anchor, cb_column *c) {
  cbL_array *a = cbL_testarray(L, idx);
  if (a) {
    c->is_num = 1;
    c->num = a->v;
    return a->n;
  }
  if (!lua_istable(L, idx))
    luaL_error(L,
               "write_table: column '%s' must be a cbal.Array or a list, "
               "got %s",
               c->name, luaL_typename(L, idx));
  size_t n = (size_t)luaL_len(L, idx), nstr = 0;
  for (size_t r = 0; r < n; r++) {
    int t = lua_geti(L, idx, (lua_Integer)r + 1);
    if (t == LUA_TSTRING)
      nstr++;
    else if (t != LUA_TNUMBER)
      luaL_error(L,
                 "write_table: column '%s', row %d: expected a number or a "
                 "string, got %s",
                 c->name, (int)r + 1, luaL_typename(L, -1));
    lua_pop(L, 1);
  }
  c->is_num = nstr == 0;
  if (c->is_num) {
    cbL_array *b = cbL_newarray(L, n);
    for (size_t r = 0; r < n; r++) {
      lua_geti(L, idx, (lua_Integer)r + 1);
      b->v[r] = lua_tonumber(L, -1);
      lua_pop(L, 1);
    }
    c->num = b->v;
  } else {
    c->str = lua_newuserdatauv(L, (n ? n : 1) * sizeof *c->str, 0);
    for (size_t r = 0; r < n; r++) {
      if (lua_geti(L, idx, (lua_Integer)r + 1) == LUA_TNUMBER) {
        char buf[40];
        cb_table_fmtnum(lua_tonumber(L, -1), buf, sizeof buf);
        lua_pop(L, 1);
        lua_pushstring(L, buf);
        lua_pushvalue(L, -1);
        lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1);
      }
      c->str[r] = (char *)lua_tostring(L, -1); /* alive: in cols or anchor */
      lua_pop(L, 1);
    }
  }
  lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1);
  return n;
}

/* cbal.write_table(path, cols [, opts]) */
static int l_write_table(lua_State *L) {
  static const char *const keys[] = {"order", "sheet", "bom", NULL};
  const char *path = luaL_checkstring(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  cbL_checkopts(L, 3, "write_table", keys);
  const char *sheet = cbL_optstrfield(L, 3, "sheet", NULL);
  int bom = cbL_optboolfield(L, 3, "bom", 0);
  size_t plen = strlen(path);
  if (bom && plen >= 5 && strcasecmp(path + plen - 5, ".xlsx") == 0)
    return luaL_error(L, "write_table: option 'bom' is for CSV files only, "
                      "not for %s (Excel reads XLSX text as UTF-8 already)",
                      path);
  size_t n;
  const char **order = write_order(L, 2, 3, &n);
  if (n == 0) return luaL_error(L, "write_table: no columns to write");
  lua_newtable(L);
  int anchor = lua_gettop(L);
  cb_table t = {0};
  t.ncols = n;
  t.cols = lua_newuserdatauv(L, n * sizeof *t.cols, 0);
  memset(t.cols, 0, n * sizeof *t.cols);
  lua_rawseti(L, anchor, 1);
  for (size_t c = 0; c < n; c++) {
    t.cols[c].name = (char *)order[c];
    lua_getfield(L, 2, order[c]);
    size_t len = to_column(L, lua_gettop(L), anchor, &t.cols[c]);
    lua_pop(L, 1);
    if (c == 0)
      t.nrows = len;
    else if (len != t.nrows)
      return luaL_error(L,
                        "write_table: column '%s' has %d values but column "
                        "'%s' has %d; all columns need the same length",
                        order[c], (int)len, order[0], (int)t.nrows);
  }
  cb_err e;
  if (cb_table_write(path, &t, sheet, bom, &e)) return cbL_raise(L, &e);
  return 0;
}

/* cbal.number_text(v): the shortest text that reads back as exactly v, as
 * write_table writes it (cb_table_fmtnum: "nan", "inf", "-inf"); an
 * integer in full, since a double cannot hold every 64-bit integer. */
static int l_number_text(lua_State *L) {
  if (lua_isinteger(L, 1)) {
    lua_pushfstring(L, "%I", lua_tointeger(L, 1));
    return 1;
  }
  char buf[40];
  luaL_checktype(L, 1, LUA_TNUMBER);
  cb_table_fmtnum(lua_tonumber(L, 1), buf, sizeof buf);
  lua_pushstring(L, buf);
  return 1;
}

static const luaL_Reg funcs[] = {{"read_table", l_read_table},
                                 {"number_text", l_number_text},
                                 {"table_sheets", l_table_sheets},
                                 {"write_table", l_write_table},
                                 {NULL, NULL}};

void cbL_open_table(lua_State *L) {
  static const luaL_Reg meta[] = {{"__gc", holder_gc}, {NULL, NULL}};
  cbL_newtype(L, HOLDER, NULL, meta);
  luaL_setfuncs(L, funcs, 0);
}
