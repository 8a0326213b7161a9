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

/* panel:line{...} and panel:bars{...} (l_chart.c). */
int cbL_panel_line(lua_State *L);
int cbL_panel_bars(lua_State *L);
int cbL_panel_scatter(lua_State *L); /* panel:scatter{...} (l_chart.c) */

/* Adds the layout of a line or bar plot to the table on top (l_chart.c). */
void cbL_chart_info(lua_State *L, struct cbc_plot *p);

#endif
