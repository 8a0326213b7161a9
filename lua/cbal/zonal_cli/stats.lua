-- The statistics of `cbal zonal`: parsing -s descriptors ("sum",
-- "quantile(q=0.9)", "total=sum", "lua:file.lua:name"), checking them
-- before any work, and naming the columns of each raster's results.
local err = require "cbal.zonal_cli.err"

local M = {}

-- The statistics zones:stats computes, with what each needs:
--   args: allowed arguments and their check; weighted: needs -w
--   (uses_w: uses -w when given);
--   multi: one column per class value (prefix_<value>);
--   list: a list per polygon (JSON text in the table); dump: --dump only.
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
  cell_id = { dump = true }, values = { dump = true }, coverage = { dump = true },
}

local function known_names()
  local names = {}
  for k, v in pairs(M.known) do
    if not v.dump then names[#names + 1] = k end
  end
  table.sort(names)
  return table.concat(names, ", ")
end

-- "a=1, b=2" -> {a = "1", b = "2"}, checked against the stat's arguments.
local function parse_args(desc, stat, text)
  local spec, args = M.known[stat], {}
  for item in (text .. ","):gmatch("%s*(.-)%s*,") do
    local k, v = item:match("^([%w_]+)%s*=%s*(.-)$")
    if not k or v == "" then
      err.usage("-s %s: arguments are key=value, got '%s'", desc, item)
    end
    local kind = spec.args and spec.args[k]
    if not kind then
      err.usage("-s %s: %s takes %s", desc, stat, spec.args and
        ("the argument " .. spec.required .. "=") or "no arguments")
    end
    if args[k] then err.usage("-s %s: argument %s given twice", desc, k) end
    local n = tonumber(v)
    if kind == fraction and not (n and n >= 0 and n <= 1) then
      err.usage("-s %s: %s must be a number from 0 to 1, got '%s'", desc, k, v)
    end
    args[k] = n or v
  end
  if spec.required and not args[spec.required] then
    err.usage("-s %s: %s needs %s=, e.g. %s(%s=0.9)", desc, stat,
      spec.required, stat, spec.required)
  end
  return args
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
  return { desc = desc, stat = name, name = name, fn = fn }
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
  if not spec or spec.dump then
    local hint = stat:match("^[%a_][%w_]*$") and "" or
      " (a statistic is a name, name(key=value) or lua:file.lua:function)"
    err.usage("-s %s: unknown statistic '%s'%s; known: %s", desc, stat, hint,
      known_names())
  end
  local args = argtext and parse_args(desc, stat, argtext) or {}
  if spec.required and not argtext then
    err.usage("-s %s: %s needs %s=, e.g. -s \"%s(%s=0.9)\"", desc, stat,
      spec.required, stat, spec.required)
  end
  local s = { desc = desc, stat = stat, args = args, name = name,
    weighted = spec.weighted, uses_w = spec.weighted or spec.uses_w,
    multi = spec.multi, list = spec.list }
  if stat == "quantile" then
    s.engine = ("quantile(q=%s)"):format(args.q)
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
    local key = type(s.engine) == "string" and s.engine or s.name
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

-- The result columns of one zones:stats call, grouped by stat: a list of
-- {stat = s, col = engine's column, label = the user's name for it}.
-- `columns` is the result's own list (or nil: one column per stat).
function M.assign(list, columns)
  if not columns then
    columns = {}
    for _, s in ipairs(list) do columns[#columns + 1] = s.stat end
  end
  local out, used = {}, {}
  for _, s in ipairs(list) do
    local n = 0
    for i, col in ipairs(columns) do
      if not used[i] and claims(s, col) and (s.multi or n == 0) then
        used[i], n = true, n + 1
        local label = col
        if s.name and not s.fn then
          label = s.multi and (s.name .. col:sub(#s.stat + 1)) or s.name
        end
        out[#out + 1] = { stat = s, col = col, label = label }
      end
    end
  end
  for i, col in ipairs(columns) do
    if not used[i] then out[#out + 1] = { col = col, label = col } end
  end
  return out
end

-- The engine's list of statistics for zones:stats.
function M.engine_list(list)
  local t = {}
  for _, s in ipairs(list) do t[#t + 1] = s.engine end
  return t
end

return M
