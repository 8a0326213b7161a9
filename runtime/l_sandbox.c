/* cbal.Sandbox: runs untrusted Lua text (zoning criteria) in a separate
 * lua_State with a capped allocator, an allow-list environment, and an
 * instruction budget and CPU-time limit that the script's pcall cannot
 * swallow. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lualib.h>

#include "l_util.h"

#define SANDBOX "cbal.Sandbox"
#define SANDBOX_FN "cbal.SandboxFunction"
#define MAX_DEPTH 64
#define HOOK_EVERY 1000
/* The largest single block (string, table part): bounds the work one VM
 * instruction can do (a concatenation or comparison of long strings), so
 * the time limit is checked often enough. */
#define MAX_BLOCK ((size_t)4 << 20)

typedef struct sandbox {
  lua_State *S;          /* NULL once closed */
  size_t mem_used, mem_cap;
  long long budget, used; /* instructions (in steps of HOOK_EVERY) */
  double seconds, spent;  /* CPU-time limit and time used in the sandbox */
  double entered;         /* thread CPU time when the current run began */
  size_t big;             /* size of a refused over-MAX_BLOCK request */
  int exceeded;          /* 1 budget, 2 time spent: every later hook raises */
  int line;              /* last line executed, for memory errors */
  char name[256];        /* chunk name shown in messages */
} sandbox;

/* ---- allocator and hook (sandbox side) ---- */

static void *capped_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  sandbox *sb = ud;
  size_t old = ptr ? osize : 0;
  if (nsize == 0) {
    free(ptr);
    sb->mem_used -= old;
    return NULL;
  }
  if (nsize > old && nsize > MAX_BLOCK) {
    sb->big = nsize;
    return NULL;
  }
  if (nsize > old && sb->mem_used + (nsize - old) > sb->mem_cap) return NULL;
  void *p = realloc(ptr, nsize);
  if (p) sb->mem_used = sb->mem_used - old + nsize;
  return p;
}

static sandbox *owner(lua_State *S) { return *(sandbox **)lua_getextraspace(S); }

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
  sandbox *sb = owner(S);
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

/* Protected: gives every function reachable from the values at 1..top an
 * integer id in registry "cbal.fns" (function -> id and id -> function). */
static void register_fns(lua_State *S, int idx, int seen, int fns, int depth) {
  luaL_checkstack(S, 6, "values nested too deeply");
  idx = lua_absindex(S, idx);
  int t = lua_type(S, idx);
  if (t == LUA_TFUNCTION) {
    lua_pushvalue(S, idx);
    if (lua_rawget(S, fns) == LUA_TNIL) {
      lua_Integer id = (lua_Integer)lua_rawlen(S, fns) + 1;
      lua_pushvalue(S, idx);
      lua_rawseti(S, fns, id);
      lua_pushvalue(S, idx);
      lua_pushinteger(S, id);
      lua_rawset(S, fns);
    }
    lua_pop(S, 1);
    return;
  }
  if (t != LUA_TTABLE) return;
  if (depth > MAX_DEPTH) luaL_error(S, "values nested deeper than %d", MAX_DEPTH);
  lua_pushvalue(S, idx);
  if (lua_rawget(S, seen) != LUA_TNIL) {
    lua_pop(S, 1);
    return;
  }
  lua_pop(S, 1);
  lua_pushvalue(S, idx);
  lua_pushboolean(S, 1);
  lua_rawset(S, seen);
  lua_pushnil(S);
  while (lua_next(S, idx)) {
    register_fns(S, -1, seen, fns, depth + 1);
    register_fns(S, -2, seen, fns, depth + 1);
    lua_pop(S, 1);
  }
}

static int p_register(lua_State *S) {
  int top = lua_gettop(S);
  lua_newtable(S);
  lua_getfield(S, LUA_REGISTRYINDEX, "cbal.fns");
  for (int i = 1; i <= top; i++) register_fns(S, i, top + 1, top + 2, 0);
  lua_settop(S, top);
  return top;
}

/* ---- crossing between states ---- */

static sandbox *checksb(lua_State *L, int idx) {
  sandbox *sb = luaL_checkudata(L, idx, SANDBOX);
  if (!sb->S) luaL_error(L, "attempt to use a closed sandbox");
  return sb;
}

/* Copies the sandbox value at sidx into L (no code runs in the sandbox and
 * nothing is allocated there). `seen` (in L) maps sandbox tables to their
 * copies; functions become cbal.SandboxFunction values tied to the sandbox
 * userdata at sbidx. Raises in L on an unsupported value. */
static void copy_out(sandbox *sb, int sidx, lua_State *L, int seen, int sbidx,
                     int depth) {
  lua_State *S = sb->S;
  if (!lua_checkstack(S, 4)) luaL_error(L, "%s: values nested too deeply", sb->name);
  luaL_checkstack(L, 6, "values nested too deeply");
  sidx = lua_absindex(S, sidx);
  switch (lua_type(S, sidx)) {
  case LUA_TNIL: lua_pushnil(L); return;
  case LUA_TBOOLEAN: lua_pushboolean(L, lua_toboolean(S, sidx)); return;
  case LUA_TNUMBER:
    if (lua_isinteger(S, sidx))
      lua_pushinteger(L, lua_tointeger(S, sidx));
    else
      lua_pushnumber(L, lua_tonumber(S, sidx));
    return;
  case LUA_TSTRING: {
    size_t n;
    const char *s = lua_tolstring(S, sidx, &n);
    lua_pushlstring(L, s, n);
    return;
  }
  case LUA_TFUNCTION: {
    lua_getfield(S, LUA_REGISTRYINDEX, "cbal.fns");
    lua_pushvalue(S, sidx);
    lua_rawget(S, -2);
    lua_Integer id = lua_tointeger(S, -1);
    lua_pop(S, 2);
    lua_Integer *f = lua_newuserdatauv(L, sizeof *f, 1);
    *f = id;
    lua_pushvalue(L, sbidx);
    lua_setiuservalue(L, -2, 1);
    luaL_setmetatable(L, SANDBOX_FN);
    return;
  }
  case LUA_TTABLE: break;
  default:
    luaL_error(L, "%s: a %s value cannot leave the sandbox (return numbers, "
               "strings, booleans, tables and functions)",
               sb->name, lua_typename(S, lua_type(S, sidx)));
  }
  if (depth > MAX_DEPTH)
    luaL_error(L, "%s: values nested deeper than %d", sb->name, MAX_DEPTH);
  lua_pushlightuserdata(L, (void *)lua_topointer(S, sidx));
  if (lua_rawget(L, seen) != LUA_TNIL) return;
  lua_pop(L, 1);
  lua_newtable(L);
  lua_pushlightuserdata(L, (void *)lua_topointer(S, sidx));
  lua_pushvalue(L, -2);
  lua_rawset(L, seen);
  int dst = lua_gettop(L);
  lua_pushnil(S);
  while (lua_next(S, sidx)) {
    int kt = lua_type(S, -2);
    if (kt != LUA_TNUMBER && kt != LUA_TSTRING && kt != LUA_TBOOLEAN)
      luaL_error(L, "%s: table keys must be numbers, strings or booleans, "
                 "got a %s", sb->name, lua_typename(S, kt));
    copy_out(sb, -2, L, seen, sbidx, depth + 1);
    copy_out(sb, -1, L, seen, sbidx, depth + 1);
    lua_rawset(L, dst);
    lua_pop(S, 1);
  }
}

/* Pushes (in L) the sandbox values base+1..top, then clears them. */
static int results_out(lua_State *L, sandbox *sb, int sbidx, int base) {
  int n = lua_gettop(sb->S) - base;
  luaL_checkstack(L, n + 2, "too many results");
  lua_newtable(L);
  int seen = lua_gettop(L);
  for (int i = 1; i <= n; i++) copy_out(sb, base + i, L, seen, sbidx, 0);
  lua_remove(L, seen);
  lua_settop(sb->S, base);
  return n;
}

/* Raises in L with the sandbox's error (status from a pcall in S). */
static int raise_from(lua_State *L, sandbox *sb, int status, int base) {
  char msg[1024];
  if (status == LUA_ERRMEM && sb->big) {
    snprintf(msg, sizeof msg, "%s: a single string or table of %zu bytes "
             "exceeds the sandbox's %zu-byte block limit (near line %d)",
             sb->name, sb->big, MAX_BLOCK, sb->line);
  } else if (status == LUA_ERRMEM) {
    snprintf(msg, sizeof msg, "%s: memory limit of %zu bytes exceeded (near "
             "line %d; raise the sandbox 'memory' if the work is real)",
             sb->name, sb->mem_cap, sb->line);
  } else if (lua_type(sb->S, -1) == LUA_TSTRING) {
    snprintf(msg, sizeof msg, "%s", lua_tostring(sb->S, -1));
  } else {
    snprintf(msg, sizeof msg, "%s: error object is a %s value", sb->name,
             luaL_typename(sb->S, -1));
  }
  lua_settop(sb->S, base);
  return luaL_error(L, "%s", msg);
}

/* Runs f in protected mode in the sandbox with `n` values already pushed
 * above it, then registers the functions among its results. */
static int run(lua_State *L, sandbox *sb, int sbidx, int base, int nargs) {
  lua_State *S = sb->S;
  sb->big = 0;
  sb->entered = cpu_now();
  int status = lua_pcall(S, nargs, LUA_MULTRET, 0);
  sb->spent += cpu_now() - sb->entered;
  sb->entered = cpu_now(); /* no time is counted outside runs */
  if (status != LUA_OK) return raise_from(L, sb, status, base);
  if (!lua_checkstack(S, 2)) {
    lua_settop(S, base);
    return luaL_error(L, "%s: too many results", sb->name);
  }
  lua_pushcfunction(S, p_register);
  lua_insert(S, base + 1);
  status = lua_pcall(S, lua_gettop(S) - base - 1, LUA_MULTRET, 0);
  if (status != LUA_OK) return raise_from(L, sb, status, base);
  return results_out(L, sb, sbidx, base);
}

/* ---- cbal.Sandbox ---- */

static void sb_close(sandbox *sb) {
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
  sandbox *sb = lua_newuserdatauv(L, sizeof *sb, 0);
  memset(sb, 0, sizeof *sb);
  luaL_setmetatable(L, SANDBOX);
  sb->mem_cap = (size_t)mem;
  sb->budget = (long long)budget;
  sb->seconds = seconds;
  snprintf(sb->name, sizeof sb->name, "sandbox");
  sb->S = lua_newstate(capped_alloc, sb);
  if (!sb->S) return luaL_error(L, "cbal.sandbox: cannot create a Lua state");
  *(sandbox **)lua_getextraspace(sb->S) = sb;
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
static int exec(lua_State *L, sandbox *sb, const char *src, size_t len,
                const char *name) {
  lua_State *S = sb->S;
  int base = lua_gettop(S);
  snprintf(sb->name, sizeof sb->name, "%s", name);
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
  sandbox *sb = checksb(L, 1);
  size_t len;
  const char *src = luaL_checklstring(L, 2, &len);
  const char *name = luaL_optstring(L, 3, "criteria");
  lua_settop(L, 3);
  return exec(L, sb, src, len, name);
}

/* sb:dofile(path): as dostring with the file's text; messages name path. */
static int m_dofile(lua_State *L) {
  sandbox *sb = checksb(L, 1);
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
  sandbox *sb = checksb(L, 1);
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
  sandbox *sb = luaL_checkudata(L, 1, SANDBOX);
  lua_pushfstring(L, "cbal.Sandbox (%s%s)", sb->name, sb->S ? "" : ", closed");
  return 1;
}

/* ---- cbal.SandboxFunction: a function living in the sandbox ---- */

typedef struct {
  lua_State *L;
  int first, n;
  const void *array_mt; /* cbal.Array's metatable in L */
} call_args;

/* The cbal.Array at idx in L (read without allocating), or NULL. */
static cbL_array *host_array(lua_State *L, int idx, const void *mt) {
  if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx))
    return NULL;
  int is = lua_topointer(L, -1) == mt;
  lua_pop(L, 1);
  return is ? lua_touserdata(L, idx) : NULL;
}

/* Protected (sandbox side): pushes copies of host values; only reads L. */
static void copy_in(lua_State *S, lua_State *L, int idx, int depth,
                    const void *mt) {
  luaL_checkstack(S, 4, "values nested too deeply");
  if (!lua_checkstack(L, 3)) luaL_error(S, "arguments nested too deeply");
  cbL_array *arr = host_array(L, idx, mt);
  if (arr) {
    lua_createtable(S, (int)arr->n, 0);
    for (size_t k = 0; k < arr->n; k++) {
      lua_pushnumber(S, arr->v[k]);
      lua_rawseti(S, -2, (lua_Integer)k + 1);
    }
    return;
  }
  switch (lua_type(L, idx)) {
  case LUA_TNIL: lua_pushnil(S); return;
  case LUA_TBOOLEAN: lua_pushboolean(S, lua_toboolean(L, idx)); return;
  case LUA_TNUMBER:
    if (lua_isinteger(L, idx))
      lua_pushinteger(S, lua_tointeger(L, idx));
    else
      lua_pushnumber(S, lua_tonumber(L, idx));
    return;
  case LUA_TSTRING: {
    size_t n;
    const char *s = lua_tolstring(L, idx, &n);
    lua_pushlstring(S, s, n);
    return;
  }
  case LUA_TTABLE: break;
  default:
    luaL_error(S, "a %s value cannot enter the sandbox (pass numbers, "
               "strings, booleans and tables of them)", luaL_typename(L, idx));
  }
  if (depth > 16) luaL_error(S, "arguments nested deeper than 16 (a cycle?)");
  idx = lua_absindex(L, idx);
  lua_newtable(S);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    copy_in(S, L, -2, depth + 1, mt);
    copy_in(S, L, -1, depth + 1, mt);
    lua_rawset(S, -3);
    lua_pop(L, 1);
  }
}

static int p_args(lua_State *S) {
  call_args *a = lua_touserdata(S, 1);
  lua_pop(S, 1);
  for (int i = 0; i < a->n; i++) copy_in(S, a->L, a->first + i, 0, a->array_mt);
  return a->n;
}

/* f(...): calls the sandboxed function with copies of the arguments (cbal
 * arrays, at any depth, become plain number tables) under the sandbox's
 * budget. */
static int fn_call(lua_State *L) {
  lua_Integer id = *(lua_Integer *)luaL_checkudata(L, 1, SANDBOX_FN);
  lua_getiuservalue(L, 1, 1);
  sandbox *sb = checksb(L, -1);
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
  call_args a = {L, 2, nargs, mt};
  lua_pushcfunction(S, p_args);
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
