-- Benchmarks (`make bench`): runs each benchmark in scripts/bench/ and
-- prints its table. Usage: cbal scripts/bench.lua [name ...] (default: all).
-- A benchmark is a Lua file returning function(ctx) where ctx holds
-- root (repo folder), build (build folder) and cbal (the executable).
local here = (arg and arg[0] or "scripts/bench.lua"):match("^(.*)/[^/]*$") or "."
local root = here .. "/.."
local build = os.getenv("CBAL_BUILD") or (root .. "/build")
package.path = here .. "/bench/?.lua;" .. package.path -- benchutil

-- Every benchmark, in the order they run.
local all = {"zonal", "study", "spatial"}

local names = {}
for i = 1, #arg do names[#names + 1] = arg[i] end
if #names == 0 then names = all end

local ctx = {root = root, build = build, cbal = build .. "/cbal"}
for _, name in ipairs(names) do
  local path = ("%s/bench/%s.lua"):format(here, name)
  local chunk, err = loadfile(path)
  if not chunk then error(("bench: no benchmark '%s' (%s)"):format(name, err), 0) end
  local run = chunk()
  print(("== %s"):format(name))
  run(ctx)
end
