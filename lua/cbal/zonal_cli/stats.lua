-- The statistics of `cbal zonal`: parsing -s descriptors ("sum",
-- "quantile(q=0.9)", "total=sum", "lua:file.lua:name"), checking them
-- before any work, and naming the columns of each raster's results.
local cbal = require "cbal"
local err = require "cbal.zonal_cli.err"

local M = {}

-- The statistics zones:stats computes, with what each needs:
--   args: allowed arguments and their check; weighted: needs -w
--   (uses_w: uses -w when given);
--   multi: one column per class value (prefix_<value>);
--   list: a list per polygon (JSON text in the table).
local fraction = "fraction"
M.known = {
  count = {}, sum = {}, mean = {}, min = {}, max = {}, stddev = {}, weight = { uses_w = true },
  stdev = {}, variance = {}, coefficient_of_variation = {},
  median = {}, quantile = { args = { q = fraction }, required = "q" },
  mode = {}, majority = {}, minority = {}, variety = {},
  frac = { multi = true }, weighted_frac = { multi = true, weighted = true },
  weighted_mean = { weighted = true }, weighted_sum = { weighted = true },
  weighted_stdev = { weighted = true }, weighted_variance = { weighted = true },
  unique = { list = true }, coverage_area = {},
}

-- exactextract's per-cell operations, which --dump writes.
local dump_stats = { cell_id = true, values = true, coverage = true, center_x = true,
  center_y = true, weights = true }

local function known_names()
  local names = {}
  for k in pairs(M.known) do names[#names + 1] = k end
  table.sort(names)
  return table.concat(names, ", ")
end

-- Arguments every statistic takes (exactextract's), passed to zones:stats
-- as options: a statistic with other values than the rest is its own pass.
M.coverage_weights = { "fraction", "none", "area_cartesian", "area_spherical_m2",
  "area_spherical_km2" }
local common = { coverage_weight = M.coverage_weights, min_coverage_frac = fraction,
  default_weight = "number" }
local common_names = "coverage_weight, min_coverage_frac, default_weight"

-- One argument's value, checked against its kind.
local function arg_value(desc, k, v, kind)
  local n = tonumber(v)
  if kind == fraction and not (n and n >= 0 and n <= 1) then
    err.usage("-s %s: %s must be a number from 0 to 1, got '%s'", desc, k, v)
  elseif kind == "number" and not n then
    err.usage("-s %s: %s must be a number, got '%s'", desc, k, v)
  elseif type(kind) == "table" then
    local bad = require("cbal.opts").bad_value("-s " .. desc, k, v, kind)
    if bad then err.usage("%s", bad) end
  end
  return n or v
end

-- "a=1, b=2" -> args {q = 0.9}, opts {coverage_weight = "none"}, checked.
local function parse_args(desc, stat, text)
  local spec, args, opts = M.known[stat], {}, {}
  for item in (text .. ","):gmatch("%s*(.-)%s*,") do
    local k, v = item:match("^([%w_]+)%s*=%s*(.-)$")
    if not k or v == "" then
      err.usage("-s %s: arguments are key=value, got '%s'", desc, item)
    end
    local kind = spec.args and spec.args[k] or common[k]
    if not kind then
      err.usage("-s %s: %s takes no argument '%s' (it takes %s%s)", desc, stat, k,
        spec.args and (spec.required .. ", ") or "", common_names)
    end
    local into = common[k] and opts or args
    if into[k] ~= nil then err.usage("-s %s: argument %s given twice", desc, k) end
    into[k] = arg_value(desc, k, v, kind)
  end
  return args, opts
end

-- A user function from "lua:file.lua:name" (or "lua:file.lua" returning a
-- function, named after the file).
local function user_function(desc)
  local rest = desc:sub(5)
  local file, name = rest:match("^(.+%.lua):([%a_][%w_]*)$")
  file = file or rest
  local env = setmetatable({}, { __index = _G }) -- its globals stay its own
  local chunk, msg = loadfile(file, "t", env)
  if not chunk then err.fail("-s %s: cannot load %s", desc, msg) end
  local ok, ret = pcall(chunk)
  if not ok then err.fail("-s %s: %s failed: %s", desc, file, tostring(ret)) end
  local fn
  if name then
    fn = type(ret) == "table" and ret[name] or env[name]
  elseif type(ret) == "function" then
    fn, name = ret, file:match("([^/]+)%.lua$"):gsub("[^%w_]", "_")
  end
  if type(fn) ~= "function" then
    err.usage("-s %s: %s %s", desc, file, name and
      ("defines no function '" .. name .. "' (a global, or a field of the table it returns)")
      or "returns no function; name one with lua:" .. file .. ":name")
  end
  return { desc = desc, stat = name, name = name, fn = fn, uses_w = true }
end

-- The options of a statistic as text, for grouping and duplicates.
function M.opts_key(o)
  local keys = {}
  for k, v in pairs(o) do keys[#keys + 1] = k .. "=" .. tostring(v) end
  table.sort(keys)
  return table.concat(keys, ",")
end

-- Parses one -s descriptor into {desc, stat, args, name, engine, ...}.
function M.parse(desc)
  if desc:match("^lua:") then
    local s = user_function(desc)
    s.engine = { name = s.name, fn = s.fn }
    return s
  end
  local name, rest = desc:match("^([%a_][%w_]*)=(.*)$")
  rest = rest or desc
  local stat, argtext = rest:match("^([%a_][%w_]*)%((.*)%)$")
  stat = stat or rest
  local spec = M.known[stat]
  if dump_stats[stat] then
    err.usage("-s %s: the cells of a polygon (cell_id, values, coverage, ...) are " ..
      "written by --dump ID (with --id), one row per cell", desc)
  end
  if not spec then
    local hint = stat:match("^[%a_][%w_]*$") and "" or
      " (a statistic is a name, name(key=value) or lua:file.lua:function)"
    err.usage("-s %s: unknown statistic '%s'%s; known: %s", desc, stat, hint,
      known_names())
  end
  local args, opts = {}, {}
  if argtext then args, opts = parse_args(desc, stat, argtext) end
  if spec.required and args[spec.required] == nil then
    err.usage("-s %s: %s needs %s=, e.g. -s \"%s(%s=0.9)\"", desc, stat,
      spec.required, stat, spec.required)
  end
  local s = { desc = desc, stat = stat, args = args, opts = opts, name = name,
    weighted = spec.weighted, uses_w = spec.weighted or spec.uses_w,
    multi = spec.multi, list = spec.list }
  if stat == "quantile" then
    s.engine = ("quantile(q=%s)"):format(cbal.number_text(args.q))
  else
    s.engine = stat
  end
  return s
end

-- Parses every -s descriptor; refuses one given twice.
function M.parse_all(descs)
  local list, seen = {}, {}
  for _, d in ipairs(descs) do
    local s = M.parse(d)
    local key = (s.name or "") .. "|" .. (type(s.engine) == "string" and s.engine or "")
      .. "|" .. M.opts_key(s.opts or {})
    if seen[key] == d then
      err.usage("-s %s is given twice", d)
    elseif seen[key] then
      err.usage("-s %s asks for the same statistic as -s %s", d, seen[key])
    end
    seen[key] = d
    list[#list + 1] = s
  end
  return list
end

-- Whether column `col` of a result comes from stat s.
local function claims(s, col)
  if s.fn then return col == s.name end
  if s.multi then return col:sub(1, #s.stat + 1) == s.stat .. "_" end
  if s.stat == "quantile" then return col:match("^quantile_") ~= nil end
  return col == s.stat
end

-- The result columns of one zones:stats call over `list` (asked with
-- M.engine_list(list)), by stat: a list of {stat = s, col = engine's
-- column, label = the user's name for it}. `columns` is the result's own
-- list (or nil: one column per stat). Statistics asked the same way share
-- their columns (sum and total=sum).
function M.assign(list, columns)
  if not columns then
    columns = {}
    for _, s in ipairs(M.engine_list(list)) do columns[#columns + 1] = s end
  end
  local out, used, by_engine = {}, {}, {}
  for _, s in ipairs(list) do
    local key = type(s.engine) == "string" and s.engine or nil
    local cols = key and by_engine[key]
    if not cols then
      cols = {}
      for i, col in ipairs(columns) do
        if not used[i] and claims(s, col) and (s.multi or #cols == 0) then
          used[i] = true
          cols[#cols + 1] = col
        end
      end
      if key then by_engine[key] = cols end
    end
    for _, col in ipairs(cols) do
      local label = col
      if s.name and not s.fn then
        label = s.multi and (s.name .. col:sub(#s.stat + 1)) or s.name
      end
      out[#out + 1] = { stat = s, col = col, label = label }
    end
  end
  for i, col in ipairs(columns) do
    if not used[i] then out[#out + 1] = { col = col, label = col } end
  end
  return out
end

-- The engine's list of statistics for zones:stats (each once).
function M.engine_list(list)
  local t, seen = {}, {}
  for _, s in ipairs(list) do
    local key = type(s.engine) == "string" and s.engine or s
    if not seen[key] then
      seen[key] = true
      t[#t + 1] = s.engine
    end
  end
  return t
end

-- The statistics split into passes by their options (base: the command's
-- own, overridden by each statistic's arguments): a list of {opts =,
-- stats = list}, in the order first asked.
function M.passes(list, base)
  local passes, by_key = {}, {}
  for _, s in ipairs(list) do
    local o = {}
    for k, v in pairs(base) do o[k] = v end
    for k, v in pairs(s.opts or {}) do o[k] = v end
    local key = M.opts_key(o)
    local p = by_key[key]
    if not p then
      p = { opts = o, stats = {} }
      by_key[key] = p
      passes[#passes + 1] = p
    end
    p.stats[#p.stats + 1] = s
  end
  return passes
end

return M
