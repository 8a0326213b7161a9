-- The cbal side of the zonal benchmark, run by scripts/bench/zonal.lua in a
-- child process:  cbal zonal_run.lua MODE LAYER OUT RASTER [RASTER ...]
-- Times in this process: the first raster (open it, read the layer, build
-- the coverage, one pass of count/sum/mean/min/max), each next raster (one
-- pass each, on the same coverage), then a sum pass and a median +
-- quantile(0.1, 0.9) + majority pass on the first raster. Peak RSS is taken
-- per phase (VmHWM, reset through /proc/self/clear_refs). Prints key=value
-- lines; writes the first raster's sums and counts to OUT.
local cbal = require "cbal"
local mode, layer, out = arg[1], arg[2], arg[3]
local rasters = {}
for i = 4, #arg do rasters[#rasters + 1] = arg[i] end
assert(#rasters > 0, "usage: zonal_run.lua MODE LAYER OUT RASTER [RASTER ...]")
local STATS = {"count", "sum", "mean", "min", "max"}
local ORDER = {"median", "quantile(q=0.1)", "quantile(q=0.9)", "majority"}
local now = cbal.now

local function reset_peak()
  local f = io.open("/proc/self/clear_refs", "w")
  if f then
    f:write("5")
    f:close()
  end
end

local function peak_mb()
  local f = assert(io.open("/proc/self/status"))
  local kb = f:read("a"):match("VmHWM:%s*(%d+)")
  f:close()
  return tonumber(kb) / 1024
end

local function say(k, v) print(("%s=%.4f"):format(k, v)) end
local clock = os.clock -- CPU time of the process, every thread

-- First raster: everything a user's first call costs.
local t0, c0 = now(), clock()
local r = cbal.open_raster(rasters[1])
local l <close> = cbal.open_layer(layer)
local z = cbal.zones(l, r, {mode = mode})
local t1, c1 = now(), clock()
local s = z:stats(r, STATS)
local t2, c2 = now(), clock()
say("build", t1 - t0)
say("build_cpu", c1 - c0)
say("first", t2 - t0)
say("first_cpu", c2 - c0)
say("first_mb", peak_mb())
print(("spans_mb=%.1f"):format(z.bytes / 2 ^ 20))
r:close()

-- Next rasters: one pass each on the same coverage.
local best, best_cpu, worst_mb = math.huge, math.huge, 0
for i = 2, #rasters do
  reset_peak()
  local a, ca = now(), clock()
  local ri <close> = cbal.open_raster(rasters[i])
  z:stats(ri, STATS)
  best, best_cpu = math.min(best, now() - a), math.min(best_cpu, clock() - ca)
  worst_mb = math.max(worst_mb, peak_mb())
end
if #rasters > 1 then
  say("next", best)
  say("next_cpu", best_cpu)
  say("next_mb", worst_mb)
end

-- A sum pass against the order statistics, on the first raster.
local r1 <close> = cbal.open_raster(rasters[1])
reset_peak()
local a, ca = now(), clock()
z:stats(r1, {"sum"})
say("sum", now() - a)
say("sum_cpu", clock() - ca)
say("sum_mb", peak_mb())
reset_peak()
a, ca = now(), clock()
local ok, err = pcall(z.stats, z, r1, ORDER)
if ok then
  say("order", now() - a)
  say("order_cpu", clock() - ca)
  say("order_mb", peak_mb())
elseif tostring(err):match("unknown statistic") then
  print("order=n/a")
else
  error(err, 0)
end

local f = assert(io.open(out, "w"))
for i = 1, #s.sum do f:write(("%.17g %.17g\n"):format(s.sum[i], s.count[i])) end
f:close()
