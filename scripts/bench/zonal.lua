-- Zonal statistics benchmark: a national-scale case (about 3,000 irregular
-- polygons, 4 million vertices, a 14,000 x 6,000 15" float32 tiled GeoTIFF),
-- generated once under build/bench/zonal. Times, side by side, in child
-- processes (wall time and peak RSS via /usr/bin/time): reading every pixel
-- through GDAL (the floor), cbal's first raster (coverage build included)
-- and next rasters for exact and center, and GDAL rasterize + numpy bincount.
local PY = "/usr/bin/python3" -- Debian's, with python3-gdal and python3-numpy

local GEN = [=[
import sys, struct, numpy as np
from osgeo import gdal, ogr, osr
gdal.UseExceptions()
out = sys.argv[1]
W, H, RES, X0, Y1 = 14000, 6000, 1 / 240, 75.0, 45.0
srs = osr.SpatialReference(); srs.ImportFromEPSG(4326)
ds = gdal.GetDriverByName('GTiff').Create(out + '/ntl.tif', W, H, 1, gdal.GDT_Float32,
    ['TILED=YES', 'BLOCKXSIZE=256', 'BLOCKYSIZE=256', 'COMPRESS=DEFLATE', 'ZLEVEL=1'])
ds.SetGeoTransform([X0, RES, 0, Y1, 0, -RES]); ds.SetProjection(srs.ExportToWkt())
b = ds.GetRasterBand(1); b.SetNoDataValue(-9999)
rng = np.random.default_rng(1)
xs = np.arange(W)
for y0 in range(0, H, 512):
    h = min(512, H - y0); yy = np.arange(y0, y0 + h)[:, None]
    v = 30 + 20 * np.sin(xs / 700.0)[None, :] * np.cos(yy / 500.0) + rng.random((h, W)) * 5
    v[(xs[None, :] + 2 * yy) > 2.2 * W] = -9999          # a corner of "sea"
    b.WriteArray(v.astype(np.float32), 0, y0)
ds = None
# polygons: a 60 x 50 lattice of jittered quads with shared wiggly edges
NX, NY, M = 60, 50, 333
x0, x1, y0, y1 = 75.3, 133.0, 20.3, 44.8
cx = np.linspace(x0, x1, NX + 1); cy = np.linspace(y0, y1, NY + 1)
dx, dy = cx[1] - cx[0], cy[1] - cy[0]
corner = np.zeros((NX + 1, NY + 1, 2))
for i in range(NX + 1):
    for j in range(NY + 1):
        jx = 0 if i in (0, NX) else rng.uniform(-0.25, 0.25) * dx
        jy = 0 if j in (0, NY) else rng.uniform(-0.25, 0.25) * dy
        corner[i, j] = (cx[i] + jx, cy[j] + jy)
t = np.linspace(0, 1, M)
env = np.sin(np.pi * t) ** 2
K = np.arange(1, 41)
def edge(a, b, seed):
    r = np.random.default_rng(seed)
    ph = r.uniform(0, 2 * np.pi, K.size)
    d = (np.sin(np.pi * np.outer(t, K) + ph) * (0.007 / K)).sum(1) * env
    p = a[None, :] + (b - a)[None, :] * t[:, None]
    n = np.array([-(b - a)[1], (b - a)[0]])
    return p + d[:, None] * n[None, :]
h_edges, v_edges = {}, {}
for i in range(NX):
    for j in range(NY + 1):
        h_edges[i, j] = edge(corner[i, j], corner[i + 1, j], 1000003 * i + j)
for i in range(NX + 1):
    for j in range(NY):
        v_edges[i, j] = edge(corner[i, j], corner[i, j + 1], 7000003 * i + j + 17)
drv = ogr.GetDriverByName('GPKG')
vds = drv.CreateDataSource(out + '/counties.gpkg')
lyr = vds.CreateLayer('counties', srs, ogr.wkbPolygon)
lyr.CreateField(ogr.FieldDefn('zid', ogr.OFTInteger))
lyr.StartTransaction()
nv = 0
for j in range(NY):
    for i in range(NX):
        ring = np.concatenate([h_edges[i, j][:-1], v_edges[i + 1, j][:-1],
                               h_edges[i, j + 1][::-1][:-1], v_edges[i, j][::-1]])
        nv += len(ring)
        wkb = struct.pack('<BIII', 1, 3, 1, len(ring)) + ring.astype('<f8').tobytes()
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField('zid', j * NX + i + 1)
        f.SetGeometry(ogr.CreateGeometryFromWkb(wkb))
        lyr.CreateFeature(f)
lyr.CommitTransaction()
vds = None
print(nv)
]=]

local FLOOR = [=[
import sys
from osgeo import gdal
gdal.UseExceptions()
ds = gdal.Open(sys.argv[1]); b = ds.GetRasterBand(1)
W, H = ds.RasterXSize, ds.RasterYSize
for y in range(0, H, 256):
    b.ReadRaster(0, y, W, min(256, H - y))
]=]

local REF = [=[
import sys, time, numpy as np
from osgeo import gdal, ogr
gdal.UseExceptions()
raster, layer, nnext, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
t0, c0 = time.perf_counter(), time.process_time()
r = gdal.Open(raster); W, H = r.RasterXSize, r.RasterYSize
v = ogr.Open(layer); lyr = v.GetLayer(0); n = lyr.GetFeatureCount()
z = gdal.GetDriverByName('MEM').Create('', W, H, 1, gdal.GDT_Int32)
z.SetGeoTransform(r.GetGeoTransform()); z.SetProjection(r.GetProjection())
gdal.RasterizeLayer(z, [1], lyr, options=['ATTRIBUTE=zid'])
zones = z.ReadAsArray(); z = None
def stats(path):
    ds = gdal.Open(path); b = ds.GetRasterBand(1)
    vals = b.ReadAsArray(); nd = b.GetNoDataValue()
    ok = (vals != nd) & (zones > 0)
    s = np.bincount(zones[ok], weights=vals[ok], minlength=n + 1)
    c = np.bincount(zones[ok], minlength=n + 1)
    return s, c
s, c = stats(raster)
t1, c1 = time.perf_counter(), time.process_time()
for k in range(nnext):
    stats(raster)
t2, c2 = time.perf_counter(), time.process_time()
print('first=%.3f next=%.3f cfirst=%.3f cnext=%.3f' % (t1 - t0, (t2 - t1) / nnext, c1 - c0, (c2 - c1) / nnext))
with open(out, 'w') as f:
    for i in range(1, n + 1):
        f.write('%.17g %d\n' % (s[i], c[i]))
]=]

-- The cbal side, run as a child: first raster (layer read, reprojection
-- check, coverage build, stats) then `nnext` rasters on the same grid.
local STEP = [=[
local cbal = require "cbal"
local mode, raster, layer, nnext, threads, out = table.unpack(arg)
nnext, threads = tonumber(nnext), tonumber(threads)
local now = cbal.now
local t0, c0 = now(), os.clock()
local r = cbal.open_raster(raster)
local z = cbal.zones(cbal.open_layer(layer), r, {mode = mode})
local t1, c1 = now(), os.clock()
local s = z:stats(r, {"sum", "count"}, {threads = threads})
local t2, c2 = now(), os.clock()
r:close()
for _ = 1, nnext do
  local r2 <close> = cbal.open_raster(raster)
  z:stats(r2, {"sum", "count"}, {threads = threads})
end
local t3, c3 = now(), os.clock()
print(("build=%.3f stats=%.3f next=%.3f cbuild=%.3f cstats=%.3f cnext=%.3f bytes=%d"):format(
  t1 - t0, t2 - t1, (t3 - t2) / nnext, c1 - c0, c2 - c1, (c3 - c2) / nnext, z.bytes))
local f = assert(io.open(out, "w"))
for i = 1, #s.sum do f:write(("%.17g %.17g\n"):format(s.sum[i], s.count[i])) end
f:close()
]=]

local function sh(cmd)
  local ok = os.execute(cmd)
  if not ok then error("bench: command failed: " .. cmd, 0) end
end

local function read(path)
  local f = assert(io.open(path))
  local s = f:read("a")
  f:close()
  return s
end

local function write(path, s)
  local f = assert(io.open(path, "w"))
  f:write(s)
  f:close()
end

local function exists(path)
  local f = io.open(path)
  if f then f:close() end
  return f ~= nil
end

-- Runs cmd under /usr/bin/time; returns wall seconds, peak RSS (MB), stdout
-- and CPU seconds (user + system, all threads). The inputs are read once
-- first, so every contender starts with them in the OS page cache.
local function measure(dir, cmd)
  local tf, of = dir .. "/time.txt", dir .. "/out.txt"
  sh(("cat %s/ntl.tif %s/counties.gpkg > /dev/null"):format(dir, dir))
  sh(("/usr/bin/time -f '%%e %%M %%U %%S' -o %s %s > %s"):format(tf, cmd, of))
  local wall, kb, u, sy = read(tf):match("([%d.]+) (%d+) ([%d.]+) ([%d.]+)%s*$")
  return tonumber(wall), tonumber(kb) / 1024, read(of), tonumber(u) + tonumber(sy)
end

local function generate(dir)
  if exists(dir .. "/ntl.tif") and exists(dir .. "/counties.gpkg") then return end
  print("generating the national-scale case (once) in " .. dir .. " ...")
  sh("mkdir -p " .. dir)
  write(dir .. "/gen.py", GEN)
  sh(("rm -f %s/ntl.tif %s/counties.gpkg && %s %s/gen.py %s"):format(dir, dir, PY, dir, dir))
end

local function load_pairs(path)
  local t = {}
  for a, b in read(path):gmatch("(%S+) (%S+)\n") do t[#t + 1] = {tonumber(a), tonumber(b)} end
  return t
end

-- Zones whose center-mode sums differ from GDAL rasterize + bincount.
local function compare(a, b)
  local differ, worst = 0, 0
  for i = 1, #a do
    local d = math.abs(a[i][1] - b[i][1]) / math.max(1, math.abs(b[i][1]))
    if a[i][2] ~= b[i][2] then differ = differ + 1 end
    worst = math.max(worst, d)
  end
  return differ, worst
end

return function(ctx)
  local dir = ctx.build .. "/bench/zonal"
  generate(dir)
  local raster, layer = dir .. "/ntl.tif", dir .. "/counties.gpkg"
  -- a private copy of the executable, so a rebuild meanwhile cannot break a run
  local exe = dir .. "/cbal"
  sh(("cp %s %s.tmp && mv %s.tmp %s"):format(ctx.cbal, exe, exe, exe))
  write(dir .. "/floor.py", FLOOR)
  write(dir .. "/ref.py", REF)
  write(dir .. "/step.lua", STEP)
  local nnext = tonumber(os.getenv("CBAL_BENCH_NEXT") or "3")
  local threads = tonumber(os.getenv("CBAL_THREADS") or "0")
  -- GDAL's block cache is capped for the Python runs (it would otherwise
  -- keep up to 5 % of RAM of decoded tiles); cbal drops it after each strip.
  local env = "env CBAL_QUIET=1 GDAL_CACHEMAX=64 "
  local cenv = "env CBAL_QUIET=1 CBAL_PATH=" .. ctx.root .. "/lua "
  local p0 = io.popen("cat /proc/loadavg")
  local load0 = p0:read("l")
  p0:close()
  local rows = {}
  local function row(name, t, cpu, mb, note) rows[#rows + 1] = {name, t, cpu, mb, note or ""} end

  local ft, fmb, _, fcpu = measure(dir, env .. PY .. " " .. dir .. "/floor.py " .. raster)
  row("read every pixel, GDAL, 1 thread (floor)", ft, fcpu, fmb)
  local floor = ft
  local results = {}
  local function cbal_run(mode, th, label)
    local out = ("%s/cbal_%s_%d.txt"):format(dir, mode, th)
    local wall, mb, o = measure(dir, ("%s%s %s/step.lua %s %s %s %d %d %s"):format(
      cenv, exe, dir, mode, raster, layer, nnext, th, out))
    local b, s, n, cb, cs, cn, bytes = o:match("build=([%d.]+) stats=([%d.]+) next=([%d.]+) " ..
      "cbuild=([%d.]+) cstats=([%d.]+) cnext=([%d.]+) bytes=(%d+)")
    b, s, n, cb, cs, cn = tonumber(b), tonumber(s), tonumber(n), tonumber(cb), tonumber(cs), tonumber(cn)
    row(("cbal %s first raster%s"):format(mode, label), b + s, cb + cs, mb,
      ("zones built in %.2f s, spans %.0f MB"):format(b, bytes / 2 ^ 20))
    row(("cbal %s next raster%s"):format(mode, label), n, cn, nil, "(same process)")
    results[mode .. th] = {first = b + s, next = n, mb = mb, out = out}
    return wall
  end
  cbal_run("exact", threads, "")
  cbal_run("center", threads, "")
  cbal_run("exact", 1, ", 1 thread")
  local refout = dir .. "/ref.txt"
  local _, rmb, o = measure(dir, ("%s%s %s/ref.py %s %s %d %s"):format(env, PY, dir, raster, layer, nnext, refout))
  local rf, rn, crf, crn = o:match("first=([%d.]+) next=([%d.]+) cfirst=([%d.]+) cnext=([%d.]+)")
  row("GDAL rasterize + numpy bincount, first", tonumber(rf), tonumber(crf), rmb)
  row("GDAL rasterize + numpy bincount, next", tonumber(rn), tonumber(crn), nil, "(same process)")

  local size_mb = 14000 * 6000 * 4 / 2 ^ 20
  local p = io.popen("nproc")
  local cores = tonumber(p:read("l"))
  p:close()
  print(("case: 14000 x 6000 float32 15\" GeoTIFF (256x256 tiles, DEFLATE; %.0f MB as float32), " ..
    "3000 polygons, ~4.0M vertices; threads: %d of %d cores; next = mean of %d"):format(
      size_mb, threads > 0 and threads or cores, cores, nnext))
  local p2 = io.popen("cat /proc/loadavg")
  local load = p2:read("l")
  p2:close()
  print("load average before/after: " .. load0 .. " / " .. load)
  print(("%-46s %8s %8s %8s %8s %10s  %s"):format("", "wall (s)", "x floor", "CPU (s)", "x floor",
    "peak (MB)", ""))
  for _, r in ipairs(rows) do
    print(("%-46s %8.2f %8.2f %8.2f %8.2f %10s  %s"):format(r[1], r[2], r[2] / floor, r[3],
      r[3] / fcpu, r[4] and ("%.0f"):format(r[4]) or "", r[5]))
  end
  local ex = results["exact" .. threads]
  local function verdict(ok) return ok and "met" or "NOT met" end
  print(("targets: next <= 1.2x floor: %s (exact %.2fx, center %.2fx); first <= 2x floor: %s (exact %.2fx); " ..
    "peak < raster size (%.0f MB): %s (exact %.0f MB)"):format(
    verdict(ex.next <= 1.2 * floor and results["center" .. threads].next <= 1.2 * floor),
    ex.next / floor, results["center" .. threads].next / floor,
    verdict(ex.first <= 2 * floor), ex.first / floor, size_mb,
    verdict(ex.mb < size_mb and results["center" .. threads].mb < size_mb), ex.mb))
  local differ, worst = compare(load_pairs(results["center" .. threads].out), load_pairs(refout))
  print(("check: cbal center vs GDAL rasterize: %d of 3000 zones differ in cell count; " ..
    "largest relative sum difference %.2g"):format(differ, worst))
  local d1 = compare(load_pairs(ex.out), load_pairs(results["exact1"].out))
  print(("check: exact with %d threads vs 1 thread: %s"):format(threads > 0 and threads or cores,
    read(ex.out) == read(results["exact1"].out) and "identical" or ("DIFFER (" .. d1 .. " zones)")))
end
