/* Lua state set-up for the cbal executable: libraries, module paths, the
 * built-in native module, tracebacks that show the user's own frames. */
#include "host.h"
#include "l_util.h"

#include <lauxlib.h>
#include <lualib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int luaopen_cbal_core(lua_State *L);

int host_full_traceback = 0;

static int file_exists(const char *path) { return access(path, R_OK) == 0; }

/* Prepends dir/?.lua;dir/?/init.lua to package.path (on top: package). */
static void add_lua_dir(lua_State *L, const char *dir) {
  lua_getfield(L, -1, "path");
  lua_pushfstring(L, "%s/?.lua;%s/?/init.lua;%s", dir, dir, lua_tostring(L, -1));
  lua_setfield(L, -3, "path");
  lua_pop(L, 1);
}

/* The lua/ folder of the build tree or of the installation, from the
 * executable's own location. */
static void add_own_lua_dir(lua_State *L) {
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 64);
  if (n <= 0) return;
  exe[n] = 0;
  char *slash = strrchr(exe, '/');
  if (!slash) return;
  *slash = 0; /* exe is now the executable's folder */
  const char *candidates[] = {"/../lua", "/../share/cbal/lua"};
  char dir[4200], probe[4300];
  for (int i = 1; i >= 0; i--) { /* prepend in reverse: build tree first */
    snprintf(dir, sizeof dir, "%s%s", exe, candidates[i]);
    snprintf(probe, sizeof probe, "%s/cbal/init.lua", dir);
    if (file_exists(probe)) add_lua_dir(L, dir);
  }
}

static void add_cbal_path(lua_State *L) {
  const char *env = getenv("CBAL_PATH");
  if (!env || !*env) return;
  char *copy = strdup(env), *save = NULL;
  if (!copy) return;
  /* Prepend in reverse so the first entry is searched first. */
  char *parts[64];
  int k = 0;
  for (char *p = strtok_r(copy, ":", &save); p && k < 64;
       p = strtok_r(NULL, ":", &save))
    parts[k++] = p;
  while (k-- > 0) add_lua_dir(L, parts[k]);
  free(copy);
}

lua_State *host_new(void) {
  lua_State *L = luaL_newstate();
  if (!L) return NULL;
  luaL_openlibs(L);
  lua_getglobal(L, "package");
  add_own_lua_dir(L);
  add_cbal_path(L);
  lua_getfield(L, -1, "preload");
  lua_pushcfunction(L, luaopen_cbal_core);
  lua_setfield(L, -2, "cbal.core");
  lua_pop(L, 2);
  return L;
}

/* A frame is the user's unless it is a C function or cbal's own library. */
static int user_frame(const char *line, size_t len) {
  const char *hide[] = {"[C]:", "/lua/cbal/", "(...tail calls...)", "busted",
                        "luassert"};
  for (size_t i = 0; i < sizeof hide / sizeof *hide; i++) {
    size_t k = strlen(hide[i]);
    for (size_t j = 0; j + k <= len; j++)
      if (memcmp(line + j, hide[i], k) == 0) return 0;
  }
  return 1;
}

/* The error's text (an error object's __tostring too) and the traceback. */
static int msghandler(lua_State *L) {
  const char *msg = cbL_errmsg(L, 1);
  luaL_traceback(L, L, NULL, 1);
  const char *tb = lua_tostring(L, -1);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  luaL_addstring(&b, msg);
  luaL_addstring(&b, "\n");
  /* The header line only when at least one frame follows it. */
  const char *first = strchr(tb, '\n');
  int kept = 0;
  for (const char *p = first ? first + 1 : tb + strlen(tb); *p;) {
    const char *e = strchr(p, '\n');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (host_full_traceback || user_frame(p, len)) {
      if (!kept++) luaL_addlstring(&b, tb, (size_t)(first - tb) + 1);
      luaL_addlstring(&b, p, len);
      luaL_addstring(&b, "\n");
    }
    p += len + (e ? 1 : 0);
  }
  luaL_pushresult(&b);
  return 1;
}

/* Ctrl-C during a call becomes the Lua error "interrupted!" at the next
 * Lua instruction (as in lua.c), so the script's own cleanup runs (a study
 * removes its staging folder); a second Ctrl-C kills at once. */
static lua_State *volatile interrupt_L;

static void interrupted(lua_State *L, lua_Debug *ar) {
  (void)ar;
  lua_sethook(L, NULL, 0, 0);
  lua_pushliteral(L, "interrupted!");
  lua_error(L);
}

static void on_sigint(int sig) {
  signal(sig, SIG_DFL);
  lua_sethook(interrupt_L, interrupted,
              LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

int host_pcall(lua_State *L, int narg, int nres) {
  int base = lua_gettop(L) - narg;
  lua_pushcfunction(L, msghandler);
  lua_insert(L, base);
  interrupt_L = L;
  signal(SIGINT, on_sigint);
  int status = lua_pcall(L, narg, nres, base);
  signal(SIGINT, SIG_DFL);
  lua_remove(L, base);
  if (status != LUA_OK) {
    const char *m = lua_tostring(L, -1);
    fprintf(stderr, "cbal: %s", m ? m : "(error object is not a string)");
    if (m && m[0] && m[strlen(m) - 1] != '\n') fputc('\n', stderr);
    fflush(stderr);
    lua_pop(L, 1);
  }
  return status;
}
