/* The cbal.Sandbox state shared by runtime/l_sandbox.c (set-up, limits,
 * running code) and runtime/l_sandbox_copy.c (values crossing between the
 * host state and the sandbox state). */
#ifndef L_SANDBOX_H
#define L_SANDBOX_H

#include "l_util.h"

#define SANDBOX "cbal.Sandbox"
#define SANDBOX_FN "cbal.SandboxFunction"

/* The cbal.Sandbox userdata (limits: HOOK_EVERY, MAX_BLOCK in l_sandbox.c). */
typedef struct cbL_sandbox {
  lua_State *S;          /* NULL once closed */
  size_t mem_used, mem_cap;
  long long budget, used; /* instructions (in steps of HOOK_EVERY) */
  double seconds, spent;  /* CPU-time limit and time used in the sandbox */
  double entered;         /* thread CPU time when the current run began */
  size_t big;             /* size of a refused over-MAX_BLOCK request */
  int deep;               /* calls were nested very deep at a refusal */
  int exceeded;          /* 1 budget, 2 time spent: every later hook raises */
  int line;              /* last line executed, for memory errors */
  char name[256];        /* chunk name shown in messages */
} cbL_sandbox;

/* Arguments of a call into the sandbox: the host values at L[first ..
 * first + n - 1]. */
typedef struct cbL_sandbox_args {
  lua_State *L;
  int first, n;
  const void *array_mt; /* cbal.Array's metatable in L */
} cbL_sandbox_args;

/* Protected, sandbox side (stack: the values): gives every function reachable
 * from the values an integer id in registry "cbal.fns" (function -> id and
 * id -> function) and returns the values unchanged. Raises in S on values
 * nested too deeply or out of memory. */
int cbL_sandbox_register(lua_State *S);

/* Pushes (in L) copies of the sandbox values base+1..top of sb->S, then
 * clears them from S; returns how many. Functions become
 * cbal.SandboxFunction values keeping the sandbox userdata at sbidx alive.
 * Raises in L on a value that cannot leave (userdata, threads, odd keys). */
int cbL_sandbox_results(lua_State *L, cbL_sandbox *sb, int sbidx, int base);

/* Protected, sandbox side (stack: a light userdata pointing to a
 * cbL_sandbox_args): pushes copies of the host arguments (cbal arrays at
 * any depth become plain number tables) and returns their count; only
 * reads the host state. Raises in S on an unsupported value or a cycle. */
int cbL_sandbox_push_args(lua_State *S);

#endif
