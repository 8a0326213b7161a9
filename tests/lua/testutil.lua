-- Small helpers shared by specs: temporary folders, file reading, running
-- the cbal executable.
local M = {}

M.build = os.getenv("CBAL_BUILD") or "build"
M.cbal = M.build .. "/cbal"

-- A new empty temporary folder (removed by M.rmtree).
function M.tmpdir()
  local p = io.popen("mktemp -d")
  local d = p:read("l")
  p:close()
  return d
end

function M.rmtree(d)
  assert(d:match("^/tmp/"), "refusing to remove " .. d)
  os.execute("rm -rf '" .. d .. "'")
end

function M.read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

function M.write(path, s)
  local f = assert(io.open(path, "wb"))
  f:write(s)
  f:close()
end

function M.exists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

local function q(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end
M.quote = q

-- The sanitizer runtimes a stock lua5.4 needs to load an ASan-built module
-- (set by tests/run.sh for `make check-asan`, else nil); M.sh runs commands
-- without them, so the leak checker looks at cbal's code only.
M.asan_preload = os.getenv("CBAL_ASAN_PRELOAD")

-- Runs a shell command; returns exit code, stdout, stderr.
function M.sh(cmd, stdin)
  local dir = M.tmpdir()
  local full = cmd .. " >" .. dir .. "/out 2>" .. dir .. "/err"
  if M.asan_preload then full = "unset LD_PRELOAD; " .. full end
  if stdin then
    M.write(dir .. "/in", stdin)
    full = full .. " <" .. dir .. "/in"
  else
    full = full .. " </dev/null"
  end
  local ok, how, code = os.execute(full)
  local out, err = M.read(dir .. "/out"), M.read(dir .. "/err")
  M.rmtree(dir)
  return (how == "exit" and code or 128 + code), out, err
end

-- A float32 raster from row-major values: an ENVI raw file converted by
-- gdal_translate with extra `args` (e.g. "-a_srs EPSG:3857 -a_ullr ...").
-- `bands` is a list of values or a list of such lists; returns the path.
function M.float_raster(dir, name, w, h, bands, args)
  if type(bands[1]) ~= "table" then bands = { bands } end
  local raw = dir .. "/" .. name .. ".raw"
  local f = assert(io.open(raw, "wb"))
  for _, values in ipairs(bands) do
    for i = 1, w * h do f:write(string.pack("<f", values[i])) end
  end
  f:close()
  M.write(dir .. "/" .. name .. ".hdr", ("ENVI\nsamples = %d\nlines = %d\nbands = %d\n" ..
    "header offset = 0\nfile type = ENVI Standard\ndata type = 4\n" ..
    "interleave = bsq\nbyte order = 0\n"):format(w, h, #bands))
  local out = dir .. "/" .. name .. ".tif"
  local rc, _, err = M.sh("gdal_translate -q " .. args .. " " .. q(raw) .. " " .. q(out))
  assert(rc == 0, err)
  return out
end

-- A GeoJSON layer (EPSG:4326, GeoJSON's CRS) of polygons given as their
-- coordinates' JSON text, with a field id = 1, 2, ...; returns the path.
function M.geojson_polygons(path, polys)
  local feats = {}
  for i, c in ipairs(polys) do
    feats[i] = ('{"type":"Feature","properties":{"id":%d},"geometry":{"type":"Polygon","coordinates":%s}}')
      :format(i, c)
  end
  M.write(path, ('{"type":"FeatureCollection","features":[%s]}'):format(table.concat(feats, ",")))
  return path
end

-- Runs build/cbal with the given argument list (quoted for the shell).
function M.run_cbal(args, stdin)
  local parts = { M.cbal }
  for _, a in ipairs(args) do parts[#parts + 1] = q(a) end
  return M.sh(table.concat(parts, " "), stdin)
end

return M
