-- validation = {counties = {...}, cities = {...}}: the allocated C checked
-- against independent inventories: a county reference (e.g. the CEADs
-- county estimates of Chen et al. 2020, through a code crosswalk for merged
-- and renamed units), the same summed to cities, and city totals. The
-- metrics per year go to t8_validation.csv and a report section.
local cbal = require "cbal"
local opts = require "cbal.opts"
local normalize = require("cbal.panel").normalize_id
local util = require "cbal.study.util"
local fail, bare = util.fail, util.bare
local V = cbal.validate

local M = { name = "validation" }

M.fields = { { "validation", keys = { "counties", "cities", "years" } } }

local SUB = {
  counties = { "table", "id", "year", "value", "crosswalk", "name" },
  cities = { "table", "id", "year", "value", "name" },
}

function M.check(d)
  local v = d.validation
  if v == nil then return end
  if not v.counties and not v.cities then
    fail("field 'validation' needs counties = {...} or cities = {...} (a reference table)")
  end
  for level, keys in pairs(SUB) do
    local t = v[level]
    if t ~= nil then
      if type(t) ~= "table" then fail("validation.%s must be a table {table =, id =, value =}", level) end
      local msg = opts.unknown(t, keys, "validation." .. level)
      if msg then fail("%s", msg) end
      if type(t.table) ~= "string" then fail("validation.%s needs table = a file", level) end
      if type(t.id) ~= "string" or type(t.value) ~= "string" then
        fail("validation.%s needs id = and value = (column names; value = \"C{year}\" for a "
          .. "column per year, or value with year = for a long table)", level)
      end
    end
  end
  if v.counties and v.counties.crosswalk ~= nil and type(v.counties.crosswalk) ~= "table" then
    fail("validation.counties.crosswalk must be {table =, from =, to =}")
  end
end

-- {[year] = {ids = {...}, values = {...}}} of reference r (wide when its
-- value has {year}, long with a year column otherwise).
local function read_reference(r, level, years)
  local ok, t = pcall(cbal.read_table, r.table)
  if not ok then fail("validation.%s: %s", level, bare(t)) end
  local function col(name)
    if not t[name] then fail("validation.%s: %s has no column '%s'", level, r.table, name) end
    return t[name]
  end
  local ids, out = col(r.id), {}
  for _, y in ipairs(years) do
    if r.value:find("{year}", 1, true) then
      local c = t[(r.value:gsub("{year}", tostring(y)))]
      if c then
        out[y] = { ids = ids, values = cbal.array(#ids, 0) }
        for i = 1, #ids do out[y].values[i] = type(c[i]) == "number" and c[i] or 0 / 0 end
      end
    else
      local yc, vc = col(r.year or "year"), col(r.value)
      local yi, yv = {}, {}
      for i = 1, #yc do
        if math.tointeger(yc[i]) == y then
          yi[#yi + 1] = ids[i]
          yv[#yv + 1] = type(vc[i]) == "number" and vc[i] or 0 / 0
        end
      end
      if #yi > 0 then out[y] = { ids = yi, values = cbal.array(yv) } end
    end
  end
  return out
end

local function read_crosswalk(cw)
  if not cw then return nil end
  local ok, t = pcall(cbal.read_table, cw.table)
  if not ok then fail("validation.counties.crosswalk: %s", bare(t)) end
  local from, to = t[cw.from or "from"], t[cw.to or "to"]
  if not from or not to then
    fail("validation.counties.crosswalk: %s needs columns '%s' and '%s'", cw.table,
      cw.from or "from", cw.to or "to")
  end
  local map = {}
  for i = 1, #from do map[from[i]] = to[i] end
  return map
end

-- Adds the metrics of pred against ref (named pairs) to the rows.
local function add(S, ref, level, y, pred, refv, names)
  local ok, m = pcall(V.validate, pred, refv, { names = names })
  if not ok then fail("validation: %s (%s) in %d: %s", ref, level, y, (bare(m):gsub("^validate: ", ""))) end
  S.validation.rows[#S.validation.rows + 1] = { reference = ref, level = level, year = y, m = m }
  return m
end

-- County reference: at counties, and summed to cities.
local function counties(S, r, cw, y, ref, names)
  local p = S.panel
  local pred = p:get("C", y)
  local ok, units = pcall(V.to_units, ref.ids, ref.values, p.ids, cw)
  if not ok then fail("validation.counties (%s, %d): %s", r.table, y, (bare(units):gsub("^validate: ", ""))) end
  local label = r.name or "county reference"
  local m = add(S, label, "counties", y, pred, units, names)
  local cids, pc = V.sum_by(pred, p.city)
  local _, rc = V.sum_by(units, p.city)
  return { label = label, cids = cids, pred = pc, ref = rc, units = units, pred_c = pred, m = m }
end

-- City reference against C summed to cities.
local function cities(S, r, y, ref)
  local p = S.panel
  local cids, pc = V.sum_by(p:get("C", y), p.city)
  local pos, vals = {}, cbal.array(#cids, 0 / 0)
  for i, c in ipairs(cids) do pos[c] = i end
  for i = 1, #ref.ids do
    local c = normalize(ref.ids[i])
    if not pos[c] then
      fail("validation.cities: city %s of %s has no counties (the counties' city field holds "
        .. "e.g. '%s'); use the same ids in both, or drop other cities from the table",
        tostring(c), r.table, cids[1])
    end
    vals[pos[c]] = ref.values[i]
  end
  return { label = r.name or "city totals", cids = cids, pred = pc, ref = vals }
end

local function city_names(S)
  local out = {}
  for i = 1, S.panel.n do out[normalize(S.panel.city[i])] = tostring(S.panel.city[i]) end
  return out
end

function M.run(S, d)
  local v = d.validation
  if not v then return end
  local years = S.years
  if v.years then
    years = {}
    for _, y in ipairs(v.years) do years[#years + 1] = y end
  end
  S.validation = { rows = {}, panels = {} }
  local names = S.panel.names
  local cref = v.counties and read_reference(v.counties, "counties", years)
  local tref = v.cities and read_reference(v.cities, "cities", years)
  local cw = v.counties and read_crosswalk(v.counties.crosswalk)
  if v.counties then util.input(S, "validation counties", v.counties.table) end
  if cw then util.input(S, "validation crosswalk", v.counties.crosswalk.table) end
  if v.cities then util.input(S, "validation cities", v.cities.table) end
  local last
  for _, y in ipairs(years) do
    local c = cref and cref[y] and counties(S, v.counties, cw, y, cref[y], names)
    if c then c.m_city = add(S, c.label .. " summed to cities", "cities", y, c.pred, c.ref, c.cids) end
    local t = tref and tref[y] and cities(S, v.cities, y, tref[y])
    if t then t.m = add(S, t.label, "cities", y, t.pred, t.ref, t.cids) end
    if c or t then last = { year = y, c = c, t = t } end
  end
  if not last then
    fail("validation: no reference has a value in the study years %d-%d (check validation.*.value "
      .. "and .year)", years[1], years[#years])
  end
  S.validation.last, S.validation.city_names = last, city_names(S)
  local refs = {}
  if v.counties then refs[#refs + 1] = v.counties.name or v.counties.table end
  if v.cities then refs[#refs + 1] = v.cities.name or v.cities.table end
  S.params.validation = ("allocated C against %s; metrics in t8_validation.csv")
    :format(table.concat(refs, " and "))
end

return M
