/* panel:map{...} and panel:legend{...}: options to a cbc_map_spec (classes,
 * legend, furniture positions, labels and callouts, inset, locator,
 * graticule, overlay), and the map part of panel:info(). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crs.h"
#include "core/layer.h"
#include "core/write.h"
#include "figure.h"
#include "l_figure.h"
#include "map.h"

/* symbols = {"fill", "line", "point", "path", ...} (on the stack top): a
 * legend symbol per category, for categories that are not areas. */
static void symbol_opts(lua_State *L, cbc_map_spec *s) {
  size_t n;
  const char **names = cbL_tostrings(L, -1, "symbols", &n);
  unsigned char *sym = lua_newuserdatauv(L, n ? n : 1, 0);
  for (size_t i = 0; i < n; i++) {
    char key[32];
    snprintf(key, sizeof key, "symbols[%zu]", i + 1);
    if (!names[i]) luaL_error(L, "map: option '%s' must be a string", key);
    sym[i] = (unsigned char)cbL_enum(L, names[i], "map", key, cbc_symbol_names);
  }
  s->symbols = sym, s->nsymbols = n;
}

/* Fills the classification part of a map spec (shared by map and legend):
 * values, breaks, k, breaks_round, continuous, palette, center,
 * categories, colors. */
static void class_opts(lua_State *L, int o, cbc_map_spec *s,
                       const struct cbc_figure *f) {
  if (lua_getfield(L, o, "values") != LUA_TNIL)
    s->values = cbL_tovalues(L, -1, &s->nvalues);
  int t = lua_getfield(L, o, "breaks");
  if (t == LUA_TSTRING) s->auto_breaks = lua_tostring(L, -1);
  else if (t != LUA_TNIL) s->breaks = cbL_tovalues(L, -1, &s->nbreaks);
  s->k = (int)cbL_optintfield(L, o, "k", 5);
  s->breaks_round = cbL_optboolfield(L, o, "breaks_round", 1);
  s->continuous = cbL_optboolfield(L, o, "continuous", 0);
  s->palette = cbL_optstrfield(L, o, "palette", NULL);
  if (lua_getfield(L, o, "center") != LUA_TNIL) {
    s->centered = 1;
    s->center = luaL_checknumber(L, -1);
  }
  lua_pop(L, 1);
  if (lua_getfield(L, o, "categories") != LUA_TNIL)
    s->categories = cbL_tostrings(L, -1, "categories", &s->ncategories);
  if (lua_getfield(L, o, "colors") != LUA_TNIL) {
    size_t n;
    const char **names = cbL_tostrings(L, -1, "colors", &n);
    cbc_rgb *c = lua_newuserdatauv(L, (n ? n : 1) * sizeof *c, 0);
    for (size_t i = 0; i < n; i++)
      if (!names[i] || cbc_parse_color(names[i], &c[i]))
        luaL_error(L, "colors: element %d is not a colour (use \"#rrggbb\")", (int)i + 1);
    s->colors = c, s->ncolors = n;
  }
  if (lua_getfield(L, o, "symbols") != LUA_TNIL) symbol_opts(L, s);
  if (!s->breaks && !s->auto_breaks && !s->continuous && !s->categories &&
      s->values)
    s->auto_breaks = "quantile";
  if (!s->palette) /* the figure's (its theme's) default of the kind */
    s->palette = cbc_figure_palette(f, s->categories ? 2 : s->centered ? 1 : 0);
}

/* A position option: absent -> def; a string naming a position; `true`
 * (for furniture) -> auto. */
static cbc_pos opt_pos(lua_State *L, int idx, const char *where,
                       const char *key, cbc_pos def) {
  return (cbc_pos)cbL_optenum(L, idx, where, key, (int)def, cbc_pos_names);
}

/* north_arrow = true | false | "topright" (likewise scale_bar). */
static int furniture(lua_State *L, int o, const char *key, cbc_pos *pos) {
  int t = lua_getfield(L, o, key);
  int on = 0;
  if (t == LUA_TBOOLEAN) on = lua_toboolean(L, -1);
  else if (t == LUA_TSTRING) on = 1, *pos = opt_pos(L, o, "map", key, CBC_POS_AUTO);
  else if (t != LUA_TNIL)
    luaL_error(L, "option '%s' must be true, false or a position (\"auto\", "
               "\"topright\", ...), got %s", key, luaL_typename(L, -1));
  lua_pop(L, 1);
  if (*pos == CBC_POS_OUTSIDE || *pos == CBC_POS_NONE)
    luaL_error(L, "option '%s': a position inside the map (\"auto\", "
               "\"topleft\", ..., \"bottomright\")", key);
  return on;
}

static void legend_opts(lua_State *L, int o, cbc_map_spec *s) {
  int t = lua_getfield(L, o, "legend");
  if (t == LUA_TBOOLEAN && !lua_toboolean(L, -1)) {
    s->legend_pos = CBC_POS_NONE;
  } else if (t == LUA_TTABLE) {
    static const char *const keys[] = {"title", "units", "position", "box",
                                       "opacity", NULL};
    int lt = lua_gettop(L);
    cbL_checkopts(L, lt, "legend", keys);
    s->legend_title = cbL_optstrfield(L, lt, "title", NULL);
    s->units = cbL_optstrfield(L, lt, "units", NULL);
    s->legend_pos = opt_pos(L, lt, "legend", "position", CBC_POS_AUTO);
    if (lua_getfield(L, lt, "box") != LUA_TNIL) s->legend_box = lua_toboolean(L, -1);
    s->legend_opacity = cbL_optnumfield(L, lt, "opacity", s->legend_opacity);
    if (!(s->legend_opacity >= 0 && s->legend_opacity <= 1))
      cbL_errorf(L, "legend: option 'opacity' must be 0..1, got %g", s->legend_opacity);
  } else if (t != LUA_TNIL && t != LUA_TBOOLEAN) {
    luaL_error(L, "option 'legend' must be false or a table {title=, units=, "
               "position=, box=, opacity=}, got %s", luaL_typename(L, -1));
  }
}

/* labels = {names...} with optional key callouts = true. */
static void label_opts(lua_State *L, int o, cbc_map_spec *s) {
  if (lua_getfield(L, o, "labels") == LUA_TNIL) return;
  int lt = lua_gettop(L);
  luaL_checktype(L, lt, LUA_TTABLE);
  lua_pushnil(L);
  while (lua_next(L, lt)) { /* only list entries and callouts */
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "callouts"))
      luaL_error(L, "unknown key '%s' in labels (expected the names as a list, "
                 "and callouts = true)", lua_tostring(L, -1));
  }
  s->callouts = cbL_optboolfield(L, lt, "callouts", 0);
  s->labels = cbL_tostrings(L, lt, "labels", &s->nlabels);
}

static double *four(lua_State *L, int idx, const char *what) {
  size_t n;
  double *v = cbL_tovalues(L, idx, &n);
  if (n != 4) cbL_errorf(L, "%s must be {xmin, ymin, xmax, ymax}, got %zu numbers", what, n);
  return v;
}

/* inset = {bbox = {xmin, ymin, xmax, ymax}, where = "bottomright",
 * scale = 3} */
static void inset_opts(lua_State *L, int o, cbc_map_spec *s) {
  if (lua_getfield(L, o, "inset") == LUA_TNIL) return;
  static const char *const keys[] = {"bbox", "where", "scale", NULL};
  int it = lua_gettop(L);
  luaL_checktype(L, it, LUA_TTABLE);
  cbL_checkopts(L, it, "inset", keys);
  if (lua_getfield(L, it, "bbox") == LUA_TNIL)
    luaL_error(L, "inset: give bbox = {xmin, ymin, xmax, ymax} (the area to zoom)");
  memcpy(s->inset_bbox, four(L, -1, "inset bbox"), sizeof s->inset_bbox);
  s->inset = 1;
  s->inset_pos = opt_pos(L, it, "inset", "where", CBC_POS_AUTO);
  s->inset_scale = cbL_optnumfield(L, it, "scale", s->inset_scale);
  if (s->inset_pos >= CBC_POS_OUTSIDE)
    luaL_error(L, "inset: 'where' must be a position inside the map");
}

/* overlay = layer | polygons | {layer =, width =, color =} */
static void overlay_opts(lua_State *L, int o, cbc_map_spec *s, const char *crs) {
  int t = lua_getfield(L, o, "overlay"), ot = lua_gettop(L);
  int spec = t == LUA_TTABLE && lua_getfield(L, ot, "layer") != LUA_TNIL;
  if (t == LUA_TTABLE) lua_pop(L, 1);
  if (!spec) {
    s->overlay = cbL_figure_polys(L, o, "overlay", crs, "overlay");
    return;
  }
  static const char *const keys[] = {"layer", "width", "color", NULL};
  cbL_checkopts(L, ot, "overlay", keys);
  s->overlay = cbL_figure_polys(L, ot, "layer", crs, "overlay");
  s->overlay_width = cbL_optnumfield(L, ot, "width", s->overlay_width);
  s->overlay_color = cbL_optcolor(L, ot, "color", s->overlay_color);
}

/* locator = {layer =, highlight =, where =, width =, show =} (show =
 * false lays it out without drawing it, for the other maps of a grid) */
static void locator_opts(lua_State *L, int o, cbc_map_spec *s, const char *crs) {
  if (lua_getfield(L, o, "locator") == LUA_TNIL) return;
  static const char *const keys[] = {"layer", "highlight", "where", "width",
                                     "show", NULL};
  int lt = lua_gettop(L);
  luaL_checktype(L, lt, LUA_TTABLE);
  cbL_checkopts(L, lt, "locator", keys);
  s->locator = cbL_figure_polys(L, lt, "layer", crs, "locator");
  if (!s->locator) luaL_error(L, "locator: give layer = the larger area (a cbal.Layer)");
  s->highlight = cbL_figure_polys(L, lt, "highlight", crs, "locator highlight");
  s->locator_pos = opt_pos(L, lt, "locator", "where", CBC_POS_AUTO);
  s->locator_width = cbL_optnumfield(L, lt, "width", 0);
  s->locator_hidden = !cbL_optboolfield(L, lt, "show", 1);
  if (s->locator_pos >= CBC_POS_OUTSIDE)
    luaL_error(L, "locator: 'where' must be a position inside the map");
}

/* ---- graticule -------------------------------------------------------- */

/* Lon/lat extent of the map's bbox (8 points of its outline). */
static void lonlat_extent(lua_State *L, const cb_polyset *ps, const char *crs,
                          int geo, double *ext) {
  const double *b = ps->bbox;
  double x[8] = {b[0], b[2], b[0], b[2], (b[0] + b[2]) / 2, (b[0] + b[2]) / 2, b[0], b[2]};
  double y[8] = {b[1], b[1], b[3], b[3], b[1], b[3], (b[1] + b[3]) / 2, (b[1] + b[3]) / 2};
  cb_err e;
  if (!geo && cb_transform(x, y, 8, crs, "EPSG:4326", &e)) cbL_raise(L, &e);
  ext[0] = ext[1] = INFINITY, ext[2] = ext[3] = -INFINITY;
  for (int i = 0; i < 8; i++) {
    ext[0] = fmin(ext[0], x[i]), ext[2] = fmax(ext[2], x[i]);
    ext[1] = fmin(ext[1], y[i]), ext[3] = fmax(ext[3], y[i]);
  }
}

/* One meridian (lon) or parallel at v over [a, b], densified, in the map's
 * CRS, into g (points live in a userdata left on the stack). */
static void grat_line(lua_State *L, cbc_gratline *g, int lon, double v,
                      double a, double b, const char *crs, int geo) {
  enum { N = 41 };
  double *xy = lua_newuserdatauv(L, 2 * N * sizeof *xy, 0);
  double x[N], y[N];
  for (int i = 0; i < N; i++) {
    double t = a + (b - a) * i / (N - 1);
    x[i] = lon ? v : t, y[i] = lon ? t : v;
  }
  cb_err e;
  if (!geo && cb_transform(x, y, N, "EPSG:4326", crs, &e)) cbL_raise(L, &e);
  for (int i = 0; i < N; i++) xy[2 * i] = x[i], xy[2 * i + 1] = y[i];
  *g = (cbc_gratline){xy, N, v, lon};
}

/* graticule = true | {step = 1, lines = false} */
static void grat_opts(lua_State *L, int o, cbc_map_spec *s, const char *crs) {
  int t = lua_getfield(L, o, "graticule");
  if (t == LUA_TNIL || (t == LUA_TBOOLEAN && !lua_toboolean(L, -1))) return;
  static const char *const keys[] = {"step", "lines", NULL};
  int gt = lua_gettop(L);
  if (t == LUA_TTABLE) cbL_checkopts(L, gt, "graticule", keys);
  else if (t != LUA_TBOOLEAN) luaL_error(L, "option 'graticule' must be true or {step=, lines=}");
  int geo = s->geographic >= 0 ? s->geographic : cb_crs_geographic(crs);
  if (!geo && !crs)
    luaL_error(L, "graticule: the map has no CRS; give crs = \"EPSG:...\" (or "
               "geographic = true for longitudes and latitudes)");
  double ext[4];
  lonlat_extent(L, s->polys, crs, geo, ext);
  double span = fmax(ext[2] - ext[0], ext[3] - ext[1]);
  double step = t == LUA_TTABLE ? cbL_optnumfield(L, gt, "step", 0) : 0;
  if (step == 0) step = cbc_nice_num(span / 4, 1);
  if (!(step > 0) || span / step > 40)
    cbL_errorf(L, "graticule: step %g degrees gives more than 40 lines over "
               "%.3g degrees; use a larger step", step, span);
  s->grat_lines = t == LUA_TTABLE ? cbL_optboolfield(L, gt, "lines", 0) : 0;
  double lo0 = fmax(-180, ext[0] - span), lo1 = fmin(180, ext[2] + span);
  double la0 = fmax(-89, ext[1] - span), la1 = fmin(89, ext[3] + span);
  size_t n = 0, cap = (size_t)((lo1 - lo0 + la1 - la0) / step) + 4;
  cbc_gratline *g = lua_newuserdatauv(L, cap * sizeof *g, 0);
  luaL_checkstack(L, (int)cap + 4, "graticule");
  for (double v = ceil(lo0 / step) * step; v <= lo1 && n < cap; v += step)
    grat_line(L, &g[n++], 1, fabs(v) < 1e-9 ? 0 : v, la0, la1, crs, geo);
  for (double v = ceil(la0 / step) * step; v <= la1 && n < cap; v += step)
    grat_line(L, &g[n++], 0, fabs(v) < 1e-9 ? 0 : v, lo0, lo1, crs, geo);
  s->grat = g, s->ngrat = n;
}

/* ---- panel:map and panel:legend -------------------------------------- */

static void map_opts(lua_State *L, cbc_map_spec *s, const char *crs,
                     const struct cbc_figure *f) {
  class_opts(L, 2, s, f);
  legend_opts(L, 2, s);
  s->north_arrow = furniture(L, 2, "north_arrow", &s->north_pos);
  s->scale_bar = furniture(L, 2, "scale_bar", &s->scale_pos);
  s->reserve = cbL_optboolfield(L, 2, "reserve", 0);
  if (lua_getfield(L, 2, "geographic") != LUA_TNIL)
    s->geographic = lua_toboolean(L, -1);
  label_opts(L, 2, s);
  const char *mcrs = crs ? crs : s->polys->srs_wkt;
  overlay_opts(L, 2, s, mcrs);
  s->overlay_width = cbL_optnumfield(L, 2, "overlay_width", s->overlay_width);
  inset_opts(L, 2, s);
  locator_opts(L, 2, s, mcrs);
  grat_opts(L, 2, s, mcrs);
  s->nodata_color = cbL_optcolor(L, 2, "nodata_color", s->nodata_color);
  s->nodata_label = cbL_optstrfield(L, 2, "nodata_label", NULL);
  s->edge_color = cbL_optcolor(L, 2, "edge_color", s->edge_color);
  s->edge_width = cbL_optnumfield(L, 2, "edge_width", s->edge_width);
}

/* Makes the map of spec s the plot of the panel at 1; returns the panel. */
static int set_map(lua_State *L, const cbc_map_spec *s) {
  cb_err e;
  cbc_map *m = cbc_map_new(s, &e);
  if (!m) return cbL_raise(L, &e);
  cbL_panel_setplot(L, 1, cbc_map_plot(m));
  lua_settop(L, 1);
  return 1;
}

/* panel:map{layer=|polygons=, values=, breaks=, ...} */
int cbL_panel_map(lua_State *L) {
  static const char *const keys[] = {
      "layer", "polygons", "crs", "values", "breaks", "k", "breaks_round",
      "continuous", "palette", "center", "categories", "colors", "symbols",
      "legend", "north_arrow", "scale_bar", "reserve", "geographic", "labels",
      "overlay",
      "overlay_width", "inset", "locator", "graticule", "nodata_color",
      "nodata_label", "edge_color", "edge_width", NULL};
  int i;
  struct cbc_figure *f = cbL_checkpanel(L, 1, &i);
  luaL_checktype(L, 2, LUA_TTABLE);
  cbL_checkopts(L, 2, "map", keys);
  luaL_checkstack(L, 64, "map options"); /* every option keeps a slot */
  cbc_map_spec s;
  cbc_map_spec_defaults(&s);
  const char *crs = cbL_optstrfield(L, 2, "crs", NULL);
  s.polys = cbL_figure_polys(L, 2, "layer", crs, "map");
  if (!s.polys) s.polys = cbL_figure_polys(L, 2, "polygons", crs, "map");
  else if (lua_getfield(L, 2, "polygons") != LUA_TNIL)
    return luaL_error(L, "map: give layer or polygons, not both");
  if (!s.polys) return luaL_error(L, "map: give layer = a cbal.Layer (or polygons = a list)");
  map_opts(L, &s, crs, f);
  return set_map(L, &s);
}

/* panel:legend{breaks=|categories=|values=, palette=, title=, units=}: a
 * legend alone, shared by a row of maps. */
int cbL_panel_legend(lua_State *L) {
  static const char *const keys[] = {"values", "breaks", "k", "breaks_round",
                                     "continuous", "palette", "center",
                                     "categories", "colors", "symbols",
                                     "title", "units", NULL};
  int i;
  struct cbc_figure *f = cbL_checkpanel(L, 1, &i);
  luaL_checktype(L, 2, LUA_TTABLE);
  cbL_checkopts(L, 2, "legend", keys);
  luaL_checkstack(L, 32, "legend options");
  cbc_map_spec s;
  cbc_map_spec_defaults(&s);
  class_opts(L, 2, &s, f);
  s.legend_title = cbL_optstrfield(L, 2, "title", NULL);
  s.units = cbL_optstrfield(L, 2, "units", NULL);
  return set_map(L, &s);
}

/* ---- panel:info() of a map -------------------------------------------- */

static void push_color(lua_State *L, cbc_rgb c) {
  char buf[8];
  snprintf(buf, sizeof buf, "#%02x%02x%02x", (int)lround(c.r * 255) & 255,
           (int)lround(c.g * 255) & 255, (int)lround(c.b * 255) & 255);
  lua_pushstring(L, buf);
}

static void push_nums(lua_State *L, const double *v, size_t n) {
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    lua_pushnumber(L, v[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

/* placement = {legend = "bottomright", ...}, boxes = {legend = {x=, y=,
 * w=, h=}, ...} and covers = {legend = 0.3} for elements that had to sit
 * on the map (no free space was left). */
static void push_placement(lua_State *L, const cbc_map_layout *m) {
  const char *names[] = {"legend", "north_arrow", "scale_bar", "inset", "locator"};
  const cbc_placed *el[] = {&m->legend, &m->north, &m->scalebar, &m->inset, &m->locator};
  int on[] = {m->has_legend, m->has_north, m->has_scalebar, m->inset.on, m->locator.on};
  int info = lua_gettop(L);
  lua_newtable(L);
  lua_newtable(L);
  lua_newtable(L);
  for (int k = 0; k < 5; k++) {
    if (!on[k]) continue;
    lua_pushstring(L, cbc_pos_names[el[k]->pos]);
    lua_setfield(L, info + 1, names[k]);
    cbL_push_rect(L, el[k]->box);
    lua_setfield(L, info + 2, names[k]);
    if (el[k]->covers > 0.02) {
      lua_pushnumber(L, el[k]->covers);
      lua_setfield(L, info + 3, names[k]);
    }
  }
  lua_setfield(L, info, "covers");
  lua_setfield(L, info, "boxes");
  lua_setfield(L, info, "placement");
}

/* labels = {map =, callouts =, inset =, dropped =}: how many went where. */
static void push_labels(lua_State *L, const cbc_map_layout *m) {
  lua_createtable(L, 0, 4);
  lua_pushinteger(L, (lua_Integer)m->label_counts[CBC_LABEL_MAP]);
  lua_setfield(L, -2, "map");
  lua_pushinteger(L, (lua_Integer)m->label_counts[CBC_LABEL_CALLOUT]);
  lua_setfield(L, -2, "callouts");
  lua_pushinteger(L, (lua_Integer)m->label_counts[CBC_LABEL_INSET]);
  lua_setfield(L, -2, "inset");
  lua_pushinteger(L, (lua_Integer)m->label_counts[CBC_LABEL_NONE]);
  lua_setfield(L, -2, "dropped");
  lua_setfield(L, -2, "labels");
}

void cbL_map_info(lua_State *L, const cbc_map *mp) {
  const cbc_map_layout *m = cbc_map_layout_get(mp);
  push_nums(L, m->edges, m->k ? (size_t)m->k + 1 : 0);
  lua_setfield(L, -2, "breaks");
  lua_createtable(L, (int)m->nentries, 0);
  for (size_t i = 0; i < m->nentries; i++) {
    lua_pushstring(L, m->entries[i].label);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "legend");
  lua_createtable(L, m->k, 0);
  for (int i = 0; i < m->k; i++) {
    push_color(L, m->class_colors[i]);
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, "colors");
  lua_createtable(L, m->k, 0);
  for (int i = 0; i < m->k; i++) {
    lua_pushinteger(L, (lua_Integer)m->counts[i]);
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, "counts");
  lua_pushinteger(L, (lua_Integer)m->nodata_count);
  lua_setfield(L, -2, "nodata");
  cbL_push_rect(L, m->frame);
  lua_setfield(L, -2, "frame");
  lua_pushnumber(L, m->fill);
  lua_setfield(L, -2, "fill");
  lua_createtable(L, 0, 2); /* mm per map unit, along x and y */
  lua_pushnumber(L, m->kx), lua_setfield(L, -2, "x");
  lua_pushnumber(L, m->ky), lua_setfield(L, -2, "y");
  lua_setfield(L, -2, "scale");
  lua_pushboolean(L, m->geographic);
  lua_setfield(L, -2, "geographic");
  if (m->has_scalebar) {
    lua_createtable(L, 0, 3);
    lua_pushnumber(L, m->sb.metres), lua_setfield(L, -2, "metres");
    lua_pushnumber(L, m->sb.mm), lua_setfield(L, -2, "mm");
    lua_pushstring(L, m->sb.label), lua_setfield(L, -2, "label");
    lua_setfield(L, -2, "scale_bar");
  }
  push_placement(L, m);
  if (cbc_map_labels(mp)) push_labels(L, m);
  if (m->has_grat) {
    lua_createtable(L, (int)m->ngticks, 0);
    for (size_t i = 0; i < m->ngticks; i++) {
      lua_pushstring(L, m->gticks[i].label);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "graticule");
  }
}
