-- The values a spatial statistic reads, resolved against its weights: a
-- cbal.Array (or list), a table {[label] = array} (e.g. year -> array) or a
-- cbal.Panel with variables and years. Checks that they belong to the
-- weights' counties (count and, where both have them, ids in order), that
-- every value is a number and no column is constant, and names the county,
-- variable and year at fault.
local cbal = require "cbal"

local M = {}

local function is_panel(x) return cbal.type(x) == "cbal.Panel" end
M.is_panel = is_panel

local function is_values(x)
  return cbal.type(x) == "cbal.Array"
      or (type(x) == "table" and not is_panel(x) and (#x > 0 and type(x[1]) == "number"))
end

-- "320102 (Xuanwu)" or "county 3" for feature i of the layer (weights
-- that dropped islands keep the layer's ids as source_ids).
function M.unit_label(w, i, names)
  local ids = w and (w.source_ids or w.ids)
  local id = ids and ids[i]
  local name = (names and names[i]) or (w and (w.source_names or w.names) or {})[i]
  if id and name and name ~= id then return ("%s (%s)"):format(id, name) end
  return id or name or ("county " .. i)
end

-- The same, always read as "county ...", for messages.
function M.county_label(w, i, names)
  local s = M.unit_label(w, i, names)
  return s:find("^county ") and s or ("county " .. s)
end

local function describe(w)
  return ("%s weights of %d counties%s"):format(w.rule or "custom", w.source_n or #w,
    w.layer and (" built on " .. w.layer) or "")
end

-- Checks that ids (a list, one per layer feature) are the weights' ids.
local function check_ids(where, w, ids, whose)
  local wids = w and (w.source_ids or w.ids)
  if not (wids and ids) then return end
  for i = 1, #wids do
    if tostring(ids[i]) ~= wids[i] then
      error(("%s: %s county %d is %s but the weights' county %d is %s: the weights were "
        .. "built on another layer (or in another order); build them on the layer the "
        .. "values come from"):format(where, whose, i, tostring(ids[i]), i,
        M.unit_label(w, i)), 0)
    end
  end
end

-- One column checked and cut to the weights' units (without weights: of
-- the length of the first column, n).
local function column(where, w, a, label, names, flags)
  a = cbal.array(a)
  local full = w and (w.source_n or #w) or flags.n or #a
  flags.n = full
  if not w and #a ~= full then
    error(("%s: %s has %d values, expected %d (one per county)"):format(where, label, #a,
      full), 0)
  end
  local cut = w and w.index and #a ~= #w
  if #a ~= full and not (w and w.index and #a == #w) then
    error(("%s: %s has %d values but the %s: compute the weights on the layer the "
      .. "values come from"):format(where, label, #a, describe(w)), 0)
  end
  -- counties the weights leave out (islands dropped, a subset) are not read
  if cut then
    local t = {}
    for k = 1, #w.index do t[k] = a[w.index[k]] end
    a = cbal.array(t)
  end
  for i = 1, #a do
    local x = a[i]
    if x ~= x or x == math.huge or x == -math.huge then
      local pos = (w and w.index) and w.index[i] or i
      local who = M.county_label(w, pos, names)
      local hint = w and "leave the county out of the weights with w:subset"
        or "leave the county out"
      if x ~= x then
        error(("%s: %s is missing (NaN) for %s; spatial statistics need a value for every "
          .. "county (fill it, or %s)"):format(where, label, who, hint), 0)
      end
      error(("%s: %s is %s for %s; spatial statistics need finite values ("
        .. "%s)"):format(where, label, x > 0 and "+inf" or "-inf", who, hint), 0)
    end
  end
  if a:min() == a:max() and not flags.constant_ok then
    error(("%s: %s is %s for every county; the statistic is undefined for a "
      .. "constant variable"):format(where, label, ("%.6g"):format(a[1])), 0)
  end
  return a
end

-- The options a statistic takes: those that choose its columns (read by
-- M.columns) followed by its own.
function M.option_keys(own)
  local t = { "variables", "variable", "years", "ids", "name" }
  for _, k in ipairs(own) do t[#t + 1] = k end
  return t
end

-- Resolves x into checked columns. Returns cols, keys (one {variable=,
-- year=} or {label=} per column) and the kind: "single", "keyed", "panel".
-- opts.variables (or .variable) and opts.years choose panel columns;
-- opts.ids checks plain values' ids. w may be nil (no weights: columns of
-- one length); flags.constant_ok lets constant columns through.
function M.columns(where, x, w, opts, flags)
  opts, flags = opts or {}, flags or {}
  if is_panel(x) then
    check_ids(where, w, x.ids, "the panel's")
    flags.n = x.n
    local vars = opts.variables or { opts.variable }
    if type(vars) ~= "table" or #vars == 0 then
      error(where .. ": give the panel's variables = {\"Q\", ...} (or variable =)", 0)
    end
    local cols, keys = {}, {}
    for _, v in ipairs(vars) do
      local years = opts.years or x:years(v)
      if #years == 0 then
        error(("%s: the panel has no variable '%s' (variables: %s)"):format(where, tostring(v),
          table.concat(x:vars(), ", ")), 0)
      end
      for _, y in ipairs(years) do
        local ok, a = pcall(x.get, x, v, y)
        if not ok then error(("%s: %s"):format(where, (tostring(a):gsub("^.-:%d+: ", ""))), 0) end
        cols[#cols + 1] = column(where, w, a, ("%s %d"):format(v, y), x.names, flags)
        keys[#keys + 1] = { variable = v, year = y }
      end
    end
    return cols, keys, "panel"
  end
  check_ids(where, w, opts.ids, "the values'")
  if is_values(x) then
    return { column(where, w, x, opts.name or "the variable", nil, flags) }, { {} }, "single"
  end
  if type(x) ~= "table" then
    error(("%s: values must be a cbal.Array, a list of numbers, a table {[year] = array} "
      .. "or a cbal.Panel, got %s"):format(where, type(x)), 0)
  end
  local labels = {}
  for k in pairs(x) do labels[#labels + 1] = k end
  table.sort(labels, function(a, b)
    if type(a) == type(b) then return a < b end
    return type(a) == "number"
  end)
  if #labels == 0 then error(where .. ": no values given", 0) end
  local cols, keys = {}, {}
  for _, k in ipairs(labels) do
    cols[#cols + 1] = column(where, w, x[k], tostring(k), nil, flags)
    keys[#keys + 1] = { label = k, year = math.type(k) == "integer" and k or nil }
  end
  return cols, keys, "keyed"
end

-- Shapes per-column results like the input: one result, {[label] = r},
-- or r[variable][year] with the list of all in .list (each tagged with
-- its variable and year).
function M.shape(results, keys, kind)
  if kind == "single" then return results[1] end
  local out = {}
  if kind == "keyed" then
    for k, r in ipairs(results) do out[keys[k].label] = r end
    return out
  end
  out.list = {}
  for k, r in ipairs(results) do
    r.variable, r.year = keys[k].variable, keys[k].year
    out[r.variable] = out[r.variable] or {}
    out[r.variable][r.year] = r
    out.list[#out.list + 1] = r
  end
  return out
end

-- An array over the weights' units back to the layer's features (NaN for
-- counties left out as islands).
function M.expand(w, a)
  if not (w and w.index) then return a end
  local out = cbal.array(w.source_n, 0 / 0)
  for k = 1, #w.index do out[w.index[k]] = a[k] end
  return out
end

return M
