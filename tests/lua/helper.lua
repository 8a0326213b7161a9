-- Loaded by busted before every spec: puts the repo's lua/ and the built
-- module on the paths (tests/run.sh sets them too) and offers shared helpers.
local build = os.getenv("CBAL_BUILD") or "build"
package.path = "lua/?.lua;lua/?/init.lua;tests/lua/?.lua;" .. package.path
package.cpath = build .. "/lib/?.so;" .. package.cpath
