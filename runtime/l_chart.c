/* panel:line{...}, panel:bars{...} and panel:scatter{...}: line charts
 * with a secondary axis, grouped, stacked, horizontal or diverging bar
 * charts, and scatter plots with labels, 1:1 and fitted lines. */
#include <math.h>
#include <string.h>

#include "bars.h"
#include "figure.h"
#include "l_figure.h"
#include "line.h"
#include "scatter.h"

static const char *const markers[] = {"none", "circle", "square", "triangle",
                                      "diamond", NULL};

/* One series table at idx into q (its arrays stay on the stack). */
static void line_series(lua_State *L, int idx, size_t i, int shared_x,
                        cbc_series_spec *q) {
  static const char *const keys[] = {"x", "y", "name", "axis", "color",
                                     "marker", "dashed", NULL};
  idx = lua_absindex(L, idx);
  if (!lua_istable(L, idx))
    luaL_error(L, "line: series %d must be a table {y=, x=, name=}", (int)i + 1);
  cbL_checkopts(L, idx, "line series", keys);
  size_t nx = 0, ny;
  if (lua_getfield(L, idx, "x") != LUA_TNIL) q->x = cbL_tovalues(L, -1, &nx);
  else if (shared_x) q->x = cbL_tovalues(L, shared_x, &nx);
  else luaL_error(L, "line: series %d has no x (give x in the series or "
                  "x = for all)", (int)i + 1);
  if (lua_getfield(L, idx, "y") == LUA_TNIL)
    luaL_error(L, "line: series %d has no y", (int)i + 1);
  q->y = cbL_tovalues(L, -1, &ny);
  if (nx != ny)
    luaL_error(L, "line: series %d has %d x values but %d y values",
               (int)i + 1, (int)nx, (int)ny);
  q->n = ny;
  q->name = cbL_optstrfield(L, idx, "name", NULL);
  static const char *const axes[] = {"left", "right", NULL};
  if (lua_getfield(L, idx, "axis") == LUA_TNUMBER) /* 1 or 2 */
    q->axis = luaL_checkinteger(L, -1) == 2;
  else
    q->axis = cbL_optenum(L, idx, "line series", "axis", 0, axes);
  lua_pop(L, 1);
  cbc_rgb none = {0, 0, 0, -1};
  q->color = cbL_optcolor(L, idx, "color", none);
  q->has_color = q->color.a >= 0;
  q->marker = cbL_optenum(L, idx, "line series", "marker", -1, markers);
  q->dashed = cbL_optboolfield(L, idx, "dashed", 0);
}

static void opt_range(lua_State *L, int o, const char *key, int *has,
                      double r[2]) {
  if (lua_getfield(L, o, key) == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  size_t n;
  double *v = cbL_tovalues(L, -1, &n);
  if (n != 2 || !(v[0] < v[1]))
    luaL_error(L, "option '%s' must be {min, max} with min < max", key);
  *has = 1, r[0] = v[0], r[1] = v[1];
}

/* panel:line{series = {{y=, x=, name=, axis=2, color=, marker=,
 * dashed=}, ...}, x=, xlabel=, ylabel=, y2label=, legend=, direct_labels=,
 * palette=, ylim=, y2lim=} */
int cbL_panel_line(lua_State *L) {
  static const char *const keys[] = {"series", "x", "xlabel", "ylabel",
                                     "y2label", "legend", "direct_labels",
                                     "palette", "ylim", "y2lim", NULL};
  int i;
  struct cbc_figure *fig = cbL_checkpanel(L, 1, &i);
  luaL_checktype(L, 2, LUA_TTABLE);
  cbL_checkopts(L, 2, "line", keys);
  luaL_checkstack(L, 32, "line options");
  cbc_line_spec s;
  memset(&s, 0, sizeof s);
  int shared_x = 0;
  if (lua_getfield(L, 2, "x") != LUA_TNIL) shared_x = lua_gettop(L);
  if (lua_getfield(L, 2, "series") != LUA_TTABLE)
    return luaL_error(L, "line: give series = a list of {y=, x=, name=}");
  int st = lua_gettop(L);
  s.nseries = (size_t)luaL_len(L, st);
  if (s.nseries < 1 || s.nseries > CBC_MAX_SERIES)
    return luaL_error(L, "line: give 1 to %d series", CBC_MAX_SERIES);
  cbc_series_spec *q = lua_newuserdatauv(L, s.nseries * sizeof *q, 0);
  memset(q, 0, s.nseries * sizeof *q);
  for (size_t k = 0; k < s.nseries; k++) {
    /* each series keeps its table and arrays on the stack until the end */
    luaL_checkstack(L, 12, "line series");
    lua_geti(L, st, (lua_Integer)k + 1);
    line_series(L, -1, k, shared_x, &q[k]);
  }
  s.series = q;
  s.xlabel = cbL_optstrfield(L, 2, "xlabel", NULL);
  s.ylabel = cbL_optstrfield(L, 2, "ylabel", NULL);
  s.y2label = cbL_optstrfield(L, 2, "y2label", NULL);
  s.legend = cbL_optboolfield(L, 2, "legend", 1);
  s.direct_labels = cbL_optboolfield(L, 2, "direct_labels", 0);
  s.palette = cbL_optstrfield(L, 2, "palette", cbc_figure_palette(fig, 2));
  opt_range(L, 2, "ylim", &s.has_ylim, s.ylim);
  opt_range(L, 2, "y2lim", &s.has_y2lim, s.y2lim);
  cb_err e;
  cbc_line *l = cbc_line_new(&s, &e);
  if (!l) return cbL_raise(L, &e);
  cbL_panel_setplot(L, 1, cbc_line_plot(l));
  lua_settop(L, 1);
  return 1;
}

/* panel:bars{categories=, values= | series = {{name=, values=, color=}},
 * stacked=, horizontal=, diverging=, pos_color=, neg_color=,
 * value_label=, category_label=, legend=, palette=, net=} */
int cbL_panel_bars(lua_State *L) {
  static const char *const keys[] = {
      "categories", "values", "series", "stacked", "horizontal", "diverging",
      "pos_color", "neg_color", "value_label", "category_label", "legend",
      "palette", "net", NULL};
  int i;
  struct cbc_figure *fig = cbL_checkpanel(L, 1, &i);
  luaL_checktype(L, 2, LUA_TTABLE);
  cbL_checkopts(L, 2, "bars", keys);
  luaL_checkstack(L, 32, "bars options");
  cbc_bars_spec s;
  cbc_bars_spec_defaults(&s);
  if (lua_getfield(L, 2, "categories") != LUA_TTABLE)
    return luaL_error(L, "bars: give categories = a list of names");
  s.categories = cbL_tostrings(L, -1, "categories", &s.ncat);
  cbc_bar_series *q = lua_newuserdatauv(L, CBC_MAX_BAR_SERIES * sizeof *q, 0);
  memset(q, 0, CBC_MAX_BAR_SERIES * sizeof *q);
  size_t n;
  if (lua_getfield(L, 2, "values") != LUA_TNIL) {
    q[0].v = cbL_tovalues(L, -1, &n);
    if (n != s.ncat)
      return luaL_error(L, "bars: values has %d entries but categories has "
                        "%d", (int)n, (int)s.ncat);
    s.nseries = 1;
  } else if (lua_getfield(L, 2, "series") == LUA_TTABLE) {
    int st = lua_gettop(L);
    s.nseries = (size_t)luaL_len(L, st);
    if (s.nseries < 1 || s.nseries > CBC_MAX_BAR_SERIES)
      return luaL_error(L, "bars: give 1 to %d series", CBC_MAX_BAR_SERIES);
    for (size_t k = 0; k < s.nseries; k++) {
      static const char *const skeys[] = {"name", "values", "color", NULL};
      luaL_checkstack(L, 12, "bars series");
      if (lua_geti(L, st, (lua_Integer)k + 1) != LUA_TTABLE)
        return luaL_error(L, "bars: series %d must be {name=, values=}", (int)k + 1);
      int it = lua_gettop(L);
      cbL_checkopts(L, it, "bars series", skeys);
      q[k].name = cbL_optstrfield(L, it, "name", NULL);
      cbc_rgb none = {0, 0, 0, -1};
      q[k].color = cbL_optcolor(L, it, "color", none);
      q[k].has_color = q[k].color.a >= 0;
      if (lua_getfield(L, it, "values") == LUA_TNIL)
        return luaL_error(L, "bars: series %d has no values", (int)k + 1);
      q[k].v = cbL_tovalues(L, -1, &n);
      if (n != s.ncat)
        return luaL_error(L, "bars: series %d has %d values but categories "
                          "has %d", (int)k + 1, (int)n, (int)s.ncat);
    }
  } else {
    return luaL_error(L, "bars: give values = {...} or series = {{name=, values=}}");
  }
  s.series = q;
  s.stacked = cbL_optboolfield(L, 2, "stacked", 0);
  s.horizontal = cbL_optboolfield(L, 2, "horizontal", 0);
  s.diverging = cbL_optboolfield(L, 2, "diverging", 0);
  s.pos_color = cbL_optcolor(L, 2, "pos_color", s.pos_color);
  s.neg_color = cbL_optcolor(L, 2, "neg_color", s.neg_color);
  s.value_label = cbL_optstrfield(L, 2, "value_label", NULL);
  s.cat_label = cbL_optstrfield(L, 2, "category_label", NULL);
  s.legend = cbL_optboolfield(L, 2, "legend", 1);
  s.palette = cbL_optstrfield(L, 2, "palette", cbc_figure_palette(fig, 2));
  int nt = lua_getfield(L, 2, "net"); /* true | false | "label" */
  if (nt == LUA_TSTRING) s.net = 1, s.net_label = lua_tostring(L, -1);
  else if (nt == LUA_TBOOLEAN) s.net = lua_toboolean(L, -1);
  else if (nt != LUA_TNIL)
    return luaL_error(L, "bars: option 'net' must be true, false or a label, "
                      "got %s", luaL_typename(L, -1));
  if (s.diverging && s.nseries > 1) s.stacked = 1;
  cb_err e;
  cbc_bars *b = cbc_bars_new(&s, &e);
  if (!b) return cbL_raise(L, &e);
  cbL_panel_setplot(L, 1, cbc_bars_plot(b));
  lua_settop(L, 1);
  return 1;
}

static void push_box(lua_State *L, cbc_rect r) {
  lua_createtable(L, 0, 8);
  lua_pushnumber(L, r.x), lua_setfield(L, -2, "x");
  lua_pushnumber(L, r.y), lua_setfield(L, -2, "y");
  lua_pushnumber(L, r.w), lua_setfield(L, -2, "w");
  lua_pushnumber(L, r.h), lua_setfield(L, -2, "h");
}

/* Option metrics: true/false, or a list of lines to show instead. */
static void scatter_metrics(lua_State *L, cbc_scatter_spec *s) {
  int t = lua_getfield(L, 2, "metrics");
  if (t == LUA_TTABLE) {
    s->metrics = 1;
    s->lines = cbL_tostrings(L, -1, "scatter: metrics", &s->nlines);
    return; /* the lines stay on the stack */
  }
  if (t != LUA_TNIL && t != LUA_TBOOLEAN)
    luaL_error(L, "scatter: option 'metrics' must be true, false or a list "
               "of lines, got %s", luaL_typename(L, -1));
  s->metrics = t == LUA_TNIL ? s->fit : lua_toboolean(L, -1);
  lua_pop(L, 1);
}

/* panel:scatter{x=, y=, labels=, one_to_one=, fit=, log=, metrics=,
 * xlabel=, ylabel=, color=} */
int cbL_panel_scatter(lua_State *L) {
  static const char *const keys[] = {"x", "y", "labels", "one_to_one", "fit",
                                     "log", "metrics", "xlabel", "ylabel",
                                     "color", NULL};
  int i;
  cbL_checkpanel(L, 1, &i);
  luaL_checktype(L, 2, LUA_TTABLE);
  cbL_checkopts(L, 2, "scatter", keys);
  luaL_checkstack(L, 16, "scatter options");
  cbc_scatter_spec s;
  memset(&s, 0, sizeof s);
  size_t nx, ny, nl;
  if (lua_getfield(L, 2, "x") == LUA_TNIL || lua_getfield(L, 2, "y") == LUA_TNIL)
    return luaL_error(L, "scatter: give x = and y = (numbers of equal length)");
  int yi = lua_gettop(L), xi = yi - 1; /* tovalues may push a converted copy */
  s.x = cbL_tovalues(L, xi, &nx);
  s.y = cbL_tovalues(L, yi, &ny);
  if (nx != ny)
    return cbL_errorf(L, "scatter: x has %zu values but y has %zu", nx, ny);
  s.n = nx;
  if (lua_getfield(L, 2, "labels") != LUA_TNIL) {
    s.labels = cbL_tostrings(L, -1, "scatter: labels", &nl);
    if (nl != nx)
      return cbL_errorf(L, "scatter: labels has %zu entries but x has %zu "
                        "(use false for a point without a label)", nl, nx);
  }
  s.one_to_one = cbL_optboolfield(L, 2, "one_to_one", 0);
  s.fit = cbL_optboolfield(L, 2, "fit", 0);
  s.log = cbL_optboolfield(L, 2, "log", 0);
  scatter_metrics(L, &s);
  s.xlabel = cbL_optstrfield(L, 2, "xlabel", NULL);
  s.ylabel = cbL_optstrfield(L, 2, "ylabel", NULL);
  cbc_rgb none = {0, 0, 0, -1};
  s.color = cbL_optcolor(L, 2, "color", none);
  s.has_color = s.color.a >= 0;
  cb_err e;
  cbc_scatter *p = cbc_scatter_new(&s, &e);
  if (!p) return cbL_raise(L, &e);
  cbL_panel_setplot(L, 1, cbc_scatter_plot(p));
  lua_settop(L, 1);
  return 1;
}

static void scatter_info(lua_State *L, const cbc_scatter_layout *s) {
  static const char *const corners[] = {"top-left", "top-right",
                                        "bottom-right", "bottom-left"};
  lua_pushinteger(L, (lua_Integer)s->n), lua_setfield(L, -2, "n");
  lua_pushinteger(L, (lua_Integer)s->dropped), lua_setfield(L, -2, "dropped");
  lua_pushnumber(L, s->slope), lua_setfield(L, -2, "slope");
  lua_pushnumber(L, s->intercept), lua_setfield(L, -2, "intercept");
  lua_pushnumber(L, s->r), lua_setfield(L, -2, "r");
  lua_createtable(L, (int)s->nlines, 0);
  for (size_t k = 0; k < s->nlines; k++) {
    lua_pushstring(L, s->lines[k]);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  lua_setfield(L, -2, "lines");
  if (s->box.w > 0) {
    lua_pushstring(L, corners[s->corner]), lua_setfield(L, -2, "corner");
    push_box(L, s->box), lua_setfield(L, -2, "metrics_box");
  }
  push_box(L, s->plot), lua_setfield(L, -2, "plot");
  lua_createtable(L, (int)s->nlabels, 0);
  for (size_t k = 0; k < s->nlabels; k++) {
    const cbc_scatter_label *lb = &s->labels[k];
    push_box(L, lb->box);
    lua_pushinteger(L, (lua_Integer)lb->point + 1), lua_setfield(L, -2, "point");
    lua_pushboolean(L, lb->placed), lua_setfield(L, -2, "placed");
    lua_pushboolean(L, lb->leader), lua_setfield(L, -2, "leader");
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  lua_setfield(L, -2, "labels");
  lua_pushinteger(L, (lua_Integer)s->nplaced), lua_setfield(L, -2, "labels_placed");
}

static void push_ticks(lua_State *L, const cbc_ticks *t, const char *key) {
  lua_createtable(L, t->n, 0);
  for (int i = 0; i < t->n; i++) {
    double v = t->v[i];
    if (v == floor(v) && fabs(v) < 1e15) lua_pushinteger(L, (lua_Integer)v);
    else lua_pushnumber(L, v);
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, key);
}

void cbL_chart_info(lua_State *L, struct cbc_plot *p) {
  if (p->kind == CBC_PLOT_LINE) {
    const cbc_line_layout *l = cbc_line_layout_get((cbc_line *)p);
    push_ticks(L, &l->x, "x_ticks");
    push_ticks(L, &l->y, "y_ticks");
    if (l->has_y2) push_ticks(L, &l->y2, "y2_ticks");
    lua_pushinteger(L, (lua_Integer)l->nkey);
    lua_setfield(L, -2, "key_entries");
    lua_newtable(L); /* direct labels: boxes, in series order */
    for (int i = 0; i < CBC_MAX_SERIES; i++)
      if (l->ends[i].on) {
        cbL_push_rect(L, l->ends[i].box);
        lua_pushnumber(L, l->ends[i].y_end);
        lua_setfield(L, -2, "y_end");
        lua_rawseti(L, -2, i + 1);
      }
    lua_setfield(L, -2, "ends");
  } else if (p->kind == CBC_PLOT_BARS) {
    const cbc_bars_layout *b = cbc_bars_layout_get((cbc_bars *)p);
    push_ticks(L, &b->vt, "ticks");
    lua_pushinteger(L, (lua_Integer)b->nbars);
    lua_setfield(L, -2, "bars");
    lua_pushboolean(L, b->rotate_labels);
    lua_setfield(L, -2, "rotate_labels");
    lua_pushnumber(L, b->band);
    lua_setfield(L, -2, "band");
    lua_pushinteger(L, b->label_every);
    lua_setfield(L, -2, "label_every");
    if (b->has_net) {
      lua_createtable(L, (int)b->nbars, 0);
      const cbc_bars *bp = (const cbc_bars *)p;
      for (size_t i = 0; i < cbc_bars_ncat(bp); i++) {
        lua_pushnumber(L, b->net[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
      }
      lua_setfield(L, -2, "net");
    }
  } else if (p->kind == CBC_PLOT_SCATTER) {
    const cbc_scatter_layout *s = cbc_scatter_layout_get((cbc_scatter *)p);
    push_ticks(L, &s->x, "x_ticks");
    push_ticks(L, &s->y, "y_ticks");
    scatter_info(L, s);
  }
}
