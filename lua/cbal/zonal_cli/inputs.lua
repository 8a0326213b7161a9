-- The inputs of `cbal zonal`: raster descriptors ([name:]path, path[band],
-- globs, bands of a multi-band file) opened and grouped by grid, the weights,
-- and the polygons with the fields the output copies.
local cbal = require "cbal"
local err = require "cbal.zonal_cli.err"

local M = {}

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end
M.exists = exists

-- GDAL's own "DRIVER:..." prefixes, which are not raster names.
local gdal_prefixes = {
  NETCDF = true, HDF4_EOS = true, HDF4_SDS = true, HDF4 = true, HDF5 = true,
  GPKG = true, ZARR = true, GTIFF_DIR = true, NITF_IM = true, PDF = true,
  SENTINEL2 = true, WMS = true, GRIB = true, VRT = true, ["/VSICURL"] = true,
}

-- A raster's default name: its file name without extension; for a GDAL
-- subdataset (NETCDF:"f.nc":npp) the file's, then the subdataset's.
local function stem(path)
  local file, sub = path:match('^[%w_]+:.-"([^"]+)":.-([^:]+)$')
  if file then return stem(file) .. "_" .. sub end
  local base = path:match("([^/]+)$") or path
  return (base:gsub("%.[^.]*$", ""))
end

-- A Lua pattern capturing what each wildcard of a shell pattern matched.
local function glob_pattern(g)
  local out, i = { "^" }, 1
  while i <= #g do
    local c = g:sub(i, i)
    if c == "*" then
      out[#out + 1] = "([^/]-)"
    elseif c == "?" then
      out[#out + 1] = "([^/])"
    elseif c == "[" and g:find("]", i + 2, true) then
      local j = g:find("]", i + 2, true)
      local set = g:sub(i + 1, j - 1):gsub("^!", "^"):gsub("%%", "%%%%")
      out[#out + 1] = "([" .. set .. "])"
      i = j
    else
      out[#out + 1] = c:gsub("%p", "%%%0")
    end
    i = i + 1
  end
  out[#out + 1] = "$"
  return table.concat(out)
end

-- One -r value -> a list of {name =, path =, band =, named = bool}.
local function expand(desc)
  local name, path = nil, desc
  if not exists(desc) then
    local n, p = desc:match("^([^:/]+):(.+)$")
    if n and not gdal_prefixes[n:upper()] then name, path = n, p end
  end
  local band
  if not exists(path) then
    local p, b = path:match("^(.*)%[(%d+)%]$")
    if p then path, band = p, tonumber(b) end
  end
  if exists(path) or not path:find("[*?[]") then
    return { { name = name, path = path, band = band, named = name ~= nil } }
  end
  local files = cbal.glob(path)
  if #files == 0 then err.fail("-r %s: no file matches '%s'", desc, path) end
  local pat, list = glob_pattern(path), {}
  for _, f in ipairs(files) do
    local n = name
    if name and #files > 1 then
      n = name .. "_" .. table.concat({ f:match(pat) }, "_")
    end
    list[#list + 1] = { name = n, path = f, band = band, named = name ~= nil }
  end
  return list
end

local function open_raster(e, a, band)
  local what = "-r " .. e.path
  return err.call(what, cbal.open_raster, e.path,
    { band = band, nodata = a.nodata, crs = a.crs })
end

-- Opens every raster of the -r options; returns a list of {name =, path =,
-- band =, raster = cbal.Raster, label = for messages}.
function M.rasters(a)
  local entries = {}
  for _, d in ipairs(a.rasters) do
    for _, e in ipairs(expand(d)) do entries[#entries + 1] = e end
  end
  local out = {}
  for _, e in ipairs(entries) do
    local band = e.band or a.band
    local r = open_raster(e, a, band)
    if band or r.bands == 1 then
      out[#out + 1] = { name = e.name, path = e.path, raster = r, band = band, named = e.named }
    else
      for b = 1, r.bands do
        local rb = b == 1 and r or open_raster(e, a, b)
        local base = e.name or (#entries > 1 and stem(e.path) or nil)
        out[#out + 1] = { name = (base and base .. "_" or "") .. "band_" .. b,
          path = e.path, raster = rb, band = b, named = true }
      end
    end
  end
  local prefix = #out > 1
  local seen = {}
  for _, e in ipairs(out) do
    if not e.name and prefix then e.name = stem(e.path) end
    if not prefix and not e.named then e.name = nil end
    e.label = e.path .. (e.band and ("[" .. e.band .. "]") or "")
    if e.name then
      if seen[e.name] == e.label then
        err.fail("%s is given twice", e.label)
      elseif seen[e.name] then
        err.fail("two rasters are named '%s' (%s and %s); name them with -r name:path",
          e.name, seen[e.name], e.label)
      end
      seen[e.name] = e.label
    end
  end
  return out
end

-- One coverage serves both rasters (the engine's own comparison).
local function same_grid(r, s)
  return (r:same_grid(s))
end
M.same_grid = same_grid

-- Refuses rasters in different CRSs (or some with a CRS, some without).
function M.check_crs(list)
  local first = list[1]
  local c0 = first.raster:crs()
  for i = 2, #list do
    local c = list[i].raster:crs()
    if (c0 == nil) ~= (c == nil) then
      local with, without = c0 and first or list[i], c0 and list[i] or first
      err.fail("%s has a CRS but %s has none; give it with --crs or warp the " ..
        "rasters into one CRS", with.label, without.label)
    elseif c0 and not cbal.crs_same(c0, c) then
      err.fail("the rasters are in different CRSs: %s is in %s, %s in %s; warp " ..
        "them into one (gdalwarp -t_srs %s %s out.tif)", first.label,
        cbal.crs_label(c0), list[i].label, cbal.crs_label(c), cbal.crs_label(c0),
        list[i].path)
    end
  end
end

-- Groups rasters by grid, in order of first appearance: a list of lists.
function M.grids(list)
  local groups = {}
  for _, e in ipairs(list) do
    local g
    for _, grp in ipairs(groups) do
      if same_grid(grp[1].raster, e.raster) then g = grp break end
    end
    if not g then
      g = {}
      groups[#groups + 1] = g
    end
    g[#g + 1] = e
  end
  return groups
end

-- The -w option: nil, "area", or {name =, raster =} on the rasters' grid.
function M.weights(a, groups)
  local w = a.weights
  if not w or w == "area" then return w end
  local e = expand(w)
  if #e ~= 1 then err.fail("-w %s: give one weight raster, it matches %d files", w, #e) end
  e = e[1]
  local r = err.call("-w " .. e.path, cbal.open_raster, e.path,
    { band = e.band or 1, crs = a.crs })
  for _, g in ipairs(groups) do
    if not same_grid(g[1].raster, r) then
      err.fail("-w %s is not on the grid of %s (cbal weighs cell by cell); warp " ..
        "it onto that grid first (gdalwarp with -te and -tr of %s)", e.path,
        g[1].label, g[1].path)
    end
  end
  return { name = e.name or stem(e.path), raster = r, path = e.path }
end

-- Refuses polygons and rasters of which only one side has a CRS.
function M.check_layer_crs(layer, path, rasters)
  local r = rasters[1]
  local lc, rc = layer:crs(), r.raster:crs()
  if (lc == nil) ~= (rc == nil) then
    err.fail("%s has a CRS (%s) but %s has none; state it with --crs %s", lc and path or r.label,
      cbal.crs_label(lc or rc), lc and r.label or path, cbal.crs_label(lc or rc))
  end
end

-- Opens the polygons and checks the fields of --id and --include-col.
function M.polygons(a)
  local path, layer = a.polygons, a.layer
  if not exists(path) then
    local p, l = path:match("^(.*)%[([^%]]+)%]$")
    if p and exists(p) and not layer then path, layer = p, l end
  end
  local l = err.call("-p " .. path, cbal.open_layer, path,
    { layer = layer, where = a.where, encoding = a.encoding, crs = a.crs, datum = a.datum })
  local fields, have = l:fields(), {}
  if #l == 0 then
    err.fail("-p %s: no polygons%s", path, a.where and (" pass --where '" .. a.where ..
      "' (fields: " .. table.concat(fields, ", ") .. ")") or "")
  end
  for _, f in ipairs(fields) do have[f] = true end
  local function check(opt, f)
    if not have[f] and not pcall(l.field, l, f) then -- FID: the feature ids
      err.fail("%s: '%s' is not a field of %s (fields: %s)", opt, f, path,
        table.concat(fields, ", "))
    end
  end
  if a.id then check("--id", a.id) end
  for _, f in ipairs(a.include) do check("--include-col", f) end
  return l, path
end

return M
