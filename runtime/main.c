/* cbal's command line, shaped like lua(1): cbal [options] [script [args]]. */
#include <lauxlib.h>
#include <lua.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cb.h"
#include "core/gdalx.h"
#include "host.h"

static const char *usage_text =
    "usage: cbal [options] [script [args]]\n"
    "       cbal run script [args]\n"
    "       cbal zonal -r raster -p polygons -s stat -o output [options]\n"
    "Runs a Lua 5.4 script with the cbal library (require \"cbal\"); 'cbal\n"
    "zonal' computes zonal statistics into a table (cbal zonal -h).\n"
    "Options:\n"
    "  -e stat        execute string 'stat'\n"
    "  -l mod         require library 'mod' into global 'mod' (-l g=mod: into g)\n"
    "  -i             enter interactive mode after running the script\n"
    "  -v, --version  show cbal, Lua and GDAL versions\n"
    "  -h, --help     show this help\n"
    "  --traceback    show every frame in error tracebacks\n"
    "  --             stop handling options\n"
    "  -              run standard input and stop handling options\n"
    "With no script, cbal starts a prompt on a terminal and otherwise runs\n"
    "standard input. Environment: CBAL_PATH (extra Lua module folders,\n"
    "':'-separated), LUA_PATH, LUA_CPATH, CBAL_THREADS (threads for zonal\n"
    "statistics), CBAL_QUIET (no warnings or progress bars).\n";

typedef struct {
  int script;   /* index in argv of the script, 0 when none */
  int interactive, version, has_e;
  int zonal;    /* cbal zonal ...: the rest of argv is the command's */
} cli;

static int usage_error(const char *fmt, const char *what) {
  fputs("cbal: ", stderr);
  fprintf(stderr, fmt, what);
  fputs("\n", stderr);
  fputs(usage_text, stderr);
  return 2;
}

/* Parses options; returns 0, 2 on a usage error, or -1 after --help. */
static int parse(int argc, char **argv, cli *c) {
  memset(c, 0, sizeof *c);
  int i = 1;
  if (argc > 1 && strcmp(argv[1], "zonal") == 0) {
    c->zonal = 1;
    return 0;
  }
  if (argc > 1 && strcmp(argv[1], "run") == 0) {
    if (argc < 3) return usage_error("%s", "'run' needs a script");
    c->script = 2;
    return 0;
  }
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] != '-') break;
    if (strcmp(a, "-") == 0) break;
    if (strcmp(a, "--") == 0) {
      i++;
      break;
    }
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(usage_text, stdout);
      return -1;
    }
    if (strcmp(a, "-v") == 0 || strcmp(a, "--version") == 0)
      c->version = 1;
    else if (strcmp(a, "-i") == 0)
      c->interactive = 1;
    else if (strcmp(a, "--traceback") == 0)
      host_full_traceback = 1;
    else if (strcmp(a, "-e") == 0 || strcmp(a, "-l") == 0) {
      if (i + 1 >= argc) return usage_error("'%s' needs an argument", a);
      if (a[1] == 'e') c->has_e = 1;
      i++;
    } else if ((a[1] == 'e' || a[1] == 'l') && a[2]) {
      if (a[1] == 'e') c->has_e = 1; /* -estat, -lmod */
    } else
      return usage_error("unrecognized option '%s'", a);
  }
  if (i < argc) c->script = i;
  return 0;
}

static void print_version(void) {
  cb_gdal_init();
  printf("cbal %s (%s, GDAL %s)\n", CBAL_VERSION, LUA_RELEASE,
         cb_gdal_version());
}

/* arg[0] = script, arg[1..] its arguments, negative indices before it. */
static void create_arg_table(lua_State *L, int argc, char **argv, int script) {
  int base = script ? script : argc;
  lua_createtable(L, argc - base, base + 1);
  for (int i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - base);
  }
  lua_setglobal(L, "arg");
}

static int dostring(lua_State *L, const char *s, const char *name) {
  if (luaL_loadbuffer(L, s, strlen(s), name) != LUA_OK) {
    fprintf(stderr, "cbal: %s\n", lua_tostring(L, -1));
    lua_pop(L, 1);
    return 1;
  }
  return host_pcall(L, 0, 0) != LUA_OK;
}

static int dolibrary(lua_State *L, const char *spec) {
  const char *eq = strchr(spec, '=');
  const char *mod = eq ? eq + 1 : spec;
  lua_getglobal(L, "require");
  lua_pushstring(L, mod);
  if (host_pcall(L, 1, 1) != LUA_OK) return 1;
  if (eq)
    lua_pushlstring(L, spec, (size_t)(eq - spec));
  else
    lua_pushstring(L, mod);
  lua_insert(L, -2);
  lua_setglobal(L, lua_tostring(L, -2));
  lua_pop(L, 1);
  return 0;
}

/* Runs the options -e and -l in order. */
static int run_options(lua_State *L, char **argv, int upto) {
  for (int i = 1; i < upto; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) break;
    if (a[0] != '-' || (a[1] != 'e' && a[1] != 'l')) continue;
    const char *val = a[2] ? a + 2 : argv[++i];
    int bad = a[1] == 'e' ? dostring(L, val, "=(command line)")
                          : dolibrary(L, val);
    if (bad) return 1;
  }
  return 0;
}

static int run_script(lua_State *L, int argc, char **argv, int script) {
  const char *fname = argv[script];
  if (strcmp(fname, "-") == 0) fname = NULL; /* standard input */
  if (luaL_loadfile(L, fname) != LUA_OK) {
    fprintf(stderr, "cbal: %s\n", lua_tostring(L, -1));
    lua_pop(L, 1);
    return 1;
  }
  int n = argc - script - 1;
  luaL_checkstack(L, n, "too many arguments to script");
  for (int i = script + 1; i < argc; i++) lua_pushstring(L, argv[i]);
  return host_pcall(L, n, 0) != LUA_OK;
}

/* cbal zonal ARGS: the command is Lua (lua/cbal/zonal_cli.lua), whose
 * main(args) prints its own errors and returns the exit code. */
static int run_zonal(lua_State *L, int argc, char **argv) {
  lua_getglobal(L, "require");
  lua_pushstring(L, "cbal.zonal_cli");
  if (host_pcall(L, 1, 1) != LUA_OK) return 1;
  lua_getfield(L, -1, "main");
  lua_createtable(L, argc - 2, 0);
  for (int i = 2; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - 1);
  }
  if (host_pcall(L, 1, 1) != LUA_OK) return 1;
  int ok;
  lua_Integer rc = lua_tointegerx(L, -1, &ok);
  return ok && rc >= 0 && rc < 256 ? (int)rc : 1;
}

/* Prints the values left on the stack above base, like lua(1)'s prompt. */
static void print_results(lua_State *L, int base) {
  int n = lua_gettop(L) - base;
  if (n <= 0) return;
  lua_getglobal(L, "print");
  lua_insert(L, base + 1);
  host_pcall(L, n, 0);
}

static int incomplete(lua_State *L, int status) {
  if (status != LUA_ERRSYNTAX) return 0;
  size_t len;
  const char *msg = lua_tolstring(L, -1, &len);
  return len >= 5 && strcmp(msg + len - 5, "<eof>") == 0;
}

/* Loads code as an expression (so `1+1` prints 2), else as statements. */
static int load_line(lua_State *L, const char *code) {
  lua_pushfstring(L, "return %s;", code);
  int status = luaL_loadbuffer(L, lua_tostring(L, -1), lua_rawlen(L, -1), "=stdin");
  lua_remove(L, -2);
  if (status == LUA_OK) return status;
  lua_pop(L, 1);
  return luaL_loadbuffer(L, code, strlen(code), "=stdin");
}

static void repl(lua_State *L) {
  char line[4096];
  int tty = isatty(STDIN_FILENO);
  size_t cap = 0, len = 0;
  char *code = NULL;
  for (;;) {
    if (tty) {
      fputs(len ? ">> " : "> ", stdout);
      fflush(stdout);
    }
    if (!fgets(line, sizeof line, stdin)) break;
    size_t ll = strlen(line);
    if (len + ll + 2 > cap) {
      cap = 2 * (len + ll + 2);
      char *grown = realloc(code, cap);
      if (!grown) break;
      code = grown;
    }
    memcpy(code + len, line, ll + 1);
    len += ll;
    int base = lua_gettop(L);
    int status = load_line(L, code);
    if (incomplete(L, status)) {
      lua_pop(L, 1);
      continue; /* keep reading lines into the same chunk */
    }
    len = 0;
    if (status == LUA_OK) {
      if (host_pcall(L, 0, LUA_MULTRET) == LUA_OK) print_results(L, base);
    } else {
      fprintf(stderr, "cbal: %s\n", lua_tostring(L, -1));
    }
    lua_settop(L, base);
  }
  if (tty) fputs("\n", stdout);
  free(code);
}

int main(int argc, char **argv) {
  cli c;
  int pr = parse(argc, argv, &c);
  if (pr == -1) return 0;
  if (pr) return pr;
  if (c.version) print_version();
  lua_State *L = host_new();
  if (!L) {
    fputs("cbal: cannot create Lua state: not enough memory\n", stderr);
    return 1;
  }
  if (c.zonal) {
    create_arg_table(L, argc, argv, 1);
    int rc = run_zonal(L, argc, argv);
    lua_close(L);
    return rc;
  }
  create_arg_table(L, argc, argv, c.script);
  int bad = run_options(L, argv, c.script ? c.script : argc);
  if (!bad && c.script) bad = run_script(L, argc, argv, c.script);
  if (!bad) {
    if (c.interactive)
      repl(L);
    else if (!c.script && !c.has_e && !c.version) {
      if (isatty(STDIN_FILENO)) {
        print_version();
        repl(L);
      } else {
        bad = luaL_loadfile(L, NULL) != LUA_OK
                  ? (fprintf(stderr, "cbal: %s\n", lua_tostring(L, -1)), 1)
                  : host_pcall(L, 0, 0) != LUA_OK;
      }
    }
  }
  lua_close(L);
  return bad ? 1 : 0;
}
