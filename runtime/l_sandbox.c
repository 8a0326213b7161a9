/* cbal.Sandbox: runs untrusted Lua text (zoning criteria) in a separate
 * lua_State with a capped allocator, an allow-list environment, and an
 * instruction budget and CPU-time limit that the script's pcall cannot swallow. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lualib.h>

#include "l_sandbox.h"

#define HOOK_EVERY 1000
/* The largest single block (string, table part): bounds the work one VM
 * instruction can do (a concatenation or comparison of long strings), so
 * the time limit is checked often enough. */
#define MAX_BLOCK ((size_t)4 << 20)

/* Calls nested this deep when memory runs out mean endless recursion: the
 * Lua stack itself outgrew the limits, and the message says so. */
#define DEEP_CALLS 10000

/* ---- allocator and hook (sandbox side) ---- */

/* Before refusing memory: whether calls are nested DEEP_CALLS deep.
 * lua_getstack only walks the call list (no allocation), so it is safe
 * inside the allocator; S is NULL while lua_newstate runs. */
static void *refuse(cbL_sandbox *sb) {
  lua_Debug ar;
  sb->deep = sb->S && lua_getstack(sb->S, DEEP_CALLS, &ar);
  return NULL;
}

static void *capped_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  cbL_sandbox *sb = ud;
  size_t old = ptr ? osize : 0;
  if (nsize == 0) {
    free(ptr);
    sb->mem_used -= old;
    return NULL;
  }
  if (nsize > old && nsize > MAX_BLOCK) {
    sb->big = nsize;
    return refuse(sb);
  }
  if (nsize > old && sb->mem_used + (nsize - old) > sb->mem_cap)
    return refuse(sb);
  void *p = realloc(ptr, nsize);
  if (p) sb->mem_used = sb->mem_used - old + nsize;
  return p;
}

static cbL_sandbox *owner(lua_State *S) {
  return *(cbL_sandbox **)lua_getextraspace(S);
}

/* CPU time of this thread in seconds (other threads' work is not ours). */
static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Counts instructions and CPU time; once either is over its limit it
 * switches to a line+count hook of 1 and raises on every call, so a pcall
 * in the script only delays the error by one instruction. */
static void budget_hook(lua_State *S, lua_Debug *ar) {
  cbL_sandbox *sb = owner(S);
  if (ar->event == LUA_HOOKLINE) sb->line = ar->currentline;
  if (ar->event == LUA_HOOKCOUNT && !sb->exceeded) {
    sb->used += HOOK_EVERY;
    if (sb->used > sb->budget)
      sb->exceeded = 1;
    else if (sb->spent + (cpu_now() - sb->entered) > sb->seconds)
      sb->exceeded = 2;
    if (sb->exceeded)
      lua_sethook(S, budget_hook, LUA_MASKLINE | LUA_MASKCOUNT, 1);
  }
  if (!sb->exceeded) return;
  int line = sb->line;
  if (lua_getinfo(S, "l", ar) && ar->currentline > 0) line = ar->currentline;
  if (sb->exceeded == 1)
    lua_pushfstring(S, "%s:%d: instruction budget of %I exceeded (an endless "
                    "loop? raise the sandbox 'budget' if the work is real)",
                    sb->name, line, (lua_Integer)sb->budget);
  else
    lua_pushfstring(S, "%s:%d: time limit of %f s exceeded (an endless loop? "
                    "raise the sandbox 'seconds' if the work is real)",
                    sb->name, line, (lua_Number)sb->seconds);
  lua_error(S);
}

/* ---- the environment (sandbox side) ---- */

static const char *const base_allowed[] = {
    "assert", "error",    "ipairs",   "next",     "pairs",
    "pcall",  "select",   "tonumber", "tostring",
    "type",   "rawequal", "rawlen",   "getmetatable", "_VERSION", NULL};

static const char *const denied[] = {
    "io",      "os",    "require", "load",    "loadfile", "dofile",
    "debug",   "package", "collectgarbage", "setmetatable", "rawset",
    "rawget",  "coroutine", "print", "loadstring", "module",
    /* a message handler runs with hooks off after a hook error, so it
     * could loop forever: no xpcall */
    "xpcall", NULL};

static int is_denied(const char *k) {
  for (int i = 0; denied[i]; i++)
    if (strcmp(k, denied[i]) == 0) return 1;
  return 0;
}

static int env_index(lua_State *S) {
  const char *k = lua_tostring(S, 2);
  if (k && is_denied(k))
    return luaL_error(S, "'%s' is not available in a sandboxed file (no "
                      "files, os, modules, load or debug)", k);
  return luaL_error(S, "unknown global '%s' (declare helpers with 'local')",
                    k ? k : luaL_typename(S, 2));
}

static int env_newindex(lua_State *S) {
  const char *k = lua_tostring(S, 2);
  return luaL_error(S, "cannot set global '%s' in a sandboxed file (use "
                    "'local', and return the result)",
                    k ? k : luaL_typename(S, 2));
}

static int no_dump(lua_State *S) {
  return luaL_error(S, "'string.dump' is not available in a sandboxed file");
}

/* Lua patterns can backtrack for hours inside one C call, where no hook
 * runs: match, gmatch and gsub are refused, find works on plain text. */
static int no_pattern(lua_State *S) {
  return luaL_error(S, "'string.%s' is not available in a sandboxed file "
                    "(patterns can run without bound; use string.find with "
                    "plain = true)", lua_tostring(S, lua_upvalueindex(1)));
}

static int plain_find(lua_State *S) {
  const char *p = luaL_checkstring(S, 2);
  if (!lua_toboolean(S, 4) && strpbrk(p, "^$*+?.([%-"))
    return luaL_error(S, "string.find with a pattern is not available in a "
                      "sandboxed file (patterns can run without bound); pass "
                      "plain = true as the 4th argument");
  lua_pushvalue(S, lua_upvalueindex(1));
  lua_insert(S, 1);
  lua_call(S, lua_gettop(S) - 1, LUA_MULTRET);
  return lua_gettop(S);
}

/* Protected: opens the safe libraries and builds the environment, kept in
 * the registry as "cbal.env", with the function table "cbal.fns". */
static int p_init(lua_State *S) {
  luaL_requiref(S, LUA_GNAME, luaopen_base, 0);
  luaL_requiref(S, LUA_STRLIBNAME, luaopen_string, 0);
  lua_pushcfunction(S, no_dump); /* the string metatable sees this too */
  lua_setfield(S, -2, "dump");
  const char *pat[] = {"match", "gmatch", "gsub", NULL};
  for (int i = 0; pat[i]; i++) {
    lua_pushstring(S, pat[i]);
    lua_pushcclosure(S, no_pattern, 1);
    lua_setfield(S, -2, pat[i]);
  }
  lua_getfield(S, -1, "find");
  lua_pushcclosure(S, plain_find, 1);
  lua_setfield(S, -2, "find");
  luaL_requiref(S, LUA_TABLIBNAME, luaopen_table, 0);
  luaL_requiref(S, LUA_MATHLIBNAME, luaopen_math, 0);
  lua_newtable(S); /* env */
  for (int i = 0; base_allowed[i]; i++) {
    lua_getfield(S, -5, base_allowed[i]);
    lua_setfield(S, -2, base_allowed[i]);
  }
  lua_pushvalue(S, -4);
  lua_setfield(S, -2, "string");
  lua_pushvalue(S, -3);
  lua_setfield(S, -2, "table");
  lua_pushvalue(S, -2);
  lua_setfield(S, -2, "math");
  lua_getfield(S, -3, "unpack");
  lua_setfield(S, -2, "unpack");
  lua_newtable(S); /* env's metatable */
  lua_pushcfunction(S, env_index);
  lua_setfield(S, -2, "__index");
  lua_pushcfunction(S, env_newindex);
  lua_setfield(S, -2, "__newindex");
  lua_pushboolean(S, 0);
  lua_setfield(S, -2, "__metatable");
  lua_setmetatable(S, -2);
  lua_setfield(S, LUA_REGISTRYINDEX, "cbal.env");
  lua_newtable(S);
  lua_setfield(S, LUA_REGISTRYINDEX, "cbal.fns");
  /* Strip the loaders from the real globals too: nothing should reach them. */
  const char *drop[] = {"load", "loadfile", "dofile", "collectgarbage",
                        "require", "print", NULL};
  for (int i = 0; drop[i]; i++) {
    lua_pushnil(S);
    lua_setfield(S, -5, drop[i]); /* -5: the real globals table */
  }
  return 0;
}

/* ---- running code in the sandbox ---- */

static cbL_sandbox *checksb(lua_State *L, int idx) {
  cbL_sandbox *sb = luaL_checkudata(L, idx, SANDBOX);
  if (!sb->S) luaL_error(L, "attempt to use a closed sandbox");
  return sb;
}

/* Raises in L with the sandbox's error (status from a pcall in S). */
static int raise_from(lua_State *L, cbL_sandbox *sb, int status, int base) {
  char msg[1024];
  if (status == LUA_ERRMEM && sb->deep) {
    snprintf(msg, sizeof msg, "%s: stack overflow (calls nested deeper than "
             "%d; a function that calls itself without end?) near line %d",
             sb->name, DEEP_CALLS, sb->line);
  } else if (status == LUA_ERRMEM && sb->big) {
    snprintf(msg, sizeof msg, "%s: a single string or table of %zu bytes "
             "exceeds the sandbox's %zu-byte block limit (near line %d)",
             sb->name, sb->big, MAX_BLOCK, sb->line);
  } else if (status == LUA_ERRMEM) {
    snprintf(msg, sizeof msg, "%s: memory limit of %zu bytes exceeded (near "
             "line %d; raise the sandbox 'memory' if the work is real)",
             sb->name, sb->mem_cap, sb->line);
  } else if (lua_type(sb->S, -1) == LUA_TSTRING) {
    snprintf(msg, sizeof msg, "%s", lua_tostring(sb->S, -1));
  } else if (lua_type(sb->S, -1) == LUA_TNUMBER) { /* no conversion in S */
    snprintf(msg, sizeof msg, "%s: error %.14g", sb->name,
             (double)lua_tonumber(sb->S, -1));
  } else {
    snprintf(msg, sizeof msg, "%s: error object is a %s value", sb->name,
             luaL_typename(sb->S, -1));
  }
  lua_settop(sb->S, base);
  return luaL_error(L, "%s", msg);
}

/* Runs f in protected mode in the sandbox with `n` values already pushed
 * above it, then registers the functions among its results. */
static int run(lua_State *L, cbL_sandbox *sb, int sbidx, int base, int nargs) {
  lua_State *S = sb->S;
  sb->big = 0, sb->deep = 0;
  sb->entered = cpu_now();
  int status = lua_pcall(S, nargs, LUA_MULTRET, 0);
  sb->spent += cpu_now() - sb->entered;
  sb->entered = cpu_now(); /* no time is counted outside runs */
  if (status != LUA_OK) return raise_from(L, sb, status, base);
  if (!lua_checkstack(S, 2)) {
    lua_settop(S, base);
    return luaL_error(L, "%s: too many results", sb->name);
  }
  lua_pushcfunction(S, cbL_sandbox_register);
  lua_insert(S, base + 1);
  status = lua_pcall(S, lua_gettop(S) - base - 1, LUA_MULTRET, 0);
  if (status != LUA_OK) return raise_from(L, sb, status, base);
  return cbL_sandbox_results(L, sb, sbidx, base);
}

/* ---- cbal.Sandbox ---- */

static void sb_close(cbL_sandbox *sb) {
  if (sb->S) lua_close(sb->S);
  sb->S = NULL;
}

static int m_close(lua_State *L) {
  sb_close(luaL_checkudata(L, 1, SANDBOX));
  return 0;
}

/* cbal.sandbox([{memory = bytes, budget = instructions, seconds = CPU
 * seconds}]) */
static int l_sandbox(lua_State *L) {
  static const char *const opts[] = {"memory", "budget", "seconds", NULL};
  cbL_checkopts(L, 1, "cbal.sandbox", opts);
  double mem = cbL_optnumfield(L, 1, "memory", 32.0 * 1024 * 1024);
  double budget = cbL_optnumfield(L, 1, "budget", 5e7);
  double seconds = cbL_optnumfield(L, 1, "seconds", 10);
  luaL_argcheck(L, seconds > 0 && seconds <= 1e6, 1,
                "option 'seconds' must be between 0 and 1e6");
  luaL_argcheck(L, mem >= 64 * 1024 && mem <= 1e12, 1,
                "option 'memory' must be between 65536 and 1e12 bytes");
  luaL_argcheck(L, budget >= HOOK_EVERY && budget <= 1e15, 1,
                "option 'budget' must be between 1000 and 1e15 instructions");
  cbL_sandbox *sb = lua_newuserdatauv(L, sizeof *sb, 0);
  memset(sb, 0, sizeof *sb);
  luaL_setmetatable(L, SANDBOX);
  sb->mem_cap = (size_t)mem;
  sb->budget = (long long)budget;
  sb->seconds = seconds;
  snprintf(sb->name, sizeof sb->name, "sandbox");
  sb->S = lua_newstate(capped_alloc, sb);
  if (!sb->S) return luaL_error(L, "cbal.sandbox: cannot create a Lua state");
  *(cbL_sandbox **)lua_getextraspace(sb->S) = sb;
  lua_pushcfunction(sb->S, p_init);
  int status = lua_pcall(sb->S, 0, 0, 0);
  if (status != LUA_OK) {
    sb_close(sb);
    return luaL_error(L, "cbal.sandbox: cannot set up (memory limit too low?)");
  }
  lua_sethook(sb->S, budget_hook, LUA_MASKCOUNT | LUA_MASKLINE, HOOK_EVERY);
  return 1;
}

/* Loads text chunk `src` named `name` and runs it with the environment. */
static int exec(lua_State *L, cbL_sandbox *sb, const char *src, size_t len,
                const char *name) {
  lua_State *S = sb->S;
  int base = lua_gettop(S);
  snprintf(sb->name, sizeof sb->name, "%s", name);
  sb->big = 0, sb->deep = 0;
  char chunk[300];
  snprintf(chunk, sizeof chunk, "@%s", name);
  int status = luaL_loadbufferx(S, src, len, chunk, "t");
  if (status != LUA_OK) return raise_from(L, sb, status, base);
  lua_getfield(S, LUA_REGISTRYINDEX, "cbal.env");
  lua_setupvalue(S, -2, 1);
  return run(L, sb, 1, base, 0);
}

/* sb:dostring(text [, name]): runs Lua text (never bytecode); returns its
 * results copied out (functions stay inside and are called through
 * cbal.SandboxFunction values). */
static int m_dostring(lua_State *L) {
  cbL_sandbox *sb = checksb(L, 1);
  size_t len;
  const char *src = luaL_checklstring(L, 2, &len);
  const char *name = luaL_optstring(L, 3, "criteria");
  lua_settop(L, 3);
  return exec(L, sb, src, len, name);
}

/* sb:dofile(path): as dostring with the file's text; messages name path. */
static int m_dofile(lua_State *L) {
  cbL_sandbox *sb = checksb(L, 1);
  const char *path = luaL_checkstring(L, 2);
  lua_settop(L, 2);
  FILE *f = fopen(path, "rb");
  if (!f)
    return luaL_error(L, "cannot open criteria file '%s': %s", path,
                      strerror(errno));
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  size_t total = 0, got;
  char *p;
  do {
    p = luaL_prepbuffer(&b);
    got = fread(p, 1, LUAL_BUFFERSIZE, f);
    luaL_addsize(&b, got);
    total += got;
  } while (got == LUAL_BUFFERSIZE && total <= sb->mem_cap);
  int bad = ferror(f);
  fclose(f);
  if (bad) return luaL_error(L, "cannot read criteria file '%s'", path);
  if (total > sb->mem_cap)
    return luaL_error(L, "criteria file '%s' is larger than the sandbox "
                      "memory limit (%zu bytes)", path, sb->mem_cap);
  luaL_pushresult(&b);
  size_t len;
  const char *src = lua_tolstring(L, -1, &len);
  return exec(L, sb, src, len, path);
}

/* sb:stats() -> {memory = bytes in use, memory_limit, instructions (used,
 * to the nearest 1000), budget, seconds (CPU time used), seconds_limit} */
static int m_stats(lua_State *L) {
  cbL_sandbox *sb = checksb(L, 1);
  lua_createtable(L, 0, 6);
  lua_pushinteger(L, (lua_Integer)sb->mem_used);
  lua_setfield(L, -2, "memory");
  lua_pushinteger(L, (lua_Integer)sb->mem_cap);
  lua_setfield(L, -2, "memory_limit");
  lua_pushinteger(L, (lua_Integer)sb->used);
  lua_setfield(L, -2, "instructions");
  lua_pushinteger(L, (lua_Integer)sb->budget);
  lua_setfield(L, -2, "budget");
  lua_pushnumber(L, sb->spent);
  lua_setfield(L, -2, "seconds");
  lua_pushnumber(L, sb->seconds);
  lua_setfield(L, -2, "seconds_limit");
  return 1;
}

static int m_tostring(lua_State *L) {
  cbL_sandbox *sb = luaL_checkudata(L, 1, SANDBOX);
  lua_pushfstring(L, "cbal.Sandbox (%s%s)", sb->name, sb->S ? "" : ", closed");
  return 1;
}

/* ---- cbal.SandboxFunction: a function living in the sandbox ---- */

/* f(...): calls the sandboxed function with copies of the arguments (cbal
 * arrays, at any depth, become plain number tables) under the sandbox's
 * budget. */
static int fn_call(lua_State *L) {
  lua_Integer id = *(lua_Integer *)luaL_checkudata(L, 1, SANDBOX_FN);
  lua_getiuservalue(L, 1, 1);
  cbL_sandbox *sb = checksb(L, -1);
  lua_replace(L, 1); /* slot 1: the sandbox userdata */
  int nargs = lua_gettop(L) - 1;
  luaL_getmetatable(L, CBAL_ARRAY);
  const void *mt = lua_topointer(L, -1);
  lua_pop(L, 1); /* the registry keeps it alive */
  lua_State *S = sb->S;
  int base = lua_gettop(S);
  if (!lua_checkstack(S, 4)) return luaL_error(L, "%s: sandbox stack full", sb->name);
  lua_getfield(S, LUA_REGISTRYINDEX, "cbal.fns"); /* no allocation */
  lua_rawgeti(S, -1, id);
  lua_remove(S, -2);
  cbL_sandbox_args a = {L, 2, nargs, mt};
  lua_pushcfunction(S, cbL_sandbox_push_args);
  lua_pushlightuserdata(S, &a);
  int status = lua_pcall(S, 1, nargs, 0);
  if (status != LUA_OK) return raise_from(L, sb, status, base);
  return run(L, sb, 1, base, nargs);
}

static int fn_tostring(lua_State *L) {
  luaL_checkudata(L, 1, SANDBOX_FN);
  lua_pushstring(L, "cbal.SandboxFunction");
  return 1;
}

static const luaL_Reg sb_methods[] = {
    {"dostring", m_dostring}, {"dofile", m_dofile}, {"stats", m_stats},
    {"close", m_close},       {NULL, NULL}};
static const luaL_Reg sb_meta[] = {
    {"__gc", m_close}, {"__close", m_close}, {"__tostring", m_tostring},
    {NULL, NULL}};
static const luaL_Reg fn_meta[] = {
    {"__call", fn_call}, {"__tostring", fn_tostring}, {NULL, NULL}};
static const luaL_Reg funcs[] = {{"sandbox", l_sandbox}, {NULL, NULL}};

void cbL_open_sandbox(lua_State *L) {
  cbL_newtype(L, SANDBOX, sb_methods, sb_meta);
  cbL_newtype(L, SANDBOX_FN, NULL, fn_meta);
  luaL_setfuncs(L, funcs, 0);
}
