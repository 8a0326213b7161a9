/* cbal.figure{...} -> cbal.Figure; fig:panel{...} -> cbal.FigurePanel
 * (maps and legends in l_map.c, line and bars in l_chart.c), panel:info(),
 * fig:save(path); polygons for maps from layers or plain lists. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/gdalx.h"
#include "core/crs.h"
#include "core/layer.h"
#include "figure.h"
#include "l_figure.h"
#include "map.h"
#include "palette.h"

#define FIGURE "cbal.Figure"
#define PANEL "cbal.FigurePanel" /* not the data panel, cbal.Panel */

typedef struct { cbc_figure *f; } figure_ud;
typedef struct { int index; } panel_ud;

static cbc_figure *checkfig(lua_State *L, int idx) {
  figure_ud *u = luaL_checkudata(L, idx, FIGURE);
  if (!u->f) luaL_error(L, "attempt to use a closed figure");
  return u->f;
}

struct cbc_figure *cbL_checkpanel(lua_State *L, int idx, int *panel) {
  panel_ud *u = luaL_checkudata(L, idx, PANEL);
  lua_getiuservalue(L, idx, 1);
  cbc_figure *f = checkfig(L, -1);
  lua_pop(L, 1);
  *panel = u->index;
  return f;
}

void cbL_panel_setplot(lua_State *L, int idx, struct cbc_plot *p) {
  int i;
  cbc_figure *f = cbL_checkpanel(L, idx, &i);
  cb_err e;
  if (cbc_figure_set_plot(f, i, p, &e)) cbL_raise(L, &e);
}

struct cbc_rgb cbL_optcolor(lua_State *L, int idx, const char *key,
                            struct cbc_rgb def) {
  const char *s = cbL_optstrfield(L, idx, key, NULL);
  if (!s) return def;
  cbc_rgb c;
  if (cbc_parse_color(s, &c))
    luaL_error(L, "option '%s': '%s' is not a colour (use \"#rrggbb\")", key, s);
  return c;
}

const char **cbL_tostrings(lua_State *L, int idx, const char *what, size_t *n) {
  idx = lua_absindex(L, idx);
  luaL_checktype(L, idx, LUA_TTABLE);
  *n = (size_t)luaL_len(L, idx);
  const char **v = lua_newuserdatauv(L, (*n ? *n : 1) * sizeof *v, 1);
  lua_newtable(L); /* anchors strings converted from numbers */
  lua_setiuservalue(L, -2, 1);
  for (size_t i = 0; i < *n; i++) {
    int t = lua_geti(L, idx, (lua_Integer)i + 1);
    if (t == LUA_TNUMBER) {
      lua_getiuservalue(L, -2, 1);
      lua_pushvalue(L, -2);
      lua_tostring(L, -1); /* converts the copy, not the caller's list */
      lua_rawseti(L, -2, (lua_Integer)i + 1);
      lua_rawgeti(L, -1, (lua_Integer)i + 1);
      v[i] = lua_tostring(L, -1);
      lua_pop(L, 2);
    } else if (t == LUA_TSTRING) {
      v[i] = lua_tostring(L, -1); /* kept alive by the caller's list */
      if (!cb_utf8_valid(v[i])) { /* checked once here, not by pango per draw */
        char b[200];
        luaL_error(L, "%s[%d] ('%s') is not UTF-8 text (a name read from a "
                   "file in another encoding? open it with encoding = \"GBK\" "
                   "or the file's encoding)", what, (int)i + 1,
                   cb_err_bytes(v[i], b, sizeof b));
      }
    } else if (t == LUA_TNIL || (t == LUA_TBOOLEAN && !lua_toboolean(L, -1))) {
      v[i] = NULL;
    } else {
      luaL_error(L, "%s: element %d is a %s, expected a string", what,
                 (int)i + 1, luaL_typename(L, -1));
    }
    lua_pop(L, 1);
  }
  return v;
}

/* The polygons of the cbal.Layer at idx, reprojected to crs (with a note
 * when that changes their CRS); an empty layer is an error naming it. */
static cb_polyset *layer_polys(lua_State *L, int idx, const char *crs,
                               const char *what) {
  cb_layer *l = cbL_checklayer(L, idx);
  const char *from = cb_layer_srs_wkt(l);
  if (crs && from && !cb_crs_same(from, crs) && !cb_quiet()) {
    char a[128], b[128];
    lua_pushfstring(L, "cbal: %s: reprojecting layer '%s' from %s to %s\n", what,
                    cb_layer_name(l), cb_crs_label(from, a, sizeof a),
                    cb_crs_label(crs, b, sizeof b));
    /* once per process: maps of a grid read the same layer again */
    luaL_getsubtable(L, LUA_REGISTRYINDEX, "cbal.figure.notes");
    lua_pushvalue(L, -2);
    if (lua_rawget(L, -2) == LUA_TNIL) {
      fputs(lua_tostring(L, -3), stderr);
      lua_pushvalue(L, -3);
      lua_pushboolean(L, 1);
      lua_rawset(L, -4);
    }
    lua_pop(L, 3);
  }
  cb_polyset *ps = cbL_layer_polygons(L, idx, crs);
  size_t with = 0;
  for (size_t i = 0; i < ps->n; i++) with += ps->polys[i].nrings > 0;
  if (with == 0)
    cbL_errorf(L, "%s: layer '%s' of '%s' is empty (%zu features, none with "
               "a polygon); check the file or its 'where' filter", what,
               cb_layer_name(l), cb_layer_path(l), ps->n);
  return ps;
}

struct cb_polyset *cbL_figure_polys(lua_State *L, int opts, const char *key,
                                    const char *crs, const char *what) {
  opts = lua_absindex(L, opts);
  int t = lua_getfield(L, opts, key);
  if (t == LUA_TNIL) {
    lua_pop(L, 1);
    return NULL;
  }
  if (t == LUA_TTABLE || luaL_testudata(L, -1, CBAL_POLYGONS)) {
    cb_polyset *ps = cbL_topolygons(L, -1, key);
    if (!(ps->bbox[0] <= ps->bbox[2])) cbL_errorf(L, "%s: no coordinates", key);
    return ps;
  }
  if (t == LUA_TUSERDATA) return layer_polys(L, lua_gettop(L), crs, what);
  cbL_errorf(L, "%s: option '%s' must be a cbal.Layer, cbal.Polygons or a "
             "list of geometries, got %s", what, key, luaL_typename(L, -1));
  return NULL; /* the layer/list and its userdata stay on the stack */
}

void cbL_push_rect(lua_State *L, cbc_rect r) {
  lua_createtable(L, 0, 4);
  lua_pushnumber(L, r.x), lua_setfield(L, -2, "x");
  lua_pushnumber(L, r.y), lua_setfield(L, -2, "y");
  lua_pushnumber(L, r.w), lua_setfield(L, -2, "w");
  lua_pushnumber(L, r.h), lua_setfield(L, -2, "h");
}

/* ---- figure and panels ----------------------------------------------- */

static int fig_close(lua_State *L) {
  figure_ud *u = luaL_checkudata(L, 1, FIGURE);
  cbc_figure_free(u->f);
  u->f = NULL;
  return 0;
}

/* The theme's options (cbal.themes.resolve of option `theme`, or the
 * session's theme): pushes its flat table, or nil when there is none. */
static int push_theme(lua_State *L) {
  lua_getglobal(L, "require");
  lua_pushliteral(L, "cbal.themes");
  lua_call(L, 1, 1);
  lua_getfield(L, -1, "resolve");
  lua_remove(L, -2);
  lua_getfield(L, 1, "theme");
  lua_call(L, 1, 1);
  return lua_istable(L, -1) ? lua_gettop(L) : 0;
}

/* Fills o from the resolved theme at t (0: none). */
static void theme_opts(lua_State *L, int t, cbc_figure_opts *o) {
  static const char *const pal[] = {"palette_sequential", "palette_diverging",
                                    "palette_qualitative"};
  if (!t) return;
  o->width_mm = cbL_optnumfield(L, t, "width_mm", o->width_mm);
  o->height_mm = cbL_optnumfield(L, t, "height_mm", o->height_mm);
  o->dpi = cbL_optnumfield(L, t, "dpi", o->dpi);
  o->font = cbL_optstrfield(L, t, "font", NULL);
  o->font_pt = cbL_optnumfield(L, t, "font_size", o->font_pt);
  o->title_pt = cbL_optnumfield(L, t, "title_size", 0);
  o->label_pt = cbL_optnumfield(L, t, "label_size", 0);
  o->line_w = cbL_optnumfield(L, t, "line_width_mm", 0);
  o->edge_w = cbL_optnumfield(L, t, "edge_width_mm", 0);
  o->margin = cbL_optnumfield(L, t, "margin", o->margin);
  o->gap = cbL_optnumfield(L, t, "gap", o->gap);
  o->has_ink = cbc_parse_color(cbL_optstrfield(L, t, "ink", NULL), &o->ink) == 0;
  for (int i = 0; i < 3; i++) o->palettes[i] = cbL_optstrfield(L, t, pal[i], NULL);
}

/* cbal.figure{width_mm=, height_mm=, dpi=, font=, title=, font_size=,
 * text=, widths=, heights=, theme=} */
static int l_figure(lua_State *L) {
  static const char *const keys[] = {"width_mm", "height_mm", "dpi", "font",
                                     "title", "font_size", "text", "widths",
                                     "heights", "theme", NULL};
  if (lua_isnoneornil(L, 1)) {
    lua_settop(L, 0);
    lua_newtable(L);
  }
  cbL_checkopts(L, 1, "figure", keys);
  lua_settop(L, 1);
  cbc_figure_opts o;
  cbc_figure_defaults(&o);
  theme_opts(L, push_theme(L), &o); /* the theme's table stays at 2 */
  o.width_mm = cbL_optnumfield(L, 1, "width_mm", o.width_mm);
  o.height_mm = cbL_optnumfield(L, 1, "height_mm", o.height_mm);
  o.dpi = cbL_optnumfield(L, 1, "dpi", o.dpi);
  o.font = cbL_optstrfield(L, 1, "font", o.font);
  o.title = cbL_optstrfield(L, 1, "title", NULL);
  o.font_pt = cbL_optnumfield(L, 1, "font_size", o.font_pt);
  o.draw_text = cbL_optboolfield(L, 1, "text", 1);
  figure_ud *u = lua_newuserdatauv(L, sizeof *u, 0);
  u->f = NULL;
  luaL_setmetatable(L, FIGURE);
  int fi = lua_gettop(L);
  cb_err e;
  if (!(u->f = cbc_figure_new(&o, &e))) cbL_raise(L, &e);
  for (int rows = 0; rows < 2; rows++) {
    if (lua_getfield(L, 1, rows ? "heights" : "widths") == LUA_TNIL) continue;
    size_t n;
    double *w = cbL_tovalues(L, -1, &n);
    if (cbc_figure_weights(u->f, rows, w, n, &e)) cbL_raise(L, &e);
  }
  lua_settop(L, fi);
  return 1;
}

/* fig:panel{row=, col=, rowspan=, colspan=, title=} -> cbal.FigurePanel */
static int fig_panel(lua_State *L) {
  static const char *const keys[] = {"row", "col", "rowspan", "colspan",
                                     "title", NULL};
  cbc_figure *f = checkfig(L, 1);
  cbL_checkopts(L, 2, "panel", keys);
  cb_err e;
  int i = cbc_figure_panel(f, (int)cbL_optintfield(L, 2, "row", 1),
                           (int)cbL_optintfield(L, 2, "col", 1),
                           (int)cbL_optintfield(L, 2, "rowspan", 1),
                           (int)cbL_optintfield(L, 2, "colspan", 1),
                           cbL_optstrfield(L, 2, "title", NULL), &e);
  if (i < 0) cbL_raise(L, &e);
  panel_ud *p = lua_newuserdatauv(L, sizeof *p, 1);
  p->index = i;
  luaL_setmetatable(L, PANEL);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1);
  return 1;
}

/* fig:save(path): .png/.pdf/.svg, written atomically. */
static int fig_save(lua_State *L) {
  cbc_figure *f = checkfig(L, 1);
  const char *path = luaL_checkstring(L, 2);
  cb_err e;
  if (cbc_figure_save(f, path, &e)) cbL_raise(L, &e);
  lua_settop(L, 1);
  return 1;
}

static int fig_tostring(lua_State *L) {
  figure_ud *u = luaL_checkudata(L, 1, FIGURE);
  lua_pushfstring(L, "cbal.Figure (%s%d panels)", u->f ? "" : "closed, ",
                  u->f ? (int)cbc_figure_npanels(u->f) : 0);
  return 1;
}

/* panel:info() -> the built layout as plain numbers (after laying out the
 * whole figure): breaks, legend labels, colours, counts, ticks, frame. */
static int panel_info(lua_State *L) {
  int i;
  cbc_figure *f = cbL_checkpanel(L, 1, &i);
  cb_err e;
  if (cbc_figure_layout(f, &e)) return cbL_raise(L, &e);
  cbc_plot *p = cbc_figure_panel_plot(f, i);
  lua_newtable(L);
  cbL_push_rect(L, cbc_figure_panel_box(f, i));
  lua_setfield(L, -2, "box");
  if (!p) return 1;
  lua_pushstring(L, p->kind == CBC_PLOT_MAP ? "map"
                    : p->kind == CBC_PLOT_LINE ? "line"
                    : p->kind == CBC_PLOT_SCATTER ? "scatter" : "bars");
  lua_setfield(L, -2, "kind");
  if (p->kind == CBC_PLOT_MAP)
    cbL_map_info(L, (cbc_map *)p);
  else
    cbL_chart_info(L, p);
  return 1;
}

/* ---- palettes --------------------------------------------------------- */

static const char *const cvd_names[] = {"normal", "protan", "deutan"};

/* Smallest CIEDE2000 difference among k colours (adjacent ones unless
 * all is set) as seen with cvd. */
static double min_de(const cbc_rgb *c, int k, int all, cbc_cvd cvd) {
  double best = INFINITY, a[3], b[3];
  for (int i = 0; i < k; i++)
    for (int j = i + 1; j < k; j++) {
      if (!all && j != i + 1) continue;
      cbc_lab(c[i], cvd, a);
      cbc_lab(c[j], cvd, b);
      best = fmin(best, cbc_ciede2000(a, b));
    }
  return best;
}

/* cbal.palette_info(name [, k]) or cbal.palette_info{"#rrggbb", ...} ->
 * {name=, type=, colors = {k class colours}, cvd = classes kept apart for
 * colour-blind readers, min_de = {normal=, protan=, deutan=}} */
static int l_palette_info(lua_State *L) {
  cbc_rgb c[64];
  int k, all = 1;
  lua_settop(L, 2);
  lua_newtable(L);
  int out = lua_gettop(L);
  if (lua_type(L, 1) == LUA_TTABLE) {
    size_t n;
    const char **names = cbL_tostrings(L, 1, "palette_info", &n);
    luaL_argcheck(L, n >= 1 && n <= 64, 1, "give 1 to 64 colours");
    for (size_t i = 0; i < n; i++)
      if (!names[i] || cbc_parse_color(names[i], &c[i]))
        return luaL_error(L, "palette_info: element %d is not a colour (use "
                          "\"#rrggbb\")", (int)i + 1);
    k = (int)n;
  } else {
    cbc_palette p;
    cb_err e;
    if (cbc_palette_find(luaL_checkstring(L, 1), &p, &e)) return cbL_raise(L, &e);
    k = (int)luaL_optinteger(L, 2, p.type == CBC_QUAL ? p.n : 5);
    luaL_argcheck(L, k >= 1 && k <= 64, 2, "classes must be 1..64");
    cbc_palette_classes(&p, k, c);
    all = p.type == CBC_QUAL;
    lua_pushstring(L, p.name), lua_setfield(L, out, "name");
    lua_pushstring(L, p.type == CBC_SEQ ? "sequential" : p.type == CBC_DIV
                      ? "diverging" : "qualitative");
    lua_setfield(L, out, "type");
    lua_pushinteger(L, p.cvd), lua_setfield(L, out, "cvd");
  }
  lua_createtable(L, k, 0);
  for (int i = 0; i < k; i++) {
    char buf[8];
    snprintf(buf, sizeof buf, "#%02x%02x%02x", (int)lround(c[i].r * 255),
             (int)lround(c[i].g * 255), (int)lround(c[i].b * 255));
    lua_pushstring(L, buf);
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, out, "colors");
  lua_createtable(L, 0, 3);
  for (int v = 0; v < 3; v++) {
    lua_pushnumber(L, min_de(c, k, all, (cbc_cvd)v));
    lua_setfield(L, -2, cvd_names[v]);
  }
  lua_setfield(L, out, "min_de");
  lua_pushvalue(L, out);
  return 1;
}

static const luaL_Reg fig_methods[] = {
    {"panel", fig_panel}, {"save", fig_save}, {"close", fig_close}, {NULL, NULL}};
static const luaL_Reg fig_meta[] = {
    {"__gc", fig_close}, {"__close", fig_close}, {"__tostring", fig_tostring},
    {NULL, NULL}};
static const luaL_Reg panel_methods[] = {
    {"map", cbL_panel_map}, {"legend", cbL_panel_legend}, {"line", cbL_panel_line},
    {"bars", cbL_panel_bars}, {"scatter", cbL_panel_scatter},
    {"info", panel_info}, {NULL, NULL}};

void cbL_open_figure(lua_State *L) {
  cbL_newtype(L, FIGURE, fig_methods, fig_meta);
  cbL_newtype(L, PANEL, panel_methods, NULL);
  lua_pushcfunction(L, l_figure);
  lua_setfield(L, -2, "figure");
  lua_pushcfunction(L, l_palette_info);
  lua_setfield(L, -2, "palette_info");
}
