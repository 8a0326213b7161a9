/* Shared between the figure bindings: l_figure.c (figure, panels, maps)
 * and l_chart.c (line and bar charts). */
#ifndef L_FIGURE_H
#define L_FIGURE_H

#include "l_util.h"

struct cbc_figure;
struct cbc_plot;
struct cbc_rgb;

/* The panel at idx: its figure (raises on a closed figure) and index. */
struct cbc_figure *cbL_checkpanel(lua_State *L, int idx, int *panel);

/* Hands a plot to panel idx; raises with the core's message on failure. */
void cbL_panel_setplot(lua_State *L, int idx, struct cbc_plot *p);

/* Colour option `key` of the table at idx ("#rrggbb" or a name), or def. */
struct cbc_rgb cbL_optcolor(lua_State *L, int idx, const char *key,
                            struct cbc_rgb def);

/* Strings of the list at idx as a C array living in a userdata pushed on
 * the stack (NULL entries for nil/false); *n receives the length. */
const char **cbL_tostrings(lua_State *L, int idx, const char *what, size_t *n);

/* Polygons of option `key` of the table at opts: a cbal.Layer (reprojected
 * into crs, with a note; an empty layer raises naming it), a cbal.Polygons
 * or a list of geometries (cbL_topolygons); NULL when absent. The owning userdata stays on the stack.
 * `what` names the option in messages ("map", "locator"). */
struct cb_polyset *cbL_figure_polys(lua_State *L, int opts, const char *key,
                                    const char *crs, const char *what);

/* Pushes {x=, y=, w=, h=}. */
struct cbc_rect;
void cbL_push_rect(lua_State *L, struct cbc_rect r);

/* panel:map{...}, panel:legend{...} and the map part of panel:info()
 * (l_map.c). */
struct cbc_map;
int cbL_panel_map(lua_State *L);
int cbL_panel_legend(lua_State *L);
void cbL_map_info(lua_State *L, const struct cbc_map *m);

/* panel:line{...} and panel:bars{...} (l_chart.c). */
int cbL_panel_line(lua_State *L);
int cbL_panel_bars(lua_State *L);
int cbL_panel_scatter(lua_State *L); /* panel:scatter{...} (l_chart.c) */

/* Adds the layout of a line or bar plot to the table on top (l_chart.c). */
void cbL_chart_info(lua_State *L, struct cbc_plot *p);

#endif
