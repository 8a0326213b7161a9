-- Zonal statistics benchmark: the same 3,000 irregular polygons (4.0M
-- vertices) over two 15" float32 GeoTIFFs, one DEFLATE-tiled and one
-- uncompressed (where no decompression hides the coverage build), generated
-- once under build/bench/zonal. Side by side, best of N runs (interleaved):
-- the GDAL read floor; in one cbal process, the first raster (coverage build
-- included), next rasters, and a median + quantile + majority pass against a
-- sum pass; then `cbal zonal` and exactextract, whole commands writing the
-- same CSV, on 1 and 22 rasters; peak memory of each; the targets, met or
-- not. Every contender runs as a separate process.
-- Environment: CBAL_BENCH_RUNS (3), CBAL_BENCH_RASTERS (22),
-- CBAL_BENCH_EE_RUNS (runs of the 22-raster commands: 1, as exactextract
-- takes a minute there), EXACTEXTRACT
-- (the exactextract program; else on PATH or /tmp/exactextract/build),
-- CBAL_BENCH_CHECK=0 skips the centre-mode check against GDAL rasterize.
local PY = "/usr/bin/python3" -- Debian's, with python3-gdal and python3-numpy
local NEXT = 3 -- next rasters in the cbal process
local STATS = "count, sum, mean, min, max"

local CASES = {
  {key = "deflate", title = "DEFLATE, 256x256 tiles", file = "ntl.tif", w = 14000, h = 6000},
  {key = "raw", title = "uncompressed, 512x512 tiles", file = "ntl_raw.tif", w = 13920, h = 6240},
}

local U = require "benchutil"
local sh, read, exists, first_line, measure = U.sh, U.read, U.exists, U.first_line, U.measure

local function keyvals(s)
  local t = {}
  for k, v in s:gmatch("([%w_]+)=(%S+)") do t[k] = tonumber(v) or v end
  return t
end

-- The data, once: the DEFLATE raster and the polygons, then the
-- uncompressed raster; each series is N names of its raster (links).
local function generate(ctx, dir, n)
  sh("mkdir -p " .. dir .. "/series")
  local gen = ctx.root .. "/scripts/bench/zonal_gen.py"
  if not (exists(dir .. "/ntl.tif") and exists(dir .. "/counties.gpkg")) then
    print("generating the DEFLATE raster and the polygons (once) in " .. dir .. " ...")
    sh(("rm -f %s/ntl.tif %s/counties.gpkg && %s %s %s deflate > /dev/null"):format(dir, dir, PY, gen, dir))
  end
  if not exists(dir .. "/ntl_raw.tif") then
    print("generating the uncompressed raster (once) in " .. dir .. " ...")
    sh(("%s %s %s raw"):format(PY, gen, dir))
  end
  for _, c in ipairs(CASES) do
    c.raster = dir .. "/" .. c.file
    c.series = {}
    for i = 1, n do
      c.series[i] = ("%s/series/%s%02d.tif"):format(dir, c.key, i)
      if not exists(c.series[i]) then sh(("ln -s ../%s %s"):format(c.file, c.series[i])) end
    end
  end
end

local function find_exactextract()
  local env = os.getenv("EXACTEXTRACT")
  if env and env ~= "" then return exists(env) and env or nil end
  local p = first_line("command -v exactextract 2>/dev/null")
  if p and p ~= "" then return p end
  local tmp = "/tmp/exactextract/build/exactextract"
  return exists(tmp) and tmp or nil
end

-- Keeps the best (least) wall and CPU times and the largest peak of each
-- row and case.
local function keep(best, row, case, t, mb, cpu)
  local key = row .. "/" .. case
  local b = best[key] or {}
  best[key] = b
  if t and (not b.t or t < b.t) then b.t = t end
  if cpu and (not b.cpu or cpu < b.cpu) then b.cpu = cpu end
  if t == nil and b.t == nil then b.na = true end
  if mb and (not b.mb or mb > b.mb) then b.mb = mb end
end

-- The zonal command of cbal or of exactextract on `rasters`, writing csv.
local function command(env, which, rasters, csv)
  local r = {}
  for i, path in ipairs(rasters) do r[#r + 1] = ("-r r%d:%s"):format(i, path) end
  local s = STATS:gsub("(%w+),?", "-s %1")
  local exe = which == "ee" and env.ee or (env.cenv .. " " .. env.exe .. " zonal")
  return ("%s %s -p %s -f zid %s -o %s/%s"):format(exe, table.concat(r, " "), env.layer, s, env.dir, csv)
end

-- One run of every contender on one case (the 22-raster commands when
-- `long`).
local function run_case(best, env, c, n, long)
  local dir = env.dir
  local files = {c.raster, env.layer}
  local fwall, fmb, o = measure(dir, ("env GDAL_CACHEMAX=64 %s %s/scripts/bench/zonal_floor.py %s"):format(
    PY, env.root, c.raster), files)
  keep(best, "floor", c.key, keyvals(o).read, fmb, keyvals(o).cpu)
  keep(best, "floorproc", c.key, fwall)
  local out = ("%s/cbal_%s.txt"):format(dir, c.key)
  local _, _, co = measure(dir, ("%s %s %s/scripts/bench/zonal_run.lua exact %s %s %s")
    :format(env.cenv, env.exe, env.root, env.layer, out, table.concat(c.series, " ", 1, NEXT + 1)), files)
  local k = keyvals(co)
  keep(best, "first", c.key, k.first, k.first_mb, k.first_cpu)
  keep(best, "build", c.key, k.build, nil, k.build_cpu)
  keep(best, "next", c.key, k.next, k.next_mb, k.next_cpu)
  keep(best, "sum", c.key, k.sum, k.sum_mb, k.sum_cpu)
  keep(best, "order", c.key, tonumber(k.order), k.order_mb, k.order_cpu)
  c.spans_mb, c.out = k.spans_mb, out
  local series = {table.unpack(c.series, 1, n)}
  for _, who in ipairs(env.ee and {"cz", "ee"} or {"cz"}) do
    local t1, m1, _, u1 = measure(dir, command(env, who, {c.raster}, who .. "1.csv"), files)
    keep(best, who .. "1", c.key, t1, m1, u1)
    if long then
      local tn, mn, _, un = measure(dir, command(env, who, series, who .. "n.csv"), files)
      keep(best, who .. "n", c.key, tn, mn, un)
    end
  end
end

local function loadavg() return first_line("cat /proc/loadavg") end

local ROWS = {
  {"floor", "read every pixel, GDAL, 1 thread (floor)"},
  {"first", "cbal first raster (layer, coverage, pass)"},
  {"build", "  of which layer read + coverage build"},
  {"next", "cbal next raster"},
  {"sum", "cbal sum pass"},
  {"order", "cbal median + quantile(0.1, 0.9) + majority"},
  {"cz1", "cbal zonal, 1 raster (command, CSV)"},
  {"ee1", "exactextract, 1 raster (command, CSV)"},
  {"czn", "cbal zonal, %d rasters"},
  {"een", "exactextract, %d rasters"},
}

local function cell(b, floor)
  if not b or b.na then return ("%8s %8s %8s %8s"):format("n/a", "", "", "") end
  return ("%8.2f %8.2f %8s %8s"):format(b.t, b.t / floor, b.cpu and ("%.2f"):format(b.cpu) or "",
    b.mb and ("%.0f"):format(b.mb) or "")
end

local function print_table(best, n, ee)
  local head = ("%-46s"):format("")
  local sub, unit = head, head
  for _, c in ipairs(CASES) do
    head = head .. ("   %-33s"):format(c.title)
    sub = sub .. ("   %-33s"):format(("%d x %d, %.0f MB"):format(c.w, c.h, c.w * c.h * 4 / 2 ^ 20))
    unit = unit .. ("%8s %8s %8s %8s "):format("wall (s)", "x floor", "CPU (s)", "peak MB")
  end
  print(head)
  print(sub)
  print(unit)
  for _, r in ipairs(ROWS) do
    if ee or not r[1]:match("^ee") then
      local line = ("%-46s"):format(r[2]:format(n))
      for _, c in ipairs(CASES) do
        line = line .. cell(best[r[1] .. "/" .. c.key], best["floor/" .. c.key].t) .. " "
      end
      print(line)
    end
  end
end

-- The issue's targets, per case: value, verdict.
local function targets(best, n, ee)
  local function get(row, c) local b = best[row .. "/" .. c.key]; return b and not b.na and b.t or nil end
  local list = {
    {"first raster <= 2 x floor", function(c) local v = get("first", c) / get("floor", c); return v, v <= 2, "x" end},
    {"next raster <= 1.0 x floor", function(c) local v = get("next", c) / get("floor", c); return v, v <= 1, "x" end},
    {"exactextract / cbal zonal, 1 raster >= 5", function(c)
      if not ee then return nil end
      local v = get("ee1", c) / get("cz1", c); return v, v >= 5, "x" end},
    {("exactextract / cbal zonal, %d rasters >= 10"):format(n), function(c)
      if not ee then return nil end
      local v = get("een", c) / get("czn", c); return v, v >= 10, "x" end},
    {"median+quantiles+majority <= 2 x sum pass", function(c)
      local o = get("order", c)
      if not o then return nil end
      local v = o / get("sum", c); return v, v <= 2, "x" end},
    {"peak memory < raster size, every cbal row", function(c)
      local mb, size = 0, c.w * c.h * 4 / 2 ^ 20
      for _, r in ipairs({"first", "next", "sum", "order", "cz1", "czn"}) do
        local b = best[r .. "/" .. c.key]
        if b and b.mb then mb = math.max(mb, b.mb) end
      end
      return mb, mb < size, (" MB of %.0f"):format(size) end, "%.0f"},
  }
  local head = ("%-46s"):format("target")
  for _, c in ipairs(CASES) do head = head .. ("   %-33s"):format(c.title) end
  print(head)
  for _, t in ipairs(list) do
    local line = ("%-46s"):format(t[1])
    for _, c in ipairs(CASES) do
      local v, ok, unit = t[2](c)
      local s = v and ("%s%s: %s"):format((t[3] or "%.2f"):format(v), unit, ok and "met" or "NOT met") or "n/a"
      line = line .. ("   %-33s"):format(s)
    end
    print(line)
  end
end

-- Checks, one run: exact on one thread gives the same sums as on all
-- cores; centre mode counts the same cells as GDAL's rasterizer.
local function checks(env, cores)
  local c = CASES[2]
  local out1 = env.dir .. "/cbal_1thread.txt"
  local _, _, o = measure(env.dir, ("env CBAL_THREADS=1 %s %s %s/scripts/bench/zonal_run.lua exact %s %s %s")
    :format(env.cenv, env.exe, env.root, env.layer, out1, c.raster), {c.raster, env.layer})
  local k = keyvals(o)
  print(("one thread (%s): first raster %.2f s (layer read + coverage build %.2f s), sum pass %.2f s")
    :format(c.title, k.first, k.build, k.sum))
  print(("check: exact with %d threads vs 1 thread: %s"):format(cores,
    read(c.out) == read(out1) and "identical" or "DIFFER"))
  if os.getenv("CBAL_BENCH_CHECK") == "0" then return end
  local outc, ref = env.dir .. "/cbal_center.txt", env.dir .. "/ref.txt"
  measure(env.dir, ("%s %s %s/scripts/bench/zonal_run.lua center %s %s %s")
    :format(env.cenv, env.exe, env.root, env.layer, outc, c.raster), {c.raster, env.layer})
  measure(env.dir, ("env GDAL_CACHEMAX=64 %s %s/scripts/bench/zonal_ref.py %s %s %s")
    :format(PY, env.root, c.raster, env.layer, ref), {c.raster, env.layer})
  local function pairs_of(path)
    local t = {}
    for a, b in read(path):gmatch("(%S+) (%S+)\n") do t[#t + 1] = {tonumber(a), tonumber(b)} end
    return t
  end
  local a, b = pairs_of(outc), pairs_of(ref)
  local differ, worst = 0, 0
  for i = 1, #a do
    if a[i][2] ~= b[i][2] then differ = differ + 1 end
    worst = math.max(worst, math.abs(a[i][1] - b[i][1]) / math.max(1, math.abs(b[i][1])))
  end
  print(("check: cbal center vs GDAL rasterize (%s): %d of %d zones differ in cell count; " ..
    "largest relative sum difference %.2g"):format(c.title, differ, #a, worst))
end

return function(ctx)
  local t0 = require("cbal").now()
  local dir = ctx.build .. "/bench/zonal"
  local runs = tonumber(os.getenv("CBAL_BENCH_RUNS") or "3")
  local n = tonumber(os.getenv("CBAL_BENCH_RASTERS") or "22")
  local long_runs = math.min(runs, tonumber(os.getenv("CBAL_BENCH_EE_RUNS") or "1"))
  generate(ctx, dir, math.max(n, NEXT + 1))
  -- a private copy of the executable, so a rebuild meanwhile cannot break a run
  local exe = dir .. "/cbal"
  sh(("cp %s %s.tmp && mv %s.tmp %s"):format(ctx.cbal, exe, exe, exe))
  local env = {dir = dir, root = ctx.root, exe = exe, layer = dir .. "/counties.gpkg",
    cenv = "env CBAL_QUIET=1 CBAL_PATH=" .. ctx.root .. "/lua", ee = find_exactextract()}
  local cores = tonumber(first_line("nproc"))
  local threads = tonumber(os.getenv("CBAL_THREADS") or "0")
  local load0 = loadavg()
  local best = {}
  for i = 1, runs do
    for _, c in ipairs(CASES) do run_case(best, env, c, n, i <= long_runs) end
  end
  local load1 = loadavg()
  print(("zonal: 3,000 polygons (3,987,000 vertices) over 15\" float32 GeoTIFFs; stats %s, exact " ..
    "coverage; best of %d runs (exactextract on %d rasters: %d); threads: %d of %d cores"):format(STATS, runs,
    n, long_runs, threads > 0 and threads or cores, cores))
  print(("load average before: %s / after: %s"):format(load0, load1))
  print_table(best, n, env.ee)
  if not env.ee then
    print("exactextract: not found (set EXACTEXTRACT, or build it with exactextract's build recipe); " ..
      "its rows are left out")
  end
  for _, c in ipairs(CASES) do
    print(("%s: floor = the reads alone (the Python process, start-up included: %.2f s); coverage " ..
      "spans %.0f MB; the %d rasters are %d names of one file (in the page cache, as for the floor); " ..
      "next = best of %d in one process"):format(c.title, best["floorproc/" .. c.key].t, c.spans_mb,
      n, n, NEXT))
  end
  targets(best, n, env.ee)
  checks(env, threads > 0 and threads or cores)
  print(("zonal bench: %.0f s"):format(require("cbal").now() - t0))
end
