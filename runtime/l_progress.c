/* cbal.progress(label, total): the progress of native work for long loops
 * in Lua (a bar on a terminal, plain lines in a log, nothing with
 * CBAL_QUIET); and cbal.now(), a wall clock for timing such work. */
#include <string.h>
#include <time.h>

#include "core/progress.h"
#include "l_util.h"

#define CBAL_PROGRESS "cbal.Progress"

typedef struct {
  cb_progress bar;
  char label[64];
} lprogress;

static int l_progress(lua_State *L) {
  const char *label = luaL_checkstring(L, 1);
  double total = luaL_checknumber(L, 2);
  luaL_argcheck(L, total > 0, 2, "total must be > 0");
  lprogress *p = lua_newuserdatauv(L, sizeof *p, 0);
  memset(p, 0, sizeof *p);
  luaL_setmetatable(L, CBAL_PROGRESS);
  strncpy(p->label, label, sizeof p->label - 1);
  cb_progress_start(&p->bar, p->label, total);
  return 1;
}

static int m_update(lua_State *L) {
  lprogress *p = luaL_checkudata(L, 1, CBAL_PROGRESS);
  cb_progress_update(&p->bar, luaL_checknumber(L, 2));
  return 0;
}

/* Idempotent: finishing twice (or by :finish(), <close> and GC) is fine. */
static int m_finish(lua_State *L) {
  lprogress *p = luaL_checkudata(L, 1, CBAL_PROGRESS);
  cb_progress_finish(&p->bar);
  return 0;
}

/* __close with an error, and __gc without a finish: the work stopped, so
 * the bar does not claim 100 %. */
static int m_close(lua_State *L) {
  lprogress *p = luaL_checkudata(L, 1, CBAL_PROGRESS);
  if (lua_isnoneornil(L, 2) && lua_gettop(L) >= 2) cb_progress_finish(&p->bar);
  else cb_progress_abandon(&p->bar);
  return 0;
}

static int m_active(lua_State *L) {
  lprogress *p = luaL_checkudata(L, 1, CBAL_PROGRESS);
  lua_pushboolean(L, p->bar.active);
  return 1;
}

static const luaL_Reg methods[] = {
    {"update", m_update}, {"finish", m_finish}, {"active", m_active},
    {NULL, NULL}};
static const luaL_Reg meta[] = {
    {"__close", m_close}, {"__gc", m_close}, {NULL, NULL}};
/* cbal.now(): seconds on a monotonic wall clock (differences are elapsed
 * time, unlike os.clock, which counts this process's CPU time). */
static int l_now(lua_State *L) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  lua_pushnumber(L, (double)ts.tv_sec + ts.tv_nsec * 1e-9);
  return 1;
}

static const luaL_Reg funcs[] = {
    {"progress", l_progress}, {"now", l_now}, {NULL, NULL}};

void cbL_open_progress(lua_State *L) {
  cbL_newtype(L, CBAL_PROGRESS, methods, meta);
  luaL_setfuncs(L, funcs, 0);
}
