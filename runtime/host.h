/* The embedding host: a Lua state with cbal's module paths and native
 * module, protected calls with filtered tracebacks. */
#ifndef HOST_H
#define HOST_H

#include <lua.h>

/* Creates a state with the standard libraries, package.preload["cbal.core"]
 * and package.path extended with CBAL_PATH, the build tree's lua/ (when run
 * from build/) and the installed share/cbal/lua/. Returns NULL on out of
 * memory. */
lua_State *host_new(void);

/* Set to show every frame in tracebacks (--traceback); by default frames of
 * C functions and of cbal's own Lua library are left out. */
extern int host_full_traceback;

/* Calls the function below narg arguments on the stack like lua_pcall, with
 * a message handler that appends the traceback. On error, prints
 * "cbal: <message>" and the traceback on stderr and returns the status. */
int host_pcall(lua_State *L, int narg, int nres);

#endif
