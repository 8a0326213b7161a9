-- Zonal sums per county and year: light (Σ DN × coverage) and NPP (kg C
-- from density × true cell area), each distinct grid's coverage built once
-- (a series may change grid between years, e.g. on a switch of product).
local cbal = require "cbal"
local carbon = require "cbal.carbon"
local opts = require "cbal.opts"
local tiles = require "cbal.study.tiles"
local util = require "cbal.study.util"
local uncovered = require "cbal.study.uncovered"
local fail = util.fail

local M = { name = "zonal" }

M.fields = {
  { "light", required = true, keys = { "path", "nodata", "band", "crs", "subdataset" },
    needs = "path" },
  { "npp", required = true, keys = { "path", "units", "nodata", "range", "scale", "band", "crs",
    "subdataset", "no_vegetation" }, needs = "path" },
  { "coverage" }, { "threads" }, { "max_uncovered" },
}

local MOD17_FILL = { 32761, 32762, 32763, 32764, 32765, 32766, 32767 }

-- npp.units is required: the carbon mass of density x m2 after the file's
-- scale is never guessed.
function M.check(d)
  local u, names = d.npp.units, carbon.MASS_UNIT_NAMES
  if u == nil then
    fail("npp.units is missing: give the carbon mass of the NPP density x true cell area after "
      .. "the file's scale, one of: %s (\"kg C\" for MOD17A3 in kg C/m2, \"g C\" for g C/m2); "
      .. "units are never guessed", table.concat(names, ", "))
  end
  local bad = opts.bad_value("npp", "units", u, names)
  if bad then fail("%s", bad) end
  uncovered.limits(d.max_uncovered)
end

-- The raster of year y (one file or a mosaic of tiles) and its files.
local function open_year(field, y, opts)
  return tiles.open(field, y, opts)
end

-- Opens every year's raster once before any work, so a missing year fails
-- at once; a pattern without {year} is one raster for all years (warned).
local function check_series(series, years)
  for _, f in ipairs(series) do
    if tiles.fixed(f) then
      cbal.warn(("study: %s.path has no {year}: the same raster %s is used for every year")
        :format(f.name, type(f.path) == "table" and table.concat(f.path, " + ") or f.path))
    end
    for _, y in ipairs(years) do
      local r = open_year(f, y, f.opts)
      r:close()
    end
  end
end

-- The two series with their open options; records them in S.params.
local function series(d, S)
  local light = { name = "light", path = d.light.path,
    opts = { nodata = d.light.nodata, band = d.light.band, crs = d.light.crs,
             subdataset = d.light.subdataset } }
  -- MOD17A3 tiles as downloaded: the Npp_500m subdataset unless told otherwise
  local npp = { name = "npp", path = d.npp.path, subdataset = "Npp_500m",
    opts = { nodata = d.npp.nodata or MOD17_FILL, range = d.npp.range, scale = d.npp.scale,
             band = d.npp.band, crs = d.npp.crs, subdataset = d.npp.subdataset } }
  -- the MOD17A3 land-cover codes among the nodata values are covered (NPP 0)
  local nonveg = d.npp.no_vegetation or uncovered.land_cover_codes(npp.opts.nodata)
  npp.nonveg = uncovered.no_vegetation_opts(npp.opts, nonveg)
  S.params.light_nodata = d.light.nodata or "none declared (0 is darkness)"
  S.params.npp_nodata = npp.opts.nodata
  S.params.npp_no_vegetation = nonveg
  return light, npp
end

-- The zones of raster r: those built for an earlier raster on its grid, or
-- new ones, kept in the list `built` (shared by the series) and recorded
-- under the series' name in `used`.
local function zones_for(S, built, used, name, r)
  local z
  for _, b in ipairs(built) do
    if b:fits(r) then z = b break end
  end
  if not z then
    z = cbal.zones(S.layer, r, { mode = S.params.coverage })
    built[#built + 1] = z
  end
  used[name] = used[name] or {}
  used[name][z] = true
  return z
end

-- Sums of year y: light DN and NPP carbon mass per county, and the share
-- of each county each product leaves uncovered.
local function year_sums(S, zones, light, npp, y, threads)
  local lr, lf = open_year(light, y, light.opts)
  local nr, nf = open_year(npp, y, npp.opts)
  for _, f in ipairs(lf) do util.input(S, "light " .. y, f) end
  for _, f in ipairs(nf) do util.input(S, "npp " .. y, f) end
  local lp, np = lr.path, nr.path
  local lz = zones_for(S, zones.built, zones.used, "light", lr)
  local nz = zones_for(S, zones.built, zones.used, "npp", nr)
  local ls = lz:stats(lr, { "sum" }, { threads = threads })
  local ns = nz:stats(nr, { "weighted_sum" }, { weights = "area", threads = threads })
  if not (ls.sum:sum() > 0) then
    fail("%s: no light in any county (all zero or nodata); check light.nodata and the file", lp)
  end
  if not (ns.weighted_sum:sum() > 0) then
    fail("%s: no valid NPP in any county; check npp.nodata, npp.range and npp.scale", np)
  end
  local extra
  if npp.nonveg then
    local vr = open_year(npp, y, npp.nonveg)
    extra = nz:stats(vr, { "count" }, { threads = threads }).valid
    vr:close()
  end
  lr:close(); nr:close()
  return ls, ns, uncovered.share(ls), uncovered.share(ns, extra)
end

-- Whether any of the zones in the set were reprojected.
local function reprojected(set)
  for z in pairs(set) do
    if z.reprojected then return true end
  end
  return false
end

function M.run(S, d)
  local p, years = S.panel, S.years
  S.params.coverage = d.coverage or "exact"
  local limits = uncovered.limits(d.max_uncovered)
  S.params.max_uncovered = limits
  local light, npp = series(d, S)
  local npp_units = d.npp.units
  S.params.npp_units = npp_units .. " (density x true cell area; given in npp.units)"
  check_series({ light, npp }, years)
  local zones = { built = {}, used = {} }
  local bar <close> = cbal.progress("zonal statistics", #years)
  for i, y in ipairs(years) do
    local ls, ns, lu, nu = year_sums(S, zones, light, npp, y, d.threads)
    p:set("light", y, ls.sum)
    local n = p:set("N", y, carbon.sequestration(ns.weighted_sum, npp_units))
    p:set("NPP", y, n / carbon.CO2_PER_C)
    p:set("light_uncovered", y, lu)
    p:set("npp_uncovered", y, nu)
    uncovered.check_year(p, "light", lu, y, limits)
    uncovered.check_year(p, "npp", nu, y, limits)
    bar:update(i)
  end
  bar:finish()
  uncovered.warn_product(p, "light", years, limits)
  uncovered.warn_product(p, "npp", years, limits)
  S.params.reprojected = { light = reprojected(zones.used.light), npp = reprojected(zones.used.npp) }
  S.params.grids = #zones.built
end

return M
