-- What `make example` runs: generates the synthetic province once (cached
-- in out/synthetic/), then runs the whole study into out/example/ and
-- reports both times (wall clock).
local cbal = require "cbal"

local function now()
  local p = io.popen("date +%s.%N")
  local t = tonumber(p:read("l"))
  p:close()
  return t
end

local desc_path = arg[1] or "examples/synthetic/study.lua"
local chunk = assert(loadfile(desc_path, "t", {}))
local desc = chunk()
local t0 = now()
local s = desc.synthetic
require("cbal.synthetic").generate{ dir = s.dir, small = s.small, seed = s.seed, years = s.years }
local t1 = now()
desc.synthetic = nil
cbal.study(desc)
local t2 = now()
print(("example: generation %.1f s (0 when cached), study %.1f s, whole %.1f s; open %s/report.html")
  :format(t1 - t0, t2 - t1, t2 - t0, desc.out))
