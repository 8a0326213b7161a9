-- Zoning of counties by criteria: a criteria file (run in the sandbox) or
-- table picks thresholds, the tie rule, the year or a multi-year mean, and
-- zones by declarative conditions (native kernel) or Lua predicates.
local cbal = require "cbal"
local options = require "cbal.opts"
local checkopts = options.check
local span = require("cbal.panel").span
local stats = require "cbal.stats"
local masks = require "cbal.classify"
local table_file = require "cbal.table_file"

local M = {}

local TOP_KEYS = { "name", "description", "year", "tie", "thresholds", "zones",
                   "otherwise", "variables" }
local ZONE_KEYS = { "name", "when", "description", "color" }

local function fail(src, fmt, ...)
  error(("criteria %s: " .. fmt):format(src, ...), 0)
end

local function is_array(v) return cbal.type(v) == "cbal.Array" end

-- Where the built-in criteria files live ("default" -> its path).
function M.builtin(name)
  local path = package.searchpath("cbal.criteria." .. name, package.path)
  if not path then
    error(("zoning: no built-in criteria '%s' on package.path"):format(name), 2)
  end
  return path
end

-- Loads criteria: a path (run as text in a sandbox; opts.memory,
-- opts.budget and opts.seconds size it), "default", or a table. Returns the criteria table
-- and a name for messages.
function M.load(criteria, opts)
  opts = opts or {}
  if type(criteria) == "table" then return criteria, "table" end
  if criteria == nil or criteria == "default" then criteria = M.builtin("default") end
  if type(criteria) ~= "string" then
    error("zoning: criteria must be a file path or a table, got " .. type(criteria), 3)
  end
  local sandbox = { memory = opts.memory, budget = opts.budget, seconds = opts.seconds }
  return table_file.load(criteria, "criteria", sandbox), criteria
end

local function keycheck(src, what, t, allowed)
  local msg = options.unknown(t, allowed, what)
  if msg then fail(src, "%s", msg) end
end

local function callable(f)
  if type(f) == "function" then return true end
  local mt = getmetatable(f)
  return type(mt) == "table" and mt.__call ~= nil
end

-- Checks the criteria's shape; returns the list of zones.
local function validate(c, src)
  keycheck(src, "the criteria table", c, TOP_KEYS)
  if type(c.zones) ~= "table" or #c.zones == 0 then
    fail(src, "needs 'zones', a non-empty list of {name =, when =}")
  end
  local bad_tie = options.bad_value(nil, "tie", c.tie, { "upper", "lower" })
  if bad_tie then
    fail(src, "%s; upper: a value at the cut is high (>=), lower: it is low "
      .. "(high needs >)", bad_tie)
  end
  for i, z in ipairs(c.zones) do
    if type(z) ~= "table" then fail(src, "zone %d must be a table", i) end
    keycheck(src, ("zone %d"):format(i), z, ZONE_KEYS)
    if type(z.name) ~= "string" then fail(src, "zone %d has no name", i) end
    if not callable(z.when) and type(z.when) ~= "table" then
      fail(src, "zone '%s': 'when' must be a table of conditions or a function", z.name)
    end
  end
  return c.zones
end

-- Variables: name -> array, or name -> {year -> array}. Picks the criteria
-- year: a number, "last" (latest year all have), "mean" (mean over all
-- years they share) or {first, last} (mean over that span; every year must
-- be present). Returns name -> array, the year description and n.
local function select_year(vars, year, src)
  local out, n, byyear = {}, nil, {}
  for name, v in pairs(vars) do
    if is_array(v) or (type(v) == "table" and v[1] ~= nil) then
      out[name] = cbal.array(v)
    elseif type(v) == "table" then
      byyear[name] = v
    else
      error(("zoning: variable '%s' must be an array or a table year -> array, got %s")
        :format(tostring(name), type(v)), 0)
    end
  end
  local common
  for name, t in pairs(byyear) do
    local ys = {}
    for y in pairs(t) do
      if math.type(y) == "integer" then ys[y] = true end
    end
    if common == nil then common = ys
    else
      for y in pairs(common) do if not ys[y] then common[y] = nil end end
    end
  end
  local years = {}
  for y in pairs(common or {}) do years[#years + 1] = y end
  table.sort(years)
  local desc = "as given"
  if next(byyear) then
    local pick
    if year == nil then
      fail(src, "the variables are given by year: choose 'year' (a year, \"last\", \"mean\" or {first, last})")
    elseif math.type(year) == "integer" then
      pick, desc = { year }, tostring(year)
    elseif year == "last" then
      if #years == 0 then error("zoning: the variables share no year", 0) end
      pick, desc = { years[#years] }, tostring(years[#years])
    elseif year == "mean" then
      pick, desc = years, ("mean %d-%d"):format(years[1] or 0, years[#years] or 0)
    elseif type(year) == "table" and math.type(year[1]) == "integer"
      and math.type(year[2]) == "integer" and year[1] <= year[2] then
      pick = span(year[1], year[2])
      desc = ("mean %d-%d"):format(year[1], year[2])
    else
      fail(src, "year must be a year, \"last\", \"mean\" or {first, last}, got %s", tostring(year))
    end
    if #pick == 0 then error("zoning: the variables share no year", 0) end
    for name, t in pairs(byyear) do
      local list = {}
      for k, y in ipairs(pick) do
        list[k] = t[y]
        if list[k] == nil then
          error(("zoning: variable '%s' has no year %d (criteria year: %s)")
            :format(name, y, desc), 0)
        end
      end
      out[name] = #pick == 1 and cbal.array(list[1]) or stats.mean(list)
    end
  end
  for name, a in pairs(out) do
    if n and #a ~= n then
      error(("zoning: variable '%s' has %d values, others have %d"):format(name, #a, n), 0)
    end
    n = n or #a
  end
  if not n then error("zoning: no variables given", 0) end
  return out, desc, n
end

-- Summary values a threshold or predicate may use: mean and median.
local function summary(vars)
  local s = { mean = {}, median = {} }
  for name, a in pairs(vars) do
    s.mean[name] = a:mean()
    s.median[name] = stats.median(a)
  end
  return s
end

local function resolve(value, var, s, src, zone)
  if type(value) == "number" then return value end
  if value == "mean" or value == "median" then
    local x = s[value][var]
    if x == nil then fail(src, "zone '%s': no variable '%s' for its %s", zone, var, value) end
    return x
  end
  fail(src, "zone '%s': threshold of %s must be a number, \"mean\" or \"median\", got %s",
    zone, var, tostring(value))
end

-- Declarative conditions of a zone as a list {var, op, value}.
local function conditions(z, c, vars, s, src)
  local hi, lo = ">=", "<"
  if c.tie == "lower" then hi, lo = ">", "<=" end
  local conds, names = {}, {}
  for var in pairs(z.when) do names[#names + 1] = var end
  table.sort(names)
  for _, var in ipairs(names) do
    local spec = z.when[var]
    if vars[var] == nil then
      fail(src, "zone '%s' uses variable '%s', which was not given", z.name, var)
    end
    local op, value
    if spec == "high" or spec == "low" then
      local t = (c.thresholds or {})[var]
      if t == nil then
        fail(src, "zone '%s': %s = \"%s\" needs thresholds.%s", z.name, var, spec, var)
      end
      op, value = spec == "high" and hi or lo, resolve(t, var, s, src, z.name)
    elseif type(spec) == "table" and masks.is_operator(spec[1]) then
      op, value = spec[1], resolve(spec[2], var, s, src, z.name)
    else
      fail(src, "zone '%s': condition on %s must be \"high\", \"low\" or {op, value} "
        .. "with op one of < <= > >= == ~=", z.name, var)
    end
    conds[#conds + 1] = { var, op, value }
  end
  return conds
end

-- 0/1 array: does each county satisfy every condition? (one native mask
-- per condition); nil when there is none (every county).
local function native_mask(conds, vars, zone)
  return masks.conditions_mask(conds, vars, ("zone '%s'"):format(zone))
end

-- Counties matching a predicate zone (only those not yet assigned).
local function predicate_match(z, vars, s, assigned, n, src)
  local names = {}
  for name in pairs(vars) do names[#names + 1] = name end
  local match = {}
  for i = 1, n do
    if assigned[i] == 0 then
      local row = {}
      for _, name in ipairs(names) do row[name] = vars[name][i] end
      local ok, r = pcall(z.when, row, s)
      if not ok then
        error(("criteria %s: zone '%s', county %d: %s"):format(src, z.name, i,
          tostring(r)), 0)
      end
      match[i] = r and true or false
    end
  end
  return match
end

-- The variables the criteria use: its `variables` list (for predicates),
-- those named in declarative conditions and thresholds; all of vars when
-- the criteria have no `variables` list.
local function used_vars(c, vars, src)
  if c.variables == nil then return vars end
  if type(c.variables) ~= "table" then fail(src, "'variables' must be a list of names") end
  local out = {}
  local function need(name)
    if vars[name] == nil then fail(src, "uses variable '%s', which was not given", tostring(name)) end
    out[name] = vars[name]
  end
  for _, name in ipairs(c.variables) do need(name) end
  for name in pairs(c.thresholds or {}) do need(name) end
  for _, z in ipairs(c.zones) do
    if type(z.when) == "table" and not callable(z.when) then
      for name in pairs(z.when) do need(name) end
    end
  end
  return out
end

-- zoning.classify(criteria, vars [, opts]) -> names, counts, info.
-- criteria: a criteria file path, "default", or a table (see docs).
-- vars: name -> array (one value per county) or name -> {year -> array}.
-- opts: year (overrides the criteria's), memory, budget, seconds (sandbox
-- limits), source (the file a criteria table was loaded from by
-- zoning.load, named in messages and info.criteria).
-- names[i] is county i's zone (criteria.otherwise, default "unclassified",
-- when none matches); counts[zone] the number of counties per zone; info =
-- {index = array of zone numbers (0 = otherwise), order = the criteria's
-- zone names only (never the fallback, so callers that add it once do not
-- list it twice), otherwise = the fallback name, year = the year used,
-- criteria = its name, tie = "upper" (a value at a cut is high) or
-- "lower", thresholds = variable -> the cut used}.
function M.classify(criteria, vars, opts)
  opts = checkopts("zoning.classify", opts, { "year", "memory", "budget", "seconds", "source" })
  if type(vars) ~= "table" then error("zoning.classify: vars must be a table name -> array", 2) end
  local c, src = M.load(criteria, opts)
  if type(criteria) == "table" and opts.source then src = opts.source end
  local zones = validate(c, src)
  local year = opts.year
  if year == nil then year = c.year end
  local v, ydesc, n = select_year(used_vars(c, vars, src), year, src)
  local s = summary(v)
  s.thresholds = {}
  for var, t in pairs(c.thresholds or {}) do
    if v[var] then s.thresholds[var] = resolve(t, var, s, src, "thresholds") end
  end
  local index = {}
  for i = 1, n do index[i] = 0 end
  for zi, z in ipairs(zones) do
    if callable(z.when) then
      local match = predicate_match(z, v, s, index, n, src)
      for i = 1, n do
        if index[i] == 0 and match[i] then index[i] = zi end
      end
    else
      local mask = native_mask(conditions(z, c, v, s, src), v, z.name)
      for i = 1, n do
        if index[i] == 0 and (mask == nil or mask[i] == 1) then index[i] = zi end
      end
    end
  end
  local other = c.otherwise or "unclassified"
  local names, counts, order = {}, {}, {}
  for _, z in ipairs(zones) do
    counts[z.name] = 0
    order[#order + 1] = z.name
  end
  counts[other] = counts[other] or 0
  for i = 1, n do
    local name = index[i] > 0 and zones[index[i]].name or other
    names[i] = name
    counts[name] = counts[name] + 1
  end
  return names, counts, { index = cbal.array(index), order = order, otherwise = other,
    year = ydesc, criteria = c.name or src, tie = c.tie or "upper", thresholds = s.thresholds }
end

return M
