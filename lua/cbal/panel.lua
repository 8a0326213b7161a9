-- A panel of counties x years x variables: one cbal.Array per (variable,
-- year), county ids (6-digit codes as strings), names, city and region, and
-- joins of tables by county id that report ids matching on neither side.
local cbal = require "cbal"

local M = {}
local Panel = {}
Panel.__index = Panel
Panel.__name = "cbal.Panel"

local checkopts = require("cbal.opts").check

-- A county id as a string: numbers print without a decimal part, strings
-- lose surrounding blanks. nil for missing values.
function M.normalize_id(v)
  if v == nil then return nil end
  if type(v) == "number" then
    if v ~= v then return nil end
    if math.type(v) == "float" and v == math.floor(v) then
      return string.format("%d", math.tointeger(v) or v)
    end
    return tostring(v)
  end
  local s = tostring(v):match("^%s*(.-)%s*$")
  if s == "" then return nil end
  local int = s:match("^(%d+)%.0*$")
  return int or s
end

local function aslist(v, n, what)
  if v == nil then return nil end
  local t = {}
  for i = 1, n do t[i] = v[i] end
  if #v ~= n then
    error(("cbal.panel.new: '%s' has %d entries, expected %d (one per county)")
      :format(what, #v, n), 3)
  end
  return t
end

-- cbal.panel.new{ids =, names =, city =, region =}: ids is required (a list
-- of codes); the others are lists of the same length.
function M.new(spec)
  checkopts("cbal.panel.new", spec, { "ids", "names", "city", "region" })
  if type(spec.ids) ~= "table" and type(spec.ids) ~= "userdata" then
    error("cbal.panel.new: 'ids' (a list of county codes) is required", 2)
  end
  local n = #spec.ids
  local p = setmetatable({ n = n, ids = {}, index = {}, data = {} }, Panel)
  for i = 1, n do
    local id = M.normalize_id(spec.ids[i])
    if not id then
      error(("cbal.panel.new: county %d has no id"):format(i), 2)
    end
    if p.index[id] then
      error(("cbal.panel.new: id %s appears twice (counties %d and %d)")
        :format(id, p.index[id], i), 2)
    end
    p.ids[i], p.index[id] = id, i
  end
  p.names = aslist(spec.names, n, "names") or p.ids
  p.city = aslist(spec.city, n, "city")
  p.region = aslist(spec.region, n, "region")
  return p
end

-- "320102 (Xuanwu)" for messages.
function Panel:label(i)
  local name = self.names[i]
  if name and name ~= self.ids[i] then
    return ("%s (%s)"):format(self.ids[i], name)
  end
  return self.ids[i]
end

function Panel:set(var, year, values)
  if type(var) ~= "string" then error("panel:set: variable name must be a string", 2) end
  if math.type(year) ~= "integer" then
    error(("panel:set: year for '%s' must be an integer, got %s"):format(
      var, tostring(year)), 2)
  end
  local a = cbal.array(values)
  if #a ~= self.n then
    error(("panel:set: '%s' %d has %d values, expected %d (one per county)")
      :format(var, year, #a, self.n), 2)
  end
  self.data[var] = self.data[var] or {}
  self.data[var][year] = a
  return a
end

function Panel:has(var, year)
  return self.data[var] ~= nil and self.data[var][year] ~= nil
end

-- Sorted years present for var ({} when none).
function Panel:years(var)
  local ys = {}
  for y in pairs(self.data[var] or {}) do ys[#ys + 1] = y end
  table.sort(ys)
  return ys
end

function Panel:vars()
  local vs = {}
  for v in pairs(self.data) do vs[#vs + 1] = v end
  table.sort(vs)
  return vs
end

-- "2000-2004, 2006" from a sorted list of years.
local function ranges(ys)
  local out, i = {}, 1
  while i <= #ys do
    local j = i
    while j < #ys and ys[j + 1] == ys[j] + 1 do j = j + 1 end
    out[#out + 1] = i == j and tostring(ys[i]) or (ys[i] .. "-" .. ys[j])
    i = j + 1
  end
  return table.concat(out, ", ")
end
M.ranges = ranges

-- The years y0, y0 + 1, ..., y1 as a list ({} when y1 < y0).
function M.span(y0, y1)
  local ys = {}
  for y = y0, y1 do ys[#ys + 1] = y end
  return ys
end

function Panel:get(var, year)
  local byyear = self.data[var]
  if not byyear then
    local vs = self:vars()
    error(("panel: no variable '%s' (variables: %s)"):format(var,
      #vs > 0 and table.concat(vs, ", ") or "none yet"), 2)
  end
  local a = byyear[year]
  if not a then
    error(("panel: variable '%s' has no year %s (years: %s)"):format(
      var, tostring(year), ranges(self:years(var))), 2)
  end
  return a
end

-- Mean over the given years (a list), county by county; a county missing in
-- some years averages the years it has.
function Panel:mean(var, years)
  if #years == 0 then return cbal.array(self.n, 0 / 0) end
  local list = {}
  for k, y in ipairs(years) do list[k] = self:get(var, y) end
  return require("cbal.stats").mean(list)
end

-- Indices of counties grouped by the key list self[key] ("city", "region"
-- or any list of length n): returns group names in first-seen order and a
-- table name -> list of county indices.
function Panel:groups(key)
  local keys = type(key) == "table" and key or self[key]
  if type(keys) ~= "table" then
    error(("panel: no grouping '%s' (set it in cbal.panel.new)"):format(
      tostring(key)), 2)
  end
  local order, members = {}, {}
  for i = 1, self.n do
    local g = keys[i]
    if g ~= nil then
      if not members[g] then
        members[g] = {}
        order[#order + 1] = g
      end
      table.insert(members[g], i)
    end
  end
  return order, members
end

local function list_ids(ids, max)
  max = max or 8
  local shown = {}
  for i = 1, math.min(#ids, max) do shown[i] = ids[i] end
  local s = table.concat(shown, ", ")
  if #ids > max then s = s .. (", ... (%d more)"):format(#ids - max) end
  return s
end

local function column(cols, name, what)
  local c = cols[name]
  if c == nil then
    local have = {}
    for k in pairs(cols) do have[#have + 1] = tostring(k) end
    table.sort(have)
    error(("panel:join: the table has no %s column '%s' (columns: %s)")
      :format(what, name, table.concat(have, ", ")), 3)
  end
  return c
end

-- recode = {[table id] = panel id} checked and normalised.
local function read_recode(self, recode)
  local out = {}
  if recode == nil then return out end
  if type(recode) ~= "table" then
    error("panel:join: option 'recode' must be a table {[table id] = panel id}", 3)
  end
  for from, to in pairs(recode) do
    local f, t = M.normalize_id(from), M.normalize_id(to)
    if not f or not t then error("panel:join: recode has an empty id", 3) end
    if not self.index[t] then
      error(("panel:join: recode maps %s to %s, which is not a panel county id"):format(f, t), 3)
    end
    out[f] = t
  end
  return out
end

-- Matches table rows to (county, year): returns year -> county -> row and
-- the table ids that are not in the panel. Duplicate rows and rows without
-- a year raise, naming their rows as the file numbers them (opts.rows).
local function match_rows(self, cols, opts, recode)
  local src, rows = opts.source or "table", opts.rows
  local function rowno(r) return math.tointeger(rows and rows[r] or r) or r end
  local idcol = column(cols, opts.id, "id")
  local yearcol = type(opts.year) == "string" and column(cols, opts.year, "year") or nil
  local table_only, seen_only, hit, rowof = {}, {}, {}, {}
  for r = 1, #idcol do
    local id = M.normalize_id(idcol[r])
    id = recode[id] or id
    local year = yearcol and yearcol[r] or opts.year
    if year ~= nil then year = math.tointeger(tonumber(year)) end
    if id and not year then
      error(("panel:join: %s row %d (id %s) has no valid year in column '%s'")
        :format(src, rowno(r), id, tostring(opts.year)), 3)
    end
    local i = id and self.index[id]
    if id and not i then
      if not seen_only[id] then
        seen_only[id] = true
        table_only[#table_only + 1] = id
      end
    elseif i then
      local key = i .. ":" .. year
      if rowof[key] then
        error(("panel:join: %s has two rows for id %s, year %d (rows %d and %d)")
          :format(src, id, year, rowno(rowof[key]), rowno(r)), 3)
      end
      rowof[key] = r
      hit[year] = hit[year] or {}
      hit[year][i] = r
    end
  end
  return hit, table_only, idcol
end

-- Raises (or warns, with allow_unmatched) about ids on one side only.
local function unmatched(self, opts, table_only, panel_only)
  if #table_only == 0 and #panel_only == 0 then return end
  local src, parts = opts.source or "table", {}
  if #table_only > 0 then
    local totals = 0
    for _, id in ipairs(table_only) do
      if id:match("^%d%d%d%d00$") then totals = totals + 1 end
    end
    parts[#parts + 1] = ("%d id(s) in %s are not in the panel (%s)%s"):format(
      #table_only, src, list_ids(table_only), totals > 0 and
      (", %d of them end in 00 (province or city totals?)"):format(totals) or "")
  end
  if #panel_only > 0 then
    parts[#parts + 1] = ("%d panel county(ies) have no row in %s for some year (%s)")
      :format(#panel_only, src, list_ids(panel_only))
  end
  local msg = "panel:join: " .. table.concat(parts, "; ")
  if not opts.allow_unmatched then
    error(msg .. "; fix the ids, map changed codes with recode = {[\"table id\"] = "
      .. "\"panel id\"}, or pass allow_unmatched = true to keep them missing (NaN)", 3)
  end
  cbal.warn(msg .. "; their values are missing (NaN)")
end

-- The number in row r of field f: an empty cell is missing (NaN); text
-- that is not a number raises, naming the row as the file numbers it.
local function number(f, r, opts)
  local v = f.col[r]
  if type(v) == "number" then return v end
  if v == nil or not tostring(v):find("%S") then return 0 / 0 end
  local x = tonumber(v)
  if x then return x end
  error(("panel:join: %s, row %d, column '%s': '%s' is not a number (fix the cell or leave "
    .. "it empty for a missing value)"):format(opts.source or "table",
    math.tointeger(opts.rows and opts.rows[r] or r) or r, f.name, tostring(v)), 4)
end

-- panel:join(cols, opts): copies table columns into the panel by county id.
-- cols: name -> cbal.Array or list (as cbal.read_table returns).
-- opts: id = id column (required); fields = {var = column, ...} (required);
-- year = a year column name (long tables) or a fixed year number;
-- allow_unmatched = true to warn instead of raising on unmatched ids;
-- recode = {[table id] = panel id, ...} maps codes that changed (e.g. the
-- 2020 codes 320613 -> 320602 of boundaries that keep the old ones);
-- source = a name for messages (e.g. the file path); rows = the row number
-- of each table row as the file shows it (cbal.read_table's 4th result),
-- for messages. Returns a report {table_only = {ids}, panel_only = {ids},
-- rows = n, years = list}.
function Panel:join(cols, opts)
  opts = checkopts("panel:join", opts,
    { "id", "fields", "year", "allow_unmatched", "source", "recode", "rows" })
  if type(opts.id) ~= "string" then error("panel:join: option 'id' (the id column) is required", 2) end
  if type(opts.fields) ~= "table" then error("panel:join: option 'fields' ({var = column}) is required", 2) end
  if type(opts.year) ~= "string" and math.type(opts.year) ~= "integer" then
    error("panel:join: option 'year' must be a year column name or a year number", 2)
  end
  local recode = read_recode(self, opts.recode)
  local fields = {}
  for var, colname in pairs(opts.fields) do
    fields[#fields + 1] = { var = var, name = colname, col = column(cols, colname, "field") }
  end
  table.sort(fields, function(a, b) return a.var < b.var end)
  local hit, table_only, idcol = match_rows(self, cols, opts, recode)
  local years = {}
  for y in pairs(hit) do years[#years + 1] = y end
  table.sort(years)
  if #years == 0 then
    error(("panel:join: no row of %s matches a county id (panel ids look like %s, table ids like %s)")
      :format(opts.source or "table", self.ids[1] or "?", M.normalize_id(idcol[1]) or "?"), 2)
  end
  local panel_only, missing = {}, {}
  for _, y in ipairs(years) do
    for i = 1, self.n do
      if not hit[y][i] and not missing[i] then
        missing[i] = true
        panel_only[#panel_only + 1] = self:label(i)
      end
    end
  end
  unmatched(self, opts, table_only, panel_only)
  for _, f in ipairs(fields) do
    for _, y in ipairs(years) do
      local a = cbal.array(self.n, 0 / 0)
      for i, r in pairs(hit[y]) do a[i] = number(f, r, opts) end
      self:set(f.var, y, a)
    end
  end
  return { table_only = table_only, panel_only = panel_only, rows = #idcol, years = years }
end

-- panel:column(var, year) as a plain list (NaN kept) for writing tables.
function Panel:column(var, year)
  return self:get(var, year):totable(0 / 0)
end

M.Panel = Panel
return M
