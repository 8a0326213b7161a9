-- cbal.study{...}: the whole county carbon-balance study from a description
-- (counties, rasters, tables, criteria) to CSV tables, a GeoPackage,
-- figures, report.html and manifest.json in one output folder.
local cbal = require "cbal"
local panel = require "cbal.panel"
local carbon = require "cbal.carbon"
local lmdi = require "cbal.lmdi"
local aggregate = require "cbal.aggregate"
local zoning = require "cbal.zoning"
local manifest = require "cbal.manifest"
local report = require "cbal.report"
local opts = require "cbal.opts"

local M = {}

local KEYS = { "title", "counties", "regions", "years", "emissions", "light",
  "npp", "socio", "coverage", "criteria", "periods", "growth_periods",
  "map_years", "gpkg_years", "out", "figures", "report", "quiet", "synthetic",
  "threads", "description" }

local function fail(fmt, ...) error("study: " .. fmt:format(...), 0) end

-- The keys of each sub-table; a misspelt one raises instead of being ignored.
local SUBKEYS = {
  counties = { "path", "layer", "id", "name", "city", "region" },
  emissions = { "ceads", "province", "years", "table", "year", "value" },
  light = { "path", "nodata", "band", "crs" },
  npp = { "path", "units", "nodata", "range", "scale", "band", "crs" },
  socio = { "table", "id", "year", "gdp", "population", "area", "units", "recode",
    "allow_unmatched", "encoding" },
}

local function check_sub(desc, field, keys)
  local t = desc[field]
  if t == nil then return end
  if type(t) ~= "table" then
    fail("field '%s' must be a table (see docs/study.md), got %s", field, type(t))
  end
  local named = {}
  for k, v in pairs(t) do
    -- emissions may also be a table year -> Mt
    if not (field == "emissions" and math.type(k) == "integer") then named[k] = v end
  end
  local msg = opts.unknown(named, keys, ("field '%s'"):format(field))
  if msg then fail("%s", msg) end
  if t.path == nil and (field == "counties" or field == "light" or field == "npp") then
    fail("field '%s' needs a path", field)
  end
  if field == "socio" and t.table == nil then fail("field 'socio' needs a table (a file path)") end
end

local function check(desc)
  if type(desc) ~= "table" then fail("the description must be a table") end
  local msg = opts.unknown(desc, KEYS, "the description")
  if msg then fail("%s", msg) end
  for _, k in ipairs({ "counties", "years", "emissions", "light", "npp", "socio", "out" }) do
    if desc[k] == nil then fail("field '%s' is missing from the description", k) end
  end
  for k, keys in pairs(SUBKEYS) do check_sub(desc, k, keys) end
  local y = desc.years
  if type(y) ~= "table" or math.type(y[1]) ~= "integer" or math.type(y[2]) ~= "integer"
     or y[2] <= y[1] then
    fail("field 'years' must be {first, last} with last > first")
  end
end

-- The path of year y from a pattern with {year}; a path without {year} is
-- the same file for every year (warned once by check_series).
local function year_path(pattern, y, what)
  if type(pattern) ~= "string" then
    fail("%s must be a path (a pattern with {year} for a yearly series)", what)
  end
  return (pattern:gsub("{year}", tostring(y)))
end

-- An error message without the Lua position a binding prepends.
local function bare(msg)
  return (tostring(msg):gsub("^[^%s']-%.lua:%d+: ", ""))
end

local function open_year(field, y, opts)
  local path = year_path(field.path, y, field.name .. ".path")
  local ok, r = pcall(cbal.open_raster, path, opts)
  if not ok then
    fail("%s raster of %d: %s; every year of 'years' needs one (check %s.path and 'years')",
         field.name, y, bare(r), field.name)
  end
  return r, path
end

-- Opens every year's raster once before any work, so a missing year fails
-- at once; a pattern without {year} is one raster for all years (warned).
local function check_series(d, years, lo, no)
  for _, f in ipairs({ { name = "light", path = d.light.path, o = lo },
                       { name = "npp", path = d.npp.path, o = no } }) do
    if type(f.path) == "string" and not f.path:find("{year}", 1, true) then
      cbal.warn(("study: %s.path has no {year}: the same raster %s is used for every year")
        :format(f.name, f.path))
    end
    for _, y in ipairs(years) do
      local r = open_year(f, y, f.o)
      r:close()
    end
  end
end

-- A layer field by the description's name for it (e.g. counties.id).
local function layer_field(layer, c, key, default)
  local name = c[key] or default
  local ok, v = pcall(layer.field, layer, name)
  if not ok then fail("counties.%s: %s", key, bare(v)) end
  return v
end

-- The panel of counties from the layer and the region membership.
local function load_counties(d, S)
  local c = d.counties
  local layer = cbal.open_layer(c.path, { layer = c.layer })
  S.inputs[#S.inputs + 1] = { role = "counties", path = c.path }
  local ids = layer_field(layer, c, "id", "code")
  local idl = {}
  for i = 1, #layer do idl[i] = panel.normalize_id(ids[i]) end
  local names = c.name and layer_field(layer, c, "name") or nil
  if not c.city then
    fail("counties.city must name the prefecture city field of %s", c.path)
  end
  local city = layer_field(layer, c, "city")
  local region
  if type(d.regions) == "table" then
    local of = {}
    for r, cities in pairs(d.regions) do
      for _, ct in ipairs(cities) do of[ct] = r end
    end
    region = {}
    local missing, seen = {}, {}
    for i = 1, #layer do
      region[i] = of[city[i]]
      if not region[i] and not seen[tostring(city[i])] then
        seen[tostring(city[i])] = true
        missing[#missing + 1] = ("%s (e.g. county %s)"):format(tostring(city[i]), tostring(idl[i]))
      end
    end
    if #missing > 0 then
      fail("city %s is in no region of field 'regions'; add %s to a region's list",
           table.concat(missing, ", "), #missing > 1 and "them" or "it")
    end
  elseif c.region then
    region = layer_field(layer, c, "region")
  else
    fail("give the region membership: regions = {name = {city, ...}} or counties.region = a field")
  end
  local p = panel.new{ ids = idl, names = names, city = city, region = region }
  return p, layer
end

-- Zonal sums per year: light (sum of DN x coverage) and NPP (kg C from
-- density x true cell area), each grid's coverage built once.
local function zonal(d, S, p, layer, years)
  local lz, nz
  local lo = { nodata = d.light.nodata, band = d.light.band, crs = d.light.crs }
  local no = { nodata = d.npp.nodata or { 32761, 32762, 32763, 32764, 32765, 32766, 32767 },
               range = d.npp.range, scale = d.npp.scale, band = d.npp.band, crs = d.npp.crs }
  local npp_units = d.npp.units or "kg C"
  S.params.light_nodata = d.light.nodata or "none declared (0 is darkness)"
  S.params.npp_nodata = no.nodata
  S.params.npp_units = npp_units .. " (density x true cell area)"
  check_series(d, years, lo, no)
  local lopt, nopt = { threads = d.threads }, { weights = "area", threads = d.threads }
  local bar <close> = cbal.progress("zonal statistics", #years)
  for i, y in ipairs(years) do
    local lr, lp = open_year({ name = "light", path = d.light.path }, y, lo)
    local nr, np = open_year({ name = "npp", path = d.npp.path }, y, no)
    S.inputs[#S.inputs + 1] = { role = "light " .. y, path = lp }
    S.inputs[#S.inputs + 1] = { role = "npp " .. y, path = np }
    lz = lz or cbal.zones(layer, lr, { mode = S.params.coverage })
    nz = nz or cbal.zones(layer, nr, { mode = S.params.coverage })
    local ls = lz:stats(lr, { "sum" }, lopt)
    local ns = nz:stats(nr, { "sum" }, nopt)
    if not (ls.sum:sum() > 0) then
      fail("%s: no light in any county (all zero or nodata); check light.nodata and the file", lp)
    end
    if not (ns.sum:sum() > 0) then
      fail("%s: no valid NPP in any county; check npp.nodata, npp.range and npp.scale", np)
    end
    p:set("light", y, ls.sum)
    local n = p:set("N", y, carbon.sequestration(ns.sum, npp_units))
    p:set("NPP", y, n / carbon.CO2_PER_C)
    lr:close(); nr:close()
    bar:update(i)
  end
  bar:finish()
  S.params.reprojected = { light = lz.reprojected, npp = nz.reprojected }
end

-- Provincial emissions year -> Mt from a table, CEADs workbooks or a list.
local function emissions(d, S, years)
  local e, totals = d.emissions, {}
  if e.ceads then
    if type(e.ceads) ~= "string" or not e.ceads:find("{year}", 1, true) then
      fail("emissions.ceads must be a path pattern with {year} (one CEADs workbook per year)")
    end
    local paths, absent = {}, {}
    for _, y in ipairs(e.years or years) do
      paths[#paths + 1] = year_path(e.ceads, y, "emissions.ceads")
      S.inputs[#S.inputs + 1] = { role = "ceads " .. y, path = paths[#paths] }
      local f = io.open(paths[#paths], "rb")
      if f then f:close() else absent[#absent + 1] = y end
    end
    if #absent > 0 then
      fail("emissions.ceads: no workbook for %s (%s does not exist); CEADs provincial "
        .. "inventories end in 2019: shorten 'years' or give the emissions as a table",
        panel.ranges(absent), year_path(e.ceads, absent[1], "emissions.ceads"))
    end
    local ok, t = pcall(cbal.ceads.province_totals, paths, e.province)
    if not ok then fail("emissions.ceads: %s", (bare(t):gsub("^ceads: ", ""))) end
    totals = t
    S.params.emissions_source = "CEADs Scope 1 total, province " .. e.province
  elseif e.table then
    local cols = cbal.read_table(e.table)
    local yc, vc = cols[e.year or "year"], cols[e.value or "emissions"]
    if not yc or not vc then
      fail("%s: needs columns '%s' and '%s'", e.table, e.year or "year", e.value or "emissions")
    end
    for i = 1, #yc do totals[math.tointeger(yc[i]) or yc[i]] = vc[i] end
    S.inputs[#S.inputs + 1] = { role = "emissions", path = e.table }
    S.params.emissions_source = "table " .. e.table
  else
    for y, v in pairs(e) do totals[y] = v end
    S.params.emissions_source = "given in the description"
  end
  local missing = {}
  for _, y in ipairs(years) do
    if type(totals[y]) ~= "number" or totals[y] ~= totals[y] then missing[#missing + 1] = y end
  end
  local src = e.ceads and ("CEADs, " .. e.ceads) or e.table or "field 'emissions'"
  if #missing > 0 then
    fail("the provincial emissions (%s) have no value for %s; add %s or shorten 'years'",
      src, panel.ranges(missing), #missing > 1 and "them" or "it")
  end
  for _, y in ipairs(years) do
    if not (totals[y] > 0) or totals[y] == math.huge then
      fail("the provincial emissions (%s) for %d are %s Mt; they must be a positive number",
        src, y, ("%.6g"):format(totals[y]))
    end
  end
  return totals
end

-- The study's units for G, P and S (those of Chinese yearbooks; per-capita
-- tables are t CO2 per person and intensity t CO2 per 10k yuan) and the
-- factors from other units a table may use.
local UNITS = {
  gdp = { var = "G", base = "100 million yuan", from = { ["100 million yuan"] = 1,
    ["billion yuan"] = 10, ["million yuan"] = 0.01, ["10k yuan"] = 1e-4, ["yuan"] = 1e-8 } },
  population = { var = "P", base = "10k persons", from = { ["10k persons"] = 1,
    ["million persons"] = 100, ["thousand persons"] = 0.1, ["persons"] = 1e-4 } },
  area = { var = "S", base = "km2", from = { km2 = 1, ha = 0.01, m2 = 1e-6 } },
}
-- A county median above this in the study's unit is implausible (50
-- million people, 100 trillion yuan, a 1 million km2 county).
local IMPLAUSIBLE = { gdp = 1e6, population = 5000, area = 1e6 }

local function median(a)
  local t = {}
  for i = 1, #a do if a[i] == a[i] then t[#t + 1] = a[i] end end
  table.sort(t)
  return t[(#t + 1) // 2]
end

-- Converts G, P, S of every joined year to the study's units (socio.units)
-- and rejects values that are plainly in another unit.
local function socio_units(s, S, p, years)
  local units = s.units or {}
  if type(units) ~= "table" then fail("socio.units must be a table {gdp =, population =, area =}") end
  for k in pairs(units) do
    if not UNITS[k] then
      fail("%s", opts.unknown(units, { "gdp", "population", "area" }, "socio.units"))
    end
  end
  S.params.socio_units = {}
  for _, k in ipairs({ "gdp", "population", "area" }) do
    local u = UNITS[k]
    local given = units[k] or u.base
    local f = u.from[given]
    if not f then
      local names = {}
      for n in pairs(u.from) do names[#names + 1] = '"' .. n .. '"' end
      table.sort(names)
      fail("socio.units.%s = '%s' is not known (use one of %s)", k, tostring(given), table.concat(names, ", "))
    end
    S.params.socio_units[k] = given == u.base and u.base or (given .. " -> " .. u.base)
    for _, y in ipairs(years) do
      if p:has(u.var, y) then
        local a = p:get(u.var, y)
        if f ~= 1 then a = p:set(u.var, y, a * f) end
        local m = median(a)
        if m and m > IMPLAUSIBLE[k] then
          fail("%s: the median county %s in %d is %.6g %s, which is implausible; if the column "
            .. "is in other units say so, e.g. socio.units = {%s = \"%s\"}", s.table, k, y, m,
            u.base, k, k == "gdp" and "yuan" or k == "population" and "persons" or "m2")
        end
      end
    end
  end
end

local function socio(d, S, p, years)
  local s = d.socio
  local cols = cbal.read_table(s.table, { encoding = s.encoding })
  S.inputs[#S.inputs + 1] = { role = "socio-economic", path = s.table }
  local ok, r = pcall(p.join, p, cols, { id = s.id or "code", year = s.year or "year",
    fields = { G = s.gdp or "gdp", P = s.population or "population", S = s.area or "area" },
    source = s.table, recode = s.recode, allow_unmatched = s.allow_unmatched })
  if not ok then
    -- the join's advice in the description's terms, without Lua positions
    local msg = bare(r):gsub("^panel:join: ", "")
      :gsub("map changed codes with recode =", "map changed codes with socio.recode =")
      :gsub("pass allow_unmatched = true", "set socio.allow_unmatched = true")
      :gsub("recode maps", "socio.recode maps")
    fail("socio: %s", msg)
  end
  local have, missing = {}, {}
  for _, y in ipairs(r.years) do have[y] = true end
  for _, y in ipairs(years) do
    if not have[y] then missing[#missing + 1] = y end
  end
  if #missing > 0 then
    fail("%s has no rows for %s (its years: %s); every year of 'years' needs GDP, population "
      .. "and area: add the rows or shorten 'years'", s.table, panel.ranges(missing),
      panel.ranges(r.years))
  end
  socio_units(s, S, p, years)
  S.params.socio_join = { recode = s.recode, encoding = s.encoding,
    allow_unmatched = s.allow_unmatched or false, table_only = r.table_only,
    panel_only = r.panel_only }
  return r
end

-- Clamps study periods to the study years.
local function clamp(periods, years, default)
  local out = {}
  for _, pr in ipairs(periods or default) do
    local a, b = math.max(pr[1], years[1]), math.min(pr[2], years[2])
    if b > a then out[#out + 1] = { a, b } end
  end
  if #out == 0 then out[1] = { years[1], years[2] } end
  return out
end

local function picks(list, years, default)
  local out = {}
  for _, y in ipairs(list or default) do
    if y >= years[1] and y <= years[2] then out[#out + 1] = y end
  end
  if #out < 2 then out = { years[1], years[2] } end
  return out
end

-- Output folder: everything is written into a fresh sibling folder and
-- swapped in only when the whole study succeeded, so `out` is either the
-- complete new result or untouched (a failed run removes its staging).
local function q(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end

local function is_dir(path)
  return os.execute("test -d " .. q(path)) == true
end

local function stage(out)
  if type(out) ~= "string" or out == "" then fail("field 'out' must be a folder path") end
  out = out:gsub("/+$", "")
  if out == "" or out == "." or out == ".." or out:match("/%.%.?$") then
    fail("out = '%s': give a folder of its own for the results (e.g. out/mystudy)", out)
  end
  if os.execute("test -e " .. q(out)) == true then
    if not is_dir(out) then fail("out = '%s' exists and is not a folder; choose another out", out) end
    local empty = os.execute("test -z \"$(ls -A " .. q(out) .. ")\"") == true
    if not empty and os.execute("test -f " .. q(out .. "/manifest.json")) ~= true then
      fail("out = '%s' exists and is not a cbal output folder (no manifest.json); it would be "
        .. "replaced as a whole: choose a new or empty folder", out)
    end
  end
  local tmp = ("%s.partial-%d-%d"):format(out, os.time(), math.random(1, 1 << 30))
  if os.execute("mkdir -p " .. q(tmp) .. " 2>/dev/null") ~= true then
    fail("cannot create the output folder '%s' (its parent is missing, not a folder or not "
      .. "writable); choose another out", out)
  end
  return out, tmp
end

-- Swaps the finished staging folder in for out (the old result removed).
local function publish(tmp, out)
  local old
  if is_dir(out) then
    old = ("%s.old-%d-%d"):format(out, os.time(), math.random(1, 1 << 30))
    local ok, err = os.rename(out, old)
    if not ok then fail("cannot replace '%s' (%s); the new results are in '%s'", out, err, tmp) end
  end
  local ok, err = os.rename(tmp, out)
  if not ok then
    if old then os.rename(old, out) end
    fail("cannot move the results into '%s' (%s); they are in '%s'", out, err, tmp)
  end
  if old then os.execute("rm -rf " .. q(old)) end
end

-- Rewrites output paths (outputs, figures, tables) from the staging folder
-- to the final one.
local function relocate(S, tmp, out)
  local pre = tmp .. "/"
  for _, list in ipairs({ S.outputs, S.figures or {}, S.tables or {} }) do
    for _, f in pairs(list) do
      if type(f) == "table" then
        for k, v in pairs(f) do
          if type(v) == "string" and v:sub(1, #pre) == pre then f[k] = out .. v:sub(#tmp + 1) end
        end
      end
    end
  end
  S.out = out
end

-- Runs the study; returns a result table (panel, tables, outputs, summary).
function M.run(d)
  check(d)
  local out, tmp = stage(d.out)
  local ok, res = pcall(M.compute, d, tmp)
  if not ok then
    os.execute("rm -rf " .. q(tmp))
    error(res, 0)
  end
  local S = res
  ok, res = pcall(function()
    publish(tmp, out)
    relocate(S, tmp, out)
    manifest.write(S, d)
  end)
  if not ok then
    os.execute("rm -rf " .. q(tmp))
    error(res, 0)
  end
  S.seconds = os.clock() - S.t0
  if not d.quiet then print(report.summary(S)) end
  return S
end

-- The study into folder `dir` (tables, figures, report; no manifest).
function M.compute(d, dir)
  local t0 = os.clock()
  local years = panel.span(d.years[1], d.years[2])
  local S = { inputs = {}, outputs = {}, out = dir, tables = {}, t0 = t0,
    params = { coverage = d.coverage or "exact", lmdi = "additive LMDI-I (Ang 2005), " ..
      "period-wise; chained year by year also given", conversion =
      "N = 1.62/0.45 x NPP (g CO2 per g C); C allocated by night-light share",
      years = d.years } }
  S.periods = clamp(d.periods, d.years, { { 2000, 2010 }, { 2011, 2021 } })
  S.growth_periods = clamp(d.growth_periods, d.years, { { 2001, 2011 }, { 2012, 2021 }, { 2000, 2021 } })
  S.map_years = picks(d.map_years, d.years, { 2000, 2005, 2010, 2021 })
  S.gpkg_years = picks(d.gpkg_years, d.years, S.map_years)
  local p, layer = load_counties(d, S)
  S.panel, S.layer, S.years = p, layer, years
  -- cheap checks first: a bad criteria file or a missing emissions year
  -- fails before the zonal work
  if type(d.criteria) == "string" then zoning.load(d.criteria) end
  S.totals = emissions(d, S, years)
  S.join = socio(d, S, p, years)
  zonal(d, S, p, layer, years)
  carbon.allocate_panel(p, S.totals, "light", { years = years })
  S.ind = carbon.panel_indicators(p, years)
  -- provincial totals over every county (allocation sums to the total)
  S.prov = {}
  for _, y in ipairs(years) do
    S.prov[y] = { C = p:get("C", y):sum(), N = p:get("N", y):sum() }
  end
  S.criteria = d.criteria or "default"
  S.params.criteria = S.criteria
  if type(S.criteria) == "string" then
    local path = S.criteria == "default" and zoning.builtin("default") or S.criteria
    S.inputs[#S.inputs + 1] = { role = "criteria", path = path }
  end
  if type(d.description) == "string" then
    S.inputs[#S.inputs + 1] = { role = "description", path = d.description }
  end
  local vars = {}
  for _, v in ipairs({ "ECC", "ESC", "Q", "C", "N", "G", "P", "S" }) do
    vars[v] = {}
    for _, y in ipairs(years) do vars[v][y] = p:get(v, y) end
  end
  S.zones, S.zone_counts, S.zone_info = zoning.classify(S.criteria, vars)
  S.lmdi = {}
  for _, pr in ipairs(S.periods) do
    -- the county decomposition warns about undefined counties once; the
    -- regional ones leave the same counties out and stay quiet
    local r = lmdi.county(p, { from = pr[1], to = pr[2] })
    local _, reg = lmdi.regional(p, { from = pr[1], to = pr[2], by = "region", warn = false })
    local _, prov = lmdi.regional(p, { from = pr[1], to = pr[2], warn = false })
    local chain = lmdi.county(p, { from = pr[1], to = pr[2], chained = true })
    S.lmdi[#S.lmdi + 1] = { from = pr[1], to = pr[2], county = r, region = reg,
                            province = prov, chained = chain }
  end
  S.compute_seconds = os.clock() - t0
  report.write(S, d)
  return S
end

return setmetatable(M, { __call = function(_, d) return M.run(d) end })
