-- Spatial analysis benchmark at national scale, on the zonal benchmark's
-- polygons (3,000 irregular counties, about 4.0 million vertices; generated
-- once under build/bench/zonal by zonal_gen.py): queen weights from the
-- layer, side by side with reading the polygons alone (the floor) and with
-- OGR/GEOS Intersects
-- over a bounding-box sweep (the reference, which also checks the pairs);
-- then 999 permutations of local Moran (and of global Moran) for 2,850
-- counties x 22 years x 3 variables at once, on 1 and 2 threads. Each time
-- is the best of three in a child process; the load average is printed,
-- since the machine may be shared. CBAL_BENCH_REPS changes the three.
local PY = "/usr/bin/python3" -- Debian's, with python3-gdal

local GEOS = [=[
import sys, time
from osgeo import ogr
t0 = time.perf_counter()
ds = ogr.Open(sys.argv[1]); lyr = ds.GetLayer(0)
geoms = [f.GetGeometryRef().Clone() for f in lyr]
env = [g.GetEnvelope() for g in geoms]          # minx, maxx, miny, maxy
def count(g):
    return g.GetPointCount() + sum(count(g.GetGeometryRef(k)) for k in range(g.GetGeometryCount()))
nv = sum(count(g) for g in geoms)
t1 = time.perf_counter()
order = sorted(range(len(geoms)), key=lambda i: env[i][0])
active, pairs = [], []
for i in order:
    active = [j for j in active if env[j][1] >= env[i][0]]
    for j in active:
        if env[j][2] <= env[i][3] and env[i][2] <= env[j][3] and geoms[i].Intersects(geoms[j]):
            pairs.append((min(i, j) + 1, max(i, j) + 1))
    active.append(i)
t2 = time.perf_counter()
with open(sys.argv[2], 'w') as f:
    for a, b in sorted(pairs):
        f.write('%d %d\n' % (a, b))
print('read=%.3f pairs=%.3f n=%d vertices=%d features=%d' % (t1 - t0, t2 - t1, len(pairs), nv, len(geoms)))
]=]

-- The cbal side, run as a child: `weights` times reading the polygons (the
-- floor), the equal-area geometry, contiguity on it and cbal.weights end to
-- end, best of reps each; `lisa` times local and global Moran with 999
-- permutations over 66 columns on `threads` threads.
local STEP = [=[
local cbal = require "cbal"
local now = cbal.now
local mode, layer_path, reps, threads, out = arg[1], arg[2], tonumber(arg[3]), tonumber(arg[4]), arg[5]
-- Best wall time of reps runs, the CPU time (all threads) of that run, and
-- the result.
local function best(f)
  local b, cpu = math.huge, 0
  local r
  for _ = 1, reps do
    collectgarbage()
    local t0, c0 = now(), os.clock()
    r = f()
    local t = now() - t0
    if t < b then b, cpu = t, os.clock() - c0 end
  end
  return b, r, cpu
end
local layer = cbal.open_layer(layer_path)
if mode == "weights" then
  local vertices = 0
  local tread, _, cread = best(function() return layer:polygons { crs = "EPSG:4326" } end)
  local tgeom, g, cgeom = best(function() return cbal.spatial.geometry(layer) end)
  local tq, w, cq = best(function() return cbal.weights(g, { style = "B" }) end)
  local tall, _, call = best(function() return cbal.weights(layer) end)
  local f = assert(io.open(out, "w"))
  local links = 0
  for i = 1, #w do
    local nb = w:neighbours(i)
    links = links + #nb
    for _, j in ipairs(nb) do if j > i then f:write(i, " ", j, "\n") end end
  end
  f:close()
  print(("read=%.3f geometry=%.3f queen=%.3f all=%.3f cread=%.3f cgeometry=%.3f cqueen=%.3f "
    .. "call=%.3f links=%d"):format(tread, tgeom, tq, tall, cread, cgeom, cq, call, links))
else
  -- 2,850 counties: the first 2,850 features of the layer
  local w = cbal.weights(layer)
  local keep = cbal.array(#w, 0)
  for i = 1, 2850 do keep[i] = 1 end
  local geom = w.geometry
  local sub = w:subset(keep):restyled("W")
  -- 22 years x 3 variables of a smooth field with noise, as {[label] = array}
  local cols, seed = {}, 7
  local function rnd() seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 end
  for v = 1, 3 do
    for y = 2000, 2021 do
      local t = {}
      for i = 1, 2850 do
        t[i] = 10 + 5 * math.sin(geom.x[i] / 4e5 + v) * math.cos(geom.y[i] / 3e5 + y / 7) + 3 * rnd()
      end
      cols[v * 10000 + y] = cbal.array(t)
    end
  end
  local tl, r, cl = best(function()
    return cbal.spatial.local_moran(cols, sub, { permutations = 999, threads = threads })
  end)
  local tg, g, cg = best(function()
    return cbal.spatial.moran(cols, sub, { permutations = 999, threads = threads })
  end)
  local f = assert(io.open(out, "w"))
  local labels = {}
  for k in pairs(r) do labels[#labels + 1] = k end
  table.sort(labels)
  for _, k in ipairs(labels) do
    local res = r[k]
    f:write(k, " ", ("%.17g"):format(g[k].p_sim))
    for i = 1, #res.p_sim do f:write(" ", ("%.17g"):format(res.p_sim[i])) end
    f:write("\n")
  end
  f:close()
  print(("local=%.3f global=%.3f clocal=%.3f cglobal=%.3f columns=66 counties=2850 links=%d")
    :format(tl, tg, cl, cg, sub:cardinalities():sum()))
end
]=]

local U = require "benchutil"
local sh, read, write, line = U.sh, U.read, U.write, U.first_line

-- Runs cmd under /usr/bin/time; returns its stdout and peak RSS (MB).
local function measure(dir, cmd)
  local _, mb, out = U.measure(dir, cmd)
  return out, mb
end

local function num(s, key) return tonumber(s:match(key .. "=([%d.]+)")) end

return function(ctx)
  local zdir = ctx.build .. "/bench/zonal"
  local layer = zdir .. "/counties.gpkg"
  if not io.open(layer) then
    print("generating the zonal benchmark's data (once) in " .. zdir .. " ...")
    sh(("mkdir -p %s && %s %s/scripts/bench/zonal_gen.py %s deflate > /dev/null"):format(zdir, PY,
      ctx.root, zdir))
  end
  local dir = ctx.build .. "/bench/spatial"
  sh("mkdir -p " .. dir)
  local exe = dir .. "/cbal"
  sh(("cp %s %s.tmp && mv %s.tmp %s"):format(ctx.cbal, exe, exe, exe))
  write(dir .. "/step.lua", STEP)
  write(dir .. "/geos.py", GEOS)
  local reps = tonumber(os.getenv("CBAL_BENCH_REPS") or "3")
  local cenv = "env CBAL_QUIET=1 CBAL_PATH=" .. ctx.root .. "/lua "
  local load0 = line("cat /proc/loadavg")
  sh("cat " .. layer .. " > /dev/null")
  local wout, wmb = measure(dir, ("%s%s %s/step.lua weights %s %d 0 %s/cbal_pairs.txt"):format(
    cenv, exe, dir, layer, reps, dir))
  local gout = measure(dir, ("%s %s/geos.py %s %s/geos_pairs.txt"):format(PY, dir, layer, dir))
  local runs = {}
  for _, th in ipairs({ 2, 1 }) do
    local o, mb = measure(dir, ("%s%s %s/step.lua lisa %s %d %d %s/lisa_%d.txt"):format(cenv, exe,
      dir, layer, reps, th, dir, th))
    runs[th] = { loc = num(o, "local"), glob = num(o, "global"), cloc = num(o, "clocal"),
      cglob = num(o, "cglobal"), mb = mb, links = num(o, "links") }
  end
  local load1 = line("cat /proc/loadavg")
  local cores = tonumber(line("nproc"))
  print(("case: %d polygons, %d vertices (the zonal benchmark's national layer, %s); "
    .. "best of %d; %d cores"):format(num(gout, "features"), num(gout, "vertices"), layer, reps, cores))
  print("load average before/after: " .. load0 .. " / " .. load1)
  local read_t, geom_t = num(wout, "read"), num(wout, "geometry")
  local queen_t, all_t = num(wout, "queen"), num(wout, "all")
  print(("%-58s %9s %8s  %s"):format("", "wall (s)", "CPU (s)", ""))
  local function row(name, t, cpu, note)
    print(("%-58s %9.2f %8s  %s"):format(name, t, cpu and ("%.2f"):format(cpu) or "", note or ""))
  end
  row("read the polygons through OGR (floor)", read_t, num(wout, "cread"))
  row("cbal.spatial.geometry: read, Albers, centroids", geom_t, num(wout, "cgeometry"))
  row("queen contiguity on the geometry (snap 1 m)", queen_t, num(wout, "cqueen"))
  row("cbal.weights(layer): queen, end to end", all_t, num(wout, "call"),
    ("%.0f MB peak"):format(wmb))
  row("OGR/GEOS Intersects, bounding-box sweep (reference)", num(gout, "pairs"), nil,
    "after reading in " .. num(gout, "read") .. " s; one run")
  for _, th in ipairs({ 2, 1 }) do
    local r = runs[th]
    row(("local Moran, 999 permutations, 66 columns, %d thread%s"):format(th, th > 1 and "s" or ""),
      r.loc, r.cloc, ("%.0f MB peak"):format(r.mb))
    row(("global Moran, 999 permutations, 66 columns, %d thread%s"):format(th, th > 1 and "s" or ""),
      r.glob, r.cglob)
  end
  local function verdict(ok) return ok and "met" or "NOT met" end
  print(("targets: queen weights from the layer < 2 s: %s (%.2f s); local Moran 999 permutations "
    .. "of 2,850 x 22 x 3 on 2 threads < 10 s: %s (%.2f s)"):format(verdict(all_t < 2), all_t,
    verdict(runs[2].loc < 10), runs[2].loc))
  local same = read(dir .. "/cbal_pairs.txt") == read(dir .. "/geos_pairs.txt")
  print(("check: queen pairs vs GEOS Intersects: %s (%d links)"):format(same and "identical"
    or "DIFFER", num(wout, "links")))
  print(("check: local and global Moran p with 2 threads vs 1 thread: %s"):format(
    read(dir .. "/lisa_2.txt") == read(dir .. "/lisa_1.txt") and "identical" or "DIFFER"))
end
